// SPDX-License-Identifier: Apache-2.0
// Issue 9, crash safety, bulk writes: a long sequence of `coffer-cli set` runs, each SIGKILLed at a random moment
// (seeded; COFFER_CRASH_SEED and COFFER_CRASH_ITERATIONS repeat or shorten a run; CrashPlan::draw says where the kills
// land). Each run creates a secret or adds a version to one of a pool of names, with a value of random size (up to
// 64 KiB). After each kill: the vault opens, PRAGMA integrity_check says ok, a journal left by the kill is rolled back
// or ignored (checkVaultFiles), no file beside the vault has group/other bits, every acknowledged value (the CLI
// printed "Stored" or exited 0) is current unless a later run may have replaced it, and every value is one that some
// run wrote, whole.
#include "tests/cli/CliHarness.h"
#include "tests/hardening/CrashHarness.h"

#include "model/Store.h"
#include "model/Vault.h"

#include <QFileInfo>
#include <QTest>

#include <map>
#include <optional>
#include <set>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestCrashSafetySet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedSetsLoseNothingAcknowledged();
};

namespace {

QByteArray bytesToQByteArray(const crypto::SecureBuffer& buffer) {
    return {reinterpret_cast<const char*>(buffer.data()), static_cast<qsizetype>(buffer.size())};
}

/// The current value of every live secret of crash/bulk, by name.
std::expected<std::map<QString, QByteArray>, QString> currentValues(const QString& vaultPath,
                                                                    const crypto::VaultKey& key) {
    auto vault = model::Vault::open(vaultPath, key);
    if (!vault) {
        return std::unexpected(vault.error().message());
    }
    model::Store store(*vault, u"test"_s);
    auto project = store.project(u"crash"_s);
    auto environment = project ? store.environment(project->id, u"bulk"_s) : std::unexpected(project.error());
    if (!environment) {
        return std::unexpected(environment.error().message());
    }
    auto secrets = store.secrets(environment->id);
    if (!secrets) {
        return std::unexpected(secrets.error().message());
    }
    std::map<QString, QByteArray> values;
    for (const auto& secret : *secrets) {
        auto value = store.value(secret.id);
        if (!value) {
            return std::unexpected(value.error().message());
        }
        values[secret.name] = bytesToQByteArray(*value);
    }
    return values;
}

} // namespace

void TestCrashSafetySet::killedSetsLoseNothingAcknowledged() {
    CliHarness harness;
    QVERIFY(harness.initWith(u"crash"_s, {u"bulk"_s}));
    const QString folder = QFileInfo(harness.vaultPath()).absolutePath();
    CliSpawner cli(folder);
    cli.watch(folder, u"-journal"_s); // the write transaction began
    auto key = model::Vault::deriveKey(
        harness.vaultPath(), std::as_bytes(std::span(harness.kPassword.constData(), harness.kPassword.size())));
    QVERIFY(key.has_value());
    CrashPlan plan = CrashPlan::fromEnvironment("coffer-cli set");

    constexpr int kNames = 40;
    // What each name may hold now: the values no later observation has ruled out. nullopt: absent.
    std::map<QString, std::set<std::optional<QByteArray>>> allowed;
    for (int n = 0; n < kNames; ++n) {
        allowed[u"BULK_%1"_s.arg(n)] = {std::nullopt};
    }
    const QString valueFile = folder + u"/value.bin"_s;
    const auto setArgs = [&](const QString& name) {
        return QStringList{u"set"_s,
                           u"crash/bulk/"_s + name,
                           u"--vault"_s,
                           harness.vaultPath(),
                           u"--password-file"_s,
                           harness.passwordFile()};
    };

    std::uniform_int_distribution<int> pickName(0, kNames - 1);
    std::uniform_int_distribution<int> pickSize(1, 64 * 1024);
    int iteration = 0;
    const auto nextValue = [&](int size) {
        // Unique (the iteration number first), then filler: a torn value would not equal any written one.
        QByteArray value = "v" + QByteArray::number(iteration) + ":";
        return value + plan.randomText(std::max<int>(0, size - static_cast<int>(value.size())));
    };

    // Typical duration of one complete set (these writes are acknowledged like any other).
    QString calibrationName;
    QByteArray calibrationValue;
    const auto typical = cli.calibrate(setArgs(u"BULK_0"_s), valueFile, [&](int i) {
        calibrationValue = nextValue(32 * 1024 + i);
        QVERIFY(writeOwnerOnly(valueFile, calibrationValue));
    });
    allowed[u"BULK_0"_s] = {calibrationValue};
    if (QTest::currentTestFailed()) {
        return;
    }
    qInfo("one complete set takes %lld ms, %lld ms of them after its journal appeared",
          static_cast<long long>(typical.total.count() / 1000),
          static_cast<long long>(typical.afterMarker.count() / 1000));

    int killed = 0;
    int committedThoughKilled = 0;
    int journalsLeft = 0;
    int journalsIgnored = 0;
    for (iteration = 1; iteration <= plan.iterations; ++iteration) {
        const QString name = u"BULK_%1"_s.arg(pickName(plan.rng));
        const QByteArray value = nextValue(pickSize(plan.rng));
        QVERIFY(writeOwnerOnly(valueFile, value));
        const Ending ending = cli.runKilled(setArgs(name), valueFile, plan.draw(typical));
        const bool acknowledged = ending.succeeded() || ending.out.contains("Stored crash/bulk/" + name.toUtf8());
        if (!ending.killed) {
            QVERIFY2(ending.exitCode == 0, ending.describe().constData());
        } else {
            ++killed;
        }
        if (acknowledged) {
            allowed[name] = {value};
        } else {
            allowed[name].insert(value);
        }

        JournalFacts journal;
        const QString problems = checkVaultFiles(harness.vaultPath(), *key, &journal);
        journalsLeft += journal.leftByTheKill ? 1 : 0;
        journalsIgnored += journal.ignoredAfterOpen ? 1 : 0;
        QVERIFY2(problems.isEmpty(),
                 qPrintable(u"kill %1 (seed %2): %3"_s.arg(iteration).arg(plan.seed).arg(problems)));
        // A complete write removes whatever journal an earlier kill left.
        QVERIFY2(!ending.succeeded() || !journal.leftByTheKill,
                 qPrintable(u"kill %1 (seed %2): a complete run left a journal"_s.arg(iteration).arg(plan.seed)));

        auto values = currentValues(harness.vaultPath(), *key);
        QVERIFY2(values.has_value(), qPrintable(values ? QString() : values.error()));
        for (auto& [candidate, options] : allowed) {
            const auto found = values->find(candidate);
            const std::optional<QByteArray> now =
                found == values->end() ? std::nullopt : std::optional<QByteArray>(found->second);
            QVERIFY2(options.contains(now),
                     qPrintable(u"kill %1 (seed %2): %3 holds %4, which no run wrote or an acknowledged run replaced"_s
                                    .arg(iteration)
                                    .arg(plan.seed)
                                    .arg(candidate, now ? QString::fromLatin1(now->left(40)) : u"nothing"_s)));
            if (candidate == name && !acknowledged && now == std::optional<QByteArray>(value)) {
                ++committedThoughKilled;
            }
            options = {now}; // what is on disk now is durable: later runs start from it
            values->erase(candidate);
        }
        QVERIFY2(values->empty(), "a secret nobody wrote appeared");
    }
    qInfo("%d of %d runs killed before they ended; %d killed after their commit (stored, not yet acknowledged); "
          "%d left a journal (%d of them never synced, so ignored and kept until the next write)",
          killed, plan.iterations, committedThoughKilled, journalsLeft, journalsIgnored);
    QVERIFY2(killed > 0, "no run was killed: the kills test nothing");
}

QTEST_GUILESS_MAIN(TestCrashSafetySet)
#include "TestCrashSafetySet.moc"
