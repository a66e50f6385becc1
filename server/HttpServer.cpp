// SPDX-License-Identifier: Apache-2.0
#include "server/HttpServer.h"

#include "server/Responses.h"

#include <httplib.h>

namespace coffer::server {

struct HttpServer::Impl {
    Api& api;
    HttpServerOptions options;
    std::unique_ptr<httplib::Server> server;
    bool bound = false;
};

namespace {

/// httplib's target is the request line's path and query as sent; the signature covers exactly those.
Request toRequest(const httplib::Request& in) {
    Headers headers;
    for (const auto& [name, value] : in.headers)
        headers.emplace(name, value); // the first of repeated headers wins
    return Request::make(in.method, in.target.empty() ? in.path : in.target, in.body, std::move(headers));
}

void fromResponse(const Response& in, httplib::Response& out) {
    out.status = in.status;
    std::string contentType = "application/json";
    for (const auto& [name, value] : in.headers) {
        if (CaseInsensitiveLess{}(name, "Content-Type") || CaseInsensitiveLess{}("Content-Type", name))
            out.set_header(name, value);
        else
            contentType = value;
    }
    out.set_content(in.body, contentType);
}

} // namespace

HttpServer::HttpServer(Api& api, HttpServerOptions options)
    : m_impl(std::make_unique<Impl>(Impl{api, std::move(options), nullptr, false})) {}

HttpServer::~HttpServer() = default;

std::expected<int, std::string> HttpServer::bind() {
    Impl& impl = *m_impl;
    if (!impl.options.tlsCert.empty()) {
        auto tls = std::make_unique<httplib::SSLServer>(impl.options.tlsCert.c_str(), impl.options.tlsKey.c_str());
        if (!tls->is_valid())
            return std::unexpected(std::string("cannot load the TLS certificate or key"));
        impl.server = std::move(tls);
    } else {
        impl.server = std::make_unique<httplib::Server>();
    }
    httplib::Server& server = *impl.server;

    const int threads = impl.options.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server.set_read_timeout(impl.options.readTimeoutSeconds, 0);
    server.set_write_timeout(impl.options.writeTimeoutSeconds, 0);
    server.set_keep_alive_timeout(impl.options.keepAliveSeconds);
    server.set_keep_alive_max_count(impl.options.keepAliveMaxRequests);
    server.set_payload_max_length(impl.options.maxBodyBytes);
    server.set_tcp_nodelay(true);

    Api& api = impl.api;
    const auto handler = [&api](const httplib::Request& in, httplib::Response& out) {
        fromResponse(api.handle(toRequest(in)), out);
    };
    // Every route goes to the Api, which does its own routing (and answers 404 itself).
    server.Get(".*", handler);
    server.Post(".*", handler);
    server.Put(".*", handler);
    server.Delete(".*", handler);
    server.Patch(".*", handler);
    server.Options(".*", handler);
    server.set_exception_handler([](const httplib::Request&, httplib::Response& out, std::exception_ptr) {
        out.status = 500;
        out.set_content(R"({"error":"internal","message":"internal error"})", "application/json");
    });
    // httplib answers some requests itself (413 over the payload bound, 400 unparsable): give them our body shape.
    server.set_error_handler([&api](const httplib::Request& in, httplib::Response& out) {
        if (!out.body.empty())
            return; // the Api's own answer
        api.observeTransportRefusal(in.method, out.status);
        const Response error = errorResponse(out.status, out.status == 413 ? "body too large" : "bad request");
        out.set_content(error.body, "application/json");
    });

    int port = impl.options.port;
    if (port == 0) {
        port = server.bind_to_any_port(impl.options.host);
        if (port < 0)
            return std::unexpected("cannot listen on " + impl.options.host + " (any port)");
    } else if (!server.bind_to_port(impl.options.host, port)) {
        return std::unexpected("cannot listen on " + impl.options.host + ":" + std::to_string(port));
    }
    impl.bound = true;
    return port;
}

bool HttpServer::run() {
    if (!m_impl->bound)
        return false;
    return m_impl->server->listen_after_bind();
}

void HttpServer::stop() {
    if (m_impl->server)
        m_impl->server->stop();
}

} // namespace coffer::server
