// SPDX-License-Identifier: Apache-2.0
// coffer-cli import (preview, apply, all or nothing, no version for unchanged names), diff (never a value)
// and dotenv parse. One vault for the whole class; each test uses its own environments.
#include "CliHarness.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using coffer::tests::CliHarness;

namespace {

QJsonObject jsonOf(const QByteArray& out) {
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(out, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject{};
}

QStringList stringsOf(const QJsonValue& value) {
    QStringList list;
    for (const auto& item : value.toArray()) {
        list.append(item.toString());
    }
    return list;
}

} // namespace

class TestCliImportDiff : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_cli.isValid());
        QVERIFY(m_cli.initWith(u"web"_s, {u"imp"_s, u"bad"_s, u"same"_s, u"json"_s, u"da"_s, u"db"_s}));
    }

    void importPreviewsThenApplies() {
        const QString file =
            m_cli.writeFile(u"imp.env"_s, "API_KEY=value-marker-1\nexport DB_URL=\"value-marker-2\"\n");
        const auto preview = m_cli.run({u"import"_s, u"web/imp"_s, file, u"--dry-run"_s});
        COFFER_EXPECT_EXIT(preview, 0);
        QVERIFY2(preview.out.contains("API_KEY") && preview.out.contains("DB_URL"), preview.out.constData());
        QVERIFY2(preview.out.contains("added"), preview.out.constData());
        QVERIFY2(preview.out.contains("Dry run"), preview.out.constData());
        QVERIFY(!preview.out.contains("value-marker") && !preview.err.contains("value-marker"));
        COFFER_EXPECT_EXIT(m_cli.run({u"get"_s, u"web/imp/API_KEY"_s}), 2); // nothing written

        const auto applied = m_cli.run({u"import"_s, u"web/imp"_s, file});
        COFFER_EXPECT_EXIT(applied, 0);
        QVERIFY2(applied.out.contains("2 added, 0 changed, 0 unchanged"), applied.out.constData());
        QVERIFY(!applied.out.contains("value-marker"));
        QCOMPARE(m_cli.run({u"get"_s, u"web/imp/API_KEY"_s}).out, QByteArray("value-marker-1"));
        QCOMPARE(m_cli.run({u"get"_s, u"web/imp/DB_URL"_s}).out, QByteArray("value-marker-2"));
    }

    void oneInvalidNameImportsNothing() {
        const QString file = m_cli.writeFile(u"bad.env"_s, "GOOD=1\nBAD-NAME=2\nALSO_GOOD=3\n");
        const auto refused = m_cli.run({u"import"_s, u"web/bad"_s, file});
        QVERIFY2(refused.finished && (refused.exitCode == 1 || refused.exitCode == 5), refused.describe().constData());
        QVERIFY2(refused.err.contains("bad.env:2"), refused.err.constData());
        COFFER_EXPECT_EXIT(m_cli.run({u"get"_s, u"web/bad/GOOD"_s}), 2);
        QVERIFY(m_cli.run({u"ls"_s, u"web/bad"_s}).out.isEmpty());
    }

    void unchangedNamesWriteNoVersion() {
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/same/KEEP"_s}, "same"), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, u"web/same/CHANGE"_s}, "old"), 0);
        const QString file = m_cli.writeFile(u"same.env"_s, "KEEP=same\nCHANGE=new\nADD=x\n");
        const auto applied = m_cli.run({u"import"_s, u"web/same"_s, file});
        COFFER_EXPECT_EXIT(applied, 0);
        QVERIFY2(applied.out.contains("1 added, 1 changed, 1 unchanged"), applied.out.constData());
        const auto keep = jsonOf(m_cli.run({u"history"_s, u"web/same/KEEP"_s, u"--json"_s}).out);
        QCOMPARE(keep.value(u"versions"_s).toArray().size(), 1);
        const auto change = jsonOf(m_cli.run({u"history"_s, u"web/same/CHANGE"_s, u"--json"_s}).out);
        QCOMPARE(change.value(u"versions"_s).toArray().size(), 2);
        QCOMPARE(m_cli.run({u"get"_s, u"web/same/CHANGE"_s}).out, QByteArray("new"));
    }

    void importsJson() {
        const QString file = m_cli.writeFile(u"in.json"_s, R"({"FROM_JSON": "j-value"})");
        COFFER_EXPECT_EXIT(m_cli.run({u"import"_s, u"web/json"_s, file}), 0);
        QCOMPARE(m_cli.run({u"get"_s, u"web/json/FROM_JSON"_s}).out, QByteArray("j-value"));
    }

    void diffListsNamesNeverValues() {
        const QList<std::pair<QString, QByteArray>> secrets{
            {u"web/da/ONLY_A"_s, "marker-a"},   {u"web/db/ONLY_B"_s, "marker-b"},
            {u"web/da/SAME"_s, "marker-same"},  {u"web/db/SAME"_s, "marker-same"},
            {u"web/da/DIFF"_s, "marker-left"},  {u"web/db/DIFF"_s, "marker-right"},
            {u"web/da/SIZE"_s, "marker-short"}, {u"web/db/SIZE"_s, "marker-much-longer"},
        };
        for (const auto& [address, value] : secrets) {
            COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, address}, value), 0);
        }
        const auto json = m_cli.run({u"diff"_s, u"web/da"_s, u"web/db"_s, u"--json"_s});
        COFFER_EXPECT_EXIT(json, 0);
        QVERIFY2(!json.out.contains("marker"), json.out.constData());
        const auto object = jsonOf(json.out);
        QCOMPARE(stringsOf(object.value(u"onlyInA"_s)), QStringList{u"ONLY_A"_s});
        QCOMPARE(stringsOf(object.value(u"onlyInB"_s)), QStringList{u"ONLY_B"_s});
        QCOMPARE(stringsOf(object.value(u"equal"_s)), QStringList{u"SAME"_s});
        QCOMPARE(stringsOf(object.value(u"different"_s)), (QStringList{u"DIFF"_s, u"SIZE"_s}));

        const auto text = m_cli.run({u"diff"_s, u"web/da"_s, u"web/db"_s});
        COFFER_EXPECT_EXIT(text, 0);
        QVERIFY2(!text.out.contains("marker"), text.out.constData());
        QVERIFY2(text.out.contains("only in web/da") && text.out.contains("only in web/db"), text.out.constData());
        QVERIFY(text.out.contains("equal") && text.out.contains("different"));
        COFFER_EXPECT_EXIT(m_cli.run({u"diff"_s, u"web/da"_s, u"web/nope"_s}), 2);
    }

    void dotenvParsePrintsWhatIsRead() {
        const QString file =
            m_cli.writeFile(u"parse.env"_s, "# comment\nA=1\nexport B=\"two words\"\nC='x y' # note\n");
        // No vault and no password: it only reads the user's own file.
        const auto parsed = m_cli.runRaw({u"dotenv"_s, u"parse"_s, file});
        COFFER_EXPECT_EXIT(parsed, 0);
        const auto object = jsonOf(parsed.out);
        QCOMPARE(object, (QJsonObject{{u"A"_s, u"1"_s}, {u"B"_s, u"two words"_s}, {u"C"_s, u"x y"_s}}));
    }

    void dotenvParseErrorNamesTheLine() {
        const QString file = m_cli.writeFile(u"broken.env"_s, "A=1\nB=\"never closed\n");
        const auto parsed = m_cli.runRaw({u"dotenv"_s, u"parse"_s, file});
        COFFER_EXPECT_EXIT(parsed, 5);
        QVERIFY2(parsed.err.contains("broken.env:2: "), parsed.err.constData());
        QVERIFY(parsed.out.isEmpty());
    }

private:
    CliHarness m_cli;
};

QTEST_GUILESS_MAIN(TestCliImportDiff)
#include "TestCliImportDiff.moc"
