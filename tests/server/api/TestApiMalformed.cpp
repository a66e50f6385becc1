// SPDX-License-Identifier: Apache-2.0
// Hostile bodies through the in-process Api: every endpoint that reads a body gets malformed JSON of
// many shapes (signed correctly by an admin with a write grant, so nothing but the body is wrong) and
// must answer 400 with the error body, never 500, a crash or a hang. Then seeded mutations of valid
// bodies: whatever they become, the answer is a well-formed refusal or a success, never a 500.
#include "tests/server/api/ApiHarness.h"

#include "server/Codes.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

#include <QTest>

#include <random>

using namespace coffer;
using coffer::test::ApiHarness;
using coffer::test::Member;
using coffer::test::Reply;
using coffer::test::Team;

namespace {

struct Endpoint {
    const char* name;
    const char* method;
};

constexpr Endpoint kEndpoints[] = {
    {"sessions", "POST"}, {"teams", "POST"}, {"invites", "POST"}, {"accept", "POST"},
    {"roster", "POST"},   {"grants", "PUT"}, {"records", "POST"},
};

std::string repeat(std::string_view part, std::size_t times) {
    std::string out;
    out.reserve(part.size() * times);
    for (std::size_t i = 0; i < times; ++i)
        out += part;
    return out;
}

} // namespace

class TestApiMalformed : public QObject {
    Q_OBJECT

    std::unique_ptr<ApiHarness> m_h;
    Member m_owner = Member::make("Owner");
    Member m_newcomer = Member::make("Newcomer");
    Team m_team;
    protocol::EnvironmentId m_environment = ApiHarness::newEnvironment();

    std::string target(std::string_view endpoint) const {
        const std::string team = "/v1/teams/" + m_team.idHex;
        if (endpoint == "sessions")
            return "/v1/sessions";
        if (endpoint == "teams")
            return "/v1/teams";
        if (endpoint == "invites")
            return team + "/invites";
        if (endpoint == "accept")
            return team + "/invites/accept";
        if (endpoint == "roster")
            return team + "/roster";
        if (endpoint == "grants")
            return team + "/grants";
        return ApiHarness::envPath(m_team, m_environment) + "/records";
    }

    /// A body the endpoint accepts (or refuses only for state, not shape).
    nlohmann::json validBody(std::string_view endpoint) const {
        auto& h = *m_h;
        if (endpoint == "sessions")
            return {{"team", m_team.idHex},
                    {"sessionKey", ApiHarness::hex(crypto::SigningKeyPair::keygen().publicKey.bytes)},
                    {"expiresAt", h.clock.seconds + 60}};
        if (endpoint == "teams") {
            protocol::RosterEvent genesis;
            genesis.kind = protocol::RosterEventKind::Genesis;
            genesis.subject = m_owner.identity;
            genesis.role = protocol::Role::Owner;
            genesis.signer = m_owner.id;
            genesis.time = h.clock.seconds + 1;
            protocol::signRosterEvent(genesis, m_owner.sign.secretKey);
            return {{"code", "some-code"}, {"genesis", protocol::toJson(genesis)}};
        }
        if (endpoint == "invites")
            return {{"codeHash", server::codeHash("c")}, {"expiresAt", h.clock.seconds + 60}};
        if (endpoint == "accept")
            return {{"code", "c"}, {"identity", protocol::toJson(m_owner.identity)}};
        if (endpoint == "roster") {
            const auto event =
                h.rosterEvent(m_team, m_owner, m_newcomer, protocol::RosterEventKind::Add, protocol::Role::Member);
            return {{"expectedHead", protocol::toJson(m_team.head())}, {"events", {protocol::toJson(event)}}};
        }
        if (endpoint == "grants") {
            const auto grant = h.grant(m_team, m_owner, m_owner, m_environment, 1, protocol::Access::Write);
            return {{"grants", {protocol::toJson(grant)}}};
        }
        const auto records = h.batch(m_team, m_environment, m_owner, 1, protocol::Head{}, 2);
        return {{"expectedHead", protocol::toJson(protocol::Head{})},
                {"records", {protocol::toJson(records[0]), protocol::toJson(records[1])}}};
    }

private Q_SLOTS:
    void initTestCase() {
        server::Limits limits;
        limits.rateLimitPerSecond = 0; // thousands of requests from one member, on purpose
        m_h = std::make_unique<ApiHarness>(limits);
        auto team = m_h->createTeam(m_owner);
        QVERIFY(team);
        m_team = *team;
        QCOMPARE(m_h->putGrants(m_team, m_owner,
                                {m_h->grant(m_team, m_owner, m_owner, m_environment, 1, protocol::Access::Write)})
                     .status,
                 200);
    }

    void malformedBodies_data() {
        QTest::addColumn<QByteArray>("endpoint");
        QTest::addColumn<QByteArray>("body");
        const std::pair<const char*, std::string> shapes[] = {
            {"empty", ""},
            {"truncated object", "{"},
            {"truncated string", "{\"code\": \"abc"},
            {"null", "null"},
            {"number", "1"},
            {"string", "\"text\""},
            {"array", "[]"},
            {"boolean", "true"},
            {"empty object", "{}"},
            {"unexpected field", "{\"unexpected\": 1}"},
            {"trailing garbage", "{} garbage"},
            {"two objects", "{}{}"},
            {"NUL byte", std::string("{\0}", 3)},
            {"invalid UTF-8", "{\"code\": \"\xff\xfe\"}"},
            {"lone surrogate", "{\"code\": \"\\ud800\"}"},
            {"deep arrays", repeat("[", 100000)},
            {"deep objects", repeat("{\"a\":", 50000) + "1" + repeat("}", 50000)},
            {"huge number", "{\"expiresAt\": 1e400}"},
            {"NaN", "{\"expiresAt\": NaN}"},
            {"comment", "/* hi */ {}"},
            {"single quotes", "{'code': 'x'}"},
            {"duplicate keys", "{\"code\": \"a\", \"code\": \"b\"}"},
            {"BOM", "\xef\xbb\xbf{}"},
            {"wrong types", "{\"team\": 1, \"sessionKey\": [], \"expiresAt\": \"soon\", \"code\": {}, \"genesis\": 2,"
                            " \"codeHash\": null, \"identity\": [], \"expectedHead\": \"x\", \"events\": {},"
                            " \"grants\": 3, \"records\": \"r\"}"},
            {"negative seq head", "{\"expectedHead\": {\"seq\": -1, \"hash\": \"00\"}, \"records\": [{}],"
                                  " \"events\": [{}]}"},
            {"empty lists", "{\"expectedHead\": {\"seq\": 0, \"hash\": \"" + std::string(64, '0') +
                                "\"}, \"records\": [], \"events\": [], \"grants\": []}"},
            {"null items", "{\"expectedHead\": {\"seq\": 0, \"hash\": \"" + std::string(64, '0') +
                               "\"}, \"records\": [null], \"events\": [null], \"grants\": [null]}"},
            {"long strings", "{\"code\": \"" + std::string(100000, 'x') + "\", \"team\": \"" +
                                 std::string(100000, 'a') + "\", \"codeHash\": \"" + std::string(100000, 'b') + "\"}"},
            {"uppercase hex", "{\"team\": \"" + std::string(64, 'A') + "\", \"sessionKey\": \"" + std::string(64, 'B') +
                                  "\", \"expiresAt\": 1, \"codeHash\": \"" + std::string(64, 'C') + "\"}"},
        };
        for (const auto& endpoint : kEndpoints) {
            for (const auto& [shape, body] : shapes) {
                const std::string row = std::string(endpoint.name) + ": " + shape;
                QTest::newRow(row.c_str())
                    << QByteArray(endpoint.name) << QByteArray(body.data(), static_cast<qsizetype>(body.size()));
            }
        }
    }
    void malformedBodies() {
        QFETCH(QByteArray, endpoint);
        QFETCH(QByteArray, body);
        const std::string name = endpoint.toStdString();
        const auto* info = std::find_if(std::begin(kEndpoints), std::end(kEndpoints),
                                        [&](const Endpoint& e) { return name == e.name; });
        const Reply reply = m_h->send(info->method, target(name), body.toStdString(), &m_owner);
        QVERIFY2(reply.status == 400, reply.body.c_str());
        QCOMPARE(reply.json.at("error").get<std::string>(), "malformed");
        QVERIFY(reply.json.at("message").is_string());
        // The refusal never echoes the body.
        if (body.size() > 8)
            QVERIFY(reply.body.find(body.toStdString()) == std::string::npos);
    }

    void validBodiesAreAccepted() {
        // The mutation test below starts from these; make sure they are what they claim.
        QCOMPARE(m_h->send("POST", target("sessions"), validBody("sessions"), m_owner).status, 200);
        QCOMPARE(m_h->send("POST", target("invites"), validBody("invites"), m_owner).status, 201);
        QCOMPARE(m_h->send("PUT", target("grants"), validBody("grants"), m_owner).status, 200);
    }

    void mutatedBodiesNeverCrash_data() {
        QTest::addColumn<QByteArray>("endpoint");
        for (const auto& endpoint : kEndpoints)
            QTest::newRow(endpoint.name) << QByteArray(endpoint.name);
    }
    void mutatedBodiesNeverCrash() {
        QFETCH(QByteArray, endpoint);
        const std::string name = endpoint.toStdString();
        const auto* info = std::find_if(std::begin(kEndpoints), std::end(kEndpoints),
                                        [&](const Endpoint& e) { return name == e.name; });
        std::mt19937 random(0xC0FFEE);
        const std::string valid = validBody(name).dump();
        for (int round = 0; round < 300; ++round) {
            std::string body = valid;
            const int edits = 1 + static_cast<int>(random() % 4);
            for (int e = 0; e < edits && !body.empty(); ++e) {
                const std::size_t at = random() % body.size();
                switch (random() % 4) {
                case 0:
                    body[at] = static_cast<char>(random() % 256);
                    break;
                case 1:
                    body.erase(at, 1 + random() % 8);
                    break;
                case 2:
                    body.insert(at, 1, "{}[]\",:0-e"[random() % 10]);
                    break;
                default:
                    body.resize(at);
                    break;
                }
            }
            const Reply reply = m_h->send(info->method, target(name), body, &m_owner);
            const int s = reply.status;
            QVERIFY2(s == 200 || s == 201 || s == 400 || s == 403 || s == 404 || s == 409 || s == 413,
                     (std::to_string(s) + " " + reply.body).c_str());
            QVERIFY(reply.json.is_object());
        }
        QCOMPARE(m_h->send("GET", "/healthz", std::string{}, nullptr).status, 200);
    }

    void hostileRequestLines() {
        // Random methods, paths, queries and auth headers, signed or not: never a 500, never a success
        // for a request that is not a correctly signed one.
        std::mt19937 random(0xBADC0DE);
        const std::string team = m_team.idHex;
        const std::string environment = ApiHarness::hex(m_environment);
        const std::vector<std::string> segments = {"v1",
                                                   "teams",
                                                   team,
                                                   "environments",
                                                   environment,
                                                   "records",
                                                   "roster",
                                                   "grants",
                                                   "invites",
                                                   "accept",
                                                   "accepted",
                                                   "access-log",
                                                   "sessions",
                                                   "..",
                                                   "%00",
                                                   "",
                                                   std::string(3000, 'a'),
                                                   "healthz",
                                                   "metrics",
                                                   "\xff"};
        const std::vector<std::string> methods = {"GET", "POST", "PUT", "DELETE", "get", "", "X"};
        const std::vector<std::string> queries = {
            "",          "after=1",   "after=-1",       "limit=99999999999999999999", "from=&from=", "environment=zz",
            "since=1e9", "a=%zz&&=&", "after=0&limit=0"};
        const std::vector<std::string> times = {"", "1e9", " 5", "-0", "99999999999999999999", "0x10", "\t1"};
        for (int round = 0; round < 2000; ++round) {
            std::string path;
            const int depth = 1 + static_cast<int>(random() % 7);
            for (int i = 0; i < depth; ++i)
                path += "/" + segments[random() % segments.size()];
            const std::string& query = queries[random() % queries.size()];
            const std::string target = query.empty() ? path : path + "?" + query;
            const std::string& method = methods[random() % methods.size()];
            server::Request request = m_h->prepare(method, target, random() % 2 ? "{}" : "", &m_owner);
            const bool tampered = random() % 2 == 0;
            if (tampered) {
                switch (random() % 4) {
                case 0:
                    request.headers.insert_or_assign("Coffer-Time", times[random() % times.size()]);
                    break;
                case 1:
                    request.headers.insert_or_assign("Coffer-Session", m_owner.keyHex);
                    break;
                case 2:
                    request.headers.insert_or_assign("Coffer-Nonce", "00");
                    break;
                default:
                    request.headers.erase("Coffer-Key");
                    break;
                }
            }
            const Reply reply = m_h->sendRaw(request);
            QVERIFY2(reply.status != 500 && (reply.json.is_object() || path == "/metrics"),
                     (method + " " + target + " " + reply.body).c_str());
            if (tampered && reply.status < 300) {
                // Only the unauthenticated routes answer without a valid signature.
                QVERIFY2(path == "/healthz" || path == "/metrics", target.c_str());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestApiMalformed)
#include "TestApiMalformed.moc"
