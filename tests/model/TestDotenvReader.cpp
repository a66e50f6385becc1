// SPDX-License-Identifier: Apache-2.0
// The dotenv reader, rule by rule: what Node dotenv v16 reads, Coffer reads the same; what Node skips or
// mangles, Coffer refuses with the line number and without echoing the value. Plus the other dialects'
// readers on hand-written input, and the dialect names.

#include "model/Dotenv.h"
#include "tests/model/TestDotenvSupport.h"

#include <QTest>

using namespace coffer::model::dotenv;
using namespace coffer::model::dotenv::test;

namespace {

Pairs p(std::initializer_list<QPair<QString, QByteArray>> list) {
    return Pairs(list);
}

QPair<QString, QByteArray> kv(const char* name, const QByteArray& value) {
    return {QString::fromLatin1(name), value};
}

} // namespace

class TestDotenvReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reads_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<Pairs>("expected");
        QTest::newRow("basic") << QByteArray("A=1\nB=two\n") << p({kv("A", "1"), kv("B", "two")});
        QTest::newRow("export prefix") << QByteArray("export A=1\nexport   B=2\n") << p({kv("A", "1"), kv("B", "2")});
        QTest::newRow("export tab") << QByteArray("export\tA=1") << p({kv("A", "1")});
        QTest::newRow("a variable named export") << QByteArray("export=1\nexport =2") << p({kv("export", "2")});
        QTest::newRow("blanks around =") << QByteArray("  A = hello world  \nB\t=\tx\t")
                                         << p({kv("A", "hello world"), kv("B", "x")});
        QTest::newRow("colon separator") << QByteArray("A: colon value\nB:\tx")
                                         << p({kv("A", "colon value"), kv("B", "x")});
        QTest::newRow("single quotes literal") << QByteArray("A='a\\nb $X \"c\"'") << p({kv("A", "a\\nb $X \"c\"")});
        QTest::newRow("single quotes keep blanks") << QByteArray("A='  x  '") << p({kv("A", "  x  ")});
        QTest::newRow("double quotes expand \\n \\r") << QByteArray("A=\"a\\nb\\rc\"") << p({kv("A", "a\nb\rc")});
        QTest::newRow("double quotes keep \\\" and \\t")
            << QByteArray("A=\"a\\\"b\\tc\"") << p({kv("A", "a\\\"b\\tc")});
        QTest::newRow("double backslash n") << QByteArray("A=\"a\\\\nb\"") << p({kv("A", "a\\\nb")});
        QTest::newRow("backticks") << QByteArray("A=`it's \"q\"`") << p({kv("A", "it's \"q\"")});
        QTest::newRow("multiline double")
            << QByteArray("A=\"l1\nl2\"\nB=after") << p({kv("A", "l1\nl2"), kv("B", "after")});
        QTest::newRow("multiline single") << QByteArray("A='l1\n  l2'\nB=x") << p({kv("A", "l1\n  l2"), kv("B", "x")});
        QTest::newRow("multiline backtick") << QByteArray("A=`l1\nl2`") << p({kv("A", "l1\nl2")});
        QTest::newRow("multiline holds #") << QByteArray("A=\"# not\n# comment\"") << p({kv("A", "# not\n# comment")});
        QTest::newRow("comment after unquoted") << QByteArray("A=abc # c\nB=x #y") << p({kv("A", "abc"), kv("B", "x")});
        QTest::newRow("# ends unquoted value") << QByteArray("A=abc#def") << p({kv("A", "abc")});
        QTest::newRow("# inside quotes") << QByteArray("A=\"a # b\"\nB='c#d'") << p({kv("A", "a # b"), kv("B", "c#d")});
        QTest::newRow("comment after quotes") << QByteArray("A=\"x\" # c\nB='y'#t") << p({kv("A", "x"), kv("B", "y")});
        QTest::newRow("comment and blank lines") << QByteArray("# c\n\n   # c2\nA=1\n\n# e\n") << p({kv("A", "1")});
        QTest::newRow("CRLF") << QByteArray("A=1\r\nB=two words\r\n") << p({kv("A", "1"), kv("B", "two words")});
        QTest::newRow("CRLF inside quotes") << QByteArray("A=\"x\r\ny\"\r\n") << p({kv("A", "x\ny")});
        QTest::newRow("lone CR") << QByteArray("A=1\rB=2\r") << p({kv("A", "1"), kv("B", "2")});
        QTest::newRow("UTF-8 BOM") << QByteArray("\xEF\xBB\xBF"
                                                 "A=1")
                                   << p({kv("A", "1")});
        QTest::newRow("empty values") << QByteArray("A=\nB=\"\"\nC=''\nD=  \nE=  # c")
                                      << p({kv("A", ""), kv("B", ""), kv("C", ""), kv("D", ""), kv("E", "")});
        QTest::newRow("no expansion") << QByteArray("A=$HOME\nB=${X:-y}\nC=\\$z")
                                      << p({kv("A", "$HOME"), kv("B", "${X:-y}"), kv("C", "\\$z")});
        QTest::newRow("leading dash, dotted names")
            << QByteArray("A=-x\nmy-var.name=--f=1") << p({kv("A", "-x"), kv("my-var.name", "--f=1")});
        QTest::newRow("unicode") << QByteArray("A=h\xC3\xA9llo \xF0\x9F\x94\x91")
                                 << p({kv("A", "h\xC3\xA9llo \xF0\x9F\x94\x91")});
        QTest::newRow("unicode blanks trimmed like JS") << QByteArray("A=\xC2\xA0x\xE3\x80\x80") << p({kv("A", "x")});
        QTest::newRow("last wins, first place") << QByteArray("A=1\nB=x\nA=2") << p({kv("A", "2"), kv("B", "x")});
        QTest::newRow("single, trailing backslash") << QByteArray("A='a\\'\nB=b") << p({kv("A", "a\\"), kv("B", "b")});
        QTest::newRow("single, escaped quote kept") << QByteArray("A='it\\'s'") << p({kv("A", "it\\'s")});
        QTest::newRow("equals in value") << QByteArray("A=a=b==c\nB = = x") << p({kv("A", "a=b==c"), kv("B", "= x")});
        QTest::newRow("tabs in quotes") << QByteArray("A='\tx\t'") << p({kv("A", "\tx\t")});
        QTest::newRow("blank before quote") << QByteArray("A=   'x'\nB=\t\"y\"") << p({kv("A", "x"), kv("B", "y")});
        QTest::newRow("quotes inside unquoted")
            << QByteArray("A=it's\nB=a 'b' c") << p({kv("A", "it's"), kv("B", "a 'b' c")});
        QTest::newRow("no final newline") << QByteArray("A=1\nB=last") << p({kv("A", "1"), kv("B", "last")});
        QTest::newRow("empty file") << QByteArray() << p({});
        QTest::newRow("digit-first and lowercase names")
            << QByteArray("1a=1\nlow=2") << p({kv("1a", "1"), kv("low", "2")});
    }

    void reads() {
        QFETCH(QByteArray, text);
        QFETCH(Pairs, expected);
        const auto entries = read(Dialect::Dotenv, bytesOf(text));
        QVERIFY2(entries.has_value(), qPrintable(entries ? QString() : entries.error().message));
        QCOMPARE(pairsOf(*entries), expected);
    }

    void lineNumbers() {
        const QByteArray text("# c\nA=1\n\nB=\"x\ny\"\nC=3\r\nD=4");
        const auto entries = read(Dialect::Dotenv, bytesOf(text));
        QVERIFY(entries.has_value());
        QCOMPARE(entries->size(), 4U);
        QCOMPARE((*entries)[0].line, 2);
        QCOMPARE((*entries)[1].line, 4);
        QCOMPARE((*entries)[2].line, 6);
        QCOMPARE((*entries)[3].line, 7);
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::newRow("unterminated double") << QByteArray("A=1\nB=\"s3cret-value\n") << 2;
        QTest::newRow("unterminated single") << QByteArray("A='s3cret-value\nB=2\n") << 1;
        QTest::newRow("unterminated backtick") << QByteArray("\n\nA=`s3cret-value") << 3;
        QTest::newRow("space in name") << QByteArray("A=1\nB C=s3cret-value\n") << 2;
        QTest::newRow("no =") << QByteArray("A=1\ns3cret-value\n") << 2;
        QTest::newRow("text after quote") << QByteArray("A=\"s3cret-value\" tail") << 1;
        QTest::newRow("two quoted parts") << QByteArray("A='s3cret-value' 'b'") << 1;
        QTest::newRow("non-ASCII name") << QByteArray("\xC3\x84"
                                                      "B=s3cret-value")
                                        << 1;
        QTest::newRow("colon at line end") << QByteArray("A:\ns3cret-value\n") << 1;
        QTest::newRow("quoted line after empty value") << QByteArray("A=\n's3cret-value'\n") << 2;
        QTest::newRow("export without value") << QByteArray("export s3cret-value") << 1;
        QTest::newRow("export alone on a line") << QByteArray("export\nA=s3cret-value") << 1;
        QTest::newRow("garbage after multiline") << QByteArray("A=1\n\nB='x\ny' s3cret-value") << 3;
        QTest::newRow("CRLF counted once") << QByteArray("A=1\r\nB=2\r\nC D=s3cret-value\r\n") << 3;
    }

    void errors() {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        const auto entries = read(Dialect::Dotenv, bytesOf(text));
        QVERIFY(!entries.has_value());
        QCOMPARE(entries.error().line, line);
        QVERIFY(!entries.error().message.isEmpty());
        QVERIFY2(!entries.error().message.contains(QStringLiteral("s3cret")), qPrintable(entries.error().message));
    }

    void otherDialects_data() {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<Pairs>("expected");
        QTest::newRow("docker literal") << QStringLiteral("docker") << QByteArray("# c\n  A='q' # x\nB= sp \r\nC=")
                                        << p({kv("A", "'q' # x"), kv("B", " sp "), kv("C", "")});
        QTest::newRow("shell quoting") << QStringLiteral("shell")
                                       << QByteArray("# c\nexport A='it'\\''s $X'\nB=plain\\ word\nC='l1\nl2' # c\n")
                                       << p({kv("A", "it's $X"), kv("B", "plain word"), kv("C", "l1\nl2")});
        QTest::newRow("systemd") << QStringLiteral("systemd")
                                 << QByteArray(
                                        "; c\n# c\nA=\"x \\\"q\\\" \\$ \\n\"\nB='s' \"d\"\nC= u  v  \nD=a\\\nb\n")
                                 << p({kv("A", "x \"q\" $ \\n"), kv("B", "sd"), kv("C", "u  v"), kv("D", "ab")});
        QTest::newRow("json") << QStringLiteral("json") << QByteArray("{\"B\": \"x\\n\\u00e9\", \"A\": \"\"}")
                              << p({kv("A", ""), kv("B", "x\n\xC3\xA9")});
        QTest::newRow("yaml") << QStringLiteral("yaml")
                              << QByteArray(
                                     "---\n# c\nA: plain value # c\nB: 'it''s'\n\"C\": \"t\\tq\\\"\\x41\\u00e9\"\nD:\n")
                              << p({kv("A", "plain value"), kv("B", "it's"), kv("C", "t\tq\"A\xC3\xA9"), kv("D", "")});
    }

    void otherDialects() {
        QFETCH(QString, dialect);
        QFETCH(QByteArray, text);
        QFETCH(Pairs, expected);
        const auto entries = read(*dialectFromName(dialect), bytesOf(text));
        QVERIFY2(entries.has_value(), qPrintable(entries ? QString() : entries.error().message));
        QCOMPARE(pairsOf(*entries), expected);
    }

    void otherDialectErrors_data() {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::newRow("docker no =") << QStringLiteral("docker") << QByteArray("A=1\ns3cret\n") << 2;
        QTest::newRow("docker bad UTF-8") << QStringLiteral("docker") << QByteArray("A=1\nB=s3cret\xFF\n") << 2;
        QTest::newRow("shell expansion") << QStringLiteral("shell") << QByteArray("A=1\nB=$s3cret\n") << 2;
        QTest::newRow("shell command") << QStringLiteral("shell") << QByteArray("A=`s3cret`\n") << 1;
        QTest::newRow("shell unterminated") << QStringLiteral("shell") << QByteArray("\nA='s3cret\n") << 2;
        QTest::newRow("shell two commands") << QStringLiteral("shell") << QByteArray("A=x s3cret\n") << 1;
        QTest::newRow("systemd no =") << QStringLiteral("systemd") << QByteArray("A=1\ns3cret\n") << 2;
        QTest::newRow("systemd unterminated") << QStringLiteral("systemd") << QByteArray("A=1\nB=\"s3cret\n") << 2;
        QTest::newRow("json syntax") << QStringLiteral("json") << QByteArray("{\n\"A\": \"s3cret\",\n}") << 3;
        QTest::newRow("yaml nesting") << QStringLiteral("yaml") << QByteArray("A: 1\nB:\n  s3cret: x\n") << 3;
        QTest::newRow("yaml block scalar") << QStringLiteral("yaml") << QByteArray("A: |\n  s3cret\n") << 1;
    }

    void otherDialectErrors() {
        QFETCH(QString, dialect);
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        const auto entries = read(*dialectFromName(dialect), bytesOf(text));
        QVERIFY(!entries.has_value());
        QCOMPARE(entries.error().line, line);
        QVERIFY2(!entries.error().message.contains(QStringLiteral("s3cret")), qPrintable(entries.error().message));
    }

    void dialectNames() {
        for (const auto dialect :
             {Dialect::Dotenv, Dialect::Docker, Dialect::Shell, Dialect::Systemd, Dialect::Json, Dialect::Yaml}) {
            QCOMPARE(dialectFromName(dialectName(dialect)), std::optional(dialect));
            QCOMPARE(dialectFromName(dialectName(dialect).toUpper()), std::optional(dialect));
        }
        QCOMPARE(dialectName(Dialect::Systemd), QStringLiteral("systemd"));
        QVERIFY(!dialectFromName(QStringLiteral("toml")).has_value());
        QVERIFY(!dialectFromName(QString()).has_value());
    }
};

QTEST_GUILESS_MAIN(TestDotenvReader)
#include "TestDotenvReader.moc"
