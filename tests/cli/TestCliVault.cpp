// SPDX-License-Identifier: Apache-2.0
// coffer-cli and the vault file: init, info, passwd, passwords and what goes wrong with them.
#include "CliHarness.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using coffer::tests::CliHarness;

class TestCliVault : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initThenInfoShowsFormatCostAndCounts() {
        CliHarness cli;
        QVERIFY(cli.isValid());
        const auto created = cli.run({u"init"_s, u"--kdf-passes"_s, u"2"_s, u"--kdf-memory"_s, u"64"_s});
        COFFER_EXPECT_EXIT(created, 0);
        QVERIFY(QFile::exists(cli.vaultPath()));
        QCOMPARE(QFile::permissions(cli.vaultPath()) &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions{});
        QVERIFY(cli.run({u"project"_s, u"add"_s, u"web"_s}).exitCode == 0);

        const auto info = cli.run({u"info"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(info, 0);
        const QJsonObject object = QJsonDocument::fromJson(info.out).object();
        QCOMPARE(object.value(u"formatVersion"_s).toInt(), 1);
        QCOMPARE(object.value(u"kdf"_s).toObject().value(u"passes"_s).toInt(), 2);
        QCOMPARE(object.value(u"kdf"_s).toObject().value(u"memoryMiB"_s).toInt(), 64);
        QCOMPARE(object.value(u"projects"_s).toInt(), 1);
        QCOMPARE(object.value(u"secrets"_s).toInt(), 0);

        const auto text = cli.run({u"info"_s});
        COFFER_EXPECT_EXIT(text, 0);
        QVERIFY2(text.out.contains("2 passes over 64 MiB"), text.out.constData());
        QVERIFY2(text.out.contains("Projects:"), text.out.constData());
        QVERIFY(!text.out.contains(CliHarness::kPassword));
    }

    void initRefusesAnExistingFile() {
        CliHarness cli;
        const QString existing = cli.writeFile(u"test.coffer"_s, "precious data");
        const auto result = cli.run({u"init"_s, u"--kdf-passes"_s, u"2"_s, u"--kdf-memory"_s, u"64"_s});
        COFFER_EXPECT_EXIT(result, 5);
        QVERIFY2(result.err.startsWith("coffer-cli: "), result.err.constData());
        QVERIFY2(result.err.contains("already exists"), result.err.constData());
        QFile file(existing);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("precious data"));
    }

    void initRefusesACostOutsidePolicy_data() {
        QTest::addColumn<QString>("passes");
        QTest::addColumn<QString>("memory");
        QTest::newRow("one pass") << u"1"_s << u"64"_s;
        QTest::newRow("memory below the floor") << u"2"_s << u"32"_s;
        QTest::newRow("memory not a power of two") << u"2"_s << u"100"_s;
        QTest::newRow("not a number") << u"two"_s << u"64"_s;
    }

    void initRefusesACostOutsidePolicy() {
        QFETCH(QString, passes);
        QFETCH(QString, memory);
        CliHarness cli;
        const auto result = cli.run({u"init"_s, u"--kdf-passes"_s, passes, u"--kdf-memory"_s, memory});
        COFFER_EXPECT_EXIT(result, 1);
        QVERIFY(!QFile::exists(cli.vaultPath()));
    }

    void wrongPasswordExitsThree() {
        CliHarness cli;
        QVERIFY(cli.initVault());
        const QString wrong = cli.writeFile(u"wrong.txt"_s, "not the password\n");
        const auto result = cli.runRaw({u"info"_s, u"--vault"_s, cli.vaultPath(), u"--password-file"_s, wrong});
        COFFER_EXPECT_EXIT(result, 3);
        QVERIFY2(result.err.startsWith("coffer-cli: "), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
    }

    void passwordFileLosesOnlyOneTrailingNewline() {
        CliHarness cli;
        QVERIFY(cli.initVault());
        const QString twoNewlines = cli.writeFile(u"two.txt"_s, CliHarness::kPassword + "\n\n");
        COFFER_EXPECT_EXIT(cli.runRaw({u"info"_s, u"--vault"_s, cli.vaultPath(), u"--password-file"_s, twoNewlines}),
                           3);
        const QString none = cli.writeFile(u"none.txt"_s, CliHarness::kPassword);
        COFFER_EXPECT_EXIT(cli.runRaw({u"info"_s, u"--vault"_s, cli.vaultPath(), u"--password-file"_s, none}), 0);
    }

    void randomFileIsNotAVault() {
        CliHarness cli;
        QByteArray noise(8192, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(noise.data()), noise.size() / 4);
        cli.writeFile(u"test.coffer"_s, noise);
        const auto result = cli.run({u"info"_s});
        COFFER_EXPECT_EXIT(result, 4);
        QVERIFY2(result.err.startsWith("coffer-cli: "), result.err.constData());
    }

    void missingVaultSaysTheFileIsMissing() {
        CliHarness cli;
        const auto result = cli.run({u"ls"_s});
        COFFER_EXPECT_EXIT(result, 5); // 2 is kept for things missing inside a vault (docs/cli.md)
        QVERIFY2(result.err.contains("No vault file"), result.err.constData());
        QVERIFY2(result.err.contains(cli.vaultPath().toUtf8()), result.err.constData());
        QVERIFY2(result.err.contains("coffer-cli init"), result.err.constData());
    }

    void vaultComesFromTheEnvironmentVariable() {
        CliHarness cli;
        QVERIFY(cli.initVault());
        const auto result = cli.runRaw({u"info"_s, u"--password-file"_s, cli.passwordFile()}, {},
                                       {u"COFFER_VAULT="_s + cli.vaultPath()});
        COFFER_EXPECT_EXIT(result, 0);
        QVERIFY2(result.out.contains(cli.vaultPath().toUtf8()), result.out.constData());
        // --vault wins over the variable.
        const auto other =
            cli.runRaw({u"info"_s, u"--vault"_s, cli.path(u"none.coffer"_s), u"--password-file"_s, cli.passwordFile()},
                       {}, {u"COFFER_VAULT="_s + cli.vaultPath()});
        COFFER_EXPECT_EXIT(other, 5);
        QVERIFY2(other.err.contains("none.coffer"), other.err.constData());
    }

    void vaultDefaultsToTheDataFolder() {
        CliHarness cli;
        const QString expected = cli.path(u"data/coffer/default.coffer"_s);
        const auto created = cli.runRaw({u"init"_s, u"--kdf-passes"_s, u"2"_s, u"--kdf-memory"_s, u"64"_s,
                                         u"--password-file"_s, cli.passwordFile()});
        COFFER_EXPECT_EXIT(created, 0);
        QVERIFY2(QFile::exists(expected), created.out.constData());
    }

    void passwordFileOpenToOthersIsRefused_data() {
        QTest::addColumn<int>("permissions");
        QTest::newRow("0644 readable by all")
            << int(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        QTest::newRow("0640 readable by group") << int(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup);
        QTest::newRow("0620 writable by group") << int(QFile::ReadOwner | QFile::WriteOwner | QFile::WriteGroup);
        QTest::newRow("0602 writable by others") << int(QFile::ReadOwner | QFile::WriteOwner | QFile::WriteOther);
    }

    void passwordFileOpenToOthersIsRefused() {
        QFETCH(int, permissions);
        CliHarness cli;
        QVERIFY(cli.initVault());
        const QString open =
            cli.writeFile(u"open.txt"_s, CliHarness::kPassword + '\n', QFile::Permissions::fromInt(permissions));
        const auto result = cli.runRaw({u"info"_s, u"--vault"_s, cli.vaultPath(), u"--password-file"_s, open});
        COFFER_EXPECT_EXIT(result, 5);
        QVERIFY2(result.err.contains("chmod 600"), result.err.constData());
        QVERIFY(result.out.isEmpty());
    }

    void noTerminalAndNoPasswordFileFailsAtOnce_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("info") << QStringList{u"info"_s};
        QTest::newRow("init") << QStringList{u"init"_s, u"--kdf-passes"_s, u"2"_s, u"--kdf-memory"_s, u"64"_s};
        QTest::newRow("get") << QStringList{u"get"_s, u"p/e/N"_s};
    }

    void noTerminalAndNoPasswordFileFailsAtOnce() {
        QFETCH(QStringList, args);
        CliHarness cli;
        QVERIFY(cli.initVault());
        const QString vault = args.first() == u"init"_s ? cli.path(u"other.coffer"_s) : cli.vaultPath();
        QElapsedTimer timer;
        timer.start();
        const auto result = cli.runRaw(args + QStringList{u"--vault"_s, vault});
        QVERIFY2(timer.elapsed() < 20'000, "took too long: it must not wait for a terminal");
        COFFER_EXPECT_EXIT(result, 5);
        QVERIFY2(result.err.contains("no terminal"), result.err.constData());
        QVERIFY2(result.err.contains("--password-file"), result.err.constData());
    }

    void passwdWithNewPasswordFile() {
        CliHarness cli;
        QVERIFY(cli.initVault());
        COFFER_EXPECT_EXIT(cli.run({u"project"_s, u"add"_s, u"api"_s}), 0);
        const QString next = cli.writeFile(u"next.txt"_s, "a brand new passphrase\n");
        COFFER_EXPECT_EXIT(cli.run({u"passwd"_s, u"--new-password-file"_s, next}), 0);

        COFFER_EXPECT_EXIT(cli.run({u"ls"_s}), 3); // the old password no longer opens it
        const auto listed = cli.runRaw({u"ls"_s, u"--vault"_s, cli.vaultPath(), u"--password-file"_s, next});
        COFFER_EXPECT_EXIT(listed, 0);
        QVERIFY2(listed.out.contains("api\n"), listed.out.constData()); // and nothing was lost
    }

    void passwdRefusesAnOpenNewPasswordFile() {
        CliHarness cli;
        QVERIFY(cli.initVault());
        const QString open = cli.writeFile(u"next.txt"_s, "a brand new passphrase\n",
                                           QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        COFFER_EXPECT_EXIT(cli.run({u"passwd"_s, u"--new-password-file"_s, open}), 5);
        COFFER_EXPECT_EXIT(cli.run({u"info"_s}), 0); // the old password still works
    }
};

QTEST_GUILESS_MAIN(TestCliVault)
#include "TestCliVault.moc"
