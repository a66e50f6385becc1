// SPDX-License-Identifier: Apache-2.0
// Search (Ctrl+F) in the real window over the sample vault: matches from every project, the empty state, opening
// a match, Escape, edits and Reload keeping the index current, and lock forgetting it. Also its screenshots.
#include "model/Store.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/Screenshot.h"
#include "tests/ui/WindowDriver.h"
#include "ui/Confirm.h"
#include "ui/MainWindow.h"
#include "ui/SearchResultModel.h"
#include "ui/SearchView.h"
#include "ui/SecretDetailPane.h"
#include "ui/SecretDialog.h"
#include "ui/SecretTableModel.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using coffer::test::child;
using coffer::ui::MainWindow;
using coffer::ui::SearchResultModel;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

} // namespace

class TestSearch : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_vaults = 0;
    std::unique_ptr<MainWindow> m_window;

    void open() {
        const QString path = m_dir.filePath(QStringLiteral("vault%1.coffer").arg(++m_vaults));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        m_window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(m_window != nullptr);
        QVERIFY(m_window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));
    }

    [[nodiscard]] QLineEdit* field() const { return child<QLineEdit>(*m_window, "searchEdit"); }
    [[nodiscard]] QTableView* results() const { return child<QTableView>(*m_window, "searchTable"); }
    [[nodiscard]] QLabel* hint() const { return child<QLabel>(*m_window, "searchHint"); }
    [[nodiscard]] QString scopeTitle() const { return child<QLabel>(*m_window, "scopeTitle")->text(); }

    // Ctrl+F, then the query typed key by key.
    void search(const QString& query) const {
        // Shortcuts reach only the active window, which a closed dialog may have left inactive.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        QTest::keyClicks(field(), query);
    }

    // "project/env/NAME" of each listed match.
    [[nodiscard]] QStringList shownRows() const {
        QStringList list;
        const QAbstractItemModel* model = results()->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            list << QStringLiteral("%1/%2/%3")
                        .arg(model->index(row, SearchResultModel::ProjectColumn).data().toString(),
                             model->index(row, SearchResultModel::EnvironmentColumn).data().toString(),
                             model->index(row, SearchResultModel::NameColumn).data().toString());
        }
        return list;
    }

    [[nodiscard]] QString currentScope() const {
        const auto& page = m_window->vaultPage();
        if (page.currentProject() == nullptr || page.currentEnvironment() == nullptr ||
            page.currentSecret() == nullptr) {
            return {};
        }
        return QStringLiteral("%1/%2/%3")
            .arg(page.currentProject()->name, page.currentEnvironment()->name, page.currentSecret()->name);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup() { m_window.reset(); }

    void ctrlFFocusesTheSearchField() {
        open();
        auto* find = child<QAction>(*m_window, "findAction");
        QCOMPARE(find->shortcut(), QKeySequence(QKeySequence::Find));
        QVERIFY(find->isEnabled());
        QCOMPARE(field()->placeholderText(), QStringLiteral("Search names, notes and tags  (Ctrl+F)"));
        QVERIFY(field()->isClearButtonEnabled());
        QVERIFY(!field()->accessibleName().isEmpty());
        field()->setText(QStringLiteral("old query"));
        child<QTreeView>(*m_window, "projectTree")->setFocus();
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(field()->hasFocus());
        QCOMPARE(field()->selectedText(), QStringLiteral("old query")); // typing replaces it
    }

    void typingFiltersAcrossProjects() {
        open();
        QVERIFY(!results()->isVisible());
        search(QStringLiteral("auth"));
        QVERIFY(results()->isVisible());
        QCOMPARE(shownRows(), (QStringList{QStringLiteral("payments-api/prod/JWT_SIGNING_KEY"),
                                           QStringLiteral("web-frontend/dev/SESSION_SECRET"),
                                           QStringLiteral("web-frontend/staging/SESSION_SECRET"),
                                           QStringLiteral("web-frontend/prod/SESSION_SECRET")}));
        QCOMPARE(scopeTitle(), QStringLiteral("Search all projects"));
        QCOMPARE(child<QLabel>(*m_window, "scopeCount")->text(), QStringLiteral("4 matches"));

        // Several words: all must match, in any field (name, note, tag) and any order.
        field()->clear();
        QTest::keyClicks(field(), QStringLiteral("PCI stripe live"));
        QCOMPARE(shownRows(), QStringList{QStringLiteral("payments-api/prod/STRIPE_SECRET_KEY")});
        QCOMPARE(child<QLabel>(*m_window, "scopeCount")->text(), QStringLiteral("1 match"));

        // Selecting a match shows it on the right, and the page's selection is the match in its environment.
        QVERIFY(m_window->vaultPage().currentSecret() == nullptr);
        QVERIFY(!child<QAction>(*m_window, "editSecretAction")->isEnabled());
        results()->selectRow(0);
        const auto* shown = m_window->vaultPage().currentSecret();
        QVERIFY(shown != nullptr);
        QCOMPARE(m_window->vaultPage().detailPane()->secretId(), shown->id);
        QCOMPARE(child<QLabel>(*m_window, "detailName")->text(), QStringLiteral("STRIPE_SECRET_KEY"));
        QCOMPARE(currentScope(), QStringLiteral("payments-api/prod/STRIPE_SECRET_KEY"));
        QVERIFY(child<QAction>(*m_window, "editSecretAction")->isEnabled());
        QVERIFY(child<QAction>(*m_window, "copyValueAction")->isEnabled());
        // The tree still shows where the user was.
        QCOMPARE(child<QTreeView>(*m_window, "projectTree")->currentIndex().data().toString(), QStringLiteral("dev"));
    }

    void showsAHintWhenNothingMatches() {
        open();
        search(QStringLiteral("kubernetes"));
        QVERIFY(hint()->isVisible());
        QVERIFY(!results()->isVisible());
        QVERIFY2(hint()->text().startsWith(QStringLiteral("No secret matches “kubernetes”.\n")),
                 qPrintable(hint()->text()));
        QCOMPARE(child<QLabel>(*m_window, "scopeCount")->text(), QStringLiteral("0 matches"));
        QCOMPARE(m_window->vaultPage().detailPane()->secretId(), 0);
        // Back to matches as soon as the query matches again.
        field()->setText(QStringLiteral("redis"));
        QVERIFY(results()->isVisible());
        QCOMPARE(shownRows(), QStringList{QStringLiteral("payments-api/dev/REDIS_URL")});
    }

    void enterOpensTheMatchInItsEnvironment() {
        open();
        search(QStringLiteral("webhook"));
        QCOMPARE(shownRows(), (QStringList{QStringLiteral("payments-api/staging/STRIPE_WEBHOOK_SECRET"),
                                           QStringLiteral("payments-api/prod/STRIPE_WEBHOOK_SECRET")}));
        // Down goes to the matches, Down again to the second, Enter opens it.
        QTest::keyClick(field(), Qt::Key_Down);
        QVERIFY(results()->hasFocus());
        QTest::keyClick(results(), Qt::Key_Down);
        QTest::keyClick(results(), Qt::Key_Return);
        QVERIFY(field()->text().isEmpty());
        QVERIFY(!results()->isVisible());
        QCOMPARE(scopeTitle(), QStringLiteral("payments-api \u203a prod"));
        QCOMPARE(currentScope(), QStringLiteral("payments-api/prod/STRIPE_WEBHOOK_SECRET"));
        QCOMPARE(child<QLabel>(*m_window, "detailName")->text(), QStringLiteral("STRIPE_WEBHOOK_SECRET"));
        QVERIFY(child<QTableView>(*m_window, "secretTable")->hasFocus());
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), coffer::test::SampleCounts::paymentsProdSecrets);

        // Enter in the field opens the first match.
        search(QStringLiteral("algolia"));
        QTest::keyClick(field(), Qt::Key_Return);
        QCOMPARE(currentScope(), QStringLiteral("web-frontend/staging/ALGOLIA_ADMIN_KEY"));

        // A double click too.
        search(QStringLiteral("sentry"));
        const QRect cell = results()->visualRect(results()->model()->index(0, SearchResultModel::NameColumn));
        QTest::mouseDClick(results()->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(currentScope(), QStringLiteral("payments-api/prod/SENTRY_DSN"));
    }

    void escapeEndsTheSearch() {
        open();
        search(QStringLiteral("stripe"));
        QVERIFY(results()->isVisible());
        results()->selectRow(0);
        QTest::keyClick(field(), Qt::Key_Escape);
        QVERIFY(field()->text().isEmpty());
        QVERIFY(!results()->isVisible());
        QVERIFY(child<QTableView>(*m_window, "secretTable")->isVisible());
        QVERIFY(child<QTableView>(*m_window, "secretTable")->hasFocus());
        QCOMPARE(scopeTitle(), QStringLiteral("payments-api \u203a dev"));
        QCOMPARE(child<QLabel>(*m_window, "scopeCount")->text(), QStringLiteral("3 secrets"));
        QCOMPARE(m_window->vaultPage().currentEnvironment()->name, QStringLiteral("dev"));

        // Choosing an environment in the tree ends a search too.
        search(QStringLiteral("stripe"));
        QVERIFY(m_window->vaultPage().selectEnvironment(QStringLiteral("web-frontend"), QStringLiteral("prod")));
        QVERIFY(field()->text().isEmpty());
        QCOMPARE(scopeTitle(), QStringLiteral("web-frontend \u203a prod"));
        QCOMPARE(m_window->vaultPage().secretModel()->rowCount(), 2);
    }

    void changesMadeInTheAppAreFound() {
        open();
        coffer::test::whenDialogOpens<coffer::ui::SecretDialog>([](coffer::ui::SecretDialog& dialog) {
            child<QLineEdit>(dialog, "secretNameEdit")->setText(QStringLiteral("MAILGUN_API_KEY"));
            child<QPlainTextEdit>(dialog, "secretValueEdit")->setPlainText(QStringLiteral("key-123"));
            child<QLineEdit>(dialog, "secretNoteEdit")->setText(QStringLiteral("Transactional e-mail"));
            QTest::mouseClick(child<QDialogButtonBox>(dialog, "secretDialogButtons")->button(QDialogButtonBox::Ok),
                              Qt::LeftButton);
        });
        child<QAction>(*m_window, "newSecretAction")->trigger();
        search(QStringLiteral("e-mail"));
        QCOMPARE(shownRows(), QStringList{QStringLiteral("payments-api/dev/MAILGUN_API_KEY")});

        // Deleted through a match: gone from the matches at once.
        results()->selectRow(0);
        static_cast<void>(
            coffer::ui::confirm::setHandler([](QWidget*, const QString&, const QString&) { return true; }));
        child<QAction>(*m_window, "deleteSecretAction")->trigger();
        static_cast<void>(coffer::ui::confirm::setHandler({}));
        QVERIFY(hint()->isVisible());
        QCOMPARE(shownRows(), QStringList{});

        // Changed behind the window's back (as coffer-cli would), then File › Reload (F5): found, search kept.
        auto project = m_window->session().store()->project(QStringLiteral("web-frontend"));
        auto env = m_window->session().store()->environment(project->id, QStringLiteral("prod"));
        QVERIFY(m_window->session()
                    .store()
                    ->setSecret(env->id, QStringLiteral("MAIL_FROM"), coffer::test::bytesOf("x"),
                                {QStringLiteral("Sender for e-mail"), std::nullopt})
                    .has_value());
        QCOMPARE(shownRows(), QStringList{});
        QVERIFY(field()->hasFocus());
        QTest::keyClick(field(), Qt::Key_F5);
        QCOMPARE(field()->text(), QStringLiteral("e-mail"));
        QCOMPARE(shownRows(), QStringList{QStringLiteral("web-frontend/prod/MAIL_FROM")});
        QCOMPARE(scopeTitle(), QStringLiteral("Search all projects"));
        // Reload again with the match selected: it stays selected and shown.
        results()->selectRow(0);
        const std::int64_t mailFrom = m_window->vaultPage().currentSecret()->id;
        QTest::keyClick(field(), Qt::Key_F5);
        QCOMPARE(scopeTitle(), QStringLiteral("Search all projects"));
        QCOMPARE(m_window->vaultPage().detailPane()->secretId(), mailFrom);
        QCOMPARE(currentScope(), QStringLiteral("web-frontend/prod/MAIL_FROM"));
        // And ending the search shows the environment that was shown before it.
        QTest::keyClick(field(), Qt::Key_Escape);
        QCOMPARE(scopeTitle(), QStringLiteral("payments-api \u203a dev"));
        QCOMPARE(child<QLabel>(*m_window, "scopeCount")->text(), QStringLiteral("3 secrets"));
    }

    void lockForgetsTheIndex() {
        open();
        search(QStringLiteral("database"));
        QCOMPARE(shownRows().size(), 3);
        const auto* search = m_window->vaultPage().searchView();
        QCOMPARE(search->model()->secretIndex().size(), coffer::test::SampleCounts::secrets);
        QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
        QCOMPARE(coffer::test::currentPage(*m_window), QStringLiteral("unlockPage"));
        QVERIFY(search->model()->secretIndex().isEmpty());
        QCOMPARE(search->model()->rowCount(), 0);
        QVERIFY(field()->text().isEmpty());
        QVERIFY(!search->isActive());
        QVERIFY(!child<QAction>(*m_window, "findAction")->isEnabled());
    }

    void screenshots() {
        open();
        search(QStringLiteral("stripe"));
        results()->selectRow(3);
        QVERIFY(coffer::test::saveScreenshot(*m_window, QStringLiteral("search")));
        field()->setText(QStringLiteral("kubernetes"));
        QVERIFY(coffer::test::saveScreenshot(*m_window, QStringLiteral("search-empty")));
    }
};

QTEST_MAIN(TestSearch)
#include "TestSearch.moc"
