// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/integration/ForwardingProxy.h"

#include <httplib.h>

#include <optional>

namespace coffer::tests {

struct ForwardingProxy::Impl {
    httplib::Server server;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::optional<Hold> armed;
    bool holding = false;
    bool released = false;
    int heldStatus = 0;
    int forwardedPushes = 0;
};

namespace {

bool isPush(const httplib::Request& request) {
    return request.method == "POST" && request.path.ends_with("/records");
}

} // namespace

ForwardingProxy::ForwardingProxy(std::string upstreamHost, int upstreamPort)
    : m_impl(std::make_unique<Impl>())
    , m_upstreamHost(std::move(upstreamHost))
    , m_upstreamPort(upstreamPort) {}

ForwardingProxy::~ForwardingProxy() {
    release();
    m_impl->server.stop();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

std::expected<int, std::string> ForwardingProxy::start() {
    Impl& impl = *m_impl;
    auto forward = [this, &impl](const httplib::Request& request, httplib::Response& response) {
        std::optional<Hold> hold;
        if (isPush(request)) {
            std::unique_lock lock(impl.mutex);
            if (impl.armed) {
                hold = impl.armed;
                impl.armed.reset();
                impl.released = false;
            }
        }
        auto waitForRelease = [&impl](int status) {
            std::unique_lock lock(impl.mutex);
            impl.holding = true;
            impl.heldStatus = status;
            impl.changed.notify_all();
            impl.changed.wait(lock, [&impl] { return impl.released; });
            impl.holding = false;
        };
        if (hold == Hold::BeforeForward) {
            waitForRelease(0);
            response.status = 503;
            response.set_content(R"({"error":"unavailable","message":"held by the test proxy"})", "application/json");
            return;
        }
        httplib::Client upstream(m_upstreamHost, m_upstreamPort);
        upstream.set_read_timeout(60, 0);
        upstream.set_keep_alive(false);
        httplib::Headers headers;
        for (const auto& [name, value] : request.headers) {
            if (name.starts_with("Coffer-") || name.starts_with("coffer-")) {
                headers.emplace(name, value);
            }
        }
        const std::string contentType = request.get_header_value("Content-Type");
        httplib::Result result = request.method == "GET" ? upstream.Get(request.target, headers)
                                 : request.method == "PUT"
                                     ? upstream.Put(request.target, headers, request.body,
                                                    contentType.empty() ? "application/json" : contentType)
                                     : upstream.Post(request.target, headers, request.body,
                                                     contentType.empty() ? "application/json" : contentType);
        if (isPush(request)) {
            const std::lock_guard lock(impl.mutex);
            ++impl.forwardedPushes;
        }
        if (!result) {
            if (hold) {
                waitForRelease(0);
            }
            response.status = 502;
            return;
        }
        if (hold == Hold::AfterForward) {
            waitForRelease(result->status);
        }
        response.status = result->status;
        for (const auto& [name, value] : result->headers) {
            if (name == "Retry-After" || name == "retry-after") {
                response.set_header(name.c_str(), value);
            }
        }
        response.set_content(result->body, result->get_header_value("Content-Type").c_str());
    };
    impl.server.Get(".*", forward);
    impl.server.Post(".*", forward);
    impl.server.Put(".*", forward);
    m_port = impl.server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        return std::unexpected(std::string("the proxy cannot bind a port on 127.0.0.1"));
    }
    m_thread = std::thread([&impl] { impl.server.listen_after_bind(); });
    return m_port;
}

void ForwardingProxy::holdNextPush(Hold hold) {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->armed = hold;
    m_impl->released = false;
}

bool ForwardingProxy::waitUntilHolding(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_impl->mutex);
    return m_impl->changed.wait_for(lock, timeout, [this] { return m_impl->holding; });
}

int ForwardingProxy::heldStatus() const {
    const std::lock_guard lock(m_impl->mutex);
    return m_impl->heldStatus;
}

void ForwardingProxy::release() {
    const std::lock_guard lock(m_impl->mutex);
    m_impl->armed.reset();
    m_impl->released = true;
    m_impl->changed.notify_all();
}

int ForwardingProxy::forwardedPushes() const {
    const std::lock_guard lock(m_impl->mutex);
    return m_impl->forwardedPushes;
}

} // namespace coffer::tests
