// SPDX-License-Identifier: Apache-2.0
// Projects and environments (rename, move, remove, protect, colour) and secrets between environments
// (duplicate, copy to, move to), through the real window on the sample vault.
#include "model/Store.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/Confirm.h"
#include "ui/MainWindow.h"
#include "ui/NameDialog.h"
#include "ui/ProjectTreeModel.h"
#include "ui/SecretDetailPane.h"
#include "ui/SecretTableModel.h"
#include "ui/TransferDialog.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using coffer::test::child;
using coffer::test::whenDialogOpens;
using coffer::ui::MainWindow;
using coffer::ui::NameDialog;
using coffer::ui::TransferDialog;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

QPushButton* okButton(const QDialog& dialog, const char* buttonsName) {
    return child<QDialogButtonBox>(dialog, buttonsName)->button(QDialogButtonBox::Ok);
}

} // namespace

class TestScopes : public QObject {
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
        QVERIFY(page().selectEnvironment(QString::fromLatin1(project), QString::fromLatin1(environment)));
    }

    [[nodiscard]] coffer::ui::VaultPage& page() const { return m_window->vaultPage(); }
    [[nodiscard]] QAction* action(const char* name) const { return child<QAction>(*m_window, name); }
    [[nodiscard]] coffer::model::Store& store() const { return *m_window->session().store(); }
    [[nodiscard]] QTreeView* tree() const { return child<QTreeView>(*m_window, "projectTree"); }

    [[nodiscard]] std::int64_t environmentId(const char* project, const char* environment) const {
        auto p = store().project(QString::fromLatin1(project));
        if (!p) {
            return 0;
        }
        auto e = store().environment(p->id, QString::fromLatin1(environment));
        return e ? e->id : 0;
    }
    [[nodiscard]] QString valueIn(const char* project, const char* environment, const char* name) const {
        auto secret = store().secret(environmentId(project, environment), QString::fromLatin1(name));
        if (!secret) {
            return QStringLiteral("<missing>");
        }
        auto value = store().value(secret->id);
        return value ? QString::fromUtf8(value->view()) : QStringLiteral("<no value>");
    }
    [[nodiscard]] QStringList treeEnvironments(int projectRow) const {
        QStringList names;
        const QModelIndex parent = tree()->model()->index(projectRow, 0);
        for (int row = 0; row < tree()->model()->rowCount(parent); ++row) {
            names << tree()->model()->index(row, 0, parent).data().toString();
        }
        return names;
    }
    void selectSecrets(const QStringList& names) {
        auto* table = child<QTableView>(*m_window, "secretTable");
        QVERIFY(page().selectSecret(names.first()));
        for (const QString& name : names.mid(1)) {
            bool found = false;
            for (int row = 0; row < table->model()->rowCount(); ++row) {
                const QModelIndex index = table->model()->index(row, 0);
                if (index.data().toString() == name) {
                    table->selectionModel()->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
                    found = true;
                }
            }
            QVERIFY2(found, qPrintable(name));
        }
        QCOMPARE(static_cast<qsizetype>(page().selectedSecrets().size()), names.size());
    }
    static void answerConfirmations(bool answer, QString* lastText = nullptr) {
        static_cast<void>(
            coffer::ui::confirm::setHandler([answer, lastText](QWidget*, const QString&, const QString& text) {
                if (lastText != nullptr) {
                    *lastText = text;
                }
                return answer;
            }));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup() {
        m_window.reset();
        static_cast<void>(coffer::ui::confirm::setHandler({}));
    }

    void renamesAProjectAndAnEnvironment() {
        open("payments-api", "staging");
        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            auto* name = child<QLineEdit>(dialog, "nameEdit");
            QCOMPARE(name->text(), QStringLiteral("staging"));
            name->setText(QStringLiteral("bad name!"));
            QVERIFY(!okButton(dialog, "nameDialogButtons")->isEnabled());
            name->setText(QStringLiteral("preprod"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
        });
        QCOMPARE(action("renameScopeAction")->text(), QStringLiteral("Ren&ame Environment…"));
        action("renameScopeAction")->trigger();
        QCOMPARE(page().currentEnvironment()->name, QStringLiteral("preprod"));
        QCOMPARE(treeEnvironments(0),
                 (QStringList{QStringLiteral("dev"), QStringLiteral("preprod"), QStringLiteral("prod")}));
        QCOMPARE(page().secretModel()->rowCount(), 3); // the secrets went with it

        QVERIFY(page().selectProject(QStringLiteral("web-frontend")));
        QCOMPARE(action("renameScopeAction")->text(), QStringLiteral("Ren&ame Project…"));
        // A name in use: the error shows in the dialog, which stays open.
        QString error;
        whenDialogOpens<NameDialog>([&error](NameDialog& dialog) {
            child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("payments-api"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
            whenDialogOpens<NameDialog>([&error](NameDialog& again) {
                error = child<QWidget>(again, "nameDialogBanner")->accessibleName();
                child<QLineEdit>(again, "nameEdit")->setText(QStringLiteral("storefront"));
                QTest::mouseClick(okButton(again, "nameDialogButtons"), Qt::LeftButton);
            });
        });
        action("renameScopeAction")->trigger();
        QVERIFY2(!error.isEmpty(), "no error shown for a name in use");
        QCOMPARE(page().currentProject()->name, QStringLiteral("storefront"));
        QVERIFY(page().currentEnvironment() == nullptr);
        QVERIFY(store().project(QStringLiteral("storefront")).has_value());
        QVERIFY(!store().project(QStringLiteral("web-frontend")).has_value());
    }

    void movesAnEnvironmentUpWithAltUp() {
        open("payments-api", "prod");
        QVERIFY(!action("moveScopeDownAction")->isEnabled()); // last already
        tree()->setFocus();
        QTest::keyClick(tree(), Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(treeEnvironments(0),
                 (QStringList{QStringLiteral("dev"), QStringLiteral("prod"), QStringLiteral("staging")}));
        QCOMPARE(page().currentEnvironment()->name, QStringLiteral("prod"));
        QCOMPARE(
            store().environment(store().project(QStringLiteral("payments-api"))->id, QStringLiteral("prod"))->position,
            1);
        action("moveScopeUpAction")->trigger();
        QCOMPARE(treeEnvironments(0).first(), QStringLiteral("prod"));
        QVERIFY(!action("moveScopeUpAction")->isEnabled());
        QCOMPARE(store().environments(store().project(QStringLiteral("payments-api"))->id)->front().name,
                 QStringLiteral("prod"));

        // Projects move the same way.
        QVERIFY(page().selectProject(QStringLiteral("web-frontend")));
        QTest::keyClick(tree(), Qt::Key_Up, Qt::AltModifier);
        QCOMPARE(store().projects()->front().name, QStringLiteral("web-frontend"));
        QCOMPARE(tree()->model()->index(0, 0).data().toString(), QStringLiteral("web-frontend"));
        QCOMPARE(page().currentProject()->name, QStringLiteral("web-frontend"));
    }

    void removesAnEnvironmentAfterSayingWhatGoes() {
        open("payments-api", "staging");
        QString question;
        answerConfirmations(false, &question);
        action("removeScopeAction")->trigger();
        QCOMPARE(question, QStringLiteral("payments-api \u203a staging holds 3 secrets and 3 versions; they will be "
                                          "removed with their history. This cannot be undone."));
        QCOMPARE(treeEnvironments(0).size(), 3);
        QVERIFY(environmentId("payments-api", "staging") != 0);

        answerConfirmations(true);
        action("removeScopeAction")->trigger();
        QCOMPARE(treeEnvironments(0), (QStringList{QStringLiteral("dev"), QStringLiteral("prod")}));
        QCOMPARE(environmentId("payments-api", "staging"), 0);
        QCOMPARE(page().currentEnvironment()->name, QStringLiteral("dev")); // the one above takes the selection
        QVERIFY(child<QLabel>(*m_window, "statusCountsLabel")->text().contains(QStringLiteral("13 secrets")));
    }

    void aProtectedEnvironmentNeedsItsNameTyped() {
        open("payments-api", "prod");
        answerConfirmations(true);
        // A wrong name keeps the dialog open; cancelling keeps prod.
        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            QCOMPARE(dialog.objectName(), QStringLiteral("typeToConfirmDialog"));
            child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("staging"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
            whenDialogOpens<NameDialog>([](NameDialog& again) { again.reject(); });
        });
        action("removeScopeAction")->trigger();
        QVERIFY(environmentId("payments-api", "prod") != 0);

        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("prod"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
        });
        action("removeScopeAction")->trigger();
        QCOMPARE(environmentId("payments-api", "prod"), 0);
    }

    void removesAProjectWithItsCounts() {
        open("web-frontend", "dev");
        QVERIFY(page().selectProject(QStringLiteral("web-frontend")));
        QCOMPARE(action("removeScopeAction")->text(), QStringLiteral("Re&move Project…"));
        QString question;
        answerConfirmations(true, &question);
        whenDialogOpens<NameDialog>([](NameDialog& dialog) {
            child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("web-frontend"));
            QTest::mouseClick(okButton(dialog, "nameDialogButtons"), Qt::LeftButton);
        });
        action("removeScopeAction")->trigger();
        QVERIFY2(question.startsWith(QStringLiteral("web-frontend holds 3 environments, 5 secrets and ")),
                 qPrintable(question));
        QCOMPARE(tree()->model()->rowCount(), 1);
        QVERIFY(!store().project(QStringLiteral("web-frontend")).has_value());
        QCOMPARE(page().currentProject()->name, QStringLiteral("payments-api"));
    }

    void protectsAndColoursAnEnvironment() {
        open("payments-api", "staging");
        QVERIFY(!action("protectedScopeAction")->isChecked());
        action("protectedScopeAction")->trigger();
        QVERIFY(store()
                    .environment(store().project(QStringLiteral("payments-api"))->id, QStringLiteral("staging"))
                    ->isProtected);
        QVERIFY(page().currentEnvironment()->isProtected);
        QVERIFY(child<QWidget>(*m_window, "protectedBadge")->isVisible());
        QVERIFY(action("protectedScopeAction")->isChecked());

        action("colour3b78d8Action")->trigger();
        QCOMPARE(page().currentEnvironment()->colour, QStringLiteral("#3b78d8"));
        const QImage chip = tree()->currentIndex().data(Qt::DecorationRole).value<QIcon>().pixmap(32).toImage();
        QCOMPARE(chip.pixelColor(8, 8).name(), QStringLiteral("#3b78d8"));
        action("colourDefaultAction")->trigger();
        QVERIFY(page().currentEnvironment()->colour.isEmpty());

        // Nothing to colour or protect on a project.
        QVERIFY(page().selectProject(QStringLiteral("payments-api")));
        QVERIFY(!action("protectedScopeAction")->isEnabled());
        QVERIFY(!child<QMenu>(*m_window, "colourMenu")->menuAction()->isEnabled());
    }

    void theTreeHasAContextMenu() {
        open("payments-api", "dev");
        const QList<QAction*> actions = tree()->actions();
        QCOMPARE(tree()->contextMenuPolicy(), Qt::ActionsContextMenu);
        for (const char* name : {"renameScopeAction", "moveScopeUpAction", "moveScopeDownAction", "removeScopeAction",
                                 "protectedScopeAction", "colourMenuAction"}) {
            QVERIFY2(actions.contains(action(name)), name);
        }
    }

    void duplicatesASecretIntoAnotherProject() {
        open("payments-api", "dev");
        QVERIFY(page().selectSecret(QStringLiteral("REDIS_URL")));
        whenDialogOpens<TransferDialog>([](TransferDialog& dialog) {
            QVERIFY(!okButton(dialog, "transferDialogButtons")->isEnabled());
            QVERIFY(!dialog.selectTarget(QStringLiteral("payments-api"), QStringLiteral("dev"))); // the source
            QVERIFY(dialog.selectTarget(QStringLiteral("web-frontend"), QStringLiteral("staging")));
            QVERIFY(okButton(dialog, "transferDialogButtons")->isEnabled());
            QVERIFY(dialog.conflicts().isEmpty());
            QTest::mouseClick(okButton(dialog, "transferDialogButtons"), Qt::LeftButton);
        });
        QTest::keyClick(m_window.get(), Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(valueIn("web-frontend", "staging", "REDIS_URL"), QStringLiteral("redis://localhost:6379/0"));
        QCOMPARE(store().secret(environmentId("web-frontend", "staging"), QStringLiteral("REDIS_URL"))->tags,
                 QStringList{QStringLiteral("cache")});
        QCOMPARE(valueIn("payments-api", "dev", "REDIS_URL"), QStringLiteral("redis://localhost:6379/0"));
        QCOMPARE(page().currentSecret()->name, QStringLiteral("REDIS_URL"));
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("web-frontend \u203a staging")));
    }

    void copiesTwoSecretsSkippingOrOverwritingOneThatExists() {
        open("payments-api", "dev");
        selectSecrets({QStringLiteral("REDIS_URL"), QStringLiteral("STRIPE_SECRET_KEY")});
        // The detail pane still follows the current row.
        QCOMPARE(page().detailPane()->secretId(), page().currentSecret()->id);

        whenDialogOpens<TransferDialog>([](TransferDialog& dialog) {
            QVERIFY(dialog.selectTarget(QStringLiteral("payments-api"), QStringLiteral("staging")));
            QCOMPARE(dialog.conflicts(), QStringList{QStringLiteral("STRIPE_SECRET_KEY")});
            QVERIFY(
                child<QLabel>(dialog, "transferConflictText")->text().contains(QStringLiteral("STRIPE_SECRET_KEY")));
            QVERIFY(child<QRadioButton>(dialog, "skipRadio")->isChecked());
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("copy-to")));
            const QPalette light = dialog.palette();
            dialog.setPalette(coffer::test::darkPalette());
            QVERIFY(coffer::test::saveScreenshot(dialog, QStringLiteral("copy-to-dark")));
            dialog.setPalette(light);
            QTest::mouseClick(okButton(dialog, "transferDialogButtons"), Qt::LeftButton);
        });
        action("copySecretsToAction")->trigger();
        QCOMPARE(valueIn("payments-api", "staging", "REDIS_URL"), QStringLiteral("redis://localhost:6379/0"));
        QCOMPARE(valueIn("payments-api", "staging", "STRIPE_SECRET_KEY"), QStringLiteral("sk_test_51HxStagingKey"));
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("skipped STRIPE_SECRET_KEY")));

        // Into a protected environment: asked first; declining keeps the dialog open and changes nothing.
        QString question;
        answerConfirmations(false, &question);
        whenDialogOpens<TransferDialog>([](TransferDialog& dialog) {
            QVERIFY(dialog.selectTarget(QStringLiteral("payments-api"), QStringLiteral("prod")));
            QTest::mouseClick(okButton(dialog, "transferDialogButtons"), Qt::LeftButton);
            whenDialogOpens<TransferDialog>([](TransferDialog& again) { again.reject(); });
        });
        action("copySecretsToAction")->trigger();
        QVERIFY2(question.contains(QStringLiteral("protected")), qPrintable(question));
        QCOMPARE(valueIn("payments-api", "prod", "REDIS_URL"), QStringLiteral("<missing>"));

        selectSecrets({QStringLiteral("REDIS_URL"), QStringLiteral("STRIPE_SECRET_KEY")});
        whenDialogOpens<TransferDialog>([](TransferDialog& dialog) {
            QVERIFY(dialog.selectTarget(QStringLiteral("payments-api"), QStringLiteral("staging")));
            QCOMPARE(dialog.conflicts().size(), 2);
            child<QRadioButton>(dialog, "overwriteRadio")->setChecked(true);
            QTest::mouseClick(okButton(dialog, "transferDialogButtons"), Qt::LeftButton);
        });
        // The modal dialogs took the focus; shortcuts reach only the active window.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window.get(), Qt::Key_Y, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(valueIn("payments-api", "staging", "STRIPE_SECRET_KEY"),
                 QStringLiteral("sk_test_51HxDevKeyDoNotUseInProd"));
        QCOMPARE(store().secret(environmentId("payments-api", "staging"), QStringLiteral("STRIPE_SECRET_KEY"))->version,
                 2);
    }

    void movesTwoSecretsLeavingRestorableDeletions() {
        open("payments-api", "dev");
        selectSecrets({QStringLiteral("DATABASE_URL"), QStringLiteral("REDIS_URL")});
        const auto sourceId = store().secret(environmentId("payments-api", "dev"), QStringLiteral("REDIS_URL"))->id;
        whenDialogOpens<TransferDialog>([](TransferDialog& dialog) {
            QVERIFY(dialog.selectTarget(QStringLiteral("web-frontend"), QStringLiteral("dev")));
            QVERIFY(dialog.conflicts().isEmpty());
            QTest::mouseClick(okButton(dialog, "transferDialogButtons"), Qt::LeftButton);
        });
        QTest::keyClick(m_window.get(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(valueIn("web-frontend", "dev", "REDIS_URL"), QStringLiteral("redis://localhost:6379/0"));
        QCOMPARE(valueIn("web-frontend", "dev", "DATABASE_URL"),
                 QStringLiteral("postgres://payments:devpass@localhost:5432/payments"));
        QCOMPARE(page().secretModel()->rowCount(), 1); // only STRIPE_SECRET_KEY stays in the source
        auto moved = store().secretById(sourceId);
        QVERIFY(moved->deleted);
        QVERIFY(store().restoreVersion(sourceId, 1).has_value());
        QCOMPARE(valueIn("payments-api", "dev", "REDIS_URL"), QStringLiteral("redis://localhost:6379/0"));
    }

    void screenshotOfTheRemoveConfirmation() {
        open("payments-api", "staging");
        whenDialogOpens<QMessageBox>([](QMessageBox& box) {
            QVERIFY(box.text().contains(QStringLiteral("3 secrets and 3 versions")));
            QVERIFY(coffer::test::saveScreenshot(box, QStringLiteral("remove-environment")));
            box.reject();
        });
        action("removeScopeAction")->trigger();
        QVERIFY(environmentId("payments-api", "staging") != 0);
    }
};

QTEST_MAIN(TestScopes)
#include "TestScopes.moc"
