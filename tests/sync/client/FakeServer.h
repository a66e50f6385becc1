// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace coffer::tests {

/// What the fake server saw of one request.
struct FakeRequest {
    std::string method;
    std::string path;
    std::string query; ///< as sent, without '?'
    std::string body;
    std::map<std::string, std::string> headers; ///< names in lower case
};

/// What it answers. `streamBytes` > 0 sends that many bytes of 'x' chunked (no Content-Length), in
/// 64 KiB chunks, instead of `body`.
struct FakeReply {
    int status = 200;
    std::string body = "{}";
    std::vector<std::pair<std::string, std::string>> headers;
    std::size_t streamBytes = 0;
};

/// A tiny cpp-httplib server on 127.0.0.1 (a free port) that answers every request with what the
/// test's handler returns: hostile replies a real coffer-server never sends. It counts and keeps
/// the requests it saw.
class FakeServer {
public:
    using Handler = std::function<FakeReply(const FakeRequest&)>;

    explicit FakeServer(Handler handler);
    ~FakeServer();
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

    [[nodiscard]] int port() const noexcept { return m_port; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    [[nodiscard]] std::vector<FakeRequest> requests() const;
    /// Replaces the handler (between requests).
    void setHandler(Handler handler);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_port = 0;
};

/// A TCP port on 127.0.0.1 that nothing listens on (bound, then closed).
[[nodiscard]] int closedPort();

} // namespace coffer::tests
