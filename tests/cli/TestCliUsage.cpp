// SPDX-License-Identifier: Apache-2.0
// coffer-cli's command line as a user meets it: help, version, and mistakes (exit code 1).
#include "CliHarness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using coffer::tests::CliHarness;

class TestCliUsage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyCommandHasHelp_data() {
        QTest::addColumn<QString>("command");
        for (const char* command :
             {"init", "passwd", "info", "project add", "project ls", "project rm", "project rename", "env add",
              "env ls", "env rm", "env rename", "set", "get", "ls", "rm", "history", "restore", "rename", "help"}) {
            QTest::newRow(command) << QString::fromLatin1(command);
        }
    }

    void everyCommandHasHelp() {
        QFETCH(QString, command);
        CliHarness cli;
        const QStringList words = command.split(u' ');
        for (const auto& flag : {u"--help"_s, u"-h"_s}) {
            const auto result = cli.runRaw(words + QStringList{flag});
            COFFER_EXPECT_EXIT(result, 0);
            QVERIFY2(result.out.startsWith("Usage: coffer-cli " + command.toUtf8()), result.out.constData());
            QVERIFY(result.err.isEmpty());
        }
        const auto viaHelp = cli.runRaw(QStringList{u"help"_s} + words);
        COFFER_EXPECT_EXIT(viaHelp, 0);
        QVERIFY2(viaHelp.out.startsWith("Usage: coffer-cli " + command.toUtf8()), viaHelp.out.constData());
    }

    void helpBeforeTheCommandAndForGroups() {
        CliHarness cli;
        const auto general = cli.runRaw({u"--help"_s});
        COFFER_EXPECT_EXIT(general, 0);
        QVERIFY(general.out.contains("Exit codes:"));
        for (const char* command : {"init", "passwd", "project add", "env rm", "set", "history", "restore"}) {
            QVERIFY2(general.out.contains(command), command);
        }
        const auto group = cli.runRaw({u"project"_s, u"--help"_s});
        COFFER_EXPECT_EXIT(group, 0);
        QVERIFY(group.out.contains("project rename"));
        QVERIFY(!group.out.contains("env add"));
        // Help wins over a half-written command line.
        COFFER_EXPECT_EXIT(cli.runRaw({u"get"_s, u"--bogus"_s, u"--help"_s}), 0);
    }

    void versionPrintsTheProjectVersion() {
        CliHarness cli;
        const auto result = cli.runRaw({u"--version"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, QByteArray("coffer-cli " COFFER_VERSION "\n"));
    }

    void mistakesExitOne_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{u"frobnicate"_s};
        QTest::newRow("unknown subcommand") << QStringList{u"project"_s, u"frobnicate"_s};
        QTest::newRow("group without subcommand") << QStringList{u"env"_s};
        QTest::newRow("unknown option") << QStringList{u"ls"_s, u"--frobnicate"_s};
        QTest::newRow("unknown short option") << QStringList{u"ls"_s, u"-x"_s};
        QTest::newRow("option of another command") << QStringList{u"ls"_s, u"--force"_s};
        QTest::newRow("missing argument") << QStringList{u"get"_s};
        QTest::newRow("too many arguments") << QStringList{u"get"_s, u"a/b/C"_s, u"d/e/F"_s};
        QTest::newRow("option without its value") << QStringList{u"ls"_s, u"--vault"_s};
        QTest::newRow("flag with a value") << QStringList{u"ls"_s, u"--json=yes"_s};
        QTest::newRow("help for an unknown command") << QStringList{u"help"_s, u"frobnicate"_s};
        QTest::newRow("--deleted without an environment") << QStringList{u"ls"_s, u"--deleted"_s};
    }

    void mistakesExitOne() {
        QFETCH(QStringList, args);
        CliHarness cli;
        QVERIFY(cli.initVault());
        const auto result = cli.run(args);
        COFFER_EXPECT_EXIT(result, 1);
        QVERIFY2(result.err.startsWith("coffer-cli: "), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY(result.out.isEmpty());
    }

    void globalOptionsMayComeBeforeTheCommand() {
        CliHarness cli;
        QVERIFY(cli.initVault());
        const auto result = cli.runRaw({u"--vault"_s, cli.vaultPath(), u"--password-file="_s + cli.passwordFile(),
                                        u"project"_s, u"add"_s, u"web"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(cli.run({u"ls"_s}).out, QByteArray("web\n"));
    }
};

QTEST_GUILESS_MAIN(TestCliUsage)
#include "TestCliUsage.moc"
