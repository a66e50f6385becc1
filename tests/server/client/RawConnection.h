// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

namespace coffer::tests {

/// A bare TCP connection for requests no HTTP library would send: a body delivered in parts (a
/// request kept in flight), a broken request line, a lying Content-Length.
class RawConnection {
public:
    RawConnection() = default;
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Connects to host:port (IPv4 literal); an error text on failure.
    [[nodiscard]] std::expected<void, std::string> connect(const std::string& host, int port);
    /// Writes all of `bytes`; false when the peer closed.
    [[nodiscard]] bool sendAll(std::string_view bytes);
    /// Reads until the peer closes or a whole response (headers + Content-Length body) arrived, or
    /// `timeout` passed; returns what arrived.
    [[nodiscard]] std::string readResponse(std::chrono::milliseconds timeout = std::chrono::seconds(30));
    void close();

    /// The status code of an HTTP/1.1 response text, 0 when it is not one.
    [[nodiscard]] static int statusOf(std::string_view response);
    /// The body of a response text (after the blank line).
    [[nodiscard]] static std::string bodyOf(std::string_view response);

private:
    int m_fd = -1;
};

/// True when a new TCP connection to host:port is refused (the server closed its listening socket).
[[nodiscard]] bool connectionRefused(const std::string& host, int port);

} // namespace coffer::tests
