// SPDX-License-Identifier: Apache-2.0
// The refusals, each with its status, through a real coffer-server process (SQLite or PostgreSQL):
// authentication (401), permissions (403), stale heads (409), bounds (413, 429), malformed bodies
// (400), and SIGTERM finishing a request in flight.
// No raw string literals in this file: Qt 6.4's moc counts the braces inside them and finds no class.
#include "ServerHarness.h"

#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"
#include "tests/server/client/ApiClient.h"
#include "tests/server/client/ProtocolBuilders.h"
#include "tests/server/client/RawConnection.h"
#include "tests/server/client/TestTeam.h"

#include <QTest>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <thread>

using namespace coffer;
using namespace coffer::tests;
using protocol::Access;
using protocol::Role;

Q_DECLARE_METATYPE(coffer::tests::Breakage)
Q_DECLARE_METATYPE(std::string)

namespace {

/// A server on a database of its own with a team: the owner, a writer and a reader of one
/// environment, and a member without a grant.
struct RefusalWorld {
    ServerHarness harness;
    std::unique_ptr<ServerProcess> server;
    std::unique_ptr<ApiClient> client;
    std::unique_ptr<TestTeam> team;
    std::optional<TestMember> writer;
    std::optional<TestMember> reader;
    std::optional<TestMember> outsider;
    protocol::EnvironmentId environment{};
    std::optional<crypto::AeadKey> key;

    ~RefusalWorld() {
        team.reset();
        client.reset();
        server.reset(); // before the harness drops the database
    }

    /// Starts the server (with this config file text, when given) and builds the team.
    static std::expected<std::unique_ptr<RefusalWorld>, std::string> create(const std::string& config = {}) {
        auto world = std::make_unique<RefusalWorld>();
        if (!world->harness.problem().empty()) {
            return std::unexpected(world->harness.problem());
        }
        if (auto codes = world->harness.prepareTeamCodes(1); !codes) {
            return std::unexpected(codes.error());
        }
        auto server = world->harness.startServer(config.empty() ? std::string()
                                                                : world->harness.writeConfig("test.conf", config));
        if (!server) {
            return std::unexpected(server.error());
        }
        world->server = std::move(*server);
        world->client = std::make_unique<ApiClient>(world->server->host(), world->server->port());
        auto code = world->harness.teamCode();
        if (!code) {
            return std::unexpected(code.error());
        }
        world->team = std::make_unique<TestTeam>(*world->client, TestMember::create("Owner"));
        if (auto created = world->team->create(*code); created.status != 201) {
            return std::unexpected("create team: " + created.describe());
        }
        world->writer = TestMember::create("Writer");
        world->reader = TestMember::create("Reader");
        world->outsider = TestMember::create("NoGrant");
        for (const auto* member : {&*world->writer, &*world->reader, &*world->outsider}) {
            if (auto added = world->team->addMember(*world->client, *member); !added) {
                return std::unexpected(added.error());
            }
        }
        world->environment = randomEnvironment();
        world->key = crypto::AeadKey::keygen();
        for (const auto& [member, access] :
             {std::pair{&*world->writer, Access::Write}, std::pair{&*world->reader, Access::Read}}) {
            if (auto r = world->team->grant(*member, world->environment, 1, access, *world->key); r.status != 200) {
                return std::unexpected("grant: " + r.describe());
            }
        }
        return world;
    }
};

} // namespace

class TestServerRefusals : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<RefusalWorld> m_world; ///< the shared server of most tests
    ServerProcess* m_server = nullptr;
    ApiClient* m_client = nullptr;
    TestTeam* m_team = nullptr;
    TestMember* m_writer = nullptr;
    TestMember* m_reader = nullptr;
    TestMember* m_outsider = nullptr;
    protocol::EnvironmentId m_environment{};
    const crypto::AeadKey* m_key = nullptr;

    ApiResponse rosterAs(const crypto::SigningKeyPair& key, bool session = false) {
        return m_client->get(m_team->path() + "/roster", "from=0", Signer{&key, session});
    }

    /// Pushes one batch by the writer onto the current head; the new head.
    protocol::Head pushOne(std::size_t count = 2) {
        const auto current = m_team->pull(*m_client, Signer::device(m_writer->sign), m_environment, 0, 1);
        const auto head = protocol::headFromJson(current.json().at("head")).value_or(protocol::Head{});
        const auto batch = makeBatch(m_team->id(), m_environment, 1, *m_writer, *m_key, head, count);
        const auto pushed = m_team->push(*m_client, Signer::device(m_writer->sign), m_environment, head, batch);
        return pushed.status == 200 ? headAfter(batch) : protocol::Head{};
    }

private Q_SLOTS:
    void initTestCase() {
        auto world = RefusalWorld::create();
        COFFER_VERIFY_OK(world);
        m_world = std::move(*world);
        m_server = m_world->server.get();
        m_client = m_world->client.get();
        m_team = m_world->team.get();
        m_writer = &*m_world->writer;
        m_reader = &*m_world->reader;
        m_outsider = &*m_world->outsider;
        m_environment = m_world->environment;
        m_key = &*m_world->key;
    }

    void brokenAuthenticationIs401_data() {
        QTest::addColumn<Breakage>("breakage");
        QTest::newRow("no signature headers") << Breakage::NoAuthHeaders;
        QTest::newRow("no signature") << Breakage::NoSignature;
        QTest::newRow("bad signature") << Breakage::BadSignature;
        QTest::newRow("signed another body") << Breakage::OtherBody;
        QTest::newRow("signed another path") << Breakage::OtherPath;
        QTest::newRow("stale time") << Breakage::StaleTime;
        QTest::newRow("time in the future") << Breakage::FutureTime;
        QTest::newRow("key not hex") << Breakage::BadKeyHex;
        QTest::newRow("nonce not 16 bytes") << Breakage::BadNonce;
    }

    void brokenAuthenticationIs401() {
        QFETCH(Breakage, breakage);
        // A member-only read and an admin write: both refused before anything else is looked at.
        const auto read =
            m_client->send("GET", m_team->path() + "/roster", "from=0", {}, m_team->ownerSigner(), breakage);
        COFFER_EXPECT_STATUS(read, 401);
        QVERIFY2(!read.errorCode().empty(), read.body.c_str());
        const nlohmann::json body{{"codeHash", inviteCodeHash("never")}, {"expiresAt", unixNow() + 60}};
        COFFER_EXPECT_STATUS(
            m_client->send("POST", m_team->path() + "/invites", {}, body.dump(), m_team->ownerSigner(), breakage), 401);
        // The same request unbroken passes.
        COFFER_EXPECT_STATUS(m_client->send("GET", m_team->path() + "/roster", "from=0", {}, m_team->ownerSigner()),
                             200);
    }

    void replayedNonceIs401() {
        const std::string path = m_team->path() + "/roster";
        const auto headers = ApiClient::sign("GET", path, "from=0", {}, m_team->ownerSigner());
        COFFER_EXPECT_STATUS(m_client->sendWithHeaders("GET", path, "from=0", {}, headers), 200);
        COFFER_EXPECT_STATUS(m_client->sendWithHeaders("GET", path, "from=0", {}, headers), 401);
        // Also from another connection, and for a write.
        ApiClient other(m_server->host(), m_server->port());
        COFFER_EXPECT_STATUS(other.sendWithHeaders("GET", path, "from=0", {}, headers), 401);
        const std::string body =
            nlohmann::json{{"codeHash", inviteCodeHash("replayed")}, {"expiresAt", unixNow() + 60}}.dump();
        const auto invite = ApiClient::sign("POST", m_team->path() + "/invites", {}, body, m_team->ownerSigner());
        COFFER_EXPECT_STATUS(m_client->sendWithHeaders("POST", m_team->path() + "/invites", {}, body, invite), 201);
        COFFER_EXPECT_STATUS(m_client->sendWithHeaders("POST", m_team->path() + "/invites", {}, body, invite), 401);
    }

    void unknownKeysAreRefused() {
        // A valid signature by a key that is no member: 403 on team routes and for a session.
        const auto stranger = TestMember::create("Stranger");
        COFFER_EXPECT_STATUS(rosterAs(stranger.sign), 403);
        const nlohmann::json session{{"team", m_team->idHex()},
                                     {"sessionKey", hexOf(crypto::SigningKeyPair::keygen().publicKey.bytes)},
                                     {"expiresAt", unixNow() + 300}};
        COFFER_EXPECT_STATUS(m_client->post("/v1/sessions", session, Signer::device(stranger.sign)), 403);
        // A session key nobody registered: authentication fails (401).
        const auto unregistered = crypto::SigningKeyPair::keygen();
        COFFER_EXPECT_STATUS(rosterAs(unregistered, true), 401);
        // A session key cannot open another session.
        COFFER_EXPECT_STATUS(m_team->openSession(*m_client, *m_writer), 200);
        COFFER_EXPECT_STATUS(m_client->post("/v1/sessions", session, Signer::sessionKey(*m_writer->session)), 401);
        // An unknown team is 404; an unknown route too.
        const std::string nowhere = "/v1/teams/" + std::string(64, 'a') + "/roster";
        COFFER_EXPECT_STATUS(m_client->get(nowhere, "from=0", m_team->ownerSigner()), 404);
        COFFER_EXPECT_STATUS(m_client->get(m_team->path() + "/nothing", {}, m_team->ownerSigner()), 404);
    }

    void teamAndInviteCodesAreChecked() {
        const auto founder = TestMember::create("Founder");
        const nlohmann::json body{{"code", "not-a-code"}, {"genesis", protocol::toJson(makeGenesis(founder))}};
        COFFER_EXPECT_STATUS(m_client->post("/v1/teams", body, Signer::device(founder.sign)), 403);
        const auto joiner = TestMember::create("Joiner");
        COFFER_EXPECT_STATUS(m_team->acceptInvite(*m_client, joiner, "no-such-invite"), 403);
        // An expired invite is refused like an unknown one (an invite cannot be made already expired).
        COFFER_EXPECT_STATUS(m_team->invite("expired-invite", -10), 400);
        COFFER_EXPECT_STATUS(m_team->invite("expiring-invite", 1), 201);
        const auto expiry = unixNow() + 1;
        while (unixNow() <= expiry) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        COFFER_EXPECT_STATUS(m_team->acceptInvite(*m_client, joiner, "expiring-invite"), 403);
        // An invite more than 7 days ahead is refused.
        COFFER_EXPECT_STATUS(m_team->invite("long-invite", 8 * 24 * 3600), 400);
    }

    void grantsAreEnforced() {
        // No grant: no read, no write.
        COFFER_EXPECT_STATUS(m_team->pull(*m_client, Signer::device(m_outsider->sign), m_environment, 0, 10), 403);
        const auto batch = makeBatch(m_team->id(), m_environment, 1, *m_outsider, *m_key, protocol::Head{}, 1);
        COFFER_EXPECT_STATUS(m_team->push(*m_client, Signer::device(m_outsider->sign), m_environment, {}, batch), 403);
        // Read-only: reads, never writes.
        COFFER_EXPECT_STATUS(m_team->pull(*m_client, Signer::device(m_reader->sign), m_environment, 0, 10), 200);
        const auto byReader = makeBatch(m_team->id(), m_environment, 1, *m_reader, *m_key, protocol::Head{}, 1);
        COFFER_EXPECT_STATUS(m_team->push(*m_client, Signer::device(m_reader->sign), m_environment, {}, byReader), 403);
    }

    void adminRoutesNeedAnAdmin() {
        const Signer member = Signer::device(m_writer->sign);
        // Roster change signed by a plain member.
        auto event = makeRosterEvent(m_team->id(), m_team->rosterHead(), protocol::RosterEventKind::Add,
                                     TestMember::create("Friend").identity, Role::Admin, *m_writer);
        const nlohmann::json roster{{"expectedHead", protocol::toJson(m_team->rosterHead())},
                                    {"events", nlohmann::json::array({protocol::toJson(event)})}};
        COFFER_EXPECT_STATUS(m_client->post(m_team->path() + "/roster", roster, member), 403);
        // Grant written by a plain member (to itself, signed by itself).
        const auto grant = makeGrant(m_team->id(), m_environment, 1, *m_outsider, Access::Write, *m_key,
                                     m_team->rosterHead(), *m_writer);
        COFFER_EXPECT_STATUS(
            m_client->put(m_team->path() + "/grants", nlohmann::json{{"grants", {protocol::toJson(grant)}}}, member),
            403);
        // Invites, acceptances, the access log.
        const nlohmann::json invite{{"codeHash", inviteCodeHash("by-member")}, {"expiresAt", unixNow() + 60}};
        COFFER_EXPECT_STATUS(m_client->post(m_team->path() + "/invites", invite, member), 403);
        COFFER_EXPECT_STATUS(m_client->get(m_team->path() + "/invites/accepted", {}, member), 403);
        // Every grant of an environment: a member holding one of its grants may list them; one without may not.
        COFFER_EXPECT_STATUS(m_client->get(m_team->path() + "/grants", "environment=" + hexOf(m_environment), member),
                             200);
        COFFER_EXPECT_STATUS(m_client->get(m_team->path() + "/grants", "environment=" + hexOf(m_environment),
                                           Signer::device(m_outsider->sign)),
                             403);
        COFFER_EXPECT_STATUS(m_client->get(m_team->path() + "/access-log", "since=0&limit=10", member), 403);
        // The roster did not move.
        const auto after = rosterAs(m_team->owner().sign);
        COFFER_EXPECT_STATUS(after, 200);
        QCOMPARE(*protocol::headFromJson(after.json().at("head")), m_team->rosterHead());
    }

    void removedMemberIsRefusedAtOnce() {
        TestMember leaver = TestMember::create("Leaver");
        COFFER_VERIFY_OK(m_team->addMember(*m_client, leaver));
        COFFER_EXPECT_STATUS(m_team->grant(leaver, m_environment, 1, Access::Write, *m_key), 200);
        COFFER_EXPECT_STATUS(m_team->openSession(*m_client, leaver), 200);
        COFFER_EXPECT_STATUS(m_team->pull(*m_client, Signer::device(leaver.sign), m_environment, 0, 10), 200);
        COFFER_EXPECT_STATUS(m_team->pull(*m_client, Signer::sessionKey(*leaver.session), m_environment, 0, 10), 200);

        COFFER_EXPECT_STATUS(m_team->appendRoster(protocol::RosterEventKind::Remove, leaver.identity, Role::Member),
                             200);
        // The very next requests: device key, session key, a new session, a push.
        COFFER_EXPECT_STATUS(m_team->pull(*m_client, Signer::device(leaver.sign), m_environment, 0, 10), 403);
        COFFER_EXPECT_STATUS(m_team->pull(*m_client, Signer::sessionKey(*leaver.session), m_environment, 0, 10), 403);
        COFFER_EXPECT_STATUS(rosterAs(leaver.sign), 403);
        COFFER_EXPECT_STATUS(m_team->openSession(*m_client, leaver), 403);
        const auto head = pushOne(1);
        const auto batch = makeBatch(m_team->id(), m_environment, 1, leaver, *m_key, head, 1);
        COFFER_EXPECT_STATUS(m_team->push(*m_client, Signer::device(leaver.sign), m_environment, head, batch), 403);
    }

    void pushOnAStaleHeadIs409WithTheHead() {
        const auto head = pushOne(3);
        QVERIFY(head.seq >= 3);
        const auto stale = makeBatch(m_team->id(), m_environment, 1, *m_writer, *m_key, protocol::Head{}, 2);
        const auto refused = m_team->push(*m_client, Signer::device(m_writer->sign), m_environment, {}, stale);
        COFFER_EXPECT_STATUS(refused, 409);
        const auto returned = protocol::headFromJson(refused.json().at("head"));
        QVERIFY(returned.has_value());
        QCOMPARE(*returned, head);
        // One behind is stale too; a batch moved onto the returned head goes in.
        auto moved = stale;
        QVERIFY(rechain(moved, *returned, *m_writer, *m_key));
        COFFER_EXPECT_STATUS(m_team->push(*m_client, Signer::device(m_writer->sign), m_environment, *returned, moved),
                             200);
        COFFER_EXPECT_STATUS(m_team->push(*m_client, Signer::device(m_writer->sign), m_environment, *returned, moved),
                             409);
    }

    void oversizedIs413() {
        const Signer writer = Signer::device(m_writer->sign);
        const std::string path = m_team->recordsPath(m_environment);
        // A body over max_body_bytes (4 MiB by default).
        const std::string big = "{\"pad\":\"" + std::string(5 * 1024 * 1024, 'x') + "\"}";
        COFFER_EXPECT_STATUS(m_client->send("POST", path, {}, big, writer), 413);
        // More records than max_records_per_push (1000).
        const auto current = m_team->pull(*m_client, writer, m_environment, 0, 1);
        const auto head = *protocol::headFromJson(current.json().at("head"));
        const auto many = makeBatch(m_team->id(), m_environment, 1, *m_writer, *m_key, head, 1001, 8);
        COFFER_EXPECT_STATUS(m_team->push(*m_client, writer, m_environment, head, many), 413);
        // A record over max_record_bytes (64 KiB).
        const auto large = makeBatch(m_team->id(), m_environment, 1, *m_writer, *m_key, head, 1, 80 * 1024);
        COFFER_EXPECT_STATUS(m_team->push(*m_client, writer, m_environment, head, large), 413);
        // None of them moved the head.
        const auto after = m_team->pull(*m_client, writer, m_environment, 0, 1);
        QCOMPARE(*protocol::headFromJson(after.json().at("head")), head);
    }

    void malformedBodiesAre400_data() {
        QTest::addColumn<std::string>("route");
        QTest::addColumn<std::string>("body");
        const std::vector<std::pair<const char*, std::string>> shapes{
            {"empty", ""},
            {"truncated", "{\"expectedHead\": {\"seq\": 0,"},
            {"not json", "hello"},
            {"array", "[]"},
            {"null", "null"},
            {"number", "42"},
            {"string", "\"text\""},
            {"empty object", "{}"},
            {"trailing garbage", "{} {}"},
            {"unknown fields only", "{\"foo\": 1, \"bar\": [true]}"},
            {"deep nesting", std::string(100'000, '[') + std::string(100'000, ']')},
            {"deep objects",
             [] {
                 std::string s;
                 for (int i = 0; i < 5000; ++i) {
                     s += "{\"a\":";
                 }
                 return s + "1" + std::string(5000, '}');
             }()},
            {"invalid utf-8", "{\"code\": \"\xff\xfe\xfd\"}"},
            {"nul byte", std::string("{\"code\": \"a\0b\"}", 15)},
            {"huge number", "{\"expectedHead\": {\"seq\": 1e999, \"hash\": \"\"}, \"records\": []}"},
        };
        for (const char* route : {"sessions", "teams", "invites", "accept", "roster", "grants", "records"}) {
            for (const auto& [name, body] : shapes) {
                QTest::newRow((std::string(route) + ": " + name).c_str()) << std::string(route) << body;
            }
        }
        // Valid JSON of the wrong shape, per route.
        const std::string zero(64, '0');
        const std::vector<std::pair<const char*, std::string>> wrong{
            {"sessions", "{\"team\": 5, \"sessionKey\": \"00\", \"expiresAt\": 1}"},
            {"sessions", "{\"team\": \"zz\", \"sessionKey\": \"zz\", \"expiresAt\": \"soon\"}"},
            {"teams", "{\"code\": 12, \"genesis\": {}}"},
            {"teams", "{\"code\": \"x\", \"genesis\": []}"},
            {"invites", "{\"codeHash\": \"not hex\", \"expiresAt\": 1}"},
            {"invites", "{\"codeHash\": \"abcd\", \"expiresAt\": 1}"},
            {"invites", "{\"codeHash\": \"" + zero + "\", \"expiresAt\": \"tomorrow\"}"},
            {"accept", "{\"code\": \"x\", \"identity\": {\"signKey\": 1}}"},
            {"roster", "{\"expectedHead\": {\"seq\": 0, \"hash\": \"" + zero + "\"}, \"events\": [1, 2]}"},
            {"roster", "{\"expectedHead\": \"head\", \"events\": []}"},
            {"grants", "{\"grants\": \"all\"}"},
            {"grants", "{\"grants\": [{}]}"},
            {"records", "{\"expectedHead\": {\"seq\": -1, \"hash\": \"" + zero + "\"}, \"records\": []}"},
            {"records", "{\"expectedHead\": {\"seq\": 0, \"hash\": \"xyz\"}, \"records\": []}"},
            {"records", "{\"expectedHead\": {\"seq\": 0, \"hash\": \"" + zero + "\"}, \"records\": {}}"},
            {"records", "{\"expectedHead\": {\"seq\": 0, \"hash\": \"" + zero + "\"}, \"records\": [{}]}"},
            {"records", "{\"records\": []}"},
        };
        int index = 0;
        for (const auto& [route, body] : wrong) {
            QTest::newRow((std::string(route) + ": wrong shape " + std::to_string(++index)).c_str())
                << std::string(route) << body;
        }
    }

    void malformedBodiesAre400() {
        QFETCH(std::string, route);
        QFETCH(std::string, body);
        // Signed correctly by someone allowed to call the route, so only the body is wrong.
        const auto newcomer = TestMember::create("Newcomer");
        std::string method = "POST";
        std::string path;
        Signer signer = m_team->ownerSigner();
        if (route == "sessions") {
            path = "/v1/sessions";
        } else if (route == "teams") {
            path = "/v1/teams";
            signer = Signer::device(newcomer.sign);
        } else if (route == "invites") {
            path = m_team->path() + "/invites";
        } else if (route == "accept") {
            path = m_team->path() + "/invites/accept";
            signer = Signer::device(newcomer.sign);
        } else if (route == "roster") {
            path = m_team->path() + "/roster";
        } else if (route == "grants") {
            path = m_team->path() + "/grants";
            method = "PUT";
        } else {
            path = m_team->recordsPath(m_environment);
            signer = Signer::device(m_writer->sign);
        }
        const auto response = m_client->send(method, path, {}, body, signer);
        COFFER_EXPECT_STATUS(response, 400);
        QVERIFY2(!response.errorCode().empty(), response.body.c_str());
        QVERIFY(response.json().contains("message"));
    }

    void malformedQueriesAre400_data() {
        QTest::addColumn<std::string>("route");
        QTest::addColumn<std::string>("query");
        QTest::newRow("records after=-1") << std::string("records") << std::string("after=-1&limit=10");
        QTest::newRow("records after=abc") << std::string("records") << std::string("after=abc&limit=10");
        QTest::newRow("records limit=x") << std::string("records") << std::string("after=0&limit=x");
        QTest::newRow("records after huge")
            << std::string("records") << std::string("after=99999999999999999999999&limit=1");
        QTest::newRow("roster from=x") << std::string("roster") << std::string("from=x");
        QTest::newRow("access-log since=x") << std::string("access-log") << std::string("since=x&limit=10");
        QTest::newRow("grants environment=zz") << std::string("grants") << std::string("environment=zz");
    }

    void malformedQueriesAre400() {
        QFETCH(std::string, route);
        QFETCH(std::string, query);
        const std::string path = route == "records" ? m_team->recordsPath(m_environment) : m_team->path() + "/" + route;
        COFFER_EXPECT_STATUS(m_client->get(path, query, m_team->ownerSigner()), 400);
    }

    void tooManyRequestsIs429() {
        // A server of its own with a tiny rate limit.
        // (The burst leaves room for the owner's dozen requests that build the team.)
        auto made = RefusalWorld::create("# low limit for the 429 test\n"
                                         "rate_limit_per_second = 1\n"
                                         "rate_limit_burst = 20\n");
        COFFER_VERIFY_OK(made);
        auto& world = **made;
        // The writer spent one token (accepting its invite): 60 requests run out of the rest.
        int ok = 0;
        int limitedCount = 0;
        std::string retryAfter;
        for (int i = 0; i < 60; ++i) {
            const auto response =
                world.client->get(world.team->path() + "/roster", "from=0", Signer::device(world.writer->sign));
            if (response.status == 200) {
                ++ok;
            } else {
                COFFER_EXPECT_STATUS(response, 429);
                QCOMPARE(response.errorCode().empty(), false);
                ++limitedCount;
                retryAfter = response.header("Retry-After");
            }
        }
        QVERIFY2(ok >= 1 && limitedCount >= 20, (std::to_string(ok) + " ok").c_str());
        QVERIFY2(!retryAfter.empty() && std::all_of(retryAfter.begin(), retryAfter.end(), ::isdigit) &&
                     std::stoi(retryAfter) >= 1,
                 retryAfter.c_str());
        // Another member has a bucket of its own.
        COFFER_EXPECT_STATUS(
            world.client->get(world.team->path() + "/roster", "from=0", Signer::device(world.reader->sign)), 200);
        world.client->disconnect();
        const auto stopped = world.server->stop();
        COFFER_VERIFY_OK(stopped);
        QCOMPARE(*stopped, 0);
    }

    void sigtermFinishesTheRequestInFlight() {
        // A server of its own; a push reaches it in two halves with SIGTERM between them.
        auto made = RefusalWorld::create();
        COFFER_VERIFY_OK(made);
        auto& world = **made;
        auto& process = *world.server;
        const Signer writer = Signer::device(world.writer->sign);
        const auto batch =
            makeBatch(world.team->id(), world.environment, 1, *world.writer, *world.key, protocol::Head{}, 20, 512);
        const std::string path = world.team->recordsPath(world.environment);
        const std::string body = nlohmann::json{
            {"expectedHead", protocol::toJson(protocol::Head{})},
            {"records",
             recordsJson(batch)}}.dump();
        std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + process.host() +
                              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n";
        for (const auto& [name, value] : ApiClient::sign("POST", path, {}, body, writer)) {
            request += name + ": " + value + "\r\n";
        }
        request += "\r\n";

        RawConnection connection;
        COFFER_VERIFY_OK(connection.connect(process.host(), process.port()));
        const std::size_t half = body.size() / 2;
        QVERIFY(connection.sendAll(request + body.substr(0, half)));
        // Let the server start reading the request before it is told to stop.
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        process.signal(SIGTERM);
        // It stops accepting new connections...
        bool refused = false;
        for (int i = 0; i < 400 && !refused; ++i) {
            refused = connectionRefused(process.host(), process.port());
            if (!refused) {
                std::this_thread::sleep_for(std::chrono::milliseconds(25));
            }
        }
        QVERIFY2(refused, "still accepting connections 10 s after SIGTERM");
        // ...yet answers the request it was reading, then exits 0.
        QVERIFY(connection.sendAll(body.substr(half)));
        const std::string response = connection.readResponse();
        QVERIFY2(RawConnection::statusOf(response) == 200, response.c_str());
        const auto json = nlohmann::json::parse(RawConnection::bodyOf(response), nullptr, false);
        QVERIFY(json.is_object() && json.contains("head"));
        QCOMPARE(*protocol::headFromJson(json.at("head")), headAfter(batch));
        const auto code = process.wait();
        COFFER_VERIFY_OK(code);
        QCOMPARE(*code, 0);
        // The records were stored: a new server on the same database serves them.
        auto restarted = world.harness.startServer();
        COFFER_VERIFY_OK(restarted);
        ApiClient client((*restarted)->host(), (*restarted)->port());
        const auto stored = world.team->pullAll(client, writer, world.environment, 100);
        COFFER_VERIFY_OK(stored);
        QVERIFY(*stored == batch);
        client.disconnect();
        const auto stopped = (*restarted)->stop();
        COFFER_VERIFY_OK(stopped);
        QCOMPARE(*stopped, 0);
    }

    void cleanupTestCase() {
        if (m_server) {
            m_client->disconnect();
            const auto stopped = m_server->stop();
            COFFER_VERIFY_OK(stopped);
            QCOMPARE(*stopped, 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestServerRefusals)
#include "TestServerRefusals.moc"
