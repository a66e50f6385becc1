// SPDX-License-Identifier: Apache-2.0
// TestStore cases for PostgreSQL only (built into TestStorePostgres).
#include "TestStore.h"

#include <thread>

void TestStore::postgresSchemeAlias() {
    QVERIFY(m_url.starts_with("postgresql://"));
    auto opened = openStore("postgres://" + m_url.substr(13));
    STORE_OK(opened);
    QVERIFY(makeTeam(**opened, team));
    auto seen = m_store->teamExists(team);
    STORE_OK(seen);
    QVERIFY(*seen);
}

void TestStore::unreachablePostgres_data() {
    QTest::addColumn<QString>("url");
    QTest::newRow("refused port") << QStringLiteral("postgresql://coffer@127.0.0.1:1/coffer?connect_timeout=5");
    QTest::newRow("no socket") << QStringLiteral("postgresql:///coffer?host=/nonexistent-coffer-socket-dir");
    // _data runs before init(): build from the fixture's URL, which has a query part (host=...).
    const std::string fixture = coffer::server::testing::postgresFixtureUrl();
    const auto query = fixture.find('?');
    QVERIFY(query != std::string::npos);
    QTest::newRow("unknown database") << QString::fromStdString(fixture.substr(0, query) + "_missing" +
                                                                fixture.substr(query));
}

void TestStore::unreachablePostgres() {
    QFETCH(QString, url);
    auto opened = openStore(url.toStdString());
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, StoreErrorCode::Unavailable);
    QVERIFY2(opened.error().detail.starts_with("cannot connect to PostgreSQL"), opened.error().detail.c_str());
}

void TestStore::concurrentMigrations() {
    // Several instances starting together on an empty database: each migration runs once.
    std::string error;
    const std::string url = m_backend.freshUrl(error);
    QVERIFY2(!url.empty(), error.c_str());
    constexpr int instances = 6;
    std::vector<StoreResult<std::unique_ptr<Store>>> results(instances);
    std::vector<std::thread> threads;
    for (int i = 0; i < instances; ++i) {
        threads.emplace_back([&results, &url, i] { results[static_cast<std::size_t>(i)] = openStore(url); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (const auto& result : results) {
        STORE_OK(result);
    }
    auto& database = *results.front();
    auto version = database->schemaVersion();
    STORE_OK(version);
    QCOMPARE(*version, latestVersion());
    QVERIFY2(m_backend.rawExec(url,
                               "DO $$ BEGIN IF (SELECT COUNT(*) FROM schema_version) <> " +
                                   std::to_string(latestVersion()) +
                                   " THEN RAISE EXCEPTION 'migrations applied more than once'; END IF; END $$",
                               error),
             error.c_str());
}
