// SPDX-License-Identifier: Apache-2.0
// Done when, second bullet: bob edits offline (his transport fails while "offline", as a pulled cable would)
// while alice edits the same secret online; both sync; the conflict is reported on both sides and both versions
// are in both histories. The same for a delete against an edit: the edit is kept and the conflict reported.
#include "tests/sync/integration/SyncFixture.h"

#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestOfflineConflict : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void concurrentEdits_data();
    void concurrentEdits();
};

namespace {

bool contains(const std::vector<QByteArray>& values, const QByteArray& value) {
    return std::ranges::find(values, value) != values.end();
}

std::optional<sync::ConflictInfo> conflictOn(VaultMember& member, const QString& name, QString& problem) {
    auto conflicts = member.engine->conflicts(true);
    if (!conflicts) {
        problem = describe(conflicts.error());
        return std::nullopt;
    }
    for (const auto& conflict : *conflicts) {
        if (conflict.name == name) {
            return conflict;
        }
    }
    problem = member.name + u" reports no conflict on "_s + name;
    return std::nullopt;
}

} // namespace

void TestOfflineConflict::concurrentEdits_data() {
    QTest::addColumn<bool>("bobDeletes");
    QTest::newRow("edit against edit") << false;
    QTest::newRow("delete against edit") << true;
}

void TestOfflineConflict::concurrentEdits() {
    QFETCH(bool, bobDeletes);
    SyncFixture fixture;
    SYNC_VERIFY(fixture.start());
    auto alice = fixture.makeMember(u"alice"_s);
    SYNC_VERIFY(alice);
    auto bob = fixture.makeMember(u"bob"_s);
    SYNC_VERIFY(bob);
    auto world = fixture.buildTeam(**alice, {Invitee{bob->get(), {{u"dev"_s, protocol::Access::Write}}}});
    SYNC_VERIFY(world);
    VaultMember& a = **alice;
    VaultMember& b = **bob;
    const std::int64_t aliceDev = world->aliceEnvironments.at(u"dev"_s);
    auto bobDevId = b.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(bobDevId);
    const std::int64_t bobDev = *bobDevId;

    // bob goes offline and changes DB_URL; his sync cannot reach the server and keeps the change.
    const int sentBefore = b.network->sent();
    b.network->setOffline(true);
    if (bobDeletes) {
        auto secret = b.store->secret(bobDev, u"DB_URL"_s);
        SYNC_VERIFY(secret);
        SYNC_VERIFY(b.store->deleteSecret(secret->id));
    } else {
        SYNC_VERIFY(b.set(bobDev, u"DB_URL"_s, "bob-offline"));
    }
    auto offline = b.engine->syncAll();
    SYNC_VERIFY(offline);
    QVERIFY2(offline->offline(), qPrintable(describe(*offline)));
    QVERIFY(offline->pending >= 1);
    QVERIFY(b.network->refused() > 0);
    QCOMPARE(b.network->sent(), sentBefore); // nothing reached the server while offline

    // Meanwhile alice changes the same secret and syncs.
    SYNC_VERIFY(a.set(aliceDev, u"DB_URL"_s, "alice-online"));
    auto aliceFirst = a.engine->syncAll();
    SYNC_VERIFY(aliceFirst);
    QVERIFY2(aliceFirst->ok(), qPrintable(describe(*aliceFirst)));

    // bob comes back: his sync pulls alice's change, rebases his, pushes it; then alice syncs again.
    b.network->setOffline(false);
    auto bobBack = b.engine->syncAll();
    SYNC_VERIFY(bobBack);
    QVERIFY2(bobBack->ok(), qPrintable(describe(*bobBack)));
    QCOMPARE(bobBack->pending, std::size_t{0});
    auto aliceSecond = a.engine->syncAll();
    SYNC_VERIFY(aliceSecond);
    QVERIFY2(aliceSecond->ok(), qPrintable(describe(*aliceSecond)));
    const auto* aliceRun = findEnvironment(*aliceSecond, aliceDev);
    QVERIFY2(aliceRun != nullptr && aliceRun->newConflicts >= 1, qPrintable(describe(*aliceSecond)));
    QVERIFY(aliceSecond->openConflicts >= 1);

    // The conflict is reported on both sides, with the same kind.
    QString problem;
    const auto onBob = conflictOn(b, u"DB_URL"_s, problem);
    QVERIFY2(onBob, qPrintable(problem));
    const auto onAlice = conflictOn(a, u"DB_URL"_s, problem);
    QVERIFY2(onAlice, qPrintable(problem));
    const auto kind = bobDeletes ? sync::ConflictInfo::Kind::Delete : sync::ConflictInfo::Kind::Edit;
    QCOMPARE(onBob->kind, kind);
    QCOMPARE(onAlice->kind, kind);
    QVERIFY(!onBob->resolved);
    QVERIFY(!onAlice->resolved);

    if (bobDeletes) {
        // The edit is kept on both sides: the delete changed nothing.
        QCOMPARE(a.value(aliceDev, u"DB_URL"_s), std::optional(QByteArray("alice-online")));
        QCOMPARE(b.value(bobDev, u"DB_URL"_s), std::optional(QByteArray("alice-online")));
        QCOMPARE(onAlice->currentAuthor, u"alice"_s);
        QCOMPARE(onBob->currentAuthor, u"alice"_s);
    } else {
        // The later in log order (bob's, pushed last) is current on both sides; both versions in both histories.
        QCOMPARE(a.value(aliceDev, u"DB_URL"_s), std::optional(QByteArray("bob-offline")));
        QCOMPARE(b.value(bobDev, u"DB_URL"_s), std::optional(QByteArray("bob-offline")));
        QCOMPARE(onAlice->currentAuthor, u"bob"_s);
        QCOMPARE(onAlice->otherAuthor, u"alice"_s);
        QCOMPARE(onBob->currentAuthor, u"bob"_s);
        QCOMPARE(onBob->otherAuthor, u"alice"_s);
        for (VaultMember* member : {&a, &b}) {
            const std::int64_t dev = member == &a ? aliceDev : bobDev;
            const auto history = member->historyValues(dev, u"DB_URL"_s);
            QVERIFY2(contains(history, "bob-offline"), qPrintable(member->name + u" lost bob's version"_s));
            QVERIFY2(contains(history, "alice-online"), qPrintable(member->name + u" lost alice's version"_s));
            QVERIFY2(contains(history, "dev-DB_URL-v1"), qPrintable(member->name + u" lost the first version"_s));
        }
    }
    // Either way alice's edit is in both histories.
    QVERIFY(contains(a.historyValues(aliceDev, u"DB_URL"_s), "alice-online"));
    QVERIFY(contains(b.historyValues(bobDev, u"DB_URL"_s), "alice-online"));
    QVERIFY(fixture.stopServer().has_value());
}

QTEST_GUILESS_MAIN(TestOfflineConflict)
#include "TestOfflineConflict.moc"
