// SPDX-License-Identifier: Apache-2.0
// The import and export pipeline shared by coffer-cli and the app (model/DotenvImport.h, model/DotenvExport.h)
// and addToGitignore (model/GitCheck.h): plans by name, all-or-nothing writes, target previews, refusals.
#include "model/DotenvExport.h"
#include "model/DotenvImport.h"
#include "model/GitCheck.h"
#include "tests/model/StoreTestSupport.h"

#include <QDir>
#include <QProcess>

using namespace coffer::model;
using namespace coffer::model::testing;
namespace dotenv = coffer::model::dotenv;

namespace {

bool writeText(const QString& path, const QByteArray& text) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

QByteArray readText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

int git(const QString& folder, const QStringList& arguments) {
    QProcess process;
    process.setWorkingDirectory(folder);
    process.start(QStringLiteral("git"), arguments);
    if (!process.waitForFinished(30'000) || process.exitStatus() != QProcess::NormalExit) {
        return -1;
    }
    return process.exitCode();
}

dotenv::Entry entry(const char* name, const char* value) {
    return dotenv::Entry{QString::fromLatin1(name), coffer::crypto::SecureBuffer::copyOf(std::string_view(value)), 0};
}

} // namespace

class TestDotenvTransfer : public QObject {
    Q_OBJECT

    StoreFixture m_fixture;
    QTemporaryDir m_files;
    std::int64_t m_env = 0;
    Environment m_environment;

    Store& store() { return m_fixture.store(); }

    void prepare() {
        const auto project = store().addProject(QStringLiteral("web")).value();
        m_environment = store().addEnvironment(project.id, QStringLiteral("dev")).value();
        m_env = m_environment.id;
        QVERIFY(store().setSecret(m_env, QStringLiteral("KEEP"), bytesOf("same")));
        QVERIFY(store().setSecret(m_env, QStringLiteral("CHANGE"), bytesOf("old")));
    }

    QString file(const QString& name) { return m_files.filePath(name); }

private Q_SLOTS:
    STORE_FIXTURE_SLOTS("alice")

    void dialectFollowsTheExtension() {
        QCOMPARE(dotenv::dialectForPath(QStringLiteral("/x/a.json")), dotenv::Dialect::Json);
        QCOMPARE(dotenv::dialectForPath(QStringLiteral("/x/a.YML")), dotenv::Dialect::Yaml);
        QCOMPARE(dotenv::dialectForPath(QStringLiteral("/x/a.yaml")), dotenv::Dialect::Yaml);
        QCOMPARE(dotenv::dialectForPath(QStringLiteral("/x/.env")), dotenv::Dialect::Dotenv);
        QCOMPARE(dotenv::dialectForPath(QStringLiteral("/x/.env.local")), dotenv::Dialect::Dotenv);
    }

    void readFileKeepsOneEntryPerNameAndSaysWhyItFails() {
        QVERIFY(writeText(file(QStringLiteral("dup.env")), "A=1\nB=2\nA=3\n"));
        const auto entries = dotenv::readFile(file(QStringLiteral("dup.env")), dotenv::Dialect::Dotenv);
        QVERIFY(entries.has_value());
        QCOMPARE(entries->size(), std::size_t{2});
        QCOMPARE(entries->at(0).name, QStringLiteral("A"));
        QCOMPARE(toByteArray(entries->at(0).value), QByteArray("3"));

        const auto missing = dotenv::readFile(file(QStringLiteral("nope.env")), dotenv::Dialect::Dotenv);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::FileMissing);

        QVERIFY(writeText(file(QStringLiteral("bad.env")), "A=1\n\nB='secret-marker\n"));
        const auto bad = dotenv::readFile(file(QStringLiteral("bad.env")), dotenv::Dialect::Dotenv);
        QVERIFY(!bad);
        QCOMPARE(bad.error().line, 3);
        QVERIFY(!bad.error().message.contains(QStringLiteral("marker")));
    }

    void planSaysAddedChangedUnchanged() {
        std::vector<dotenv::Entry> entries;
        entries.push_back(entry("KEEP", "same"));
        entries.push_back(entry("CHANGE", "new"));
        entries.push_back(entry("ADD", "fresh"));
        const auto plan = dotenv::planImport(store(), m_env, std::move(entries));
        QVERIFY(plan.has_value());
        QCOMPARE(plan->changes,
                 (std::vector{dotenv::Change::Unchanged, dotenv::Change::Changed, dotenv::Change::Added}));
        QCOMPARE(plan->countsText(), QStringLiteral("1 added, 1 changed, 1 unchanged"));

        QVERIFY(dotenv::applyImport(store(), QStringLiteral("web"), m_environment, *plan, QStringLiteral("/f/.env")));
        QCOMPARE(toByteArray(store().value(store().secret(m_env, QStringLiteral("CHANGE"))->id).value()),
                 QByteArray("new"));
        QCOMPARE(store().secret(m_env, QStringLiteral("KEEP"))->version, 1);
        const auto events = store().auditEvents(5).value();
        QCOMPARE(events.front().action, QStringLiteral("import"));
        QCOMPARE(events.front().detail, QStringLiteral("/f/.env, 1 added, 1 changed, 1 unchanged"));
    }

    void aBadEntryIsRefusedWithItsLine() {
        std::vector<dotenv::Entry> entries;
        entries.push_back(entry("GOOD", "x"));
        entries.push_back(entry("1BAD", "y"));
        entries.back().line = 7;
        const auto plan = dotenv::planImport(store(), m_env, std::move(entries));
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, ErrorCode::InvalidName);
        QCOMPARE(plan.error().line, 7);
    }

    void applyIsAllOrNothing() {
        // A plan made by hand, so that the second write fails inside the transaction.
        dotenv::ImportPlan plan;
        plan.entries.push_back(entry("FIRST_ONE", "a"));
        plan.entries.push_back(entry("bad name", "b"));
        plan.changes = {dotenv::Change::Added, dotenv::Change::Added};
        const auto before = store().counts().value();
        const auto applied =
            dotenv::applyImport(store(), QStringLiteral("web"), m_environment, plan, QStringLiteral("f"));
        QVERIFY(!applied);
        QCOMPARE(applied.error().code, ErrorCode::InvalidName);
        QVERIFY(!store().secret(m_env, QStringLiteral("FIRST_ONE")));
        QCOMPARE(store().counts().value().auditEvents, before.auditEvents);
    }

    void previewComparesTheTargetByName() {
        const auto entries = dotenv::environmentEntries(store(), m_env);
        QVERIFY(entries.has_value());
        const QString path = file(QStringLiteral("target.env"));
        QFile::remove(path);
        auto fresh = dotenv::previewExport({path, dotenv::Dialect::Dotenv, false}, *entries);
        QVERIFY(fresh && !fresh->targetExists);
        QCOMPARE(fresh->count(dotenv::TargetChange::Added), qsizetype{2});

        QVERIFY(writeText(path, "# mine\nCHANGE=older\nKEEP=same\nOTHER=1\n"));
        auto overwrite = dotenv::previewExport({path, dotenv::Dialect::Dotenv, false}, *entries);
        QVERIFY(overwrite && overwrite->targetExists);
        QCOMPARE(overwrite->count(dotenv::TargetChange::Changed), qsizetype{1});
        QCOMPARE(overwrite->count(dotenv::TargetChange::Unchanged), qsizetype{1});
        QCOMPARE(overwrite->count(dotenv::TargetChange::Removed), qsizetype{1});
        auto merged = dotenv::previewExport({path, dotenv::Dialect::Dotenv, true}, *entries);
        QVERIFY(merged.has_value());
        QCOMPARE(merged->count(dotenv::TargetChange::Kept), qsizetype{1});
        QCOMPARE(merged->count(dotenv::TargetChange::Removed), qsizetype{0});

        // Not valid in the format: an overwrite replaces it, a merge cannot.
        QVERIFY(writeText(path, "A=1\nB=\"open\n"));
        auto unreadable = dotenv::previewExport({path, dotenv::Dialect::Dotenv, false}, *entries);
        QVERIFY(unreadable && unreadable->targetUnreadable);
        auto refused = dotenv::previewExport({path, dotenv::Dialect::Dotenv, true}, *entries);
        QVERIFY(!refused);
        QCOMPARE(refused.error().line, 2);
        QVERIFY(!dotenv::render({QString(), dotenv::Dialect::Json, true}, *entries));
    }

    void writeExportIsAuditedAndOwnerOnly() {
        const auto entries = dotenv::environmentEntries(store(), m_env).value();
        const dotenv::ExportTarget target{file(QStringLiteral("out.env")), dotenv::Dialect::Dotenv, false};
        const auto bytes = dotenv::render(target, entries);
        QVERIFY(bytes.has_value());
        QVERIFY(dotenv::writeExport(store(), QStringLiteral("web"), QStringLiteral("dev"), target, *bytes, 2));
        QCOMPARE(QFileInfo(target.path).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QCOMPARE(readText(target.path), QByteArray("CHANGE=old\nKEEP=same\n"));
        QCOMPARE(store().auditEvents(1).value().front().detail, target.path + QStringLiteral(", 2 secrets"));

        // A symlink target is refused before anything is recorded.
        const QString link = file(QStringLiteral("link.env"));
        QVERIFY(QFile::link(target.path, link));
        const auto events = store().counts().value().auditEvents;
        QVERIFY(!dotenv::writeExport(store(), QStringLiteral("web"), QStringLiteral("dev"),
                                     {link, dotenv::Dialect::Dotenv, false}, *bytes, 2));
        QCOMPARE(store().counts().value().auditEvents, events);
    }

    void addToGitignoreAppendsAnEscapedPattern() {
        const QString repo = file(QStringLiteral("repo"));
        QDir().mkpath(repo + QStringLiteral("/conf"));
        QCOMPARE(git(repo, {QStringLiteral("init"), QStringLiteral("-q")}), 0);
        QVERIFY(writeText(repo + QStringLiteral("/.gitignore"), "build/"));
        const QString odd = repo + QStringLiteral("/conf/prod[1]*.env");
        const auto status = gitStatus(odd);
        QCOMPARE(status.state, GitState::NotIgnored);
        QVERIFY(addToGitignore(status));
        QCOMPARE(readText(repo + QStringLiteral("/.gitignore")), QByteArray("build/\n/conf/prod\\[1]\\*.env\n"));
        QCOMPARE(gitStatus(odd).state, GitState::Ignored);
        // Only that file: a sibling the glob would have matched stays unignored.
        QCOMPARE(gitStatus(repo + QStringLiteral("/conf/prod1x.env")).state, GitState::NotIgnored);
        QVERIFY(addToGitignore(gitStatus(odd))); // already ignored: nothing to do
        QCOMPARE(readText(repo + QStringLiteral("/.gitignore")), QByteArray("build/\n/conf/prod\\[1]\\*.env\n"));

        const QString tracked = repo + QStringLiteral("/conf/tracked.env");
        QVERIFY(writeText(tracked, "A=1\n"));
        QCOMPARE(git(repo, {QStringLiteral("add"), QStringLiteral("conf/tracked.env")}), 0);
        const auto refused = addToGitignore(gitStatus(tracked));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::InvalidName);
        QVERIFY(addToGitignore(gitStatus(file(QStringLiteral("outside.env"))))); // no work tree: nothing to do
    }
};

QTEST_GUILESS_MAIN(TestDotenvTransfer)
#include "TestDotenvTransfer.moc"
