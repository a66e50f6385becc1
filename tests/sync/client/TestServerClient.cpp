// SPDX-License-Identifier: Apache-2.0
// ServerClient over CurlTransport: every endpoint against a real coffer-server (team, roster, invites,
// grants with the grantee rule, push/pull with a 409 and its head, the access log), then against a
// fake server whose replies break the protocol: each must be a precise error, never a crash or a default.
#include "crypto/Hash.h"
#include "sync/ServerClient.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"
#include "tests/server/client/ApiClient.h"
#include "tests/server/client/ProtocolBuilders.h"
#include "tests/server/client/ServerProcess.h"
#include "tests/server/client/TestMember.h"
#include "tests/sync/client/FakeServer.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>
#include <set>

using namespace coffer;
using nlohmann::json;
using protocol::Access;
using protocol::Role;
using protocol::RosterEventKind;
using sync::ErrorCode;
using tests::FakeReply;
using tests::FakeRequest;
using tests::FakeServer;
using tests::TestMember;

Q_DECLARE_METATYPE(coffer::sync::ErrorCode)

namespace {

QByteArray describe(const sync::Error& error) {
    return (sync::codeName(error.code) + QStringLiteral(" (HTTP ") + QString::number(error.httpStatus) +
            QStringLiteral("): ") + error.message)
        .toUtf8();
}

// Each evaluates its argument once (it may be a request).
#define REQUIRE_OK(expression)                                                                                         \
    do {                                                                                                               \
        const auto& requireResult = (expression);                                                                      \
        QVERIFY2(requireResult.has_value(),                                                                            \
                 requireResult.has_value() ? "" : describe(requireResult.error()).constData());                        \
    } while (false)
#define REQUIRE_ERROR(expression, expected)                                                                            \
    do {                                                                                                               \
        const auto& requireResult = (expression);                                                                      \
        QVERIFY2(!requireResult.has_value(), "expected an error");                                                     \
        QVERIFY2(requireResult.error().code == (expected), describe(requireResult.error()).constData());               \
    } while (false)

/// A member with its own transport and client, as one device holds them.
struct Device {
    Device(const std::string& url, const std::string& name)
        : member(TestMember::create(name)) {
        sync::TransportOptions options;
        options.baseUrl = QString::fromStdString(url);
        auto made = sync::makeCurlTransport(options);
        if (!made)
            qFatal("transport: %s", qPrintable(made.error().message));
        transport = std::move(*made);
        client = std::make_unique<sync::ServerClient>(*transport, member.sign);
    }
    TestMember member;
    std::unique_ptr<sync::Transport> transport;
    std::unique_ptr<sync::ServerClient> client;
};

protocol::Hash hashOf(const std::string& code) {
    return crypto::blake2b(crypto::asBytes(code));
}

} // namespace

class TestServerClient : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<tests::ServerProcess> m_server;
    std::string m_database;
    std::string m_url;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_database = "sqlite:" + m_dir.filePath(QStringLiteral("server.db")).toStdString();
        m_server = std::make_unique<tests::ServerProcess>(COFFER_SERVER_PATH);
        tests::ServerOptions options;
        options.database = m_database;
        auto started = m_server->start(options);
        QVERIFY2(started, started ? "" : started.error().c_str());
        m_url = "http://127.0.0.1:" + std::to_string(m_server->port());
    }

    void cleanupTestCase() {
        if (m_server)
            QVERIFY(m_server->stop());
    }

    // --- against a real coffer-server -------------------------------------------------------------

    void teamLifecycleAgainstARealServer() {
        Device alice(m_url, "Alice"), bob(m_url, "Bob"), carol(m_url, "Carol"), dave(m_url, "Dave");
        auto code = tests::makeTeamCode(COFFER_SERVER_PATH, m_database);
        QVERIFY2(code, code ? "" : code.error().c_str());

        // Create the team: the head is the genesis.
        const protocol::RosterEvent genesis = tests::makeGenesis(alice.member);
        const protocol::TeamId team = protocol::teamIdOf(genesis);
        auto created = alice.client->createTeam(*code, genesis);
        REQUIRE_OK(created);
        QCOMPARE(*created, tests::headOf(genesis));
        auto again = alice.client->createTeam(*code, genesis);
        REQUIRE_ERROR(again, ErrorCode::Conflict);
        QCOMPARE(again.error().httpStatus, 409);

        // Roster as the server keeps it.
        auto roster = alice.client->roster(team, 0);
        REQUIRE_OK(roster);
        QCOMPARE(roster->events.size(), std::size_t{1});
        QVERIFY(roster->events[0] == genesis);
        QCOMPARE(roster->head, *created);
        REQUIRE_ERROR(bob.client->roster(team, 0), ErrorCode::Refused); // not a member yet
        protocol::TeamId unknown = team;
        unknown.bytes[0] ^= std::byte{1};
        REQUIRE_ERROR(alice.client->roster(unknown, 0), ErrorCode::NotFound);

        // Invites: the code's hash goes first, the code itself on accept, once.
        const std::string inviteCode = "invite-for-bob-and-carol-0123456";
        REQUIRE_OK(alice.client->createInvite(team, hashOf(inviteCode), tests::unixNow() + 3600));
        REQUIRE_ERROR(bob.client->createInvite(team, hashOf("x"), tests::unixNow() + 3600), ErrorCode::Refused);
        auto accepted = bob.client->acceptInvite(team, inviteCode, bob.member.identity);
        REQUIRE_OK(accepted);
        QCOMPARE(*accepted, bob.member.id);
        auto reused = carol.client->acceptInvite(team, inviteCode, carol.member.identity);
        REQUIRE_ERROR(reused, ErrorCode::Refused);
        REQUIRE_OK(alice.client->createInvite(team, hashOf("carol-code"), tests::unixNow() + 3600));
        REQUIRE_OK(carol.client->acceptInvite(team, "carol-code", carol.member.identity));
        REQUIRE_OK(alice.client->createInvite(team, hashOf("dave-code"), tests::unixNow() + 3600));
        REQUIRE_OK(dave.client->acceptInvite(team, "dave-code", dave.member.identity));
        auto acceptances = alice.client->acceptances(team);
        REQUIRE_OK(acceptances);
        QCOMPARE(acceptances->size(), std::size_t{3});
        const auto bobs = std::ranges::find(*acceptances, bob.member.id, &sync::Acceptance::member);
        QVERIFY(bobs != acceptances->end());
        QVERIFY(bobs->identity == bob.member.identity);
        QVERIFY(bobs->acceptedAt > 0);
        REQUIRE_ERROR(bob.client->acceptances(team), ErrorCode::Refused);

        // Roster appends: one batch of three, then a stale head is a 409 carrying the current head.
        std::vector<protocol::RosterEvent> adds;
        protocol::Head head = *created;
        for (const TestMember* subject : {&bob.member, &carol.member, &dave.member}) {
            adds.push_back(tests::makeRosterEvent(team, head, RosterEventKind::Add, subject->identity, Role::Member,
                                                  alice.member));
            head = tests::headOf(adds.back());
        }
        auto appended = alice.client->appendRoster(team, *created, adds);
        REQUIRE_OK(appended);
        QCOMPARE(*appended, head);
        const auto late = tests::makeRosterEvent(team, *created, RosterEventKind::Remove, dave.member.identity,
                                                 Role::Member, alice.member);
        auto stale = alice.client->appendRoster(team, *created, {late});
        REQUIRE_ERROR(stale, ErrorCode::Conflict);
        QCOMPARE(alice.client->conflictHead(), head);
        auto from2 = bob.client->roster(team, 2);
        REQUIRE_OK(from2);
        QCOMPARE(from2->events.size(), std::size_t{2});
        QCOMPARE(from2->head, head);

        // Grants: Bob writes, Carol reads; Dave holds none of this environment.
        const protocol::EnvironmentId environment = tests::randomEnvironment();
        const protocol::EnvironmentId otherEnvironment = tests::randomEnvironment();
        const auto key = crypto::AeadKey::keygen();
        const auto toBob = tests::makeGrant(team, environment, 1, bob.member, Access::Write, key, head, alice.member);
        const auto toCarol =
            tests::makeGrant(team, environment, 1, carol.member, Access::Read, key, head, alice.member);
        const auto toDave =
            tests::makeGrant(team, otherEnvironment, 1, dave.member, Access::Read, key, head, alice.member);
        REQUIRE_OK(alice.client->putGrants(team, {toBob, toCarol, toDave}));
        REQUIRE_ERROR(bob.client->putGrants(team, {toCarol}), ErrorCode::Refused);
        auto bobsGrants = bob.client->myGrants(team);
        REQUIRE_OK(bobsGrants);
        QCOMPARE(bobsGrants->size(), std::size_t{1});
        QVERIFY(bobsGrants->at(0) == toBob);

        // Every grant of the environment: the admin and its grantees may list them, nobody else.
        for (Device* reader : {&alice, &bob, &carol}) {
            auto all = reader->client->environmentGrants(team, environment);
            REQUIRE_OK(all);
            QCOMPARE(all->size(), std::size_t{2});
        }
        auto byDave = dave.client->environmentGrants(team, environment);
        REQUIRE_ERROR(byDave, ErrorCode::Refused);
        QCOMPARE(byDave.error().httpStatus, 403);
        REQUIRE_OK(dave.client->environmentGrants(team, otherEnvironment));

        // Push, then a push on the old head: 409 with the server's head, then the rebased batch goes in.
        auto first = tests::makeBatch(team, environment, 1, bob.member, key, protocol::Head{}, 3);
        auto pushed = bob.client->push(team, environment, protocol::Head{}, first);
        REQUIRE_OK(pushed);
        QCOMPARE(*pushed, tests::headAfter(first));
        auto second = tests::makeBatch(team, environment, 1, bob.member, key, protocol::Head{}, 2, 32, "OTHER");
        auto conflict = bob.client->push(team, environment, protocol::Head{}, second);
        REQUIRE_ERROR(conflict, ErrorCode::Conflict);
        QCOMPARE(bob.client->conflictHead(), *pushed);
        QVERIFY(tests::rechain(second, bob.client->conflictHead(), bob.member, key));
        auto rebased = bob.client->push(team, environment, bob.client->conflictHead(), second);
        REQUIRE_OK(rebased);
        QCOMPARE(*rebased, tests::headAfter(second));
        auto readOnly = tests::makeBatch(team, environment, 1, carol.member, key, *rebased, 1);
        REQUIRE_ERROR(carol.client->push(team, environment, *rebased, readOnly), ErrorCode::Refused);

        // Pull in pages: a page ends on a batch signature, "more" says whether to go on.
        auto page = carol.client->pull(team, environment, 0, 2);
        REQUIRE_OK(page);
        QCOMPARE(page->records.size(), std::size_t{3});
        QVERIFY(page->more);
        QCOMPARE(page->head, *rebased);
        QVERIFY(page->records == first);
        auto rest = carol.client->pull(team, environment, 3, 1000);
        REQUIRE_OK(rest);
        QVERIFY(!rest->more);
        QVERIFY(rest->records == second);
        REQUIRE_ERROR(dave.client->pull(team, environment, 0), ErrorCode::Refused);

        // The access log: Bob's writes and Carol's reads, admins only.
        auto log = alice.client->accessLog(team, 0);
        REQUIRE_OK(log);
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& entry : *log) {
            QCOMPARE(entry.environment, environment);
            seen.emplace(tests::hexOf(entry.member.bytes), entry.action);
        }
        QVERIFY(seen.contains({bob.member.idHex(), "write"}));
        QVERIFY(seen.contains({carol.member.idHex(), "read"}));
        QVERIFY(!seen.contains({dave.member.idHex(), "read"}));
        REQUIRE_ERROR(bob.client->accessLog(team, 0), ErrorCode::Refused);
    }

    void requestsAreSignedAtTheClocksTime() {
        Device alice(m_url, "Alice");
        auto code = tests::makeTeamCode(COFFER_SERVER_PATH, m_database);
        QVERIFY(code);
        const auto genesis = tests::makeGenesis(alice.member);
        REQUIRE_OK(alice.client->createTeam(*code, genesis));
        // Ten minutes slow: outside the server's 300 s window.
        sync::ServerClient slow(*alice.transport, alice.member.sign, [] { return tests::unixNow() - 600; });
        auto refused = slow.roster(protocol::teamIdOf(genesis), 0);
        REQUIRE_ERROR(refused, ErrorCode::Refused);
        QCOMPARE(refused.error().httpStatus, 401);
        sync::ServerClient onTime(*alice.transport, alice.member.sign, [] { return tests::unixNow(); });
        REQUIRE_OK(onTime.roster(protocol::teamIdOf(genesis), 0));
    }

    void offlineServerIsOffline() {
        Device alice("http://127.0.0.1:" + std::to_string(tests::closedPort()), "Alice");
        REQUIRE_ERROR(alice.client->myGrants(protocol::TeamId{}), ErrorCode::Offline);
    }

    // --- against a hostile fake server ----------------------------------------------------------

    void hostilePullReplies_data();
    void hostilePullReplies();
    void errorStatuses_data();
    void errorStatuses();
    void serverMessageIsSanitised();
    void conflictWithoutHeadIsHostile();
    void rateLimitWaitsRetryAfter();
    void rateLimitGivesUpAfterThreeRetries();
    void repliesThatContradictTheRequest();
    void mutatedRepliesNeverCrash();
};

namespace {

/// A valid pull reply (real records), as JSON the tests then break.
json validPullReply() {
    static const TestMember author = TestMember::create("Author");
    static const auto key = crypto::AeadKey::keygen();
    const protocol::TeamId team{};
    const auto records = tests::makeBatch(team, protocol::EnvironmentId{}, 1, author, key, protocol::Head{}, 2);
    return json{{"records", tests::recordsJson(records)},
                {"head", protocol::toJson(tests::headAfter(records))},
                {"more", false}};
}

struct Fixture {
    explicit Fixture(FakeServer::Handler handler, std::size_t maxResponseBytes = 1024 * 1024)
        : fake(std::move(handler))
        , key(crypto::SigningKeyPair::keygen()) {
        sync::TransportOptions options;
        options.baseUrl = QString::fromStdString(fake.url());
        options.maxResponseBytes = maxResponseBytes;
        auto made = sync::makeCurlTransport(options);
        if (!made)
            qFatal("transport: %s", qPrintable(made.error().message));
        transport = std::move(*made);
        client = std::make_unique<sync::ServerClient>(*transport, key);
    }
    FakeServer fake;
    crypto::SigningKeyPair key;
    std::unique_ptr<sync::Transport> transport;
    std::unique_ptr<sync::ServerClient> client;
};

} // namespace

void TestServerClient::hostilePullReplies_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("named"); // what the message must name
    const json valid = validPullReply();
    const auto with = [&](auto change) {
        json copy = valid;
        change(copy);
        return QByteArray::fromStdString(copy.dump());
    };
    QTest::newRow("valid") << QByteArray::fromStdString(valid.dump()) << 200 << QString();
    QTest::newRow("bad JSON") << QByteArray("{\"records\": [") << 200 << QStringLiteral("not JSON");
    QTest::newRow("empty body") << QByteArray() << 200 << QStringLiteral("not JSON");
    QTest::newRow("HTML") << QByteArray("<html>502 Bad Gateway</html>") << 200 << QStringLiteral("not JSON");
    QTest::newRow("an array") << QByteArray("[]") << 200 << QStringLiteral("not a JSON object");
    QTest::newRow("100k brackets") << QByteArray(100'000, '[') << 200 << QStringLiteral("not JSON");
    QTest::newRow("extra field") << with([](json& j) { j["extra"] = 1; }) << 200 << QStringLiteral("\"extra\"");
    QTest::newRow("missing more") << with([](json& j) { j.erase("more"); }) << 200 << QStringLiteral("\"more\"");
    QTest::newRow("more is a string") << with([](json& j) { j["more"] = "no"; }) << 200 << QStringLiteral("\"more\"");
    QTest::newRow("records is an object")
        << with([](json& j) { j["records"] = json::object(); }) << 200 << QStringLiteral("\"records\"");
    QTest::newRow("head seq negative") << with([](json& j) { j["head"]["seq"] = -1; }) << 200
                                       << QStringLiteral("\"head\"");
    QTest::newRow("head hash too short") << with([](json& j) { j["head"]["hash"] = std::string(62, 'a'); }) << 200
                                         << QStringLiteral("\"head\"");
    QTest::newRow("record with an extra field")
        << with([](json& j) { j["records"][1]["evil"] = true; }) << 200 << QStringLiteral("records[1]");
    QTest::newRow("record without ciphertext")
        << with([](json& j) { j["records"][0].erase("ciphertext"); }) << 200 << QStringLiteral("records[0]");
    QTest::newRow("record id in upper case")
        << with([](json& j) { j["records"][0]["id"] = std::string(32, 'A'); }) << 200 << QStringLiteral("records[0]");
    QTest::newRow("record of version 2") << with([](json& j) { j["records"][0]["version"] = 2; }) << 200
                                         << QStringLiteral("records[0]");
    QTest::newRow("ciphertext over the limit")
        << with([](json& j) { j["records"][0]["ciphertext"] = std::string(400 * 1024, 'A'); }) << 200
        << QStringLiteral("ciphertext");
    QTest::newRow("201 instead of 200") << QByteArray::fromStdString(valid.dump()) << 201
                                        << QStringLiteral("unexpected status 201");
}

void TestServerClient::hostilePullReplies() {
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, named);
    Fixture f([&](const FakeRequest&) { return FakeReply{status, body.toStdString(), {}, 0}; });
    auto page = f.client->pull(protocol::TeamId{}, protocol::EnvironmentId{}, 0);
    if (named.isEmpty()) {
        REQUIRE_OK(page);
        QCOMPARE(page->records.size(), std::size_t{2});
        return;
    }
    REQUIRE_ERROR(page, ErrorCode::HostileResponse);
    QVERIFY2(page.error().message.contains(named), describe(page.error()).constData());
    QVERIFY(page.error().message.size() < 1000);
}

void TestServerClient::errorStatuses_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<std::size_t>("maxResponseBytes");
    QTest::newRow("400") << 400 << ErrorCode::InvalidInput << std::size_t{1 << 20};
    QTest::newRow("401") << 401 << ErrorCode::Refused << std::size_t{1 << 20};
    QTest::newRow("403") << 403 << ErrorCode::Refused << std::size_t{1 << 20};
    QTest::newRow("404") << 404 << ErrorCode::NotFound << std::size_t{1 << 20};
    QTest::newRow("413") << 413 << ErrorCode::InvalidInput << std::size_t{1 << 20};
    QTest::newRow("500") << 500 << ErrorCode::Server << std::size_t{1 << 20};
    QTest::newRow("502") << 502 << ErrorCode::Server << std::size_t{1 << 20};
    QTest::newRow("503") << 503 << ErrorCode::Server << std::size_t{1 << 20};
    QTest::newRow("302") << 302 << ErrorCode::Redirect << std::size_t{1 << 20};
    QTest::newRow("204") << 204 << ErrorCode::HostileResponse << std::size_t{1 << 20};
    QTest::newRow("oversized 200") << 200 << ErrorCode::HostileResponse << std::size_t{512};
}

void TestServerClient::errorStatuses() {
    QFETCH(int, status);
    QFETCH(ErrorCode, code);
    QFETCH(std::size_t, maxResponseBytes);
    const std::string body =
        status == 200 ? validPullReply().dump() : R"({"error":"x","message":"the server says why"})";
    Fixture f(
        [&](const FakeRequest&) {
            return FakeReply{status, body, {{"Location", "https://elsewhere/"}}, 0};
        },
        maxResponseBytes);
    auto grants = f.client->myGrants(protocol::TeamId{});
    REQUIRE_ERROR(grants, code);
    if (code != ErrorCode::HostileResponse) {
        QCOMPARE(grants.error().httpStatus, status);
    }
    if (status >= 400) {
        QVERIFY2(grants.error().message.contains(QStringLiteral("the server says why")),
                 describe(grants.error()).constData());
    }
    QCOMPARE(f.fake.requests().size(), std::size_t{1});
}

void TestServerClient::serverMessageIsSanitised() {
    const std::string message = "line one\r\nline two\x1b[31m" + std::string(5000, 'z');
    Fixture f([&](const FakeRequest&) {
        return FakeReply{403, json{{"error", "forbidden"}, {"message", message}}.dump(), {}, 0};
    });
    auto refused = f.client->roster(protocol::TeamId{}, 0);
    REQUIRE_ERROR(refused, ErrorCode::Refused);
    const QString text = refused.error().message;
    QVERIFY2(text.contains(QStringLiteral("line oneline two")), describe(refused.error()).constData());
    for (const QChar c : text)
        QVERIFY(c.unicode() >= 0x20);
    QVERIFY(text.size() < 400); // quoted to 200 bytes
}

void TestServerClient::conflictWithoutHeadIsHostile() {
    const protocol::Head head{7, crypto::blake2b(crypto::asBytes("head"))};
    std::string reply = R"({"error":"conflict","message":"moved"})";
    Fixture f([&](const FakeRequest&) { return FakeReply{409, reply, {}, 0}; });
    auto pushed = f.client->push(protocol::TeamId{}, protocol::EnvironmentId{}, protocol::Head{}, {});
    REQUIRE_ERROR(pushed, ErrorCode::HostileResponse);
    reply = json{{"error", "conflict"}, {"message", "moved"}, {"head", {{"seq", "7"}, {"hash", "00"}}}}.dump();
    REQUIRE_ERROR(f.client->push(protocol::TeamId{}, protocol::EnvironmentId{}, protocol::Head{}, {}),
                  ErrorCode::HostileResponse);
    reply = json{{"error", "conflict"}, {"message", "moved"}, {"head", protocol::toJson(head)}}.dump();
    auto conflict = f.client->push(protocol::TeamId{}, protocol::EnvironmentId{}, protocol::Head{}, {});
    REQUIRE_ERROR(conflict, ErrorCode::Conflict);
    QCOMPARE(f.client->conflictHead(), head);
    QVERIFY2(conflict.error().message.contains(QStringLiteral("7")), describe(conflict.error()).constData());
}

void TestServerClient::rateLimitWaitsRetryAfter() {
    int calls = 0;
    Fixture f([&](const FakeRequest&) {
        if (++calls <= 2)
            return FakeReply{429, R"({"error":"rate_limited","message":"slow down"})", {{"Retry-After", "1"}}, 0};
        return FakeReply{200, R"({"grants":[]})", {}, 0};
    });
    auto grants = f.client->myGrants(protocol::TeamId{});
    REQUIRE_OK(grants);
    QVERIFY(grants->empty());
    const auto seen = f.fake.requests();
    QCOMPARE(seen.size(), std::size_t{3});
    // Each attempt is signed afresh: a nonce is never sent twice.
    std::set<std::string> nonces;
    for (const auto& request : seen)
        nonces.insert(request.headers.at("coffer-nonce"));
    QCOMPARE(nonces.size(), std::size_t{3});
    QCOMPARE(seen[0].headers.at("coffer-key"), protocol::hex(f.key.publicKey.span()));
    QVERIFY(!seen[0].headers.contains("coffer-session"));
}

void TestServerClient::rateLimitGivesUpAfterThreeRetries() {
    // A hostile Retry-After (a day) is capped; "0" keeps this test quick.
    Fixture f([&](const FakeRequest&) {
        return FakeReply{429, R"({"error":"rate_limited","message":"slow down"})", {{"Retry-After", "0"}}, 0};
    });
    auto grants = f.client->myGrants(protocol::TeamId{});
    REQUIRE_ERROR(grants, ErrorCode::Server);
    QCOMPARE(grants.error().httpStatus, 429);
    QCOMPARE(f.fake.requests().size(), std::size_t{4});
}

void TestServerClient::repliesThatContradictTheRequest() {
    const TestMember owner = TestMember::create("Owner");
    const auto genesis = tests::makeGenesis(owner);
    std::string reply;
    int status = 200;
    Fixture f([&](const FakeRequest&) { return FakeReply{status, reply, {}, 0}; });

    // createTeam: another team id than the genesis hash.
    status = 201;
    reply = json{{"team", std::string(64, 'a')}, {"head", protocol::toJson(tests::headOf(genesis))}}.dump();
    auto team = f.client->createTeam("code", genesis);
    REQUIRE_ERROR(team, ErrorCode::HostileResponse);
    QVERIFY2(team.error().message.contains(QStringLiteral("team id")), describe(team.error()).constData());
    reply = json{{"team", tests::hexOf(protocol::teamIdOf(genesis).bytes)},
                 {"head", protocol::toJson(tests::headOf(genesis))}}
                .dump();
    REQUIRE_OK(f.client->createTeam("code", genesis));

    // acceptInvite: another member id than ours.
    status = 200;
    reply = json{{"member", std::string(64, 'b')}}.dump();
    REQUIRE_ERROR(f.client->acceptInvite(protocol::TeamId{}, "code", owner.identity), ErrorCode::HostileResponse);
    reply = json{{"member", owner.idHex()}}.dump();
    REQUIRE_OK(f.client->acceptInvite(protocol::TeamId{}, "code", owner.identity));

    // putGrants: a count that is not the number sent.
    reply = R"({"stored": 5})";
    REQUIRE_ERROR(f.client->putGrants(protocol::TeamId{}, {}), ErrorCode::HostileResponse);

    // createInvite: anything but {}.
    status = 201;
    reply = R"({"ok": true})";
    REQUIRE_ERROR(f.client->createInvite(protocol::TeamId{}, protocol::Hash{}, 1), ErrorCode::HostileResponse);
    reply = "{}";
    REQUIRE_OK(f.client->createInvite(protocol::TeamId{}, protocol::Hash{}, 1));

    // accessLog: an unknown action.
    status = 200;
    reply =
        json{{"entries",
              {{{"time", 1}, {"member", owner.idHex()}, {"environment", std::string(32, '0')}, {"action", "delete"}}}}}
            .dump();
    auto log = f.client->accessLog(protocol::TeamId{}, 0);
    REQUIRE_ERROR(log, ErrorCode::HostileResponse);
    QVERIFY2(log.error().message.contains(QStringLiteral("entries[0].action")), describe(log.error()).constData());

    // A request body that is not UTF-8 never leaves (nlohmann would throw while encoding it).
    REQUIRE_ERROR(f.client->acceptInvite(protocol::TeamId{}, "bad\xff", owner.identity), ErrorCode::InvalidInput);
}

void TestServerClient::mutatedRepliesNeverCrash() {
    // Byte-level mutations of valid replies to every reading endpoint: each ends in a value or an
    // error, never an exception, a crash or a hang.
    const std::string valid = validPullReply().dump();
    std::string reply = valid;
    Fixture f([&](const FakeRequest&) { return FakeReply{200, reply, {}, 0}; });
    std::mt19937 random(20261130);
    int errors = 0;
    for (int i = 0; i < 300; ++i) {
        reply = valid;
        const int flips = 1 + static_cast<int>(random() % 4);
        for (int k = 0; k < flips; ++k)
            reply[random() % reply.size()] = static_cast<char>(random() % 256);
        auto page = f.client->pull(protocol::TeamId{}, protocol::EnvironmentId{}, 0);
        auto grants = f.client->myGrants(protocol::TeamId{});
        auto roster = f.client->roster(protocol::TeamId{}, 0);
        auto log = f.client->accessLog(protocol::TeamId{}, 0);
        QVERIFY(!grants && !roster && !log); // a pull reply is no valid answer to them
        if (!page) {
            ++errors;
            QVERIFY2(page.error().code == ErrorCode::HostileResponse, describe(page.error()).constData());
        }
    }
    QVERIFY(errors > 200); // a flip inside a hex or base64 string can leave it valid
}

QTEST_GUILESS_MAIN(TestServerClient)
#include "TestServerClient.moc"
