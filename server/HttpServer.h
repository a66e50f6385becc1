// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Api.h"

#include <cstddef>
#include <expected>
#include <memory>
#include <string>

namespace coffer::server {

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    int port = 8443;     ///< 0: any free port (bind() returns it)
    std::string tlsCert; ///< PEM files; both empty: plain HTTP (behind a TLS-terminating proxy)
    std::string tlsKey;
    int readTimeoutSeconds = 10;
    int writeTimeoutSeconds = 10;
    int threads = 8;
    std::size_t maxBodyBytes = 4 * 1024 * 1024; ///< refused with 413 while reading
    int keepAliveSeconds = 5;                   ///< idle time before a kept-alive connection is closed
    std::size_t keepAliveMaxRequests = 100;
};

/// HTTP/1.1 (or HTTPS) in front of an Api, over cpp-httplib: it converts each request to a plain
/// Request, hands it to the Api and writes the Response back. Nothing else happens here.
class HttpServer {
public:
    HttpServer(Api& api, HttpServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds the listening socket; the bound port (the real one for port 0), or why not (a TLS file
    /// that does not load, an address in use).
    [[nodiscard]] std::expected<int, std::string> bind();
    /// Accepts and serves until stop(); returns when the requests in flight have finished.
    /// False when the server could not run (not bound).
    bool run();
    /// Stops accepting and makes run() return after the requests in flight. Thread-safe; not
    /// async-signal-safe (call it from a thread that waited for the signal, never from a handler).
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace coffer::server
