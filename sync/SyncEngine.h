// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/SyncError.h"
#include "sync/Transport.h"
#include "sync/protocol/Types.h"

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace coffer::model {
class Vault;
class Store;
} // namespace coffer::model

namespace coffer::sync {

class TeamState;

/// The reserved change name of an environment's scope record, the first record of every shared log: its
/// value is JSON {"project": "...", "environment": "...", "protected": bool}, so a member who is granted
/// the environment learns its names (encrypted like any value; the server sees none). Secret names can
/// never start with '.', so it never collides with a secret.
inline constexpr const char* kScopeRecordName = ".coffer/scope";

struct SyncProgress {
    QString phase; ///< "roster", "grants", "pull", "push"
    QString scope; ///< "project/environment" or the team's name
    std::uint64_t done = 0;
    std::uint64_t total = 0; ///< 0 when unknown
};
using ProgressFn = std::function<void(const SyncProgress&)>;

/// What one environment's sync did.
struct EnvironmentSync {
    std::int64_t environmentId = 0;
    QString project;
    QString environment;
    std::size_t pulled = 0;       ///< records applied
    std::size_t pushed = 0;       ///< outbox changes acknowledged
    std::size_t newConflicts = 0; ///< conflicts detected in this run
    std::optional<Error> error;   ///< Offline leaves the outbox for later; Integrity stops this environment
};

struct SyncReport {
    std::vector<EnvironmentSync> environments;
    std::vector<Error> teamErrors; ///< roster or grant failures (Integrity stops that team)
    std::size_t openConflicts = 0;
    std::size_t pending = 0; ///< outbox rows left
    [[nodiscard]] bool ok() const;
    [[nodiscard]] bool offline() const; ///< every failure was Offline
};

struct ConflictInfo {
    enum class Kind { Edit, Delete };
    std::int64_t id = 0;
    std::int64_t environmentId = 0;
    std::int64_t secretId = 0;
    QString project;
    QString environment;
    QString name;
    Kind kind = Kind::Edit;
    int currentVersion = 0; ///< the version that is current (the later in log order; the edit for Delete)
    int otherVersion = 0;   ///< the other side's version in history (0 for a delete that was not applied)
    QString currentAuthor;
    QString otherAuthor;
    QDateTime detectedAt;
    bool resolved = false;
};

enum class Resolution { KeepCurrent, KeepOther, Edit };

/// The client's sync engine over an open vault. For each team: refresh the roster and grants (TeamState),
/// create local environments for newly granted ones (from their scope record), then for each shared
/// environment: pull from the pinned head, verify every page (LogVerifier: chain, batch signature, the
/// author's write grant at the record's epoch; then AEAD), apply in log order, then push the outbox by
/// compare-and-append (sealAndSignBatch on the pinned head; on 409 pull, rebase and retry, at most 5 times,
/// with backoff). Idempotent: an outbox row whose record id appears in a pulled record is acknowledged, never
/// pushed twice. Offline first: every local change lands in the outbox and waits.
///
/// Conflicts (the same rule on every client, decided from the log): a change whose base record is not the
/// newest record of that name before it in the log is concurrent. For Set, the later in log order is current
/// and both versions stay in history; for Delete against an edit, the edit is kept (the delete changes
/// nothing) and it is reported. A pulled change concurrent with a pending local one of the same name is
/// applied to history and the local one is re-applied on top (it will be later in the log once pushed).
///
/// Integrity: a page that fails any check applies nothing from that page; the environment's status records
/// the check (sync_environments.status), its bytes go to sync_evidence, and that environment's sync stops
/// (later calls return the same Integrity error) until clearIntegrityError().
class SyncEngine {
public:
    SyncEngine(model::Vault& vault, model::Store& store, TransportFactory transports = makeCurlTransport);
    ~SyncEngine();

    [[nodiscard]] Result<SyncReport> syncAll(const ProgressFn& progress = {});
    [[nodiscard]] Result<EnvironmentSync> syncEnvironment(std::int64_t environmentId, const ProgressFn& progress = {});

    /// Shares a local environment with a team: a fresh environment id, an epoch-1 key granted (write) to this
    /// member (an admin), the scope record and every live secret pushed as one batch. AlreadyExists-style
    /// NotAllowed when it is shared already; NotAllowed when this member is not an admin.
    [[nodiscard]] Result<void> shareEnvironment(TeamState& team, std::int64_t environmentId);

    [[nodiscard]] Result<std::vector<ConflictInfo>> conflicts(bool includeResolved = false);
    /// KeepCurrent marks it resolved; KeepOther writes the other version's content as a new version; Edit
    /// writes `value` as a new version. The new versions go to the outbox like any edit.
    [[nodiscard]] Result<void> resolveConflict(std::int64_t conflictId, Resolution resolution,
                                               std::span<const std::byte> value = {});

    /// A short hash of the team's roster head and this environment's log head, shown as groups of digits
    /// (crypto/Fingerprint style): two teammates who see the same one have the same roster and log.
    [[nodiscard]] Result<QString> environmentFingerprint(std::int64_t environmentId);
    /// The integrity failure that stopped this environment ("" when none).
    [[nodiscard]] Result<QString> integrityStatus(std::int64_t environmentId);
    /// Clears a stopped environment's status after the user looked at the evidence (sync retries from the
    /// pinned head; a server still serving tampered bytes stops it again).
    [[nodiscard]] Result<void> clearIntegrityError(std::int64_t environmentId);
    /// Outbox rows waiting (of one environment, or all).
    [[nodiscard]] Result<std::size_t> pendingChanges(std::optional<std::int64_t> environmentId = std::nullopt);

    [[nodiscard]] const TransportFactory& transports() const noexcept { return m_transports; }

private:
    model::Vault& m_vault;
    model::Store& m_store;
    TransportFactory m_transports;
};

} // namespace coffer::sync
