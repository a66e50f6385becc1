// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The server's storage, one interface over SQLite (the default) and PostgreSQL. It keeps only what
/// the API needs: ciphertext records and signed events as the JSON text the server re-serialised
/// after verifying them, plus indexed columns. Ids, hashes and keys are lowercase hex text.
/// Every write that must be atomic is one transaction inside the store; compare-and-append is
/// decided by the database (a unique (team, env, seq) key), so several server instances on one
/// PostgreSQL never interleave two appends onto one head.
namespace coffer::server {

enum class StoreErrorCode {
    Unavailable, ///< cannot connect, I/O error, database locked for too long
    Corrupt,     ///< the schema or a row is not what this version wrote
    Migration,   ///< a migration failed, or the database is newer than this server
    Invalid,     ///< a call that breaks the store's contract (a bug in the caller)
};

struct StoreError {
    StoreErrorCode code = StoreErrorCode::Unavailable;
    std::string detail; ///< for the operator's log; no secret ever reaches a store anyway
};

template <typename T> using StoreResult = std::expected<T, StoreError>;

struct ChainHead {
    std::uint64_t seq = 0;
    std::string hash; ///< hex; "" for an environment log that has no record yet
    bool operator==(const ChainHead&) const = default;
};

/// Outcome of a compare-and-append: appended, or the head that had moved (409 for the client).
struct AppendOutcome {
    bool appended = false;
    ChainHead head; ///< the head after the append, or the current one when not appended
};

struct MemberRow {
    std::string memberId;
    std::string signKey;
    std::string role; ///< "owner", "admin", "member"
    bool removed = false;
};

struct RosterRow {
    std::uint64_t seq = 0;
    std::string hash;
    std::string json; ///< the event as served
};

struct GrantRow {
    std::string environment;
    std::uint64_t epoch = 0;
    std::string memberId;
    std::string access; ///< "read", "write"
    std::string json;
};

struct RecordRow {
    std::uint64_t seq = 0;
    std::string recordId;
    std::string hash;
    std::string authorId;
    bool batchEnd = false; ///< carries a batch signature (pages end on one)
    std::string json;
};

struct InviteAcceptance {
    std::string memberId;
    std::string identityJson;
    std::int64_t acceptedAt = 0;
};

struct AccessLogRow {
    std::int64_t time = 0;
    std::string memberId;
    std::string environment;
    std::string action; ///< "read", "write"
};

struct CurrentAccess {
    std::uint64_t epoch = 0;
    std::string access; ///< "read", "write"
};

class Store {
public:
    virtual ~Store() = default;

    /// Brings the schema to this build's version (idempotent; refuses a newer schema).
    [[nodiscard]] virtual StoreResult<void> migrate() = 0;
    [[nodiscard]] virtual StoreResult<int> schemaVersion() = 0;

    // Operator codes that allow creating one team each (stored as hashes; single use; expiring).
    [[nodiscard]] virtual StoreResult<void> addTeamCode(std::string_view codeHash, std::int64_t expiresAt) = 0;
    /// True and consumed when the code exists, is unused and not expired at `now`.
    [[nodiscard]] virtual StoreResult<bool> consumeTeamCode(std::string_view codeHash, std::int64_t now) = 0;

    /// Creates the team with its genesis event and first member, in one transaction.
    /// False when the team already exists.
    [[nodiscard]] virtual StoreResult<bool> createTeam(std::string_view teamId, const RosterRow& genesis,
                                                       const MemberRow& owner, std::int64_t now) = 0;
    [[nodiscard]] virtual StoreResult<bool> teamExists(std::string_view teamId) = 0;

    // Invites: the code is stored hashed, single use, expiring.
    [[nodiscard]] virtual StoreResult<void> addInvite(std::string_view teamId, std::string_view codeHash,
                                                      std::string_view createdBy, std::int64_t expiresAt) = 0;
    /// Marks the invite used and records who accepted; false when unknown, used or expired.
    [[nodiscard]] virtual StoreResult<bool> acceptInvite(std::string_view teamId, std::string_view codeHash,
                                                         const InviteAcceptance& acceptance, std::int64_t now) = 0;
    [[nodiscard]] virtual StoreResult<std::vector<InviteAcceptance>> inviteAcceptances(std::string_view teamId) = 0;

    // Roster: compare-and-append on the head; the member rows are replaced in the same transaction.
    [[nodiscard]] virtual StoreResult<AppendOutcome> appendRoster(std::string_view teamId, const ChainHead& expected,
                                                                  const std::vector<RosterRow>& events,
                                                                  const std::vector<MemberRow>& members) = 0;
    [[nodiscard]] virtual StoreResult<std::vector<RosterRow>> readRoster(std::string_view teamId,
                                                                         std::uint64_t fromSeq) = 0;
    [[nodiscard]] virtual StoreResult<ChainHead> rosterHead(std::string_view teamId) = 0;
    [[nodiscard]] virtual StoreResult<std::optional<MemberRow>> memberBySignKey(std::string_view teamId,
                                                                                std::string_view signKey) = 0;

    // Grants. putGrants inserts or replaces (team, env, epoch, member) rows in one transaction.
    [[nodiscard]] virtual StoreResult<void> putGrants(std::string_view teamId, const std::vector<GrantRow>& grants) = 0;
    [[nodiscard]] virtual StoreResult<std::vector<GrantRow>> grantsForMember(std::string_view teamId,
                                                                             std::string_view memberId) = 0;
    [[nodiscard]] virtual StoreResult<std::vector<GrantRow>> grantsForEnvironment(std::string_view teamId,
                                                                                  std::string_view environment) = 0;
    /// The member's grant at the environment's current (highest) epoch; nullopt when none.
    [[nodiscard]] virtual StoreResult<std::optional<CurrentAccess>>
    currentAccess(std::string_view teamId, std::string_view environment, std::string_view memberId) = 0;

    // Environment logs: compare-and-append of a batch on (seq, hash).
    [[nodiscard]] virtual StoreResult<AppendOutcome> appendRecords(std::string_view teamId,
                                                                   std::string_view environment,
                                                                   const ChainHead& expected,
                                                                   const std::vector<RecordRow>& records) = 0;
    /// Records with seq > afterSeq, at most `limit`, extended to the end of a batch (batchEnd).
    [[nodiscard]] virtual StoreResult<std::vector<RecordRow>>
    readRecords(std::string_view teamId, std::string_view environment, std::uint64_t afterSeq, std::size_t limit) = 0;
    [[nodiscard]] virtual StoreResult<ChainHead> environmentHead(std::string_view teamId,
                                                                 std::string_view environment) = 0;
    [[nodiscard]] virtual StoreResult<std::uint64_t> recordCount() = 0;

    // Replay protection, shared by every instance on one database.
    /// True when the (key, nonce) pair was new and is now remembered; false for a replay.
    [[nodiscard]] virtual StoreResult<bool> useNonce(std::string_view key, std::string_view nonce,
                                                     std::int64_t time) = 0;
    [[nodiscard]] virtual StoreResult<void> pruneNonces(std::int64_t olderThan) = 0;

    // Sessions: a short-lived Ed25519 key registered by a device key.
    [[nodiscard]] virtual StoreResult<void> putSession(std::string_view sessionKey, std::string_view deviceKey,
                                                       std::int64_t expiresAt) = 0;
    /// The device key behind a session that has not expired at `now`.
    [[nodiscard]] virtual StoreResult<std::optional<std::string>> sessionDeviceKey(std::string_view sessionKey,
                                                                                   std::int64_t now) = 0;

    // The access log admins read.
    [[nodiscard]] virtual StoreResult<void> logAccess(std::string_view teamId, const AccessLogRow& row) = 0;
    [[nodiscard]] virtual StoreResult<std::vector<AccessLogRow>>
    readAccessLog(std::string_view teamId, std::int64_t since, std::size_t limit) = 0;

    /// Writes what the store buffers (added by the performance work): on SQLite with the instance lock,
    /// nonces and access-log rows are kept in memory and written behind every ~150 ms in one transaction,
    /// and on close. flush() writes them now. A no-op for a store that writes synchronously.
    [[nodiscard]] virtual StoreResult<void> flush() { return {}; }
};

/// Opens "sqlite:PATH" (file created 0600, WAL) or "postgresql://…" and migrates it.
/// For SQLite, the folder must exist; the file and its -wal/-shm are owner-only.
[[nodiscard]] StoreResult<std::unique_ptr<Store>> openStore(std::string_view databaseUrl);

/// How openStore opens a database (added by the storage work).
struct StoreOptions {
    /// SQLite: hold an exclusive lock on PATH.lock while the Store lives, so a second serving instance
    /// fails with Unavailable. A short command next to a running server (team-code) passes false.
    /// Ignored by PostgreSQL, where any number of instances share one database.
    bool instanceLock = true;
};

/// openStore with options. The Store is thread-safe: any thread may call any function.
/// Errors: Invalid (an unsupported URL or an empty path), Unavailable (cannot create, open, lock or
/// connect), Corrupt (not a coffer-server database), Migration (a failed migration, or a schema newer
/// than this build; the message names both versions).
[[nodiscard]] StoreResult<std::unique_ptr<Store>> openStore(std::string_view databaseUrl, const StoreOptions& options);

} // namespace coffer::server
