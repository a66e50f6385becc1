// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "sync/SyncError.h"

#include <QString>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace coffer::sync {

struct HttpRequest {
    std::string method; ///< GET, POST, PUT
    std::string path;   ///< "/v1/teams/…", as signed
    std::string query;  ///< without '?', "" when none, as signed
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< besides Content-Type, which is JSON
};

struct HttpResponse {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers; ///< names in lower case
};

/// One HTTP exchange with a sync server. Implementations: CurlTransport (the real one) and, in tests,
/// fault-injecting and tampering decorators. An error means no usable response (Offline, Tls, Redirect,
/// HostileResponse for an oversized reply); any HTTP status is a response, not an error.
class Transport {
public:
    virtual ~Transport() = default;
    [[nodiscard]] virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

struct TransportOptions {
    QString baseUrl; ///< https://host[:port][/prefix]; http:// only for a loopback host (tests, local servers)
    QString caFile;  ///< a PEM bundle to trust instead of the system's; "" = system store
    std::chrono::seconds connectTimeout{10};
    std::chrono::seconds timeout{60}; ///< a whole exchange
    /// A larger reply is HostileResponse. A full page (1000 records at the server's 64 KiB record bound, base64)
    /// is about 90 MB.
    std::size_t maxResponseBytes = 128 * 1024 * 1024;
};

/// libcurl: TLS peer and host verification always on, never a redirect followed, no proxy from the
/// environment for loopback, HTTP/1.1. InvalidInput for a URL that is not https (or http to loopback), has
/// credentials, a query or a fragment.
[[nodiscard]] Result<std::unique_ptr<Transport>> makeCurlTransport(const TransportOptions& options);

/// How the engine gets a transport for a team's server (tests substitute decorators here).
using TransportFactory = std::function<Result<std::unique_ptr<Transport>>(const TransportOptions& options)>;

} // namespace coffer::sync
