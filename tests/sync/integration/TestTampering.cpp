// SPDX-License-Identifier: Apache-2.0
// Done when, fourth bullet: a tampering server is detected every time. Between bob's client and the real server
// sits a TamperingTransport (a decorator over the real transport) that rewrites one kind of reply per row. Each
// time: that environment's sync (or, for the roster and grants, the team's) stops with the precise check named,
// nothing of the tampered reply is applied (bob's secrets compared before and after), the offending bytes are kept
// in sync_evidence, and once the server is honest again the stop holds until it is cleared, after which the true
// records arrive.
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "tests/server/client/TestMember.h"
#include "tests/sync/integration/SyncFixture.h"
#include "tests/sync/integration/TamperingTransport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

Q_DECLARE_METATYPE(coffer::tests::Tamper)
Q_DECLARE_METATYPE(coffer::protocol::ErrorCode)

class TestTampering : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tamperedReplyIsDetected_data();
    void tamperedReplyIsDetected();
};

namespace {

/// Every record of an environment as the honest server serves it (read with alice's keys and grants).
std::expected<std::vector<protocol::ChangeRecord>, QString>
serverRecords(VaultMember& admin, const protocol::TeamId& team, const protocol::EnvironmentId& environment) {
    auto state = sync::TeamState::load(admin.vault->database(), team);
    if (!state) {
        return std::unexpected(describe(state.error()));
    }
    auto transport = sync::makeCurlTransport(state->transportOptions());
    if (!transport) {
        return std::unexpected(describe(transport.error()));
    }
    sync::ServerClient client(**transport, state->me().sign);
    std::vector<protocol::ChangeRecord> records;
    std::uint64_t after = 0;
    while (true) {
        auto page = client.pull(team, environment, after);
        if (!page) {
            return std::unexpected(describe(page.error()));
        }
        for (auto& record : page->records) {
            after = record.seq;
            records.push_back(std::move(record));
        }
        if (!page->more || page->records.empty()) {
            break;
        }
    }
    return records;
}

} // namespace

void TestTampering::tamperedReplyIsDetected_data() {
    QTest::addColumn<Tamper>("mode");
    QTest::addColumn<protocol::ErrorCode>("check");
    QTest::addColumn<bool>("teamWide"); // roster and grant failures stop the whole team

    using protocol::ErrorCode;
    QTest::newRow("flip a byte of the signed record") << Tamper::FlipByteSigned << ErrorCode::BadSignature << false;
    QTest::newRow("flip a byte inside a batch") << Tamper::FlipByteInBatch << ErrorCode::BrokenChain << false;
    QTest::newRow("swap records between environments") << Tamper::SwapEnvironments << ErrorCode::WrongContext << false;
    QTest::newRow("drop a record") << Tamper::DropRecord << ErrorCode::Gap << false;
    QTest::newRow("replay an old record") << Tamper::ReplayOldRecord << ErrorCode::Gap << false;
    QTest::newRow("another key as bob's grant") << Tamper::ForeignKeyAsGrant << ErrorCode::BadSignature << true;
    QTest::newRow("unsigned roster event") << Tamper::UnsignedRosterEvent << ErrorCode::BadSignature << true;
    QTest::newRow("roster event signed by a non-admin")
        << Tamper::NonAdminRosterEvent << ErrorCode::SignerNotAuthorised << true;
}

void TestTampering::tamperedReplyIsDetected() {
    QFETCH(Tamper, mode);
    QFETCH(protocol::ErrorCode, check);
    QFETCH(bool, teamWide);
    const QString checkName = QString::fromUtf8(protocol::codeName(check));

    SyncFixture fixture;
    SYNC_VERIFY(fixture.start());
    auto alice = fixture.makeMember(u"alice"_s);
    SYNC_VERIFY(alice);
    auto bob = fixture.makeMember(u"bob"_s);
    SYNC_VERIFY(bob);
    auto carol = fixture.makeMember(u"carol"_s);
    SYNC_VERIFY(carol);
    auto world = fixture.buildTeam(
        **alice, {Invitee{bob->get(), {{u"dev"_s, protocol::Access::Write}, {u"prod"_s, protocol::Access::Read}}},
                  Invitee{carol->get(), {{u"dev"_s, protocol::Access::Read}}}});
    SYNC_VERIFY(world);
    VaultMember& a = **alice;
    VaultMember& b = **bob;
    auto bobDevId = b.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(bobDevId);
    const std::int64_t bobDev = *bobDevId;
    const auto devId = world->shared.at(u"dev"_s).id;
    const auto prodId = world->shared.at(u"prod"_s).id;

    // What bob has already applied (dev seq 1..3), before alice writes one batch of two records.
    auto oldDev = serverRecords(a, world->team, devId);
    SYNC_VERIFY(oldDev);
    QCOMPARE(oldDev->size(), std::size_t{3});
    const std::int64_t aliceDev = world->aliceEnvironments.at(u"dev"_s);
    SYNC_VERIFY(a.set(aliceDev, u"DB_URL"_s, "dev-DB_URL-v2"));
    SYNC_VERIFY(a.set(aliceDev, u"QUEUE_URL"_s, "dev-QUEUE_URL-v1"));
    auto aliceSync = a.engine->syncAll();
    SYNC_VERIFY(aliceSync);
    QVERIFY2(aliceSync->ok(), qPrintable(describe(*aliceSync)));

    // The tampering server knows everything a server stores; for the non-admin event, carol colludes and signs.
    TamperPlan plan;
    plan.mode = mode;
    plan.team = world->team;
    plan.target = devId;
    auto prodRecords = serverRecords(a, world->team, prodId);
    SYNC_VERIFY(prodRecords);
    plan.otherEnvironment = std::move(*prodRecords);
    plan.oldRecords = std::move(*oldDev);
    auto bobIdentity = b.identity();
    SYNC_VERIFY(bobIdentity);
    plan.victim = bobIdentity->id;
    plan.victimBoxKey = bobIdentity->box.publicKey;
    const TestMember eve = TestMember::create("eve");
    plan.stranger = eve.identity;
    auto aliceIdentity = a.identity();
    SYNC_VERIFY(aliceIdentity);
    plan.admin = aliceIdentity->id;
    auto carolIdentity = (*carol)->identity();
    SYNC_VERIFY(carolIdentity);
    plan.colluder = carolIdentity->id;
    plan.colluderKey = std::make_shared<const crypto::SigningKeyPair>(std::move(carolIdentity->sign));
    auto tamperer = std::make_shared<TamperingTransport>(std::move(plan));

    auto bobStateBefore = sync::TeamState::load(b.vault->database(), world->team);
    SYNC_VERIFY(bobStateBefore);
    const protocol::Head rosterBefore = bobStateBefore->roster().head();
    const auto before = b.snapshot();
    const std::int64_t evidenceBefore = b.scalar(u"SELECT count(*) FROM sync_evidence"_s);
    QCOMPARE(evidenceBefore, std::int64_t{0});

    TamperingTransport::install(*b.network, tamperer);
    auto tampered = b.engine->syncAll();
    SYNC_VERIFY(tampered);
    QVERIFY2(tamperer->tampered() > 0, "the tamperer never got to change a reply");

    // Detected, with the precise check named.
    const sync::Error* error = nullptr;
    if (teamWide) {
        QVERIFY2(!tampered->teamErrors.empty(), qPrintable(describe(*tampered)));
        error = &tampered->teamErrors.front();
        // The team stops: no environment of it was pulled or pushed.
        for (const auto& environment : tampered->environments) {
            QVERIFY2(environment.pulled == 0 && environment.pushed == 0, qPrintable(describe(*tampered)));
        }
    } else {
        const auto* run = findEnvironment(*tampered, bobDev);
        QVERIFY2(run != nullptr && run->error, qPrintable(describe(*tampered)));
        error = &*run->error;
        QCOMPARE(run->pulled, std::size_t{0});
    }
    QCOMPARE(error->code, sync::ErrorCode::Integrity);
    QVERIFY2(error->check.has_value(), qPrintable(describe(*error)));
    QCOMPARE(error->check->code, check);
    QVERIFY2(error->message.contains(checkName), qPrintable(error->message));

    // Nothing from it was applied.
    QCOMPARE(b.snapshot(), before);
    auto bobStateAfter = sync::TeamState::load(b.vault->database(), world->team);
    SYNC_VERIFY(bobStateAfter);
    QCOMPARE(bobStateAfter->roster().head(), rosterBefore);
    QVERIFY(bobStateAfter->roster().member(eve.id) == nullptr);

    // The evidence is kept, naming the check.
    QVERIFY(b.scalar(u"SELECT count(*) FROM sync_evidence"_s) > evidenceBefore);
    QVERIFY(b.scalar(u"SELECT count(*) FROM sync_evidence WHERE check_name = '"_s + checkName +
                     u"' AND length(bytes) > 0"_s) > 0);

    // The status is shown where the user looks: the environment's or the team's.
    if (teamWide) {
        auto teams = b.team->teams();
        SYNC_VERIFY(teams);
        QVERIFY2(teams->front().status.contains(checkName), qPrintable(teams->front().status));
    } else {
        auto status = b.engine->integrityStatus(bobDev);
        SYNC_VERIFY(status);
        QVERIFY2(status->contains(checkName), qPrintable(*status));
        // The environment stays stopped while the server is honest again, until the user clears it.
        b.network->clearInterpose();
        auto again = b.engine->syncAll();
        SYNC_VERIFY(again);
        const auto* run = findEnvironment(*again, bobDev);
        QVERIFY2(run != nullptr && run->error && run->error->code == sync::ErrorCode::Integrity,
                 qPrintable(describe(*again)));
        QCOMPARE(b.snapshot(), before);
        SYNC_VERIFY(b.engine->clearIntegrityError(bobDev));
    }

    // With an honest server (and the stop cleared), the true records arrive.
    b.network->clearInterpose();
    auto honest = b.engine->syncAll();
    SYNC_VERIFY(honest);
    QVERIFY2(honest->ok(), qPrintable(describe(*honest)));
    QCOMPARE(b.value(bobDev, u"DB_URL"_s), std::optional(QByteArray("dev-DB_URL-v2")));
    QCOMPARE(b.value(bobDev, u"QUEUE_URL"_s), std::optional(QByteArray("dev-QUEUE_URL-v1")));
    QVERIFY(fixture.stopServer().has_value());
}

QTEST_GUILESS_MAIN(TestTampering)
#include "TestTampering.moc"
