// SPDX-License-Identifier: Apache-2.0
// Keyboard and accessibility of the real window: every action has a shortcut or a mnemonic and shows the shortcut
// in its tooltip, every control of the vault page has an accessible name (or a label that is its buddy), and Tab
// goes through the vault page in the order of its layout.
#include "tests/ui/SampleVault.h"
#include "tests/ui/WindowDriver.h"
#include "ui/MainWindow.h"
#include "ui/ShortcutText.h"
#include "ui/VaultPage.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QTemporaryDir>
#include <QTest>

using coffer::test::child;
using coffer::ui::MainWindow;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

// A single '&' before a character (not "&&").
bool hasMnemonic(const QString& text) {
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] == QLatin1Char('&')) {
            if (text[i + 1] != QLatin1Char('&')) {
                return true;
            }
            ++i;
        }
    }
    return false;
}

void collectMenuActions(const QList<QAction*>& actions, QList<QAction*>& into) {
    for (QAction* action : actions) {
        if (action->isSeparator() || into.contains(action)) {
            continue;
        }
        into << action;
        if (QMenu* menu = action->menu(); menu != nullptr) {
            collectMenuActions(menu->actions(), into);
        }
    }
}

} // namespace

class TestKeyboard : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("vault.coffer"));
        if (!QFile::exists(path)) {
            QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        }
        m_window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(m_window != nullptr);
    }

    void cleanup() { m_window.reset(); }

    void toolTipsNameTheShortcut() {
        QAction action(QStringLiteral("&New Secret…"));
        action.setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
        QCOMPARE(coffer::ui::shortcuts::toolTipFor(action),
                 QStringLiteral("New Secret (%1)").arg(action.shortcut().toString(QKeySequence::NativeText)));
        action.setText(QStringLiteral("Copy &Tom && Jerry"));
        action.setShortcut({});
        QCOMPARE(coffer::ui::shortcuts::toolTipFor(action), QStringLiteral("Copy Tom & Jerry"));
        // It follows changes of text and shortcut.
        coffer::ui::shortcuts::showInToolTip(&action);
        action.setShortcut(QKeySequence(Qt::Key_F2));
        QCOMPARE(action.toolTip(), QStringLiteral("Copy Tom & Jerry (F2)"));
    }

    void everyActionHasAShortcutOrMnemonicShownInItsToolTip() {
        QList<QAction*> actions;
        collectMenuActions(m_window->menuBar()->actions(), actions);
        collectMenuActions(m_window->actions(), actions);
        collectMenuActions(child<QWidget>(*m_window, "projectTree")->actions(), actions);
        for (QAction* action : m_window->findChildren<QAction*>()) {
            if (!action->objectName().isEmpty() && !action->objectName().startsWith(QLatin1String("qt_")) &&
                !action->objectName().startsWith(QLatin1String("_q_"))) { // Qt's own, e.g. a line edit's clear button
                collectMenuActions({action}, actions);
            }
        }
        QVERIFY(actions.size() > 20);
        for (QAction* action : actions) {
            const QString name = action->objectName().isEmpty() ? action->text() : action->objectName();
            QVERIFY2(!action->text().isEmpty(), qPrintable(name));
            const QKeySequence shortcut = action->shortcut();
            QVERIFY2(!shortcut.isEmpty() || hasMnemonic(action->text()),
                     qPrintable(name + QStringLiteral(": neither a shortcut nor a mnemonic")));
            if (!shortcut.isEmpty()) {
                const QString keys = shortcut.toString(QKeySequence::NativeText);
                QVERIFY2(action->toolTip().contains(keys),
                         qPrintable(QStringLiteral("%1: tooltip \"%2\" lacks %3").arg(name, action->toolTip(), keys)));
            }
        }
        // Actions whose text follows the selection keep the shortcut in their tooltip.
        auto* rename = child<QAction>(*m_window, "renameScopeAction");
        QVERIFY(m_window->vaultPage().selectProject(QStringLiteral("web-frontend")));
        QVERIFY(rename->toolTip().startsWith(QStringLiteral("Rename Project (")));
    }

    void everyControlHasAnAccessibleName() {
        QVERIFY(m_window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("DATABASE_URL")));
        QWidget& page = m_window->vaultPage();
        QSet<const QWidget*> buddies;
        for (const QLabel* label : page.findChildren<QLabel*>()) {
            if (label->buddy() != nullptr) {
                buddies.insert(label->buddy());
            }
        }
        int checked = 0;
        for (QWidget* widget : page.findChildren<QWidget*>()) {
            const bool control = qobject_cast<QAbstractButton*>(widget) != nullptr ||
                                 qobject_cast<QLineEdit*>(widget) != nullptr ||
                                 qobject_cast<QAbstractItemView*>(widget) != nullptr;
            // Parts of a view (its corner button, header buttons) or of a line edit (its clear button) are their own
            // business.
            if (!control || qobject_cast<QAbstractItemView*>(widget->parentWidget()) != nullptr ||
                qobject_cast<QLineEdit*>(widget->parentWidget()) != nullptr ||
                qobject_cast<QAbstractItemView*>(
                    widget->parentWidget() != nullptr ? widget->parentWidget()->parentWidget() : nullptr) != nullptr) {
                continue;
            }
            ++checked;
            const auto* button = qobject_cast<QAbstractButton*>(widget);
            const bool named = !widget->accessibleName().isEmpty() || buddies.contains(widget) ||
                               (button != nullptr && !button->text().isEmpty());
            QVERIFY2(named, qPrintable(QStringLiteral("%1 (%2) has no accessible name")
                                           .arg(widget->objectName(),
                                                QString::fromLatin1(widget->metaObject()->className()))));
        }
        QVERIFY(checked >= 6);
    }

    void tabFollowsTheLayout() {
        QVERIFY(m_window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));
        QVERIFY(m_window->vaultPage().selectSecret(QStringLiteral("DATABASE_URL")));
        auto* tree = child<QWidget>(*m_window, "projectTree");
        tree->setFocus();
        QVERIFY(QTest::qWaitFor([&] { return QApplication::focusWidget() == tree; }));
        QStringList order{QApplication::focusWidget()->objectName()};
        for (int step = 0; step < 5; ++step) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            order << QApplication::focusWidget()->objectName();
        }
        // Left to right: the tree, the search field above the secrets, the secrets, then the detail pane top to
        // bottom (Restore is disabled until a version is chosen, so Tab passes it).
        QCOMPARE(order, (QStringList{QStringLiteral("projectTree"), QStringLiteral("searchEdit"),
                                     QStringLiteral("secretTable"), QStringLiteral("revealButton"),
                                     QStringLiteral("copyValueButton"), QStringLiteral("historyTable")}));
        // And back.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab);
        QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("copyValueButton"));
    }

    void focusIsVisible() {
        // The focused view draws its current item with the focus frame: the style says it does.
        auto* table = child<QAbstractItemView>(*m_window, "secretTable");
        QVERIFY(table->focusPolicy() & Qt::TabFocus);
        QVERIFY(child<QAbstractItemView>(*m_window, "projectTree")->focusPolicy() & Qt::TabFocus);
    }
};

QTEST_MAIN(TestKeyboard)
#include "TestKeyboard.moc"
