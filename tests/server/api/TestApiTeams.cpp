// SPDX-License-Identifier: Apache-2.0
// Teams, sessions, invites and the roster through the in-process Api on a real SqliteStore.
#include "tests/server/api/ApiHarness.h"

#include "server/Codes.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

#include <QTest>

using namespace coffer;
using coffer::test::ApiHarness;
using coffer::test::Member;
using coffer::test::Reply;
using coffer::test::Signing;
using coffer::test::Team;
using protocol::Role;
using protocol::RosterEventKind;

namespace {

protocol::RosterEvent genesisOf(const Member& owner, std::int64_t time) {
    protocol::RosterEvent genesis;
    genesis.kind = RosterEventKind::Genesis;
    genesis.subject = owner.identity;
    genesis.role = Role::Owner;
    genesis.signer = owner.id;
    genesis.time = time;
    protocol::signRosterEvent(genesis, owner.sign.secretKey);
    return genesis;
}

} // namespace

class TestApiTeams : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void healthzAnswersWithoutAuthentication() {
        ApiHarness h;
        const Reply reply = h.send("GET", "/healthz", std::string{}, nullptr);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.dump(), (nlohmann::json({{"status", "ok"}})).dump());
    }

    void metricsCountRequestsByRoutePattern() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        QCOMPARE(h.get("/v1/teams/" + team->idHex + "/roster", owner).status, 200);
        QCOMPARE(h.send("GET", "/nowhere", std::string{}, nullptr).status, 404);
        const Reply reply = h.send("GET", "/metrics", std::string{}, nullptr);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.headers.at("Content-Type").starts_with("text/plain"));
        const std::string& text = reply.body;
        QVERIFY(text.find("coffer_http_requests_total{route=\"/v1/teams\",status=\"201\"} 1\n") != std::string::npos);
        QVERIFY(text.find("coffer_http_requests_total{route=\"/v1/teams/{team}/roster\",status=\"200\"} 1\n") !=
                std::string::npos);
        QVERIFY(text.find("coffer_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n") != std::string::npos);
        QVERIFY(text.find("coffer_records_stored 0\n") != std::string::npos);
        // Concrete ids never become labels.
        QVERIFY(text.find(team->idHex) == std::string::npos);
    }

    void createTeamServesTheGenesis() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const auto genesis = genesisOf(owner, h.clock.seconds);
        const Reply reply = h.send(
            "POST", "/v1/teams", nlohmann::json{{"code", h.teamCode()}, {"genesis", protocol::toJson(genesis)}}, owner);
        QCOMPARE(reply.status, 201);
        const std::string team = ApiHarness::hex(protocol::teamIdOf(genesis).bytes);
        QCOMPARE(reply.json.at("team").get<std::string>(), team);
        const protocol::Head head{0, protocol::rosterEventHash(genesis)};
        QCOMPARE(reply.json.at("head").dump(), (protocol::toJson(head)).dump());

        const Reply roster = h.get("/v1/teams/" + team + "/roster", owner);
        QCOMPARE(roster.status, 200);
        QCOMPARE(roster.json.at("events").size(), std::size_t{1});
        QCOMPARE(roster.json.at("events")[0].dump(), (protocol::toJson(genesis)).dump());
        QCOMPARE(roster.json.at("head").dump(), (protocol::toJson(head)).dump());
    }

    void createTeamRefusals_data() {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown code") << QByteArray("unknown code") << 403;
        QTest::newRow("used code") << QByteArray("used code") << 403;
        QTest::newRow("expired code") << QByteArray("expired code") << 403;
        QTest::newRow("team exists") << QByteArray("team exists") << 409;
        QTest::newRow("genesis signature broken") << QByteArray("bad genesis") << 400;
        QTest::newRow("sent by another key") << QByteArray("other sender") << 403;
    }
    void createTeamRefusals() {
        QFETCH(QByteArray, kind);
        QFETCH(int, status);
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member other = Member::make("Other");
        auto genesis = genesisOf(owner, h.clock.seconds);
        std::string code = h.teamCode();
        const Member* sender = &owner;
        if (kind == QByteArray("unknown code")) {
            code = "not-a-code";
        } else if (kind == QByteArray("used code")) {
            const auto first = genesisOf(other, h.clock.seconds);
            QCOMPARE(
                h.send("POST", "/v1/teams", nlohmann::json{{"code", code}, {"genesis", protocol::toJson(first)}}, other)
                    .status,
                201);
        } else if (kind == QByteArray("expired code")) {
            code = h.teamCode(10);
            h.clock.advance(11);
        } else if (kind == QByteArray("team exists")) {
            QCOMPARE(h.send("POST", "/v1/teams",
                            nlohmann::json{{"code", h.teamCode()}, {"genesis", protocol::toJson(genesis)}}, owner)
                         .status,
                     201);
        } else if (kind == QByteArray("bad genesis")) {
            genesis.time += 1; // after signing: the signature no longer covers it
        } else if (kind == QByteArray("other sender")) {
            sender = &other;
        }
        const Reply reply = h.send("POST", "/v1/teams",
                                   nlohmann::json{{"code", code}, {"genesis", protocol::toJson(genesis)}}, *sender);
        QCOMPARE(reply.status, status);
        QVERIFY(reply.json.contains("error"));
        QVERIFY(reply.json.contains("message"));
    }

    void teamExistsDoesNotSpendTheCode() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const auto genesis = genesisOf(owner, h.clock.seconds);
        QCOMPARE(h.send("POST", "/v1/teams",
                        nlohmann::json{{"code", h.teamCode()}, {"genesis", protocol::toJson(genesis)}}, owner)
                     .status,
                 201);
        const std::string code = h.teamCode();
        QCOMPARE(
            h.send("POST", "/v1/teams", nlohmann::json{{"code", code}, {"genesis", protocol::toJson(genesis)}}, owner)
                .status,
            409);
        const auto another = genesisOf(owner, h.clock.seconds + 1); // another time: another team
        QCOMPARE(
            h.send("POST", "/v1/teams", nlohmann::json{{"code", code}, {"genesis", protocol::toJson(another)}}, owner)
                .status,
            201);
    }

    void sessionsResolveToTheDeviceKeyAndExpire() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        const auto sessionKey = crypto::SigningKeyPair::keygen();
        const std::string sessionHex = ApiHarness::hex(sessionKey.publicKey.bytes);
        const Reply created = h.send(
            "POST", "/v1/sessions",
            nlohmann::json{{"team", team->idHex}, {"sessionKey", sessionHex}, {"expiresAt", h.clock.seconds + 100000}},
            owner);
        QCOMPARE(created.status, 200);
        QCOMPARE(created.json.at("sessionKey").get<std::string>(), sessionHex);
        QCOMPARE(created.json.at("expiresAt").get<std::int64_t>(), h.clock.seconds + 600);

        Signing session;
        session.session = true;
        session.sessionKey = &sessionKey;
        QCOMPARE(h.get("/v1/teams/" + team->idHex + "/roster", owner, session).status, 200);
        // A session cannot make another session: that needs the device key.
        QCOMPARE(h.send("POST", "/v1/sessions",
                        nlohmann::json{
                            {"team", team->idHex}, {"sessionKey", sessionHex}, {"expiresAt", h.clock.seconds + 60}},
                        owner, session)
                     .status,
                 401);
        h.clock.advance(601);
        QCOMPARE(h.get("/v1/teams/" + team->idHex + "/roster", owner, session).status, 401);
    }

    void sessionRefusals() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member stranger = Member::make("Stranger");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        const std::string key = ApiHarness::hex(crypto::SigningKeyPair::keygen().publicKey.bytes);
        // Not a member of the team.
        QCOMPARE(h.send("POST", "/v1/sessions",
                        nlohmann::json{{"team", team->idHex}, {"sessionKey", key}, {"expiresAt", h.clock.seconds + 60}},
                        stranger)
                     .status,
                 403);
        // Already expired.
        QCOMPARE(h.send("POST", "/v1/sessions",
                        nlohmann::json{{"team", team->idHex}, {"sessionKey", key}, {"expiresAt", h.clock.seconds}},
                        owner)
                     .status,
                 400);
        // A live session key of another device cannot be taken over.
        const Member second = Member::make("Second");
        auto withSecond = h.createTeam(second);
        QVERIFY(withSecond);
        QCOMPARE(h.send("POST", "/v1/sessions",
                        nlohmann::json{{"team", team->idHex}, {"sessionKey", key}, {"expiresAt", h.clock.seconds + 60}},
                        owner)
                     .status,
                 200);
        QCOMPARE(h.send("POST", "/v1/sessions",
                        nlohmann::json{
                            {"team", withSecond->idHex}, {"sessionKey", key}, {"expiresAt", h.clock.seconds + 60}},
                        second)
                     .status,
                 403);
        // An unknown session key.
        const auto unknown = crypto::SigningKeyPair::keygen();
        Signing session;
        session.session = true;
        session.sessionKey = &unknown;
        QCOMPARE(h.get("/v1/teams/" + team->idHex + "/roster", owner, session).status, 401);
    }

    void invitesFromCodeToAcceptance() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member invitee = Member::make("Invitee");
        const Member stranger = Member::make("Stranger");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        const std::string base = "/v1/teams/" + team->idHex + "/invites";
        const std::string code = "invite-code-1";
        QCOMPARE(h.send("POST", base,
                        nlohmann::json{{"codeHash", server::codeHash(code)}, {"expiresAt", h.clock.seconds + 3600}},
                        owner)
                     .status,
                 201);
        // Beyond seven days, or in the past.
        QCOMPARE(h.send("POST", base,
                        nlohmann::json{{"codeHash", server::codeHash("x")}, {"expiresAt", h.clock.seconds + 8 * 86400}},
                        owner)
                     .status,
                 400);
        QCOMPARE(h.send("POST", base,
                        nlohmann::json{{"codeHash", server::codeHash("x")}, {"expiresAt", h.clock.seconds - 1}}, owner)
                     .status,
                 400);
        // A wrong code and the right one: the invitee signs with its own key, not a member yet.
        const auto identity = protocol::toJson(invitee.identity);
        QCOMPARE(
            h.send("POST", base + "/accept", nlohmann::json{{"code", "wrong"}, {"identity", identity}}, invitee).status,
            403);
        const Reply accepted =
            h.send("POST", base + "/accept", nlohmann::json{{"code", code}, {"identity", identity}}, invitee);
        QCOMPARE(accepted.status, 200);
        QCOMPARE(accepted.json.at("member").get<std::string>(), invitee.idHex);
        // Single use.
        QCOMPARE(
            h.send("POST", base + "/accept", nlohmann::json{{"code", code}, {"identity", identity}}, invitee).status,
            403);
        // An identity sent by someone else's key.
        QCOMPARE(h.send("POST", base + "/accept",
                        nlohmann::json{{"code", "any"}, {"identity", protocol::toJson(stranger.identity)}}, invitee)
                     .status,
                 403);

        const Reply list = h.get(base + "/accepted", owner);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json.at("acceptances").size(), std::size_t{1});
        QCOMPARE(list.json.at("acceptances")[0].at("member").get<std::string>(), invitee.idHex);
        QCOMPARE(list.json.at("acceptances")[0].at("identity").dump(), (identity).dump());
        QCOMPARE(list.json.at("acceptances")[0].at("acceptedAt").get<std::int64_t>(), h.clock.seconds);
    }

    void expiredInviteIsRefusedLikeAnUnknownOne() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member invitee = Member::make("Invitee");
        const auto team = h.createTeam(owner);
        QVERIFY(team);
        const std::string base = "/v1/teams/" + team->idHex + "/invites";
        QCOMPARE(h.send("POST", base,
                        nlohmann::json{{"codeHash", server::codeHash("c")}, {"expiresAt", h.clock.seconds + 60}}, owner)
                     .status,
                 201);
        h.clock.advance(61);
        const Reply expired =
            h.send("POST", base + "/accept",
                   nlohmann::json{{"code", "c"}, {"identity", protocol::toJson(invitee.identity)}}, invitee);
        const Reply unknown =
            h.send("POST", base + "/accept",
                   nlohmann::json{{"code", "d"}, {"identity", protocol::toJson(invitee.identity)}}, invitee);
        QCOMPARE(expired.status, 403);
        QCOMPARE(expired.body, unknown.body);
    }

    void invitesNeedAnAdmin() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member member = Member::make("Member");
        auto team = h.createTeam(owner);
        QVERIFY(team);
        QVERIFY(h.addMember(*team, owner, member, Role::Member));
        const std::string base = "/v1/teams/" + team->idHex + "/invites";
        QCOMPARE(h.send("POST", base,
                        nlohmann::json{{"codeHash", server::codeHash("c")}, {"expiresAt", h.clock.seconds + 60}},
                        member)
                     .status,
                 403);
        QCOMPARE(h.get(base + "/accepted", member).status, 403);
    }

    void rosterAppendAndRead() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member alice = Member::make("Alice");
        const Member bob = Member::make("Bob");
        auto team = h.createTeam(owner);
        QVERIFY(team);
        QVERIFY(h.addMember(*team, owner, alice, Role::Admin));
        // An admin other than the owner adds someone.
        QVERIFY(h.addMember(*team, alice, bob, Role::Member));

        const Reply all = h.get("/v1/teams/" + team->idHex + "/roster", bob);
        QCOMPARE(all.status, 200);
        QCOMPARE(all.json.at("events").size(), std::size_t{3});
        QCOMPARE(all.json.at("head").dump(), (protocol::toJson(team->head())).dump());
        const Reply tail = h.get("/v1/teams/" + team->idHex + "/roster?from=2", bob);
        QCOMPARE(tail.status, 200);
        QCOMPARE(tail.json.at("events").size(), std::size_t{1});
        QCOMPARE(tail.json.at("events")[0].dump(), (protocol::toJson(team->events.back())).dump());
    }

    void rosterAppendOnAStaleHeadIsAConflict() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member alice = Member::make("Alice");
        const Member bob = Member::make("Bob");
        auto team = h.createTeam(owner);
        QVERIFY(team);
        Team stale = *team;
        QVERIFY(h.addMember(*team, owner, alice, Role::Member));
        const Reply reply =
            h.appendRoster(stale, owner, h.rosterEvent(stale, owner, bob, RosterEventKind::Add, Role::Member));
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.json.at("head").dump(), (protocol::toJson(team->head())).dump());
    }

    void rosterChangeByANonAdmin() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member member = Member::make("Member");
        const Member newcomer = Member::make("Newcomer");
        auto team = h.createTeam(owner);
        QVERIFY(team);
        QVERIFY(h.addMember(*team, owner, member, Role::Member));
        // Sent by a non-admin.
        QCOMPARE(
            h.appendRoster(*team, member, h.rosterEvent(*team, owner, newcomer, RosterEventKind::Add, Role::Member))
                .status,
            403);
        // Sent by an admin, but signed by a non-admin: the chain check refuses it.
        QCOMPARE(
            h.appendRoster(*team, owner, h.rosterEvent(*team, member, newcomer, RosterEventKind::Add, Role::Member))
                .status,
            403);
    }

    void brokenRosterEventIsMalformed() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member newcomer = Member::make("Newcomer");
        auto team = h.createTeam(owner);
        QVERIFY(team);
        auto event = h.rosterEvent(*team, owner, newcomer, RosterEventKind::Add, Role::Member);
        event.previous.bytes[0] ^= std::byte{1};
        protocol::signRosterEvent(event, owner.sign.secretKey);
        QCOMPARE(h.appendRoster(*team, owner, event).status, 400);
        auto unsigned_ = h.rosterEvent(*team, owner, newcomer, RosterEventKind::Add, Role::Member);
        unsigned_.time += 1;
        QCOMPARE(h.appendRoster(*team, owner, unsigned_).status, 400);
    }

    void removedMemberIsRefusedAtOnce() {
        ApiHarness h;
        const Member owner = Member::make("Owner");
        const Member bob = Member::make("Bob");
        auto team = h.createTeam(owner);
        QVERIFY(team);
        QVERIFY(h.addMember(*team, owner, bob, Role::Member));
        const auto sessionKey = crypto::SigningKeyPair::keygen();
        QCOMPARE(h.send("POST", "/v1/sessions",
                        nlohmann::json{{"team", team->idHex},
                                       {"sessionKey", ApiHarness::hex(sessionKey.publicKey.bytes)},
                                       {"expiresAt", h.clock.seconds + 600}},
                        bob)
                     .status,
                 200);
        QCOMPARE(h.get("/v1/teams/" + team->idHex + "/roster", bob).status, 200);

        QCOMPARE(h.appendRoster(*team, owner, h.rosterEvent(*team, owner, bob, RosterEventKind::Remove, Role::Member))
                     .status,
                 200);
        const Reply direct = h.get("/v1/teams/" + team->idHex + "/roster", bob);
        QCOMPARE(direct.status, 403);
        Signing session;
        session.session = true;
        session.sessionKey = &sessionKey;
        QCOMPARE(h.get("/v1/teams/" + team->idHex + "/roster", bob, session).status, 403);
    }

    void unknownTeamIs404() {
        ApiHarness h;
        const Member someone = Member::make("Someone");
        const std::string team(64, 'a');
        QCOMPARE(h.get("/v1/teams/" + team + "/roster", someone).status, 404);
        QCOMPARE(h.get("/v1/teams/not-hex/roster", someone).status, 400);
    }
};

QTEST_GUILESS_MAIN(TestApiTeams)
#include "TestApiTeams.moc"
