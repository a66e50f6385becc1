// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/Transport.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace coffer::tests {

/// What the test decides about one member's network, shared by every transport that member's engine makes.
/// `offline`: every exchange fails with Offline, as if the cable were out. `interpose`: when set, each
/// exchange goes through it (a tampering server; see TamperingTransport.h) instead of straight to the server.
class NetworkControl {
public:
    using Interpose =
        std::function<sync::Result<sync::HttpResponse>(const sync::HttpRequest&, sync::Transport& server)>;

    void setOffline(bool offline) noexcept { m_offline = offline; }
    [[nodiscard]] bool offline() const noexcept { return m_offline; }

    void setInterpose(Interpose interpose);
    void clearInterpose() { setInterpose({}); }
    [[nodiscard]] Interpose interpose() const;

    /// Exchanges attempted while offline (each one failed), and exchanges that reached the server.
    [[nodiscard]] int refused() const noexcept { return m_refused; }
    [[nodiscard]] int sent() const noexcept { return m_sent; }

private:
    friend class ControlledTransport;
    std::atomic<bool> m_offline{false};
    std::atomic<int> m_refused{0};
    std::atomic<int> m_sent{0};
    mutable std::mutex m_mutex;
    Interpose m_interpose;
};

/// A Transport decorator over the real one (CurlTransport) that obeys a NetworkControl.
class ControlledTransport final : public sync::Transport {
public:
    ControlledTransport(std::unique_ptr<sync::Transport> inner, std::shared_ptr<NetworkControl> control);
    [[nodiscard]] sync::Result<sync::HttpResponse> send(const sync::HttpRequest& request) override;

private:
    std::unique_ptr<sync::Transport> m_inner;
    std::shared_ptr<NetworkControl> m_control;
};

/// A TransportFactory for SyncEngine: makeCurlTransport() wrapped in a ControlledTransport on `control`.
[[nodiscard]] sync::TransportFactory controlledTransports(std::shared_ptr<NetworkControl> control);

} // namespace coffer::tests
