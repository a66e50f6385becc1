// SPDX-License-Identifier: Apache-2.0
// The command-line parser and address parsing, without a process or a vault.
#include "cli/Address.h"
#include "cli/Arguments.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace coffer::cli;

class TestCliArguments : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void commandArgumentsAndOptions() {
        const auto parsed = parseArguments({u"--vault"_s, u"/tmp/v.coffer"_s, u"set"_s, u"web/dev/KEY"_s, u"--tag"_s,
                                            u"a"_s, u"--tag=b"_s, u"--note"_s, u"--not-an-option"_s});
        QVERIFY2(parsed.has_value(), parsed ? "" : qPrintable(parsed.error().message));
        QVERIFY(parsed->command != nullptr);
        QCOMPARE(parsed->command->name, u"set"_s);
        QCOMPARE(parsed->arguments, QStringList{u"web/dev/KEY"_s});
        QCOMPARE(parsed->value(u"vault"_s), std::optional<QString>(u"/tmp/v.coffer"_s));
        QCOMPARE(parsed->values(u"tag"_s), (QStringList{u"a"_s, u"b"_s}));
        QCOMPARE(parsed->value(u"note"_s), std::optional<QString>(u"--not-an-option"_s)); // a value may start with -
        QVERIFY(!parsed->help);
    }

    void groupsTakeASubcommand() {
        const auto parsed = parseArguments({u"env"_s, u"rm"_s, u"web/dev"_s, u"--force"_s});
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->command->name, u"env rm"_s);
        QVERIFY(parsed->has(u"force"_s));
        QVERIFY(!parsed->has(u"json"_s));
    }

    void versionIsAValueForGetAndAFlagElsewhere() {
        const auto get = parseArguments({u"get"_s, u"a/b/C"_s, u"--version"_s, u"3"_s});
        QVERIFY(get.has_value());
        QVERIFY(!get->version);
        QCOMPARE(get->value(u"version"_s), std::optional<QString>(u"3"_s));

        const auto global = parseArguments({u"--version"_s});
        QVERIFY(global.has_value());
        QVERIFY(global->version);
    }

    void doubleDashEndsOptions() {
        const auto parsed = parseArguments({u"project"_s, u"add"_s, u"--"_s, u"--json"_s});
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->arguments, QStringList{u"--json"_s});
        QVERIFY(!parsed->has(u"json"_s));
    }

    void setNeverRepeatsAStrayArgument_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("positional") << QStringList{u"set"_s, u"a/b/C"_s, u"pa55word"_s};
        QTest::newRow("unknown option") << QStringList{u"set"_s, u"a/b/C"_s, u"--pa55word"_s};
        QTest::newRow("value option") << QStringList{u"set"_s, u"a/b/C"_s, u"--value=pa55word"_s};
        QTest::newRow("short option") << QStringList{u"set"_s, u"a/b/C"_s, u"-pa55word"_s};
    }

    void setNeverRepeatsAStrayArgument() {
        QFETCH(QStringList, args);
        const auto parsed = parseArguments(args);
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, ExitCode::Usage);
        QVERIFY(!parsed.error().message.contains(u"pa55word"_s));
        QVERIFY(parsed.error().message.contains(u"standard input"_s));
    }

    void repeatedSingleOptionIsRefused() {
        const auto parsed = parseArguments({u"ls"_s, u"--vault"_s, u"a"_s, u"--vault"_s, u"b"_s});
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, ExitCode::Usage);
    }

    void helpForgivesBrokenOptionsButNotUnknownCommands() {
        const auto forgiven = parseArguments({u"get"_s, u"--bogus"_s, u"--help"_s});
        QVERIFY(forgiven.has_value());
        QVERIFY(forgiven->help);
        QCOMPARE(forgiven->command->name, u"get"_s);
        QVERIFY(!parseArguments({u"bogus"_s, u"--help"_s}).has_value());
    }

    void addresses_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("depth");
        QTest::addColumn<bool>("valid");
        QTest::newRow("secret") << u"web/dev/KEY"_s << 3 << true;
        QTest::newRow("environment") << u"web/dev"_s << 2 << true;
        QTest::newRow("project") << u"web"_s << 1 << true;
        QTest::newRow("too few parts") << u"web/dev"_s << 3 << false;
        QTest::newRow("too many parts") << u"web/dev/KEY/x"_s << 3 << false;
        QTest::newRow("empty part") << u"web//KEY"_s << 3 << false;
        QTest::newRow("trailing slash") << u"web/dev/"_s << 3 << false;
        QTest::newRow("empty") << QString() << 1 << false;
    }

    void addresses() {
        QFETCH(QString, text);
        QFETCH(int, depth);
        QFETCH(bool, valid);
        const auto address = parseAddress(text, depth);
        QCOMPARE(address.has_value(), valid);
        if (valid) {
            QCOMPARE(address->depth(), depth);
            QCOMPARE(address->text(), text);
        } else {
            QCOMPARE(address.error().code, ExitCode::Usage);
            QVERIFY(text.isEmpty() || !address.error().message.contains(text));
        }
    }

    void scopes() {
        QCOMPARE(parseScope(u"web"_s)->depth(), 1);
        QCOMPARE(parseScope(u"web/dev"_s)->environment, u"dev"_s);
        QVERIFY(!parseScope(u"web/dev/KEY"_s).has_value());
    }
};

QTEST_GUILESS_MAIN(TestCliArguments)
#include "TestCliArguments.moc"
