// SPDX-License-Identifier: Apache-2.0
#include "model/DotenvExport.h"

#include "model/References.h"
#include "model/SafeFile.h"
#include "model/Store.h"

#include <QHash>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace coffer::model::dotenv {
namespace {

FileError targetFailure(const QString& path, const Error& error) {
    return FileError{error.code, 0, u"cannot export to %1: %2"_s.arg(path, error.detail)};
}

bool merges(const ExportTarget& target) {
    return target.merge && !target.path.isEmpty();
}

std::expected<std::vector<Entry>, FileError> readEntries(Store& store, std::int64_t environmentId) {
    const auto secrets = store.secrets(environmentId);
    if (!secrets) {
        return std::unexpected(FileError{secrets.error().code, 0, secrets.error().message()});
    }
    std::vector<Entry> entries;
    entries.reserve(secrets->size());
    for (const auto& secret : *secrets) {
        auto value = store.value(secret.id);
        if (!value) {
            return std::unexpected(FileError{value.error().code, 0, value.error().message()});
        }
        auto resolved = resolveReferences(store, environmentId, std::move(*value));
        if (!resolved) {
            return std::unexpected(
                FileError{resolved.error().code, 0,
                          u"cannot resolve the references in %1: %2"_s.arg(secret.name, resolved.error().message())});
        }
        entries.push_back(Entry{secret.name, std::move(*resolved), 0});
    }
    return entries;
}

} // namespace

std::expected<std::vector<Entry>, FileError> environmentEntries(Store& store, std::int64_t environmentId) {
    std::expected<std::vector<Entry>, FileError> entries;
    // One read transaction: one shared lock for the whole environment instead of one per value.
    const auto read = store.transaction([&]() -> Result<void> {
        entries = readEntries(store, environmentId);
        return {};
    });
    if (!read) {
        return std::unexpected(FileError{read.error().code, 0, read.error().message()});
    }
    return entries;
}

std::expected<crypto::SecureBuffer, FileError> render(const ExportTarget& target, const std::vector<Entry>& entries) {
    if (target.merge) {
        if (target.path.isEmpty() || target.dialect != Dialect::Dotenv) {
            return std::unexpected(FileError{ErrorCode::InvalidName, 0,
                                             u"merging updates an existing dotenv file: choose a file and the "
                                             u"dotenv format"_s});
        }
        auto existing = readRegularFile(target.path, kMaxFileBytes);
        if (!existing) {
            return std::unexpected(targetFailure(target.path, existing.error()));
        }
        if (*existing) {
            auto merged = merge((*existing)->bytes(), entries);
            if (!merged) {
                return std::unexpected(FileError{ErrorCode::Io, merged.error().line,
                                                 u"%1:%2: %3 (nothing was written)"_s.arg(target.path)
                                                     .arg(merged.error().line)
                                                     .arg(merged.error().message)});
            }
            return std::move(*merged);
        }
    }
    auto written = write(target.dialect, entries);
    if (!written) {
        return std::unexpected(
            FileError{ErrorCode::Io, 0,
                      u"%1 cannot be written as %2: %3"_s.arg(written.error().name, dialectName(target.dialect),
                                                              written.error().message)});
    }
    return std::move(*written);
}

qsizetype ExportPreview::count(TargetChange change) const {
    return std::count_if(names.cbegin(), names.cend(), [change](const TargetName& n) { return n.change == change; });
}

std::expected<ExportPreview, FileError> previewExport(const ExportTarget& target, const std::vector<Entry>& entries) {
    ExportPreview preview;
    std::vector<Entry> before;
    if (!target.path.isEmpty()) {
        auto existing = readRegularFile(target.path, kMaxFileBytes);
        if (!existing) {
            return std::unexpected(targetFailure(target.path, existing.error()));
        }
        if (*existing) {
            preview.targetExists = true;
            auto parsed = read(merges(target) ? Dialect::Dotenv : target.dialect, (*existing)->bytes());
            if (parsed) {
                before = std::move(*parsed);
            } else if (merges(target)) {
                return std::unexpected(
                    FileError{ErrorCode::Io, parsed.error().line,
                              u"%1:%2: %3"_s.arg(target.path).arg(parsed.error().line).arg(parsed.error().message)});
            } else {
                preview.targetUnreadable = true;
            }
        }
    }
    QHash<QString, const Entry*> old;
    for (const auto& entry : before) {
        old.insert(entry.name, &entry); // the last of repeated names wins, as for every reader
    }
    QSet<QString> exported;
    for (const auto& entry : entries) {
        exported.insert(entry.name);
        const Entry* was = old.value(entry.name);
        const TargetChange change = was == nullptr                           ? TargetChange::Added
                                    : was->value.equals(entry.value.bytes()) ? TargetChange::Unchanged
                                                                             : TargetChange::Changed;
        preview.names.push_back({entry.name, change});
    }
    QSet<QString> listed;
    for (const auto& entry : before) {
        if (!exported.contains(entry.name) && !listed.contains(entry.name)) {
            listed.insert(entry.name);
            preview.names.push_back({entry.name, merges(target) ? TargetChange::Kept : TargetChange::Removed});
        }
    }
    return preview;
}

Result<void> auditExport(Store& store, const QString& projectName, const QString& environmentName, const QString& where,
                         std::size_t count) {
    return store.audit(u"export"_s, projectName, environmentName, {}, u"%1, %2 secrets"_s.arg(where).arg(count));
}

std::expected<void, FileError> writeExport(Store& store, const QString& projectName, const QString& environmentName,
                                           const ExportTarget& target, const crypto::SecureBuffer& bytes,
                                           std::size_t count) {
    // Refused before the audit event: a target that cannot be written records no export.
    if (auto writable = checkWritableTarget(target.path); !writable) {
        return std::unexpected(targetFailure(target.path, writable.error()));
    }
    // Audited before anything is written: an export that cannot be recorded does not happen.
    if (auto audited = auditExport(store, projectName, environmentName, target.path, count); !audited) {
        return std::unexpected(FileError{audited.error().code, 0, audited.error().message()});
    }
    if (auto written = writeFileAtomically(target.path, bytes.bytes()); !written) {
        return std::unexpected(targetFailure(target.path, written.error()));
    }
    return {};
}

} // namespace coffer::model::dotenv
