// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <QString>

#include <expected>
#include <optional>
#include <span>
#include <vector>

namespace coffer::model::dotenv {

/// One NAME=value pair as read from or written to a file. The value is any bytes, kept in guarded memory.
struct Entry {
    QString name;
    crypto::SecureBuffer value;
    int line = 0; ///< 1-based line where the entry starts (0 when not read from a file)
};

/// Why a file could not be read: the line and a sentence that never echoes a value.
struct ParseError {
    int line = 0;
    QString message;
};

/// Why entries cannot be written in a dialect (a value the format cannot carry), naming the secret.
struct WriteError {
    QString name;
    QString message;
};

/// The file formats Coffer reads and writes.
enum class Dialect {
    Dotenv,  ///< Node dotenv v16 rules (the baseline; see docs/dotenv.md)
    Docker,  ///< docker --env-file: NAME=value, no quotes, no multiline
    Shell,   ///< POSIX `source`-safe: export NAME='...' with '\'' escapes; sourcing never runs code
    Systemd, ///< systemd EnvironmentFile
    Json,    ///< one JSON object of strings
    Yaml,    ///< a YAML mapping of strings
};

/// "dotenv", "docker", "shell", "systemd", "json", "yaml" (case-insensitive); nullopt otherwise.
[[nodiscard]] std::optional<Dialect> dialectFromName(const QString& name);
[[nodiscard]] QString dialectName(Dialect dialect);

/// Reads a file in `dialect`. Dotenv follows Node dotenv v16: `export` prefix; single, double and
/// backtick quotes; `\n` escapes only inside double quotes; multiline quoted values; `#` comments after
/// unquoted values; CRLF; a UTF-8 BOM. Values are taken literally (no `${VAR}` expansion). The last of
/// repeated names wins. ParseError with the line for an unterminated quote or an invalid name.
[[nodiscard]] std::expected<std::vector<Entry>, ParseError> read(Dialect dialect, std::span<const std::byte> text);

/// Writes entries in `dialect`, in the given order, such that read(dialect, write(...)) gives back every
/// name and value byte-exact. WriteError naming the first secret the dialect cannot carry.
[[nodiscard]] std::expected<crypto::SecureBuffer, WriteError> write(Dialect dialect, const std::vector<Entry>& entries);

/// Updates an existing dotenv file: each name in `entries` that the file defines gets the new value in
/// place, names the file lacks are appended, and every other line (foreign names, comments, blank lines)
/// is kept byte for byte. ParseError when `existing` cannot be read.
[[nodiscard]] std::expected<crypto::SecureBuffer, ParseError> merge(std::span<const std::byte> existing,
                                                                    const std::vector<Entry>& entries);

} // namespace coffer::model::dotenv
