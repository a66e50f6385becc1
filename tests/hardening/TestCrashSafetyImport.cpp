// SPDX-License-Identifier: Apache-2.0
// Issue 9, crash safety, imports: `coffer-cli import` of a 100-name .env file, each run with new values for every
// name, SIGKILLed at a random moment (seeded; COFFER_CRASH_SEED, COFFER_CRASH_ITERATIONS). An import is one
// transaction, so after each kill the environment holds the values of exactly one file, all of them (never a
// mix), and that file is the last acknowledged one (the CLI printed "Imported into" or exited 0) or a later one.
// Plus the vault checks of CrashHarness: it opens, PRAGMA integrity_check is ok, no journal is left, no file
// beside it has group/other bits.
#include "tests/cli/CliHarness.h"
#include "tests/hardening/CrashHarness.h"

#include "model/Store.h"
#include "model/Vault.h"

#include <QFileInfo>
#include <QTest>

#include <map>
#include <set>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestCrashSafetyImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedImportsAreAllOrNothing();
};

namespace {

constexpr int kNames = 100;

/// For every name of crash/app, the number of the file its current value came from ("F<file>:<name>:..."); an
/// error text for a value that no file wrote.
std::expected<std::map<QString, int>, QString> sourceFiles(const QString& vaultPath, const crypto::VaultKey& key) {
    auto vault = model::Vault::open(vaultPath, key);
    if (!vault) {
        return std::unexpected(vault.error().message());
    }
    model::Store store(*vault, u"test"_s);
    auto project = store.project(u"crash"_s);
    auto environment = project ? store.environment(project->id, u"app"_s) : std::unexpected(project.error());
    if (!environment) {
        return std::unexpected(environment.error().message());
    }
    auto secrets = store.secrets(environment->id);
    if (!secrets) {
        return std::unexpected(secrets.error().message());
    }
    std::map<QString, int> files;
    for (const auto& secret : *secrets) {
        auto value = store.value(secret.id);
        if (!value) {
            return std::unexpected(value.error().message());
        }
        const QByteArray text(reinterpret_cast<const char*>(value->data()), static_cast<qsizetype>(value->size()));
        const QList<QByteArray> parts = text.split(':');
        bool ok = false;
        const int file = parts.size() == 3 && parts[0].startsWith('F') ? parts[0].mid(1).toInt(&ok) : -1;
        if (!ok || parts[1] != secret.name.toUtf8()) {
            return std::unexpected(u"%1 holds a value no file wrote"_s.arg(secret.name));
        }
        files[secret.name] = file;
    }
    return files;
}

} // namespace

void TestCrashSafetyImport::killedImportsAreAllOrNothing() {
    CliHarness harness;
    QVERIFY(harness.initWith(u"crash"_s, {u"app"_s}));
    const QString folder = QFileInfo(harness.vaultPath()).absolutePath();
    CliSpawner cli(folder);
    cli.watch(folder, u"-journal"_s); // the write transaction began
    auto key = model::Vault::deriveKey(
        harness.vaultPath(), std::as_bytes(std::span(harness.kPassword.constData(), harness.kPassword.size())));
    QVERIFY(key.has_value());
    CrashPlan plan = CrashPlan::fromEnvironment("coffer-cli import");

    const QString envFile = folder + u"/import.env"_s;
    std::uniform_int_distribution<int> pickSize(16, 1024);
    const auto writeFile = [&](int file) {
        QByteArray text;
        for (int n = 0; n < kNames; ++n) {
            const QByteArray name = "IMPORT_" + QByteArray::number(n);
            text +=
                name + "=F" + QByteArray::number(file) + ":" + name + ":" + plan.randomText(pickSize(plan.rng)) + "\n";
        }
        return writeOwnerOnly(envFile, text);
    };
    const QStringList importArgs{u"import"_s,           u"crash/app"_s,      envFile,
                                 u"--vault"_s,          harness.vaultPath(), u"--password-file"_s,
                                 harness.passwordFile()};

    // Files 0..2 complete: the typical duration, and a full environment to start from.
    int file = 0;
    std::vector<Ending> calibration;
    const auto typical = cli.calibrate(
        importArgs, {}, [&](int i) { QVERIFY(writeFile(i)); }, &calibration);
    for (const auto& ending : calibration) {
        QVERIFY2(ending.succeeded(), ending.describe().constData());
    }
    if (QTest::currentTestFailed()) {
        return;
    }
    qInfo("one complete import of %d names takes %lld ms, %lld ms of them after its journal appeared", kNames,
          static_cast<long long>(typical.total.count() / 1000),
          static_cast<long long>(typical.afterMarker.count() / 1000));
    std::set<int> allowed{2}; // the files whose values the environment may hold now

    int killed = 0;
    int committedThoughKilled = 0;
    int journalsLeft = 0;
    int journalsIgnored = 0;
    for (int iteration = 1; iteration <= plan.iterations; ++iteration) {
        file = iteration + 2;
        QVERIFY(writeFile(file));
        const Ending ending = cli.runKilled(importArgs, {}, plan.draw(typical));
        const bool acknowledged = ending.succeeded() || ending.out.contains("Imported into crash/app");
        if (!ending.killed) {
            QVERIFY2(ending.exitCode == 0, ending.describe().constData());
        } else {
            ++killed;
        }
        if (acknowledged) {
            allowed = {file};
        } else {
            allowed.insert(file);
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

        auto sources = sourceFiles(harness.vaultPath(), *key);
        QVERIFY2(sources.has_value(), qPrintable(sources ? QString() : sources.error()));
        QCOMPARE(static_cast<int>(sources->size()), kNames);
        std::set<int> seen;
        for (const auto& [name, from] : *sources) {
            seen.insert(from);
        }
        QVERIFY2(seen.size() == 1,
                 qPrintable(u"kill %1 (seed %2): the environment mixes %3 files"_s.arg(iteration).arg(plan.seed).arg(
                     seen.size())));
        const int now = *seen.begin();
        QVERIFY2(allowed.contains(now),
                 qPrintable(
                     u"kill %1 (seed %2): the values of file %3, but file %4 was acknowledged or later"_s.arg(iteration)
                         .arg(plan.seed)
                         .arg(now)
                         .arg(*allowed.begin())));
        if (!acknowledged && now == file) {
            ++committedThoughKilled;
        }
        allowed = {now};
    }
    qInfo("%d of %d runs killed before they ended; %d killed after their commit; %d left a journal (%d of them never "
          "synced, so ignored and kept until the next write)",
          killed, plan.iterations, committedThoughKilled, journalsLeft, journalsIgnored);
    QVERIFY2(killed > 0, "no run was killed: the kills test nothing");
}

QTEST_GUILESS_MAIN(TestCrashSafetyImport)
#include "TestCrashSafetyImport.moc"
