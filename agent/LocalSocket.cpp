// SPDX-License-Identifier: Apache-2.0
#include "agent/LocalSocket.h"

#include <QByteArray>
#include <QFile>

#include <sys/socket.h>
#include <unistd.h>

namespace coffer::agent::local {

std::string encodedPath(const QString& socketPath) {
    return QFile::encodeName(socketPath).toStdString();
}

std::expected<Peer, AgentError> peerOf(int fd) {
    ucred credentials{};
    socklen_t size = sizeof credentials;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0 || size != sizeof credentials) {
        return std::unexpected(AgentError::PeerRefused);
    }
    Peer peer{credentials.pid, credentials.uid, {}};
    char target[4096];
    const QByteArray link = "/proc/" + QByteArray::number(credentials.pid) + "/exe";
    if (const ssize_t length = ::readlink(link.constData(), target, sizeof target - 1); length > 0) {
        peer.executable = QFile::decodeName(QByteArray(target, static_cast<qsizetype>(length)));
    }
    return peer;
}

} // namespace coffer::agent::local
