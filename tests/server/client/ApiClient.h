// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Sign.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace coffer::tests {

/// One HTTP answer. `status` 0 means no answer at all (the connection failed; see transportError).
struct ApiResponse {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers; ///< names in lower case
    std::string transportError;

    /// The body as JSON; a discarded value (is_discarded()) when it is not JSON.
    [[nodiscard]] nlohmann::json json() const;
    /// A header value by case-insensitive name, "" when absent.
    [[nodiscard]] std::string header(std::string_view name) const;
    /// "status 403: {…}" for failure messages.
    [[nodiscard]] std::string describe() const;
    /// The "error" code of an error body, "" when there is none.
    [[nodiscard]] std::string errorCode() const;
};

/// Who signs a request: a device key, a session key, or nobody (unauthenticated routes).
struct Signer {
    const crypto::SigningKeyPair* key = nullptr;
    bool session = false;

    [[nodiscard]] static Signer device(const crypto::SigningKeyPair& key) { return {&key, false}; }
    [[nodiscard]] static Signer sessionKey(const crypto::SigningKeyPair& key) { return {&key, true}; }
    [[nodiscard]] static Signer none() { return {}; }
};

/// Ways to break an authenticated request on purpose (the server must answer 401 to each).
enum class Breakage {
    None,
    NoAuthHeaders, ///< no Coffer-* header at all
    NoSignature,   ///< every header but Coffer-Signature
    BadSignature,  ///< one character of the signature changed
    OtherBody,     ///< signed over another body than the one sent
    OtherPath,     ///< signed over another path than the one sent
    StaleTime,     ///< signed (validly) with a time kMaxSkewSeconds + 60 in the past
    FutureTime,    ///< the same in the future
    BadKeyHex,     ///< the key header is not hex
    BadNonce,      ///< the nonce header is not 16 bytes of hex
};

/// A protocol-level client of one coffer-server: every request is signed with
/// protocol::signRequest (device or session key) exactly as a real client does, or broken on purpose.
/// One instance per thread (it keeps one keep-alive connection).
class ApiClient {
public:
    ApiClient(std::string host, int port);
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    [[nodiscard]] ApiResponse get(const std::string& path, const std::string& query, Signer signer);
    [[nodiscard]] ApiResponse post(const std::string& path, const nlohmann::json& body, Signer signer);
    [[nodiscard]] ApiResponse put(const std::string& path, const nlohmann::json& body, Signer signer);

    /// Any method with a raw body; `query` without '?'.
    [[nodiscard]] ApiResponse send(const std::string& method, const std::string& path, const std::string& query,
                                   const std::string& body, Signer signer, Breakage breakage = Breakage::None);

    /// The authentication headers a request would carry (fresh nonce, `time` or now).
    [[nodiscard]] static std::map<std::string, std::string> sign(const std::string& method, const std::string& path,
                                                                 const std::string& query, const std::string& body,
                                                                 Signer signer, std::int64_t time = 0);
    /// Sends exactly these extra headers (for replaying a captured request).
    [[nodiscard]] ApiResponse sendWithHeaders(const std::string& method, const std::string& path,
                                              const std::string& query, const std::string& body,
                                              const std::map<std::string, std::string>& headers);

    /// Closes the keep-alive connection (the next request opens a new one). Call it before stopping a
    /// server: an idle keep-alive connection holds one of its threads until its keep-alive timeout.
    void disconnect();

    [[nodiscard]] const std::string& host() const noexcept { return m_host; }
    [[nodiscard]] int port() const noexcept { return m_port; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_host;
    int m_port = 0;
};

/// The current Unix time in seconds.
[[nodiscard]] std::int64_t unixNow();

} // namespace coffer::tests
