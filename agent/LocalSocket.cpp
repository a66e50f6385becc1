// SPDX-License-Identifier: Apache-2.0
#include "agent/LocalSocket.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace coffer::agent::local {

namespace {

QByteArray folderOf(const QString& socketPath) {
    return QFile::encodeName(QFileInfo(socketPath).absolutePath());
}

std::expected<void, AgentError> checkFolderAt(const QByteArray& folder) {
    struct stat info {};
    if (::lstat(folder.constData(), &info) != 0) {
        return std::unexpected(errno == ENOENT ? AgentError::NotRunning : AgentError::UnsafeFolder);
    }
    if (!S_ISDIR(info.st_mode) || info.st_uid != ::getuid() || (info.st_mode & 07777) != 0700) {
        return std::unexpected(AgentError::UnsafeFolder);
    }
    return {};
}

} // namespace

std::expected<void, AgentError> prepareFolder(const QString& socketPath) {
    const QByteArray folder = folderOf(socketPath);
    if (::mkdir(folder.constData(), 0700) != 0 && errno != EEXIST) {
        return std::unexpected(errno == ENOENT ? AgentError::NoRuntimeFolder : AgentError::SocketFailed);
    }
    return checkFolderAt(folder);
}

std::expected<void, AgentError> checkFolder(const QString& socketPath) {
    return checkFolderAt(folderOf(socketPath));
}

std::expected<void, AgentError> checkSocket(const QString& socketPath) {
    struct stat info {};
    if (::lstat(QFile::encodeName(socketPath).constData(), &info) != 0) {
        return std::unexpected(AgentError::NotRunning);
    }
    if (!S_ISSOCK(info.st_mode) || info.st_uid != ::getuid() || (info.st_mode & 07777) != 0600) {
        return std::unexpected(AgentError::UnsafeSocket);
    }
    return {};
}

std::expected<sockaddr_un, AgentError> socketAddress(const QByteArray& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (static_cast<std::size_t>(path.size()) >= sizeof(address.sun_path)) {
        return std::unexpected(AgentError::SocketFailed);
    }
    std::memcpy(address.sun_path, path.constData(), static_cast<std::size_t>(path.size()));
    return address;
}

std::expected<int, AgentError> connectTo(const QString& socketPath) {
    if (auto folder = checkFolder(socketPath); !folder) {
        return std::unexpected(folder.error());
    }
    if (auto socket = checkSocket(socketPath); !socket) {
        return std::unexpected(socket.error());
    }
    const QByteArray path = QFile::encodeName(socketPath);
    const auto address = socketAddress(path);
    if (!address) {
        return std::unexpected(address.error());
    }
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return std::unexpected(AgentError::SocketFailed);
    }
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof(sockaddr_un)) != 0) {
        const int error = errno;
        ::close(fd);
        return std::unexpected(error == ECONNREFUSED || error == ENOENT ? AgentError::NotRunning
                                                                        : AgentError::SocketFailed);
    }
    return fd;
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
