// SPDX-License-Identifier: Apache-2.0
// Grants through the in-process Api: only admins store them, each is verified against the roster,
// members read their own, admins and the environment's grantees read an environment's.
#include "tests/server/api/ApiHarness.h"

#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

#include <QTest>

using namespace coffer;
using coffer::test::ApiHarness;
using coffer::test::Member;
using coffer::test::Reply;
using coffer::test::Team;
using protocol::Access;
using protocol::Role;

class TestApiGrants : public QObject {
    Q_OBJECT

    struct Fixture {
        explicit Fixture(server::Limits limits)
            : h(limits) {}
        ApiHarness h;
        Member owner = Member::make("Owner");
        Member admin = Member::make("Admin");
        Member alice = Member::make("Alice");
        Member bob = Member::make("Bob");
        Team team;
        protocol::EnvironmentId environment = ApiHarness::newEnvironment();
    };

    static std::unique_ptr<Fixture> fixture(server::Limits limits = {}) {
        auto f = std::make_unique<Fixture>(limits);
        auto team = f->h.createTeam(f->owner);
        if (!team)
            return nullptr;
        f->team = *team;
        if (!f->h.addMember(f->team, f->owner, f->admin, Role::Admin) ||
            !f->h.addMember(f->team, f->owner, f->alice, Role::Member) ||
            !f->h.addMember(f->team, f->owner, f->bob, Role::Member))
            return nullptr;
        return f;
    }

private Q_SLOTS:
    void adminStoresAndMembersReadTheirOwn() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const auto toAlice = h.grant(f->team, f->owner, f->alice, f->environment, 1, Access::Write);
        const auto toBob = h.grant(f->team, f->owner, f->bob, f->environment, 1, Access::Read);
        const Reply stored = h.putGrants(f->team, f->owner, {toAlice, toBob});
        QCOMPARE(stored.status, 200);
        QCOMPARE(stored.json.at("stored").get<int>(), 2);

        const std::string base = "/v1/teams/" + f->team.idHex + "/grants";
        const Reply own = h.get(base, f->alice);
        QCOMPARE(own.status, 200);
        QCOMPARE(own.json.at("grants").size(), std::size_t{1});
        QCOMPARE(own.json.at("grants")[0].dump(), (protocol::toJson(toAlice)).dump());

        const Reply all = h.get(base + "?environment=" + ApiHarness::hex(f->environment), f->admin);
        QCOMPARE(all.status, 200);
        QCOMPARE(all.json.at("grants").size(), std::size_t{2});
        // A member holding a grant of the environment may list all of its grants too.
        const Reply byGrantee = h.get(base + "?environment=" + ApiHarness::hex(f->environment), f->alice);
        QCOMPARE(byGrantee.status, 200);
        QCOMPARE(byGrantee.json.at("grants").size(), std::size_t{2});
        QCOMPARE(h.get(base + "?environment=XYZ", f->admin).status, 400);
    }

    void environmentGrantsNeedAnAdminOrAGrantee() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const protocol::EnvironmentId other = ApiHarness::newEnvironment();
        // Alice holds epoch 1 of the environment only; Bob holds a grant of another environment only.
        QCOMPARE(h.putGrants(f->team, f->owner,
                             {h.grant(f->team, f->owner, f->alice, f->environment, 1, Access::Read),
                              h.grant(f->team, f->owner, f->admin, f->environment, 1, Access::Write),
                              h.grant(f->team, f->owner, f->admin, f->environment, 2, Access::Write),
                              h.grant(f->team, f->owner, f->bob, other, 1, Access::Write)})
                     .status,
                 200);
        const std::string base = "/v1/teams/" + f->team.idHex + "/grants?environment=";
        const std::string target = base + ApiHarness::hex(f->environment);

        // A grant at an old epoch is enough (Alice has none at the current epoch 2).
        const Reply byAlice = h.get(target, f->alice);
        QCOMPARE(byAlice.status, 200);
        QCOMPARE(byAlice.json.at("grants").size(), std::size_t{3});
        // A grant of another environment is not.
        const Reply byBob = h.get(target, f->bob);
        QCOMPARE(byBob.status, 403);
        QCOMPARE(byBob.json.at("error").get<std::string>(), std::string("forbidden"));
        QCOMPARE(h.get(base + ApiHarness::hex(other), f->bob).status, 200);
        // An unknown environment lists nothing, so only an admin may ask.
        QCOMPARE(h.get(base + ApiHarness::hex(ApiHarness::newEnvironment()), f->bob).status, 403);
        QCOMPARE(h.get(base + ApiHarness::hex(ApiHarness::newEnvironment()), f->admin).status, 200);
        // Removed from the team: refused even though its grant stays stored.
        QCOMPARE(
            h.appendRoster(f->team, f->owner,
                           h.rosterEvent(f->team, f->owner, f->alice, protocol::RosterEventKind::Remove, Role::Member))
                .status,
            200);
        QCOMPARE(h.get(target, f->alice).status, 403);
    }

    void anotherAdminStoresItsOwnGrants() {
        auto f = fixture();
        QVERIFY(f);
        const auto grant = f->h.grant(f->team, f->admin, f->alice, f->environment, 1, Access::Read);
        QCOMPARE(f->h.putGrants(f->team, f->admin, {grant}).status, 200);
    }

    void refusals_data() {
        QTest::addColumn<QByteArray>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("sent by a non-admin") << QByteArray("non-admin caller") << 403;
        QTest::newRow("signed by another admin than the caller") << QByteArray("other admin") << 403;
        QTest::newRow("naming the caller, signed by a member") << QByteArray("non-admin signer") << 403;
        QTest::newRow("for another team") << QByteArray("other team") << 400;
        QTest::newRow("tampered after signing") << QByteArray("tampered") << 400;
        QTest::newRow("to a stranger") << QByteArray("stranger") << 400;
        QTest::newRow("wrong roster head") << QByteArray("roster head") << 400;
    }
    void refusals() {
        QFETCH(QByteArray, kind);
        QFETCH(int, status);
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        const Member* caller = &f->owner;
        auto grant = h.grant(f->team, f->owner, f->alice, f->environment, 1, Access::Read);
        if (kind == QByteArray("non-admin caller")) {
            caller = &f->alice;
            grant = h.grant(f->team, f->alice, f->bob, f->environment, 1, Access::Read);
        } else if (kind == QByteArray("other admin")) {
            caller = &f->owner;
            grant = h.grant(f->team, f->admin, f->alice, f->environment, 1, Access::Read);
        } else if (kind == QByteArray("non-admin signer")) {
            // The signer field names the caller (an admin) but a member's key signed it.
            caller = &f->owner;
            grant.admin = f->owner.id;
            protocol::signGrant(grant, f->alice.sign.secretKey);
        } else if (kind == QByteArray("other team")) {
            grant.team.bytes[0] ^= std::byte{1};
            protocol::signGrant(grant, f->owner.sign.secretKey);
        } else if (kind == QByteArray("tampered")) {
            grant.epoch = 2;
        } else if (kind == QByteArray("stranger")) {
            const Member stranger = Member::make("Stranger");
            grant = h.grant(f->team, f->owner, stranger, f->environment, 1, Access::Read);
        } else if (kind == QByteArray("roster head")) {
            grant.rosterHead.bytes[0] ^= std::byte{1};
            protocol::signGrant(grant, f->owner.sign.secretKey);
        }
        const Reply reply = h.putGrants(f->team, *caller, {grant});
        if (kind == QByteArray("non-admin signer")) {
            // A bad signature under the named admin's key is a broken grant (400) or an unauthorised one (403).
            QVERIFY2(reply.status == 400 || reply.status == 403, reply.body.c_str());
        } else if (kind == QByteArray("stranger")) {
            QVERIFY2(reply.status == 400 || reply.status == 403, reply.body.c_str());
        } else {
            QCOMPARE(reply.status, status);
        }
        // Nothing was stored.
        const Reply all =
            h.get("/v1/teams/" + f->team.idHex + "/grants?environment=" + ApiHarness::hex(f->environment), f->owner);
        QCOMPARE(all.status, 200);
        QCOMPARE(all.json.at("grants").size(), std::size_t{0});
    }

    void tooManyGrantsIs413() {
        server::Limits limits;
        limits.maxRecordsPerPush = 2;
        auto f = fixture(limits);
        QVERIFY(f);
        const auto grant = f->h.grant(f->team, f->owner, f->alice, f->environment, 1, Access::Read);
        QCOMPARE(f->h.putGrants(f->team, f->owner, {grant, grant, grant}).status, 413);
        QCOMPARE(f->h.putGrants(f->team, f->owner, {grant, grant}).status, 200);
    }

    void removedAdminCannotStoreGrants() {
        auto f = fixture();
        QVERIFY(f);
        auto& h = f->h;
        QCOMPARE(
            h.appendRoster(f->team, f->owner,
                           h.rosterEvent(f->team, f->owner, f->admin, protocol::RosterEventKind::Remove, Role::Admin))
                .status,
            200);
        const auto grant = h.grant(f->team, f->admin, f->alice, f->environment, 1, Access::Read);
        QCOMPARE(h.putGrants(f->team, f->admin, {grant}).status, 403);
    }
};

QTEST_GUILESS_MAIN(TestApiGrants)
#include "TestApiGrants.moc"
