// SPDX-License-Identifier: Apache-2.0
// Every writer proven by its own reader: the hard corpus written in each dialect reads back byte-exact;
// what a dialect cannot carry is refused naming the secret (never showing it); merge touches only the
// managed values and keeps every other byte of the file.

#include "model/Dotenv.h"
#include "tests/model/TestDotenvSupport.h"

#include <QTest>

#include <algorithm>

using namespace coffer::model::dotenv;
using namespace coffer::model::dotenv::test;

Q_DECLARE_METATYPE(coffer::model::dotenv::Dialect)

namespace {

const std::vector<Dialect> kDialects{Dialect::Dotenv,  Dialect::Docker, Dialect::Shell,
                                     Dialect::Systemd, Dialect::Json,   Dialect::Yaml};

QByteArray mergeOrFail(const QByteArray& existing, const Pairs& pairs) {
    const auto merged = merge(bytesOf(existing), entriesOf(pairs));
    if (!merged) {
        qWarning("merge failed: %s", qPrintable(merged.error().message));
        return QByteArray("<merge failed>");
    }
    return toBytes(*merged);
}

Pairs sortedByName(Pairs pairs) {
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return pairs;
}

} // namespace

class TestDotenvWriters : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<Dialect>("dialect");
        for (const auto dialect : kDialects) {
            QTest::newRow(qPrintable(dialectName(dialect))) << dialect;
        }
    }

    // The whole carryable corpus in one file, so values also meet their neighbours.
    void roundTrip() {
        QFETCH(Dialect, dialect);
        Pairs expected;
        for (const auto& hard : hardCorpus()) {
            if (!hard.refusedBy.contains(dialect)) {
                expected.append({hard.name, hard.value});
            }
        }
        const auto written = write(dialect, entriesOf(expected));
        QVERIFY2(written.has_value(), qPrintable(written ? QString() : written.error().message));
        const auto back = read(dialect, written->bytes());
        QVERIFY2(back.has_value(), qPrintable(back ? QString() : back.error().message));
        if (dialect == Dialect::Json) {
            QCOMPARE(pairsOf(*back), sortedByName(expected)); // QJsonObject keeps names sorted
        } else {
            QCOMPARE(pairsOf(*back), expected);
        }
    }

    void refusals_data() {
        QTest::addColumn<Dialect>("dialect");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("value");
        for (const auto& hard : hardCorpus()) {
            for (const auto dialect : hard.refusedBy) {
                QTest::addRow("%s %s", qPrintable(dialectName(dialect)), qPrintable(hard.name))
                    << dialect << hard.name << hard.value;
            }
        }
        QTest::newRow("docker multiline") << Dialect::Docker << QStringLiteral("DB_CERT") << QByteArray("sec\nret");
        QTest::newRow("docker trailing CR") << Dialect::Docker << QStringLiteral("K") << QByteArray("secret\r");
        QTest::newRow("docker not UTF-8") << Dialect::Docker << QStringLiteral("K") << QByteArray("secret\xFF");
        QTest::newRow("dotenv NUL") << Dialect::Dotenv << QStringLiteral("K") << QByteArray("sec\0ret", 7);
        QTest::newRow("dotenv not UTF-8") << Dialect::Dotenv << QStringLiteral("K") << QByteArray("secret\xC3");
        QTest::newRow("shell NUL") << Dialect::Shell << QStringLiteral("K") << QByteArray("sec\0ret", 7);
        QTest::newRow("systemd escape char") << Dialect::Systemd << QStringLiteral("K") << QByteArray("secret\x1B");
        QTest::newRow("json NUL") << Dialect::Json << QStringLiteral("K") << QByteArray("sec\0ret", 7);
        QTest::newRow("json not UTF-8") << Dialect::Json << QStringLiteral("K") << QByteArray("secret\xED\xA0\x80");
        QTest::newRow("yaml not UTF-8") << Dialect::Yaml << QStringLiteral("K") << QByteArray("secret\xC0\xAF");
        QTest::newRow("shell bad name") << Dialect::Shell << QStringLiteral("MY-KEY") << QByteArray("secret");
        QTest::newRow("systemd bad name") << Dialect::Systemd << QStringLiteral("1KEY") << QByteArray("secret");
        QTest::newRow("dotenv bad name") << Dialect::Dotenv << QStringLiteral("A B") << QByteArray("secret");
        QTest::newRow("docker bad name") << Dialect::Docker << QStringLiteral("A=B") << QByteArray("secret");
    }

    void refusals() {
        QFETCH(Dialect, dialect);
        QFETCH(QString, name);
        QFETCH(QByteArray, value);
        const Pairs pairs{{QStringLiteral("BEFORE"), "ok"}, {name, value}};
        const auto written = write(dialect, entriesOf(pairs));
        QVERIFY(!written.has_value());
        QCOMPARE(written.error().name, name);
        QVERIFY(written.error().message.contains(name));
        if (value.size() > 2) {
            QVERIFY2(!written.error().message.toUtf8().contains(value), qPrintable(written.error().message));
        }
        QVERIFY(!written.error().message.contains(QStringLiteral("secret")));
    }

    void dockerIsLiteral() {
        const auto written = write(Dialect::Docker, entriesOf({{QStringLiteral("A"), "'q' $X # y "}}));
        QVERIFY(written.has_value());
        QCOMPARE(toBytes(*written), QByteArray("A='q' $X # y \n"));
    }

    void shellLooksLikeThis() {
        const auto written = write(Dialect::Shell, entriesOf({{QStringLiteral("A"), "it's $(x)"}}));
        QVERIFY(written.has_value());
        QCOMPARE(toBytes(*written), QByteArray("export A='it'\\''s $(x)'\n"));
    }

    void dotenvPrefersPlainThenSingleQuotes() {
        const auto written = write(Dialect::Dotenv, entriesOf({{QStringLiteral("A"), "abc"},
                                                               {QStringLiteral("B"), "a $b"},
                                                               {QStringLiteral("C"), "it's\nx"},
                                                               {QStringLiteral("D"), "'\"\\n"}}));
        QVERIFY(written.has_value());
        QCOMPARE(toBytes(*written), QByteArray("A=abc\nB='a $b'\nC=\"it's\\nx\"\nD=`'\"\\n`\n"));
    }

    void emptyFiles() {
        for (const auto dialect : kDialects) {
            const auto written = write(dialect, {});
            QVERIFY(written.has_value());
            const auto back = read(dialect, written->bytes());
            QVERIFY2(back.has_value(), qPrintable(dialectName(dialect)));
            QVERIFY(back->empty());
        }
    }

    void mergeKeepsForeignLinesAndComments() {
        const QByteArray existing("# Local settings -- keep me\n"
                                  "FOREIGN=untouched  # trailing comment\n"
                                  "\n"
                                  "export API_KEY=old-value # managed by coffer\n"
                                  "  OTHER = 'spaced'\n"
                                  "DB_PASS=\"multi\nline\"\n"
                                  "# end\n");
        const QByteArray expected("# Local settings -- keep me\n"
                                  "FOREIGN=untouched  # trailing comment\n"
                                  "\n"
                                  "export API_KEY='new $value' # managed by coffer\n"
                                  "  OTHER = 'spaced'\n"
                                  "DB_PASS=s3\n"
                                  "# end\n"
                                  "NEW_ONE=\"it's\"\n");
        const auto merged = mergeOrFail(existing, {{QStringLiteral("API_KEY"), "new $value"},
                                                   {QStringLiteral("DB_PASS"), "s3"},
                                                   {QStringLiteral("NEW_ONE"), "it's"}});
        QCOMPARE(merged, expected);
    }

    void mergeKeepsCrlfAndAddsMissingNewline() {
        const QByteArray existing("A=1\r\n# c\r\nB=2");
        QCOMPARE(mergeOrFail(existing, {{QStringLiteral("A"), "x"}, {QStringLiteral("C"), "y"}}),
                 QByteArray("A=x\r\n# c\r\nB=2\r\nC=y\r\n"));
    }

    void mergeUpdatesEveryRepeat() {
        const QByteArray existing("A=1\nB=keep\nA=2\n");
        const auto merged = mergeOrFail(existing, {{QStringLiteral("A"), "new"}});
        QCOMPARE(merged, QByteArray("A=new\nB=keep\nA=new\n"));
    }

    void mergeReadsBackAsTheNewValues() {
        Pairs pairs;
        for (const auto& hard : hardCorpus()) {
            if (!hard.refusedBy.contains(Dialect::Dotenv)) {
                pairs.append({hard.name, hard.value});
            }
        }
        const QByteArray existing("# top\nDOLLAR=old\r\nFOREIGN='x'\nEMPTY=\"was\nset\" # c\n");
        const auto merged = mergeOrFail(existing, pairs);
        QVERIFY(merged.startsWith("# top\nDOLLAR="));
        QVERIFY(merged.contains("\r\nFOREIGN='x'\nEMPTY= # c\n"));
        const auto back = read(Dialect::Dotenv, bytesOf(merged));
        QVERIFY(back.has_value());
        Pairs expected = pairs;
        expected.insert(1, {QStringLiteral("FOREIGN"), "x"});
        expected.move(expected.indexOf(QPair<QString, QByteArray>(QStringLiteral("EMPTY"), "")), 2);
        QCOMPARE(pairsOf(*back), expected);
    }

    void mergeRefusesUnreadableFile() {
        const auto merged = merge(bytesOf(QByteArray("A=1\nB='s3cret\n")), entriesOf({{QStringLiteral("A"), "x"}}));
        QVERIFY(!merged.has_value());
        QCOMPARE(merged.error().line, 2);
    }
};

QTEST_GUILESS_MAIN(TestDotenvWriters)
#include "TestDotenvWriters.moc"
