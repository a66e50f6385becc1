// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "agent/AgentError.h"
#include "agent/core/Sockets.h"

#include <QString>

#include <expected>
#include <string>

#include <sys/types.h>

/// The agent's socket from Qt code: the path checks and the connect of agent/core/Sockets.h, and who is on the
/// other end of an accepted connection.
namespace coffer::agent::local {

/// `socketPath` as file-system bytes, for agent/core/Sockets.h.
[[nodiscard]] std::string encodedPath(const QString& socketPath);

struct Peer {
    pid_t pid = 0;
    uid_t uid = 0;
    QString executable; ///< /proc/PID/exe, empty when unreadable
};
/// The peer's credentials as the kernel recorded them at connect() (SO_PEERCRED).
[[nodiscard]] std::expected<Peer, AgentError> peerOf(int fd);

} // namespace coffer::agent::local
