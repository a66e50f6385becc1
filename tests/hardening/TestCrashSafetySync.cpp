// SPDX-License-Identifier: Apache-2.0
// Issue 9, crash safety, sync: a real coffer-server (SQLite); alice (in process) and bob share app/dev with write
// access. Before each run, alice pushes new values of a few of her secrets and bob stores a new secret locally (both
// acknowledged: the Store and alice's sync returned success). Then `coffer-cli sync` for bob (pull: apply alice's
// records; push: bob's outbox) is SIGKILLed at a random moment (seeded; COFFER_CRASH_SEED, COFFER_CRASH_ITERATIONS).
// After each kill: bob's vault opens, PRAGMA integrity_check is ok, no journal is left, no file has group/other
// bits; every secret bob stored is there with its value; each of alice's secrets holds one of the values she
// pushed, and after an acknowledged sync (exit 0) the newest. At the end one complete sync: bob's outbox is empty,
// the server's log holds each of bob's changes exactly once (decrypted with alice's keys), and alice reads them all.
#include "tests/hardening/CrashHarness.h"

#include "model/Store.h"
#include "model/Vault.h"
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "sync/protocol/Canonical.h"
#include "tests/sync/integration/SyncFixture.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

#include <map>
#include <set>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestCrashSafetySync : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedSyncsLoseNothingAcknowledged();
};

namespace {

constexpr int kAliceNames = 8;

std::optional<QByteArray> currentValue(model::Store& store, std::int64_t environmentId, const QString& name) {
    auto secret = store.secret(environmentId, name);
    if (!secret) {
        return std::nullopt;
    }
    auto value = store.value(secret->id);
    if (!value) {
        return std::nullopt;
    }
    return QByteArray(reinterpret_cast<const char*>(value->data()), static_cast<qsizetype>(value->size()));
}

} // namespace

void TestCrashSafetySync::killedSyncsLoseNothingAcknowledged() {
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
    auto bobDevId = b.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(bobDevId);
    const std::int64_t bobDev = *bobDevId;
    const std::int64_t aliceDev = world->aliceEnvironments.at(u"dev"_s);
    auto key = model::Vault::deriveKey(b.path, std::as_bytes(std::span(b.password.data(), b.password.size())));
    QVERIFY(key.has_value());
    b.close(); // the CLI opens the file itself; the test opens it with the key between runs

    const QString home = fixture.tempPath(u"cli"_s);
    QVERIFY(QDir().mkpath(home));
    const QString passwordFile = home + u"/bob.password"_s;
    QVERIFY(writeOwnerOnly(passwordFile, QByteArray::fromStdString(b.password)));
    CliSpawner cli(home);
    cli.watch(QFileInfo(b.path).absolutePath(), u"-journal"_s); // the first write transaction began
    const QStringList syncArgs{u"sync"_s, u"--vault"_s, b.path, u"--password-file"_s, passwordFile};
    CrashPlan plan = CrashPlan::fromEnvironment("coffer-cli sync");

    std::map<QString, QByteArray> bobStored;                // acknowledged by bob's Store
    std::map<QString, std::vector<QByteArray>> alicePushed; // acknowledged by the server, oldest first
    std::map<QString, std::set<QByteArray>> aliceAllowed;   // what bob may hold for each (absent: not yet pulled)
    int iteration = 0;
    std::uniform_int_distribution<int> pickAliceName(0, kAliceNames - 1);

    // One round of acknowledged changes: alice pushes three values, bob stores one secret locally.
    const auto prepareRound = [&]() -> QString {
        for (int k = 0; k < 3; ++k) {
            const QString name = u"ALICE_%1"_s.arg(pickAliceName(plan.rng));
            const QByteArray value = "a" + QByteArray::number(iteration) + "-" + QByteArray::number(k) + ":" +
                                     plan.randomText(64 + static_cast<int>(plan.rng() % 4096));
            if (auto done = a.set(aliceDev, name, value); !done) {
                return done.error();
            }
            alicePushed[name].push_back(value);
            aliceAllowed[name].insert(value);
        }
        // A request of bob's killed run may still be finishing on the server: alice's push then meets a newer head,
        // and her next run rebases on it.
        QString failure;
        for (int attempt = 0; attempt < 3; ++attempt) {
            auto pushed = a.engine->syncAll();
            failure = !pushed ? describe(pushed.error()) : pushed->ok() ? QString() : describe(*pushed);
            if (failure.isEmpty()) {
                break;
            }
        }
        if (!failure.isEmpty()) {
            return failure;
        }
        auto vault = model::Vault::open(b.path, *key);
        if (!vault) {
            return vault.error().message();
        }
        model::Store store(*vault, u"bob"_s);
        const QString name = u"BOB_%1"_s.arg(iteration);
        const QByteArray value = "b" + QByteArray::number(iteration) + ":" + plan.randomText(200);
        const QByteArray bytes = value;
        if (auto stored = store.setSecret(bobDev, name, std::as_bytes(std::span(bytes.constData(), bytes.size())));
            !stored) {
            return stored.error().message();
        }
        bobStored[name] = value;
        return {};
    };

    // Bob's view after a run: every acknowledged change there, nothing torn or foreign.
    const auto checkBob = [&](bool acknowledged) -> QString {
        const QString files = checkVaultFiles(b.path, *key, nullptr);
        if (!files.isEmpty()) {
            return files;
        }
        auto vault = model::Vault::open(b.path, *key);
        if (!vault) {
            return vault.error().message();
        }
        model::Store store(*vault, u"bob"_s);
        for (const auto& [name, value] : bobStored) {
            if (currentValue(store, bobDev, name) != value) {
                return name + u" (stored by bob) lost its value"_s;
            }
        }
        for (auto& [name, options] : aliceAllowed) {
            const auto now = currentValue(store, bobDev, name);
            if (acknowledged && now != alicePushed[name].back()) {
                return name + u": an acknowledged sync did not bring alice's newest value"_s;
            }
            if (now && !options.contains(*now)) {
                return name + u" holds a value alice never pushed, or an older one than bob already had"_s;
            }
            if (now) {
                // Pulls apply in log order: from now on only this value or newer ones may appear.
                const auto& pushed = alicePushed[name];
                const auto at = std::find(pushed.begin(), pushed.end(), *now);
                options = std::set<QByteArray>(at, pushed.end());
            }
        }
        return {};
    };

    // Typical duration: three complete syncs, each after a round of changes.
    const auto typical = cli.calibrate(syncArgs, {}, [&](int i) {
        iteration = plan.iterations + 1 + i; // names after the kills' own
        const QString prepared = prepareRound();
        QVERIFY2(prepared.isEmpty(), qPrintable(prepared));
    });
    if (QTest::currentTestFailed()) {
        return;
    }
    {
        const QString checked = checkBob(true);
        QVERIFY2(checked.isEmpty(), qPrintable(checked));
    }
    qInfo("one complete sync (pull 3 records, push 1) takes %lld ms, %lld ms of them after its first journal appeared",
          static_cast<long long>(typical.total.count() / 1000),
          static_cast<long long>(typical.afterMarker.count() / 1000));

    int killed = 0;
    for (iteration = 1; iteration <= plan.iterations; ++iteration) {
        const QString prepared = prepareRound();
        QVERIFY2(prepared.isEmpty(), qPrintable(prepared));
        const Ending ending = cli.runKilled(syncArgs, {}, plan.draw(typical));
        if (!ending.killed) {
            QVERIFY2(ending.exitCode == 0, ending.describe().constData());
        } else {
            ++killed;
        }
        const QString checked = checkBob(ending.succeeded());
        QVERIFY2(checked.isEmpty(), qPrintable(u"kill %1 (seed %2): %3"_s.arg(iteration).arg(plan.seed).arg(checked)));
    }

    // One complete sync: the outbox drains, each of bob's changes is on the server exactly once, alice reads them.
    const Ending last = cli.run(syncArgs);
    QVERIFY2(last.succeeded(), last.describe().constData());
    {
        const QString checked = checkBob(true);
        QVERIFY2(checked.isEmpty(), qPrintable(checked));
    }
    SYNC_VERIFY(b.reopen());
    QCOMPARE(b.scalar(u"SELECT count(*) FROM sync_outbox"_s), std::int64_t{0});
    b.close();

    auto state = sync::TeamState::load(a.vault->database(), world->team);
    SYNC_VERIFY(state);
    auto transport = sync::makeCurlTransport(state->transportOptions());
    SYNC_VERIFY(transport);
    sync::ServerClient client(**transport, state->me().sign);
    const auto devId = world->shared.at(u"dev"_s).id;
    std::map<std::string, int> perName;
    std::set<protocol::RecordId> ids;
    std::uint64_t after = 0;
    while (true) {
        auto page = client.pull(world->team, devId, after);
        SYNC_VERIFY(page);
        for (const auto& record : page->records) {
            after = record.seq;
            QVERIFY2(ids.insert(record.id).second, "a record id is stored twice");
            const crypto::AeadKey* recordKey = state->key(devId, record.epoch);
            QVERIFY(recordKey != nullptr);
            auto change = protocol::openChange(record, *recordKey);
            QVERIFY2(change.has_value(), change ? "" : protocol::describe(change.error()).c_str());
            ++perName[change->name];
        }
        if (!page->more || page->records.empty()) {
            break;
        }
    }
    for (const auto& [name, value] : bobStored) {
        QVERIFY2(perName[name.toStdString()] == 1, qPrintable(name + u" is not on the server exactly once"_s));
    }
    auto aliceSync = a.engine->syncAll();
    SYNC_VERIFY(aliceSync);
    QVERIFY2(aliceSync->ok(), qPrintable(describe(*aliceSync)));
    for (const auto& [name, value] : bobStored) {
        QCOMPARE(a.historyValues(aliceDev, name).size(), std::size_t{1});
        QCOMPARE(a.value(aliceDev, name), std::optional(value));
    }
    qInfo("%d of %d runs killed before they ended", killed, plan.iterations);
    QVERIFY2(killed > 0, "no run was killed: the kills test nothing");
    QVERIFY(fixture.stopServer().has_value());
}

QTEST_GUILESS_MAIN(TestCrashSafetySync)
#include "TestCrashSafetySync.moc"
