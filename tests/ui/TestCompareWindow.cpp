// SPDX-License-Identifier: Apache-2.0
// View › Compare Environments through the real main window on the sample vault: the matrix of names ×
// environments (under QAbstractItemModelTester), its filter, copying a missing secret across, jumping to a
// secret, never a value in the model; and the screenshots "compare" and "compare-dark".
#include "model/Store.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/CompareDialog.h"
#include "ui/CompareModel.h"
#include "ui/Confirm.h"
#include "ui/MainWindow.h"
#include "ui/MessageBanner.h"
#include "ui/SecretTableModel.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using coffer::test::child;
using coffer::ui::CompareDialog;
using coffer::ui::CompareModel;
using coffer::ui::MainWindow;
using Kind = coffer::ui::CompareModel::CellKind;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

} // namespace

class TestCompareWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_vaults = 0;
    QPalette m_lightPalette;
    std::unique_ptr<MainWindow> m_window;
    CompareDialog* m_dialog = nullptr;

    [[nodiscard]] coffer::model::Store& store() const { return *m_window->session().store(); }
    [[nodiscard]] CompareModel& model() const { return *m_dialog->model(); }
    [[nodiscard]] QTableView* table() const { return child<QTableView>(*m_dialog, "compareTable"); }

    std::int64_t environmentId(const char* environment) const {
        const auto project = store().project(QStringLiteral("payments-api")).value();
        return store().environment(project.id, QString::fromLatin1(environment)).value().id;
    }

    void set(const char* environment, const char* name, std::string_view value) {
        QVERIFY(store()
                    .setSecret(environmentId(environment), QString::fromLatin1(name), coffer::test::bytesOf(value))
                    .has_value());
    }

    // The sample vault's payments-api, plus LOG_LEVEL equal everywhere and FEATURE_FLAGS equal in dev and staging
    // only; then Ctrl+K on dev opens the window.
    void openCompare() {
        const QString path = m_dir.filePath(QStringLiteral("vault%1.coffer").arg(++m_vaults));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        m_window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(m_window != nullptr);
        for (const char* environment : {"dev", "staging", "prod"}) {
            set(environment, "LOG_LEVEL", "log-level-verbose");
        }
        set("dev", "FEATURE_FLAGS", "flags-beta-on");
        set("staging", "FEATURE_FLAGS", "flags-beta-on");
        set("prod", "FEATURE_FLAGS", "flags-all-off");
        QVERIFY(m_window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));
        auto* action = child<QAction>(*m_window, "compareEnvironmentsAction");
        QVERIFY(action->isEnabled());
        QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
        m_dialog = m_window->findChild<CompareDialog*>(QStringLiteral("compareDialog"));
        QVERIFY(m_dialog != nullptr);
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog));
        QCOMPARE(m_dialog->projectName(), QStringLiteral("payments-api"));
    }

    int row(const QString& name) const {
        for (int r = 0; r < model().rowCount(); ++r) {
            if (model().index(r, CompareModel::NameColumn).data().toString() == name) {
                return r;
            }
        }
        return -1;
    }

    int column(const char* environment) const {
        for (int c = 1; c < model().columnCount(); ++c) {
            if (model().headerData(c, Qt::Horizontal).toString() == QLatin1StringView(environment)) {
                return c;
            }
        }
        return -1;
    }

    QModelIndex cell(const char* name, const char* environment) const {
        return model().index(row(QString::fromLatin1(name)), column(environment));
    }

    Kind kind(const char* name, const char* environment) const {
        return static_cast<Kind>(cell(name, environment).data(CompareModel::CellKindRole).toInt());
    }

    QString text(const char* name, const char* environment, int role = Qt::DisplayRole) const {
        return cell(name, environment).data(role).toString();
    }

    // Selects exactly `indexes` in the table.
    void select(const QModelIndexList& indexes) const {
        QItemSelection selection;
        for (const QModelIndex& index : indexes) {
            selection.select(index, index);
        }
        table()->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        table()->selectionModel()->setCurrentIndex(indexes.front(), QItemSelectionModel::NoUpdate);
    }

    QAction* copyFrom(const char* environment) const {
        return m_dialog->findChild<QAction*>(QStringLiteral("copyFrom_%1").arg(QLatin1StringView(environment)));
    }

    QString valueOf(const char* environment, const char* name) const {
        auto secret = store().secret(environmentId(environment), QString::fromLatin1(name));
        if (!secret) {
            return QStringLiteral("<missing>");
        }
        auto value = store().value(secret->id);
        return value ? QString::fromUtf8(value->view()) : QStringLiteral("<no value>");
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QApplication::setStyle(QStringLiteral("Fusion"));
        m_lightPalette = QApplication::style()->standardPalette();
        QApplication::setPalette(m_lightPalette);
    }

    void cleanup() {
        m_dialog = nullptr;
        m_window.reset();
        QApplication::setPalette(m_lightPalette);
        static_cast<void>(coffer::ui::confirm::setHandler({}));
    }

    void actionIsInTheViewMenuWithItsShortcut() {
        openCompare();
        auto* action = child<QAction>(*m_window, "compareEnvironmentsAction");
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_K));
        QVERIFY(m_window->viewMenu()->actions().contains(action));
        QVERIFY(action->toolTip().contains(QKeySequence(Qt::CTRL | Qt::Key_K).toString(QKeySequence::NativeText)));
        QVERIFY(!m_dialog->isModal());
        // A project alone is enough.
        QVERIFY(m_window->vaultPage().selectProject(QStringLiteral("web-frontend")));
        QVERIFY(action->isEnabled());
        action->trigger();
        QCOMPARE(m_dialog->projectName(), QStringLiteral("web-frontend"));
        QCOMPARE(child<QComboBox>(*m_dialog, "compareProjectCombo")->count(), 2);
        // Locking hides the window, forgets the matrix and disables the action.
        child<QAction>(*m_window, "lockAction")->trigger();
        QVERIFY(!m_window->session().isOpen());
        QVERIFY(!m_dialog->isVisible());
        QCOMPARE(model().rowCount(), 0);
        QVERIFY(!action->isEnabled());
    }

    void matrixShowsMissingEqualAndDifferent() {
        openCompare();
        QAbstractItemModelTester tester(&model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model().columnCount(), 4);
        QCOMPARE(model().headerData(0, Qt::Horizontal).toString(), QStringLiteral("Secret"));
        QCOMPARE(column("dev"), 1);
        QCOMPARE(column("prod"), 3);
        QVERIFY(model().headerData(3, Qt::Horizontal, CompareModel::ProtectedRole).toBool());
        QVERIFY(!model().headerData(1, Qt::Horizontal, CompareModel::ProtectedRole).toBool());
        QVERIFY(!model().headerData(1, Qt::Horizontal, Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(
            model().headerData(3, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("protected")));

        // The sample's 6 names and the 2 added, sorted.
        QCOMPARE(model().rowCount(), 8);
        QCOMPARE(model().index(0, 0).data().toString(), QStringLiteral("DATABASE_URL"));
        QCOMPARE(model().index(1, 0).data().toString(), QStringLiteral("FEATURE_FLAGS"));

        // Three different database URLs.
        for (const char* environment : {"dev", "staging", "prod"}) {
            QCOMPARE(kind("DATABASE_URL", environment), Kind::Differs);
        }
        QCOMPARE(text("DATABASE_URL", "dev"), QStringLiteral("\u2260 differs"));
        QCOMPARE(text("DATABASE_URL", "prod", Qt::ToolTipRole),
                 QStringLiteral("Different from all others (dev and staging)"));
        // Equal everywhere.
        for (const char* environment : {"dev", "staging", "prod"}) {
            QCOMPARE(kind("LOG_LEVEL", environment), Kind::Same);
            QCOMPARE(text("LOG_LEVEL", environment), QStringLiteral("= A"));
        }
        QCOMPARE(text("LOG_LEVEL", "staging", Qt::ToolTipRole), QStringLiteral("Same value in every environment"));
        // Equal in two, different in the third.
        QCOMPARE(kind("FEATURE_FLAGS", "dev"), Kind::Same);
        QCOMPARE(text("FEATURE_FLAGS", "staging"), QStringLiteral("= A"));
        QCOMPARE(text("FEATURE_FLAGS", "dev", Qt::ToolTipRole), QStringLiteral("Same value as staging"));
        QCOMPARE(kind("FEATURE_FLAGS", "prod"), Kind::Differs);
        QCOMPARE(cell("FEATURE_FLAGS", "dev").data(CompareModel::GroupRole).toInt(),
                 cell("FEATURE_FLAGS", "staging").data(CompareModel::GroupRole).toInt());
        // Missing somewhere.
        QCOMPARE(kind("REDIS_URL", "dev"), Kind::OnlyHere);
        QCOMPARE(text("REDIS_URL", "dev", Qt::ToolTipRole), QStringLiteral("Only in dev; missing in staging and prod"));
        QCOMPARE(kind("REDIS_URL", "staging"), Kind::Missing);
        QCOMPARE(text("REDIS_URL", "staging"), QStringLiteral("\u2014"));
        QCOMPARE(text("REDIS_URL", "prod", Qt::ToolTipRole), QStringLiteral("Missing in prod (dev has it)"));
        QCOMPARE(kind("STRIPE_WEBHOOK_SECRET", "dev"), Kind::Missing);
        QCOMPARE(text("STRIPE_WEBHOOK_SECRET", "dev", Qt::ToolTipRole),
                 QStringLiteral("Missing in dev (staging and prod have it)"));
        QCOMPARE(kind("STRIPE_WEBHOOK_SECRET", "staging"), Kind::Differs);
        QCOMPARE(cell("STRIPE_WEBHOOK_SECRET", "dev").data(CompareModel::SecretIdRole).toLongLong(), 0);
        QVERIFY(cell("STRIPE_WEBHOOK_SECRET", "prod").data(CompareModel::SecretIdRole).toLongLong() > 0);
        QVERIFY(child<QLabel>(*m_dialog, "compareSummary")->text().startsWith(QStringLiteral("8 secrets")));

        // Only differences hides the row that is the same everywhere, and only that one.
        auto* onlyDifferences = child<QCheckBox>(*m_dialog, "compareOnlyDifferences");
        onlyDifferences->setChecked(true);
        QCOMPARE(model().rowCount(), 7);
        QCOMPARE(row(QStringLiteral("LOG_LEVEL")), -1);
        QVERIFY(row(QStringLiteral("FEATURE_FLAGS")) >= 0);
        onlyDifferences->setChecked(false);
        QCOMPARE(model().rowCount(), 8);
    }

    void neverShowsAValue() {
        openCompare();
        QStringList values;
        const auto project = store().project(QStringLiteral("payments-api")).value();
        const auto environments = store().environments(project.id).value();
        for (const auto& environment : environments) {
            const auto secrets = store().secrets(environment.id).value();
            for (const auto& secret : secrets) {
                values << QString::fromUtf8(store().value(secret.id).value().view());
            }
        }
        QCOMPARE(values.size(), 11 + 3 + 3);
        const int roles[] = {Qt::DisplayRole,   Qt::ToolTipRole,        Qt::StatusTipRole,
                             Qt::WhatsThisRole, Qt::AccessibleTextRole, Qt::AccessibleDescriptionRole,
                             Qt::EditRole};
        QStringList shown;
        for (int r = 0; r < model().rowCount(); ++r) {
            for (int c = 0; c < model().columnCount(); ++c) {
                for (const int role : roles) {
                    shown << model().index(r, c).data(role).toString();
                }
            }
        }
        for (int c = 0; c < model().columnCount(); ++c) {
            for (const int role : roles) {
                shown << model().headerData(c, Qt::Horizontal, role).toString();
            }
        }
        shown << child<QLabel>(*m_dialog, "compareSummary")->text();
        for (const QString& value : values) {
            for (const QString& text : shown) {
                QVERIFY2(!text.contains(value), qPrintable(QStringLiteral("a value shows in \"%1\"").arg(text)));
            }
        }
    }

    void copiesAMissingSecretAcross() {
        openCompare();
        QAbstractItemModelTester tester(&model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto source = store().secret(environmentId("dev"), QStringLiteral("REDIS_URL")).value();
        auto* copyButton = child<QPushButton>(*m_dialog, "compareCopyButton");
        // A present cell has nothing to copy.
        select({cell("REDIS_URL", "dev")});
        QVERIFY(!copyButton->isEnabled());
        // Missing in staging: dev has it.
        select({cell("REDIS_URL", "staging")});
        QVERIFY(copyButton->isEnabled());
        QVERIFY(copyFrom("dev") != nullptr);
        QVERIFY(copyFrom("prod") == nullptr);
        copyFrom("dev")->trigger();

        QCOMPARE(kind("REDIS_URL", "staging"), Kind::Same);
        QCOMPARE(kind("REDIS_URL", "dev"), Kind::Same);
        QCOMPARE(valueOf("staging", "REDIS_URL"), QStringLiteral("redis://localhost:6379/0"));
        const auto copied = store().secret(environmentId("staging"), QStringLiteral("REDIS_URL")).value();
        QCOMPARE(copied.tags, source.tags);
        QCOMPARE(copied.note, source.note);
        auto* banner = child<coffer::ui::MessageBanner>(*m_dialog, "compareBanner");
        QCOMPARE(banner->text(), QStringLiteral("Copied REDIS_URL from dev to staging."));
        // The selection stays on the copied cell, which has nothing left to copy.
        QVERIFY(table()->selectionModel()->isSelected(cell("REDIS_URL", "staging")));
        QVERIFY(!copyButton->isEnabled());

        // Into a protected environment only after a confirmation; declining copies nothing.
        QStringList asked;
        bool answer = false;
        static_cast<void>(coffer::ui::confirm::setHandler([&](QWidget*, const QString&, const QString& question) {
            asked << question;
            return answer;
        }));
        select({cell("REDIS_URL", "prod")});
        QVERIFY(copyFrom("staging") != nullptr);
        copyFrom("staging")->trigger();
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.front().contains(QStringLiteral("prod is protected")), qPrintable(asked.front()));
        QCOMPARE(kind("REDIS_URL", "prod"), Kind::Missing);
        QCOMPARE(valueOf("prod", "REDIS_URL"), QStringLiteral("<missing>"));
        answer = true;
        copyFrom("staging")->trigger();
        QCOMPARE(asked.size(), 2);
        QCOMPARE(valueOf("prod", "REDIS_URL"), QStringLiteral("redis://localhost:6379/0"));
        QVERIFY(model().compareRow(row(QStringLiteral("REDIS_URL")))->allEqual());

        // Several missing cells of one column at once, in one go.
        select({cell("JWT_SIGNING_KEY", "dev"), cell("SENTRY_DSN", "dev")});
        QVERIFY(copyFrom("prod") != nullptr);
        QVERIFY(copyFrom("staging") == nullptr); // staging has neither
        copyFrom("prod")->trigger();
        QCOMPARE(asked.size(), 2); // dev is not protected
        QCOMPARE(kind("JWT_SIGNING_KEY", "dev"), Kind::Same);
        QCOMPARE(valueOf("dev", "SENTRY_DSN"), QStringLiteral("https://abc123@o1.ingest.sentry.io/42"));
        // Cells of two columns, or a present one among them: nothing to copy.
        select({cell("STRIPE_WEBHOOK_SECRET", "dev"), cell("JWT_SIGNING_KEY", "staging")});
        QVERIFY(!copyButton->isEnabled());

        // The main window shows dev, where the copies went, and its counts follow.
        QVERIFY(m_window->vaultPage().secretModel() != nullptr);
        QCOMPARE(m_window->vaultPage().currentEnvironment()->name, QStringLiteral("dev"));
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 3 + 2 + 2);
        QVERIFY(child<QLabel>(*m_window, "statusCountsLabel")->text().contains(QStringLiteral("26 secrets")));
    }

    void activatingACellShowsTheSecret() {
        openCompare();
        auto* view = table();
        const QModelIndex stagingKey = cell("STRIPE_SECRET_KEY", "staging");
        view->scrollTo(stagingKey);
        // A real double-click: press and release, then the double-click event (QTest::mouseDClick sends only that).
        const QPoint centre = view->visualRect(stagingKey).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, centre);
        const auto& page = m_window->vaultPage();
        QCOMPARE(page.currentEnvironment()->name, QStringLiteral("staging"));
        QVERIFY(page.currentSecret() != nullptr);
        QCOMPARE(page.currentSecret()->name, QStringLiteral("STRIPE_SECRET_KEY"));
        QVERIFY(m_dialog->isVisible()); // it stays open

        // Enter on the name column: the first environment that has it.
        view->setFocus();
        view->setCurrentIndex(model().index(row(QStringLiteral("SENTRY_DSN")), CompareModel::NameColumn));
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(page.currentEnvironment()->name, QStringLiteral("prod"));
        QCOMPARE(page.currentSecret()->name, QStringLiteral("SENTRY_DSN"));
        QVERIFY(m_dialog->isVisible());

        // A missing cell shows nothing: the main window keeps its selection.
        view->setCurrentIndex(cell("SENTRY_DSN", "dev"));
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(page.currentEnvironment()->name, QStringLiteral("prod"));
        if (auto* menu = child<QMenu>(*m_dialog, "compareCopyMenu"); menu->isVisible()) {
            menu->close();
        }
    }

    void editsShowWhenTheWindowIsActivatedAgain() {
        openCompare();
        QAbstractItemModelTester tester(&model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(kind("FEATURE_FLAGS", "prod"), Kind::Differs);
        set("prod", "FEATURE_FLAGS", "flags-beta-on");
        // Another window takes the focus, then the compare window gets it back.
        QWidget other;
        other.show();
        QVERIFY(QTest::qWaitForWindowExposed(&other));
        other.activateWindow();
        QTRY_VERIFY(!m_dialog->isActiveWindow());
        QCOMPARE(kind("FEATURE_FLAGS", "prod"), Kind::Differs);
        m_dialog->activateWindow();
        QTRY_COMPARE(kind("FEATURE_FLAGS", "prod"), Kind::Same);
        QVERIFY(model().compareRow(row(QStringLiteral("FEATURE_FLAGS")))->allEqual());
    }

    void screenshots() {
        openCompare();
        m_dialog->resize(760, 460);
        select({cell("REDIS_URL", "staging")});
        QVERIFY(coffer::test::saveScreenshot(*m_dialog, QStringLiteral("compare")));
        m_window.reset();

        QApplication::setPalette(coffer::test::darkPalette());
        openCompare();
        m_dialog->resize(760, 460);
        child<QCheckBox>(*m_dialog, "compareOnlyDifferences")->setChecked(true);
        QVERIFY(coffer::test::saveScreenshot(*m_dialog, QStringLiteral("compare-dark")));
    }
};

QTEST_MAIN(TestCompareWindow)
#include "TestCompareWindow.moc"
