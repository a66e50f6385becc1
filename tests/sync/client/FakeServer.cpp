// SPDX-License-Identifier: Apache-2.0
#include "tests/sync/client/FakeServer.h"

#include <httplib.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace coffer::tests {

struct FakeServer::Impl {
    httplib::Server server;
    std::thread thread;
    mutable std::mutex mutex;
    Handler handler;
    std::vector<FakeRequest> requests;
};

FakeServer::FakeServer(Handler handler)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->handler = std::move(handler);
    Impl& impl = *m_impl;
    const auto serve = [&impl](const httplib::Request& request, httplib::Response& response) {
        FakeRequest seen{request.method, request.path, {}, request.body, {}};
        const auto question = request.target.find('?');
        if (question != std::string::npos)
            seen.query = request.target.substr(question + 1);
        for (const auto& [name, value] : request.headers) {
            std::string lower = name;
            std::ranges::transform(lower, lower.begin(),
                                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            seen.headers.emplace(std::move(lower), value);
        }
        Handler current;
        {
            const std::scoped_lock lock(impl.mutex);
            impl.requests.push_back(seen);
            current = impl.handler;
        }
        const FakeReply reply = current(seen);
        response.status = reply.status;
        for (const auto& [name, value] : reply.headers)
            response.set_header(name, value);
        if (reply.streamBytes > 0) {
            const std::size_t total = reply.streamBytes;
            response.set_chunked_content_provider(
                "application/json", [total](std::size_t offset, httplib::DataSink& sink) {
                    if (offset >= total) {
                        sink.done();
                        return true;
                    }
                    const std::string chunk(std::min<std::size_t>(64 * 1024, total - offset), 'x');
                    return sink.write(chunk.data(), chunk.size());
                });
        } else {
            response.set_content(reply.body, "application/json");
        }
    };
    impl.server.set_tcp_nodelay(true); // headers and body go out in two writes: no 40 ms delayed-ACK stall
    impl.server.Get(R"(/.*)", serve);
    impl.server.Post(R"(/.*)", serve);
    impl.server.Put(R"(/.*)", serve);
    impl.server.Delete(R"(/.*)", serve);
    m_port = impl.server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0)
        throw std::runtime_error("the fake server cannot bind 127.0.0.1");
    impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!impl.server.is_running()) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("the fake server did not start");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

FakeServer::~FakeServer() {
    m_impl->server.stop();
    if (m_impl->thread.joinable())
        m_impl->thread.join();
}

std::vector<FakeRequest> FakeServer::requests() const {
    const std::scoped_lock lock(m_impl->mutex);
    return m_impl->requests;
}

void FakeServer::setHandler(Handler handler) {
    const std::scoped_lock lock(m_impl->mutex);
    m_impl->handler = std::move(handler);
}

int closedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    int port = 1;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd); // never listened: a connect is refused
    return port;
}

} // namespace coffer::tests
