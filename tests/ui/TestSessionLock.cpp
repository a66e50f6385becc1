// SPDX-License-Identifier: Apache-2.0
// Locking when the desktop locks: fake screen savers and a fake logind on a private D-Bus (tests/ui/private-bus.sh
// makes it both the session and the system bus) send the real signals, and the real window locks: vault closed,
// views and clipboard cleared. A sleep waits for the lock through a logind delay inhibitor.
#include "model/Vault.h"
#include "tests/ui/SampleVault.h"
#include "tests/ui/WindowDriver.h"
#include "ui/ClipboardGuard.h"
#include "ui/HistoryModel.h"
#include "ui/MainWindow.h"
#include "ui/ProjectTreeModel.h"
#include "ui/SecretDetailPane.h"
#include "ui/SecretTableModel.h"
#include "ui/SessionLockWatcher.h"
#include "ui/VaultPage.h"
#include "ui/VaultSession.h"

#include <QApplication>
#include <QClipboard>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusUnixFileDescriptor>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

using coffer::test::child;
using coffer::ui::MainWindow;
using coffer::ui::SessionLockWatcher;
using Reason = coffer::ui::SessionLockWatcher::Reason;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");
const QString kLogin1Path = QStringLiteral("/org/freedesktop/login1");
const QString kManager = QStringLiteral("org.freedesktop.login1.Manager");
const QString kSessionByPidPath = QStringLiteral("/org/freedesktop/login1/session/_31");
const QString kSessionByIdPath = QStringLiteral("/org/freedesktop/login1/session/c7");

} // namespace

/// logind's Manager as far as Coffer uses it: finds the caller's session and hands out sleep inhibitors, each the
/// write end of a pipe whose read end it keeps, so that the test sees when the last copy is closed.
class FakeLogin1 : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.login1.Manager")
public:
    QStringList calls;
    QStringList inhibitArguments;
    int inhibitors = 0;

    ~FakeLogin1() override { closeReadEnd(); }

    /// True once every copy of the last inhibitor handed out is closed.
    [[nodiscard]] bool inhibitorReleased() const {
        char byte = 0;
        return m_readEnd >= 0 && ::read(m_readEnd, &byte, 1) == 0;
    }

public Q_SLOTS:
    QDBusObjectPath GetSessionByPID(uint pid) {
        calls << QStringLiteral("GetSessionByPID %1").arg(pid);
        return QDBusObjectPath(kSessionByPidPath);
    }
    QDBusObjectPath GetSession(const QString& id) {
        calls << QStringLiteral("GetSession %1").arg(id);
        return QDBusObjectPath(kSessionByIdPath);
    }
    QDBusUnixFileDescriptor Inhibit(const QString& what, const QString& who, const QString& why, const QString& mode) {
        inhibitArguments = {what, who, why, mode};
        ++inhibitors;
        closeReadEnd();
        int ends[2] = {-1, -1};
        if (::pipe2(ends, O_CLOEXEC | O_NONBLOCK) != 0) {
            return {};
        }
        m_readEnd = ends[0];
        QDBusUnixFileDescriptor handedOut(ends[1]); // a copy: ours is closed at once
        ::close(ends[1]);
        return handedOut;
    }

private:
    void closeReadEnd() {
        if (m_readEnd >= 0) {
            ::close(m_readEnd);
            m_readEnd = -1;
        }
    }

    int m_readEnd = -1;
};

class TestSessionLock : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_vaults = 0;
    std::optional<QDBusConnection> m_fakes;
    FakeLogin1 m_login1;

    // Sends a signal from the fake services' connection, as the screen saver or logind would.
    void emitSignal(const QString& path, const QString& interface, const QString& name, const QVariantList& args) {
        auto message = QDBusMessage::createSignal(path, interface, name);
        message.setArguments(args);
        QVERIFY(m_fakes->send(message));
    }

    void screenSaverActive(const QString& service, bool active) {
        const QString path = service == QStringLiteral("org.gnome.ScreenSaver")
                                 ? QStringLiteral("/org/gnome/ScreenSaver")
                                 : QStringLiteral("/ScreenSaver");
        emitSignal(path, service, QStringLiteral("ActiveChanged"), {active});
    }

    void prepareForSleep(bool sleeping) {
        emitSignal(kLogin1Path, kManager, QStringLiteral("PrepareForSleep"), {sleeping});
    }

    // A window on a fresh sample vault with a secret revealed and copied, and its watcher ready.
    std::unique_ptr<MainWindow> openWithSecretShown() {
        const QString path = m_dir.filePath(QStringLiteral("vault%1.coffer").arg(++m_vaults));
        if (!coffer::test::createSampleVault(path, kPassword.toStdString())) {
            return nullptr;
        }
        auto window = coffer::test::openUnlocked(path, kPassword);
        if (window == nullptr) {
            return nullptr;
        }
        auto& watcher = window->sessionLockWatcher();
        if (!QTest::qWaitFor([&] { return !watcher.sessionPath().isEmpty() && watcher.holdsSleepInhibitor(); })) {
            qWarning("the watcher did not find the session or take an inhibitor");
            return nullptr;
        }
        auto& page = window->vaultPage();
        if (!page.selectEnvironment(QStringLiteral("payments-api"), QStringLiteral("prod")) ||
            !page.selectSecret(QStringLiteral("DATABASE_URL"))) {
            return nullptr;
        }
        QTest::mouseClick(child<QPushButton>(*window, "revealButton"), Qt::LeftButton);
        QTest::mouseClick(child<QPushButton>(*window, "copyValueButton"), Qt::LeftButton);
        if (!page.detailPane()->isRevealed() || !window->clipboard().isArmed()) {
            return nullptr;
        }
        return window;
    }

    // Everything a lock must forget is gone.
    static void verifyLocked(const MainWindow& window) {
        QCOMPARE(coffer::test::currentPage(window), QStringLiteral("unlockPage"));
        QVERIFY(!window.session().isOpen());
        QVERIFY(window.session().store() == nullptr);
        auto& page = window.vaultPage();
        QCOMPARE(page.projectModel()->rowCount(), 0);
        QCOMPARE(page.secretModel()->rowCount(), 0);
        QCOMPARE(page.detailPane()->secretId(), 0);
        QCOMPARE(page.detailPane()->historyModel()->rowCount(), 0);
        QVERIFY(!page.detailPane()->isRevealed());
        QCOMPARE(QApplication::clipboard()->text(), QString());
        QVERIFY(!window.clipboard().isArmed());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // Never skip: without the private bus this test proves nothing, so it fails.
        QVERIFY2(qEnvironmentVariable("COFFER_PRIVATE_BUS") == QStringLiteral("1"),
                 "run through tests/ui/private-bus.sh (dbus-run-session)");
        const QString address = qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
        QVERIFY(!address.isEmpty());
        QCOMPARE(qEnvironmentVariable("DBUS_SYSTEM_BUS_ADDRESS"), address);
        QVERIFY(qEnvironmentVariable("XDG_SESSION_ID").isEmpty());
        QVERIFY(QDBusConnection::sessionBus().isConnected());
        QVERIFY(QDBusConnection::systemBus().isConnected());

        m_fakes.emplace(QDBusConnection::connectToBus(address, QStringLiteral("fakes")));
        QVERIFY(m_fakes->isConnected());
        for (const char* service : {"org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver", "org.freedesktop.login1"}) {
            QVERIFY2(m_fakes->registerService(QString::fromLatin1(service)), service);
        }
        QVERIFY(m_fakes->registerObject(kLogin1Path, &m_login1, QDBusConnection::ExportAllSlots));
    }

    void cleanupTestCase() {
        if (m_fakes) {
            m_fakes->unregisterObject(kLogin1Path);
            QDBusConnection::disconnectFromBus(QStringLiteral("fakes"));
        }
    }

    void locksWhenTheDesktopLocks_data() {
        QTest::addColumn<QString>("signal");
        QTest::addColumn<Reason>("reason");
        QTest::newRow("freedesktop screen saver")
            << QStringLiteral("org.freedesktop.ScreenSaver") << Reason::ScreenLocked;
        QTest::newRow("GNOME screen saver") << QStringLiteral("org.gnome.ScreenSaver") << Reason::ScreenLocked;
        QTest::newRow("logind session Lock") << QStringLiteral("Lock") << Reason::SessionLocked;
        QTest::newRow("logind PrepareForSleep") << QStringLiteral("PrepareForSleep") << Reason::Suspending;
    }

    void locksWhenTheDesktopLocks() {
        QFETCH(QString, signal);
        QFETCH(Reason, reason);
        auto window = openWithSecretShown();
        QVERIFY(window != nullptr);
        QCOMPARE(window->sessionLockWatcher().sessionPath(), kSessionByPidPath);
        QVERIFY(m_login1.calls.contains(QStringLiteral("GetSessionByPID %1").arg(::getpid())));
        QSignalSpy requested(&window->sessionLockWatcher(), &SessionLockWatcher::lockRequested);

        if (signal == QStringLiteral("Lock")) {
            emitSignal(kSessionByPidPath, QStringLiteral("org.freedesktop.login1.Session"), signal, {});
        } else if (signal == QStringLiteral("PrepareForSleep")) {
            prepareForSleep(true);
        } else {
            // Leaving the screen saver locks nothing; entering it does.
            screenSaverActive(signal, false);
            screenSaverActive(signal, true);
        }
        QTRY_VERIFY(!window->session().isOpen());
        verifyLocked(*window);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).value<Reason>(), reason);
    }

    // The machine sleeps only after the vault is locked: logind waits while the delay inhibitor is held, and
    // Coffer lets go of it once the lock is done; on resume it takes a new one for the next sleep.
    void sleepWaitsForTheLock() {
        auto window = openWithSecretShown();
        QVERIFY(window != nullptr);
        QCOMPARE(m_login1.inhibitArguments.value(0), QStringLiteral("sleep"));
        QCOMPARE(m_login1.inhibitArguments.value(3), QStringLiteral("delay"));
        QVERIFY(!m_login1.inhibitorReleased());
        const int inhibitorsBefore = m_login1.inhibitors;

        bool heldAfterLock = false;
        // Connected after the window: runs once the window has handled the request.
        connect(&window->sessionLockWatcher(), &SessionLockWatcher::lockRequested, this, [&] {
            heldAfterLock = !window->session().isOpen() && window->sessionLockWatcher().holdsSleepInhibitor();
        });
        prepareForSleep(true);
        QTRY_VERIFY(!window->session().isOpen());
        verifyLocked(*window);
        QVERIFY(heldAfterLock);
        QVERIFY(!window->sessionLockWatcher().holdsSleepInhibitor());
        QTRY_VERIFY(m_login1.inhibitorReleased());

        prepareForSleep(false);
        QTRY_VERIFY(window->sessionLockWatcher().holdsSleepInhibitor());
        QCOMPARE(m_login1.inhibitors, inhibitorsBefore + 1);
        QCOMPARE(coffer::test::currentPage(*window), QStringLiteral("unlockPage"));
    }

    // With "lock when the screen locks" off, the screen saver and logind's Lock leave the vault open; sleep still
    // locks it.
    void screenLockCanBeTurnedOff() {
        auto window = openWithSecretShown();
        QVERIFY(window != nullptr);
        auto& watcher = window->sessionLockWatcher();
        QVERIFY(watcher.lockOnScreenLock());
        watcher.setLockOnScreenLock(false);
        QSignalSpy requested(&watcher, &SessionLockWatcher::lockRequested);

        screenSaverActive(QStringLiteral("org.freedesktop.ScreenSaver"), true);
        emitSignal(kSessionByPidPath, QStringLiteral("org.freedesktop.login1.Session"), QStringLiteral("Lock"), {});
        prepareForSleep(true);
        // Signals from one sender arrive in order: once the sleep has locked, the others were handled before.
        QTRY_VERIFY(!window->session().isOpen());
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.at(0).at(0).value<Reason>(), Reason::Suspending);
        verifyLocked(*window);
    }

    // Turning sleep locking off lets go of the inhibitor at once, so the machine never waits for Coffer.
    void suspendLockCanBeTurnedOff() {
        auto window = openWithSecretShown();
        QVERIFY(window != nullptr);
        auto& watcher = window->sessionLockWatcher();
        watcher.setLockOnSuspend(false);
        QVERIFY(!watcher.holdsSleepInhibitor());
        QTRY_VERIFY(m_login1.inhibitorReleased());
        watcher.setLockOnSuspend(true);
        QTRY_VERIFY(watcher.holdsSleepInhibitor());
        QVERIFY(window->session().isOpen());
    }

    // Injected buses: XDG_SESSION_ID names the session when set.
    void findsTheSessionByItsId() {
        qputenv("XDG_SESSION_ID", "c7");
        const QString address = qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS");
        auto bus = QDBusConnection::connectToBus(address, QStringLiteral("injected"));
        QVERIFY(bus.isConnected());
        {
            SessionLockWatcher watcher(bus, bus);
            QSignalSpy looked(&watcher, &SessionLockWatcher::sessionLookupFinished);
            QVERIFY(looked.wait());
            QCOMPARE(watcher.sessionPath(), kSessionByIdPath);
            QCOMPARE(m_login1.calls.constLast(), QStringLiteral("GetSession c7"));
            QSignalSpy requested(&watcher, &SessionLockWatcher::lockRequested);
            emitSignal(kSessionByIdPath, QStringLiteral("org.freedesktop.login1.Session"), QStringLiteral("Lock"), {});
            QVERIFY(requested.wait());
            QCOMPARE(requested.at(0).at(0).value<Reason>(), Reason::SessionLocked);
        }
        qunsetenv("XDG_SESSION_ID");
        QDBusConnection::disconnectFromBus(QStringLiteral("injected"));
    }

    // No bus at all (a bare X session, a container): nothing is watched, nothing fails.
    void withoutBusesNothingHappens() {
        const QDBusConnection none(QStringLiteral("coffer-no-such-connection"));
        QVERIFY(!none.isConnected());
        SessionLockWatcher watcher(none, none);
        QSignalSpy looked(&watcher, &SessionLockWatcher::sessionLookupFinished);
        QVERIFY(looked.wait());
        QVERIFY(watcher.sessionPath().isEmpty());
        QVERIFY(!watcher.holdsSleepInhibitor());
    }
};

QTEST_MAIN(TestSessionLock)
#include "TestSessionLock.moc"
