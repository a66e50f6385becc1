// SPDX-License-Identifier: Apache-2.0
// Every endpoint's success path through a real coffer-server process (SQLite or PostgreSQL, see
// ServerHarness): team creation with an operator code, invites, the roster, sessions, grants, push and
// pull with pagination, the access log, /healthz and /metrics.
#include "ServerHarness.h"

#include "crypto/SealedBox.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"
#include "sync/protocol/Verify.h"
#include "tests/server/client/ApiClient.h"
#include "tests/server/client/ProtocolBuilders.h"
#include "tests/server/client/TestTeam.h"

#include <QTest>

#include <optional>

using namespace coffer;
using namespace coffer::tests;
using protocol::Access;
using protocol::Role;

class TestServerEndpoints : public QObject {
    Q_OBJECT

private:
    ServerHarness m_harness;
    std::unique_ptr<ServerProcess> m_server;
    std::unique_ptr<ApiClient> m_client;
    std::vector<std::string> m_codesUsed; ///< every code and invite code: none may reach the log

    /// A new team with its owner on the shared server.
    std::unique_ptr<TestTeam> newTeam(const std::string& ownerName) {
        auto code = m_harness.teamCode();
        if (!code) {
            qWarning("team-code: %s", code.error().c_str());
            return nullptr;
        }
        m_codesUsed.push_back(*code);
        auto team = std::make_unique<TestTeam>(*m_client, TestMember::create(ownerName));
        const auto created = team->create(*code);
        if (created.status != 201) {
            qWarning("create team: %s", created.describe().c_str());
            return nullptr;
        }
        return team;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_harness.problem().empty(), m_harness.problem().c_str());
        COFFER_VERIFY_OK(m_harness.prepareTeamCodes(10));
        auto server = m_harness.startServer();
        COFFER_VERIFY_OK(server);
        m_server = std::move(*server);
        QCOMPARE(m_server->host(), std::string("127.0.0.1"));
        m_client = std::make_unique<ApiClient>(m_server->host(), m_server->port());
    }

    void healthzAnswersOk() {
        const auto response = m_client->get("/healthz", {}, Signer::none());
        COFFER_EXPECT_STATUS(response, 200);
        QVERIFY2(response.json() == nlohmann::json({{"status", "ok"}}), response.body.c_str());
    }

    void createTeamWithAnOperatorCode() {
        auto code = m_harness.teamCode();
        COFFER_VERIFY_OK(code);
        m_codesUsed.push_back(*code);
        const auto owner = TestMember::create("Ada");
        const auto genesis = makeGenesis(owner);
        const nlohmann::json body{{"code", *code}, {"genesis", protocol::toJson(genesis)}};
        const auto created = m_client->post("/v1/teams", body, Signer::device(owner.sign));
        COFFER_EXPECT_STATUS(created, 201);
        const auto json = created.json();
        QCOMPARE(json.at("team").get<std::string>(), hexOf(protocol::teamIdOf(genesis).bytes));
        const auto head = protocol::headFromJson(json.at("head"));
        QVERIFY(head.has_value());
        QCOMPARE(head->seq, std::uint64_t{0});
        QVERIFY(head->hash == protocol::rosterEventHash(genesis));

        // The code is single use: another genesis with it is refused.
        const auto other = TestMember::create("Bob");
        const nlohmann::json again{{"code", *code}, {"genesis", protocol::toJson(makeGenesis(other))}};
        COFFER_EXPECT_STATUS(m_client->post("/v1/teams", again, Signer::device(other.sign)), 403);
        // The same genesis with a fresh code: the team exists (409).
        auto second = m_harness.teamCode();
        COFFER_VERIFY_OK(second);
        m_codesUsed.push_back(*second);
        const nlohmann::json duplicate{{"code", *second}, {"genesis", protocol::toJson(genesis)}};
        COFFER_EXPECT_STATUS(m_client->post("/v1/teams", duplicate, Signer::device(owner.sign)), 409);

        // The owner reads the roster back: one genesis event.
        const auto roster = m_client->get("/v1/teams/" + json.at("team").get<std::string>() + "/roster", "from=0",
                                          Signer::device(owner.sign));
        COFFER_EXPECT_STATUS(roster, 200);
        QCOMPARE(roster.json().at("events").size(), std::size_t{1});
        const auto event = protocol::rosterEventFromJson(roster.json().at("events").at(0));
        QVERIFY(event.has_value());
        QVERIFY(*event == genesis);
    }

    void teamCodeWhileServing() {
        // The operator makes a code beside the running server (on SQLite too), and it works at once.
        auto code = m_harness.freshTeamCode();
        COFFER_VERIFY_OK(code);
        m_codesUsed.push_back(*code);
        QVERIFY2(code->size() >= 16, std::to_string(code->size()).c_str()); // never the code itself
        TestTeam team(*m_client, TestMember::create("Late"));
        COFFER_EXPECT_STATUS(team.create(*code), 201);
    }

    void inviteAcceptAndAddToTheRoster() {
        auto team = newTeam("Owner");
        QVERIFY(team);
        const auto member = TestMember::create("Grace");
        const std::string code = "invite-code-for-grace";
        m_codesUsed.push_back(code);
        const auto invited = team->invite(code);
        COFFER_EXPECT_STATUS(invited, 201);

        ApiClient memberClient(m_server->host(), m_server->port());
        const auto accepted = team->acceptInvite(memberClient, member, code);
        COFFER_EXPECT_STATUS(accepted, 200);
        QCOMPARE(accepted.json().at("member").get<std::string>(), member.idHex());
        // Single use.
        COFFER_EXPECT_STATUS(team->acceptInvite(memberClient, TestMember::create("Eve"), code), 403);

        // The admin sees who accepted, with the identity to put in the roster.
        const auto list = m_client->get(team->path() + "/invites/accepted", {}, team->ownerSigner());
        COFFER_EXPECT_STATUS(list, 200);
        const auto acceptances = list.json().at("acceptances");
        QCOMPARE(acceptances.size(), std::size_t{1});
        QCOMPARE(acceptances.at(0).at("member").get<std::string>(), member.idHex());
        const auto identity = protocol::identityFromJson(acceptances.at(0).at("identity"));
        QVERIFY(identity.has_value());
        QVERIFY(*identity == member.identity);
        QVERIFY(acceptances.at(0).at("acceptedAt").is_number_integer());

        const auto added = team->appendRoster(protocol::RosterEventKind::Add, *identity, Role::Member);
        COFFER_EXPECT_STATUS(added, 200);
        const auto head = protocol::headFromJson(added.json().at("head"));
        QVERIFY(head.has_value());
        QVERIFY(*head == team->rosterHead());

        // The new member reads the roster, which verifies from its genesis to the head.
        const auto roster = memberClient.get(team->path() + "/roster", "from=0", Signer::device(member.sign));
        COFFER_EXPECT_STATUS(roster, 200);
        std::vector<protocol::RosterEvent> events;
        const auto rosterJson = roster.json(); // kept: a range-for over a temporary's member would dangle
        for (const auto& item : rosterJson.at("events")) {
            auto event = protocol::rosterEventFromJson(item);
            QVERIFY(event.has_value());
            events.push_back(std::move(*event));
        }
        QCOMPARE(events.size(), std::size_t{2});
        const auto state = protocol::verifyRoster(events, team->rosterHead());
        QVERIFY2(state.has_value(), state ? "" : protocol::describe(state.error()).c_str());
        QVERIFY(state->member(member.id) != nullptr);
        QCOMPARE(*protocol::headFromJson(roster.json().at("head")), team->rosterHead());
        // from=1 gives only the Add.
        const auto tail = memberClient.get(team->path() + "/roster", "from=1", Signer::device(member.sign));
        COFFER_EXPECT_STATUS(tail, 200);
        QCOMPARE(tail.json().at("events").size(), std::size_t{1});
    }

    void sessionKeysSignRequests() {
        auto team = newTeam("Owner");
        QVERIFY(team);
        TestMember member = TestMember::create("Linus");
        ApiClient memberClient(m_server->host(), m_server->port());
        COFFER_VERIFY_OK(team->addMember(memberClient, member));

        // The expiry is capped at now + 600 s.
        auto key = crypto::SigningKeyPair::keygen();
        const auto before = unixNow();
        const nlohmann::json body{
            {"team", team->idHex()}, {"sessionKey", hexOf(key.publicKey.bytes)}, {"expiresAt", before + 86400}};
        const auto opened = memberClient.post("/v1/sessions", body, Signer::device(member.sign));
        COFFER_EXPECT_STATUS(opened, 200);
        QCOMPARE(opened.json().at("sessionKey").get<std::string>(), hexOf(key.publicKey.bytes));
        const auto expiresAt = opened.json().at("expiresAt").get<std::int64_t>();
        QVERIFY2(expiresAt <= unixNow() + protocol::kMaxSessionSeconds && expiresAt > before,
                 std::to_string(expiresAt - before).c_str());

        const auto roster = memberClient.get(team->path() + "/roster", "from=0", Signer::sessionKey(key));
        COFFER_EXPECT_STATUS(roster, 200);
        QCOMPARE(roster.json().at("events").size(), std::size_t{2});

        // TestTeam's helper does the same for the owner.
        COFFER_EXPECT_STATUS(team->openSession(memberClient, member), 200);
        QVERIFY(member.session.has_value());
        COFFER_EXPECT_STATUS(memberClient.get(team->path() + "/grants", {}, Signer::sessionKey(*member.session)), 200);
    }

    void grantsWriteReadOwnAndAdminRead() {
        auto team = newTeam("Owner");
        QVERIFY(team);
        const auto member = TestMember::create("Ken");
        ApiClient memberClient(m_server->host(), m_server->port());
        COFFER_VERIFY_OK(team->addMember(memberClient, member));
        const auto prod = randomEnvironment();
        const auto staging = randomEnvironment();
        const auto prodKey = crypto::AeadKey::keygen();
        const auto stagingKey = crypto::AeadKey::keygen();

        const auto written = team->putGrants(
            {makeGrant(team->id(), prod, 1, member, Access::Read, prodKey, team->rosterHead(), team->owner()),
             makeGrant(team->id(), staging, 1, member, Access::Write, stagingKey, team->rosterHead(), team->owner()),
             makeGrant(team->id(), staging, 1, team->owner(), Access::Write, stagingKey, team->rosterHead(),
                       team->owner())});
        COFFER_EXPECT_STATUS(written, 200);
        QCOMPARE(written.json().at("stored").get<int>(), 3);

        // The member reads its own two grants, and each sealed key opens to the environment key.
        const auto own = memberClient.get(team->path() + "/grants", {}, Signer::device(member.sign));
        COFFER_EXPECT_STATUS(own, 200);
        const auto grants = own.json().at("grants");
        QCOMPARE(grants.size(), std::size_t{2});
        for (const auto& item : grants) {
            const auto grant = protocol::grantFromJson(item);
            QVERIFY(grant.has_value());
            QVERIFY(grant->member == member.id);
            const auto opened = crypto::openSealed(member.box, grant->sealedKey);
            QVERIFY(opened.has_value());
            const auto& expected = grant->environment == prod ? prodKey : stagingKey;
            QVERIFY(opened->equals(expected.bytes()));
            QCOMPARE(grant->access, grant->environment == prod ? Access::Read : Access::Write);
        }

        // The admin reads every grant of one environment.
        const auto all = m_client->get(team->path() + "/grants", "environment=" + hexOf(staging), team->ownerSigner());
        COFFER_EXPECT_STATUS(all, 200);
        QCOMPARE(all.json().at("grants").size(), std::size_t{2});
        const auto onlyProd =
            m_client->get(team->path() + "/grants", "environment=" + hexOf(prod), team->ownerSigner());
        COFFER_EXPECT_STATUS(onlyProd, 200);
        QCOMPARE(onlyProd.json().at("grants").size(), std::size_t{1});
    }

    void pushAndPullWithPagination() {
        auto team = newTeam("Owner");
        QVERIFY(team);
        TestMember writer = TestMember::create("Writer");
        const auto reader = TestMember::create("Reader");
        ApiClient writerClient(m_server->host(), m_server->port());
        ApiClient readerClient(m_server->host(), m_server->port());
        COFFER_VERIFY_OK(team->addMember(writerClient, writer));
        COFFER_VERIFY_OK(team->addMember(readerClient, reader));
        const auto environment = randomEnvironment();
        const auto key = crypto::AeadKey::keygen();
        COFFER_EXPECT_STATUS(team->grant(writer, environment, 1, Access::Write, key), 200);
        COFFER_EXPECT_STATUS(team->grant(reader, environment, 1, Access::Read, key), 200);
        COFFER_EXPECT_STATUS(team->openSession(writerClient, writer), 200);

        // An empty log: no records, head {0, zero}, no more.
        const auto empty = team->pull(readerClient, Signer::device(reader.sign), environment, 0, 10);
        COFFER_EXPECT_STATUS(empty, 200);
        QVERIFY(empty.json().at("records").empty());
        QCOMPARE(*protocol::headFromJson(empty.json().at("head")), protocol::Head{});
        QCOMPARE(empty.json().at("more").get<bool>(), false);

        // Three batches (5, 7, 3 records), the writer signing with its session key.
        std::vector<protocol::ChangeRecord> pushed;
        protocol::Head head{};
        for (const std::size_t size : {5U, 7U, 3U}) {
            auto batch = makeBatch(team->id(), environment, 1, writer, key, head, size);
            const auto response =
                team->push(writerClient, Signer::sessionKey(*writer.session), environment, head, batch);
            COFFER_EXPECT_STATUS(response, 200);
            head = headAfter(batch);
            QCOMPARE(*protocol::headFromJson(response.json().at("head")), head);
            pushed.insert(pushed.end(), batch.begin(), batch.end());
        }

        // Pages of 4 end on batch ends: 5, then 7, then 3.
        std::vector<std::size_t> pageSizes;
        std::vector<protocol::ChangeRecord> pulled;
        std::uint64_t after = 0;
        for (bool more = true; more;) {
            const auto page = team->pull(readerClient, Signer::device(reader.sign), environment, after, 4);
            COFFER_EXPECT_STATUS(page, 200);
            const auto json = page.json();
            QCOMPARE(*protocol::headFromJson(json.at("head")), head);
            pageSizes.push_back(json.at("records").size());
            for (const auto& item : json.at("records")) {
                auto record = protocol::recordFromJson(item);
                QVERIFY(record.has_value());
                pulled.push_back(std::move(*record));
            }
            QVERIFY(pulled.back().batchSignature.has_value());
            more = json.at("more").get<bool>();
            after = pulled.back().seq;
            QVERIFY(pageSizes.size() < 10);
        }
        QCOMPARE(pageSizes, (std::vector<std::size_t>{5, 7, 3}));
        QCOMPARE(pulled.size(), pushed.size());
        QVERIFY(pulled == pushed);

        // A big page gives everything at once; a page after the head is empty.
        const auto whole = team->pullAll(readerClient, Signer::device(reader.sign), environment, 1000);
        COFFER_VERIFY_OK(whole);
        QCOMPARE(whole->size(), pushed.size());
        const auto past = team->pull(readerClient, Signer::device(reader.sign), environment, head.seq, 10);
        COFFER_EXPECT_STATUS(past, 200);
        QVERIFY(past.json().at("records").empty());

        // The chain verifies like a client verifies it, and the reader decrypts it.
        const auto roster = protocol::verifyRoster(team->rosterEvents());
        QVERIFY(roster.has_value());
        protocol::LogVerifier verifier(
            team->id(), environment, protocol::Head{}, *roster,
            [&](const protocol::MemberId& author, std::uint64_t epoch) { return author == writer.id && epoch == 1; });
        const auto verified = verifier.verify(pulled);
        QVERIFY2(verified.has_value(), verified ? "" : protocol::describe(verified.error()).c_str());
        QCOMPARE(*verified, head);
        QVERIFY(protocol::openChange(pulled.front(), key).has_value());
    }

    void accessLogListsReads() {
        auto team = newTeam("Owner");
        QVERIFY(team);
        const auto reader = TestMember::create("Auditee");
        ApiClient readerClient(m_server->host(), m_server->port());
        COFFER_VERIFY_OK(team->addMember(readerClient, reader));
        const auto environment = randomEnvironment();
        const auto key = crypto::AeadKey::keygen();
        COFFER_EXPECT_STATUS(team->grant(reader, environment, 1, Access::Read, key), 200);
        const auto since = unixNow() - 1;
        COFFER_EXPECT_STATUS(team->pull(readerClient, Signer::device(reader.sign), environment, 0, 10), 200);

        const auto log = m_client->get(team->path() + "/access-log", "since=" + std::to_string(since) + "&limit=100",
                                       team->ownerSigner());
        COFFER_EXPECT_STATUS(log, 200);
        bool found = false;
        const auto logJson = log.json();
        for (const auto& entry : logJson.at("entries")) {
            if (entry.at("member") == reader.idHex() && entry.at("environment") == hexOf(environment) &&
                entry.at("action") == "read") {
                found = entry.at("time").get<std::int64_t>() >= since;
            }
        }
        QVERIFY2(found, log.body.c_str());
        // Entries from the future are none.
        const auto later =
            m_client->get(team->path() + "/access-log", "since=" + std::to_string(unixNow() + 3600) + "&limit=100",
                          team->ownerSigner());
        COFFER_EXPECT_STATUS(later, 200);
        QVERIFY(later.json().at("entries").empty());
    }

    void metricsCountRequests() {
        // At least one request of each kind happened above; make sure of a 200 and a 404 here.
        COFFER_EXPECT_STATUS(m_client->get("/healthz", {}, Signer::none()), 200);
        COFFER_EXPECT_STATUS(m_client->get("/no/such/route", {}, Signer::none()), 404);
        const auto metrics = m_client->get("/metrics", {}, Signer::none());
        COFFER_EXPECT_STATUS(metrics, 200);
        const std::string& text = metrics.body;
        QVERIFY2(text.find("coffer_http_requests_total{") != std::string::npos, text.c_str());
        QVERIFY(text.find("status=\"200\"") != std::string::npos);
        QVERIFY(text.find("status=\"404\"") != std::string::npos);
        QVERIFY(text.find("coffer_http_request_duration_seconds_bucket{") != std::string::npos);
        QVERIFY(text.find("coffer_http_request_duration_seconds_count") != std::string::npos);
        QVERIFY(text.find("# TYPE coffer_records_stored gauge") != std::string::npos);
        // The counter of a route goes up with each request.
        const auto countHealthz = [](const std::string& body) {
            double total = 0;
            std::size_t at = 0;
            while ((at = body.find("coffer_http_requests_total{", at)) != std::string::npos) {
                const auto end = body.find('\n', at);
                const std::string line = body.substr(at, end - at);
                at = end;
                if (line.find("healthz") != std::string::npos && line.find("status=\"200\"") != std::string::npos) {
                    total += std::stod(line.substr(line.rfind(' ') + 1));
                }
            }
            return total;
        };
        const double before = countHealthz(text);
        QVERIFY(before >= 2);
        COFFER_EXPECT_STATUS(m_client->get("/healthz", {}, Signer::none()), 200);
        const auto again = m_client->get("/metrics", {}, Signer::none());
        QCOMPARE(countHealthz(again.body), before + 1);
    }

    void cleanupTestCase() {
        if (!m_server) {
            return;
        }
        // One JSON line per request on stderr, and no code ever in it.
        const std::string log = m_server->stderrText();
        for (const auto& code : m_codesUsed) {
            QVERIFY2(log.find(code) == std::string::npos, "a team or invite code reached the log");
        }
        std::size_t requestLines = 0;
        for (std::size_t at = 0; at < log.size();) {
            const auto end = std::min(log.find('\n', at), log.size());
            const std::string line = log.substr(at, end - at);
            at = end + 1;
            if (line.empty()) {
                continue;
            }
            const auto parsed = nlohmann::json::parse(line, nullptr, false);
            QVERIFY2(parsed.is_object(), line.c_str());
            if (parsed.contains("route") && parsed.contains("status") && parsed.contains("durationMs")) {
                ++requestLines;
            }
        }
        QVERIFY2(requestLines >= 20, std::to_string(requestLines).c_str());
        m_client->disconnect();
        const auto stopped = m_server->stop();
        COFFER_VERIFY_OK(stopped);
        QCOMPARE(*stopped, 0);
    }
};

QTEST_GUILESS_MAIN(TestServerEndpoints)
#include "TestServerEndpoints.moc"
