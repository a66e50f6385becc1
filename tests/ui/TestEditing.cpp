// SPDX-License-Identifier: Apache-2.0
// Editing in the real window: add, edit, rename, delete and restore secrets, add projects and environments,
// through the Edit menu's actions and their dialogs (answered by the test while they run modally).
#include "model/Store.h"
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ClipboardGuard.h"
#include "ui/Confirm.h"
#include "ui/HistoryModel.h"
#include "ui/MainWindow.h"
#include "ui/NameDialog.h"
#include "ui/ProjectTreeModel.h"
#include "ui/SecretDetailPane.h"
#include "ui/SecretDialog.h"
#include "ui/SecretTableModel.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <functional>

using coffer::test::child;
using coffer::test::whenDialogOpens;
using coffer::ui::HistoryModel;
using coffer::ui::MainWindow;
using coffer::ui::NameDialog;
using coffer::ui::SecretDialog;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

QPushButton* okButton(const QDialog& dialog, const char* buttonsName) {
    return child<QDialogButtonBox>(dialog, buttonsName)->button(QDialogButtonBox::Ok);
}

} // namespace

class TestEditing : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_vaults = 0;
    std::unique_ptr<MainWindow> m_window;

    void open(const char* project, const char* environment) {
        const QString path = m_dir.filePath(QStringLiteral("vault%1.coffer").arg(++m_vaults));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        m_window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(m_window != nullptr);
        QVERIFY(
            m_window->vaultPage().selectEnvironment(QString::fromLatin1(project), QString::fromLatin1(environment)));
    }

    [[nodiscard]] QAction* action(const char* name) const { return child<QAction>(*m_window, name); }
    [[nodiscard]] coffer::model::Store& store() const { return *m_window->session().store(); }
    [[nodiscard]] QString currentName() const {
        const auto* secret = m_window->vaultPage().currentSecret();
        return secret != nullptr ? secret->name : QString();
    }
    [[nodiscard]] QString valueOf(std::int64_t secretId) const {
        auto value = store().value(secretId);
        return value ? QString::fromUtf8(value->view()) : QStringLiteral("<no value>");
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup() {
        m_window.reset();
        static_cast<void>(coffer::ui::confirm::setHandler({}));
    }

    void actionsHaveShortcutsInTheEditMenu() {
        open("payments-api", "dev");
        const std::pair<const char*, QKeySequence> expected[] = {
            {"newSecretAction", QKeySequence(Qt::CTRL | Qt::Key_N)},
            {"renameSecretAction", QKeySequence(Qt::Key_F2)},
            {"deleteSecretAction", QKeySequence(Qt::Key_Delete)},
            {"copyValueAction", QKeySequence(Qt::CTRL | Qt::Key_C)},
            {"lockAction", QKeySequence(Qt::CTRL | Qt::Key_L)},
        };
        for (const auto& [name, shortcut] : expected) {
            QCOMPARE(action(name)->shortcut(), shortcut);
        }
        QStringList menuTexts;
        for (QAction* menu : m_window->menuBar()->actions()) {
            menuTexts << menu->text();
        }
        QVERIFY2(menuTexts.contains(QStringLiteral("&Edit")), qPrintable(menuTexts.join(QLatin1Char(' '))));
        QVERIFY(action("newSecretAction")->isEnabled());
        // Nothing selected: nothing to edit, rename, delete or copy.
        QVERIFY(!action("editSecretAction")->isEnabled());
        QVERIFY(!action("deleteSecretAction")->isEnabled());
        QVERIFY(!action("copyValueAction")->isEnabled());
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("REDIS_URL")));
        QVERIFY(action("deleteSecretAction")->isEnabled());
        QVERIFY(action("copyValueAction")->isEnabled());

        // Ctrl+C on the table copies through the guard.
        auto* table = child<QTableView>(*m_window, "secretTable");
        table->setFocus();
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("redis://localhost:6379/0"));
        QVERIFY(m_window->clipboard().isArmed());

        // Controls say what they are to screen readers.
        QCOMPARE(child<QPushButton>(*m_window, "revealButton")->accessibleName(), QStringLiteral("Reveal value"));
        QCOMPARE(child<QPushButton>(*m_window, "copyValueButton")->accessibleName(), QStringLiteral("Copy value"));
    }

    void addsASecret() {
        open("payments-api", "dev");
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 3);
        whenDialogOpens<SecretDialog>([](SecretDialog& dialog) {
            auto* name = child<QLineEdit>(dialog, "secretNameEdit");
            QVERIFY(!okButton(dialog, "secretDialogButtons")->isEnabled());
            name->setText(QStringLiteral("9_LIVES"));
            QVERIFY(!okButton(dialog, "secretDialogButtons")->isEnabled());
            QVERIFY(!child<QWidget>(dialog, "secretDialogBanner")->isHidden());
            name->setText(QStringLiteral("TLS_KEY"));
            QVERIFY(okButton(dialog, "secretDialogButtons")->isEnabled());
            child<QPlainTextEdit>(dialog, "secretValueEdit")
                ->setPlainText(QStringLiteral("-----BEGIN KEY-----\nMIIB\n-----END KEY-----"));
            child<QLineEdit>(dialog, "secretNoteEdit")->setText(QStringLiteral("Local TLS"));
            child<QLineEdit>(dialog, "secretTagsEdit")->setText(QStringLiteral("tls, , local,tls"));
            QTest::mouseClick(okButton(dialog, "secretDialogButtons"), Qt::LeftButton);
        });
        action("newSecretAction")->trigger();

        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 4);
        QCOMPARE(currentName(), QStringLiteral("TLS_KEY"));
        const auto* added = m_window->vaultPage().currentSecret();
        QCOMPARE(added->note, QStringLiteral("Local TLS"));
        QCOMPARE(added->tags, (QStringList{QStringLiteral("tls"), QStringLiteral("local")}));
        QCOMPARE(valueOf(added->id), QStringLiteral("-----BEGIN KEY-----\nMIIB\n-----END KEY-----"));
        QCOMPARE(child<QLabel>(*m_window, "detailName")->text(), QStringLiteral("TLS_KEY"));
        QVERIFY(child<QLabel>(*m_window, "statusCountsLabel")->text().contains(QStringLiteral("17 secrets")));

        // A name in use is refused in the dialog, which stays open.
        QString error;
        whenDialogOpens<SecretDialog>([&error](SecretDialog& dialog) {
            child<QLineEdit>(dialog, "secretNameEdit")->setText(QStringLiteral("REDIS_URL"));
            child<QPlainTextEdit>(dialog, "secretValueEdit")->setPlainText(QStringLiteral("x"));
            QTest::mouseClick(okButton(dialog, "secretDialogButtons"), Qt::LeftButton);
            whenDialogOpens<SecretDialog>([&error](SecretDialog& again) {
                error = child<QWidget>(again, "secretDialogBanner")->accessibleName();
                again.reject();
            });
        });
        action("newSecretAction")->trigger();
        QVERIFY2(error.contains(QStringLiteral("already exists")), qPrintable(error));
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 4);
        QCOMPARE(
            valueOf(store().secret(m_window->vaultPage().currentEnvironment()->id, QStringLiteral("REDIS_URL"))->id),
            QStringLiteral("redis://localhost:6379/0"));
    }

    void editsAndRenamesASecret() {
        open("payments-api", "dev");
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("DATABASE_URL")));
        const auto secretId = m_window->vaultPage().currentSecret()->id;
        const QString original = valueOf(secretId);

        // Note and tags only: the value is neither shown nor changed.
        whenDialogOpens<SecretDialog>([](SecretDialog& dialog) {
            QVERIFY(child<QLineEdit>(dialog, "secretNameEdit")->isReadOnly());
            QVERIFY(child<QPlainTextEdit>(dialog, "secretValueEdit")->toPlainText().isEmpty());
            QVERIFY(!child<QPlainTextEdit>(dialog, "secretValueEdit")->isEnabled());
            child<QLineEdit>(dialog, "secretNoteEdit")->setText(QStringLiteral("Postgres 16 in docker-compose"));
            child<QLineEdit>(dialog, "secretTagsEdit")->setText(QStringLiteral("database, local"));
            QTest::mouseClick(okButton(dialog, "secretDialogButtons"), Qt::LeftButton);
        });
        action("editSecretAction")->trigger();
        QCOMPARE(currentName(), QStringLiteral("DATABASE_URL"));
        QCOMPARE(m_window->vaultPage().currentSecret()->version, 2);
        QCOMPARE(child<QLabel>(*m_window, "detailNote")->text(), QStringLiteral("Postgres 16 in docker-compose"));
        QCOMPARE(child<QLabel>(*m_window, "detailTags")->text(), QStringLiteral("database, local"));
        QCOMPARE(valueOf(secretId), original);

        // A new value.
        whenDialogOpens<SecretDialog>([](SecretDialog& dialog) {
            child<QCheckBox>(dialog, "replaceValueCheck")->setChecked(true);
            QVERIFY(child<QPlainTextEdit>(dialog, "secretValueEdit")->isEnabled());
            child<QPlainTextEdit>(dialog, "secretValueEdit")->setPlainText(QStringLiteral("postgres://new"));
            QTest::mouseClick(okButton(dialog, "secretDialogButtons"), Qt::LeftButton);
        });
        action("editSecretAction")->trigger();
        QCOMPARE(valueOf(secretId), QStringLiteral("postgres://new"));
        QCOMPARE(m_window->vaultPage().currentSecret()->version, 3);
        QCOMPARE(m_window->vaultPage().currentSecret()->note, QStringLiteral("Postgres 16 in docker-compose"));

        // Rename (F2): the selection follows the secret, and history says what happened.
        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            auto* name = child<QLineEdit>(dialog, "nameEdit");
            QCOMPARE(name->text(), QStringLiteral("DATABASE_URL"));
            name->setText(QStringLiteral("bad name"));
            QVERIFY(!okButton(dialog, "nameDialogButtons")->isEnabled());
            name->setText(QStringLiteral("PRIMARY_DATABASE_URL"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
        });
        action("renameSecretAction")->trigger();
        QCOMPARE(currentName(), QStringLiteral("PRIMARY_DATABASE_URL"));
        QCOMPARE(m_window->vaultPage().currentSecret()->id, secretId);
        QCOMPARE(child<QLabel>(*m_window, "detailName")->text(), QStringLiteral("PRIMARY_DATABASE_URL"));
        QCOMPARE(
            m_window->vaultPage().detailPane()->historyModel()->index(0, HistoryModel::KindColumn).data().toString(),
            QStringLiteral("Renamed from DATABASE_URL"));
        QCOMPARE(valueOf(secretId), QStringLiteral("postgres://new"));
    }

    void deletesAndRestoresFromHistory() {
        open("payments-api", "dev");
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("REDIS_URL")));
        const auto secretId = m_window->vaultPage().currentSecret()->id;

        // Declined: still there.
        static_cast<void>(
            coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return false; }));
        action("deleteSecretAction")->trigger();
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 3);

        QString question;
        static_cast<void>(coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& text) {
            question = text;
            return true;
        }));
        action("deleteSecretAction")->trigger();
        QVERIFY(question.contains(QStringLiteral("REDIS_URL")));
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 2);
        QVERIFY(m_window->vaultPage().currentSecret() == nullptr);
        QCOMPARE(m_window->vaultPage().detailPane()->secretId(), 0);

        // Deleted secrets can be listed, struck out, and brought back from their history.
        action("showDeletedAction")->setChecked(true);
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 3);
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("REDIS_URL")));
        QVERIFY(m_window->vaultPage().currentSecret()->deleted);
        QVERIFY(!action("deleteSecretAction")->isEnabled());
        QVERIFY(!child<QPushButton>(*m_window, "revealButton")->isEnabled());
        auto* history = child<QTableView>(*m_window, "historyTable");
        QCOMPARE(history->model()->index(0, HistoryModel::KindColumn).data().toString(), QStringLiteral("Deleted"));
        history->selectRow(1);
        QTest::mouseClick(child<QPushButton>(*m_window, "restoreButton"), Qt::LeftButton);
        QCOMPARE(currentName(), QStringLiteral("REDIS_URL"));
        QVERIFY(!m_window->vaultPage().currentSecret()->deleted);
        QCOMPARE(valueOf(secretId), QStringLiteral("redis://localhost:6379/0"));

        action("showDeletedAction")->setChecked(false);
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 3);
        QCOMPARE(currentName(), QStringLiteral("REDIS_URL"));
    }

    void anEmptyVaultOffersANewProject() {
        const QString path = m_dir.filePath(QStringLiteral("empty.coffer"));
        QVERIFY(coffer::model::Vault::create(path, coffer::test::bytesOf(kPassword.toStdString()),
                                             coffer::model::KdfCost::minimum())
                    .has_value());
        m_window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(m_window != nullptr);
        auto* button = child<QPushButton>(*m_window, "emptyVaultNewProjectButton");
        QVERIFY(button->isVisible());
        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("payments-api"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
        });
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(m_window->vaultPage().projectModel()->rowCount(), 1);
        QVERIFY(!button->isVisible());
        QVERIFY(child<QTreeView>(*m_window, "projectTree")->isVisible());
        QCOMPARE(m_window->vaultPage().currentProject()->name, QStringLiteral("payments-api"));
    }

    void addsAProjectAndAnEnvironment() {
        open("payments-api", "dev");
        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            QVERIFY(child<QCheckBox>(dialog, "protectedCheck")->isHidden());
            child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("billing-worker"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
        });
        action("newProjectAction")->trigger();
        auto* tree = child<QTreeView>(*m_window, "projectTree");
        QCOMPARE(tree->model()->rowCount(), 3);
        QCOMPARE(m_window->vaultPage().currentProject()->name, QStringLiteral("billing-worker"));
        QVERIFY(m_window->vaultPage().currentEnvironment() == nullptr);
        QVERIFY(!action("newSecretAction")->isEnabled());

        // "production" is protected by default; "qa" is not, and a choice by hand sticks.
        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            auto* name = child<QLineEdit>(dialog, "nameEdit");
            auto* protect = child<QCheckBox>(dialog, "protectedCheck");
            QVERIFY(!protect->isHidden());
            name->setText(QStringLiteral("qa"));
            QVERIFY(!protect->isChecked());
            name->setText(QStringLiteral("production"));
            QVERIFY(protect->isChecked());
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
        });
        action("newEnvironmentAction")->trigger();
        const auto* production = m_window->vaultPage().currentEnvironment();
        QVERIFY(production != nullptr);
        QCOMPARE(production->name, QStringLiteral("production"));
        QVERIFY(production->isProtected);
        QVERIFY(child<QWidget>(*m_window, "protectedBadge")->isVisible());
        QVERIFY(child<QLabel>(*m_window, "secretHint")->text().contains(QStringLiteral("New Secret")));
        QVERIFY(action("newSecretAction")->isEnabled());
        QVERIFY(child<QLabel>(*m_window, "statusCountsLabel")->text().contains(QStringLiteral("3 projects")));
    }
};

QTEST_MAIN(TestEditing)
#include "TestEditing.moc"
