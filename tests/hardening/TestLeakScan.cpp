// SPDX-License-Identifier: Apache-2.0
// Issue 9, leak checks: a scripted session with real processes only (coffer-server on SQLite, coffer-cli for alice
// and bob), every temporary folder inside one test folder (TMPDIR of the test, the server and each CLI run), with
// three canary secrets whose names and values are unique. Then everything is scanned for them:
//
// - every file under the test folder (both vaults and whatever lies beside them, the homes, TMPDIR, the server's
//   SQLite database and its request log) must hold no name and no value, in clear, and no value as hex or base64
//   (standard and URL-safe, at each of the three alignments); the only exceptions are the files the user chose to
//   write secrets into: the `export -o` file and the `inject -o` file (and the test's own input files, which hold
//   the values given to `set` on stdin and the template: the user's own files, not Coffer's);
// - every captured stdout and stderr must hold no value in any of those forms, except the stdout of `get`, which
//   is exactly the value asked for (the user's request). Names may appear on stdout (`set` says "Stored
//   leak/dev/NAME", `ls` lists them: the user's own terminal), never in a file;
// - `run` passes the values to its child, whose output (the raw value and its base64) comes back masked;
// - no vault (nor anything beside it), export or inject file has a group or other permission bit.
#include "tests/hardening/CrashHarness.h"
#include "tests/server/client/ServerProcess.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestLeakScan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scriptedSessionLeaksNothing();
};

namespace {

struct Canary {
    QByteArray name;
    QByteArray value;
};

/// The forms a value could leak in: as is, hex in both cases, base64 and base64url at the three alignments
/// (the middle of the encoding of the value shifted by 0, 1 or 2 bytes, so it is found inside a larger encoding).
QList<QByteArray> leakForms(const QByteArray& value) {
    QList<QByteArray> forms{value, value.toHex(), value.toHex().toUpper()};
    for (int shift = 0; shift < 3; ++shift) {
        const QByteArray shifted = QByteArray(shift, 'x') + value;
        for (const auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
            const QByteArray encoded = shifted.toBase64(options | QByteArray::OmitTrailingEquals);
            // Drop the characters that depend on the bytes around the value.
            forms << encoded.mid(4, encoded.size() - 8);
        }
    }
    return forms;
}

/// What of `canaries` `data` holds: "NAME as hex in …" lines, empty when nothing.
QStringList findLeaks(const QByteArray& data, const QList<Canary>& canaries, bool namesAllowed,
                      const QByteArray& allowedValue = {}) {
    QStringList found;
    for (const Canary& canary : canaries) {
        if (!namesAllowed && (data.contains(canary.name) || data.contains(canary.name.toHex()))) {
            found << u"the name "_s + QString::fromLatin1(canary.name);
        }
        QByteArray rest = data;
        if (!allowedValue.isEmpty() && canary.value == allowedValue) {
            rest.replace(allowedValue, "");
        }
        for (const QByteArray& form : leakForms(canary.value)) {
            if (rest.contains(form)) {
                found << u"the value of %1 (as %2)"_s.arg(QString::fromLatin1(canary.name), QString::fromLatin1(form));
            }
        }
    }
    return found;
}

} // namespace

void TestLeakScan::scriptedSessionLeaksNothing() {
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString tmp = root.filePath(u"tmp"_s);
    QVERIFY(QDir().mkpath(tmp));
    qputenv("TMPDIR", QFile::encodeName(tmp)); // the server's log file and anything this process makes
    const QString input = root.filePath(u"input"_s);
    QVERIFY(QDir().mkpath(input));

    // Canaries: unique, recognisable, long enough that a hit is never a coincidence.
    const QByteArray tag = QByteArray::number(QDateTime::currentMSecsSinceEpoch(), 16).toUpper();
    const QList<Canary> canaries = {
        {"LEAKCANARY_DB_" + tag, "leakcanary-value-db-" + tag.toLower() + "-postgres://u:p@h/d"},
        {"LEAKCANARY_API_" + tag, "leakcanary-value-api-" + tag.toLower() + "-sk_live_0123456789"},
        {"LEAKCANARY_TOKEN_" + tag, "leakcanary-value-token-" + tag.toLower() + "-ghp_abcdefghij"},
    };
    for (int i = 0; i < canaries.size(); ++i) {
        QVERIFY(writeOwnerOnly(input + u"/value%1"_s.arg(i), canaries[i].value));
    }

    // The server, SQLite, in the test folder.
    const QString serverFolder = root.filePath(u"server"_s);
    QVERIFY(QDir().mkpath(serverFolder));
    const std::string database = "sqlite:" + (serverFolder + u"/server.db"_s).toStdString();
    const auto teamCode = makeTeamCode(COFFER_SERVER_PATH, database);
    QVERIFY2(teamCode.has_value(), teamCode ? "" : teamCode.error().c_str());
    ServerProcess server(COFFER_SERVER_PATH);
    ServerOptions options;
    options.database = database;
    const auto started = server.start(options);
    QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
    const QString url = u"http://%1:%2"_s.arg(QString::fromStdString(server.host())).arg(server.port());

    struct Person {
        QString home;
        QString vault;
        QString password;
        std::unique_ptr<CliSpawner> cli;
    };
    const auto makePerson = [&](const QString& name) {
        Person person;
        person.home = root.filePath(name);
        QDir().mkpath(person.home);
        person.vault = person.home + u"/vault/"_s + name + u".coffer"_s;
        person.password = input + u'/' + name + u".password"_s;
        writeOwnerOnly(person.password, "leak scan password of " + name.toUtf8());
        person.cli = std::make_unique<CliSpawner>(person.home);
        return person;
    };
    Person alice = makePerson(u"alice"_s);
    Person bob = makePerson(u"bob"_s);

    struct Captured {
        QString step;
        Ending ending;
        QByteArray allowedValue; ///< the one value this step's stdout may hold (get)
    };
    QList<Captured> captured;
    const auto run = [&](Person& who, const QString& step, QStringList args, const QString& stdinPath = {},
                         const QByteArray& allowedValue = {}) {
        // Global options first: after `run … --` every word belongs to the child.
        args = QStringList{u"--vault"_s, who.vault, u"--password-file"_s, who.password} + args;
        Ending ending = who.cli->run(args, stdinPath);
        captured.push_back({step, ending, allowedValue});
        return ending;
    };
#define LEAK_STEP(who, step, ...)                                                                                      \
    do {                                                                                                               \
        const Ending e_ = run(who, step, __VA_ARGS__);                                                                 \
        QVERIFY2(e_.succeeded(), qPrintable(step + u": "_s + QString::fromUtf8(e_.describe())));                       \
    } while (false)

    // alice: a vault, three secrets, reveal one, export, run, inject.
    LEAK_STEP(alice, u"init"_s, {u"init"_s, u"--kdf-passes"_s, u"2"_s, u"--kdf-memory"_s, u"64"_s});
    LEAK_STEP(alice, u"project add"_s, {u"project"_s, u"add"_s, u"leak"_s});
    LEAK_STEP(alice, u"env add"_s, {u"env"_s, u"add"_s, u"leak/dev"_s});
    for (int i = 0; i < canaries.size(); ++i) {
        LEAK_STEP(alice, u"set"_s, {u"set"_s, u"leak/dev/"_s + QString::fromLatin1(canaries[i].name)},
                  input + u"/value%1"_s.arg(i));
    }
    {
        const Ending got = run(alice, u"get"_s, {u"get"_s, u"leak/dev/"_s + QString::fromLatin1(canaries[0].name)}, {},
                               canaries[0].value);
        QVERIFY2(got.succeeded(), got.describe().constData());
        QCOMPARE(got.out, canaries[0].value);
    }
    LEAK_STEP(alice, u"ls"_s, {u"ls"_s, u"leak/dev"_s});
    const QString exportFile = alice.home + u"/project/.env"_s;
    QVERIFY(QDir().mkpath(alice.home + u"/project"_s));
    LEAK_STEP(alice, u"export"_s, {u"export"_s, u"leak/dev"_s, u"-o"_s, exportFile});
    {
        const QByteArray exported = readAll(exportFile);
        for (const Canary& canary : canaries) {
            QVERIFY(exported.contains(canary.name + "=") && exported.contains(canary.value));
        }
    }
    {
        const QByteArray name = canaries[1].name;
        const Ending ran =
            run(alice, u"run"_s,
                {u"run"_s, u"leak/dev"_s, u"--"_s, u"sh"_s, u"-c"_s,
                 u"printf '%s\\n' \"$%1\"; printf '%s' \"$%1\" | base64 -w0; echo"_s.arg(QString::fromLatin1(name))});
        QVERIFY2(ran.succeeded(), ran.describe().constData());
        QCOMPARE(ran.out.count("*****"), 2); // both lines reached the user, masked
    }
    const QString templateFile = input + u"/app.conf.tpl"_s;
    QVERIFY(writeOwnerOnly(templateFile, "token = coffer://leak/dev/" + canaries[2].name + "\n"));
    const QString injectFile = alice.home + u"/project/app.conf"_s;
    LEAK_STEP(alice, u"inject"_s, {u"inject"_s, u"-i"_s, templateFile, u"-o"_s, injectFile});
    QCOMPARE(readAll(injectFile), "token = " + canaries[2].value + "\n");

    // The team: alice creates it, shares the project, invites bob, confirms him, grants him read on leak/dev.
    const QString codeFile = input + u"/team-code"_s;
    QVERIFY(writeOwnerOnly(codeFile, QByteArray::fromStdString(*teamCode) + "\n"));
    LEAK_STEP(alice, u"team create"_s,
              {u"team"_s, u"create"_s, u"--server"_s, url, u"--name"_s, u"leakteam"_s, u"--display-name"_s, u"alice"_s,
               u"--code-file"_s, codeFile});
    LEAK_STEP(alice, u"team share"_s, {u"team"_s, u"share"_s, u"leak"_s});
    const Ending invited = run(alice, u"team invite"_s, {u"team"_s, u"invite"_s});
    QVERIFY2(invited.succeeded(), invited.describe().constData());
    const QString inviteFile = input + u"/invite"_s;
    QVERIFY(writeOwnerOnly(inviteFile, invited.out));
    LEAK_STEP(bob, u"init"_s, {u"init"_s, u"--kdf-passes"_s, u"2"_s, u"--kdf-memory"_s, u"64"_s});
    const Ending joined = run(bob, u"team join"_s, {u"team"_s, u"join"_s, u"--display-name"_s, u"bob"_s}, inviteFile);
    QVERIFY2(joined.succeeded(), joined.describe().constData());
    static const QRegularExpression readOut(u"read this to your admin: ([0-9 ]+)"_s);
    const QString fingerprint = readOut.match(QString::fromUtf8(joined.out)).captured(1).trimmed();
    QVERIFY2(!fingerprint.isEmpty(), joined.out.constData());
    LEAK_STEP(alice, u"team confirm"_s, {u"team"_s, u"confirm"_s, u"bob"_s, u"--fingerprint"_s, fingerprint});
    LEAK_STEP(alice, u"grant"_s, {u"grant"_s, u"bob"_s, u"leak/dev"_s, u"--role"_s, u"read"_s});
    LEAK_STEP(alice, u"sync"_s, {u"sync"_s});
    LEAK_STEP(bob, u"sync"_s, {u"sync"_s});
    {
        const Ending got = run(bob, u"get (bob)"_s, {u"get"_s, u"leak/dev/"_s + QString::fromLatin1(canaries[1].name)},
                               {}, canaries[1].value);
        QVERIFY2(got.succeeded(), got.describe().constData());
        QCOMPARE(got.out, canaries[1].value); // the secret really went through the server
    }
    LEAK_STEP(bob, u"ls (bob)"_s, {u"ls"_s, u"leak/dev"_s});

    // The server stops (SIGTERM: SQLite is checkpointed into server.db); its log stays in TMPDIR until `server` goes.
    const auto stopped = server.stop();
    QVERIFY2(stopped.has_value() && *stopped == 0, stopped ? "" : stopped.error().c_str());
    const QByteArray serverLog = QByteArray::fromStdString(server.stderrText());
    QVERIFY2(serverLog.contains("/v1/"), "the server's request log is empty: nothing was scanned");

    // 1. Every captured output.
    QStringList leaks;
    for (const Captured& capture : captured) {
        for (const QString& leak : findLeaks(capture.ending.out, canaries, true, capture.allowedValue)) {
            leaks << capture.step + u" stdout: "_s + leak;
        }
        for (const QString& leak : findLeaks(capture.ending.err, canaries, true)) {
            leaks << capture.step + u" stderr: "_s + leak;
        }
    }
    for (const QString& leak : findLeaks(serverLog, canaries, false)) {
        leaks << u"the server's log: "_s + leak;
    }

    // 2. Every file under the test folder, but the chosen outputs, the test's inputs and the captures of 1.
    const QStringList chosen = {QFileInfo(exportFile).canonicalFilePath(), QFileInfo(injectFile).canonicalFilePath()};
    int scanned = 0;
    QStringList scannedNames;
    bool sawServerDatabase = false;
    bool sawServerLog = false;
    for (QDirIterator it(root.path(), QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
         it.hasNext();) {
        const QString path = it.next();
        const QFileInfo info(path);
        if (chosen.contains(info.canonicalFilePath()) || info.absolutePath() == QFileInfo(input).absoluteFilePath() ||
            info.fileName() == u"cli.out"_s || info.fileName() == u"cli.err"_s) {
            continue;
        }
        ++scanned;
        scannedNames << QDir(root.path()).relativeFilePath(path);
        sawServerDatabase |= info.fileName() == u"server.db"_s;
        sawServerLog |= info.fileName().startsWith(u"coffer-server-log"_s);
        for (const QString& leak : findLeaks(readAll(path), canaries, false)) {
            leaks << QDir(root.path()).relativeFilePath(path) + u": "_s + leak;
        }
    }
    QVERIFY2(sawServerDatabase && sawServerLog, "the server's database or log was not among the scanned files");
    qInfo().noquote() << u"scanned files: "_s + scannedNames.join(u", "_s);

    // Controls: the scan finds what it looks for, so its silence above means something.
    QCOMPARE(findLeaks(readAll(exportFile), canaries, false).size() >= 2 * canaries.size(), true); // names, values
    QVERIFY(!findLeaks(readAll(injectFile), canaries, false).isEmpty());
    QVERIFY(!findLeaks("x" + canaries[0].value.toBase64() + "y", canaries, true).isEmpty());
    QVERIFY(!findLeaks("{\"v\":\"" + canaries[1].value.toBase64(QByteArray::Base64UrlEncoding) + "\"}", canaries, true)
                 .isEmpty());
    QVERIFY(!findLeaks("0x" + canaries[2].value.toHex().toUpper(), canaries, true).isEmpty());
    QVERIFY(findLeaks(canaries[0].value, canaries, true, canaries[0].value).isEmpty());
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u"\n"_s)));
    qInfo("scanned %d files and %lld captured outputs: no name or value outside the chosen files", scanned,
          static_cast<long long>(captured.size() * 2));

    // 3. Permissions: the vaults and everything beside them, the export and inject files: owner only.
    for (const QString& folder : {alice.home + u"/vault"_s, bob.home + u"/vault"_s}) {
        QCOMPARE(modeOf(folder), 0700);
        const QStringList files = filesMatching(folder, u"*"_s);
        QVERIFY(!files.isEmpty());
        for (const QString& name : files) {
            QVERIFY2((modeOf(folder + u'/' + name) & 077) == 0, qPrintable(name));
        }
    }
    QCOMPARE(modeOf(exportFile), 0600);
    QCOMPARE(modeOf(injectFile), 0600);
}

QTEST_GUILESS_MAIN(TestLeakScan)
#include "TestLeakScan.moc"
