// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// The JSON transport of the wire types. Ids, hashes and public keys are lowercase hex; signatures,
/// nonces, sealed keys and ciphertext are base64url without padding. Decoders are strict: a missing
/// or extra field, a wrong type, a bad size or an unknown version is an error (Malformed,
/// UnknownVersion, LimitExceeded), never a default.
namespace coffer::protocol {

[[nodiscard]] nlohmann::json toJson(const Head& head);
[[nodiscard]] nlohmann::json toJson(const MemberIdentity& identity);
[[nodiscard]] nlohmann::json toJson(const RosterEvent& event);
[[nodiscard]] nlohmann::json toJson(const Grant& grant);
[[nodiscard]] nlohmann::json toJson(const ChangeRecord& record);

[[nodiscard]] Result<Head> headFromJson(const nlohmann::json& json);
[[nodiscard]] Result<MemberIdentity> identityFromJson(const nlohmann::json& json);
[[nodiscard]] Result<RosterEvent> rosterEventFromJson(const nlohmann::json& json);
[[nodiscard]] Result<Grant> grantFromJson(const nlohmann::json& json);
[[nodiscard]] Result<ChangeRecord> recordFromJson(const nlohmann::json& json);

// Field helpers, shared with the server's request bodies.
[[nodiscard]] std::string hex(std::span<const std::byte> bytes);
[[nodiscard]] std::string base64url(std::span<const std::byte> bytes);
/// Strict base64url without padding; Malformed for bad text, LimitExceeded beyond `maxSize` bytes.
[[nodiscard]] Result<std::vector<std::byte>> fromBase64url(std::string_view text, std::size_t maxSize);

namespace detail {
[[nodiscard]] constexpr int lowerHexDigit(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}
} // namespace detail

/// Exactly 2N lowercase hex digits; Malformed otherwise (upper case too: one spelling per value).
template <std::size_t N> [[nodiscard]] Result<std::array<std::byte, N>> fixedFromHex(std::string_view text) {
    if (text.size() != 2 * N)
        return fail(ErrorCode::Malformed, 0, "expected " + std::to_string(2 * N) + " hex digits");
    std::array<std::byte, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        const int high = detail::lowerHexDigit(text[2 * i]);
        const int low = detail::lowerHexDigit(text[2 * i + 1]);
        if (high < 0 || low < 0)
            return fail(ErrorCode::Malformed, 0, "not lowercase hex");
        out[i] = static_cast<std::byte>((high << 4) | low);
    }
    return out;
}

/// Exactly N bytes in strict base64url; Malformed for bad text or another size.
template <std::size_t N> [[nodiscard]] Result<std::array<std::byte, N>> fixedFromBase64url(std::string_view text) {
    auto raw = fromBase64url(text, N);
    if (!raw) {
        if (raw.error().code == ErrorCode::LimitExceeded)
            return fail(ErrorCode::Malformed, 0, "expected " + std::to_string(N) + " bytes");
        return std::unexpected(raw.error());
    }
    if (raw->size() != N)
        return fail(ErrorCode::Malformed, 0, "expected " + std::to_string(N) + " bytes");
    std::array<std::byte, N> out{};
    std::copy(raw->begin(), raw->end(), out.begin());
    return out;
}

/// Parses text to JSON without throwing; Malformed with the parser's position on failure.
/// `maxDepth` bounds nesting (a hostile body of 100k '[' must not exhaust the stack).
[[nodiscard]] Result<nlohmann::json> parseJson(std::string_view text, std::size_t maxDepth = 16);

} // namespace coffer::protocol
