// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/integration/ControlledTransport.h"

#include <utility>

namespace coffer::tests {

void NetworkControl::setInterpose(Interpose interpose) {
    const std::lock_guard lock(m_mutex);
    m_interpose = std::move(interpose);
}

NetworkControl::Interpose NetworkControl::interpose() const {
    const std::lock_guard lock(m_mutex);
    return m_interpose;
}

ControlledTransport::ControlledTransport(std::unique_ptr<sync::Transport> inner,
                                         std::shared_ptr<NetworkControl> control)
    : m_inner(std::move(inner))
    , m_control(std::move(control)) {}

sync::Result<sync::HttpResponse> ControlledTransport::send(const sync::HttpRequest& request) {
    if (m_control->offline()) {
        ++m_control->m_refused;
        return sync::fail(sync::ErrorCode::Offline, QStringLiteral("The server could not be reached (test: offline)."));
    }
    ++m_control->m_sent;
    if (const auto interpose = m_control->interpose()) {
        return interpose(request, *m_inner);
    }
    return m_inner->send(request);
}

sync::TransportFactory controlledTransports(std::shared_ptr<NetworkControl> control) {
    return [control = std::move(control)](
               const sync::TransportOptions& options) -> sync::Result<std::unique_ptr<sync::Transport>> {
        auto inner = sync::makeCurlTransport(options);
        if (!inner) {
            return std::unexpected(inner.error());
        }
        return std::make_unique<ControlledTransport>(std::move(*inner), control);
    };
}

} // namespace coffer::tests
