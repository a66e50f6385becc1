// SPDX-License-Identifier: Apache-2.0
#include "tests/server/client/ApiClient.h"

#include "sync/protocol/RequestAuth.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace coffer::tests {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

nlohmann::json ApiResponse::json() const {
    return nlohmann::json::parse(body, nullptr, false);
}

std::string ApiResponse::header(std::string_view name) const {
    const auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string ApiResponse::describe() const {
    if (status == 0) {
        return "no answer: " + transportError;
    }
    return "status " + std::to_string(status) + ": " + body.substr(0, 400);
}

std::string ApiResponse::errorCode() const {
    const auto parsed = json();
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
        return parsed["error"].get<std::string>();
    }
    return {};
}

struct ApiClient::Impl {
    httplib::Client client;
    Impl(const std::string& host, int port)
        : client(host, port) {
        client.set_keep_alive(true);
        // Headers and body leave in two writes: without TCP_NODELAY, Nagle and the server's delayed
        // ACK add ~40 ms to every request with a body.
        client.set_tcp_nodelay(true);
        client.set_url_encode(false);
        client.set_connection_timeout(std::chrono::seconds(10));
        client.set_read_timeout(std::chrono::seconds(30));
        client.set_write_timeout(std::chrono::seconds(30));
    }
};

ApiClient::ApiClient(std::string host, int port)
    : m_impl(std::make_unique<Impl>(host, port))
    , m_host(std::move(host))
    , m_port(port) {}

ApiClient::~ApiClient() = default;

void ApiClient::disconnect() {
    m_impl->client.stop();
}

ApiResponse ApiClient::get(const std::string& path, const std::string& query, Signer signer) {
    return send("GET", path, query, {}, signer);
}

ApiResponse ApiClient::post(const std::string& path, const nlohmann::json& body, Signer signer) {
    return send("POST", path, {}, body.dump(), signer);
}

ApiResponse ApiClient::put(const std::string& path, const nlohmann::json& body, Signer signer) {
    return send("PUT", path, {}, body.dump(), signer);
}

std::map<std::string, std::string> ApiClient::sign(const std::string& method, const std::string& path,
                                                   const std::string& query, const std::string& body, Signer signer,
                                                   std::int64_t time) {
    if (signer.key == nullptr) {
        return {};
    }
    return protocol::signRequest(method, path, query, body, *signer.key, signer.session, time != 0 ? time : unixNow());
}

ApiResponse ApiClient::send(const std::string& method, const std::string& path, const std::string& query,
                            const std::string& body, Signer signer, Breakage breakage) {
    const std::string signedPath = breakage == Breakage::OtherPath ? path + "x" : path;
    const std::string signedBody = breakage == Breakage::OtherBody ? body + " " : body;
    std::int64_t time = unixNow();
    if (breakage == Breakage::StaleTime) {
        time -= protocol::kMaxSkewSeconds + 60;
    } else if (breakage == Breakage::FutureTime) {
        time += protocol::kMaxSkewSeconds + 60;
    }
    auto headers = sign(method, signedPath, query, signedBody, signer, time);
    const std::string signatureHeader(protocol::kHeaderSignature);
    switch (breakage) {
    case Breakage::NoAuthHeaders:
        headers.clear();
        break;
    case Breakage::NoSignature:
        headers.erase(signatureHeader);
        break;
    case Breakage::BadSignature:
        if (auto it = headers.find(signatureHeader); it != headers.end() && !it->second.empty()) {
            it->second[0] = it->second[0] == 'A' ? 'B' : 'A';
        }
        break;
    case Breakage::BadKeyHex:
        for (const auto name : {protocol::kHeaderKey, protocol::kHeaderSession}) {
            if (auto it = headers.find(std::string(name)); it != headers.end()) {
                it->second = std::string(it->second.size(), 'z');
            }
        }
        break;
    case Breakage::BadNonce:
        headers[std::string(protocol::kHeaderNonce)] = "00ff";
        break;
    default:
        break;
    }
    return sendWithHeaders(method, path, query, body, headers);
}

ApiResponse ApiClient::sendWithHeaders(const std::string& method, const std::string& path, const std::string& query,
                                       const std::string& body, const std::map<std::string, std::string>& headers) {
    httplib::Request request;
    request.method = method;
    request.path = query.empty() ? path : path + "?" + query;
    for (const auto& [name, value] : headers) {
        request.headers.emplace(name, value);
    }
    if (!body.empty() || method == "POST" || method == "PUT") {
        request.headers.emplace("Content-Type", "application/json");
        request.body = body;
    }
    ApiResponse out;
    const auto started = std::chrono::steady_clock::now();
    // COFFER_TEST_TRACE=1: one line per request on stderr (method, path, status, milliseconds).
    struct Trace {
        const std::string& method;
        const std::string& path;
        const ApiResponse& out;
        std::chrono::steady_clock::time_point started;
        ~Trace() {
            static const bool enabled = std::getenv("COFFER_TEST_TRACE") != nullptr;
            if (enabled) {
                const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
                std::fprintf(stderr, "%s %s -> %d (%.1f ms)\n", method.c_str(), path.c_str(), out.status, ms.count());
            }
        }
    } trace{method, path, out, started};
    try {
        const auto result = m_impl->client.send(request);
        if (!result) {
            out.transportError = httplib::to_string(result.error());
            return out;
        }
        out.status = result->status;
        out.body = result->body;
        for (const auto& [name, value] : result->headers) {
            out.headers.emplace(lower(name), value);
        }
    } catch (const std::exception& error) {
        out.transportError = error.what();
    }
    return out;
}

} // namespace coffer::tests
