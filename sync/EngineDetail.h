// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to coffer_sync: the pieces SyncEngine is made of, one file each (EnginePull, EngineApply,
// EnginePush, EngineShare, EngineDiscover, EngineConflicts). Not a public header.

#include "crypto/SecureBuffer.h"
#include "sync/ServerClient.h"
#include "sync/SyncEngine.h"
#include "sync/SyncError.h"
#include "sync/TeamState.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Types.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace coffer::model {
class Database;
}

namespace coffer::sync::detail {

inline constexpr std::size_t kPageRecords = 1000;
inline constexpr std::size_t kMaxBatchRecords = 1000;
/// Plaintext bytes per pushed batch: the server takes bodies up to 4 MiB and base64 adds a third.
inline constexpr std::size_t kMaxBatchBytes = 2 * 1024 * 1024;
inline constexpr int kMaxPushAttempts = 5;

/// A sync_environments row with the names of its local project and environment.
struct SharedEnv {
    std::int64_t environmentId = 0;
    protocol::TeamId team{};
    protocol::EnvironmentId id{};
    protocol::Head head;
    QString status;
    QString project;
    QString environment;
    [[nodiscard]] QString scope() const { return project + QLatin1Char('/') + environment; }
};

[[nodiscard]] Result<std::optional<SharedEnv>> loadShared(model::Database& db, std::int64_t environmentId);
[[nodiscard]] Result<std::vector<SharedEnv>> loadSharedOfTeam(model::Database& db, const protocol::TeamId& team);
[[nodiscard]] Result<bool> isKnownEnvironment(model::Database& db, const protocol::EnvironmentId& id);

/// Everything one environment's sync works with.
struct Context {
    model::Vault& vault;
    model::Store& store;
    TeamState& team;
    ServerClient& client;
    const ProgressFn& progress;
};

/// A pending outbox row; its value is a view into the Outbox's guarded buffer.
struct OutboxRow {
    std::int64_t id = 0;
    protocol::RecordId recordId{};
    protocol::ChangeOp op = protocol::ChangeOp::Set;
    QString name;
    std::span<const std::byte> value;
    QString note;
    protocol::RecordId baseRecord{};
    std::int64_t secretId = 0;
    std::int64_t version = 0;
};
/// Pending rows in order, with every value in one guarded buffer (one allocation, not one per row).
struct Outbox {
    crypto::SecureBuffer values;
    std::vector<OutboxRow> rows;
};
/// The first `limit` rows (0: all), cut short to stay under kMaxBatchBytes when limited.
[[nodiscard]] Result<Outbox> loadOutbox(model::Database& db, std::int64_t environmentId, std::size_t limit);

/// Stops an environment's sync: status set, bytes kept as evidence; returns the Integrity error.
[[nodiscard]] Error stopEnvironment(model::Database& db, SharedEnv& env, const protocol::Error& check,
                                    std::span<const std::byte> bytes);
/// The Integrity error an environment stopped with (from its status and evidence).
[[nodiscard]] Error storedIntegrityError(model::Database& db, const SharedEnv& env);

/// What applying pulled records did.
struct Applied {
    std::size_t applied = 0;      ///< records from others applied
    std::size_t acknowledged = 0; ///< own pending rows recognised in the log (a push whose reply was lost)
    std::size_t conflicts = 0;
};

/// Applies verified, opened records in log order inside the caller's transaction (the conflict rule of
/// SyncEngine.h), writes their sync_log rows and rebases pending local rows of the same names.
[[nodiscard]] Result<Applied> applyRecords(Context& ctx, const SharedEnv& env,
                                           std::span<const protocol::ChangeRecord> records,
                                           std::span<const protocol::ChangeView> changes);

/// Pulls, verifies and applies from the pinned head to the server's head (one transaction per page).
[[nodiscard]] Result<Applied> pullEnvironment(Context& ctx, SharedEnv& env);
/// Pushes the outbox (batches on the pinned head; 409: pull, rebase, retry with backoff).
[[nodiscard]] Result<std::size_t> pushEnvironment(Context& ctx, SharedEnv& env, Applied& rebased);

/// Creates local environments for granted ones this vault does not have, from their scope records.
[[nodiscard]] Result<void> discoverEnvironments(Context& ctx, std::vector<Error>& errors);

/// The JSON value of a scope record.
[[nodiscard]] crypto::SecureBuffer scopeValue(const QString& project, const QString& environment, bool isProtected);

/// A conflict row (detected now).
[[nodiscard]] Result<void> addConflict(model::Database& db, std::int64_t environmentId, std::int64_t secretId,
                                       const QString& name, ConflictInfo::Kind kind, std::int64_t currentVersion,
                                       std::int64_t otherVersion, const QString& currentAuthor,
                                       const QString& otherAuthor);

} // namespace coffer::sync::detail
