// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Store contract, on SQLite (TestStoreSqlite) and on a real PostgreSQL (TestStorePostgres): both
// executables build from the same sources (TestStore*.cpp) plus their backend's own cases; each test gets
// a fresh database.

#include "StoreTestBackend.h"

#include "server/StoreMigrations.h"

#include <QTest>

#include <string>
#include <vector>

using namespace coffer::server;
using coffer::server::testing::StoreTestBackend;

namespace store_test {

template <typename T> const char* why(const StoreResult<T>& result) {
    static thread_local std::string text;
    text = result ? std::string() : result.error().detail;
    return text.c_str();
}

/// Evaluates `expr` once and fails the test with the store's detail when it is an error.
#define STORE_OK(expr)                                                                                                 \
    do {                                                                                                               \
        const auto& storeResult_ = (expr);                                                                             \
        QVERIFY2(storeResult_.has_value(), store_test::why(storeResult_));                                             \
    } while (false)

inline std::string hex(char c) {
    return std::string(64, c);
}

inline int latestVersion() {
    return StoreTestBackend::postgres() ? postgresMigrations().back().version : sqliteMigrations().back().version;
}

inline const std::string team = hex('a');
inline const std::string ownerKey = hex('1');
inline const std::string ownerId = hex('e');

/// `count` records continuing seq `after`, the last one a batch end; ids "<tag>-<seq>".
inline std::vector<RecordRow> batch(std::uint64_t after, std::uint64_t count, const std::string& tag) {
    std::vector<RecordRow> rows;
    for (std::uint64_t i = 1; i <= count; ++i) {
        const std::uint64_t seq = after + i;
        RecordRow row;
        row.seq = seq;
        row.recordId = tag + "-" + std::to_string(seq);
        row.hash = "hash-" + tag + "-" + std::to_string(seq);
        row.authorId = ownerId;
        row.batchEnd = i == count;
        row.json = R"({"ciphertext":")" + tag + std::to_string(seq) + R"("})";
        rows.push_back(std::move(row));
    }
    return rows;
}

inline ChainHead headOf(const std::vector<RecordRow>& rows) {
    return {rows.back().seq, rows.back().hash};
}

} // namespace store_test

using namespace store_test;

class TestStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void migrateFresh();
    void migrateIdempotent();
    void refusesNewerSchema();
    void badUrl_data();
    void badUrl();

    void teamCodesAreSingleUse();
    void teamCodesExpire();
    void createTeam();
    void invites();
    void rosterCompareAndAppend();
    void grantsAndCurrentAccess();
    void recordsCompareAndAppend();
    void recordsRejectBadBatches();
    void largeBatches();
    void pagesEndOnBatchEnd_data();
    void pagesEndOnBatchEnd();
    void noncesRefuseReplay();
    void sessionsExpire();
    void accessLog();
    void singleUseUnderConcurrency();
    void concurrentAppends_data();
    void concurrentAppends();

#if COFFER_TEST_POSTGRES
    void postgresSchemeAlias();
    void unreachablePostgres_data();
    void unreachablePostgres();
    void concurrentMigrations();
    void lostRaceAnswersWithWinner();
    void reconnectsAfterLostConnections();
#else
    void sqliteFileIsOwnerOnly();
    void sqliteSingleInstanceLock();
    void sqliteNotADatabase();
    void sqliteMissingFolder();
    void sqliteReplayRefusedBeforeFlush();
    void sqliteReplayRefusedAfterReopen();
    void sqliteAccessLogWrittenBehind();
    void sqliteRemovalSeenWithCachesWarm();
    void sqliteSessionExpiresWithCacheWarm();
#endif

private:
    /// A second Store on the current test's database (PostgreSQL: another instance; SQLite: no lock).
    std::unique_ptr<Store> openAgain();
    [[nodiscard]] bool makeTeam(Store& store, const std::string& teamId);

    StoreTestBackend m_backend;
    std::string m_url;
    std::unique_ptr<Store> m_store;
};
