// SPDX-License-Identifier: Apache-2.0
// Request authentication through the in-process Api: missing and broken headers, bad signatures,
// stale times on both sides, replayed nonces, unknown members, the body bound and the rate limit.
#include "tests/server/api/ApiHarness.h"

#include "sync/protocol/RequestAuth.h"

#include <QTest>

using namespace coffer;
using coffer::test::ApiHarness;
using coffer::test::Member;
using coffer::test::Reply;
using coffer::test::Signing;

class TestApiAuth : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void refusedRequests_data() {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("no signature headers") << QByteArray("unsigned") << 401;
        QTest::newRow("signature of other bytes") << QByteArray("bad signature") << 401;
        QTest::newRow("signature header removed") << QByteArray("no signature") << 401;
        QTest::newRow("time header not a number") << QByteArray("bad time") << 401;
        QTest::newRow("301 s in the past") << QByteArray("past") << 401;
        QTest::newRow("301 s in the future") << QByteArray("future") << 401;
        QTest::newRow("body changed after signing") << QByteArray("body changed") << 401;
        QTest::newRow("query changed after signing") << QByteArray("query changed") << 401;
        QTest::newRow("path changed after signing") << QByteArray("path changed") << 401;
        QTest::newRow("signed by a stranger") << QByteArray("stranger") << 403;
        QTest::newRow("300 s in the past is fine") << QByteArray("edge past") << 200;
        QTest::newRow("300 s in the future is fine") << QByteArray("edge future") << 200;
    }
    void refusedRequests() {
        QFETCH(QByteArray, kind);
        QFETCH(int, status);
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member stranger = Member::make("Stranger");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        const std::string target = "/v1/teams/" + team->idHex + "/roster?from=0";
        Signing signing;
        const Member* signer = &owner;
        server::Request request;
        if (kind == QByteArray("unsigned")) {
            signing.sign = false;
        } else if (kind == QByteArray("bad signature")) {
            signing.corruptSignature = true;
        } else if (kind == QByteArray("past")) {
            signing.timeOffset = -301;
        } else if (kind == QByteArray("future")) {
            signing.timeOffset = 301;
        } else if (kind == QByteArray("edge past")) {
            signing.timeOffset = -300;
        } else if (kind == QByteArray("edge future")) {
            signing.timeOffset = 300;
        } else if (kind == QByteArray("stranger")) {
            signer = &stranger;
        }
        request = h.prepare("GET", target, std::string{}, signer, signing);
        if (kind == QByteArray("no signature")) {
            request.headers.erase(std::string(protocol::kHeaderSignature));
        } else if (kind == QByteArray("bad time")) {
            request.headers.insert_or_assign(std::string(protocol::kHeaderTime), "soon");
        } else if (kind == QByteArray("body changed")) {
            request.body = "{}";
        } else if (kind == QByteArray("query changed")) {
            request = server::Request::make("GET", "/v1/teams/" + team->idHex + "/roster?from=1", {}, request.headers);
        } else if (kind == QByteArray("path changed")) {
            request.path = "/v1/teams/" + team->idHex + "/invites/accepted";
        }
        const Reply reply = h.sendRaw(request);
        QCOMPARE(reply.status, status);
        if (status != 200) {
            QCOMPARE(reply.json.at("error").get<std::string>(), status == 401 ? "unauthenticated" : "forbidden");
            QVERIFY(reply.json.at("message").is_string());
        }
    }

    void headerNamesAreCaseInsensitive() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        server::Request request = h.prepare("GET", "/v1/teams/" + team->idHex + "/roster", {}, &owner);
        server::Headers lower;
        for (const auto& [name, value] : request.headers) {
            std::string folded = name;
            for (char& c : folded)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            lower.emplace(folded, value);
        }
        request.headers = lower;
        QCOMPARE(h.sendRaw(request).status, 200);
    }

    void replayedNonceIsRefused() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        const server::Request request = h.prepare("GET", "/v1/teams/" + team->idHex + "/roster", {}, &owner);
        QCOMPARE(h.sendRaw(request).status, 200);
        const Reply replay = h.sendRaw(request);
        QCOMPARE(replay.status, 401);
        QVERIFY(replay.json.at("message").get<std::string>().find("nonce") != std::string::npos);
        // Still refused later within the window, and a fresh request is fine.
        h.clock.advance(200);
        QCOMPARE(h.sendRaw(request).status, 401);
        QCOMPARE(h.get("/v1/teams/" + team->idHex + "/roster", owner).status, 200);
    }

    void bodyOverTheBoundIs413() {
        server::Limits limits;
        limits.maxBodyBytes = 2048;
        ApiHarness h(limits);
        const Member owner = Member::make("Owner");
        const std::string big(4096, ' ');
        QCOMPARE(h.send("POST", "/v1/teams", big, &owner).status, 413);
        QCOMPARE(h.send("POST", "/v1/teams", big, nullptr).status, 413);
        const Reply reply = h.send("POST", "/v1/teams", std::string(2048, ' '), &owner);
        QCOMPARE(reply.status, 400); // within the bound: read, and refused as not JSON
    }

    void tooManyRequestsIs429WithRetryAfter() {
        server::Limits limits;
        limits.rateLimitPerSecond = 2;
        limits.rateLimitBurst = 3;
        ApiHarness h(limits);
        const Member owner = Member::make("Owner");
        const Member other = Member::make("Other");
        const auto team = h.createTeam(owner); // one token
        QVERIFY(team);
        const std::string target = "/v1/teams/" + team->idHex + "/roster";
        QCOMPARE(h.get(target, owner).status, 200);
        QCOMPARE(h.get(target, owner).status, 200);
        const Reply limited = h.get(target, owner);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json.at("error").get<std::string>(), "rate_limited");
        QCOMPARE(limited.headers.at("Retry-After"), std::string("1"));
        // Another member has its own bucket.
        QCOMPARE(h.get(target, other).status, 403);
        // Half a second gives one token back.
        h.clock.nanoseconds += 500'000'000;
        QCOMPARE(h.get(target, owner).status, 200);
        QCOMPARE(h.get(target, owner).status, 429);
    }

    void unknownRoutesAndMethods() {
        ApiHarness h;
        QCOMPARE(h.send("GET", "/", std::string{}, nullptr).status, 404);
        QCOMPARE(h.send("DELETE", "/v1/teams", std::string{}, nullptr).status, 404);
        QCOMPARE(h.send("BREW", "/healthz", std::string{}, nullptr).status, 404);
        QCOMPARE(h.send("GET", "/v1/teams/" + std::string(64, 'a') + "/roster/extra", std::string{}, nullptr).status,
                 404);
        QCOMPARE(h.send("GET", "relative", std::string{}, nullptr).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestApiAuth)
#include "TestApiAuth.moc"
