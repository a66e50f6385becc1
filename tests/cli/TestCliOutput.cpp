// SPDX-License-Identifier: Apache-2.0
// The CLI's text helpers (cli/Output.h): isoTime writes by hand what QDateTime::toString(Qt::ISODate) gives
// (Qt's was a third of `ls` at 10,000 secrets), and formatTable aligns columns without trailing blanks.
#include "cli/Output.h"

#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

using namespace coffer::cli;
using namespace Qt::StringLiterals;

class TestCliOutput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void isoTimeIsQtsIsoDateInUtc() {
        QCOMPARE(isoTime(QDateTime::fromMSecsSinceEpoch(0, Qt::UTC)), u"1970-01-01T00:00:00Z"_s);
        QCOMPARE(isoTime(QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0, 999), Qt::UTC)), u"2024-05-01T12:00:00Z"_s);
        // Another offset is shown in UTC.
        QCOMPARE(isoTime(QDateTime(QDate(2024, 5, 1), QTime(1, 2, 3), QTimeZone(-5 * 3600))),
                 u"2024-05-01T06:02:03Z"_s);
        QCOMPARE(isoTime(QDateTime()), QString());
        // Years Qt writes some other way than four digits: Qt's own text.
        const QDateTime far(QDate(12345, 1, 2), QTime(3, 4, 5), Qt::UTC);
        QCOMPARE(isoTime(far), far.toString(Qt::ISODate));

        QRandomGenerator random(20261201);
        const qint64 first = QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 last = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
        for (int i = 0; i < 20000; ++i) {
            const auto time = QDateTime::fromMSecsSinceEpoch(random.bounded(first, last), Qt::UTC);
            QCOMPARE(isoTime(time), time.toString(Qt::ISODate));
        }
    }

    void formatTableAlignsColumns() {
        QCOMPARE(
            formatTable(
                {{u"NAME"_s, u"V"_s, u"TAGS"_s}, {u"A_LONGER_NAME"_s, u"12"_s, u"x,y"_s}, {u"B"_s, u"3"_s, QString()}}),
            u"NAME           V   TAGS\n"
            "A_LONGER_NAME  12  x,y\n"
            "B              3\n"_s);
        QCOMPARE(formatTable({{u"only"_s}, {u"one column"_s}}), u"only\none column\n"_s);
        QCOMPARE(formatTable({}), QString());
    }
};

QTEST_APPLESS_MAIN(TestCliOutput)
#include "TestCliOutput.moc"
