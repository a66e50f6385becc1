// SPDX-License-Identifier: Apache-2.0
// Lock after idle: input restarts the wait; the real window locks when the injected clock passes the timeout,
// and locking forgets every view, the detail pane and the clipboard.
#include "model/Store.h"
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ClipboardGuard.h"
#include "ui/HistoryModel.h"
#include "ui/IdleLock.h"
#include "ui/MainWindow.h"
#include "ui/ProjectTreeModel.h"
#include "ui/SecretDetailPane.h"
#include "ui/SecretDialog.h"
#include "ui/SecretTableModel.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using coffer::test::child;
using coffer::ui::IdleLock;
using coffer::ui::MainWindow;
using namespace std::chrono_literals;

namespace {
const QString kPassword = QStringLiteral("correct horse battery");
}

class TestIdleLock : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::chrono::steady_clock::time_point m_now = std::chrono::steady_clock::now();

    void advance(std::chrono::milliseconds by) {
        m_now += by;
        QTest::qWait(40); // several ticks of 5 ms
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaultsToTenMinutes() { QCOMPARE(IdleLock().timeout(), std::chrono::milliseconds(10min)); }

    void inputRestartsTheWait() {
        QWidget widget;
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        IdleLock idle;
        idle.setClock([this] { return m_now; });
        idle.setTickInterval(5ms);
        idle.setTimeout(60s);
        QSignalSpy timedOut(&idle, &IdleLock::idleTimedOut);

        // Not watching: nothing happens, however long.
        advance(120s);
        QCOMPARE(timedOut.count(), 0);

        idle.start();
        QVERIFY(idle.isRunning());
        advance(50s);
        QTest::keyClick(&widget, Qt::Key_A);
        advance(50s);
        QTest::mouseClick(&widget, Qt::LeftButton);
        advance(50s);
        QCOMPARE(timedOut.count(), 0); // 150 s in all, never 60 s without input

        advance(15s);
        QCOMPARE(timedOut.count(), 1);
        QVERIFY(!idle.isRunning());
        advance(120s);
        QCOMPARE(timedOut.count(), 1);
    }

    void theWindowLocksAfterIdleAndForgetsEverything() {
        const QString path = m_dir.filePath(QStringLiteral("idle.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(window != nullptr);
        auto& idle = window->idleLock();
        QCOMPARE(idle.timeout(), IdleLock::kDefaultTimeout);
        QVERIFY(idle.isRunning());
        idle.setClock([this] { return m_now; });
        idle.setTickInterval(5ms);
        idle.touch();

        auto& page = window->vaultPage();
        QVERIFY(page.selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")));
        QVERIFY(page.selectSecret(QStringLiteral("DATABASE_URL")));
        QTest::mouseClick(child<QPushButton>(*window, "revealButton"), Qt::LeftButton);
        QTest::mouseClick(child<QPushButton>(*window, "copyValueButton"), Qt::LeftButton);
        QVERIFY(QApplication::clipboard()->text().startsWith(QStringLiteral("postgres://")));

        advance(9min);
        QVERIFY(window->session().isOpen());
        advance(2min);
        QCOMPARE(coffer::test::currentPage(*window), QStringLiteral("unlockPage"));
        QVERIFY(!window->session().isOpen());
        QVERIFY(!idle.isRunning());
        QCOMPARE(page.projectModel()->rowCount(), 0);
        QCOMPARE(page.secretModel()->rowCount(), 0);
        QCOMPARE(page.detailPane()->secretId(), 0);
        QCOMPARE(page.detailPane()->historyModel()->rowCount(), 0);
        QVERIFY(!page.detailPane()->isRevealed());
        QCOMPARE(QApplication::clipboard()->text(), QString());
        QVERIFY(!window->clipboard().isArmed());
    }

    // A dialog left open does not keep the vault open: the lock closes it (it shows vault content), and an answer
    // given after the lock writes nothing.
    void locksWhileADialogWaits() {
        const QString path = m_dir.filePath(QStringLiteral("idle-dialog.coffer"));
        QVERIFY(coffer::test::createSampleVault(path, kPassword.toStdString()).has_value());
        auto window = coffer::test::openUnlocked(path, kPassword);
        QVERIFY(window != nullptr);
        window->idleLock().setClock([this] { return m_now; });
        window->idleLock().setTickInterval(5ms);
        window->idleLock().touch();
        QVERIFY(window->vaultPage().selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("dev")));

        bool lockedMeanwhile = false;
        bool closedByLock = false;
        coffer::test::whenDialogOpens<coffer::ui::SecretDialog>([&](coffer::ui::SecretDialog& dialog) {
            child<QLineEdit>(dialog, "secretNameEdit")->setText(QStringLiteral("LATE_SECRET"));
            child<QPlainTextEdit>(dialog, "secretValueEdit")->setPlainText(QStringLiteral("too late"));
            advance(11min);
            lockedMeanwhile = !window->session().isOpen();
            closedByLock = !dialog.isVisible();
            dialog.accept();
        });
        child<QAction>(*window, "newSecretAction")->trigger();
        QVERIFY(lockedMeanwhile);
        QVERIFY(closedByLock);
        QCOMPARE(coffer::test::currentPage(*window), QStringLiteral("unlockPage"));
        window.reset();

        auto vault = coffer::model::Vault::unlock(path, coffer::test::bytesOf(kPassword.toStdString()));
        QVERIFY(vault.has_value());
        coffer::model::Store store(*vault, QStringLiteral("tester"));
        auto project = store.project(QStringLiteral("payments-api"));
        QVERIFY(project.has_value());
        auto dev = store.environment(project->id, QStringLiteral("dev"));
        QVERIFY(dev.has_value());
        QVERIFY(!store.secret(dev->id, QStringLiteral("LATE_SECRET")).has_value());
    }
};

QTEST_MAIN(TestIdleLock)
#include "TestIdleLock.moc"
