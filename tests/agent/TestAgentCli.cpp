// SPDX-License-Identifier: Apache-2.0
// The headless agent through real coffer-cli processes: `agent start` unlocks once, then get, ls, export, run
// and inject print the same bytes, on the same streams, with the same exit codes as with their own unlock.
// The runs through the agent get no password file and no terminal, so an answer proves the agent served it.
#include "../cli/CliHarness.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <sys/stat.h>

using coffer::tests::CliHarness;
using coffer::tests::CliResult;
using namespace Qt::StringLiterals;

class TestAgentCli : public QObject {
    Q_OBJECT

private:
    CliHarness m_cli;

    [[nodiscard]] QString socketPath(const QString& name = u"agent"_s) const {
        return m_cli.path(name + u"/agent.sock"_s);
    }

    /// Through the agent: no password file, no terminal (the harness runs every command in a new session).
    [[nodiscard]] CliResult viaAgent(const QStringList& args, const QString& socket = {}) const {
        return m_cli.runRaw(QStringList{u"--vault"_s, m_cli.vaultPath()} + args, {},
                            {u"COFFER_AGENT_SOCKET="_s + (socket.isEmpty() ? socketPath() : socket)});
    }

    /// With its own unlock, the agent still running.
    [[nodiscard]] CliResult ownUnlock(const QStringList& args) const {
        return m_cli.runRaw(
            QStringList{u"--vault"_s, m_cli.vaultPath(), u"--password-file"_s, m_cli.passwordFile(), u"--no-agent"_s} +
                args,
            {}, {u"COFFER_AGENT_SOCKET="_s + socketPath()});
    }

    [[nodiscard]] CliResult startAgent(const QString& socket, const QStringList& options = {}) const {
        return m_cli.runRaw(QStringList{u"--vault"_s, m_cli.vaultPath(), u"--password-file"_s, m_cli.passwordFile(),
                                        u"agent"_s, u"start"_s} +
                                options,
                            {}, {u"COFFER_AGENT_SOCKET="_s + socket});
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_cli.isValid());
        QVERIFY(m_cli.initWith(u"web"_s, {u"dev"_s, u"prod"_s}));
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/API_KEY"_s}, "s3cr3t-k3y/v@lue+1"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/URL"_s, u"--tag"_s, u"db"_s}, "https://u:${API_KEY}@host"),
                           0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/GONE"_s}, "old"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"rm"_s, u"web/dev/GONE"_s}), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/prod/API_KEY"_s}, "prod-key-value"), 0);
        m_cli.writeFile(u"config.tmpl"_s,
                        "key=coffer://web/dev/API_KEY\nurl=coffer://web/dev/URL\nkey2=coffer://web/dev/API_KEY\n");
        m_cli.writeFile(u"broken.tmpl"_s, "key=coffer://web/dev/MISSING\n");
        m_cli.writeFile(u"run.env"_s, "ONLY=coffer://web/dev/API_KEY\nPLAIN=hello\n");
        const auto started = startAgent(socketPath());
        COFFER_EXPECT_EXIT(started, 0);
        QVERIFY(started.out.startsWith("Agent started for "));
        const QString folder = QFileInfo(socketPath()).path();
        struct stat info {};
        QVERIFY(::stat(QFile::encodeName(folder).constData(), &info) == 0);
        QCOMPARE(info.st_mode & 07777, mode_t(0700));
        QVERIFY(::stat(QFile::encodeName(socketPath()).constData(), &info) == 0);
        QCOMPARE(info.st_mode & 07777, mode_t(0600));
    }

    void cleanupTestCase() { (void)viaAgent({u"lock"_s}); }

    void statusNamesTheVault() {
        const auto status = viaAgent({u"agent"_s, u"status"_s});
        COFFER_EXPECT_EXIT(status, 0);
        QVERIFY2(status.out.contains(QFileInfo(m_cli.vaultPath()).canonicalFilePath().toUtf8()), status.out);
        const auto second = startAgent(socketPath());
        COFFER_EXPECT_EXIT(second, 5);
        QVERIFY(second.err.contains("already running"));
    }

    void sameResultsWithAndWithoutTheAgent_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        const QString tmpl = m_cli.path(u"config.tmpl"_s);
        QTest::newRow("get") << QStringList{u"get"_s, u"web/dev/API_KEY"_s} << 0;
        QTest::newRow("get resolved") << QStringList{u"get"_s, u"web/dev/URL"_s} << 0;
        QTest::newRow("get raw") << QStringList{u"get"_s, u"web/dev/URL"_s, u"--raw"_s} << 0;
        QTest::newRow("get old version") << QStringList{u"get"_s, u"web/dev/GONE"_s, u"--version"_s, u"1"_s} << 0;
        QTest::newRow("get version=, raw first")
            << QStringList{u"get"_s, u"--raw"_s, u"web/dev/URL"_s, u"--version=1"_s} << 0;
        QTest::newRow("get bad version") << QStringList{u"get"_s, u"web/dev/URL"_s, u"--version"_s, u"0"_s} << 1;
        QTest::newRow("get twice raw") << QStringList{u"get"_s, u"web/dev/URL"_s, u"--raw"_s, u"--raw"_s} << 1;
        QTest::newRow("get bad address") << QStringList{u"get"_s, u"web/dev/"_s} << 1;
        QTest::newRow("get deleted") << QStringList{u"get"_s, u"web/dev/GONE"_s} << 2;
        QTest::newRow("get missing") << QStringList{u"get"_s, u"web/dev/NOPE"_s} << 2;
        QTest::newRow("get missing env") << QStringList{u"get"_s, u"web/nope/X"_s} << 2;
        QTest::newRow("ls") << QStringList{u"ls"_s} << 0;
        QTest::newRow("ls json") << QStringList{u"ls"_s, u"--json"_s} << 0;
        QTest::newRow("ls project") << QStringList{u"ls"_s, u"web"_s} << 0;
        QTest::newRow("ls project json") << QStringList{u"ls"_s, u"web"_s, u"--json"_s} << 0;
        QTest::newRow("ls env") << QStringList{u"ls"_s, u"web/dev"_s} << 0;
        QTest::newRow("ls env json deleted") << QStringList{u"ls"_s, u"web/dev"_s, u"--json"_s, u"--deleted"_s} << 0;
        QTest::newRow("ls missing") << QStringList{u"ls"_s, u"nope"_s} << 2;
        QTest::newRow("ls missing env") << QStringList{u"ls"_s, u"web/nope"_s} << 2; // front end, then full CLI
        QTest::newRow("ls other env") << QStringList{u"ls"_s, u"web/prod"_s} << 0;
        QTest::newRow("export") << QStringList{u"export"_s, u"web/dev"_s} << 0;
        QTest::newRow("export json") << QStringList{u"export"_s, u"web/dev"_s, u"--format"_s, u"json"_s} << 0;
        QTest::newRow("export missing") << QStringList{u"export"_s, u"web/nope"_s} << 2;
        QTest::newRow("run masked") << QStringList{u"run"_s, u"web/dev"_s, u"--"_s,
                                                   u"sh"_s,  u"-c"_s,      u"printf '%s|%s' \"$API_KEY\" \"$URL\""_s}
                                    << 0;
        QTest::newRow("run unmasked") << QStringList{u"run"_s,
                                                     u"web/dev"_s,
                                                     u"--no-masking"_s,
                                                     u"--"_s,
                                                     u"sh"_s,
                                                     u"-c"_s,
                                                     u"printf '%s|%s' \"$API_KEY\" \"$URL\""_s}
                                      << 0;
        QTest::newRow("run template") << QStringList{u"run"_s,
                                                     u"web/dev"_s,
                                                     u"--no-masking"_s,
                                                     u"--env-file"_s,
                                                     m_cli.path(u"run.env"_s),
                                                     u"--"_s,
                                                     u"sh"_s,
                                                     u"-c"_s,
                                                     u"printf '%s|%s|%s' \"$ONLY\" \"$PLAIN\" \"${URL-unset}\""_s}
                                      << 0;
        QTest::newRow("run exit status") << QStringList{u"run"_s, u"web/dev"_s, u"--"_s, u"sh"_s, u"-c"_s, u"exit 7"_s}
                                         << 7;
        QTest::newRow("inject") << QStringList{u"inject"_s, tmpl} << 0;
        QTest::newRow("inject missing") << QStringList{u"inject"_s, m_cli.path(u"broken.tmpl"_s)} << 2;
    }

    void sameResultsWithAndWithoutTheAgent() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        const auto own = ownUnlock(args);
        const auto agent = viaAgent(args);
        COFFER_EXPECT_EXIT(own, exitCode);
        COFFER_EXPECT_EXIT(agent, exitCode);
        QCOMPARE(agent.out, own.out);
        QCOMPARE(agent.err, own.err);
        if (exitCode == 0 && !args.contains(u"run"_s)) {
            QVERIFY(!own.out.isEmpty());
        }
    }

    void exportAndInjectToFilesAreTheSame() {
        for (const QString& command : {u"export"_s, u"inject"_s}) {
            const QString source = command == u"export" ? u"web/dev"_s : m_cli.path(u"config.tmpl"_s);
            const QString a = m_cli.path(command + u"-own.env"_s);
            const QString b = m_cli.path(command + u"-agent.env"_s);
            const auto own = ownUnlock({command, source, u"-o"_s, a});
            const auto agent = viaAgent({command, source, u"-o"_s, b});
            COFFER_EXPECT_EXIT(own, 0);
            COFFER_EXPECT_EXIT(agent, 0);
            QCOMPARE(QString::fromUtf8(agent.out).replace(b, a), QString::fromUtf8(own.out));
            QFile ownFile(a);
            QFile agentFile(b);
            QVERIFY(ownFile.open(QIODevice::ReadOnly) && agentFile.open(QIODevice::ReadOnly));
            QCOMPARE(agentFile.readAll(), ownFile.readAll());
            QCOMPARE(agentFile.permissions(),
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);
        }
    }

    /// Nobody is at the headless agent's terminal (it was started without one): a protected read is refused.
    void protectedEnvironmentIsRefusedWithoutTerminal() {
        for (const QStringList& args :
             {QStringList{u"get"_s, u"web/prod/API_KEY"_s}, QStringList{u"export"_s, u"web/prod"_s},
              QStringList{u"run"_s, u"web/prod"_s, u"--"_s, u"true"_s}}) {
            const auto refused = viaAgent(args);
            COFFER_EXPECT_EXIT(refused, 5);
            QVERIFY2(refused.err.contains("not approved"), refused.err);
            QVERIFY(!refused.out.contains("prod-key-value"));
        }
    }

    /// coffer-cli is a front end without Qt that answers get from the agent itself and execs the full CLI
    /// (../libexec/coffer/coffer-cli-full) for the rest. A copy alone in a folder proves which is which: it answers
    /// get through the agent, and needs the full CLI for ls and for get without an agent.
    void frontEndAnswersGetAndLsWithoutTheFullCli() {
        const QString alone = m_cli.path(u"alone/bin/coffer-cli"_s);
        QVERIFY(QDir().mkpath(QFileInfo(alone).path()));
        QVERIFY(QFile::copy(QStringLiteral(COFFER_CLI_PATH), alone));
        const QStringList vault{u"--vault"_s, m_cli.vaultPath()};
        const QString socket = u"COFFER_AGENT_SOCKET="_s + socketPath();
        const auto got = m_cli.runProgram(alone, vault + QStringList{u"get"_s, u"web/dev/API_KEY"_s}, {}, {socket});
        COFFER_EXPECT_EXIT(got, 0);
        QCOMPARE(got.out, QByteArray("s3cr3t-k3y/v@lue+1"));
        const auto table = m_cli.runProgram(alone, vault + QStringList{u"ls"_s, u"web/dev"_s}, {}, {socket});
        COFFER_EXPECT_EXIT(table, 0);
        const auto own = ownUnlock({u"ls"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(own, 0);
        QCOMPARE(table.out, own.out);
        QVERIFY2(table.out.startsWith("NAME ") && table.out.contains("\nURL ") && table.out.contains(" db\n"),
                 table.out);
        for (const QStringList& args : {QStringList{u"ls"_s}, QStringList{u"ls"_s, u"web/dev"_s, u"--json"_s}}) {
            const auto listed = m_cli.runProgram(alone, vault + args, {}, {socket});
            COFFER_EXPECT_EXIT(listed, 5);
            QVERIFY2(
                listed.err.contains("cannot start the full coffer-cli at " +
                                    QFile::encodeName(m_cli.path(u"alone/bin/../libexec/coffer/coffer-cli-full"_s))),
                listed.err);
        }
        const auto noAgent = m_cli.runProgram(alone, vault + QStringList{u"get"_s, u"web/dev/API_KEY"_s}, {},
                                              {u"COFFER_AGENT_SOCKET="_s + m_cli.path(u"none/agent.sock"_s)});
        COFFER_EXPECT_EXIT(noAgent, 5);
        QVERIFY2(noAgent.err.contains("cannot start the full coffer-cli"), noAgent.err);
        QVERIFY(noAgent.out.isEmpty());
    }

    /// A relative vault path and socket path (from the working folder) work: the background agent leaves the
    /// working folder, so it must not keep the relative names.
    void relativePathsWork() {
        const QString folder = QFileInfo(m_cli.vaultPath()).path();
        const QString vault = QFileInfo(m_cli.vaultPath()).fileName();
        const QStringList environment{u"COFFER_AGENT_SOCKET=relative/agent.sock"_s};
        const auto started =
            m_cli.runProgram(QStringLiteral(COFFER_CLI_PATH),
                             {u"--vault"_s, vault, u"--password-file"_s, m_cli.passwordFile(), u"agent"_s, u"start"_s},
                             {}, environment, folder);
        COFFER_EXPECT_EXIT(started, 0);
        QVERIFY(QFileInfo::exists(folder + u"/relative/agent.sock"_s));
        const auto got =
            m_cli.runProgram(QStringLiteral(COFFER_CLI_PATH), {u"--vault"_s, vault, u"get"_s, u"web/dev/API_KEY"_s}, {},
                             environment, folder);
        COFFER_EXPECT_EXIT(got, 0);
        QCOMPARE(got.out, QByteArray("s3cr3t-k3y/v@lue+1"));
        COFFER_EXPECT_EXIT(m_cli.runProgram(QStringLiteral(COFFER_CLI_PATH), {u"--vault"_s, vault, u"lock"_s}, {},
                                            environment, folder),
                           0);
    }

    void socketWithWrongModeIsNotUsed() {
        const QByteArray path = QFile::encodeName(socketPath());
        QVERIFY(::chmod(path.constData(), 0660) == 0);
        const auto refused = viaAgent({u"get"_s, u"web/dev/API_KEY"_s});
        QVERIFY(::chmod(path.constData(), 0600) == 0);
        // It fell back to its own unlock, which has no password here.
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains("not using the agent"), refused.err);
        QVERIFY(refused.out.isEmpty());
        COFFER_EXPECT_EXIT(viaAgent({u"get"_s, u"web/dev/API_KEY"_s}), 0);
    }

    void idleTimeoutStopsTheAgent() {
        const QString socket = socketPath(u"idle"_s);
        COFFER_EXPECT_EXIT(startAgent(socket, {u"--idle-timeout"_s, u"1s"_s}), 0);
        COFFER_EXPECT_EXIT(viaAgent({u"agent"_s, u"status"_s}, socket), 0); // status does not keep it alive
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(socket), 30'000);
        COFFER_EXPECT_EXIT(viaAgent({u"agent"_s, u"status"_s}, socket), 5);
    }

    void lockStopsServiceAtOnce() {
        COFFER_EXPECT_EXIT(viaAgent({u"get"_s, u"web/dev/API_KEY"_s}), 0);
        const auto locked = viaAgent({u"lock"_s});
        COFFER_EXPECT_EXIT(locked, 0);
        QVERIFY(locked.out.startsWith("Locked"));
        const auto after = viaAgent({u"get"_s, u"web/dev/API_KEY"_s});
        COFFER_EXPECT_EXIT(after, 5); // its own unlock, with no password to read
        QVERIFY(after.out.isEmpty());
        COFFER_EXPECT_EXIT(viaAgent({u"agent"_s, u"status"_s}), 5);
        QVERIFY(!QFile::exists(socketPath()));
    }
};

QTEST_GUILESS_MAIN(TestAgentCli)
#include "TestAgentCli.moc"
