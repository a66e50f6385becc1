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
