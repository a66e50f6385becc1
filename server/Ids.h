// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Responses.h"
#include "server/Store.h"
#include "sync/protocol/Types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// Ids in paths, queries and bodies, and the conversions between the store's hex rows and the wire types.
namespace coffer::server {

/// A lowercase hex id of exactly 32 bytes (team, member, key, hash); 400 naming `what` otherwise.
[[nodiscard]] Outcome<crypto::Hash256> hash256FromHex(std::string_view text, std::string_view what);
/// A lowercase hex environment id (16 bytes); 400 otherwise.
[[nodiscard]] Outcome<protocol::EnvironmentId> environmentFromHex(std::string_view text);
/// A lowercase hex Ed25519 public key; 400 otherwise.
[[nodiscard]] Outcome<crypto::SignPublicKey> signKeyFromHex(std::string_view text, std::string_view what);

/// A non-negative decimal query parameter (digits only, fits in uint64), `fallback` when absent; 400 otherwise.
[[nodiscard]] Outcome<std::uint64_t> unsignedParam(const std::optional<std::string>& value, std::string_view name,
                                                   std::uint64_t fallback);

/// The wire head of a stored chain head ("" hash: the empty log, all-zero hash). 500 on a corrupt row.
[[nodiscard]] Outcome<protocol::Head> toWireHead(const ChainHead& head);
/// The stored form of a wire head: an empty environment log ({0, zero}) has the hash "".
[[nodiscard]] ChainHead toChainHead(const protocol::Head& head);

[[nodiscard]] std::string_view roleName(protocol::Role role) noexcept;
[[nodiscard]] std::string_view accessName(protocol::Access access) noexcept;
/// "owner" or "admin".
[[nodiscard]] bool isAdminRole(std::string_view role) noexcept;

} // namespace coffer::server
