// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <vector>

/// Verifiers for the three chains. Each refuses at the first failed check and names it with the
/// position: BadSignature, SignerNotAuthorised, Gap, Fork, Regression, BrokenChain, WrongContext,
/// UnknownVersion, UnsignedTail.
namespace coffer::protocol {

/// A member as the roster says at some position.
struct RosterMember {
    MemberIdentity identity;
    MemberId id{};
    Role role = Role::Member;
    bool removed = false;
    std::uint64_t addedAt = 0;   ///< seq of the Add (or genesis)
    std::uint64_t changedAt = 0; ///< seq of the last event about them
};

/// A verified roster: the chain from genesis, the members with their role history.
/// Rules checked by apply(): version; team id; seq = head.seq + 1; previous = head hash; the signer is
/// a current admin (or owner) at the previous head and the signature verifies under their key; the
/// subject's identity self-signature verifies; Add only for someone not a current member; Remove and
/// RoleChange only for a current member, with the same keys; only an owner makes or unmakes an owner;
/// never zero owners left; the genesis adds its signer as Owner.
class RosterState {
public:
    [[nodiscard]] static Result<RosterState> fromGenesis(const RosterEvent& genesis);
    [[nodiscard]] Result<void> apply(const RosterEvent& event);

    [[nodiscard]] const TeamId& team() const noexcept { return m_team; }
    [[nodiscard]] Head head() const noexcept;
    /// The hash of the event at `seq`, if the chain has one.
    [[nodiscard]] std::optional<Hash> hashAt(std::uint64_t seq) const;
    /// The member's role right after event `seq` (nullopt: not a member then).
    [[nodiscard]] std::optional<Role> roleAt(const MemberId& member, std::uint64_t seq) const;
    [[nodiscard]] const RosterMember* member(const MemberId& id) const;
    [[nodiscard]] const RosterMember* memberBySignKey(const crypto::SignPublicKey& key) const;
    [[nodiscard]] std::vector<RosterMember> members() const; ///< current and removed, in order added

private:
    TeamId m_team{};
    std::vector<Hash> m_hashes; ///< index = seq
    std::map<MemberId, RosterMember> m_members;
    std::vector<MemberId> m_order;
    /// (member, seq from which, role or nullopt when removed)
    std::vector<std::tuple<MemberId, std::uint64_t, std::optional<Role>>> m_roleHistory;
};

/// Verifies a whole roster from its genesis; with `pinned`, also that the chain contains that head
/// (Fork when the hash at pinned.seq differs, Regression when the chain is shorter).
[[nodiscard]] Result<RosterState> verifyRoster(std::span<const RosterEvent> events,
                                               std::optional<Head> pinned = std::nullopt);

/// Verifies a grant against the roster: team, version, rosterHead = roster hash at rosterSeq, the
/// admin was an admin and the member a member at rosterSeq, sealed key size, admin's signature.
[[nodiscard]] Result<void> verifyGrant(const Grant& grant, const RosterState& roster);

/// Who may write an environment at an epoch, from verified grants.
using WriteCheck = std::function<bool(const MemberId& author, std::uint64_t epoch)>;

/// Verifies an environment log page by page, continuing from a pinned head.
/// Rules: version; team and environment; seq = previous seq + 1 (Gap); previous = hash of the record
/// before (BrokenChain; Fork when seq <= pinned); a batch is a run of records by one author ending in
/// a record with a batch signature, which must verify under the author's key over batchSignedBytes
/// (BadSignature); the author must be a roster member (not removed at the time is not knowable from
/// the log alone, so `canWrite` decides) with write access at the record's epoch (SignerNotAuthorised);
/// records after the last signature: UnsignedTail.
class LogVerifier {
public:
    LogVerifier(TeamId team, EnvironmentId environment, Head pinned, const RosterState& roster, WriteCheck canWrite);

    /// Verifies `records` (which must start at pinned.seq + 1) and advances the pinned head.
    [[nodiscard]] Result<Head> verify(std::span<const ChangeRecord> records);
    [[nodiscard]] Head head() const noexcept { return m_head; }

private:
    TeamId m_team;
    EnvironmentId m_environment;
    Head m_head;
    const RosterState& m_roster;
    WriteCheck m_canWrite;
};

} // namespace coffer::protocol
