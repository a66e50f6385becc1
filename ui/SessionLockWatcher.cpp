// SPDX-License-Identifier: Apache-2.0
#include "ui/SessionLockWatcher.h"

#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>

#include <unistd.h>

namespace coffer::ui {
namespace {

const QString kLogin1Service = QStringLiteral("org.freedesktop.login1");
const QString kLogin1Path = QStringLiteral("/org/freedesktop/login1");
const QString kLogin1Manager = QStringLiteral("org.freedesktop.login1.Manager");
const QString kLogin1Session = QStringLiteral("org.freedesktop.login1.Session");

struct ScreenSaver {
    QString service;
    QString interface;
};

// GNOME Shell answers on both names; KDE, Xfce and others on the freedesktop one. The object path differs
// between desktops (/ScreenSaver, /org/freedesktop/ScreenSaver), so any path of the service counts.
const ScreenSaver kScreenSavers[] = {
    {QStringLiteral("org.freedesktop.ScreenSaver"), QStringLiteral("org.freedesktop.ScreenSaver")},
    {QStringLiteral("org.gnome.ScreenSaver"), QStringLiteral("org.gnome.ScreenSaver")},
};

} // namespace

SessionLockWatcher::SessionLockWatcher(QObject* parent)
    : SessionLockWatcher(QDBusConnection::sessionBus(), QDBusConnection::systemBus(), parent) {}

SessionLockWatcher::SessionLockWatcher(const QDBusConnection& sessionBus, const QDBusConnection& systemBus,
                                       QObject* parent)
    : QObject(parent)
    , m_sessionBus(sessionBus)
    , m_systemBus(systemBus) {
    watch();
}

SessionLockWatcher::~SessionLockWatcher() = default;

void SessionLockWatcher::watch() {
    if (m_sessionBus.isConnected()) {
        for (const auto& saver : kScreenSavers) {
            static_cast<void>(m_sessionBus.connect(saver.service, QString(), saver.interface,
                                                   QStringLiteral("ActiveChanged"), this,
                                                   SLOT(onScreenSaverActiveChanged(bool))));
        }
    }
    if (m_systemBus.isConnected()) {
        static_cast<void>(m_systemBus.connect(kLogin1Service, kLogin1Path, kLogin1Manager,
                                              QStringLiteral("PrepareForSleep"), this, SLOT(onPrepareForSleep(bool))));
        findSession();
        takeSleepInhibitor();
    } else {
        // sessionPath() stays empty; say so at once so that nobody waits for it.
        QMetaObject::invokeMethod(this, &SessionLockWatcher::sessionLookupFinished, Qt::QueuedConnection);
    }
}

void SessionLockWatcher::findSession() {
    // XDG_SESSION_ID names the session we were started in; without it (started from a service or a terminal
    // outside a login session) logind finds the session from our process.
    const QString sessionId = qEnvironmentVariable("XDG_SESSION_ID");
    auto call = sessionId.isEmpty() ? QDBusMessage::createMethodCall(kLogin1Service, kLogin1Path, kLogin1Manager,
                                                                     QStringLiteral("GetSessionByPID"))
                                    : QDBusMessage::createMethodCall(kLogin1Service, kLogin1Path, kLogin1Manager,
                                                                     QStringLiteral("GetSession"));
    if (sessionId.isEmpty()) {
        call << static_cast<uint>(::getpid());
    } else {
        call << sessionId;
    }
    // Asynchronous: a slow or missing logind must not hold up the window.
    auto* watcher = new QDBusPendingCallWatcher(m_systemBus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, &SessionLockWatcher::onSessionFound);
}

void SessionLockWatcher::onSessionFound(QDBusPendingCallWatcher* call) {
    call->deleteLater();
    const QDBusPendingReply<QDBusObjectPath> reply = *call;
    if (!reply.isError()) {
        const QString path = reply.value().path();
        if (m_systemBus.connect(kLogin1Service, path, kLogin1Session, QStringLiteral("Lock"), this,
                                SLOT(onSessionLockSignalled()))) {
            m_sessionPath = path;
        }
    }
    Q_EMIT sessionLookupFinished();
}

void SessionLockWatcher::setLockOnSuspend(bool enabled) {
    m_lockOnSuspend = enabled;
    if (!enabled) {
        releaseSleepInhibitor();
    } else if (m_systemBus.isConnected()) {
        takeSleepInhibitor();
    }
}

void SessionLockWatcher::takeSleepInhibitor() {
    if (!m_lockOnSuspend || m_inhibitor.isValid() || m_inhibitorPending ||
        !m_systemBus.connectionCapabilities().testFlag(QDBusConnection::UnixFileDescriptorPassing)) {
        return;
    }
    auto call = QDBusMessage::createMethodCall(kLogin1Service, kLogin1Path, kLogin1Manager, QStringLiteral("Inhibit"));
    call << QStringLiteral("sleep") << QStringLiteral("Coffer") << tr("Lock the vault before sleeping")
         << QStringLiteral("delay");
    m_inhibitorPending = true;
    auto* watcher = new QDBusPendingCallWatcher(m_systemBus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, &SessionLockWatcher::onSleepInhibitorReplied);
}

void SessionLockWatcher::onSleepInhibitorReplied(QDBusPendingCallWatcher* call) {
    m_inhibitorPending = false;
    {
        const QDBusPendingReply<QDBusUnixFileDescriptor> reply = *call;
        // Turned off while the call was on its way: the reply's descriptor is closed with it.
        if (!reply.isError() && m_lockOnSuspend) {
            m_inhibitor = reply.value();
        }
    }
    // The reply holds a copy of the descriptor: it goes with the watcher, before any sleep signal can be handled.
    call->deleteLater();
    if (m_inhibitor.isValid()) {
        Q_EMIT sleepInhibitorTaken();
    }
}

void SessionLockWatcher::releaseSleepInhibitor() {
    // The last copy closes the descriptor, which tells logind that we are ready.
    m_inhibitor = QDBusUnixFileDescriptor();
}

void SessionLockWatcher::onScreenSaverActiveChanged(bool active) {
    if (active && m_lockOnScreenLock) {
        Q_EMIT lockRequested(Reason::ScreenLocked);
    }
}

void SessionLockWatcher::onSessionLockSignalled() {
    if (m_lockOnScreenLock) {
        Q_EMIT lockRequested(Reason::SessionLocked);
    }
}

void SessionLockWatcher::onPrepareForSleep(bool sleeping) {
    if (!sleeping) {
        // Resumed: be ready for the next sleep.
        takeSleepInhibitor();
        return;
    }
    if (m_lockOnSuspend) {
        Q_EMIT lockRequested(Reason::Suspending);
    }
    releaseSleepInhibitor();
}

} // namespace coffer::ui
