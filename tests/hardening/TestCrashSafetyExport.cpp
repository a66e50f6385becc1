// SPDX-License-Identifier: Apache-2.0
// Issue 9, crash safety, exports: `coffer-cli export crash/app -o out/app.env` (300 secrets, ~300 KiB), SIGKILLed
// at a random moment (seeded; COFFER_CRASH_SEED, COFFER_CRASH_ITERATIONS). Before each run the target is either
// absent or holds an older file. After each kill the target is absent (only if it was), the older file (only if
// it was there), or byte for byte the reference export, mode 0600: never a partial file. A leftover temporary file
// (`.app.env.coffer-tmp-*`, the kill came between its creation and the rename) is owner-only, exists only after a
// kill, and the next complete export removes it; nothing else ever appears in the folder. The export writes an
// audit event first, so the vault checks of CrashHarness run after each kill too.
#include "tests/cli/CliHarness.h"
#include "tests/hardening/CrashHarness.h"

#include "model/Vault.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestCrashSafetyExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killedExportsLeaveNoPartialFile();
};

void TestCrashSafetyExport::killedExportsLeaveNoPartialFile() {
    CliHarness harness;
    QVERIFY(harness.initWith(u"crash"_s, {u"app"_s}));
    const QString folder = QFileInfo(harness.vaultPath()).absolutePath();
    CliSpawner cli(folder);
    CrashPlan plan = CrashPlan::fromEnvironment("coffer-cli export");

    // 300 secrets of ~1 KiB in one import.
    QByteArray text;
    for (int n = 0; n < 300; ++n) {
        text += "EXPORT_" + QByteArray::number(n) + "=" + plan.randomText(1000) + "\n";
    }
    const QString source = folder + u"/source.env"_s;
    QVERIFY(writeOwnerOnly(source, text));
    COFFER_EXPECT_EXIT(harness.run({u"import"_s, u"crash/app"_s, source}), 0);
    QVERIFY(QFile::remove(source));
    auto key = model::Vault::deriveKey(
        harness.vaultPath(), std::as_bytes(std::span(harness.kPassword.constData(), harness.kPassword.size())));
    QVERIFY(key.has_value());

    const QString out = folder + u"/out"_s;
    QVERIFY(QDir().mkpath(out));
    cli.watch(folder, u"-journal"_s); // the audit event is written first
    cli.watch(out, u".coffer-tmp-"_s);
    const QString target = out + u"/app.env"_s;
    const QStringList exportArgs{
        u"export"_s,          u"crash/app"_s,        u"-o"_s, target, u"--vault"_s, harness.vaultPath(),
        u"--password-file"_s, harness.passwordFile()};
    const QByteArray older = "OLDER=an older export\n";

    std::vector<Ending> calibration;
    const auto typical = cli.calibrate(
        exportArgs, {}, [&](int) { (void)QFile::remove(target); }, &calibration);
    for (const auto& ending : calibration) {
        QVERIFY2(ending.succeeded(), ending.describe().constData());
    }
    const QByteArray reference = readAll(target);
    QVERIFY(reference.size() > 300 * 1000);
    QCOMPARE(reference.count('\n'), 300);
    if (QTest::currentTestFailed()) {
        return;
    }
    qInfo("one complete export of %lld bytes takes %lld ms, %lld ms of them after the audit event's journal appeared",
          static_cast<long long>(reference.size()), static_cast<long long>(typical.total.count() / 1000),
          static_cast<long long>(typical.afterMarker.count() / 1000));

    std::bernoulli_distribution keepOlder(0.5);
    int killed = 0;
    int leftovers = 0;
    int written = 0;
    for (int iteration = 1; iteration <= plan.iterations; ++iteration) {
        const bool hadOlder = keepOlder(plan.rng);
        if (hadOlder) {
            QVERIFY(writeOwnerOnly(target, older));
        } else if (QFileInfo::exists(target)) {
            QVERIFY(QFile::remove(target));
        }
        const Ending ending = cli.runKilled(exportArgs, {}, plan.draw(typical));
        const bool acknowledged = ending.succeeded() || ending.out.contains("Exported 300 secrets");
        if (!ending.killed) {
            QVERIFY2(ending.exitCode == 0, ending.describe().constData());
        } else {
            ++killed;
        }
        const QString where = u"kill %1 (seed %2): "_s.arg(iteration).arg(plan.seed);

        // The target: absent, the older file, or the whole new one; never anything else.
        const bool exists = QFileInfo::exists(target);
        const QByteArray now = readAll(target);
        if (acknowledged) {
            QVERIFY2(
                exists && now == reference,
                qPrintable(where + u"acknowledged, yet the target is not the export (%1 bytes; %2)"_s.arg(now.size())
                                       .arg(QString::fromUtf8(ending.describe()))));
        }
        if (!exists) {
            QVERIFY2(!hadOlder, qPrintable(where + u"the older file vanished"_s));
        } else if (now == reference) {
            ++written;
        } else {
            QVERIFY2(hadOlder && now == older,
                     qPrintable(where + u"a partial or foreign target of %1 bytes"_s.arg(now.size())));
        }
        if (exists) {
            QCOMPARE(modeOf(target), 0600);
        }

        // Nothing but the target and, after a kill, owner-only temporary files.
        const QStringList all = filesMatching(out, u"*"_s);
        const QStringList temporary = filesMatching(out, u".app.env.coffer-tmp-*"_s);
        QCOMPARE(all.size() - static_cast<int>(exists), temporary.size());
        if (!ending.killed) {
            QVERIFY2(temporary.isEmpty(), qPrintable(where + u"a complete export left "_s + temporary.join(u", "_s)));
        }
        for (const QString& name : temporary) {
            QCOMPARE(modeOf(out + u'/' + name), 0600);
        }
        leftovers += temporary.isEmpty() ? 0 : 1;

        const QString problems = checkVaultFiles(harness.vaultPath(), *key, nullptr);
        QVERIFY2(problems.isEmpty(), qPrintable(where + problems));
    }

    // One more complete export cleans up whatever the kills left.
    const Ending last = cli.run(exportArgs);
    QVERIFY2(last.succeeded(), last.describe().constData());
    QCOMPARE(filesMatching(out, u"*"_s), QStringList{u"app.env"_s});
    QCOMPARE(readAll(target), reference);
    qInfo("%d of %d runs killed before they ended; %d left a temporary file; %d wrote the target", killed,
          plan.iterations, leftovers, written);
    QVERIFY2(killed > 0, "no run was killed: the kills test nothing");
}

QTEST_GUILESS_MAIN(TestCrashSafetyExport)
#include "TestCrashSafetyExport.moc"
