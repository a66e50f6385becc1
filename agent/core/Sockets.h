// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/core/AgentErrors.h"

#include <expected>
#include <string>
#include <string_view>

#include <sys/un.h>

/// The agent's socket on the file system, without Qt (agent/LocalSocket.h wraps these for the agent and the
/// full CLI; coffer-cli's front end uses them directly). The socket's folder must be ours and 0700, the socket
/// ours and 0600: anything else is refused, never repaired, because it means another user could reach (or
/// replace) the socket. Paths are file-system bytes.
namespace coffer::agent::sockets {

/// $COFFER_AGENT_SOCKET, else $XDG_RUNTIME_DIR/coffer/agent.sock, else /tmp/coffer-UID/agent.sock.
[[nodiscard]] std::string defaultSocketPath();

/// Creates the socket's folder 0700 when missing; UnsafeFolder when it exists but is not a folder owned by
/// this user with mode 0700.
[[nodiscard]] std::expected<void, AgentError> prepareFolder(const std::string& socketPath);
/// The folder check without creating it (the client's side): NotRunning when it is missing.
[[nodiscard]] std::expected<void, AgentError> checkFolder(const std::string& socketPath);
/// NotRunning when there is no file, UnsafeSocket when it is not a socket owned by this user with mode 0600.
[[nodiscard]] std::expected<void, AgentError> checkSocket(const std::string& socketPath);

/// The address of the socket file `path`; SocketFailed when it is too long for sun_path.
[[nodiscard]] std::expected<sockaddr_un, AgentError> socketAddress(std::string_view path);

/// A connected, close-on-exec socket to the agent, after checkFolder() and checkSocket().
[[nodiscard]] std::expected<int, AgentError> connectTo(const std::string& socketPath);

} // namespace coffer::agent::sockets
