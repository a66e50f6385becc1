// SPDX-License-Identifier: Apache-2.0
#include "ui/AgentHost.h"

#include "agent/AgentServer.h"
#include "ui/AgentConsent.h"
#include "ui/VaultSession.h"

#include <memory>
#include <utility>

namespace coffer::ui {

AgentHost::AgentHost(VaultSession& session, QWidget* window, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_consent(new AgentConsent(window, this)) {
    connect(&m_session, &VaultSession::unlocked, this, &AgentHost::update);
    // Before the vault closes: not one more request is read from it.
    connect(&m_session, &VaultSession::aboutToLock, this, &AgentHost::stop);
    connect(&m_session, &VaultSession::locked, this, &AgentHost::stop);
}

AgentHost::~AgentHost() {
    if (m_server != nullptr) {
        m_stopping = true;
        m_server->stop();
        m_consent->denyAll();
        delete m_server;
    }
}

void AgentHost::setSocketPath(const QString& path) {
    if (path == m_socketPath) {
        return;
    }
    stop();
    m_socketPath = path;
    update();
}

void AgentHost::setEnabled(bool enabled) {
    m_enabled = enabled;
    update();
}

bool AgentHost::isServing() const noexcept {
    return m_server != nullptr && m_server->isServing();
}

void AgentHost::suspend() {
    m_suspended = true;
    update();
}

void AgentHost::resume() {
    m_suspended = false;
    update();
}

void AgentHost::update() {
    const bool wanted = m_enabled && !m_suspended && !m_socketPath.isEmpty() && m_session.isOpen() &&
                        m_session.vault() != nullptr && m_session.vault()->isOpen();
    if (wanted && !isServing()) {
        start();
    } else if (!wanted) {
        stop();
    }
}

void AgentHost::start() {
    stop();
    auto server = std::make_unique<agent::AgentServer>(*m_session.vault(), m_consent, this);
    // The app's own idle lock decides when the vault closes; the server must not stop on its own before.
    server->setIdleTimeout(std::chrono::milliseconds::zero());
    // The dialog denies at its deadline; the server's own deadline is only the backstop.
    server->setConsentTimeout(m_consent->timeout() + std::chrono::seconds(5));
    if (auto started = server->start(m_socketPath); !started) {
        Q_EMIT noticed(tr("coffer-cli cannot use this window: %1").arg(agent::describe(started.error())));
        return;
    }
    connect(server.get(), &agent::AgentServer::stopped, this, &AgentHost::onServerStopped);
    connect(server.get(), &agent::AgentServer::requestServed, this,
            [this](const QString& command, const QString& scope) {
                Q_EMIT noticed(tr("Served to coffer-cli: %1 %2").arg(command, scope));
            });
    m_server = server.release();
    Q_EMIT servingChanged(true);
}

void AgentHost::stop() {
    if (m_server == nullptr) {
        return;
    }
    m_stopping = true;
    m_server->stop();
    // After the listener and the connections are gone: nobody waits for these answers any more.
    m_consent->denyAll();
    agent::AgentServer* server = std::exchange(m_server, nullptr);
    disconnect(server, nullptr, this, nullptr);
    server->deleteLater(); // this may run inside one of its own signals
    m_stopping = false;
    Q_EMIT servingChanged(false);
}

void AgentHost::onServerStopped() {
    if (m_stopping) {
        return;
    }
    // Not our stop(): a client sent `lock`. The vault locks with it, as the user asked.
    stop();
    Q_EMIT lockRequested();
}

} // namespace coffer::ui
