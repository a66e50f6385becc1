// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string_view>

/// The agent's error codes, without Qt: coffer-cli's front end (app/coffer-cli/FrontEnd.cpp) reports them
/// with the same words as the full CLI (agent/AgentError.h wraps these for Qt).
namespace coffer::agent {

/// Why the agent could not start, or why a request through it failed. Each has its own wire code
/// (docs/agent.md), so the client can say precisely what went wrong.
enum class AgentError {
    NoRuntimeFolder,  ///< no usable folder for the socket ($XDG_RUNTIME_DIR unset and no fallback)
    UnsafeFolder,     ///< the socket's folder is not ours or is open to others (mode other than 0700)
    UnsafeSocket,     ///< the socket is not ours or not mode 0600
    AlreadyRunning,   ///< another agent answers on the socket
    SocketFailed,     ///< socket(), bind(), listen() or connect() failed
    NotRunning,       ///< no agent answers on the socket
    PeerRefused,      ///< the peer runs as another user (SO_PEERCRED)
    ProtocolVersion,  ///< the peer speaks another protocol version
    Malformed,        ///< a message that breaks the framing or misses a field
    TooLarge,         ///< a message over the size bound
    Timeout,          ///< the peer did not answer in time
    UnknownOperation, ///< an operation the agent does not serve
    ConsentDenied,    ///< the user denied (or did not answer) a read of a protected environment
    Stopped,          ///< the agent stopped (locked, idle or lifetime timeout) while the request waited
    OtherVault,       ///< the agent serves another vault than the one asked for
    VaultError,       ///< the vault read failed (not found, ...): the reply carries the model error
};

/// A sentence for people (never a secret).
[[nodiscard]] std::string_view sentenceFor(AgentError error) noexcept;

/// The stable wire name of `error` ("consent-denied", ...), and back.
[[nodiscard]] std::string_view wireNameOf(AgentError error) noexcept;
[[nodiscard]] std::optional<AgentError> errorNamed(std::string_view name) noexcept;

} // namespace coffer::agent
