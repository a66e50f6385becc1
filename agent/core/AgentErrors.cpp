// SPDX-License-Identifier: Apache-2.0
#include "agent/core/AgentErrors.h"

#include <array>
#include <utility>

namespace coffer::agent {

namespace {

constexpr std::array kNames{
    std::pair{AgentError::NoRuntimeFolder, std::string_view("no-runtime-folder")},
    std::pair{AgentError::UnsafeFolder, std::string_view("unsafe-folder")},
    std::pair{AgentError::UnsafeSocket, std::string_view("unsafe-socket")},
    std::pair{AgentError::AlreadyRunning, std::string_view("already-running")},
    std::pair{AgentError::SocketFailed, std::string_view("socket-failed")},
    std::pair{AgentError::NotRunning, std::string_view("not-running")},
    std::pair{AgentError::PeerRefused, std::string_view("peer-refused")},
    std::pair{AgentError::ProtocolVersion, std::string_view("protocol-version")},
    std::pair{AgentError::Malformed, std::string_view("malformed")},
    std::pair{AgentError::TooLarge, std::string_view("too-large")},
    std::pair{AgentError::Timeout, std::string_view("timeout")},
    std::pair{AgentError::UnknownOperation, std::string_view("unknown-operation")},
    std::pair{AgentError::ConsentDenied, std::string_view("consent-denied")},
    std::pair{AgentError::Stopped, std::string_view("stopped")},
    std::pair{AgentError::OtherVault, std::string_view("other-vault")},
    std::pair{AgentError::VaultError, std::string_view("vault")},
};

} // namespace

std::string_view sentenceFor(AgentError error) noexcept {
    switch (error) {
    case AgentError::NoRuntimeFolder:
        return "no folder for the agent's socket: set XDG_RUNTIME_DIR";
    case AgentError::UnsafeFolder:
        return "the agent's socket folder belongs to another user or is open to others (it must be 0700)";
    case AgentError::UnsafeSocket:
        return "the agent's socket belongs to another user or is open to others (it must be 0600)";
    case AgentError::AlreadyRunning:
        return "an agent is already running on this socket; stop it with coffer-cli lock";
    case AgentError::SocketFailed:
        return "cannot use the agent's socket";
    case AgentError::NotRunning:
        return "no agent is running";
    case AgentError::PeerRefused:
        return "the agent refuses processes of another user";
    case AgentError::ProtocolVersion:
        return "the agent speaks another protocol version (a different Coffer version); restart it";
    case AgentError::Malformed:
        return "a malformed agent message";
    case AgentError::TooLarge:
        return "an agent message over the size limit";
    case AgentError::Timeout:
        return "the agent did not answer in time";
    case AgentError::UnknownOperation:
        return "the agent does not serve this operation";
    case AgentError::ConsentDenied:
        return "reading the protected environment was not approved (denied, or no answer in time)";
    case AgentError::Stopped:
        return "the agent stopped (locked, or its time was up)";
    case AgentError::OtherVault:
        return "the agent serves another vault";
    case AgentError::VaultError:
        return "the vault read failed";
    }
    return "agent error";
}

std::string_view wireNameOf(AgentError error) noexcept {
    for (const auto& [code, name] : kNames) {
        if (code == error) {
            return name;
        }
    }
    return "malformed";
}

std::optional<AgentError> errorNamed(std::string_view name) noexcept {
    for (const auto& [code, text] : kNames) {
        if (name == text) {
            return code;
        }
    }
    return std::nullopt;
}

} // namespace coffer::agent
