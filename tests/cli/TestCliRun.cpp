// SPDX-License-Identifier: Apache-2.0
// coffer-cli run through the real binary: the child's environment, exit status and signals, masking of its
// output, the deny-list, protected environments and the audit event. One vault for the whole class.
#include "CliHarness.h"

#include "model/Store.h"
#include "model/Vault.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>
#include <QUrl>

#include <unistd.h>

using coffer::tests::CliHarness;
using coffer::tests::CliResult;
using namespace Qt::StringLiterals;

namespace {

// Long enough to be masked, with characters that base64 and URL encoding both change.
const QByteArray kKey = "s3cr3t-k3y/v@lue+1";
const QByteArray kToken = "plain-token-value";

QByteArray readFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliRun : public QObject {
    Q_OBJECT

private:
    CliHarness m_cli;

    /// coffer-cli [global options] run OPTIONS... PROJECT/ENV -- COMMAND...
    CliResult run(const QStringList& options, const QStringList& command, const QString& scope = u"web/dev"_s) const {
        return m_cli.runRaw(
            QStringList{u"--vault"_s, m_cli.vaultPath(), u"--password-file"_s, m_cli.passwordFile(), u"run"_s, scope} +
            options + QStringList{u"--"_s} + command);
    }

    CliResult shell(const QString& script, const QStringList& options = {}, const QString& scope = u"web/dev"_s) const {
        return run(options, {u"sh"_s, u"-c"_s, script}, scope);
    }

    std::vector<coffer::model::AuditEvent> auditEvents() const {
        auto vault = coffer::model::Vault::unlock(
            m_cli.vaultPath(), std::as_bytes(std::span(CliHarness::kPassword.constData(),
                                                       static_cast<std::size_t>(CliHarness::kPassword.size()))));
        if (!vault) {
            return {};
        }
        coffer::model::Store store(*vault, u"test"_s);
        return store.auditEvents().value_or(std::vector<coffer::model::AuditEvent>{});
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_cli.isValid());
        QVERIFY(m_cli.initWith(u"web"_s, {u"dev"_s, u"prod"_s, u"loader"_s}));
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/API_KEY"_s}, kKey), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/TOKEN"_s}, kToken), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/URL"_s}, "https://u:${API_KEY}@host"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/prod/API_KEY"_s}, "prod-key-value"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/loader/LD_PRELOAD"_s}, "/nonexistent/coffer-test.so"), 0);
    }

    void secretsAreInTheChildsEnvironmentResolved() {
        const auto result =
            shell(u"printf '%s|%s|%s|%s' \"$API_KEY\" \"$TOKEN\" \"$URL\" \"$HOME\""_s, {u"--no-masking"_s});
        COFFER_EXPECT_EXIT(result, 0);
        // HOME is inherited (the harness points it at its folder).
        QCOMPARE(result.out,
                 kKey + '|' + kToken + "|https://u:" + kKey + "@host|" + QFileInfo(m_cli.vaultPath()).path().toUtf8());
    }

    void secretsWinOverTheInheritedEnvironment() {
        const auto result =
            m_cli.runRaw({u"--vault"_s, m_cli.vaultPath(), u"--password-file"_s, m_cli.passwordFile(), u"run"_s,
                          u"--no-masking"_s, u"web/dev"_s, u"--"_s, u"printenv"_s, u"TOKEN"_s},
                         {}, {u"TOKEN=inherited"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, kToken + '\n');
    }

    void exitCodesPassThrough_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("expected");
        QTest::newRow("0") << u"exit 0"_s << 0;
        QTest::newRow("3") << u"exit 3"_s << 3;
        QTest::newRow("42") << u"exit 42"_s << 42;
        QTest::newRow("SIGKILL") << u"kill -KILL $$"_s << 128 + 9;
        QTest::newRow("SIGTERM") << u"kill -TERM $$"_s << 128 + 15;
    }

    void exitCodesPassThrough() {
        QFETCH(QString, script);
        QFETCH(int, expected);
        const auto result = shell(script);
        COFFER_EXPECT_EXIT(result, expected);
        QVERIFY2(result.err.isEmpty(), result.err.constData());
    }

    void aMissingProgramIs127() {
        const auto result = run({}, {u"coffer-no-such-program"_s});
        COFFER_EXPECT_EXIT(result, 127);
        QVERIFY(result.err.contains("coffer-no-such-program"));
    }

    void argumentsArePassedWithoutAShell() {
        const auto result = run({}, {u"printf"_s, u"%s|"_s, u"$TOKEN"_s, u"a b"_s, u"--help"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, "$TOKEN|a b|--help|"_ba);
    }

    void sigtermIsForwardedToTheChild() {
        const QString ready = m_cli.path(u"ready"_s);
        const QString marker = m_cli.path(u"marker"_s);
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"HOME"_s, m_cli.path({}));
        process.setProcessEnvironment(environment);
        process.setChildProcessModifier([] { ::setsid(); });
        // The loop ends by itself (~30 s) so that a broken forward leaves no process behind.
        const QString script = u"trap 'echo forwarded > \"%1\"; exit 7' TERM; : > \"%2\"; "
                               u"i=0; while [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done"_s.arg(marker, ready);
        process.start(QStringLiteral(COFFER_CLI_PATH),
                      {u"--vault"_s, m_cli.vaultPath(), u"--password-file"_s, m_cli.passwordFile(), u"run"_s,
                       u"web/dev"_s, u"--"_s, u"sh"_s, u"-c"_s, script});
        QVERIFY(process.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(ready), 30'000);
        process.terminate(); // SIGTERM to coffer-cli only, not to the child's process group
        QVERIFY(process.waitForFinished(30'000));
        QCOMPARE(readFile(marker), "forwarded\n"_ba);
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 7);
    }

    void outputIsMaskedPlainBase64AndUrlEncoded() {
        const QByteArray base64 = kKey.toBase64();
        const QByteArray url = QUrl::toPercentEncoding(QString::fromLatin1(kKey));
        QVERIFY(url != kKey && base64 != kKey);
        const auto result = shell(u"echo \"plain=$API_KEY\"; echo 'b64=%1'; echo 'url=%2' >&2; echo \"t=$TOKEN\""_s.arg(
            QString::fromLatin1(base64), QString::fromLatin1(url)));
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, "plain=*****\nb64=*****\nt=*****\n"_ba);
        QCOMPARE(result.err, "url=*****\n"_ba);
    }

    void aValueSplitAcrossWritesIsStillMasked() {
        const QString first = QString::fromLatin1(kKey.left(7));
        const QString second = QString::fromLatin1(kKey.mid(7));
        const auto result = shell(u"printf 'key=%s' '%1'; sleep 0.3; printf '%s;\\n' '%2'"_s.arg(first, second));
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, "key=*****;\n"_ba);
    }

    void noMaskingShowsValues() {
        const auto result = shell(u"echo \"$API_KEY\""_s, {u"--no-masking"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, kKey + '\n');
    }

    void valuesAreNotInTheChildsCommandLine() {
        const QString cmdline = m_cli.path(u"cmdline"_s);
        const auto result =
            shell(u"tr '\\0' ' ' < /proc/$$/cmdline > '%1'; printenv API_KEY"_s.arg(cmdline), {u"--no-masking"_s});
        COFFER_EXPECT_EXIT(result, 0);
        const QByteArray seen = readFile(cmdline);
        QVERIFY(seen.startsWith("sh -c "));
        QVERIFY(!seen.contains(kKey));
        QVERIFY(!seen.contains(kToken));
        QCOMPARE(result.out, kKey + '\n');
    }

    void loaderVariablesAreRefusedUnlessAllowed() {
        const QString marker = m_cli.path(u"loader-ran"_s);
        const auto refused = shell(u": > '%1'"_s.arg(marker), {}, u"web/loader"_s);
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY(refused.err.contains("LD_PRELOAD"));
        QVERIFY(refused.err.contains("--allow-name"));
        QVERIFY(!QFile::exists(marker));

        const auto allowed = shell(u"test \"$LD_PRELOAD\" = /nonexistent/coffer-test.so && : > '%1'"_s.arg(marker),
                                   {u"--allow-name"_s, u"LD_PRELOAD"_s}, u"web/loader"_s);
        COFFER_EXPECT_EXIT(allowed, 0);
        QVERIFY(QFile::exists(marker));
    }

    void templateInjectsOnlyItsNames() {
        const QString path = m_cli.writeFile(u"template.env"_s, "DB=postgres://app:coffer://web/dev/API_KEY@db\n"
                                                                "T=${TOKEN}\n"
                                                                "PLAIN=8080\n");
        const auto result = shell(u"printf '%s|%s|%s|%s' \"$DB\" \"$T\" \"$PLAIN\" \"${API_KEY-unset}\""_s,
                                  {u"--env-file"_s, path, u"--no-masking"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, "postgres://app:" + kKey + "@db|" + kToken + "|8080|unset");

        const auto masked = shell(u"echo \"$DB $PLAIN\"; echo \"$T\""_s, {u"--env-file"_s, path});
        COFFER_EXPECT_EXIT(masked, 0);
        QCOMPARE(masked.out, "***** 8080\n*****\n"_ba);
    }

    void templateWithAnUnknownReferenceFails() {
        const QString marker = m_cli.path(u"unknown-ran"_s);
        const QString path = m_cli.writeFile(u"unknown.env"_s, "X=coffer://web/dev/NOPE\n");
        const auto result = shell(u": > '%1'"_s.arg(marker), {u"--env-file"_s, path});
        COFFER_EXPECT_EXIT(result, 2);
        QVERIFY(result.err.contains("web/dev/NOPE"));
        QVERIFY(!QFile::exists(marker));
    }

    void protectedEnvironmentNeedsYesWithoutATerminal() {
        const QString marker = m_cli.path(u"prod-ran"_s);
        const auto refused = shell(u": > '%1'"_s.arg(marker), {}, u"web/prod"_s);
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY(refused.err.contains("--yes"));
        QVERIFY(!QFile::exists(marker));

        const auto confirmed = shell(u": > '%1'"_s.arg(marker), {u"--yes"_s}, u"web/prod"_s);
        COFFER_EXPECT_EXIT(confirmed, 0);
        QVERIFY(QFile::exists(marker));
    }

    void eachRunIsAuditedWithNamesNeverValues() {
        COFFER_EXPECT_EXIT(run({}, {u"true"_s}), 0);
        const auto events = auditEvents();
        QVERIFY(!events.empty());
        const auto& last = events.front();
        QCOMPARE(last.action, u"run"_s);
        QCOMPARE(last.project, u"web"_s);
        QCOMPARE(last.environment, u"dev"_s);
        QVERIFY2(last.detail.contains(u"true"_s), qPrintable(last.detail));
        for (const auto& name : {u"API_KEY"_s, u"TOKEN"_s, u"URL"_s}) {
            QVERIFY2(last.detail.contains(name), qPrintable(last.detail));
        }
        for (const auto& event : events) {
            QVERIFY(!event.detail.toUtf8().contains(kKey));
            QVERIFY(!event.detail.toUtf8().contains(kToken));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "TestCliRun.moc"
