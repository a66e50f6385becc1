// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDBusConnection>
#include <QDBusUnixFileDescriptor>
#include <QObject>
#include <QString>

class QDBusPendingCallWatcher;

namespace coffer::ui {

/// Says when the desktop wants the vault locked: the screen saver locks the screen (org.freedesktop.ScreenSaver
/// or org.gnome.ScreenSaver ActiveChanged(true) on the session bus), logind locks this session (the session's
/// Lock signal on the system bus) or the machine is about to sleep (login1 Manager PrepareForSleep(true)).
///
/// While it watches for sleep it holds a logind "delay" inhibitor, so that the machine waits for the lock before
/// it sleeps; the inhibitor is released right after lockRequested() returns (the lock happens in its slot) and
/// taken again on resume. A missing bus or service is skipped quietly: nothing is logged.
class SessionLockWatcher : public QObject {
    Q_OBJECT
public:
    enum class Reason { ScreenLocked, SessionLocked, Suspending };
    Q_ENUM(Reason)

    /// Watches the user's session bus and the system bus.
    explicit SessionLockWatcher(QObject* parent = nullptr);
    /// Watches the given buses (tests pass a private bus for both). A disconnected bus is ignored.
    SessionLockWatcher(const QDBusConnection& sessionBus, const QDBusConnection& systemBus, QObject* parent = nullptr);
    ~SessionLockWatcher() override;

    /// Whether a screen or session lock asks for the vault lock (default true; the Settings' lockOnScreenLock).
    void setLockOnScreenLock(bool enabled) noexcept { m_lockOnScreenLock = enabled; }
    [[nodiscard]] bool lockOnScreenLock() const noexcept { return m_lockOnScreenLock; }
    /// Whether going to sleep asks for the vault lock (default true). Off also releases the sleep inhibitor.
    void setLockOnSuspend(bool enabled);
    [[nodiscard]] bool lockOnSuspend() const noexcept { return m_lockOnSuspend; }

    /// The logind session object whose Lock signal is watched, once found; empty without one.
    [[nodiscard]] const QString& sessionPath() const noexcept { return m_sessionPath; }
    /// Whether a logind sleep inhibitor is held now.
    [[nodiscard]] bool holdsSleepInhibitor() const noexcept { return m_inhibitor.isValid(); }

Q_SIGNALS:
    /// Lock the vault now. For Suspending, the machine sleeps once the slots have returned.
    void lockRequested(coffer::ui::SessionLockWatcher::Reason reason);
    /// The logind session was looked up (found or not): sessionPath() is final from now on.
    void sessionLookupFinished();
    /// A sleep inhibitor was taken (on start and after each resume).
    void sleepInhibitorTaken();

private Q_SLOTS:
    // D-Bus signal handlers: QDBusConnection::connect() needs them as slots by name.
    void onScreenSaverActiveChanged(bool active);
    void onPrepareForSleep(bool sleeping);
    void onSessionLockSignalled();

private:
    void watch();
    void findSession();
    void onSessionFound(QDBusPendingCallWatcher* call);
    void takeSleepInhibitor();
    void onSleepInhibitorReplied(QDBusPendingCallWatcher* call);
    void releaseSleepInhibitor();

    QDBusConnection m_sessionBus;
    QDBusConnection m_systemBus;
    QString m_sessionPath;
    QDBusUnixFileDescriptor m_inhibitor;
    bool m_lockOnScreenLock = true;
    bool m_lockOnSuspend = true;
    bool m_inhibitorPending = false;
};

} // namespace coffer::ui
