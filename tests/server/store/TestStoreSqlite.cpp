// SPDX-License-Identifier: Apache-2.0
// TestStore cases for SQLite only (built into TestStoreSqlite).
#include "TestStore.h"

#include <QFile>

#include <sys/stat.h>

namespace {

mode_t modeOf(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 ? (info.st_mode & 07777) : mode_t(07777);
}

} // namespace

void TestStore::sqliteFileIsOwnerOnly() {
    // Even with a permissive umask, the database, its -wal/-shm and the lock file are owner-only.
    m_store.reset();
    const mode_t previous = ::umask(0);
    std::string error;
    const std::string url = m_backend.freshUrl(error);
    auto opened = openStore(url);
    ::umask(previous);
    STORE_OK(opened);
    QVERIFY(makeTeam(**opened, team)); // a write, so the WAL exists
    const std::string path = url.substr(7);
    for (const std::string& file : {path, path + "-wal", path + "-shm", path + ".lock"}) {
        QVERIFY2(modeOf(file) == 0600, (file + " mode " + std::to_string(modeOf(file))).c_str());
    }

    // A database left group-readable by hand is narrowed back when the server opens it.
    opened->reset();
    QCOMPARE(::chmod(path.c_str(), 0644), 0);
    auto again = openStore(url);
    STORE_OK(again);
    QCOMPARE(modeOf(path), mode_t(0600));
}

void TestStore::sqliteSingleInstanceLock() {
    auto second = openStore(m_url);
    QVERIFY(!second);
    QCOMPARE(second.error().code, StoreErrorCode::Unavailable);
    QVERIFY2(second.error().detail.find("in use") != std::string::npos, second.error().detail.c_str());

    // A short command next to the serving instance (team-code) opens without the lock.
    auto tool = openStore(m_url, StoreOptions{.instanceLock = false});
    STORE_OK(tool);
    STORE_OK((*tool)->addTeamCode(hex('c'), 2000));
    auto seen = m_store->consumeTeamCode(hex('c'), 1000);
    STORE_OK(seen);
    QVERIFY(*seen);

    // The lock goes with the instance.
    m_store.reset();
    auto next = openStore(m_url);
    STORE_OK(next);
    auto third = openStore(m_url);
    QVERIFY(!third);
}

void TestStore::sqliteNotADatabase() {
    const QString path = m_backend.folder() + QStringLiteral("/garbage.db");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(4096, 'x'));
    file.close();
    auto opened = openStore("sqlite:" + path.toStdString());
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, StoreErrorCode::Corrupt);
    QVERIFY2(opened.error().detail.find("not a coffer-server database") != std::string::npos,
             opened.error().detail.c_str());
}

void TestStore::sqliteMissingFolder() {
    const std::string path = m_backend.folder().toStdString() + "/no/such/folder/x.db";
    auto opened = openStore("sqlite:" + path, StoreOptions{.instanceLock = false});
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, StoreErrorCode::Unavailable);
    QVERIFY2(opened.error().detail.find(path) != std::string::npos, opened.error().detail.c_str());
    auto locked = openStore("sqlite:" + path);
    QVERIFY(!locked);
    QCOMPARE(locked.error().code, StoreErrorCode::Unavailable);
}

// Write-behind and caches: SQLite with the instance lock keeps nonces in memory (written every flush
// interval and on close) and caches members, grants and sessions; none of it may let a replay, a removed
// member or an expired session through.

void TestStore::sqliteReplayRefusedBeforeFlush() {
    auto fresh = m_store->useNonce(ownerKey, "nonce-1", 1000);
    STORE_OK(fresh);
    QVERIFY(*fresh);
    // Refused from memory, whether or not the flusher has written the nonce yet (within one flush
    // interval it has not).
    auto replay = m_store->useNonce(ownerKey, "nonce-1", 1001);
    STORE_OK(replay);
    QVERIFY(!*replay);
}

void TestStore::sqliteReplayRefusedAfterReopen() {
    STORE_OK(m_store->useNonce(ownerKey, "flushed", 1000));
    STORE_OK(m_store->flush());
    STORE_OK(m_store->useNonce(ownerKey, "closed", 1000)); // written by the close, not by a flush
    m_store.reset();

    auto reopened = openStore(m_url);
    STORE_OK(reopened);
    m_store = std::move(*reopened);
    for (const char* nonce : {"flushed", "closed"}) {
        auto replay = m_store->useNonce(ownerKey, nonce, 1001);
        STORE_OK(replay);
        QVERIFY2(!*replay, nonce);
    }
    auto fresh = m_store->useNonce(ownerKey, "new", 1001);
    STORE_OK(fresh);
    QVERIFY(*fresh);
    // Pruning forgets the loaded nonces too (outside the window they cannot be replayed anyway).
    STORE_OK(m_store->pruneNonces(1001));
    auto afterPrune = m_store->useNonce(ownerKey, "flushed", 5000);
    STORE_OK(afterPrune);
    QVERIFY(*afterPrune);
}

void TestStore::sqliteAccessLogWrittenBehind() {
    QVERIFY(makeTeam(*m_store, team));
    STORE_OK(m_store->logAccess(team, {100, hex('3'), hex('5'), "read"}));
    STORE_OK(m_store->logAccess(team, {101, hex('4'), hex('5'), "write"}));
    // The serving store's own reader sees the rows at once (it flushes first).
    auto seen = m_store->readAccessLog(team, 0, 10);
    STORE_OK(seen);
    QCOMPARE(seen->size(), 2U);

    // A row logged just before a clean close is in the database afterwards.
    STORE_OK(m_store->logAccess(team, {102, hex('3'), hex('6'), "read"}));
    m_store.reset();
    auto reopened = openStore(m_url);
    STORE_OK(reopened);
    m_store = std::move(*reopened);
    auto all = m_store->readAccessLog(team, 0, 10);
    STORE_OK(all);
    QCOMPARE(all->size(), 3U);
    QCOMPARE(all->at(0).time, 100);
    QCOMPARE(all->at(1).action, std::string("write"));
    QCOMPARE(all->at(2).environment, hex('6'));
}

void TestStore::sqliteRemovalSeenWithCachesWarm() {
    QVERIFY(makeTeam(*m_store, team));
    const std::string bobKey = hex('2');
    const std::string bobId = hex('3');
    const std::string env = hex('5');
    const MemberRow owner{ownerId, ownerKey, "owner", false};
    auto added = m_store->appendRoster(team, {0, "genesis-" + team}, {{1, "add-bob", "{}"}},
                                       {owner, {bobId, bobKey, "member", false}});
    STORE_OK(added);
    QVERIFY(added->appended);
    STORE_OK(m_store->putGrants(team, {{env, 1, bobId, "write", "g1"}}));
    for (int i = 0; i < 2; ++i) { // the second round is served from the caches
        auto bob = m_store->memberBySignKey(team, bobKey);
        STORE_OK(bob);
        QVERIFY(bob->has_value() && !(*bob)->removed);
        auto access = m_store->currentAccess(team, env, bobId);
        STORE_OK(access);
        QVERIFY(access->has_value());
    }

    // A new epoch without bob: his next look-up has no grant.
    STORE_OK(m_store->putGrants(team, {{env, 2, ownerId, "write", "g2"}}));
    auto access = m_store->currentAccess(team, env, bobId);
    STORE_OK(access);
    QVERIFY(!access->has_value());

    // Removed: his very next look-up says so.
    auto removed = m_store->appendRoster(team, {1, "add-bob"}, {{2, "remove-bob", "{}"}},
                                         {owner, {bobId, bobKey, "member", true}});
    STORE_OK(removed);
    QVERIFY(removed->appended);
    auto bob = m_store->memberBySignKey(team, bobKey);
    STORE_OK(bob);
    QVERIFY(bob->has_value());
    QVERIFY((*bob)->removed);
}

void TestStore::sqliteSessionExpiresWithCacheWarm() {
    const std::string session = hex('8');
    STORE_OK(m_store->putSession(session, ownerKey, 1600));
    for (int i = 0; i < 2; ++i) {
        auto device = m_store->sessionDeviceKey(session, 1599);
        STORE_OK(device);
        QCOMPARE(device->value_or(""), ownerKey);
    }
    auto expired = m_store->sessionDeviceKey(session, 1600);
    STORE_OK(expired);
    QVERIFY(!expired->has_value());
    // A renewal extends a session, never shortens it (a cache may keep it until the expiry it saw).
    STORE_OK(m_store->putSession(session, ownerKey, 1700));
    STORE_OK(m_store->putSession(session, ownerKey, 1650));
    auto renewed = m_store->sessionDeviceKey(session, 1680);
    STORE_OK(renewed);
    QCOMPARE(renewed->value_or(""), ownerKey);
}
