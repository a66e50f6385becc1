// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentError.h"

#include <QString>

#include <expected>

#include <sys/types.h>
#include <sys/un.h>

/// The agent's socket on the file system, and who is on its other end. The socket's folder must be ours and
/// 0700, the socket ours and 0600: anything else is refused, never repaired, because it means another user
/// could reach (or replace) the socket.
namespace coffer::agent::local {

/// Creates the socket's folder 0700 when missing; UnsafeFolder when it exists but is not a folder owned by
/// this user with mode 0700.
[[nodiscard]] std::expected<void, AgentError> prepareFolder(const QString& socketPath);
/// The folder check without creating it (the client's side): NotRunning when it is missing.
[[nodiscard]] std::expected<void, AgentError> checkFolder(const QString& socketPath);
/// NotRunning when there is no file, UnsafeSocket when it is not a socket owned by this user with mode 0600.
[[nodiscard]] std::expected<void, AgentError> checkSocket(const QString& socketPath);

/// The address of the socket file `path` (encoded); SocketFailed when it is too long for sun_path.
[[nodiscard]] std::expected<sockaddr_un, AgentError> socketAddress(const QByteArray& path);

/// A connected, close-on-exec socket to the agent, after checkFolder() and checkSocket().
[[nodiscard]] std::expected<int, AgentError> connectTo(const QString& socketPath);

struct Peer {
    pid_t pid = 0;
    uid_t uid = 0;
    QString executable; ///< /proc/PID/exe, empty when unreadable
};
/// The peer's credentials as the kernel recorded them at connect() (SO_PEERCRED).
[[nodiscard]] std::expected<Peer, AgentError> peerOf(int fd);

} // namespace coffer::agent::local
