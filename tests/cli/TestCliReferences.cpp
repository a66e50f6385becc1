// SPDX-License-Identifier: Apache-2.0
// `get` resolves ${...} references, `get --raw` shows the value as written, and a broken reference is an
// error with the path, never an empty value.
#include "CliHarness.h"

#include <QTest>

using coffer::tests::CliHarness;
using namespace Qt::StringLiterals;

class TestCliReferences : public QObject {
    Q_OBJECT

private:
    CliHarness m_cli;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_cli.isValid());
        QVERIFY(m_cli.initWith(u"web"_s, {u"dev"_s, u"staging"_s}));
        COFFER_EXPECT_EXIT(m_cli.run({u"project"_s, u"add"_s, u"api"_s}), 0);
        COFFER_EXPECT_EXIT(m_cli.run({u"env"_s, u"add"_s, u"api/dev"_s}), 0);
        const QList<std::pair<QString, QByteArray>> secrets{
            {u"web/dev/HOST"_s, "db.local"},
            {u"web/staging/HOST"_s, "db.staging"},
            {u"api/dev/TOKEN"_s, "tok"},
            {u"web/dev/URL"_s, "pg://${HOST}|${staging.HOST}|${api/dev/TOKEN}|$${HOST}"},
            {u"web/dev/A"_s, "${B}"},
            {u"web/dev/B"_s, "${A}"},
            {u"web/dev/BROKEN"_s, "x${MISSING}"},
        };
        for (const auto& [address, value] : secrets) {
            COFFER_EXPECT_EXIT(m_cli.run({u"set"_s, address}, value), 0);
        }
    }

    void getResolves() {
        const auto result = m_cli.run({u"get"_s, u"web/dev/URL"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, "pg://db.local|db.staging|tok|${HOST}"_ba);
    }

    void getRawShowsTheValueAsWritten() {
        const auto result = m_cli.run({u"get"_s, u"--raw"_s, u"web/dev/URL"_s});
        COFFER_EXPECT_EXIT(result, 0);
        QCOMPARE(result.out, "pg://${HOST}|${staging.HOST}|${api/dev/TOKEN}|$${HOST}"_ba);
    }

    void cycleIsAnErrorWithThePath() {
        const auto result = m_cli.run({u"get"_s, u"web/dev/A"_s});
        COFFER_EXPECT_EXIT(result, 5);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.contains("web/dev/B -> web/dev/A -> web/dev/B"), result.err.constData());
    }

    void unknownReferenceIsNotFound() {
        const auto result = m_cli.run({u"get"_s, u"web/dev/BROKEN"_s});
        COFFER_EXPECT_EXIT(result, 2);
        QVERIFY(result.out.isEmpty());
        QVERIFY2(result.err.contains("web/dev/MISSING"), result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliReferences)
#include "TestCliReferences.moc"
