// SPDX-License-Identifier: Apache-2.0
// coffer-cli export: stdout, owner-only atomic files, symlink/FIFO refusal, git checks, merge, protected
// environments and the audit log. One vault for the whole class.
#include "CliHarness.h"
#include "model/Store.h"
#include "model/Vault.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using coffer::tests::CliHarness;

namespace {

bool git(const QString& folder, const QStringList& arguments) {
    QProcess process;
    process.start(u"git"_s, QStringList{u"-C"_s, folder, u"-c"_s, u"user.name=Test"_s, u"-c"_s,
                                        u"user.email=test@example.invalid"_s} +
                                arguments);
    return process.waitForFinished(30'000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

QByteArray contentOf(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

mode_t modeOf(const QString& path) {
    struct stat status {};
    return ::lstat(QFile::encodeName(path).constData(), &status) == 0 ? (status.st_mode & 07777) : 0;
}

} // namespace

class TestCliExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_cli.isValid());
        QVERIFY(m_cli.initWith(u"web"_s, {u"dev"_s, u"prod"_s}));
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/API_KEY"_s}, "marker-api"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/dev/DB_URL"_s}, "marker db url"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/prod/PROD_KEY"_s}, "marker-prod"), 0);
        m_repo = m_cli.path(u"repo"_s);
        QVERIFY(QDir().mkpath(m_repo));
        QVERIFY(git(m_repo, {u"init"_s, u"-q"_s}));
        QFile ignore(m_repo + u"/.gitignore"_s);
        QVERIFY(ignore.open(QIODevice::WriteOnly));
        ignore.write("/ignored.env\n");
        ignore.close();
        QFile tracked(m_repo + u"/tracked.env"_s);
        QVERIFY(tracked.open(QIODevice::WriteOnly));
        tracked.write("PUBLIC=1\n");
        tracked.close();
        QVERIFY(git(m_repo, {u"add"_s, u".gitignore"_s, u"tracked.env"_s}));
        QVERIFY(git(m_repo, {u"commit"_s, u"-q"_s, u"-m"_s, u"init"_s}));
    }

    void exportsToStdout() {
        const auto exported = m_cli.run({u"export"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(exported, 0);
        // Read back with Coffer's own reader: what was written is what is read.
        const QString file = m_cli.writeFile(u"stdout.env"_s, exported.out);
        const auto parsed = m_cli.runRaw({u"dotenv"_s, u"parse"_s, file});
        COFFER_EXPECT_EXIT(parsed, 0);
        QCOMPARE(QJsonDocument::fromJson(parsed.out).object(),
                 (QJsonObject{{u"API_KEY"_s, u"marker-api"_s}, {u"DB_URL"_s, u"marker db url"_s}}));
    }

    void fileIsOwnerOnlyUnderUmask022() {
        const mode_t old = ::umask(022); // inherited by coffer-cli
        const QString path = m_cli.path(u"out.env"_s);
        const auto exported = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, path});
        ::umask(old);
        COFFER_EXPECT_EXIT(exported, 0);
        QCOMPARE(modeOf(path), mode_t{0600});
        QVERIFY(contentOf(path).contains("marker-api"));
        QVERIFY(!exported.out.contains("marker"));
        const auto json = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, m_cli.path(u"out.json"_s)});
        COFFER_EXPECT_EXIT(json, 0);
        QCOMPARE(QJsonDocument::fromJson(contentOf(m_cli.path(u"out.json"_s))).object().value(u"API_KEY"_s).toString(),
                 u"marker-api"_s);
    }

    void symlinkTargetIsRefused() {
        const QString real = m_cli.writeFile(u"real.txt"_s, "untouched");
        const QString link = m_cli.path(u"link.env"_s);
        QVERIFY(QFile::link(real, link));
        const auto refused = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, link});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains("symbolic link"), refused.err.constData());
        QCOMPARE(contentOf(real), QByteArray("untouched"));
    }

    void fifoTargetIsRefused() {
        const QString fifo = m_cli.path(u"fifo.env"_s);
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
        const auto refused = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, fifo});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains("not a regular file"), refused.err.constData());
    }

    void gitTrackedTargetIsRefused() {
        const QString path = m_repo + u"/tracked.env"_s;
        const auto refused = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, path, u"--allow-unignored"_s});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains("tracked by git"), refused.err.constData());
        QVERIFY2(refused.err.contains("/tracked.env"), refused.err.constData());
        QCOMPARE(contentOf(path), QByteArray("PUBLIC=1\n"));
    }

    void unignoredTargetNeedsAllowUnignored() {
        const QString path = m_repo + u"/local.env"_s;
        const auto refused = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, path});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains(".gitignore: /local.env"), refused.err.constData());
        QVERIFY(!QFile::exists(path));
        const auto allowed = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, path, u"--allow-unignored"_s});
        COFFER_EXPECT_EXIT(allowed, 0);
        QVERIFY2(allowed.err.contains("warning") && allowed.err.contains("/local.env"), allowed.err.constData());
        QVERIFY(contentOf(path).contains("marker-api"));
    }

    void ignoredTargetIsAcceptedSilently() {
        const QString path = m_repo + u"/ignored.env"_s;
        const auto exported = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, path});
        COFFER_EXPECT_EXIT(exported, 0);
        QVERIFY2(exported.err.isEmpty(), exported.err.constData());
        QVERIFY(contentOf(path).contains("marker-api"));
    }

    void mergeKeepsForeignLinesAndComments() {
        const QString path = m_cli.writeFile(u"merge.env"_s, "# my settings\nFOREIGN=keep me\n\nAPI_KEY=old\n");
        const auto merged = m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, path, u"--merge"_s});
        COFFER_EXPECT_EXIT(merged, 0);
        const QByteArray content = contentOf(path);
        QVERIFY2(content.startsWith("# my settings\nFOREIGN=keep me\n\n"), content.constData());
        QVERIFY2(!content.contains("API_KEY=old"), content.constData());
        const auto parsed = m_cli.runRaw({u"dotenv"_s, u"parse"_s, path});
        QCOMPARE(QJsonDocument::fromJson(parsed.out).object(), (QJsonObject{{u"FOREIGN"_s, u"keep me"_s},
                                                                            {u"API_KEY"_s, u"marker-api"_s},
                                                                            {u"DB_URL"_s, u"marker db url"_s}}));
        QCOMPARE(modeOf(path), mode_t{0600});
        COFFER_EXPECT_EXIT(m_cli.run({u"export"_s, u"web/dev"_s, u"--merge"_s}), 1); // needs -o
    }

    void protectedEnvironmentNeedsYesWithoutATerminal() {
        const auto refused = m_cli.run({u"export"_s, u"web/prod"_s});
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.contains("--yes"), refused.err.constData());
        QVERIFY(refused.out.isEmpty());
        const auto confirmed = m_cli.run({u"export"_s, u"web/prod"_s, u"--yes"_s});
        COFFER_EXPECT_EXIT(confirmed, 0);
        QVERIFY(confirmed.out.contains("marker-prod"));
    }

    void exportIsAuditedWithoutValues() {
        const QString path = m_cli.path(u"audited.env"_s);
        COFFER_EXPECT_EXIT(m_cli.run({u"export"_s, u"web/dev"_s, u"-o"_s, path}), 0);
        auto vault = coffer::model::Vault::unlock(
            m_cli.vaultPath(),
            std::as_bytes(std::span<const char>(CliHarness::kPassword.constData(),
                                                static_cast<std::size_t>(CliHarness::kPassword.size()))));
        QVERIFY(vault);
        coffer::model::Store store(*vault, u"test"_s);
        const auto events = store.auditEvents(1000);
        QVERIFY(events);
        bool found = false;
        for (const auto& event : *events) {
            const QString all = event.action + event.project + event.environment + event.secret + event.detail;
            QVERIFY2(!all.contains(u"marker"_s), qPrintable(all));
            if (event.action == u"export"_s && event.detail == QFileInfo(path).absoluteFilePath() + u", 2 secrets"_s) {
                QCOMPARE(event.project, u"web"_s);
                QCOMPARE(event.environment, u"dev"_s);
                found = true;
            }
        }
        QVERIFY2(found, "no export event with the file and the count");
    }

private:
    CliHarness m_cli;
    QString m_repo;
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "TestCliExport.moc"
