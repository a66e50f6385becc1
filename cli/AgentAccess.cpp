// SPDX-License-Identifier: Apache-2.0
#include "cli/AgentAccess.h"

#include "agent/AgentServer.h"
#include "cli/Output.h"
#include "cli/Session.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace coffer::cli {

std::optional<agent::client::Target> agentTarget(const Session& session) {
    if (session.flag(u"no-agent"_s)) {
        return std::nullopt;
    }
    const QString vault = QFileInfo(session.vaultPath()).canonicalFilePath();
    if (vault.isEmpty()) {
        return std::nullopt;
    }
    return agent::client::Target{agent::AgentServer::defaultSocketPath(), vault};
}

std::optional<Failure> agentFailure(const agent::client::Refusal& refusal) {
    using agent::AgentError;
    switch (refusal.error) {
    case AgentError::VaultError:
        return readFailure(refusal.vault);
    case AgentError::ConsentDenied:
        return Failure{ExitCode::Failed, agent::describe(refusal.error)};
    case AgentError::NotRunning:
    case AgentError::OtherVault:
    case AgentError::NoRuntimeFolder:
        return std::nullopt;
    case AgentError::UnsafeFolder:
    case AgentError::UnsafeSocket:
    case AgentError::AlreadyRunning:
    case AgentError::SocketFailed:
    case AgentError::PeerRefused:
    case AgentError::ProtocolVersion:
    case AgentError::Malformed:
    case AgentError::TooLarge:
    case AgentError::Timeout:
    case AgentError::UnknownOperation:
    case AgentError::Stopped:
        printError(u"not using the agent: %1"_s.arg(agent::describe(refusal.error)));
        return std::nullopt;
    }
    return std::nullopt;
}

Failure readFailure(const agent::reads::ReadError& error) {
    return Failure{exitCodeFor(error.code), error.message};
}

} // namespace coffer::cli
