// SPDX-License-Identifier: Apache-2.0
// coffer-cli's team sync commands against a real coffer-server process, with real coffer-cli processes for
// alice (the owner), bob and carol, each with their own vault. The slots run in order and tell one story:
// create and share, invite, join, confirm, grant, sync, conflict, read-only (refused by bob's vault at once), role
// changes, clearing an integrity stop, revoke and rotate, offline.
#include "CliHarness.h"
#include "TerminalRun.h"
#include "model/Database.h"
#include "model/Vault.h"
#include "tests/server/client/ServerProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <span>

using namespace Qt::StringLiterals;
using coffer::tests::CliHarness;
using coffer::tests::CliResult;

namespace {

QJsonObject jsonOf(const QByteArray& out) {
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(out, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject{};
}

/// The fingerprint `team join` told its user to read to the admin.
QString fingerprintToRead(const CliResult& joined) {
    static const QRegularExpression line(u"read this to your admin: ([0-9 ]+)"_s);
    const auto match = line.match(QString::fromUtf8(joined.out));
    return match.hasMatch() ? match.captured(1).trimmed() : QString{};
}

/// The fingerprints of `team fingerprint`'s rows (team first, then environments), without their labels.
QStringList fingerprintDigits(const QByteArray& out) {
    static const QRegularExpression digits(u"((?:[0-9]{5} ){5}[0-9]{5})"_s);
    QStringList found;
    for (auto it = digits.globalMatch(QString::fromUtf8(out)); it.hasNext();) {
        found << it.next().captured(1);
    }
    return found;
}

QJsonObject memberNamed(const QJsonObject& members, const QString& name) {
    for (const auto& value : members.value(u"members"_s).toArray()) {
        if (value.toObject().value(u"name"_s).toString() == name) {
            return value.toObject();
        }
    }
    return {};
}

QJsonObject environmentNamed(const QJsonObject& report, const QString& project, const QString& environment) {
    for (const auto& value : report.value(u"environments"_s).toArray()) {
        const QJsonObject object = value.toObject();
        if (object.value(u"project"_s).toString() == project &&
            object.value(u"environment"_s).toString() == environment) {
            return object;
        }
    }
    return {};
}

QStringList rotationNames(const QJsonObject& list, bool onlyOpen) {
    QStringList names;
    for (const auto& value : list.value(u"items"_s).toArray()) {
        const QJsonObject item = value.toObject();
        if (!onlyOpen || !item.value(u"rotated"_s).toBool()) {
            names << item.value(u"environment"_s).toString() + u'/' + item.value(u"name"_s).toString();
        }
    }
    names.sort();
    names.removeDuplicates();
    return names;
}

} // namespace

class TestCliTeam : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_serverDir.isValid());
        const std::string database = "sqlite:" + m_serverDir.filePath(u"server.db"_s).toStdString();
        const auto code = coffer::tests::makeTeamCode(COFFER_SERVER_PATH, database);
        QVERIFY2(code.has_value(), code ? "" : code.error().c_str());
        m_teamCode = QByteArray::fromStdString(*code);
        const auto second = coffer::tests::makeTeamCode(COFFER_SERVER_PATH, database);
        QVERIFY2(second.has_value(), second ? "" : second.error().c_str());
        m_secondTeamCode = QByteArray::fromStdString(*second);
        m_server = std::make_unique<coffer::tests::ServerProcess>(COFFER_SERVER_PATH);
        coffer::tests::ServerOptions options;
        options.database = database;
        const auto started = m_server->start(options);
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        m_url = u"http://%1:%2"_s.arg(QString::fromStdString(m_server->host())).arg(m_server->port());

        QVERIFY(m_alice.initWith(u"web"_s, {u"dev"_s, u"prod"_s, u"staging"_s}));
        QVERIFY(m_bob.initVault());
        QVERIFY(m_carol.initVault());
        QVERIFY(m_dave.initVault());
        QVERIFY(m_erin.initVault());
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/dev/API_KEY"_s}, "dev-key-1"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/dev/SHARED"_s}, "shared-0"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/dev/OTHER"_s}, "other-0"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/prod/DB_URL"_s}, "postgres://prod"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/staging/HIDDEN"_s}, "staging-only"), 0);
    }

    void codesAreNeverArguments() {
        // A code typed as a word or an option is refused before anything runs, and never repeated.
        const QString code = u"coffer-invite-1:QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"_s;
        for (const QStringList& args :
             {QStringList{u"team"_s, u"join"_s, code}, QStringList{u"team"_s, u"join"_s, u"--code"_s, code},
              QStringList{u"team"_s, u"join"_s, u"--code="_s + code},
              QStringList{u"team"_s, u"create"_s, u"--server"_s, m_url, u"--name"_s, u"x"_s, u"--team-code"_s,
                          QString::fromUtf8(m_teamCode)}}) {
            const auto refused = m_bob.run(args);
            COFFER_EXPECT_EXIT(refused, 1);
            QVERIFY2(refused.err.contains("never takes a code from the command line"), refused.err.constData());
            QVERIFY2(refused.err.contains("--code-file"), refused.err.constData());
            QVERIFY(!refused.err.contains("QUFB"));
            QVERIFY(!refused.err.contains(m_teamCode));
            QVERIFY(refused.out.isEmpty());
        }
    }

    void malformedInviteCodeIsAClearError_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::newRow("not a code") << QByteArray("hello\n");
        QTest::newRow("the server's team code") << QByteArray("tc-0123456789abcdef\n");
        QTest::newRow("truncated") << QByteArray("coffer-invite-1:QUFBQUFB\n");
        QTest::newRow("not base64url") << QByteArray("coffer-invite-1:" + QByteArray(140, '*') + '\n');
        QTest::newRow("empty") << QByteArray("\n");
    }

    void malformedInviteCodeIsAClearError() {
        QFETCH(QByteArray, input);
        const auto refused = m_carol.run({u"team"_s, u"join"_s}, input);
        COFFER_EXPECT_EXIT(refused, 1);
        QVERIFY2(refused.err.contains("invite code"), refused.err.constData());
        QVERIFY(refused.out.isEmpty());
        // Nothing was joined.
        const auto teams = m_carol.run({u"team"_s, u"list"_s});
        COFFER_EXPECT_EXIT(teams, 0);
        QVERIFY2(teams.out.contains("belongs to no team"), teams.out.constData());
    }

    void aliceCreatesATeamAndSharesAProject() {
        // No code at all (stdin empty, no terminal): a clear error, no team.
        const auto noCode =
            m_alice.run({u"team"_s, u"create"_s, u"--server"_s, m_url, u"--name"_s, u"acme"_s}, QByteArray{});
        COFFER_EXPECT_EXIT(noCode, 1);
        QVERIFY2(noCode.err.contains("no team code"), noCode.err.constData());

        const QString codeFile = m_alice.writeFile(u"team-code.txt"_s, m_teamCode + '\n');
        const auto created = m_alice.run({u"team"_s, u"create"_s, u"--server"_s, m_url, u"--name"_s, u"acme"_s,
                                          u"--display-name"_s, u"alice"_s, u"--code-file"_s, codeFile});
        COFFER_EXPECT_EXIT(created, 0);
        QVERIFY2(created.out.contains("Created team acme"), created.out.constData());
        QVERIFY(!created.out.contains(m_teamCode) && !created.err.contains(m_teamCode));

        const auto shared = m_alice.run({u"team"_s, u"share"_s, u"web"_s});
        COFFER_EXPECT_EXIT(shared, 0);
        QVERIFY2(shared.out.contains("web/dev") && shared.out.contains("web/prod"), shared.out.constData());

        const auto listed = m_alice.run({u"team"_s, u"list"_s});
        COFFER_EXPECT_EXIT(listed, 0);
        QVERIFY2(listed.out.contains("acme") && listed.out.contains("owner"), listed.out.constData());
    }

    void aliceInvitesAndBobJoins() {
        const auto invited = m_alice.run({u"team"_s, u"invite"_s, u"--valid"_s, u"2"_s});
        COFFER_EXPECT_EXIT(invited, 0);
        // stdout holds the code and nothing else; stderr says what it is, and that it is a secret.
        QVERIFY2(invited.out.startsWith("coffer-invite-1:"), invited.out.constData());
        QCOMPARE(invited.out.count('\n'), 1);
        QVERIFY(invited.out.endsWith('\n'));
        QVERIFY2(invited.err.contains("secret") && invited.err.contains("acme"), invited.err.constData());
        QVERIFY(!invited.err.contains(invited.out.trimmed()));
        m_invite = invited.out;

        // --valid outside 1..168 is a usage error.
        COFFER_EXPECT_EXIT(m_alice.run({u"team"_s, u"invite"_s, u"--valid"_s, u"1000"_s}), 1);

        const auto joined = m_bob.run({u"team"_s, u"join"_s, u"--display-name"_s, u"bob"_s}, m_invite);
        COFFER_EXPECT_EXIT(joined, 0);
        QVERIFY2(joined.out.contains("Team fingerprint:"), joined.out.constData());
        QVERIFY2(joined.out.contains("Admin fingerprint:"), joined.out.constData());
        m_bobFingerprint = fingerprintToRead(joined);
        QVERIFY2(m_bobFingerprint.size() >= 30, joined.out.constData());
        QVERIFY(!joined.out.contains(m_invite.trimmed()) && !joined.err.contains(m_invite.trimmed()));

        // The team fingerprint bob sees is the one alice's vault shows.
        const auto aliceSees = m_alice.run({u"team"_s, u"fingerprint"_s});
        COFFER_EXPECT_EXIT(aliceSees, 0);
        static const QRegularExpression teamLine(u"Team fingerprint: +([0-9 ]+)"_s);
        const QString bobSees = teamLine.match(QString::fromUtf8(joined.out)).captured(1).trimmed();
        QVERIFY(!bobSees.isEmpty());
        QVERIFY2(aliceSees.out.contains(bobSees.toUtf8()), aliceSees.out.constData());
        // The admin fingerprint bob sees is the one alice's `team members` shows for her, and the team's name came
        // with the code.
        static const QRegularExpression adminLine(u"Admin fingerprint: +([0-9 ]+)"_s);
        const QString adminSeen = adminLine.match(QString::fromUtf8(joined.out)).captured(1).trimmed();
        const auto aliceMembers = m_alice.run({u"team"_s, u"members"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(aliceMembers, 0);
        QCOMPARE(adminSeen, memberNamed(jsonOf(aliceMembers.out), u"alice"_s).value(u"fingerprint"_s).toString());
        const auto bobTeams = m_bob.run({u"team"_s, u"list"_s});
        QVERIFY2(bobTeams.out.contains("acme"), bobTeams.out.constData());

        // An invite works once.
        const auto again = m_carol.run({u"team"_s, u"join"_s, u"--display-name"_s, u"carol"_s}, m_invite);
        QVERIFY2(again.exitCode != 0, again.out.constData());
    }

    void aliceConfirmsBobWithTheFingerprintHeRead() {
        const auto pending = m_alice.run({u"team"_s, u"members"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(pending, 0);
        const QJsonObject bob = memberNamed(jsonOf(pending.out), u"bob"_s);
        QCOMPARE(bob.value(u"status"_s).toString(), u"pending"_s);
        QCOMPARE(bob.value(u"fingerprint"_s).toString().remove(u' '), QString(m_bobFingerprint).remove(u' '));

        // No terminal and neither option: refused, and the message says what to give.
        const auto noTerminal = m_alice.run({u"team"_s, u"confirm"_s, u"bob"_s});
        COFFER_EXPECT_EXIT(noTerminal, 5);
        QVERIFY2(noTerminal.err.contains("--fingerprint"), noTerminal.err.constData());
        // A wrong fingerprint: refused, bob stays pending.
        QString wrong = m_bobFingerprint;
        wrong[0] = wrong[0] == u'1' ? u'2' : u'1';
        const auto mismatch = m_alice.run({u"team"_s, u"confirm"_s, u"bob"_s, u"--fingerprint"_s, wrong});
        COFFER_EXPECT_EXIT(mismatch, 1);
        QVERIFY2(mismatch.err.contains("do not confirm"), mismatch.err.constData());

        const auto confirmed = m_alice.run({u"team"_s, u"confirm"_s, u"bob"_s, u"--fingerprint"_s, m_bobFingerprint});
        COFFER_EXPECT_EXIT(confirmed, 0);
        QVERIFY2(confirmed.out.contains("fingerprint verified"), confirmed.out.constData());
        const auto active = m_alice.run({u"team"_s, u"members"_s, u"--json"_s});
        const QJsonObject after = memberNamed(jsonOf(active.out), u"bob"_s);
        QCOMPARE(after.value(u"status"_s).toString(), u"active"_s);
        QCOMPARE(after.value(u"role"_s).toString(), u"member"_s);
        QVERIFY(after.value(u"verified"_s).toBool());
    }

    void skippingVerificationWarns() {
        const auto invited = m_alice.run({u"team"_s, u"invite"_s});
        COFFER_EXPECT_EXIT(invited, 0);
        const QString codeFile = m_carol.writeFile(u"invite.txt"_s, invited.out);
        COFFER_EXPECT_EXIT(
            m_carol.run({u"team"_s, u"join"_s, u"--display-name"_s, u"carol"_s, u"--code-file"_s, codeFile}), 0);
        const auto skipped = m_alice.run({u"team"_s, u"confirm"_s, u"carol"_s, u"--skip-verification"_s});
        COFFER_EXPECT_EXIT(skipped, 0);
        QVERIFY2(skipped.err.contains("WARNING") && skipped.err.contains("WITHOUT comparing fingerprints"),
                 skipped.err.constData());
        QVERIFY2(skipped.out.contains("NOT verified"), skipped.out.constData());
        const auto members = m_alice.run({u"team"_s, u"members"_s});
        QVERIFY2(members.out.contains("unverified"), members.out.constData());
        const auto json = m_alice.run({u"team"_s, u"members"_s, u"--json"_s});
        QVERIFY(!memberNamed(jsonOf(json.out), u"carol"_s).value(u"verified"_s).toBool());
    }

    void severalTeamsNeedTeam() {
        const QString codeFile = m_carol.writeFile(u"team-code.txt"_s, m_secondTeamCode);
        COFFER_EXPECT_EXIT(m_carol.run({u"team"_s, u"create"_s, u"--server"_s, m_url, u"--name"_s, u"beta"_s,
                                        u"--code-file"_s, codeFile}),
                           0);
        const auto ambiguous = m_carol.run({u"team"_s, u"members"_s});
        COFFER_EXPECT_EXIT(ambiguous, 1);
        QVERIFY2(ambiguous.err.contains("--team") && ambiguous.err.contains("beta"), ambiguous.err.constData());
        const auto beta = m_carol.run({u"team"_s, u"members"_s, u"--team"_s, u"beta"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(beta, 0);
        QCOMPARE(jsonOf(beta.out).value(u"team"_s).toString(), u"beta"_s);
        QCOMPARE(memberNamed(jsonOf(beta.out), u"carol"_s).value(u"role"_s).toString(), u"owner"_s);
        COFFER_EXPECT_EXIT(m_carol.run({u"team"_s, u"members"_s, u"--team"_s, u"gamma"_s}), 2);
    }

    void aForgedInviteStopsSyncWithExitEight() {
        // An invite code whose admin id was changed (the server cannot tell: it only sees the secret's hash):
        // the join works, and the first roster read finds that no such admin exists.
        const auto invited = m_alice.run({u"team"_s, u"invite"_s});
        COFFER_EXPECT_EXIT(invited, 0);
        const QByteArray prefix = "coffer-invite-1:";
        const auto options = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
        QByteArray raw = QByteArray::fromBase64(invited.out.trimmed().mid(prefix.size()), options);
        QVERIFY(raw.size() > 88);
        raw[40] = static_cast<char>(raw[40] ^ 0x5a);
        const QByteArray forged = prefix + raw.toBase64(options) + '\n';

        const auto joined = m_dave.run({u"team"_s, u"join"_s, u"--display-name"_s, u"dave"_s}, forged);
        COFFER_EXPECT_EXIT(joined, 0);
        const QString fingerprint = fingerprintToRead(joined);
        COFFER_EXPECT_EXIT(m_alice.run({u"team"_s, u"confirm"_s, u"dave"_s, u"--fingerprint"_s, fingerprint}), 0);

        const auto synced = m_dave.run({u"sync"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(synced, 8);
        const QJsonObject report = jsonOf(synced.out);
        QCOMPARE(report.value(u"exitCode"_s).toInt(), 8);
        const QJsonArray teamErrors = report.value(u"teamErrors"_s).toArray();
        QCOMPARE(teamErrors.size(), 1);
        QCOMPARE(teamErrors.first().toObject().value(u"code"_s).toString(), u"integrity"_s);
        QVERIFY2(synced.err.contains("integrity"), synced.err.constData());
        // It stays stopped, in text too.
        const auto again = m_dave.run({u"sync"_s});
        COFFER_EXPECT_EXIT(again, 8);
        QVERIFY2(again.out.contains("INTEGRITY"), again.out.constData());
    }

    void onATerminalTheCodeIsAskedForAndConfirmAsks() {
        const auto invited = m_alice.run({u"team"_s, u"invite"_s});
        COFFER_EXPECT_EXIT(invited, 0);
        const QByteArray code = invited.out.trimmed();
        // erin types the code at a hidden prompt: it never shows on the terminal.
        const auto joined = onTerminal(m_erin, {u"team"_s, u"join"_s, u"--display-name"_s, u"erin"_s},
                                       {{"Invite code: ", code + '\n'}});
        QVERIFY2(joined.answeredAll, joined.transcript.constData());
        QVERIFY2(joined.exitCode == 0, joined.transcript.constData());
        QVERIFY(!joined.transcript.contains(code));
        static const QRegularExpression read(u"read this to your admin: ([0-9 ]+)"_s);
        const QString fingerprint = read.match(QString::fromUtf8(joined.transcript)).captured(1).trimmed();
        QVERIFY2(fingerprint.size() >= 30, joined.transcript.constData());

        // alice is shown erin's fingerprint and asked; "n" leaves erin pending, "y" confirms her, verified.
        const auto declined =
            onTerminal(m_alice, {u"team"_s, u"confirm"_s, u"erin"_s}, {{"read to you? [y/N] ", "n\n"}});
        QVERIFY2(declined.answeredAll, declined.transcript.constData());
        QVERIFY2(declined.exitCode == 5, declined.transcript.constData());
        QVERIFY2(declined.transcript.contains(fingerprint.toUtf8()), declined.transcript.constData());
        QVERIFY2(declined.transcript.contains("stays pending"), declined.transcript.constData());
        const auto pending = m_alice.run({u"team"_s, u"members"_s, u"--json"_s});
        QCOMPARE(memberNamed(jsonOf(pending.out), u"erin"_s).value(u"status"_s).toString(), u"pending"_s);

        const auto accepted =
            onTerminal(m_alice, {u"team"_s, u"confirm"_s, u"erin"_s}, {{"read to you? [y/N] ", "y\n"}});
        QVERIFY2(accepted.answeredAll, accepted.transcript.constData());
        QVERIFY2(accepted.exitCode == 0, accepted.transcript.constData());
        QVERIFY2(accepted.transcript.contains("fingerprint verified"), accepted.transcript.constData());
        const auto active = m_alice.run({u"team"_s, u"members"_s, u"--json"_s});
        const QJsonObject erin = memberNamed(jsonOf(active.out), u"erin"_s);
        QCOMPARE(erin.value(u"status"_s).toString(), u"active"_s);
        QVERIFY(erin.value(u"verified"_s).toBool());
    }

    void aliceGrantsAndBobReadsDev() {
        const auto missingRole = m_alice.run({u"grant"_s, u"bob"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(missingRole, 1);
        COFFER_EXPECT_EXIT(m_alice.run({u"grant"_s, u"bob"_s, u"web/dev"_s, u"--role"_s, u"write"_s}), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"grant"_s, u"bob"_s, u"web/prod"_s, u"--role"_s, u"read"_s}), 0);
        // A member may not grant.
        const auto notAdmin = m_bob.run({u"grant"_s, u"carol"_s, u"web/dev"_s, u"--role"_s, u"read"_s});
        QVERIFY2(notAdmin.exitCode != 0, notAdmin.out.constData());

        const auto synced = m_bob.run({u"sync"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(synced, 0);
        const QJsonObject report = jsonOf(synced.out);
        QVERIFY2(report.value(u"ok"_s).toBool(), synced.out.constData());
        QCOMPARE(report.value(u"exitCode"_s).toInt(), 0);
        QVERIFY(environmentNamed(report, u"web"_s, u"dev"_s).value(u"pulled"_s).toInt() > 0);
        QVERIFY(environmentNamed(report, u"web"_s, u"dev"_s).value(u"error"_s).isNull());

        const auto read = m_bob.run({u"get"_s, u"web/dev/API_KEY"_s});
        COFFER_EXPECT_EXIT(read, 0);
        QCOMPARE(read.out, QByteArray("dev-key-1"));
        COFFER_EXPECT_EXIT(m_bob.run({u"get"_s, u"web/prod/DB_URL"_s}), 0);
        // staging was never granted: bob's vault has no such environment.
        COFFER_EXPECT_EXIT(m_bob.run({u"get"_s, u"web/staging/HIDDEN"_s}), 2);
    }

    void concurrentEditsAreAConflictToResolve() {
        COFFER_EXPECT_EXIT(m_bob.run({u"set"_s, u"web/dev/SHARED"_s}, "from-bob"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/dev/SHARED"_s}, "from-alice"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"sync"_s}), 0);

        const auto synced = m_bob.run({u"sync"_s});
        COFFER_EXPECT_EXIT(synced, 0);
        QVERIFY2(synced.out.contains("web/dev: pulled"), synced.out.constData());
        QVERIFY2(synced.out.contains("coffer-cli conflicts"), synced.out.constData());

        const auto listed = m_bob.run({u"conflicts"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(listed, 0);
        const QJsonArray conflicts = jsonOf(listed.out).value(u"conflicts"_s).toArray();
        QCOMPARE(conflicts.size(), 1);
        const QJsonObject conflict = conflicts.first().toObject();
        QCOMPARE(conflict.value(u"name"_s).toString(), u"SHARED"_s);
        QCOMPARE(conflict.value(u"kind"_s).toString(), u"edit"_s);
        QVERIFY(!conflict.value(u"resolved"_s).toBool());
        // Never a value in the list.
        QVERIFY(!listed.out.contains("from-bob") && !listed.out.contains("from-alice"));
        const auto text = m_bob.run({u"conflicts"_s});
        QVERIFY2(text.out.contains("web/dev/SHARED"), text.out.constData());

        const QString id = QString::number(conflict.value(u"id"_s).toInteger());
        COFFER_EXPECT_EXIT(m_bob.run({u"resolve"_s, id}), 1);                         // no choice
        COFFER_EXPECT_EXIT(m_bob.run({u"resolve"_s, id, u"--keep"_s, u"mine"_s}), 1); // bad choice
        const QString valueFile = m_bob.writeFile(u"merged.txt"_s, "merged-value");
        COFFER_EXPECT_EXIT(m_bob.run({u"resolve"_s, id, u"--value-file"_s, valueFile}), 0);
        QCOMPARE(m_bob.run({u"get"_s, u"web/dev/SHARED"_s}).out, QByteArray("merged-value"));
        const auto open = m_bob.run({u"conflicts"_s, u"--json"_s});
        QCOMPARE(jsonOf(open.out).value(u"conflicts"_s).toArray().size(), 0);
        const auto all = m_bob.run({u"conflicts"_s, u"--all"_s, u"--json"_s});
        QCOMPARE(jsonOf(all.out).value(u"conflicts"_s).toArray().size(), 1);

        // A second conflict, resolved by keeping the other side: bob's edit is current (his push comes later in
        // the log), alice's value comes back as a new version.
        COFFER_EXPECT_EXIT(m_bob.run({u"set"_s, u"web/dev/OTHER"_s}, "other-bob"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/dev/OTHER"_s}, "other-alice"), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"sync"_s}), 0);
        COFFER_EXPECT_EXIT(m_bob.run({u"sync"_s}), 0);
        const auto second = m_bob.run({u"conflicts"_s, u"--json"_s});
        const QJsonArray open2 = jsonOf(second.out).value(u"conflicts"_s).toArray();
        QCOMPARE(open2.size(), 1);
        QCOMPARE(open2.first().toObject().value(u"name"_s).toString(), u"OTHER"_s);
        const QString id2 = QString::number(open2.first().toObject().value(u"id"_s).toInteger());
        const QByteArray before = m_bob.run({u"get"_s, u"web/dev/OTHER"_s}).out;
        QVERIFY(before == "other-bob" || before == "other-alice");
        COFFER_EXPECT_EXIT(m_bob.run({u"resolve"_s, id2, u"--keep"_s, u"other"_s}), 0);
        const QByteArray after = m_bob.run({u"get"_s, u"web/dev/OTHER"_s}).out;
        QVERIFY(after == "other-bob" || after == "other-alice");
        QVERIFY(after != before);

        // Both sync; the resolutions reach alice, and both see the same fingerprint for web/dev.
        COFFER_EXPECT_EXIT(m_bob.run({u"sync"_s}), 0);
        COFFER_EXPECT_EXIT(m_alice.run({u"sync"_s}), 0);
        QCOMPARE(m_alice.run({u"get"_s, u"web/dev/SHARED"_s}).out, QByteArray("merged-value"));
        QCOMPARE(m_alice.run({u"get"_s, u"web/dev/OTHER"_s}).out, after);
        const auto aliceFingerprint = m_alice.run({u"team"_s, u"fingerprint"_s, u"web/dev"_s});
        const auto bobFingerprint = m_bob.run({u"team"_s, u"fingerprint"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(aliceFingerprint, 0);
        COFFER_EXPECT_EXIT(bobFingerprint, 0);
        // The rows' digits; the team's label may differ (a member who joined may know it by another name).
        QStringList aliceDigits = fingerprintDigits(aliceFingerprint.out);
        QCOMPARE(aliceDigits.size(), 2);
        QCOMPARE(fingerprintDigits(bobFingerprint.out), aliceDigits);
    }

    void bobCannotWriteProd() {
        // bob may only read prod: his vault refuses every change at once (set, rm, rename, import), so nothing
        // waits to be sent, and the message says why.
        const auto refused = m_bob.run({u"set"_s, u"web/prod/DB_URL"_s}, "postgres://bob");
        COFFER_EXPECT_EXIT(refused, 7);
        QVERIFY2(refused.err.contains("read-only") && refused.err.contains("web/prod") &&
                     refused.err.contains("team admin"),
                 refused.err.constData());
        COFFER_EXPECT_EXIT(m_bob.run({u"rm"_s, u"web/prod/DB_URL"_s}), 7);
        COFFER_EXPECT_EXIT(m_bob.run({u"rename"_s, u"web/prod/DB_URL"_s, u"DATABASE_URL"_s}), 7);
        const QString file = m_bob.writeFile(u"prod.env"_s, "DB_URL=postgres://import\nNEW=1\n");
        const auto imported = m_bob.run({u"import"_s, u"web/prod"_s, file});
        COFFER_EXPECT_EXIT(imported, 7);
        QVERIFY2(imported.err.contains("read-only"), imported.err.constData());
        QCOMPARE(m_bob.run({u"get"_s, u"web/prod/DB_URL"_s}).out, QByteArray("postgres://prod"));
        COFFER_EXPECT_EXIT(m_bob.run({u"get"_s, u"web/prod/NEW"_s}), 2);

        const auto synced = m_bob.run({u"sync"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(synced, 0);
        const QJsonObject report = jsonOf(synced.out);
        QCOMPARE(report.value(u"pending"_s).toInt(), 0);
        QVERIFY(environmentNamed(report, u"web"_s, u"prod"_s).value(u"error"_s).isNull());
        // alice never gets a value from bob in prod.
        COFFER_EXPECT_EXIT(m_alice.run({u"sync"_s}), 0);
        QCOMPARE(m_alice.run({u"get"_s, u"web/prod/DB_URL"_s}).out, QByteArray("postgres://prod"));
    }

    void roleChangesNeverLeaveNoOwner() {
        const auto promoted = m_alice.run({u"team"_s, u"role"_s, u"bob"_s, u"admin"_s});
        COFFER_EXPECT_EXIT(promoted, 0);
        QVERIFY2(promoted.out.contains("bob is now admin"), promoted.out.constData());
        auto members = jsonOf(m_bob.run({u"team"_s, u"members"_s, u"--json"_s}).out);
        QCOMPARE(memberNamed(members, u"bob"_s).value(u"role"_s).toString(), u"admin"_s);
        // An admin may not make an owner, nor unmake one.
        const auto notOwner = m_bob.run({u"team"_s, u"role"_s, u"bob"_s, u"owner"_s});
        COFFER_EXPECT_EXIT(notOwner, 7);
        QVERIFY2(notOwner.err.contains("owner"), notOwner.err.constData());
        COFFER_EXPECT_EXIT(m_bob.run({u"team"_s, u"role"_s, u"alice"_s, u"member"_s}), 7);
        // The only owner cannot step down: the team would have none.
        const auto lastOwner = m_alice.run({u"team"_s, u"role"_s, u"alice"_s, u"admin"_s});
        COFFER_EXPECT_EXIT(lastOwner, 7);
        QVERIFY2(lastOwner.err.contains("only owner"), lastOwner.err.constData());
        COFFER_EXPECT_EXIT(m_alice.run({u"team"_s, u"role"_s, u"bob"_s, u"boss"_s}), 1);
        // Back to member; the roster every client verifies says so.
        COFFER_EXPECT_EXIT(m_alice.run({u"team"_s, u"role"_s, u"bob"_s, u"member"_s}), 0);
        members = jsonOf(m_bob.run({u"team"_s, u"members"_s, u"--json"_s}).out);
        QCOMPARE(memberNamed(members, u"bob"_s).value(u"role"_s).toString(), u"member"_s);
        QCOMPARE(memberNamed(members, u"alice"_s).value(u"role"_s).toString(), u"owner"_s);
    }

    void integrityStopIsClearedAfterReadingIt() {
        // Nothing to clear: said, and the sync runs.
        const auto nothing = m_bob.run({u"sync"_s, u"--clear-integrity"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(nothing, 0);
        QVERIFY2(nothing.out.contains("web/dev was not stopped"), nothing.out.constData());
        COFFER_EXPECT_EXIT(m_bob.run({u"sync"_s, u"--clear-integrity"_s, u"web/nowhere"_s}), 2);
        // A stop as the engine records it (tests/sync has the tampering that causes one for real).
        {
            auto vault = coffer::model::Vault::unlock(
                m_bob.vaultPath(), std::as_bytes(std::span(CliHarness::kPassword.constData(),
                                                           static_cast<std::size_t>(CliHarness::kPassword.size()))));
            QVERIFY(vault.has_value());
            QVERIFY(vault->database()
                        .exec("UPDATE sync_environments SET status = 'Sync of web/dev stopped: BrokenChain at 7: the "
                              "previous hash is not the head' WHERE environment_id = (SELECT e.id FROM environments e "
                              "JOIN projects p ON p.id = e.project_id WHERE p.name = 'web' AND e.name = 'dev')")
                        .has_value());
        }
        const auto stopped = m_bob.run({u"sync"_s});
        COFFER_EXPECT_EXIT(stopped, 8);
        QVERIFY2(stopped.out.contains("BrokenChain at 7"), stopped.out.constData());
        QVERIFY2(stopped.err.contains("--clear-integrity"), stopped.err.constData());
        const auto cleared = m_bob.run({u"sync"_s, u"--clear-integrity"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(cleared, 0);
        QVERIFY2(cleared.out.contains("Cleared the integrity stop of web/dev. It said: Sync of web/dev stopped: "
                                      "BrokenChain at 7"),
                 cleared.out.constData());
        QVERIFY2(!cleared.out.contains("INTEGRITY"), cleared.out.constData());
        COFFER_EXPECT_EXIT(m_bob.run({u"sync"_s}), 0);
    }

    void revokeReportsAndListsSecretsToRotate() {
        const auto revoked = m_alice.run({u"revoke"_s, u"bob"_s, u"web/prod"_s});
        COFFER_EXPECT_EXIT(revoked, 0);
        QVERIFY2(revoked.out.contains("web/prod/DB_URL"), revoked.out.constData());
        QVERIFY(!revoked.out.contains("postgres://"));

        const auto afterProd = m_alice.run({u"rotate-list"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(afterProd, 0);
        QCOMPARE(rotationNames(jsonOf(afterProd.out), true), QStringList{u"prod/DB_URL"_s});

        // Without an environment: bob leaves the team, and what he could read in dev is listed too.
        const auto removed = m_alice.run({u"revoke"_s, u"bob"_s});
        COFFER_EXPECT_EXIT(removed, 0);
        QVERIFY2(removed.out.contains("web/dev/API_KEY") && removed.out.contains("web/dev/SHARED"),
                 removed.out.constData());
        const auto listed = m_alice.run({u"rotate-list"_s, u"--json"_s});
        QCOMPARE(rotationNames(jsonOf(listed.out), true),
                 (QStringList{u"dev/API_KEY"_s, u"dev/OTHER"_s, u"dev/SHARED"_s, u"prod/DB_URL"_s}));
        const auto text = m_alice.run({u"rotate-list"_s});
        QVERIFY2(text.out.contains("to rotate") && text.out.contains("web/dev/API_KEY"), text.out.constData());

        // A new value takes a secret off the list; --all still shows it, rotated.
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/dev/API_KEY"_s}, "dev-key-2"), 0);
        const auto open = m_alice.run({u"rotate-list"_s, u"--json"_s});
        QCOMPARE(rotationNames(jsonOf(open.out), true),
                 (QStringList{u"dev/OTHER"_s, u"dev/SHARED"_s, u"prod/DB_URL"_s}));
        const auto all = m_alice.run({u"rotate-list"_s, u"--all"_s, u"--json"_s});
        QVERIFY(rotationNames(jsonOf(all.out), false).contains(u"dev/API_KEY"_s));

        // team remove: carol was never granted anything.
        const auto carolRemoved = m_alice.run({u"team"_s, u"remove"_s, u"carol"_s});
        COFFER_EXPECT_EXIT(carolRemoved, 0);
        QVERIFY2(carolRemoved.out.contains("carol could read no secret"), carolRemoved.out.constData());
        const auto members = m_alice.run({u"team"_s, u"members"_s, u"--json"_s});
        const QJsonObject carol = memberNamed(jsonOf(members.out), u"carol"_s);
        QVERIFY2(carol.isEmpty() || carol.value(u"status"_s).toString() == u"removed"_s, members.out.constData());

        // bob is out: his sync is refused, and he never sees the new value.
        const auto bobSync = m_bob.run({u"sync"_s});
        COFFER_EXPECT_EXIT(bobSync, 7);
        QCOMPARE(m_bob.run({u"get"_s, u"web/dev/API_KEY"_s}).out, QByteArray("dev-key-1"));
    }

    void offlineIsExitSix() {
        const auto stopped = m_server->stop();
        QVERIFY2(stopped.has_value(), stopped ? "" : stopped.error().c_str());
        COFFER_EXPECT_EXIT(m_alice.run({u"set"_s, u"web/dev/LATER"_s}, "later"), 0);
        const auto offline = m_alice.run({u"sync"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(offline, 6);
        const QJsonObject report = jsonOf(offline.out);
        QCOMPARE(report.value(u"exitCode"_s).toInt(), 6);
        QVERIFY(report.value(u"pending"_s).toInt() > 0);
        QVERIFY2(offline.err.contains("offline"), offline.err.constData());
    }

private:
    /// coffer-cli on a pseudo-terminal with `cli`'s vault and password file.
    static coffer::tests::TerminalRun onTerminal(const CliHarness& cli, const QStringList& args,
                                                 const QList<QPair<QByteArray, QByteArray>>& dialogue) {
        return coffer::tests::runOnTerminal(
            QByteArrayLiteral(COFFER_CLI_PATH),
            args + QStringList{u"--vault"_s, cli.vaultPath(), u"--password-file"_s, cli.passwordFile()},
            {u"HOME"_s + u'=' + cli.path(u"."_s)}, dialogue);
    }

    QTemporaryDir m_serverDir;
    std::unique_ptr<coffer::tests::ServerProcess> m_server;
    QString m_url;
    QByteArray m_teamCode;
    QByteArray m_secondTeamCode;
    QByteArray m_invite;
    QString m_bobFingerprint;
    CliHarness m_alice;
    CliHarness m_bob;
    CliHarness m_carol;
    CliHarness m_dave;
    CliHarness m_erin;
};

QTEST_GUILESS_MAIN(TestCliTeam)
#include "TestCliTeam.moc"
