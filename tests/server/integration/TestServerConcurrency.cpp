// SPDX-License-Identifier: Apache-2.0
// Compare-and-append under contention: 8 clients append 500 records each to one environment, through
// two coffer-server instances on one PostgreSQL (one instance on SQLite). Each client retries on 409
// the way a real client does (move the batch onto the returned head, encrypt and sign again). At the
// end every record is stored exactly once, seqs are 1..4000, and the chain verifies. Before that, the
// state instances share through the database: nonces, sessions, heads, removals.
#include "ServerHarness.h"

#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/Verify.h"
#include "tests/server/client/ApiClient.h"
#include "tests/server/client/ProtocolBuilders.h"
#include "tests/server/client/TestTeam.h"

#include <QTest>

#include <atomic>
#include <map>
#include <set>
#include <thread>

using namespace coffer;
using namespace coffer::tests;

namespace {

constexpr std::size_t kClients = 8;
constexpr std::size_t kRecordsPerClient = 500;
constexpr std::size_t kBatch = 25;

/// What one client thread did.
struct ClientRun {
    std::vector<protocol::RecordId> ids;
    int conflicts = 0;
    std::string error;
};

} // namespace

class TestServerConcurrency : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stateIsSharedAcrossInstances() {
        // What one instance learns, the other knows at once: nonces, sessions, removals, heads.
        ServerHarness harness;
        QVERIFY2(harness.problem().empty(), harness.problem().c_str());
        COFFER_VERIFY_OK(harness.prepareTeamCodes(1));
        const std::size_t instanceCount = harness.postgres() ? 2 : 1;
        std::vector<std::unique_ptr<ServerProcess>> servers;
        std::vector<std::unique_ptr<ApiClient>> clients;
        for (std::size_t i = 0; i < instanceCount; ++i) {
            auto server = harness.startServer();
            COFFER_VERIFY_OK(server);
            clients.push_back(std::make_unique<ApiClient>((*server)->host(), (*server)->port()));
            servers.push_back(std::move(*server));
        }
        ApiClient& first = *clients.front();
        ApiClient& second = *clients.back();
        auto code = harness.teamCode();
        COFFER_VERIFY_OK(code);
        TestTeam team(first, TestMember::create("Owner"));
        COFFER_EXPECT_STATUS(team.create(*code), 201);
        TestMember member = TestMember::create("Roamer");
        COFFER_VERIFY_OK(team.addMember(first, member));
        const auto environment = randomEnvironment();
        const auto key = crypto::AeadKey::keygen();
        COFFER_EXPECT_STATUS(team.grant(member, environment, 1, protocol::Access::Write, key), 200);

        // A nonce used on the first instance is a replay on the second.
        const std::string path = team.path() + "/roster";
        const auto headers = ApiClient::sign("GET", path, "from=0", {}, Signer::device(member.sign));
        COFFER_EXPECT_STATUS(first.sendWithHeaders("GET", path, "from=0", {}, headers), 200);
        COFFER_EXPECT_STATUS(second.sendWithHeaders("GET", path, "from=0", {}, headers), 401);
        // A session opened on the first signs on the second.
        COFFER_EXPECT_STATUS(team.openSession(first, member), 200);
        COFFER_EXPECT_STATUS(second.get(path, "from=0", Signer::sessionKey(*member.session)), 200);
        // A push through the first moves the head the second compares with.
        const auto batch = makeBatch(team.id(), environment, 1, member, key, protocol::Head{}, 3);
        COFFER_EXPECT_STATUS(team.push(first, Signer::sessionKey(*member.session), environment, {}, batch), 200);
        const auto stale = makeBatch(team.id(), environment, 1, member, key, protocol::Head{}, 1);
        const auto refused = team.push(second, Signer::sessionKey(*member.session), environment, {}, stale);
        COFFER_EXPECT_STATUS(refused, 409);
        QCOMPARE(*protocol::headFromJson(refused.json().at("head")), headAfter(batch));
        // A removal through the first is refused by the second on the very next request.
        COFFER_EXPECT_STATUS(second.get(path, "from=0", Signer::device(member.sign)), 200);
        COFFER_EXPECT_STATUS(
            team.appendRoster(protocol::RosterEventKind::Remove, member.identity, protocol::Role::Member), 200);
        COFFER_EXPECT_STATUS(second.get(path, "from=0", Signer::device(member.sign)), 403);
        COFFER_EXPECT_STATUS(team.pull(second, Signer::sessionKey(*member.session), environment, 0, 10), 403);

        for (auto& client : clients) {
            client->disconnect();
        }
        for (auto& server : servers) {
            const auto stopped = server->stop();
            COFFER_VERIFY_OK(stopped);
            QCOMPARE(*stopped, 0);
        }
    }

    void eightClientsAppendConcurrently() {
        ServerHarness harness;
        QVERIFY2(harness.problem().empty(), harness.problem().c_str());
        // Two stateless instances on one PostgreSQL; SQLite is one process's file. Started one after
        // the other, so the second finds the schema migrated.
        const std::size_t instanceCount = harness.postgres() ? 2 : 1;
        COFFER_VERIFY_OK(harness.prepareTeamCodes(1));
        std::vector<std::unique_ptr<ServerProcess>> servers;
        std::vector<std::unique_ptr<ApiClient>> adminClients;
        for (std::size_t i = 0; i < instanceCount; ++i) {
            auto server = harness.startServer();
            COFFER_VERIFY_OK(server);
            adminClients.push_back(std::make_unique<ApiClient>((*server)->host(), (*server)->port()));
            servers.push_back(std::move(*server));
        }

        auto code = harness.teamCode();
        COFFER_VERIFY_OK(code);
        TestTeam team(*adminClients[0], TestMember::create("Owner"));
        COFFER_EXPECT_STATUS(team.create(*code), 201);
        const auto environment = randomEnvironment();
        const auto key = crypto::AeadKey::keygen();
        std::vector<TestMember> members;
        members.reserve(kClients);
        for (std::size_t i = 0; i < kClients; ++i) {
            members.push_back(TestMember::create("Client " + std::to_string(i)));
            auto& member = members.back();
            // Each member joins and opens its session through the instance it will push to.
            auto& client = *adminClients[i % instanceCount];
            COFFER_VERIFY_OK(team.addMember(client, member));
            COFFER_EXPECT_STATUS(team.grant(member, environment, 1, protocol::Access::Write, key), 200);
            COFFER_EXPECT_STATUS(team.openSession(client, member), 200);
        }

        std::vector<ClientRun> runs(kClients);
        std::vector<std::thread> threads;
        std::atomic<bool> go{false};
        for (std::size_t i = 0; i < kClients; ++i) {
            threads.emplace_back([&, i] {
                auto& run = runs[i];
                const auto& member = members[i];
                const auto& server = *servers[i % instanceCount];
                ApiClient client(server.host(), server.port());
                while (!go.load()) {
                    std::this_thread::yield();
                }
                protocol::Head head{};
                for (std::size_t sent = 0; sent < kRecordsPerClient; sent += kBatch) {
                    auto batch = makeBatch(team.id(), environment, 1, member, key, head, kBatch, 48,
                                           "CLIENT" + std::to_string(i));
                    auto pushed = team.pushRetrying(client, Signer::sessionKey(*member.session), environment, batch,
                                                    member, key, run.conflicts);
                    if (!pushed) {
                        run.error = "client " + std::to_string(i) + ": " + pushed.error();
                        return;
                    }
                    head = *pushed;
                    for (const auto& record : batch) {
                        run.ids.push_back(record.id);
                    }
                }
            });
        }
        go = true;
        for (auto& thread : threads) {
            thread.join();
        }
        int conflicts = 0;
        for (const auto& run : runs) {
            QVERIFY2(run.error.empty(), run.error.c_str());
            QCOMPARE(run.ids.size(), kRecordsPerClient);
            conflicts += run.conflicts;
        }
        qInfo("%zu instance(s): %d conflicts (409) retried", instanceCount, conflicts);

        // Read back through every instance: the same 4000 records.
        std::vector<protocol::ChangeRecord> records;
        for (std::size_t i = 0; i < instanceCount; ++i) {
            auto all = team.pullAll(*adminClients[i], Signer::device(members[i].sign), environment, 700);
            COFFER_VERIFY_OK(all);
            if (i == 0) {
                records = std::move(*all);
            } else {
                QVERIFY(*all == records);
            }
        }
        const std::size_t total = kClients * kRecordsPerClient;
        QCOMPARE(records.size(), total);
        std::set<protocol::RecordId> stored;
        std::map<protocol::MemberId, std::size_t> byAuthor;
        for (std::size_t i = 0; i < records.size(); ++i) {
            QCOMPARE(records[i].seq, std::uint64_t{i + 1});
            QVERIFY2(stored.insert(records[i].id).second, "a record id stored twice");
            ++byAuthor[records[i].author];
        }
        std::set<protocol::RecordId> sent;
        for (const auto& run : runs) {
            sent.insert(run.ids.begin(), run.ids.end());
        }
        QCOMPARE(sent.size(), total);
        QVERIFY(stored == sent);
        for (const auto& member : members) {
            QCOMPARE(byAuthor[member.id], kRecordsPerClient);
        }

        // The chain verifies from the empty head, every batch signed by a member with write access.
        const auto roster = protocol::verifyRoster(team.rosterEvents());
        QVERIFY(roster.has_value());
        std::set<protocol::MemberId> writers;
        for (const auto& member : members) {
            writers.insert(member.id);
        }
        protocol::LogVerifier verifier(team.id(), environment, protocol::Head{}, *roster,
                                       [&](const protocol::MemberId& author, std::uint64_t epoch) {
                                           return epoch == 1 && writers.contains(author);
                                       });
        const auto head = verifier.verify(records);
        QVERIFY2(head.has_value(), head ? "" : protocol::describe(head.error()).c_str());
        QCOMPARE(head->seq, std::uint64_t{total});
        QCOMPARE(*head, headAfter(records));

        for (auto& client : adminClients) {
            client->disconnect();
        }
        for (auto& server : servers) {
            const auto stopped = server->stop();
            COFFER_VERIFY_OK(stopped);
            QCOMPARE(*stopped, 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestServerConcurrency)
#include "TestServerConcurrency.moc"
