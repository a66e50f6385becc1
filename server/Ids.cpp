// SPDX-License-Identifier: Apache-2.0
#include "server/Ids.h"

#include "crypto/Hash.h"

#include <algorithm>

namespace coffer::server {

namespace {

/// Lowercase hex of exactly N bytes. Only the canonical form is accepted, so one id has one spelling
/// in every store key.
template <std::size_t N> std::optional<std::array<std::byte, N>> canonicalHex(std::string_view text) {
    if (text.size() != 2 * N)
        return std::nullopt;
    if (!std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
        return std::nullopt;
    auto bytes = crypto::fromHex(text);
    if (!bytes || bytes->size() != N)
        return std::nullopt;
    std::array<std::byte, N> out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

} // namespace

Outcome<crypto::Hash256> hash256FromHex(std::string_view text, std::string_view what) {
    const auto bytes = canonicalHex<32>(text);
    if (!bytes)
        return refuse(400, std::string(what) + " must be 64 lowercase hex digits");
    return crypto::Hash256{*bytes};
}

Outcome<protocol::EnvironmentId> environmentFromHex(std::string_view text) {
    const auto bytes = canonicalHex<16>(text);
    if (!bytes)
        return refuse(400, "the environment id must be 32 lowercase hex digits");
    return *bytes;
}

Outcome<crypto::SignPublicKey> signKeyFromHex(std::string_view text, std::string_view what) {
    const auto bytes = canonicalHex<32>(text);
    if (!bytes)
        return refuse(400, std::string(what) + " must be 64 lowercase hex digits");
    return crypto::SignPublicKey{*bytes};
}

Outcome<std::uint64_t> unsignedParam(const std::optional<std::string>& value, std::string_view name,
                                     std::uint64_t fallback) {
    if (!value)
        return fallback;
    const std::string& text = *value;
    if (text.empty() || text.size() > 19 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return refuse(400, "query parameter \"" + std::string(name) + "\" must be a non-negative integer");
    return std::stoull(text);
}

Outcome<protocol::Head> toWireHead(const ChainHead& head) {
    protocol::Head wire;
    wire.seq = head.seq;
    if (head.hash.empty())
        return wire;
    const auto bytes = canonicalHex<32>(head.hash);
    if (!bytes)
        return refuse(500, "internal error");
    wire.hash = crypto::Hash256{*bytes};
    return wire;
}

ChainHead toChainHead(const protocol::Head& head) {
    ChainHead chain;
    chain.seq = head.seq;
    const bool zero =
        std::all_of(head.hash.bytes.begin(), head.hash.bytes.end(), [](std::byte b) { return b == std::byte{0}; });
    chain.hash = (head.seq == 0 && zero) ? std::string{} : crypto::toHex(head.hash.bytes);
    return chain;
}

std::string_view roleName(protocol::Role role) noexcept {
    switch (role) {
    case protocol::Role::Owner:
        return "owner";
    case protocol::Role::Admin:
        return "admin";
    case protocol::Role::Member:
        break;
    }
    return "member";
}

std::string_view accessName(protocol::Access access) noexcept {
    return access == protocol::Access::Write ? "write" : "read";
}

bool isAdminRole(std::string_view role) noexcept {
    return role == "owner" || role == "admin";
}

} // namespace coffer::server
