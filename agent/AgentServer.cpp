// SPDX-License-Identifier: Apache-2.0
#include "agent/AgentServer.h"

#include <QDir>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::agent {

class ServerState {
public:
    model::Vault* vault = nullptr;
    ConsentProvider* consent = nullptr;
    QString socketPath;
    bool serving = false;
};

AgentServer::AgentServer(model::Vault& vault, ConsentProvider* consent, QObject* parent)
    : QObject(parent)
    , m_state(std::make_unique<ServerState>()) {
    m_state->vault = &vault;
    m_state->consent = consent;
}

AgentServer::~AgentServer() = default;

std::expected<void, AgentError> AgentServer::start(const QString& socketPath) {
    m_state->socketPath = socketPath;
    return std::unexpected(AgentError::SocketFailed); // placeholder: the server lands in the next commit
}

void AgentServer::stop() {
    if (m_state->serving) {
        m_state->serving = false;
        Q_EMIT stopped();
    }
}

bool AgentServer::isServing() const noexcept {
    return m_state->serving;
}

QString AgentServer::socketPath() const {
    return m_state->socketPath;
}

QString AgentServer::defaultSocketPath() {
    if (const QString path = qEnvironmentVariable("COFFER_AGENT_SOCKET"); !path.isEmpty()) {
        return path;
    }
    if (const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR"); !runtime.isEmpty()) {
        return QDir(runtime).filePath(u"coffer/agent.sock"_s);
    }
    return u"/tmp/coffer-%1/agent.sock"_s.arg(::getuid());
}

void AgentServer::setConsentTimeout(std::chrono::milliseconds) {}
void AgentServer::setIdleTimeout(std::chrono::milliseconds) {}
void AgentServer::setMaxLifetime(std::chrono::milliseconds) {}

} // namespace coffer::agent
