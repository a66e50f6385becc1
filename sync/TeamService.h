// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"
#include "sync/SyncEngine.h"
#include "sync/SyncError.h"
#include "sync/Transport.h"
#include "sync/protocol/Types.h"

#include <QDateTime>
#include <QString>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace coffer::sync {

struct TeamSummary {
    protocol::TeamId team{};
    QString name;
    QString serverUrl;
    QString fingerprint; ///< of the team id, groups of digits, to compare with the admin who invited you
    std::optional<protocol::Role> myRole;
    QString status; ///< "" or the integrity failure
};

struct MemberInfo {
    enum class Status {
        Active,      ///< in the roster
        Pending,     ///< accepted an invite; an admin must compare fingerprints and confirm (admins only see these)
        KeysChanged, ///< in the roster with keys other than the ones confirmed for that name: blocked until confirmed
        Removed,
    };
    protocol::MemberId id{};
    QString name;
    QString fingerprint; ///< crypto::fingerprint of the member's keys
    std::optional<protocol::Role> role;
    Status status = Status::Active;
    bool verified = false; ///< an admin of this vault compared the fingerprint (false: skipped, with a warning)
    bool isMe = false;
};

struct JoinResult {
    protocol::TeamId team{};
    QString teamFingerprint;  ///< compare with what the admin reads out
    QString adminFingerprint; ///< the inviting admin's, from the code
    QString myFingerprint;    ///< read this to the admin, who confirms it
};

/// What an invite code says, read without the vault or the network.
struct InviteCode {
    protocol::TeamId team{};
    QString teamName;
    QString serverUrl;
    QString teamFingerprint;  ///< teamFingerprint(team)
    QString adminFingerprint; ///< crypto::fingerprint of the inviting admin's keys, as their Team page shows it
};
/// Parses "coffer-invite-1:" + base64url(team id 32 ‖ admin sign key 32 ‖ admin box key 32 ‖ secret 24 ‖ u8 n ‖
/// team name n ‖ server URL). InvalidInput with what is wrong (empty, prefix, damaged, truncated, name, URL).
[[nodiscard]] Result<InviteCode> readInviteCode(const crypto::SecureBuffer& code);

struct SharedEnvironment {
    std::int64_t environmentId = 0;
    protocol::EnvironmentId id{};
    QString project;
    QString environment;
    bool isProtected = false;
};

/// Members × shared environments. A cell is the member's access at the environment's current epoch.
struct AccessMatrix {
    std::vector<MemberInfo> members;
    std::vector<SharedEnvironment> environments;
    /// access[m][e] for members[m], environments[e]
    std::vector<std::vector<std::optional<protocol::Access>>> access;
};

struct AccessChange {
    protocol::MemberId member{};
    std::int64_t environmentId = 0;
    std::optional<protocol::Access> access; ///< nullopt: revoke (a new epoch without the member)
};

struct ExposedSecret {
    std::int64_t environmentId = 0;
    std::int64_t secretId = 0;
    QString project;
    QString environment;
    QString name;
    int version = 0;
};

/// What a removed (or revoked) member could read, and what the records say they fetched.
struct ExposureReport {
    protocol::MemberId member{};
    QString memberName;
    std::vector<ExposedSecret> secrets; ///< every live secret of every environment they could read, name order
    /// The server's access log for the member: "project/environment: N pulls, last at TIME" lines (empty when
    /// the log could not be read; then `accessLogError` says why).
    QStringList serverAccess;
    QString accessLogError;
    /// Local audit events about those secrets (reveal, copy, export, ...) by anyone on this device.
    QStringList localAudit;
};

struct RotationItem {
    std::int64_t id = 0;
    std::int64_t environmentId = 0;
    std::int64_t secretId = 0;
    QString project;
    QString environment;
    QString name;
    int version = 0; ///< the version the removed member could read
    QString memberName;
    QDateTime since;
    bool rotated = false; ///< the secret has a newer version (or was deleted)
};

/// The team lifecycle: create, share, invite, join, confirm, grant, revoke, remove, rotate. Every admin
/// action refreshes the roster and grants first and is refused locally (NotAllowed) when this member is
/// not an admin at the current head; the server checks again. Nothing here trusts the server: grants are
/// signed at the verified roster head, new members are added only after their fingerprint was confirmed
/// (or the skip was chosen, which is recorded and warned about).
class TeamService {
public:
    TeamService(model::Vault& vault, model::Store& store, SyncEngine& engine);

    /// Creates the team (genesis signed by this vault's identity, made on first use with `displayName`) with the
    /// operator's team code, and stores it. Then shareProject() shares projects with it.
    [[nodiscard]] Result<TeamSummary> createTeam(const QString& serverUrl, const QString& teamName,
                                                 const QString& displayName, const crypto::SecureBuffer& teamCode,
                                                 const QString& caFile = {});
    [[nodiscard]] Result<std::vector<TeamSummary>> teams();
    /// The one team, or the one whose name or id-hex prefix is `nameOrId`; NotFound or InvalidInput (ambiguous).
    [[nodiscard]] Result<TeamSummary> findTeam(const QString& nameOrId = {});

    /// Shares every environment of the project (SyncEngine::shareEnvironment for each not yet shared).
    [[nodiscard]] Result<std::vector<SharedEnvironment>> shareProject(const protocol::TeamId& team,
                                                                      std::int64_t projectId);
    [[nodiscard]] Result<std::vector<SharedEnvironment>> sharedEnvironments(const protocol::TeamId& team);

    /// An invite code (readInviteCode() has the layout: the team, this admin's public keys, 24 random bytes, the
    /// team's name and the server URL). Only the hash of the random part reaches the server. The code is a secret
    /// until used.
    [[nodiscard]] Result<crypto::SecureBuffer> invite(const protocol::TeamId& team,
                                                      std::chrono::seconds validity = std::chrono::hours(24));
    /// Accepts an invite with this vault's identity and stores the team; the roster becomes readable once an
    /// admin confirms, and the first read then checks the team id and the inviting admin (Integrity otherwise).
    [[nodiscard]] Result<JoinResult> join(const crypto::SecureBuffer& inviteCode, const QString& displayName,
                                          const QString& caFile = {});

    /// Roster members, and for admins the pending acceptances. Refreshes the roster first (offline: the
    /// stored roster).
    [[nodiscard]] Result<std::vector<MemberInfo>> members(const protocol::TeamId& team);
    /// Adds a pending member (an Add event signed by this admin) with `role`. `typedFingerprint` must equal
    /// the member's fingerprint (spaces ignored): InvalidInput otherwise. With `skipVerification`, no
    /// fingerprint is needed and the confirmation is recorded as unverified.
    [[nodiscard]] Result<MemberInfo> confirm(const protocol::TeamId& team, const protocol::MemberId& member,
                                             protocol::Role role, const QString& typedFingerprint,
                                             bool skipVerification = false);
    /// Finds a member by display name or fingerprint/id prefix: NotFound, InvalidInput when ambiguous.
    [[nodiscard]] Result<MemberInfo> findMember(const protocol::TeamId& team, const QString& nameOrFingerprint);
    /// A RoleChange event. NotAllowed when it would leave no owner/admin, or the caller may not.
    [[nodiscard]] Result<void> setRole(const protocol::TeamId& team, const protocol::MemberId& member,
                                       protocol::Role role);

    [[nodiscard]] Result<AccessMatrix> accessMatrix(const protocol::TeamId& team);
    /// Applies grants and revocations as one signed batch (one PUT). A grant to a member with no key change
    /// reuses the current epoch's key (and grants the older epochs read, so history opens); a revocation makes
    /// a new epoch for that environment sealed to everyone who keeps access, and lists the revoked member's
    /// readable secrets in the rotation list. Refused for a member who is not active and confirmed.
    /// Returns one exposure report per revoked (member, environment) pair, merged per member.
    [[nodiscard]] Result<std::vector<ExposureReport>> applyAccess(const protocol::TeamId& team,
                                                                  const std::vector<AccessChange>& changes);
    /// Removes a member from the team: a Remove event, then a new epoch for every environment they could read,
    /// sealed to everyone who remains; the exposure report; the rotation list entries.
    [[nodiscard]] Result<ExposureReport> removeMember(const protocol::TeamId& team, const protocol::MemberId& member);

    /// Secrets to rotate after removals; with `includeDone`, the rotated ones too. Rotated = the secret got a
    /// newer version than the one listed (rotated_at is set on read).
    [[nodiscard]] Result<std::vector<RotationItem>> rotationList(bool includeDone = false);

private:
    model::Vault& m_vault;
    model::Store& m_store;
    SyncEngine& m_engine;
};

} // namespace coffer::sync
