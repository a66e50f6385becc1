// SPDX-License-Identifier: Apache-2.0
// How a sync error becomes coffer-cli's exit code and message (cli/SyncSession.h), and how the team commands'
// command lines parse: without a vault, a server or a process.
#include "cli/Arguments.h"
#include "cli/SyncSession.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace coffer::cli;
using coffer::sync::ErrorCode;

Q_DECLARE_METATYPE(ErrorCode)
Q_DECLARE_METATYPE(ExitCode)

namespace {

const QList<ErrorCode> kAllCodes{ErrorCode::Offline,         ErrorCode::Tls,       ErrorCode::Redirect,
                                 ErrorCode::Server,          ErrorCode::Refused,   ErrorCode::NotFound,
                                 ErrorCode::HostileResponse, ErrorCode::Integrity, ErrorCode::NotAllowed,
                                 ErrorCode::InvalidInput,    ErrorCode::Conflict,  ErrorCode::Vault};

} // namespace

class TestCliSyncErrors : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exitCodes_data() {
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<ExitCode>("exit");
        QTest::addColumn<QString>("advice"); ///< what the message must add ("" when nothing)
        QTest::newRow("offline") << ErrorCode::Offline << ExitCode::Offline << u"local changes are kept"_s;
        QTest::newRow("server") << ErrorCode::Server << ExitCode::Offline << u"try again later"_s;
        QTest::newRow("refused") << ErrorCode::Refused << ExitCode::Refused << u"team admin"_s;
        QTest::newRow("not allowed") << ErrorCode::NotAllowed << ExitCode::Refused << u"team admin"_s;
        QTest::newRow("integrity") << ErrorCode::Integrity << ExitCode::Integrity << u"Nothing from it was applied"_s;
        QTest::newRow("hostile") << ErrorCode::HostileResponse << ExitCode::Integrity << u"Nothing from the reply"_s;
        QTest::newRow("tls") << ErrorCode::Tls << ExitCode::Integrity << u"--ca-file"_s;
        QTest::newRow("redirect") << ErrorCode::Redirect << ExitCode::Integrity << u"never followed"_s;
        QTest::newRow("invalid input") << ErrorCode::InvalidInput << ExitCode::Usage << QString{};
        QTest::newRow("not found") << ErrorCode::NotFound << ExitCode::NotFound << QString{};
        QTest::newRow("conflict") << ErrorCode::Conflict << ExitCode::Failed << u"coffer-cli sync"_s;
        QTest::newRow("vault") << ErrorCode::Vault << ExitCode::Failed << QString{};
    }

    void exitCodes() {
        QFETCH(ErrorCode, code);
        QFETCH(ExitCode, exit);
        QFETCH(QString, advice);
        QCOMPARE(exitCodeFor(code), exit);
        const coffer::sync::Error error{code, u"What happened"_s, std::nullopt, 0};
        const Failure failed = failure(error);
        QCOMPARE(failed.code, exit);
        QVERIFY2(failed.message.startsWith(u"What happened."_s), qPrintable(failed.message));
        if (advice.isEmpty()) {
            QCOMPARE(failed.message, u"What happened."_s);
        } else {
            QVERIFY2(failed.message.contains(advice), qPrintable(failed.message));
        }
    }

    void everyCodeHasItsOwnJsonName() {
        QSet<QString> names;
        for (const ErrorCode code : kAllCodes) {
            const QString name = errorCodeName(code);
            QVERIFY(!name.isEmpty());
            QCOMPARE(name, name.toLower());
            names.insert(name);
        }
        QCOMPARE(names.size(), kAllCodes.size());
    }

    void teamIsAGroup() {
        QVERIFY(isCommandGroup(u"team"_s));
        const auto parsed = parseArguments({u"team"_s, u"confirm"_s, u"bob"_s, u"--fingerprint"_s, u"1 2 3"_s});
        QVERIFY2(parsed.has_value(), parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->command->name, u"team confirm"_s);
        QCOMPARE(parsed->value(u"fingerprint"_s), std::optional<QString>(u"1 2 3"_s));
        const auto bare = parseArguments({u"team"_s});
        QVERIFY(!bare.has_value());
        QVERIFY2(bare.error().message.contains(u"create, share, invite, join"_s), qPrintable(bare.error().message));
    }

    void codesAreRefusedOnTheCommandLineWithoutBeingRepeated_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("join CODE") << QStringList{u"team"_s, u"join"_s, u"coffer-invite-1:SECRETSECRET"_s};
        QTest::newRow("join --code") << QStringList{u"team"_s, u"join"_s, u"--code"_s, u"SECRETSECRET"_s};
        QTest::newRow("join --invite=") << QStringList{u"team"_s, u"join"_s, u"--invite=SECRETSECRET"_s};
        QTest::newRow("create CODE") << QStringList{u"team"_s,   u"create"_s, u"--server"_s,    u"https://x"_s,
                                                    u"--name"_s, u"n"_s,      u"SECRETSECRET"_s};
        QTest::newRow("create --code") << QStringList{u"team"_s, u"create"_s, u"--code=SECRETSECRET"_s};
    }

    void codesAreRefusedOnTheCommandLineWithoutBeingRepeated() {
        QFETCH(QStringList, args);
        const auto parsed = parseArguments(args);
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, ExitCode::Usage);
        QVERIFY2(parsed.error().message.contains(u"never takes a code from the command line"_s),
                 qPrintable(parsed.error().message));
        QVERIFY(!parsed.error().message.contains(u"SECRET"_s));
    }

    void setKeepsItsOwnRefusal() {
        const auto parsed = parseArguments({u"set"_s, u"a/b/C"_s, u"value"_s});
        QVERIFY(!parsed.has_value());
        QVERIFY2(parsed.error().message.startsWith(u"set never takes the value"_s), qPrintable(parsed.error().message));
    }
};

QTEST_GUILESS_MAIN(TestCliSyncErrors)
#include "TestCliSyncErrors.moc"
