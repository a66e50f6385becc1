// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <condition_variable>
#include <expected>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace coffer::tests {

/// A forwarding HTTP proxy on 127.0.0.1 (cpp-httplib) between a client and a coffer-server: every request goes
/// upstream unchanged (path and query exactly as signed, the Coffer-* headers, the body) and the reply comes
/// back unchanged. On demand it holds the next push (POST …/records): either after forwarding it (the server
/// stored the records, the client never hears so) or before (the server never sees it), until release().
/// The crash test kills the client while it waits.
class ForwardingProxy {
public:
    enum class Hold { AfterForward, BeforeForward };

    ForwardingProxy(std::string upstreamHost, int upstreamPort);
    ~ForwardingProxy();
    ForwardingProxy(const ForwardingProxy&) = delete;
    ForwardingProxy& operator=(const ForwardingProxy&) = delete;

    /// Binds a free port and starts serving; the port, or an error text.
    [[nodiscard]] std::expected<int, std::string> start();
    [[nodiscard]] int port() const noexcept { return m_port; }

    /// Holds the next push as `hold` says.
    void holdNextPush(Hold hold);
    /// Waits until a push is being held: true when one is, false after `timeout`.
    [[nodiscard]] bool waitUntilHolding(std::chrono::milliseconds timeout);
    /// The upstream status of the held push (0 when it was held before forwarding or upstream failed).
    [[nodiscard]] int heldStatus() const;
    /// Lets a held push go (its reply goes to a client that may be gone) and forwards normally again.
    void release();
    /// Pushes forwarded upstream so far.
    [[nodiscard]] int forwardedPushes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_upstreamHost;
    int m_upstreamPort = 0;
    int m_port = 0;
    std::thread m_thread;
};

} // namespace coffer::tests
