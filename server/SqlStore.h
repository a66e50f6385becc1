// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/SqlDatabase.h"
#include "server/Store.h"
#include "server/StoreCache.h"
#include "server/WriteBehind.h"

#include <chrono>
#include <condition_variable>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

/// The Store over any SqlDatabase: the same SQL and the same compare-and-append logic on SQLite and
/// PostgreSQL. Thread-safe: each call borrows a session for its duration. Internal to the store.
/// Access-log rows are written behind (WriteBehind, flushed every kFlushInterval, before readAccessLog and
/// on destruction). When the database has a single writer (SQLite with the instance lock), nonces are
/// decided in memory and written behind too, and members and current grants are cached (StoreCache);
/// sessions are cached on every backend.
namespace coffer::server {

class SqlStore final : public Store {
public:
    explicit SqlStore(std::unique_ptr<SqlDatabase> database);
    /// Stops the flusher and writes what it buffered (a failure there is lost with the process anyway).
    ~SqlStore() override;
    SqlStore(const SqlStore&) = delete;
    SqlStore& operator=(const SqlStore&) = delete;

    /// How long an access-log row (and on SQLite with the instance lock, a nonce) may wait in memory.
    static constexpr std::chrono::milliseconds kFlushInterval{150};

    StoreResult<void> migrate() override;
    StoreResult<int> schemaVersion() override;

    StoreResult<void> addTeamCode(std::string_view codeHash, std::int64_t expiresAt) override;
    StoreResult<bool> consumeTeamCode(std::string_view codeHash, std::int64_t now) override;

    StoreResult<bool> createTeam(std::string_view teamId, const RosterRow& genesis, const MemberRow& owner,
                                 std::int64_t now) override;
    StoreResult<bool> teamExists(std::string_view teamId) override;

    StoreResult<void> addInvite(std::string_view teamId, std::string_view codeHash, std::string_view createdBy,
                                std::int64_t expiresAt) override;
    StoreResult<bool> acceptInvite(std::string_view teamId, std::string_view codeHash,
                                   const InviteAcceptance& acceptance, std::int64_t now) override;
    StoreResult<std::vector<InviteAcceptance>> inviteAcceptances(std::string_view teamId) override;

    StoreResult<AppendOutcome> appendRoster(std::string_view teamId, const ChainHead& expected,
                                            const std::vector<RosterRow>& events,
                                            const std::vector<MemberRow>& members) override;
    StoreResult<std::vector<RosterRow>> readRoster(std::string_view teamId, std::uint64_t fromSeq) override;
    StoreResult<ChainHead> rosterHead(std::string_view teamId) override;
    StoreResult<std::optional<MemberRow>> memberBySignKey(std::string_view teamId, std::string_view signKey) override;

    StoreResult<void> putGrants(std::string_view teamId, const std::vector<GrantRow>& grants) override;
    StoreResult<std::vector<GrantRow>> grantsForMember(std::string_view teamId, std::string_view memberId) override;
    StoreResult<std::vector<GrantRow>> grantsForEnvironment(std::string_view teamId,
                                                            std::string_view environment) override;
    StoreResult<std::optional<CurrentAccess>> currentAccess(std::string_view teamId, std::string_view environment,
                                                            std::string_view memberId) override;

    StoreResult<AppendOutcome> appendRecords(std::string_view teamId, std::string_view environment,
                                             const ChainHead& expected, const std::vector<RecordRow>& records) override;
    StoreResult<std::vector<RecordRow>> readRecords(std::string_view teamId, std::string_view environment,
                                                    std::uint64_t afterSeq, std::size_t limit) override;
    StoreResult<ChainHead> environmentHead(std::string_view teamId, std::string_view environment) override;
    StoreResult<std::uint64_t> recordCount() override;

    StoreResult<bool> useNonce(std::string_view key, std::string_view nonce, std::int64_t time) override;
    StoreResult<void> pruneNonces(std::int64_t olderThan) override;

    StoreResult<void> putSession(std::string_view sessionKey, std::string_view deviceKey,
                                 std::int64_t expiresAt) override;
    StoreResult<std::optional<std::string>> sessionDeviceKey(std::string_view sessionKey, std::int64_t now) override;

    StoreResult<void> logAccess(std::string_view teamId, const AccessLogRow& row) override;
    StoreResult<std::vector<AccessLogRow>> readAccessLog(std::string_view teamId, std::int64_t since,
                                                         std::size_t limit) override;
    StoreResult<void> flush() override;

private:
    /// Runs `body(session)` inside one transaction; commits when it returns a value, rolls back otherwise.
    /// A serialization failure or deadlock (PostgreSQL) runs the whole body again, a few times.
    template <typename Body> auto transact(bool write, Body&& body) -> std::invoke_result_t<Body&, SqlSession&>;

    /// The head of a chain from "SELECT seq, hash ... ORDER BY seq DESC LIMIT 1" ({0, ""} without rows).
    static StoreResult<std::optional<ChainHead>> readHead(SqlSession& session, std::string_view sql,
                                                          std::initializer_list<SqlValue> params);
    static StoreResult<void> requireTeam(SqlSession& session, std::string_view teamId);

    /// After the first successful migration: on a single-writer database loads the nonces already stored;
    /// starts the flusher thread.
    StoreResult<void> startWriteBehind();
    void flushLoop(const std::stop_token& stop);
    /// True when `teamId` exists (cached once seen: teams are never deleted).
    StoreResult<bool> teamKnown(std::string_view teamId);

    std::unique_ptr<SqlDatabase> m_db;
    StoreCache m_cache;
    std::unique_ptr<WriteBehind> m_writeBehind; ///< set once, by migrate(), before the store is shared
    std::mutex m_flushMutex;                    ///< one flush at a time, so batches are written in order
    std::mutex m_wakeMutex;
    std::condition_variable_any m_wake;
    std::jthread m_flusher; ///< last: stopped and joined before the members above go
};

/// Helpers shared by the SqlStore sources.
namespace sql {

[[nodiscard]] inline std::span<const SqlValue> params(std::initializer_list<SqlValue> values) noexcept {
    return {values.begin(), values.size()};
}

/// A seq, epoch or count as the database's signed 64-bit integer; Invalid beyond it.
[[nodiscard]] StoreResult<std::int64_t> toDb(std::uint64_t value, std::string_view what);

/// Whether the stored head is the one the caller expects. An empty environment log is {0, ""}; the
/// all-zero hash the wire uses for it is accepted too.
[[nodiscard]] bool sameHead(const ChainHead& current, const ChainHead& expected) noexcept;

} // namespace sql

template <typename Body> auto SqlStore::transact(bool write, Body&& body) -> std::invoke_result_t<Body&, SqlSession&> {
    constexpr int attempts = 5;
    for (int attempt = 1;; ++attempt) {
        auto lease = m_db->session();
        if (!lease) {
            return std::unexpected(lease.error());
        }
        SqlSession& session = **lease;
        const bool lastAttempt = attempt == attempts;
        if (auto begun = session.begin(write); !begun) {
            if (session.lastFailure() == SqlFailure::Retryable && !lastAttempt) {
                continue;
            }
            return std::unexpected(begun.error());
        }
        auto result = body(session);
        if (!result) {
            const bool retry = session.lastFailure() == SqlFailure::Retryable && !lastAttempt;
            session.rollback();
            if (retry) {
                continue;
            }
            return result;
        }
        if (auto committed = session.commit(); !committed) {
            const bool retry = session.lastFailure() == SqlFailure::Retryable && !lastAttempt;
            session.rollback();
            if (retry) {
                continue;
            }
            return std::unexpected(committed.error());
        }
        return result;
    }
}

} // namespace coffer::server
