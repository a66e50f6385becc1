// SPDX-License-Identifier: Apache-2.0
// The real window, driven like a user would: create a vault, lock, a wrong password, the right one, and the
// tree and table showing what model::Store wrote. Widgets are found by objectName.
#include "model/ModelError.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/ProjectTreeModel.h"
#include "ui/SecretTableModel.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using coffer::model::ErrorCode;
using coffer::model::KdfCost;
using coffer::model::Store;
using coffer::model::Vault;
using coffer::test::bytesOf;
using coffer::test::SampleCounts;
using coffer::ui::MainWindow;
using coffer::ui::MessageBanner;

namespace {

constexpr int kKdfTimeoutMs = 30'000;
const QString kPassword = QStringLiteral("correct horse battery");

template <typename T> T* child(const QWidget& window, const char* name) {
    auto* found = window.findChild<T*>(QString::fromLatin1(name));
    if (found == nullptr) {
        qWarning("no child named %s", name);
    }
    return found;
}

QString currentPage(const MainWindow& window) {
    return child<QStackedWidget>(window, "pageStack")->currentWidget()->objectName();
}

} // namespace

class TestVaultWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    enum class Submit { ByButton, ByReturn };

    // Types a password and unlocks (button or Return); waits until the key derivation is over.
    static void unlockWith(MainWindow& window, const QString& password, Submit submit = Submit::ByButton) {
        auto* edit = child<QLineEdit>(window, "unlockPasswordEdit");
        auto* button = child<QPushButton>(window, "unlockButton");
        QVERIFY(edit->isEnabled());
        edit->setText(password);
        QVERIFY(button->isEnabled());
        if (submit == Submit::ByButton) {
            QTest::mouseClick(button, Qt::LeftButton);
        } else {
            QTest::keyClick(edit, Qt::Key_Return);
        }
        QVERIFY(window.session().isBusy());
        QVERIFY(!edit->isEnabled());
        QVERIFY(child<QProgressBar>(window, "unlockBusyBar")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!window.session().isBusy(), kKdfTimeoutMs);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createsLocksAndUnlocksAVault() {
        const QString path = m_dir.filePath(QStringLiteral("team/vault.coffer"));
        MainWindow window(path, KdfCost::minimum());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(currentPage(window), QStringLiteral("createPage"));
        QCOMPARE(window.session().createCost(), KdfCost::minimum());

        // Create: enabled only for two equal passwords of at least 8 characters.
        auto* password = child<QLineEdit>(window, "createPasswordEdit");
        auto* confirm = child<QLineEdit>(window, "createConfirmEdit");
        auto* create = child<QPushButton>(window, "createButton");
        auto* hint = child<QLabel>(window, "createHintLabel");
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QCOMPARE(confirm->echoMode(), QLineEdit::Password);
        QVERIFY(!create->isEnabled());
        QVERIFY(hint->text().contains(QStringLiteral("8 characters")));
        QVERIFY(child<MessageBanner>(window, "createWarningBanner")
                    ->text()
                    .contains(QStringLiteral("cannot be recovered")));
        password->setText(QStringLiteral("short"));
        confirm->setText(QStringLiteral("short"));
        QVERIFY(!create->isEnabled());
        QVERIFY(hint->text().contains(QStringLiteral("Too short")));
        password->setText(kPassword);
        confirm->setText(kPassword + QLatin1Char('!'));
        QVERIFY(!create->isEnabled());
        QVERIFY(hint->text().contains(QStringLiteral("do not match")));
        confirm->setText(kPassword);
        QVERIFY(create->isEnabled());

        QTest::mouseClick(create, Qt::LeftButton);
        QVERIFY(window.session().isBusy());
        QVERIFY(!password->isEnabled());
        QVERIFY(!create->isEnabled());
        QVERIFY(child<QProgressBar>(window, "createBusyBar")->isVisible());
        QVERIFY(password->text().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(currentPage(window), QStringLiteral("vaultPage"), kKdfTimeoutMs);
        QVERIFY(QFile::exists(path));
        QVERIFY(window.session().isOpen());

        // A new vault is empty: a hint instead of empty views.
        QVERIFY(child<QWidget>(window, "emptyVaultHint")->isVisible());
        QVERIFY(child<QLabel>(window, "emptyVaultCommand")->text().contains(QStringLiteral("coffer-cli")));
        QVERIFY(child<QPushButton>(window, "emptyVaultNewProjectButton")->isVisible());
        QVERIFY(child<QLabel>(window, "statusCountsLabel")->text().contains(QStringLiteral("0 projects")));
        QVERIFY(window.windowTitle().contains(QStringLiteral("vault.coffer")));

        // Lock: back to Unlock, everything forgotten.
        auto* lock = child<QAction>(window, "lockAction");
        QCOMPARE(lock->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_L));
        QVERIFY(lock->isEnabled());
        lock->trigger();
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        QVERIFY(!window.session().isOpen());
        QVERIFY(window.session().store() == nullptr);
        QVERIFY(!lock->isEnabled());
        QCOMPARE(window.vaultPage().projectModel()->rowCount(), 0);
        QCOMPARE(window.vaultPage().secretModel()->rowCount(), 0);
        QCOMPARE(child<QWidget>(window, "unlockPathLabel")->toolTip(), path);

        // Meanwhile the team's secrets arrive (as coffer-cli would write them).
        {
            auto vault = Vault::unlock(path, bytesOf(kPassword.toStdString()));
            QVERIFY2(vault.has_value(), qPrintable(vault ? QString() : vault.error().message()));
            QVERIFY(coffer::test::fillSampleVault(*vault).has_value());
        }

        // A wrong password: its own message, inline; still locked, the path kept, the field emptied.
        unlockWith(window, QStringLiteral("wrong password"));
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        QVERIFY(!window.session().isOpen());
        auto* error = child<MessageBanner>(window, "unlockErrorBanner");
        QVERIFY(error->isVisible());
        QCOMPARE(error->kind(), MessageBanner::Kind::Error);
        QCOMPARE(error->text(), (coffer::model::Error{ErrorCode::WrongPassword, {}}.message()));
        QVERIFY(child<QLineEdit>(window, "unlockPasswordEdit")->text().isEmpty());
        QVERIFY(child<QLineEdit>(window, "unlockPasswordEdit")->isEnabled());
        QCOMPARE(child<QWidget>(window, "unlockPathLabel")->toolTip(), path);

        // The right one: the tree and the table show the vault's contents.
        unlockWith(window, kPassword, Submit::ByReturn);
        QCOMPARE(currentPage(window), QStringLiteral("vaultPage"));
        QVERIFY(window.session().isOpen());
        QVERIFY(!error->isVisible());

        auto* tree = child<QTreeView>(window, "projectTree");
        auto* table = child<QTableView>(window, "secretTable");
        QVERIFY(tree->isVisible());
        QCOMPARE(tree->model()->rowCount(), SampleCounts::projects);
        const QModelIndex payments = tree->model()->index(0, 0);
        QCOMPARE(payments.data().toString(), QStringLiteral("payments-api"));
        QCOMPARE(tree->model()->rowCount(payments), SampleCounts::environmentsPerProject);
        QVERIFY(tree->isExpanded(payments));

        // The first environment is selected at once.
        QCOMPARE(tree->currentIndex(), tree->model()->index(0, 0, payments));
        QVERIFY(table->isVisible());
        QCOMPARE(table->model()->rowCount(), SampleCounts::paymentsDevSecrets);
        QCOMPARE(child<QLabel>(window, "scopeTitle")->text(), QStringLiteral("payments-api › dev"));
        QVERIFY(!child<QWidget>(window, "protectedBadge")->isVisible());

        // A protected environment is marked, and its values stay masked.
        const QModelIndex prod = tree->model()->index(2, 0, payments);
        QVERIFY(prod.data(Qt::ToolTipRole).toString().contains(QStringLiteral("protected")));
        tree->setCurrentIndex(prod);
        QCOMPARE(table->model()->rowCount(), SampleCounts::paymentsProdSecrets);
        QVERIFY(child<QWidget>(window, "protectedBadge")->isVisible());
        QCOMPARE(table->model()->index(0, coffer::ui::SecretTableModel::NameColumn).data().toString(),
                 QStringLiteral("DATABASE_URL"));
        QCOMPARE(table->model()->index(0, coffer::ui::SecretTableModel::ValueColumn).data().toString(),
                 QStringLiteral("••••••••"));
        QCOMPARE(table->model()->index(0, coffer::ui::SecretTableModel::VersionColumn).data().toInt(), 3);
        QCOMPARE(child<QLabel>(window, "scopeCount")->text(), QStringLiteral("5 secrets"));

        const QString counts = child<QLabel>(window, "statusCountsLabel")->text();
        QVERIFY2(counts.contains(QStringLiteral("2 projects")), qPrintable(counts));
        QVERIFY2(counts.contains(QStringLiteral("6 environments")), qPrintable(counts));
        QVERIFY2(counts.contains(QStringLiteral("%1 secrets").arg(SampleCounts::secrets)), qPrintable(counts));

        // Selecting a project asks for an environment.
        tree->setCurrentIndex(payments);
        QVERIFY(child<QLabel>(window, "secretHint")->isVisible());
        QCOMPARE(table->model()->rowCount(), 0);

        // Reload picks up changes made elsewhere and keeps the selection.
        QVERIFY(window.vaultPage().selectEnvironment(QStringLiteral("web-frontend"), QStringLiteral("dev")));
        QCOMPARE(table->model()->rowCount(), 1);
        auto environment = window.session().store()->environment(
            window.session().store()->project(QStringLiteral("web-frontend"))->id, QStringLiteral("dev"));
        QVERIFY(environment.has_value());
        QVERIFY(window.session().store()->setSecret(environment->id, QStringLiteral("CDN_TOKEN"), bytesOf("t0k3n")));
        child<QAction>(window, "reloadAction")->trigger();
        QCOMPARE(child<QLabel>(window, "scopeTitle")->text(), QStringLiteral("web-frontend › dev"));
        QCOMPARE(table->model()->rowCount(), 2);

        // An empty environment says so.
        QVERIFY(window.session().store()->addEnvironment(environment->projectId, QStringLiteral("qa")));
        child<QAction>(window, "reloadAction")->trigger();
        QVERIFY(window.vaultPage().selectEnvironment(QStringLiteral("web-frontend"), QStringLiteral("qa")));
        QVERIFY(child<QLabel>(window, "secretHint")->isVisible());
        QVERIFY(child<QLabel>(window, "secretHint")->text().contains(QStringLiteral("No secrets")));

        lock->trigger();
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        QCOMPARE(tree->model()->rowCount(), 0);
        QCOMPARE(window.vaultPage().secretModel()->rowCount(), 0);
    }

    void showsHeaderProblemsBeforeAnyPassword() {
        const QString path = m_dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("These are not the secrets you are looking for.\n");
        file.close();

        MainWindow window(path, KdfCost::minimum());
        window.show();
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        auto* error = child<MessageBanner>(window, "unlockErrorBanner");
        QVERIFY(error->isVisible());
        auto info = Vault::readInfo(path);
        QVERIFY(!info.has_value());
        QCOMPARE(error->text(), info.error().message());

        // Trying anyway gives the same answer, not "wrong password".
        unlockWith(window, kPassword);
        QCOMPARE(currentPage(window), QStringLiteral("unlockPage"));
        QCOMPARE(error->text(), info.error().message());
    }

    void createRefusesAnExistingFile() {
        const QString path = m_dir.filePath(QStringLiteral("taken.coffer"));
        MainWindow window(path, KdfCost::minimum());
        window.show();
        QCOMPARE(currentPage(window), QStringLiteral("createPage"));
        // Someone else creates it first.
        QVERIFY(Vault::create(path, bytesOf("another password"), KdfCost::minimum()).has_value());

        child<QLineEdit>(window, "createPasswordEdit")->setText(kPassword);
        child<QLineEdit>(window, "createConfirmEdit")->setText(kPassword);
        QTest::mouseClick(child<QPushButton>(window, "createButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window.session().isBusy(), kKdfTimeoutMs);
        QCOMPARE(currentPage(window), QStringLiteral("createPage"));
        auto* error = child<MessageBanner>(window, "createErrorBanner");
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("already exists")), qPrintable(error->text()));
        QVERIFY2(error->text().contains(path), qPrintable(error->text()));
    }
};

QTEST_MAIN(TestVaultWindow)
#include "TestVaultWindow.moc"
