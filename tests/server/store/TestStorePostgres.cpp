// SPDX-License-Identifier: Apache-2.0
// TestStore cases for PostgreSQL only (built into TestStorePostgres).
#include "TestStore.h"

#include <libpq-fe.h>

#include <optional>
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

namespace {

/// A raw libpq connection for the test to act as another instance, outside the Store.
class RawConnection {
public:
    explicit RawConnection(const std::string& url)
        : m_conn(PQconnectdb(url.c_str())) {}
    ~RawConnection() { PQfinish(m_conn); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    [[nodiscard]] bool ok() const { return PQstatus(m_conn) == CONNECTION_OK; }
    /// Runs one statement with text parameters; the first cell of the result, or "" (error: "!" + message).
    std::string run(const std::string& sql, const std::vector<std::string>& params = {}) {
        std::vector<const char*> values;
        for (const auto& param : params) {
            values.push_back(param.c_str());
        }
        PGresult* result = PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                        nullptr, nullptr, 0);
        std::string out;
        const ExecStatusType status = PQresultStatus(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            out = std::string("!") + PQresultErrorMessage(result);
        } else if (PQntuples(result) > 0) {
            out = PQgetvalue(result, 0, 0);
        }
        PQclear(result);
        return out;
    }

private:
    PGconn* m_conn;
};

} // namespace

void TestStore::lostRaceAnswersWithWinner() {
    // Another instance has inserted seq 1 and not committed yet: the Store still reads the empty log as its
    // head, so the database, not the head check, must refuse it once the rival commits.
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    RawConnection rival(m_url);
    RawConnection observer(m_url);
    QVERIFY(rival.ok() && observer.ok());
    QCOMPARE(rival.run("BEGIN"), std::string());
    QCOMPARE(rival.run("INSERT INTO records (team_id, environment, seq, record_id, hash, author_id, batch_end, json) "
                       "VALUES ($1, $2, 1, 'rival-1', 'rival-hash', $3, true, '{}')",
                       {team, env, ownerId}),
             std::string());

    std::optional<StoreResult<AppendOutcome>> outcome;
    std::thread writer(
        [this, &env, &outcome] { outcome = m_store->appendRecords(team, env, ChainHead{}, batch(0, 2, "mine")); });
    struct JoinGuard {
        RawConnection& rival;
        std::thread& writer;
        ~JoinGuard() {
            (void)rival.run("COMMIT"); // a no-op after the test's own COMMIT
            if (writer.joinable()) {
                writer.join();
            }
        }
    } guard{rival, writer};

    // The Store's insert now waits on the rival's uncommitted (team, env, 1) key.
    QTRY_VERIFY_WITH_TIMEOUT(observer.run("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                                          "AND wait_event_type = 'Lock'") == "1",
                             60000);
    QCOMPARE(rival.run("COMMIT"), std::string());
    writer.join();
    QVERIFY(outcome.has_value());
    STORE_OK(*outcome);
    QVERIFY(!(*outcome)->appended);
    QCOMPARE((*outcome)->head, (ChainHead{1, "rival-hash"}));
    auto records = m_store->readRecords(team, env, 0, 10);
    STORE_OK(records);
    QCOMPARE(records->size(), 1U);
    QCOMPARE(records->front().recordId, std::string("rival-1"));
}

void TestStore::reconnectsAfterLostConnections() {
    // The server dropped every connection of the Store (a restart, a failover): the next calls reconnect.
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    auto appended = m_store->appendRecords(team, env, ChainHead{}, batch(0, 2, "before"));
    STORE_OK(appended);
    RawConnection admin(m_url);
    QVERIFY(admin.ok());
    const std::string killed = admin.run("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                         "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    QVERIFY2(killed != "0" && !killed.starts_with('!'), killed.c_str());
    auto exists = m_store->teamExists(team);
    STORE_OK(exists);
    QVERIFY(*exists);
    auto again = m_store->appendRecords(team, env, appended->head, batch(2, 2, "after"));
    STORE_OK(again);
    QVERIFY(again->appended);
}
