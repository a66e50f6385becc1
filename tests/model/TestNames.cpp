// SPDX-License-Identifier: Apache-2.0
// Naming rules: secret names are environment variables; project and environment names fit in addresses.

#include "model/Names.h"

#include <QTest>

using namespace coffer::model;

class TestNames : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void secretNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("upper") << QStringLiteral("DATABASE_URL") << true;
        QTest::newRow("lower") << QStringLiteral("api_key") << true;
        QTest::newRow("underscore first") << QStringLiteral("_PRIVATE") << true;
        QTest::newRow("digits after") << QStringLiteral("KEY2") << true;
        QTest::newRow("single letter") << QStringLiteral("X") << true;
        QTest::newRow("255 characters") << QString(255, u'A') << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("256 characters") << QString(256, u'A') << false;
        QTest::newRow("digit first") << QStringLiteral("1KEY") << false;
        QTest::newRow("dash") << QStringLiteral("API-KEY") << false;
        QTest::newRow("dot") << QStringLiteral("API.KEY") << false;
        QTest::newRow("space") << QStringLiteral("API KEY") << false;
        QTest::newRow("equals") << QStringLiteral("A=B") << false;
        QTest::newRow("non-ASCII letter") << QStringLiteral("CL\u00C9") << false;
        QTest::newRow("newline") << QStringLiteral("A\nB") << false;
    }

    void secretNames() {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        const auto checked = checkSecretName(name);
        QCOMPARE(checked.has_value(), valid);
        if (!valid) {
            QCOMPARE(checked.error().code, ErrorCode::InvalidName);
            QVERIFY(!checked.error().detail.isEmpty());
        }
    }

    void secretNameErrorSaysWhichRule() {
        QVERIFY(checkSecretName(QStringLiteral("1KEY")).error().detail.contains(QLatin1String("start with")));
        QVERIFY(checkSecretName(QStringLiteral("A-B")).error().detail.contains(QStringLiteral("\u201C-\u201D")));
        QVERIFY(checkSecretName(QString(300, u'A')).error().detail.contains(QLatin1String("255")));
        QVERIFY(checkSecretName(QStringLiteral("A\tB")).error().detail.contains(QLatin1String("U+0009")));
    }

    void scopeNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << QStringLiteral("dev") << true;
        QTest::newRow("mixed") << QStringLiteral("Billing-API_v2.1") << true;
        QTest::newRow("digit first") << QStringLiteral("2024-q1") << true;
        QTest::newRow("64 characters") << QString(64, u'p') << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("65 characters") << QString(65, u'p') << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("dash first") << QStringLiteral("-dev") << false;
        QTest::newRow("dot first") << QStringLiteral(".hidden") << false;
        QTest::newRow("space") << QStringLiteral("my project") << false;
        QTest::newRow("non-ASCII") << QStringLiteral("caf\u00E9") << false;
    }

    void scopeNames() {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        const auto checked = checkScopeName(name);
        QCOMPARE(checked.has_value(), valid);
        if (!valid) {
            QCOMPARE(checked.error().code, ErrorCode::InvalidName);
            QVERIFY(!checked.error().detail.isEmpty());
        }
    }

    void protectedByDefault_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("isProtected");
        QTest::newRow("prod") << QStringLiteral("prod") << true;
        QTest::newRow("Production") << QStringLiteral("Production") << true;
        QTest::newRow("PRD") << QStringLiteral("PRD") << true;
        QTest::newRow("live") << QStringLiteral("live") << true;
        QTest::newRow("prod-eu") << QStringLiteral("prod-eu") << true;
        QTest::newRow("production-us") << QStringLiteral("production-us") << true;
        QTest::newRow("dev") << QStringLiteral("dev") << false;
        QTest::newRow("staging") << QStringLiteral("staging") << false;
        QTest::newRow("products") << QStringLiteral("products") << false;
        QTest::newRow("preprod") << QStringLiteral("preprod") << false;
        QTest::newRow("prod_eu") << QStringLiteral("prod_eu") << false;
        QTest::newRow("delivery") << QStringLiteral("delivery") << false;
    }

    void protectedByDefault() {
        QFETCH(QString, name);
        QFETCH(bool, isProtected);
        QCOMPARE(isProtectedByDefault(name), isProtected);
    }
};

QTEST_GUILESS_MAIN(TestNames)
#include "TestNames.moc"
