// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the vault tests: byte-level file surgery, plain-SQL rows, and running a probe
// without root's power to ignore file permissions.

#include "model/Database.h"
#include "model/ModelError.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>

namespace coffer::model::testing {

inline constexpr std::int64_t kPage = 4096;

/// A password literal as bytes.
[[nodiscard]] inline std::span<const std::byte> pw(std::string_view text) {
    return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

[[nodiscard]] QByteArray readFile(const QString& path);
void writeFile(const QString& path, const QByteArray& bytes);
/// XORs one byte of the file at `offset` with 0x01.
void flipByte(const QString& path, std::int64_t offset);
/// Overwrites one byte of the file.
void setByte(const QString& path, std::int64_t offset, unsigned char value);
/// The permission bits of a path (not following a link).
[[nodiscard]] int modeOf(const QString& path);

/// Inserts project `project`, environment `environment` and a secret `name` = `value` with plain SQL (the
/// tests of the vault file must not depend on Store). Returns the secret's id.
[[nodiscard]] Result<std::int64_t> insertSecret(Database& db, const QString& name, const QByteArray& value,
                                                const QString& project = QStringLiteral("demo"),
                                                const QString& environment = QStringLiteral("dev"));
/// The value of the live secret `name`, or a null QByteArray.
[[nodiscard]] QByteArray secretValue(Database& db, const QString& name);

/// Runs `probe` so that file permissions apply: directly when not root; as root, in a forked child that
/// dropped to uid/gid 65534 (nobody). Returns the probe's result, or -1 when privileges could not be dropped.
[[nodiscard]] int withoutRootPower(const std::function<int()>& probe);
/// Encodes a result for withoutRootPower(): 0 for success, 1 + the error code otherwise.
[[nodiscard]] int outcome(ErrorCode code);
template <typename T> [[nodiscard]] int outcome(const Result<T>& result) {
    return result ? 0 : outcome(result.error().code);
}

} // namespace coffer::model::testing
