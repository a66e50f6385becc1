// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to coffer_sync (not installed, not included by other modules): small helpers the team state and
// the engine files share: blob conversions, statements with bound parameters, digit-group fingerprints and
// the evidence table.

#include "crypto/Keys.h"
#include "model/Database.h"
#include "sync/SyncError.h"
#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"

#include <QString>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace coffer::sync::detail {

[[nodiscard]] std::int64_t nowMs();

/// Exactly N bytes copied out of a blob; nullopt for another size (a damaged row).
template <std::size_t N>
[[nodiscard]] std::optional<std::array<std::byte, N>> fixedBlob(std::span<const std::byte> in) {
    if (in.size() != N)
        return std::nullopt;
    std::array<std::byte, N> out{};
    std::ranges::copy(in, out.begin());
    return out;
}

[[nodiscard]] inline std::span<const std::byte> bytesOf(std::string_view text) noexcept {
    return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

/// Binds one value to `q` at `index` (blobs for byte arrays and spans, text for QString).
inline void bindValue(model::Statement& q, int index, std::int64_t value) {
    q.bind(index, value);
}
inline void bindValue(model::Statement& q, int index, int value) {
    q.bind(index, value);
}
inline void bindValue(model::Statement& q, int index, std::uint64_t value) {
    q.bind(index, static_cast<std::int64_t>(value));
}
inline void bindValue(model::Statement& q, int index, const QString& value) {
    q.bind(index, value);
}
inline void bindValue(model::Statement& q, int index, std::span<const std::byte> value) {
    q.bindBlob(index, value);
}
template <std::size_t N> inline void bindValue(model::Statement& q, int index, const std::array<std::byte, N>& value) {
    q.bindBlob(index, value);
}
inline void bindValue(model::Statement& q, int index, const std::vector<std::byte>& value) {
    q.bindBlob(index, value);
}
inline void bindValue(model::Statement& q, int index, std::nullopt_t) {
    q.bindNull(index);
}

/// One statement with its parameters bound in order (?1, ?2, ...), run to completion.
template <typename... Args>
[[nodiscard]] Result<void> execute(model::Database& db, std::string_view sql, const Args&... args) {
    auto q = db.prepare(sql);
    if (!q)
        return fail(q.error());
    int index = 0;
    (bindValue(*q, ++index, args), ...);
    if (auto ok = q->run(); !ok)
        return fail(ok.error());
    return {};
}

/// Steps `q` to its end, calling `onRow(q)` for each row; an error from the step or from `onRow` ends it.
template <typename F> [[nodiscard]] Result<void> forEachRow(model::Statement& q, F&& onRow) {
    for (;;) {
        auto row = q.step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return {};
        if (Result<void> ok = onRow(q); !ok)
            return ok;
    }
}

/// A model result as a sync result.
template <typename T> [[nodiscard]] Result<T> lift(model::Result<T>&& result) {
    if (!result)
        return fail(result.error());
    if constexpr (std::is_void_v<T>)
        return {};
    else
        return std::move(*result);
}

/// Runs `body` (returning a sync Result) as one vault transaction: all of it or nothing.
template <typename F> [[nodiscard]] Result<void> transaction(model::Database& db, F&& body) {
    std::optional<Error> failure;
    auto done = db.transaction([&]() -> model::Result<void> {
        auto ok = body();
        if (!ok) {
            failure = std::move(ok.error());
            return model::fail(model::ErrorCode::Io, QStringLiteral("rolled back"));
        }
        return {};
    });
    if (failure)
        return std::unexpected(std::move(*failure));
    if (!done)
        return fail(done.error());
    return {};
}

/// Six groups of five decimal digits from a hash (the crypto::fingerprint presentation).
[[nodiscard]] QString digitGroups(const crypto::Hash256& hash);

/// Keeps the bytes that failed a check (sync_evidence), outside any transaction that is rolled back.
void recordEvidence(model::Database& db, const protocol::TeamId& team,
                    const std::optional<protocol::EnvironmentId>& environment, const protocol::Error& check,
                    const QString& message, std::span<const std::byte> bytes);

/// The protocol error a stored check name and position describe (for an integrity error read back).
[[nodiscard]] protocol::Error checkFromName(const QString& name, std::uint64_t position, const QString& detail);

} // namespace coffer::sync::detail
