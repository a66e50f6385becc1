// SPDX-License-Identifier: Apache-2.0
// DotenvChangeModel (the import and export previews) under QAbstractItemModelTester: names and changes only.
#include "ui/DotenvChangeModel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QTest>

using coffer::ui::DotenvChangeModel;

class TestDotenvChangeModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rowsNamesAndTones() {
        DotenvChangeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(DotenvChangeModel::ColumnCount));
        QCOMPARE(model.headerData(DotenvChangeModel::NameColumn, Qt::Horizontal).toString(), QStringLiteral("Name"));
        QCOMPARE(model.headerData(DotenvChangeModel::ChangeColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Change"));

        model.setRows({{QStringLiteral("API_KEY"), QStringLiteral("Added"), DotenvChangeModel::Tone::New},
                       {QStringLiteral("DB_URL"), QStringLiteral("Changed"), DotenvChangeModel::Tone::Different},
                       {QStringLiteral("OLD"), QStringLiteral("Removed"), DotenvChangeModel::Tone::Gone},
                       {QStringLiteral("SAME"), QStringLiteral("Unchanged"), DotenvChangeModel::Tone::Same}});
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(1, DotenvChangeModel::NameColumn).data().toString(), QStringLiteral("DB_URL"));
        QCOMPARE(model.index(1, DotenvChangeModel::ChangeColumn).data().toString(), QStringLiteral("Changed"));
        QCOMPARE(model.index(2, DotenvChangeModel::NameColumn).data(DotenvChangeModel::ToneRole).toInt(),
                 int(DotenvChangeModel::Tone::Gone));
        // Changes are coloured, each tone its own colour; names are not.
        const QColor added = model.index(0, DotenvChangeModel::ChangeColumn).data(Qt::ForegroundRole).value<QColor>();
        const QColor removed = model.index(2, DotenvChangeModel::ChangeColumn).data(Qt::ForegroundRole).value<QColor>();
        QVERIFY(added.isValid() && removed.isValid() && added != removed);
        QVERIFY(!model.index(0, DotenvChangeModel::NameColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.index(9, 0).isValid());
        QVERIFY(!model.index(0, 0).data(Qt::EditRole).isValid());

        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestDotenvChangeModel)
#include "TestDotenvChangeModel.moc"
