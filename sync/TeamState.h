// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SealedBox.h"
#include "crypto/Sign.h"
#include "sync/ServerClient.h"
#include "sync/SyncError.h"
#include "sync/Transport.h"
#include "sync/protocol/Types.h"
#include "sync/protocol/Verify.h"

#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace coffer::model {
class Database;
}

namespace coffer::sync {

/// This vault's member identity: made once (ensureIdentity), kept in sync_identity inside the vault.
struct LocalIdentity {
    crypto::SigningKeyPair sign;
    crypto::BoxKeyPair box;
    protocol::MemberIdentity identity; ///< self-signed
    protocol::MemberId id{};
};
/// NotFound when the vault has none yet.
[[nodiscard]] Result<LocalIdentity> loadIdentity(model::Database& db);
/// Loads the identity, or makes one (fresh keys, self-signed with `displayName`, 1..128 UTF-8 bytes).
[[nodiscard]] Result<LocalIdentity> ensureIdentity(model::Database& db, const QString& displayName);

/// A team as this vault stores it (sync_teams).
struct TeamRecord {
    protocol::TeamId team{};
    QString name;
    QString serverUrl;
    QString caFile;
    std::optional<protocol::MemberId> invitedBy; ///< the admin an invite named, until the roster confirmed it
    std::optional<protocol::Head> rosterHead;    ///< pinned; nullopt until the roster was first read
    QString status;                              ///< "" or the integrity failure that stopped this team
};
[[nodiscard]] Result<std::vector<TeamRecord>> loadTeams(model::Database& db);
[[nodiscard]] Result<TeamRecord> loadTeam(model::Database& db, const protocol::TeamId& team);
[[nodiscard]] Result<void> storeTeam(model::Database& db, const TeamRecord& team);

/// The team's fingerprint: six groups of five digits over BLAKE2b of a domain tag and the team id, for the
/// invitee to compare with what the inviting admin reads out. (Added by h/engine.)
[[nodiscard]] QString teamFingerprint(const protocol::TeamId& team);

/// The verified local view of one team: roster, grants and environment keys. Everything it holds passed the
/// protocol's verifiers before it was stored; refresh*() fetch what is new, verify it against what is
/// pinned, and store it only when it all verifies. A failed check is Integrity: nothing from that reply is
/// kept, the team's status records the check, and the offending bytes go to sync_evidence.
class TeamState {
public:
    /// Loads identity, team row, stored roster (re-verified from genesis), grants and keys.
    [[nodiscard]] static Result<TeamState> load(model::Database& db, const protocol::TeamId& team);

    /// Pulls roster events after the pinned head; verifies the whole chain against the pin (Fork,
    /// Regression, a bad signature, a signer who was not an admin, ...); stores and pins. On the first read
    /// after a join, the team id must equal the genesis hash and `invitedBy` must be an admin of the roster.
    [[nodiscard]] Result<void> refreshRoster(ServerClient& client);
    /// Pulls this member's grants and, for every environment it holds a grant of, every grant of that
    /// environment; each must pass verifyGrant against the roster and be for this team; this member's own
    /// sealed keys are opened into sync_keys (a key that does not open is Integrity).
    [[nodiscard]] Result<void> refreshGrants(ServerClient& client);

    [[nodiscard]] const TeamRecord& record() const noexcept { return m_record; }
    [[nodiscard]] const LocalIdentity& me() const noexcept { return m_me; }
    [[nodiscard]] const protocol::RosterState& roster() const { return *m_roster; }
    [[nodiscard]] bool hasRoster() const noexcept { return m_roster.has_value(); }
    /// This member's role now (nullopt: not, or no longer, a member).
    [[nodiscard]] std::optional<protocol::Role> myRole() const;
    /// A member's display name from the roster ("unknown member" when absent).
    [[nodiscard]] QString memberName(const protocol::MemberId& member) const;

    /// Environments this vault holds any grant or key of.
    [[nodiscard]] std::vector<protocol::EnvironmentId> environments() const;
    /// The highest epoch with any known grant of the environment (0: none).
    [[nodiscard]] std::uint64_t currentEpoch(const protocol::EnvironmentId& environment) const;
    /// `member`'s access at `epoch` from verified grants (nullopt: none).
    [[nodiscard]] std::optional<protocol::Access> access(const protocol::EnvironmentId& environment,
                                                         std::uint64_t epoch, const protocol::MemberId& member) const;
    /// Every verified grant of the environment (all epochs, all members this vault has seen).
    [[nodiscard]] std::vector<protocol::Grant> grants(const protocol::EnvironmentId& environment) const;
    /// The environment key of an epoch, when this member holds it.
    [[nodiscard]] const crypto::AeadKey* key(const protocol::EnvironmentId& environment, std::uint64_t epoch) const;
    /// Write access at the record's epoch from verified grants, for LogVerifier.
    [[nodiscard]] protocol::WriteCheck writeCheck(const protocol::EnvironmentId& environment) const;

    /// Adds grants this member made as an admin (already verified by construction) and, for its own, the
    /// key; stores both. Used by TeamService after a successful PUT.
    [[nodiscard]] Result<void> addOwnGrants(const std::vector<protocol::Grant>& grants,
                                            const std::vector<std::pair<std::uint64_t, crypto::AeadKey>>& ownKeys);

    /// The transport options for this team's server.
    [[nodiscard]] TransportOptions transportOptions() const;

private:
    TeamState(model::Database& db, TeamRecord record, LocalIdentity me);
    /// Stores verified grants and opened keys in one transaction, then into the maps.
    [[nodiscard]] Result<void> storeGrants(const std::vector<protocol::Grant>& grants,
                                           std::vector<std::pair<protocol::Grant, crypto::AeadKey>>& keys);
    model::Database* m_db = nullptr;
    TeamRecord m_record;
    LocalIdentity m_me;
    std::optional<protocol::RosterState> m_roster;
    std::map<std::pair<protocol::EnvironmentId, std::uint64_t>, std::vector<protocol::Grant>> m_grants;
    std::map<std::pair<protocol::EnvironmentId, std::uint64_t>, crypto::AeadKey> m_keys;
};

} // namespace coffer::sync
