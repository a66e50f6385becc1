// SPDX-License-Identifier: Apache-2.0
// The words around numbers: counts read in the user's locale, singular for one.
#include "ui/Text.h"

#include <QLocale>
#include <QTest>

using coffer::ui::countText;
using namespace Qt::StringLiterals;

class TestText : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { QLocale::setDefault(QLocale::c()); }

    void countsReadInTheLocale() {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(countText(0, u"secret"_s, u"secrets"_s), u"0 secrets"_s);
        QCOMPARE(countText(1, u"secret"_s, u"secrets"_s), u"1 secret"_s);
        QCOMPARE(countText(12, u"secret"_s, u"secrets"_s), u"12 secrets"_s);
        QCOMPARE(countText(100000, u"secret"_s, u"secrets"_s), u"100,000 secrets"_s);
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(countText(10000, u"Treffer"_s, u"Treffer"_s), u"10.000 Treffer"_s);
    }
};

QTEST_APPLESS_MAIN(TestText)
#include "TestText.moc"
