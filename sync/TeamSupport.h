// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to TeamService (sync/Team*.cpp): one team's verified state with a client for its server, and the
// helpers the lifecycle calls share. Not part of the contract.

#include "sync/ServerClient.h"
#include "sync/SyncError.h"
#include "sync/TeamService.h"
#include "sync/TeamState.h"
#include "sync/Transport.h"
#include "sync/protocol/Types.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coffer::model {
class Database;
class Store;
class Vault;
} // namespace coffer::model

namespace coffer::sync {
class SyncEngine;
}

namespace coffer::sync::detail {

/// Unix seconds now.
[[nodiscard]] std::int64_t nowSeconds();

/// crypto::fingerprint of an identity's keys, as text.
[[nodiscard]] QString fingerprintOf(const protocol::MemberIdentity& identity);
/// A fingerprint as typed: spaces (and other white space) removed, so "12345 67890" equals "1234567890".
[[nodiscard]] QString normalizedFingerprint(const QString& text);
[[nodiscard]] QString hexText(std::span<const std::byte> bytes);
/// Whether the identity's self-signature verifies and `id` is its member id.
[[nodiscard]] bool identityMatches(const protocol::MemberIdentity& identity, const protocol::MemberId& id);

/// An admin's (or skipped) comparison of a member's fingerprint on this vault (sync_confirmations).
struct Confirmation {
    QString displayName;
    bool verified = false;
    std::int64_t at = 0;
};
using Confirmations = std::map<protocol::MemberId, Confirmation>;
[[nodiscard]] Result<Confirmations> loadConfirmations(model::Database& db, const protocol::TeamId& team);
[[nodiscard]] Result<void> storeConfirmation(model::Database& db, const protocol::TeamId& team,
                                             const protocol::MemberId& member, const QString& displayName,
                                             bool verified);

/// Whether a member with `name` and `id` claims the name of a member confirmed on this vault with other keys
/// (and was not itself confirmed): such a member is blocked until confirmed.
[[nodiscard]] bool keysChanged(const Confirmations& confirmations, const protocol::MemberId& id, const QString& name);

/// The roster's members (current and removed) as MemberInfo, with this vault's confirmations.
[[nodiscard]] std::vector<MemberInfo> rosterMembers(const TeamState& state, const Confirmations& confirmations);

/// The team's shared environments in project and environment order.
[[nodiscard]] Result<std::vector<SharedEnvironment>> loadSharedEnvironments(model::Database& db,
                                                                            const protocol::TeamId& team);

/// One team's verified state and a signed client for its server, for the length of one TeamService call.
/// Heap-allocated and never moved: the client holds a reference to the identity's signing key in the state.
class TeamSession {
public:
    [[nodiscard]] static Result<std::unique_ptr<TeamSession>> open(model::Vault& vault, SyncEngine& engine,
                                                                   const protocol::TeamId& team);
    TeamSession(const TeamSession&) = delete;
    TeamSession& operator=(const TeamSession&) = delete;
    ~TeamSession();

    [[nodiscard]] TeamState& state() { return *m_state; }
    [[nodiscard]] const TeamState& state() const { return *m_state; }
    [[nodiscard]] ServerClient& client() { return *m_client; }

    /// Refreshes the roster (and with `grants`, the grants). With `allowOffline`, an Offline failure keeps
    /// the stored state; every other failure is returned (an Integrity failure has stopped the team).
    [[nodiscard]] Result<void> refresh(bool grants, bool allowOffline);
    /// NotAllowed "only an admin can <action>" unless this member is an admin at the verified head.
    [[nodiscard]] Result<void> requireAdmin(const QString& action) const;

    /// Signs an event of `kind` about `subject` on the current head, checks it against a copy of the verified
    /// roster (NotAllowed with the check when the roster would refuse it: last owner, only an owner, ...),
    /// appends it (409: refresh the roster and rebuild on the new head, at most 5 times) and refreshes the
    /// roster so the event is stored and pinned.
    [[nodiscard]] Result<void> appendEvent(protocol::RosterEventKind kind, const protocol::MemberIdentity& subject,
                                           protocol::Role role);

    /// A grant of `key` at `epoch` to `member` (sealed to its box key) signed by this admin at the verified head.
    [[nodiscard]] protocol::Grant makeGrant(const protocol::EnvironmentId& environment, std::uint64_t epoch,
                                            const protocol::MemberIdentity& member, protocol::Access access,
                                            const crypto::AeadKey& key) const;

private:
    TeamSession() = default;
    std::optional<TeamState> m_state;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<ServerClient> m_client;
};

/// Writes this member's access at each of the team's shared environments' current epoch ('write', 'read' or
/// 'none') into sync_environments.access, which the Store reads to refuse at once a local change this member could
/// never send. Called after every grant refresh, own grant and discovery; an environment with no known grant keeps
/// its value.
[[nodiscard]] Result<void> storeLocalAccess(model::Database& db, const TeamState& state);

/// The environments of `state` (by protocol id) shared locally with this team, by local id.
[[nodiscard]] Result<std::map<std::int64_t, protocol::EnvironmentId>> sharedIds(model::Database& db,
                                                                                const protocol::TeamId& team);

} // namespace coffer::sync::detail

namespace coffer::sync::detail {

/// What `member` could read in `environments`: every live secret (name, version), recorded in sync_rotations
/// as "to rotate"; the server's access log for the member summarised per environment; this device's audit
/// events about those secrets.
[[nodiscard]] Result<ExposureReport> exposureReport(model::Store& store, model::Database& db, ServerClient& client,
                                                    const protocol::TeamId& team, const protocol::MemberId& member,
                                                    const QString& memberName,
                                                    const std::vector<SharedEnvironment>& environments);

} // namespace coffer::sync::detail
