// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cli/ExitCode.h"
#include "model/Dotenv.h"
#include "model/DotenvImport.h"

#include <QString>

#include <cstddef>
#include <vector>

namespace coffer::cli {

class Session;

/// The largest file import and `dotenv parse` read: far above any real .env, low enough for guarded memory.
inline constexpr std::size_t kMaxDotenvFileBytes = model::dotenv::kMaxFileBytes;

/// --format when given (a usage failure for an unknown name), else from the file's extension (.json,
/// .yaml/.yml), else dotenv.
[[nodiscard]] Outcome<model::dotenv::Dialect> dialectFor(const Session& session, const QString& path);

/// A model::dotenv::FileError about `path` as a failure: "FILE:LINE: message" for a line, "FILE: message"
/// otherwise, with the exit code of its model error code (a bad name is a usage failure). `suffix` ends the message (";
/// nothing was imported").
[[nodiscard]] Failure fileFailure(const QString& path, const model::dotenv::FileError& error,
                                  const QString& suffix = {});

/// Reads and parses a file the user names (a pipe such as <(cmd) works too). A ParseError is exit 5 with
/// "FILE:LINE: message". Repeated names keep the last value, at the place of their first occurrence.
[[nodiscard]] Outcome<std::vector<model::dotenv::Entry>> readEntries(const QString& path,
                                                                     model::dotenv::Dialect dialect);

} // namespace coffer::cli
