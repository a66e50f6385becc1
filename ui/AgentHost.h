// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

class QWidget;

namespace coffer::agent {
class AgentServer;
}

namespace coffer::ui {

class AgentConsent;
class VaultSession;

/// The desktop app as the agent (docs/agent.md): while the session is unlocked, an agent::AgentServer serves its
/// vault to `coffer-cli` at socketPath(), asking AgentConsent before a protected environment is read. Locking
/// (and quitting, which locks) stops it at once, before the vault closes: VaultSession::aboutToLock. A new server
/// is made at each unlock, so an "Allow for N minutes" ends with the lock.
///
/// Serves only with a socket path set and serving enabled (Settings: "Serve coffer-cli while unlocked"); tests
/// that set no path serve nothing. `coffer-cli lock` stops the server: the window locks then too.
class AgentHost : public QObject {
    Q_OBJECT
public:
    AgentHost(VaultSession& session, QWidget* window, QObject* parent = nullptr);
    ~AgentHost() override;

    /// Where to serve; empty (the default) serves nothing. Applied at once when unlocked.
    void setSocketPath(const QString& path);
    [[nodiscard]] const QString& socketPath() const noexcept { return m_socketPath; }
    /// The setting: serve while unlocked or not. Applied at once.
    void setEnabled(bool enabled);
    [[nodiscard]] bool isEnabled() const noexcept { return m_enabled; }
    [[nodiscard]] bool isServing() const noexcept;
    [[nodiscard]] AgentConsent& consent() const noexcept { return *m_consent; }
    /// Stops serving until resume() (the Settings dialog may re-encrypt the vault on a worker thread meanwhile).
    void suspend();
    void resume();

Q_SIGNALS:
    /// Serving started or stopped.
    void servingChanged(bool serving);
    /// A sentence for the status bar (the socket is taken, a request was served, ...).
    void noticed(const QString& message);
    /// The agent was told to lock by a client (`coffer-cli lock`): the window locks.
    void lockRequested();

private:
    void update();
    void start();
    void stop();
    void onServerStopped();

    VaultSession& m_session;
    AgentConsent* m_consent;
    QString m_socketPath;
    bool m_enabled = true;
    bool m_suspended = false;
    bool m_stopping = false;
    // A child: one stopped from inside its own signal is deleted later, and at the latest with this object.
    agent::AgentServer* m_server = nullptr;
};

} // namespace coffer::ui
