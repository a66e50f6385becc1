// SPDX-License-Identifier: Apache-2.0
// Done when, first bullet: alice creates a team and invites bob; bob joins; alice confirms his fingerprint and
// grants dev read-write and prod read; bob reads dev and prod, writes dev, cannot write prod (his client refuses,
// and the server refuses a push forced past the client), cannot read staging. Registered twice: on SQLite and
// on PostgreSQL (TestTeamScenarioPostgres).
#include "crypto/Random.h"
#include "model/Store.h"
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "sync/protocol/Canonical.h"
#include "tests/sync/integration/SyncFixture.h"

#include <QTest>

#include <span>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestTeamScenario : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createInviteJoinConfirmGrantReadWrite();
};

void TestTeamScenario::createInviteJoinConfirmGrantReadWrite() {
    SyncFixture fixture;
    SYNC_VERIFY(fixture.start());
    auto alice = fixture.makeMember(u"alice"_s);
    SYNC_VERIFY(alice);
    auto bob = fixture.makeMember(u"bob"_s);
    SYNC_VERIFY(bob);

    // Create, share, invite, join, compare fingerprints, confirm, grant dev rw and prod r; bob syncs once.
    auto world = fixture.buildTeam(
        **alice, {Invitee{bob->get(), {{u"dev"_s, protocol::Access::Write}, {u"prod"_s, protocol::Access::Read}}}});
    SYNC_VERIFY(world);
    VaultMember& a = **alice;
    VaultMember& b = **bob;

    // bob sees the team under the fingerprint alice's client computes, and himself as an active member.
    auto bobTeams = b.team->teams();
    SYNC_VERIFY(bobTeams);
    QCOMPARE(bobTeams->size(), std::size_t{1});
    QCOMPARE(bobTeams->front().team, world->team);
    QCOMPARE(bobTeams->front().fingerprint, sync::teamFingerprint(world->team));
    QCOMPARE(bobTeams->front().myRole, std::optional(protocol::Role::Member));
    auto aliceMembers = a.team->members(world->team);
    SYNC_VERIFY(aliceMembers);
    bool bobActiveVerified = false;
    for (const auto& member : *aliceMembers) {
        if (member.name == u"bob"_s) {
            bobActiveVerified = member.status == sync::MemberInfo::Status::Active && member.verified;
        }
    }
    QVERIFY2(bobActiveVerified, "alice does not list bob as active and verified after confirming his fingerprint");

    // bob reads dev and prod: the project and environments came from their scope records.
    auto bobDev = b.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(bobDev);
    auto bobProd = b.environmentId(u"app"_s, u"prod"_s);
    SYNC_VERIFY(bobProd);
    QCOMPARE(b.value(*bobDev, u"DB_URL"_s), std::optional(QByteArray("dev-DB_URL-v1")));
    QCOMPARE(b.value(*bobDev, u"API_KEY"_s), std::optional(QByteArray("dev-API_KEY-v1")));
    QCOMPARE(b.value(*bobProd, u"STRIPE_KEY"_s), std::optional(QByteArray("prod-STRIPE_KEY-v1")));
    QCOMPARE(b.value(*bobProd, u"SMTP_PASSWORD"_s), std::optional(QByteArray("prod-SMTP_PASSWORD-v1")));
    auto prodSecrets = b.store->secrets(*bobProd);
    SYNC_VERIFY(prodSecrets);
    QCOMPARE(prodSecrets->size(), std::size_t{4});

    // bob cannot read staging: no local environment, no key, and the server refuses his pull.
    QVERIFY(!b.environmentId(u"app"_s, u"staging"_s).has_value());
    auto bobState = sync::TeamState::load(b.vault->database(), world->team);
    SYNC_VERIFY(bobState);
    const auto stagingId = world->shared.at(u"staging"_s).id;
    const auto prodId = world->shared.at(u"prod"_s).id;
    QVERIFY(bobState->key(stagingId, 1) == nullptr);
    QVERIFY(bobState->key(prodId, 1) != nullptr);
    QCOMPARE(bobState->access(prodId, 1, bobState->me().id), std::optional(protocol::Access::Read));
    auto bobTransport = sync::makeCurlTransport(bobState->transportOptions());
    SYNC_VERIFY(bobTransport);
    sync::ServerClient bobClient(**bobTransport, bobState->me().sign);
    auto stagingPull = bobClient.pull(world->team, stagingId, 0);
    QVERIFY(!stagingPull.has_value());
    QCOMPARE(stagingPull.error().code, sync::ErrorCode::Refused);

    // bob writes dev; alice gets it.
    SYNC_VERIFY(b.set(*bobDev, u"FEATURE_FLAG"_s, "on"));
    SYNC_VERIFY(b.set(*bobDev, u"DB_URL"_s, "dev-DB_URL-v2-by-bob"));
    auto bobSync = b.engine->syncAll();
    SYNC_VERIFY(bobSync);
    const auto* devRun = findEnvironment(*bobSync, *bobDev);
    QVERIFY2(devRun != nullptr && !devRun->error && devRun->pushed == 2, qPrintable(describe(*bobSync)));
    auto aliceSync = a.engine->syncAll();
    SYNC_VERIFY(aliceSync);
    QVERIFY2(aliceSync->ok(), qPrintable(describe(*aliceSync)));
    const std::int64_t aliceDev = world->aliceEnvironments.at(u"dev"_s);
    QCOMPARE(a.value(aliceDev, u"FEATURE_FLAG"_s), std::optional(QByteArray("on")));
    QCOMPARE(a.value(aliceDev, u"DB_URL"_s), std::optional(QByteArray("dev-DB_URL-v2-by-bob")));
    auto history = a.store->history(a.store->secret(aliceDev, u"DB_URL"_s)->id);
    SYNC_VERIFY(history);
    QCOMPARE(history->back().author, u"bob"_s); // the roster display name

    // bob cannot write prod: his client refuses (nothing leaves, the error says so)...
    auto prodHeadBefore = bobClient.pull(world->team, prodId, 0);
    SYNC_VERIFY(prodHeadBefore);
    // His Store refuses the edit at once (it keeps his verified access from the grants): nothing is written or
    // queued, and the next sync has nothing to send.
    const QByteArray attempt("bob-was-here");
    auto local = b.store->setSecret(*bobProd, u"STRIPE_KEY"_s, std::as_bytes(std::span(attempt)));
    QVERIFY(!local.has_value());
    QCOMPARE(local.error().code, model::ErrorCode::ReadOnly);
    QVERIFY2(local.error().message().contains(u"read-only"_s), qPrintable(local.error().message()));
    auto refused = b.engine->syncAll();
    SYNC_VERIFY(refused);
    const auto* prodRun = findEnvironment(*refused, *bobProd);
    QVERIFY2(prodRun != nullptr && !prodRun->error && prodRun->pushed == 0, qPrintable(describe(*refused)));
    QCOMPARE(refused->pending, std::size_t{0});
    auto prodHeadAfter = bobClient.pull(world->team, prodId, 0);
    SYNC_VERIFY(prodHeadAfter);
    QCOMPARE(prodHeadAfter->head, prodHeadBefore->head);

    // ...and the server refuses a push forced past the client: a well-formed batch at the current epoch, sealed
    // with bob's prod key and signed by bob, sent with ServerClient directly.
    const crypto::AeadKey* prodKey = bobState->key(prodId, 1);
    QVERIFY(prodKey != nullptr);
    protocol::ChangeRecord record;
    record.team = world->team;
    record.environment = prodId;
    record.epoch = 1;
    record.id = crypto::randomArray<16>();
    record.author = bobState->me().id;
    protocol::Change change;
    change.op = protocol::ChangeOp::Set;
    change.name = "STRIPE_KEY";
    change.value = crypto::SecureBuffer::copyOf(std::string_view("forced-by-bob"));
    std::vector<protocol::ChangeRecord> records{record};
    std::vector<protocol::Change> changes;
    changes.push_back(std::move(change));
    protocol::sealAndSignBatch(records, changes, prodHeadAfter->head, *prodKey, bobState->me().sign.secretKey);
    auto forced = bobClient.push(world->team, prodId, prodHeadAfter->head, records);
    QVERIFY(!forced.has_value());
    QCOMPARE(forced.error().code, sync::ErrorCode::Refused);
    QCOMPARE(forced.error().httpStatus, 403);

    // Nothing of bob's reached prod on alice's side.
    aliceSync = a.engine->syncAll();
    SYNC_VERIFY(aliceSync);
    QCOMPARE(a.value(world->aliceEnvironments.at(u"prod"_s), u"STRIPE_KEY"_s),
             std::optional(QByteArray("prod-STRIPE_KEY-v1")));
    QVERIFY(fixture.stopServer().has_value());
}

QTEST_GUILESS_MAIN(TestTeamScenario)
#include "TestTeamScenario.moc"
