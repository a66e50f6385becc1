// SPDX-License-Identifier: Apache-2.0
#include "agent/core/Sockets.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace coffer::agent::sockets {

namespace {

/// The folder holding `socketPath` ("." for a bare name), as QFileInfo::absolutePath() would name it.
std::string folderOf(const std::string& socketPath) {
    const auto slash = socketPath.find_last_of('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? std::string("/") : socketPath.substr(0, slash);
}

std::expected<void, AgentError> checkFolderAt(const std::string& folder) {
    struct stat info {};
    if (::lstat(folder.c_str(), &info) != 0) {
        return std::unexpected(errno == ENOENT ? AgentError::NotRunning : AgentError::UnsafeFolder);
    }
    if (!S_ISDIR(info.st_mode) || info.st_uid != ::getuid() || (info.st_mode & 07777) != 0700) {
        return std::unexpected(AgentError::UnsafeFolder);
    }
    return {};
}

} // namespace

std::string defaultSocketPath() {
    if (const char* path = std::getenv("COFFER_AGENT_SOCKET"); path != nullptr && *path != '\0') {
        return path;
    }
    if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime != nullptr && *runtime != '\0') {
        std::string folder(runtime);
        while (folder.size() > 1 && folder.back() == '/') {
            folder.pop_back();
        }
        return folder + (folder == "/" ? "" : "/") + "coffer/agent.sock";
    }
    return "/tmp/coffer-" + std::to_string(::getuid()) + "/agent.sock";
}

std::expected<void, AgentError> prepareFolder(const std::string& socketPath) {
    const std::string folder = folderOf(socketPath);
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
        return std::unexpected(errno == ENOENT ? AgentError::NoRuntimeFolder : AgentError::SocketFailed);
    }
    return checkFolderAt(folder);
}

std::expected<void, AgentError> checkFolder(const std::string& socketPath) {
    return checkFolderAt(folderOf(socketPath));
}

std::expected<void, AgentError> checkSocket(const std::string& socketPath) {
    struct stat info {};
    if (::lstat(socketPath.c_str(), &info) != 0) {
        return std::unexpected(AgentError::NotRunning);
    }
    if (!S_ISSOCK(info.st_mode) || info.st_uid != ::getuid() || (info.st_mode & 07777) != 0600) {
        return std::unexpected(AgentError::UnsafeSocket);
    }
    return {};
}

std::expected<sockaddr_un, AgentError> socketAddress(std::string_view path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path)) {
        return std::unexpected(AgentError::SocketFailed);
    }
    std::memcpy(address.sun_path, path.data(), path.size());
    return address;
}

std::expected<int, AgentError> connectTo(const std::string& socketPath) {
    if (auto folder = checkFolder(socketPath); !folder) {
        return std::unexpected(folder.error());
    }
    if (auto socket = checkSocket(socketPath); !socket) {
        return std::unexpected(socket.error());
    }
    const auto address = socketAddress(socketPath);
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

} // namespace coffer::agent::sockets
