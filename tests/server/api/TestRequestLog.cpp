// SPDX-License-Identifier: Apache-2.0
// The request log: one JSON line per request with exactly the six fields, captured through an
// injectable sink, and never a body, a header value, a signature, a nonce, a key or a code.
#include "tests/server/api/ApiHarness.h"

#include "server/Codes.h"
#include "server/RequestLog.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"

#include <QTest>

using namespace coffer;
using coffer::test::ApiHarness;
using coffer::test::Member;
using coffer::test::Reply;

class TestRequestLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formatHasExactlyTheSixFields() {
        const std::string line = server::RequestLog::format({1'700'000'000, "/v1/teams", "POST", 201, "ab12", 1.23456});
        QVERIFY(line.ends_with("\n"));
        QCOMPARE(std::count(line.begin(), line.end(), '\n'), 1);
        const auto json = nlohmann::json::parse(line);
        QCOMPARE(json.size(), std::size_t{6});
        QCOMPARE(json.at("time").get<std::string>(), "2023-11-14T22:13:20Z");
        QCOMPARE(json.at("route").get<std::string>(), "/v1/teams");
        QCOMPARE(json.at("method").get<std::string>(), "POST");
        QCOMPARE(json.at("status").get<int>(), 201);
        QCOMPARE(json.at("member").get<std::string>(), "ab12");
        QCOMPARE(json.at("durationMs").get<double>(), 1.234);
        QVERIFY(nlohmann::json::parse(server::RequestLog::format({0, "/healthz", "GET", 200, "", 0}))
                    .at("member")
                    .is_null());
    }

    void disabledLogWritesNothing() {
        server::RequestLog log(false);
        log.write({0, "/healthz", "GET", 200, "", 0}); // nothing to observe but that it does not crash
        std::vector<std::string> lines;
        server::RequestLog captured([&](std::string_view line) { lines.emplace_back(line); });
        captured.write({0, "/healthz", "GET", 200, "", 0});
        QCOMPARE(lines.size(), std::size_t{1});
    }

    void linesNeverHoldSecrets() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        const std::string code = "a-secret-invite-code";
        const std::string base = "/v1/teams/" + team->idHex + "/invites";
        QCOMPARE(h.send("POST", base,
                        nlohmann::json{{"codeHash", server::codeHash(code)}, {"expiresAt", h.clock.seconds + 60}},
                        owner)
                     .status,
                 201);
        const Member invitee = Member::make("Invitee");
        const std::string body =
            nlohmann::json{{"code", code}, {"identity", protocol::toJson(invitee.identity)}}.dump();
        const server::Request request = h.prepare("POST", base + "/accept", body, &invitee);
        QCOMPARE(h.sendRaw(request).status, 200);
        QCOMPARE(h.sendRaw(request).status, 401); // a replay, logged as well
        QCOMPARE(h.send("POST", "/v1/teams", std::string("{\"code\": \"team-code-secret\""), &owner).status, 400);

        QCOMPARE(h.logLines.size(), std::size_t{5}); // createTeam, invite, accept, replay, bad team
        std::vector<std::string> forbidden = {code,         "team-code-secret", server::codeHash(code),
                                              owner.keyHex, invitee.keyHex,     invitee.identity.displayName,
                                              "Coffer-"};
        for (const auto& [name, value] : request.headers)
            forbidden.push_back(value);
        for (const std::string& line : h.logLines) {
            const auto json = nlohmann::json::parse(line);
            QCOMPARE(json.size(), std::size_t{6});
            for (const std::string& secret : forbidden)
                QVERIFY2(line.find(secret) == std::string::npos, (line + " holds " + secret).c_str());
        }
        // The accepted invite is logged with the route pattern, not the path, and the new member's id.
        const auto accepted = nlohmann::json::parse(h.logLines[2]);
        QCOMPARE(accepted.at("route").get<std::string>(), "/v1/teams/{team}/invites/accept");
        QCOMPARE(accepted.at("status").get<int>(), 200);
        QCOMPARE(accepted.at("member").get<std::string>(), invitee.idHex);
        QVERIFY(h.logLines[2].find(team->idHex) == std::string::npos);
    }

    void hostileMethodIsNotLoggedAsSent() {
        ApiHarness h;
        const Reply reply = h.send("\"}\n{\"x", "/healthz", std::string{}, nullptr);
        QCOMPARE(reply.status, 404);
        QCOMPARE(h.logLines.size(), std::size_t{1});
        QCOMPARE(nlohmann::json::parse(h.logLines[0]).at("method").get<std::string>(), "OTHER");
    }
};

QTEST_GUILESS_MAIN(TestRequestLog)
#include "TestRequestLog.moc"
