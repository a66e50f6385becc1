// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"

#include <nlohmann/json.hpp>

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
[[nodiscard]] Result<std::vector<std::byte>> fromBase64url(std::string_view text, std::size_t maxSize);
template <std::size_t N> [[nodiscard]] Result<std::array<std::byte, N>> fixedFromHex(std::string_view text);
template <std::size_t N> [[nodiscard]] Result<std::array<std::byte, N>> fixedFromBase64url(std::string_view text);

/// Parses text to JSON without throwing; Malformed with the parser's position on failure.
/// `maxDepth` bounds nesting (a hostile body of 100k '[' must not exhaust the stack).
[[nodiscard]] Result<nlohmann::json> parseJson(std::string_view text, std::size_t maxDepth = 16);

} // namespace coffer::protocol
