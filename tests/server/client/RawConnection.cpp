// SPDX-License-Identifier: Apache-2.0
#include "tests/server/client/RawConnection.h"

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace coffer::tests {
namespace {

std::expected<int, std::string> openSocket(const std::string& host, int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        return std::unexpected("not an IPv4 address: " + host);
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return std::unexpected(std::string("socket: ") + std::strerror(errno));
    }
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        const std::string error = std::strerror(errno);
        ::close(fd);
        return std::unexpected("connect: " + error);
    }
    return fd;
}

} // namespace

RawConnection::~RawConnection() {
    close();
}

std::expected<void, std::string> RawConnection::connect(const std::string& host, int port) {
    close();
    auto fd = openSocket(host, port);
    if (!fd) {
        return std::unexpected(fd.error());
    }
    m_fd = *fd;
    return {};
}

bool RawConnection::sendAll(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) {
            continue;
        }
        if (sent <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

std::string RawConnection::readResponse(std::chrono::milliseconds timeout) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        // Complete once the headers and Content-Length bytes of body are in.
        if (const auto end = out.find("\r\n\r\n"); end != std::string::npos) {
            std::string headers = out.substr(0, end);
            for (auto& c : headers) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            if (const auto at = headers.find("content-length:"); at != std::string::npos) {
                const std::size_t length = std::strtoul(headers.c_str() + at + 15, nullptr, 10);
                if (out.size() >= end + 4 + length) {
                    return out;
                }
            }
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) {
            return out;
        }
        pollfd fd{m_fd, POLLIN, 0};
        const int ready = ::poll(&fd, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return out;
        }
        std::array<char, 4096> buffer{};
        const ssize_t got = ::recv(m_fd, buffer.data(), buffer.size(), 0);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return out;
        }
        out.append(buffer.data(), static_cast<std::size_t>(got));
    }
}

void RawConnection::close() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

int RawConnection::statusOf(std::string_view response) {
    if (!response.starts_with("HTTP/1.") || response.size() < 12) {
        return 0;
    }
    return std::atoi(std::string(response.substr(9, 3)).c_str());
}

std::string RawConnection::bodyOf(std::string_view response) {
    const auto end = response.find("\r\n\r\n");
    return end == std::string_view::npos ? std::string() : std::string(response.substr(end + 4));
}

bool connectionRefused(const std::string& host, int port) {
    auto fd = openSocket(host, port);
    if (fd) {
        ::close(*fd);
        return false;
    }
    return true;
}

} // namespace coffer::tests
