// SPDX-License-Identifier: Apache-2.0
#include "model/DotenvImport.h"

#include "model/Names.h"
#include "model/Store.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::model::dotenv {
namespace {

FileError systemFailure(const QString& what, int error) {
    const ErrorCode code = error == ENOENT                       ? ErrorCode::FileMissing
                           : (error == EACCES || error == EPERM) ? ErrorCode::PermissionDenied
                                                                 : ErrorCode::Io;
    return FileError{code, 0, u"cannot %1: %2"_s.arg(what, QString::fromLocal8Bit(std::strerror(error)))};
}

/// Reads to the end (or one byte past the limit) into guarded memory; a pipe works as well as a file.
std::expected<crypto::SecureBuffer, FileError> readLimited(const QString& path) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(systemFailure(u"open the file"_s, errno));
    }
    constexpr std::size_t limit = kMaxFileBytes + 1;
    crypto::SecureBuffer buffer(limit);
    std::size_t size = 0;
    while (size < limit) {
        const auto got = ::read(fd, buffer.data() + size, limit - size);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            const int error = errno;
            ::close(fd);
            return std::unexpected(systemFailure(u"read the file"_s, error));
        }
        if (got == 0) {
            break;
        }
        size += static_cast<std::size_t>(got);
    }
    ::close(fd);
    if (size > kMaxFileBytes) {
        return std::unexpected(
            FileError{ErrorCode::TooLarge, 0, u"the file is larger than %1 MiB"_s.arg(kMaxFileBytes >> 20)});
    }
    return crypto::SecureBuffer::copyOf(std::span<const std::byte>(buffer.data(), size));
}

} // namespace

Dialect dialectForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"json"_s) {
        return Dialect::Json;
    }
    if (suffix == u"yaml"_s || suffix == u"yml"_s) {
        return Dialect::Yaml;
    }
    return Dialect::Dotenv;
}

std::expected<std::vector<Entry>, FileError> readFile(const QString& path, Dialect dialect) {
    const auto text = readLimited(path);
    if (!text) {
        return std::unexpected(text.error());
    }
    auto entries = read(dialect, text->bytes());
    if (!entries) {
        return std::unexpected(FileError{ErrorCode::Io, entries.error().line, entries.error().message});
    }
    // The readers already let the last value win; this makes sure each name appears once whatever they do.
    std::vector<Entry> unique;
    QHash<QString, std::size_t> seen;
    for (auto& entry : *entries) {
        if (const auto it = seen.constFind(entry.name); it != seen.cend()) {
            unique[*it].value = std::move(entry.value);
            continue;
        }
        seen.insert(entry.name, unique.size());
        unique.push_back(std::move(entry));
    }
    return unique;
}

qsizetype ImportPlan::count(Change change) const {
    return std::count(changes.cbegin(), changes.cend(), change);
}

QString ImportPlan::countsText() const {
    return u"%1 added, %2 changed, %3 unchanged"_s.arg(count(Change::Added))
        .arg(count(Change::Changed))
        .arg(count(Change::Unchanged));
}

std::expected<void, FileError> checkEntries(const std::vector<Entry>& entries) {
    for (const auto& entry : entries) {
        if (auto valid = checkSecretName(entry.name); !valid) {
            return std::unexpected(
                FileError{ErrorCode::InvalidName, entry.line,
                          u"'%1' is not a valid secret name (letters, digits and '_', not "
                          u"starting with a digit, at most 255 characters)"_s.arg(entry.name.left(64))});
        }
        if (entry.value.size() > kMaxValueBytes) {
            return std::unexpected(
                FileError{ErrorCode::TooLarge, entry.line, u"the value of %1 is larger than 1 MiB"_s.arg(entry.name)});
        }
    }
    return {};
}

std::expected<ImportPlan, FileError> planImport(Store& store, std::int64_t environmentId, std::vector<Entry> entries) {
    // Every entry is checked before anything is compared: one bad entry means nothing is imported.
    if (auto checked = checkEntries(entries); !checked) {
        return std::unexpected(checked.error());
    }
    ImportPlan plan;
    plan.changes.reserve(entries.size());
    for (const auto& entry : entries) {
        auto secret = store.secret(environmentId, entry.name);
        if (!secret) {
            if (secret.error().code != ErrorCode::NotFound) {
                return std::unexpected(FileError{secret.error().code, 0, secret.error().message()});
            }
            plan.changes.push_back(Change::Added);
            continue;
        }
        const auto current = store.value(secret->id);
        if (!current) {
            return std::unexpected(FileError{current.error().code, 0, current.error().message()});
        }
        plan.changes.push_back(current->equals(entry.value.bytes()) ? Change::Unchanged : Change::Changed);
    }
    plan.entries = std::move(entries);
    return plan;
}

Result<void> applyImport(Store& store, const QString& projectName, const Environment& environment,
                         const ImportPlan& plan, const QString& source) {
    Q_ASSERT(plan.entries.size() == plan.changes.size());
    return store.transaction([&]() -> Result<void> {
        for (std::size_t i = 0; i < plan.entries.size(); ++i) {
            if (plan.changes[i] == Change::Unchanged) {
                continue;
            }
            const Entry& entry = plan.entries[i];
            if (auto stored = store.setSecret(environment.id, entry.name, entry.value.bytes()); !stored) {
                return std::unexpected(stored.error());
            }
        }
        // Inside the transaction: an import that cannot be recorded does not happen either.
        return store.audit(u"import"_s, projectName, environment.name, {}, u"%1, %2"_s.arg(source, plan.countsText()));
    });
}

} // namespace coffer::model::dotenv
