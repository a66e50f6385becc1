// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/Dotenv.h"
#include "model/ModelError.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <expected>
#include <vector>

namespace coffer::model {
class Store;
struct Environment;
} // namespace coffer::model

/// Importing a file into an environment, shared by `coffer-cli import` and the app's Import dialog: read the
/// file, compare it with the environment (added, changed, unchanged: names only), then write all or nothing.
namespace coffer::model::dotenv {

/// The largest file that is read: far above any real .env, low enough for guarded memory.
inline constexpr std::size_t kMaxFileBytes = 8 * 1024 * 1024;

/// Why a file cannot be read or imported. `message` is a sentence without the file name (callers add it) and
/// never holds a value; `line` is the 1-based line it is about, 0 when it is about the whole file.
struct FileError {
    ErrorCode code = ErrorCode::Io; ///< Io, FileMissing, PermissionDenied, TooLarge, InvalidName (a bad name)
    int line = 0;
    QString message;
};

/// The dialect a file's extension suggests: .json is Json, .yaml/.yml is Yaml, anything else Dotenv.
[[nodiscard]] Dialect dialectForPath(const QString& path);

/// Reads and parses `path` (a pipe such as <(cmd) works too) into guarded memory, at most kMaxFileBytes.
/// A name repeated in the file appears once: the last value, at the place of its first occurrence. A parse
/// error carries its line (code Io).
[[nodiscard]] std::expected<std::vector<Entry>, FileError> readFile(const QString& path, Dialect dialect);

/// What importing one entry does to the environment.
enum class Change { Added, Changed, Unchanged };

/// The entries of a file with what each would change; one entry per name, in file order.
struct ImportPlan {
    std::vector<Entry> entries;
    std::vector<Change> changes; ///< one per entry

    [[nodiscard]] qsizetype count(Change change) const;
    /// "2 added, 1 changed, 3 unchanged".
    [[nodiscard]] QString countsText() const;
};

/// Checks every name (InvalidName) and size (TooLarge), with the line of the first bad entry. Needs no vault, so
/// a command can refuse a file before it asks for a password.
[[nodiscard]] std::expected<void, FileError> checkEntries(const std::vector<Entry>& entries);

/// Checks every name and size as checkEntries() does (InvalidName or TooLarge with the entry's line: one bad entry
/// means nothing can be imported), then compares each value with the environment's current one, in constant time.
[[nodiscard]] std::expected<ImportPlan, FileError> planImport(Store& store, std::int64_t environmentId,
                                                              std::vector<Entry> entries);

/// Writes the plan into `environment` (of `projectName`) in one transaction: every added and changed secret gets
/// a version, unchanged ones none, and an "import" audit event names `source` and the counts. The first failure
/// rolls everything back.
[[nodiscard]] Result<void> applyImport(Store& store, const QString& projectName, const Environment& environment,
                                       const ImportPlan& plan, const QString& source);

} // namespace coffer::model::dotenv
