// SPDX-License-Identifier: Apache-2.0
// model::gitStatus against real git repositories made in temporary folders.
#include "model/GitCheck.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using coffer::model::GitState;
using coffer::model::gitStatus;

namespace {

bool git(const QString& folder, const QStringList& arguments) {
    QProcess process;
    process.start(u"git"_s, QStringList{u"-C"_s, folder, u"-c"_s, u"user.name=Test"_s, u"-c"_s,
                                        u"user.email=test@example.invalid"_s} +
                                arguments);
    return process.waitForFinished(30'000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

bool writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

class TestGitCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_repo = m_dir.filePath(u"repo"_s);
        QVERIFY(QDir().mkpath(m_repo + u"/config"_s));
        QVERIFY(git(m_repo, {u"init"_s, u"-q"_s}));
        QVERIFY(writeFile(m_repo + u"/.gitignore"_s, "/ignored.env\n"));
        QVERIFY(writeFile(m_repo + u"/tracked.env"_s, "A=1\n"));
        QVERIFY(git(m_repo, {u"add"_s, u".gitignore"_s, u"tracked.env"_s}));
        QVERIFY(git(m_repo, {u"commit"_s, u"-q"_s, u"-m"_s, u"init"_s}));
    }

    void outsideAWorkTreeNothingIsChecked() {
        QVERIFY(QDir().mkpath(m_dir.filePath(u"plain"_s)));
        const auto status = gitStatus(m_dir.filePath(u"plain/.env"_s));
        QCOMPARE(status.state, GitState::NotInWorkTree);
        QVERIFY(status.workTree.isEmpty());
    }

    void trackedFile() { QCOMPARE(gitStatus(m_repo + u"/tracked.env"_s).state, GitState::Tracked); }

    void ignoredFile() { QCOMPARE(gitStatus(m_repo + u"/ignored.env"_s).state, GitState::Ignored); }

    void unignoredFileSuggestsTheExactLine() {
        const auto status = gitStatus(m_repo + u"/config/.env"_s);
        QCOMPARE(status.state, GitState::NotIgnored);
        QCOMPARE(status.ignoreLine, u"/config/.env"_s);
        QCOMPARE(QFileInfo(status.workTree).canonicalFilePath(), QFileInfo(m_repo).canonicalFilePath());
    }

private:
    QTemporaryDir m_dir;
    QString m_repo;
};

QTEST_GUILESS_MAIN(TestGitCheck)
#include "TestGitCheck.moc"
