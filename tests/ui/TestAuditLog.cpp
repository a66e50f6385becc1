// SPDX-License-Identifier: Apache-2.0
// The audit log view: AuditModel under QAbstractItemModelTester, and the real window on the sample vault: reveal,
// copy and edit something, open View > Audit Log…, find those rows (never a value), filter by text and action.
#include "model/Store.h"
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/AuditDialog.h"
#include "ui/AuditModel.h"
#include "ui/MainWindow.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using coffer::model::Store;
using coffer::model::Vault;
using coffer::test::child;
using coffer::ui::AuditDialog;
using coffer::ui::AuditModel;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

// Every value the sample vault holds, and the one the test writes: none may appear in the log.
const QStringList kValues = {
    QStringLiteral("postgres://payments:devpass@localhost:5432/payments"),
    QStringLiteral("redis://localhost:6379/0"),
    QStringLiteral("sk_test_51HxDevKeyDoNotUseInProd"),
    QStringLiteral("postgres://payments:prodpass@db.prod.internal:5432/payments"),
    QStringLiteral("sk_live_51HxLiveKey"),
    QStringLiteral("whsec_live0987654321"),
    QStringLiteral("prod-session-secret-rotated"),
    QStringLiteral("rotated-value-42"),
};

// No cell of `model`, in any role people see, holds a value.
void verifyNoValues(const QAbstractItemModel& model) {
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            for (const int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::AccessibleTextRole)}) {
                const QString text = model.index(row, column).data(role).toString();
                for (const QString& value : kValues) {
                    QVERIFY2(!text.contains(value),
                             qPrintable(QStringLiteral("row %1 column %2").arg(row).arg(column)));
                }
            }
        }
    }
}

QStringList column(const QAbstractItemModel& model, int column) {
    QStringList texts;
    for (int row = 0; row < model.rowCount(); ++row) {
        texts << model.index(row, column).data().toString();
    }
    return texts;
}

} // namespace

class TestAuditLog : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(QApplication::style()->standardPalette());
    }

    void modelShowsEventsNewestFirstInWords() {
        const QString path = m_dir.filePath(QStringLiteral("model.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto vault = Vault::unlock(path, coffer::test::bytesOf(kPassword.toStdString()));
        QVERIFY(vault.has_value());
        Store store(*vault, QStringLiteral("auditor"));
        QVERIFY(store
                    .audit(QStringLiteral("reveal"), QStringLiteral("payments-api"), QStringLiteral("prod"),
                           QStringLiteral("DATABASE_URL"))
                    .has_value());
        QVERIFY(store.audit(QStringLiteral("some-future-action"), {}, {}, {}).has_value());

        AuditModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.load(store).has_value());
        auto events = store.auditEvents();
        QVERIFY(events.has_value());
        QCOMPARE(model.rowCount(), static_cast<int>(events->size()));
        QVERIFY(model.rowCount() > coffer::test::SampleCounts::secrets); // the sample's creations, and ours
        QCOMPARE(model.columnCount(), int(AuditModel::ColumnCount));

        // Newest first, actions in words, unknown ones as recorded.
        QCOMPARE(model.index(0, AuditModel::ActionColumn).data().toString(), QStringLiteral("some-future-action"));
        QCOMPARE(model.index(1, AuditModel::ActionColumn).data().toString(), QStringLiteral("Revealed"));
        QCOMPARE(model.index(1, AuditModel::ActionColumn).data(AuditModel::ActionRole).toString(),
                 QStringLiteral("reveal"));
        QCOMPARE(model.index(1, AuditModel::WhoColumn).data().toString(), QStringLiteral("auditor"));
        QCOMPARE(model.index(1, AuditModel::ProjectColumn).data().toString(), QStringLiteral("payments-api"));
        QCOMPARE(model.index(1, AuditModel::EnvironmentColumn).data().toString(), QStringLiteral("prod"));
        QCOMPARE(model.index(1, AuditModel::SecretColumn).data().toString(), QStringLiteral("DATABASE_URL"));
        QVERIFY(!model.index(1, AuditModel::WhenColumn).data().toString().isEmpty());
        QVERIFY(model.index(0, AuditModel::WhenColumn).data(AuditModel::SortRole).toLongLong() >
                model.index(1, AuditModel::WhenColumn).data(AuditModel::SortRole).toLongLong());
        QCOMPARE(model.headerData(AuditModel::WhoColumn, Qt::Horizontal).toString(), QStringLiteral("Who"));
        const QStringList actions = model.actions();
        QCOMPARE(actions.constFirst(), QStringLiteral("reveal")); // reads before changes
        QVERIFY(actions.contains(QStringLiteral("create")));
        QCOMPARE(actions.constLast(), QStringLiteral("some-future-action"));
        QCOMPARE(AuditModel::actionText(QStringLiteral("copy")), QStringLiteral("Copied"));
        QCOMPARE(AuditModel::actionText(QStringLiteral("export")), QStringLiteral("Exported"));
        QCOMPARE(AuditModel::actionText(QStringLiteral("add-environment")), QStringLiteral("Added environment"));
        verifyNoValues(model);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void theWindowShowsTheLogAndFiltersIt() {
        const QString path = m_dir.filePath(QStringLiteral("window.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(window != nullptr);
        auto& page = window->vaultPage();

        // Reveal and copy in prod, change a value in web-frontend.
        QVERIFY(page.selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
        QVERIFY(page.selectSecret(QStringLiteral("STRIPE_SECRET_KEY")));
        QTest::mouseClick(child<QPushButton>(*window, "revealButton"), Qt::LeftButton);
        QTest::mouseClick(child<QPushButton>(*window, "copyValueButton"), Qt::LeftButton);
        QVERIFY(page.selectSecret(QStringLiteral("DATABASE_URL")));
        QTest::mouseClick(child<QPushButton>(*window, "copyValueButton"), Qt::LeftButton);
        auto* store = window->session().store();
        auto project = store->project(QStringLiteral("web-frontend"));
        QVERIFY(project.has_value());
        auto prod = store->environment(project->id, QStringLiteral("prod"));
        QVERIFY(prod.has_value());
        QVERIFY(store->setSecret(prod->id, QStringLiteral("SESSION_SECRET"), coffer::test::bytesOf("rotated-value-42"))
                    .has_value());

        auto* action = child<QAction>(*window, "auditLogAction");
        QVERIFY(action->isEnabled());
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
        QVERIFY(window->viewMenu()->actions().contains(action));
        action->trigger();
        auto* dialog = child<AuditDialog>(*window, "auditDialog");
        QVERIFY(dialog != nullptr);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isModal());
        QVERIFY(QTest::qWaitForWindowExposed(dialog));

        auto* shown = dialog->shownModel();
        QAbstractItemModelTester tester(shown, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto* count = child<QLabel>(*dialog, "auditCountLabel");
        const int total = dialog->auditModel()->rowCount();
        QCOMPARE(shown->rowCount(), total);
        QCOMPARE(count->text(), QStringLiteral("%1 events").arg(total));
        // Newest first: the update, then the copies and the reveal.
        QCOMPARE(column(*shown, AuditModel::ActionColumn).mid(0, 4),
                 (QStringList{QStringLiteral("Updated"), QStringLiteral("Copied"), QStringLiteral("Copied"),
                              QStringLiteral("Revealed")}));
        QCOMPARE(column(*shown, AuditModel::SecretColumn).mid(0, 4),
                 (QStringList{QStringLiteral("SESSION_SECRET"), QStringLiteral("DATABASE_URL"),
                              QStringLiteral("STRIPE_SECRET_KEY"), QStringLiteral("STRIPE_SECRET_KEY")}));
        QCOMPARE(shown->index(0, AuditModel::WhoColumn).data().toString(), window->session().author());
        verifyNoValues(*shown);

        // Any column: a secret's name.
        auto* filter = child<QLineEdit>(*dialog, "auditFilterEdit");
        QTest::keyClicks(filter, QStringLiteral("stripe_secret"));
        QVERIFY(shown->rowCount() >= 4); // its creations in three environments, the reveal and the copy
        QVERIFY(shown->rowCount() < total);
        for (const QString& name : column(*shown, AuditModel::SecretColumn)) {
            QCOMPARE(name, QStringLiteral("STRIPE_SECRET_KEY"));
        }
        QCOMPARE(count->text(), QStringLiteral("%1 of %2 events").arg(shown->rowCount()).arg(total));

        // And an action: only the copy of that secret is left.
        auto* actions = child<QComboBox>(*dialog, "auditActionCombo");
        QCOMPARE(actions->itemText(0), QStringLiteral("All actions"));
        const int copied = actions->findData(QStringLiteral("copy"));
        QVERIFY(copied > 0);
        QCOMPARE(actions->itemText(copied), QStringLiteral("Copied"));
        actions->setCurrentIndex(copied);
        QCOMPARE(shown->rowCount(), 1);
        QCOMPARE(shown->index(0, AuditModel::EnvironmentColumn).data().toString(), QStringLiteral("prod"));

        // Without the text, both copies.
        filter->clear();
        QCOMPARE(shown->rowCount(), 2);
        QCOMPARE(count->text(), QStringLiteral("2 of %1 events").arg(total));

        // Refresh (F5) reads what happened since.
        actions->setCurrentIndex(0);
        QVERIFY(page.selectSecret(QStringLiteral("STRIPE_SECRET_KEY")));
        QTest::mouseClick(child<QPushButton>(*window, "copyValueButton"), Qt::LeftButton);
        QCOMPARE(shown->rowCount(), total);
        QTest::mouseClick(child<QPushButton>(*dialog, "auditRefreshButton"), Qt::LeftButton);
        QCOMPARE(shown->rowCount(), total + 1);
        verifyNoValues(*shown);

        // Locking empties and hides it; the action waits for the next unlock.
        child<QAction>(*window, "lockAction")->trigger();
        QVERIFY(!window->session().isOpen());
        QCOMPARE(dialog->auditModel()->rowCount(), 0);
        QVERIFY(!dialog->isVisible());
        QVERIFY(!action->isEnabled());
    }

    void screenshot() {
        qputenv("USER", "dana"); // the author of what this window does
        const QString path = m_dir.filePath(QStringLiteral("shot.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(window != nullptr);
        auto& page = window->vaultPage();
        QVERIFY(page.selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
        for (const char* name : {"DATABASE_URL", "STRIPE_SECRET_KEY"}) {
            QVERIFY(page.selectSecret(QString::fromLatin1(name)));
            QTest::mouseClick(child<QPushButton>(*window, "revealButton"), Qt::LeftButton);
            QTest::mouseClick(child<QPushButton>(*window, "revealButton"), Qt::LeftButton);
            QTest::mouseClick(child<QPushButton>(*window, "copyValueButton"), Qt::LeftButton);
        }
        child<QAction>(*window, "auditLogAction")->trigger();
        auto* dialog = child<AuditDialog>(*window, "auditDialog");
        QVERIFY(dialog != nullptr);
        dialog->resize(980, 560);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTest::qWait(50);
        QVERIFY(coffer::test::saveScreenshot(*dialog, QStringLiteral("audit")));

        QApplication::setPalette(coffer::test::darkPalette());
        QTest::qWait(50);
        QVERIFY(coffer::test::saveScreenshot(*dialog, QStringLiteral("audit-dark")));
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
};

QTEST_MAIN(TestAuditLog)
#include "TestAuditLog.moc"
