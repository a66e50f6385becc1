// SPDX-License-Identifier: Apache-2.0
// Error messages: one sentence per code saying what happened and what to do, with the detail where useful.

#include "model/ModelError.h"

#include <QTest>

using namespace coffer::model;

Q_DECLARE_METATYPE(ErrorCode)

class TestModelError : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyCodeHasItsOwnMessage() {
        QSet<QString> seen;
        for (int i = 0; i <= static_cast<int>(ErrorCode::Io); ++i) {
            const QString message = Error{static_cast<ErrorCode>(i), {}}.message();
            QVERIFY2(message.size() > 20, qPrintable(message));
            QVERIFY2(message.endsWith(u'.'), qPrintable(message));
            QVERIFY2(!seen.contains(message), qPrintable(message));
            seen.insert(message);
        }
    }

    void detailIsAppended() {
        const QString message = Error{ErrorCode::Damaged, QStringLiteral("/tmp/a.coffer is empty")}.message();
        QVERIFY(message.contains(QLatin1String("damaged")));
        QVERIFY(message.contains(QLatin1String("/tmp/a.coffer is empty")));
        QVERIFY(message.contains(QLatin1String("backup")));
    }

    void wrongPasswordMentionsDamagedFirstPage() {
        const QString message = Error{ErrorCode::WrongPassword, QStringLiteral("file is not a database")}.message();
        QCOMPARE(message, QStringLiteral("Wrong password. If you are sure it is right, the vault's first page may be "
                                         "damaged: restore a backup."));
    }
};

QTEST_GUILESS_MAIN(TestModelError)
#include "TestModelError.moc"
