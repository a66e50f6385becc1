// SPDX-License-Identifier: Apache-2.0
#include "agent/AgentError.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace coffer::agent {

namespace {

constexpr std::array kNames{
    std::pair{AgentError::NoRuntimeFolder, "no-runtime-folder"},
    std::pair{AgentError::UnsafeFolder, "unsafe-folder"},
    std::pair{AgentError::UnsafeSocket, "unsafe-socket"},
    std::pair{AgentError::AlreadyRunning, "already-running"},
    std::pair{AgentError::SocketFailed, "socket-failed"},
    std::pair{AgentError::NotRunning, "not-running"},
    std::pair{AgentError::PeerRefused, "peer-refused"},
    std::pair{AgentError::ProtocolVersion, "protocol-version"},
    std::pair{AgentError::Malformed, "malformed"},
    std::pair{AgentError::TooLarge, "too-large"},
    std::pair{AgentError::Timeout, "timeout"},
    std::pair{AgentError::UnknownOperation, "unknown-operation"},
    std::pair{AgentError::ConsentDenied, "consent-denied"},
    std::pair{AgentError::Stopped, "stopped"},
    std::pair{AgentError::OtherVault, "other-vault"},
    std::pair{AgentError::VaultError, "vault"},
};

} // namespace

QString describe(AgentError error) {
    switch (error) {
    case AgentError::NoRuntimeFolder:
        return u"no folder for the agent's socket: set XDG_RUNTIME_DIR"_s;
    case AgentError::UnsafeFolder:
        return u"the agent's socket folder belongs to another user or is open to others (it must be 0700)"_s;
    case AgentError::UnsafeSocket:
        return u"the agent's socket belongs to another user or is open to others (it must be 0600)"_s;
    case AgentError::AlreadyRunning:
        return u"an agent is already running on this socket; stop it with coffer-cli lock"_s;
    case AgentError::SocketFailed:
        return u"cannot use the agent's socket"_s;
    case AgentError::NotRunning:
        return u"no agent is running"_s;
    case AgentError::PeerRefused:
        return u"the agent refuses processes of another user"_s;
    case AgentError::ProtocolVersion:
        return u"the agent speaks another protocol version (a different Coffer version); restart it"_s;
    case AgentError::Malformed:
        return u"a malformed agent message"_s;
    case AgentError::TooLarge:
        return u"an agent message over the size limit"_s;
    case AgentError::Timeout:
        return u"the agent did not answer in time"_s;
    case AgentError::UnknownOperation:
        return u"the agent does not serve this operation"_s;
    case AgentError::ConsentDenied:
        return u"reading the protected environment was not approved (denied, or no answer in time)"_s;
    case AgentError::Stopped:
        return u"the agent stopped (locked, or its time was up)"_s;
    case AgentError::OtherVault:
        return u"the agent serves another vault"_s;
    case AgentError::VaultError:
        return u"the vault read failed"_s;
    }
    return u"agent error"_s;
}

QString wireName(AgentError error) {
    for (const auto& [code, name] : kNames) {
        if (code == error) {
            return QString::fromLatin1(name);
        }
    }
    return u"malformed"_s;
}

std::optional<AgentError> errorFromWireName(const QString& name) {
    for (const auto& [code, text] : kNames) {
        if (name == QLatin1StringView(text)) {
            return code;
        }
    }
    return std::nullopt;
}

} // namespace coffer::agent
