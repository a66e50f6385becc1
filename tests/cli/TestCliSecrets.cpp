// SPDX-License-Identifier: Apache-2.0
// coffer-cli set, get, ls, rm, history, restore and rename on secrets.
#include "CliHarness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using coffer::tests::CliHarness;

namespace {

constexpr qsizetype kMiB = 1024 * 1024;

QByteArray randomBytes(qsizetype size) {
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(20240501);
    generator.fillRange(reinterpret_cast<quint32*>(bytes.data()), size / 4);
    return bytes;
}

QJsonObject jsonOf(const QByteArray& out) {
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(out, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject{};
}

} // namespace

class TestCliSecrets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void setThenGetReturnsTheExactBytes_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("text") << QByteArray("s3cr3t-t0ken");
        QTest::newRow("binary with NUL and CRLF") << QByteArray("a\0b\r\nc\xff\xfe\0", 10);
        QTest::newRow("multiline with trailing newline")
            << QByteArray("-----BEGIN KEY-----\nAAAA\nBBBB\n-----END KEY-----\n");
        QTest::newRow("only newlines") << QByteArray("\n\n");
        QTest::newRow("exactly 1 MiB") << randomBytes(kMiB);
    }

    void setThenGetReturnsTheExactBytes() {
        QFETCH(QByteArray, value);
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        const auto stored = cli.run({u"set"_s, u"web/dev/VALUE"_s}, value);
        COFFER_EXPECT_EXIT(stored, 0);
        const auto read = cli.run({u"get"_s, u"web/dev/VALUE"_s});
        COFFER_EXPECT_EXIT(read, 0);
        QCOMPARE(read.out.size(), value.size());
        QVERIFY(read.out == value);
        QVERIFY(read.err.isEmpty());
    }

    void trimNewlineDropsExactlyOne() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/A"_s, u"--trim-newline"_s}, "value\n\n"), 0);
        QCOMPARE(cli.run({u"get"_s, u"web/dev/A"_s}).out, QByteArray("value\n"));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/B"_s, u"--trim-newline"_s}, "value\r\n"), 0);
        QCOMPARE(cli.run({u"get"_s, u"web/dev/B"_s}).out, QByteArray("value\r"));
        // With a trailing newline trimmed, 1 MiB + "\n" fits.
        const QByteArray full = randomBytes(kMiB);
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/C"_s, u"--trim-newline"_s}, full + '\n'), 0);
        QVERIFY(cli.run({u"get"_s, u"web/dev/C"_s}).out == full);
    }

    void valueOverOneMiBIsRefused() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        const auto refused = cli.run({u"set"_s, u"web/dev/BIG"_s}, randomBytes(kMiB) + 'x');
        COFFER_EXPECT_EXIT(refused, 5);
        QVERIFY2(refused.err.startsWith("coffer-cli: "), refused.err.constData());
        QVERIFY2(refused.err.contains("larger than 1 MiB"), refused.err.constData());
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/BIG"_s}), 2);
    }

    void setRefusesAValueOnTheCommandLine_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("second argument") << QStringList{u"hunter2-on-argv"_s};
        QTest::newRow("--value VALUE") << QStringList{u"--value"_s, u"hunter2-on-argv"_s};
        QTest::newRow("--value=VALUE") << QStringList{u"--value=hunter2-on-argv"_s};
        QTest::newRow("option-looking value") << QStringList{u"--hunter2-on-argv"_s};
        QTest::newRow("after --") << QStringList{u"--"_s, u"hunter2-on-argv"_s};
    }

    void setRefusesAValueOnTheCommandLine() {
        QFETCH(QStringList, extra);
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        const auto refused = cli.run(QStringList{u"set"_s, u"web/dev/PASSWORD"_s} + extra, "from stdin");
        COFFER_EXPECT_EXIT(refused, 1);
        QVERIFY2(refused.err.contains("standard input"), refused.err.constData());
        QVERIFY2(!refused.err.contains("hunter2"), refused.err.constData());
        QVERIFY(!refused.out.contains("hunter2"));
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/PASSWORD"_s}), 2); // nothing was stored
    }

    void getAnOlderVersion() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/KEY"_s}, "first"), 0);
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/KEY"_s}, "second"), 0);
        QCOMPARE(cli.run({u"get"_s, u"web/dev/KEY"_s}).out, QByteArray("second"));
        QCOMPARE(cli.run({u"get"_s, u"web/dev/KEY"_s, u"--version"_s, u"1"_s}).out, QByteArray("first"));
        QCOMPARE(cli.run({u"get"_s, u"--version=2"_s, u"web/dev/KEY"_s}).out, QByteArray("second"));
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/KEY"_s, u"--version"_s, u"9"_s}), 2);
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/KEY"_s, u"--version"_s, u"zero"_s}), 1);
    }

    void getIsAuditedAsAReveal() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/KEY"_s}, "v"), 0);
        const auto before = jsonOf(cli.run({u"info"_s, u"--json"_s}).out).value(u"auditEvents"_s).toInt(-1);
        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/KEY"_s}), 0);
        const auto after = jsonOf(cli.run({u"info"_s, u"--json"_s}).out).value(u"auditEvents"_s).toInt(-1);
        QVERIFY(before >= 0);
        QCOMPARE(after, before + 1);
    }

    void listingShowsMetadataButNeverValues() {
        const QByteArray marker = "VALUE-MARKER-4f1c9e";
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/API_KEY"_s, u"--note"_s, u"billing"_s, u"--tag"_s, u"pay"_s,
                                    u"--tag"_s, u"ext"_s},
                                   marker),
                           0);
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/DB_URL"_s}, marker + "-2"), 0);
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/DB_URL"_s}, marker + "-3"), 0);

        const auto json = cli.run({u"ls"_s, u"web/dev"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(json, 0);
        QVERIFY(!json.out.contains(marker));
        const QJsonArray secrets = jsonOf(json.out).value(u"secrets"_s).toArray();
        QCOMPARE(secrets.size(), 2);
        const QJsonObject first = secrets.at(0).toObject();
        QCOMPARE(first.value(u"name"_s).toString(), u"API_KEY"_s);
        QCOMPARE(first.value(u"version"_s).toInt(), 1);
        QCOMPARE(first.value(u"tags"_s).toArray(), (QJsonArray{u"pay"_s, u"ext"_s}));
        QVERIFY(!first.value(u"updatedBy"_s).toString().isEmpty());
        QVERIFY(first.value(u"updatedAt"_s).toString().endsWith(u'Z'));
        QCOMPARE(secrets.at(1).toObject().value(u"version"_s).toInt(), 2);

        const auto text = cli.run({u"ls"_s, u"web/dev"_s});
        COFFER_EXPECT_EXIT(text, 0);
        QVERIFY(!text.out.contains(marker));
        QVERIFY2(text.out.startsWith("NAME"), text.out.constData());
        QVERIFY2(text.out.contains("pay,ext"), text.out.constData());

        const auto history = cli.run({u"history"_s, u"web/dev/DB_URL"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(history, 0);
        QVERIFY(!history.out.contains(marker));
    }

    void removeThenRestore() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/KEY"_s}, "keep me"), 0);

        const auto removed = cli.run({u"rm"_s, u"web/dev/KEY"_s});
        COFFER_EXPECT_EXIT(removed, 0);
        QVERIFY2(removed.out.contains("coffer-cli restore web/dev/KEY --version 1"), removed.out.constData());

        const auto gone = cli.run({u"get"_s, u"web/dev/KEY"_s});
        COFFER_EXPECT_EXIT(gone, 2);
        QVERIFY2(gone.err.contains("deleted"), gone.err.constData());
        QCOMPARE(cli.run({u"ls"_s, u"web/dev"_s}).out, QByteArray());
        QVERIFY(cli.run({u"ls"_s, u"web/dev"_s, u"--deleted"_s}).out.contains("KEY (deleted)"));
        COFFER_EXPECT_EXIT(cli.run({u"rm"_s, u"web/dev/KEY"_s}), 2);

        const auto history = cli.run({u"history"_s, u"web/dev/KEY"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(history, 0);
        const QJsonArray versions = jsonOf(history.out).value(u"versions"_s).toArray();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.at(0).toObject().value(u"change"_s).toString(), u"created"_s);
        QCOMPARE(versions.at(1).toObject().value(u"change"_s).toString(), u"deleted"_s);

        COFFER_EXPECT_EXIT(cli.run({u"restore"_s, u"web/dev/KEY"_s}), 1); // --version is required
        COFFER_EXPECT_EXIT(cli.run({u"restore"_s, u"web/dev/KEY"_s, u"--version"_s, u"1"_s}), 0);
        const auto back = cli.run({u"get"_s, u"web/dev/KEY"_s});
        COFFER_EXPECT_EXIT(back, 0);
        QCOMPARE(back.out, QByteArray("keep me"));

        const auto text = cli.run({u"history"_s, u"web/dev/KEY"_s});
        COFFER_EXPECT_EXIT(text, 0);
        QVERIFY2(text.out.contains("restored from 1"), text.out.constData());
    }

    void renameKeepsHistory() {
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/OLD"_s}, "one"), 0);
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/OLD"_s}, "two"), 0);
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, u"web/dev/TAKEN"_s}, "x"), 0);
        COFFER_EXPECT_EXIT(cli.run({u"rename"_s, u"web/dev/OLD"_s, u"TAKEN"_s}), 5);
        COFFER_EXPECT_EXIT(cli.run({u"rename"_s, u"web/dev/OLD"_s, u"NEW"_s}), 0);

        COFFER_EXPECT_EXIT(cli.run({u"get"_s, u"web/dev/OLD"_s}), 2);
        QCOMPARE(cli.run({u"get"_s, u"web/dev/NEW"_s}).out, QByteArray("two"));
        QCOMPARE(cli.run({u"get"_s, u"web/dev/NEW"_s, u"--version"_s, u"1"_s}).out, QByteArray("one"));
        const QJsonArray versions =
            jsonOf(cli.run({u"history"_s, u"web/dev/NEW"_s, u"--json"_s}).out).value(u"versions"_s).toArray();
        QCOMPARE(versions.size(), 3);
        QCOMPARE(versions.at(0).toObject().value(u"name"_s).toString(), u"OLD"_s);
        QCOMPARE(versions.at(2).toObject().value(u"change"_s).toString(), u"renamed"_s);
        QCOMPARE(versions.at(2).toObject().value(u"name"_s).toString(), u"NEW"_s);
    }

    void missingThingsExitTwo_data() {
        QTest::addColumn<QString>("address");
        QTest::newRow("project") << u"nope/dev/KEY"_s;
        QTest::newRow("environment") << u"web/nope/KEY"_s;
        QTest::newRow("secret") << u"web/dev/NOPE"_s;
    }

    void missingThingsExitTwo() {
        QFETCH(QString, address);
        CliHarness cli;
        QVERIFY(cli.initWith(u"web"_s, {u"dev"_s}));
        for (const auto& command : {u"get"_s, u"history"_s, u"rm"_s}) {
            const auto result = cli.run({command, address});
            COFFER_EXPECT_EXIT(result, 2);
            QVERIFY2(result.err.startsWith("coffer-cli: "), result.err.constData());
        }
        COFFER_EXPECT_EXIT(cli.run({u"set"_s, address}, "value"), address.endsWith(u"NOPE"_s) ? 0 : 2);
    }
};

QTEST_GUILESS_MAIN(TestCliSecrets)
#include "TestCliSecrets.moc"
