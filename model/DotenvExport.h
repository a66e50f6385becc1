// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/Dotenv.h"
#include "model/DotenvImport.h"
#include "model/ModelError.h"

#include <QString>

#include <cstdint>
#include <expected>
#include <vector>

namespace coffer::model {
class Store;
struct Environment;
} // namespace coffer::model

/// Exporting an environment, shared by `coffer-cli export`, the app's Export dialog and "Copy as .env": the
/// values with references resolved, rendered in a dialect or merged into an existing dotenv file, a preview of
/// what changes in the target (names only), and the audited, owner-only atomic write.
namespace coffer::model::dotenv {

/// The live secrets of an environment, references resolved, in name order. An unresolvable reference fails
/// with its own code and a message naming the secret.
[[nodiscard]] std::expected<std::vector<Entry>, FileError> environmentEntries(Store& store, std::int64_t environmentId);

/// Where and how to export.
struct ExportTarget {
    QString path; ///< absolute; empty for a rendering that goes elsewhere (stdout, the clipboard)
    Dialect dialect = Dialect::Dotenv;
    bool merge = false; ///< update only the exported names of an existing dotenv file, keep every other line
};

/// The bytes to write: `entries` in the dialect, or merged into the existing target (when `merge` and the
/// file exists). Errors name the secret a dialect cannot carry ("X cannot be written as docker: ...") or the
/// target's line that cannot be read; merge needs a path and the dotenv dialect (InvalidName otherwise).
[[nodiscard]] std::expected<crypto::SecureBuffer, FileError> render(const ExportTarget& target,
                                                                    const std::vector<Entry>& entries);

/// What writing does to one name of the target file.
enum class TargetChange {
    Added,     ///< not in the file yet
    Changed,   ///< in the file with another value
    Unchanged, ///< in the file with the same value
    Removed,   ///< in the file, not exported: gone after an overwrite
    Kept,      ///< in the file, not exported: kept by a merge
};

struct TargetName {
    QString name;
    TargetChange change = TargetChange::Added;
};

/// The names of the target before and after (values are compared, never returned).
struct ExportPreview {
    bool targetExists = false;
    bool targetUnreadable = false; ///< it exists but is not valid in the dialect: an overwrite replaces it whole
    std::vector<TargetName> names; ///< exported names in their order, then the file's other names

    [[nodiscard]] qsizetype count(TargetChange change) const;
};

/// Compares the target file (if any) with `entries`. FileError when the target cannot be read (a symlink, a
/// folder, too large) or, for a merge, cannot be parsed (with its line).
[[nodiscard]] std::expected<ExportPreview, FileError> previewExport(const ExportTarget& target,
                                                                    const std::vector<Entry>& entries);

/// Records an "export" audit event: `where` (a path or "stdout") and the number of secrets. An export that
/// cannot be recorded must not happen.
[[nodiscard]] Result<void> auditExport(Store& store, const QString& projectName, const QString& environmentName,
                                       const QString& where, std::size_t count);

/// Audits, then writes `bytes` to `target.path` with writeFileAtomically (atomic, 0600, never through a symlink).
/// The message says "cannot export to PATH: why".
[[nodiscard]] std::expected<void, FileError> writeExport(Store& store, const QString& projectName,
                                                         const QString& environmentName, const ExportTarget& target,
                                                         const crypto::SecureBuffer& bytes, std::size_t count);

} // namespace coffer::model::dotenv
