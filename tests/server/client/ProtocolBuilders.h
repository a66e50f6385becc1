// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "sync/protocol/Types.h"
#include "tests/server/client/TestMember.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/// Signed protocol objects built the way a real client builds them (sync/protocol/Canonical.h).
namespace coffer::tests {

/// The genesis event of a new team, signed by its creator (who becomes its owner).
[[nodiscard]] protocol::RosterEvent makeGenesis(const TestMember& owner);

/// An Add, Remove or RoleChange of `subject` on top of `previous`, signed by `signer`.
[[nodiscard]] protocol::RosterEvent makeRosterEvent(const protocol::TeamId& team, const protocol::Head& previous,
                                                    protocol::RosterEventKind kind,
                                                    const protocol::MemberIdentity& subject, protocol::Role role,
                                                    const TestMember& signer);

/// The head a roster has once `event` is its last entry.
[[nodiscard]] protocol::Head headOf(const protocol::RosterEvent& event);

/// A fresh random environment id.
[[nodiscard]] protocol::EnvironmentId randomEnvironment();

/// The environment key sealed to `member`, signed by `admin` at `rosterHead`.
[[nodiscard]] protocol::Grant makeGrant(const protocol::TeamId& team, const protocol::EnvironmentId& environment,
                                        std::uint64_t epoch, const TestMember& member, protocol::Access access,
                                        const crypto::AeadKey& environmentKey, const protocol::Head& rosterHead,
                                        const TestMember& admin);

/// `count` encrypted Set changes (names `namePrefix`_i, values of `valueBytes` random bytes) by
/// `author`, chained onto `head` and batch-signed.
[[nodiscard]] std::vector<protocol::ChangeRecord>
makeBatch(const protocol::TeamId& team, const protocol::EnvironmentId& environment, std::uint64_t epoch,
          const TestMember& author, const crypto::AeadKey& environmentKey, const protocol::Head& head,
          std::size_t count, std::size_t valueBytes = 32, std::string_view namePrefix = "KEY");

/// Moves a batch onto another head, as a client does after a 409: the same record ids and changes,
/// decrypted, chained again (seq, previous), encrypted again (the previous hash is associated data)
/// and signed again. False when a record does not decrypt under `environmentKey`.
[[nodiscard]] bool rechain(std::span<protocol::ChangeRecord> records, const protocol::Head& head,
                           const TestMember& author, const crypto::AeadKey& environmentKey);

/// The head after the last record of a non-empty batch.
[[nodiscard]] protocol::Head headAfter(std::span<const protocol::ChangeRecord> records);

/// A JSON array of the records (protocol::toJson each).
[[nodiscard]] nlohmann::json recordsJson(std::span<const protocol::ChangeRecord> records);

/// Lowercase hex of bytes, and of any fixed-size id.
[[nodiscard]] std::string hexOf(std::span<const std::byte> bytes);
template <std::size_t N> [[nodiscard]] std::string hexOf(const std::array<std::byte, N>& bytes) {
    return hexOf(std::span<const std::byte>(bytes));
}

/// BLAKE2b-256 of an invite code, as hex (what POST …/invites carries).
[[nodiscard]] std::string inviteCodeHash(std::string_view code);

} // namespace coffer::tests
