// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Sign.h"
#include "sync/protocol/ProtocolError.h"
#include "sync/protocol/Types.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

/// Request authentication. Every API request carries four headers:
///   Coffer-Key: <hex Ed25519 public key>      (a device key) — or —
///   Coffer-Session: <hex Ed25519 public key>  (a short-lived session key the device key registered)
///   Coffer-Time: <Unix seconds>
///   Coffer-Nonce: <hex, 16 random bytes>
///   Coffer-Signature: <base64url Ed25519 signature over requestSignedBytes()>
/// The server checks the signature, a time within kMaxSkewSeconds and a nonce never seen before
/// (remembered for the whole window). No password or bearer token exists.
namespace coffer::protocol {

inline constexpr std::int64_t kMaxSkewSeconds = 300;
inline constexpr std::int64_t kMaxSessionSeconds = 600;

inline constexpr std::string_view kHeaderKey = "Coffer-Key";
inline constexpr std::string_view kHeaderSession = "Coffer-Session";
inline constexpr std::string_view kHeaderTime = "Coffer-Time";
inline constexpr std::string_view kHeaderNonce = "Coffer-Nonce";
inline constexpr std::string_view kHeaderSignature = "Coffer-Signature";

struct RequestToSign {
    std::string method; ///< upper case: GET, POST, PUT, DELETE
    std::string path;   ///< as sent, without the query ("/v1/teams/…/records")
    std::string query;  ///< as sent, without '?', "" when none
    Hash bodyHash{};    ///< BLAKE2b-256 of the body bytes (of the empty string when none)
    std::int64_t time = 0;
    RequestNonce nonce{};
    crypto::SignPublicKey key{}; ///< the device or session key that signs
    bool session = false;        ///< true: `key` is a session key
};

/// "coffer/request/v1" ‖ method ‖ path ‖ query ‖ bodyHash ‖ time ‖ nonce ‖ session flag ‖ key.
[[nodiscard]] std::vector<std::byte> requestSignedBytes(const RequestToSign& request);
[[nodiscard]] Hash bodyHash(std::string_view body);

/// The four (five) headers for a request, with a fresh nonce and `time`.
[[nodiscard]] std::map<std::string, std::string> signRequest(std::string_view method, std::string_view path,
                                                             std::string_view query, std::string_view body,
                                                             const crypto::SigningKeyPair& key, bool session,
                                                             std::int64_t time);

/// Parses the headers (a lookup function keeps this independent of any HTTP library) and checks the
/// signature and the skew against `now`. Nonce replay is the caller's check (it needs storage).
/// Malformed for missing or bad headers, StaleTime, BadSignature.
using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;
[[nodiscard]] Result<RequestToSign> verifyRequest(std::string_view method, std::string_view path,
                                                  std::string_view query, std::string_view body,
                                                  const HeaderLookup& header, std::int64_t now);

/// The body of POST /v1/sessions, signed (through the request) by the device key.
struct SessionRequest {
    crypto::SignPublicKey sessionKey{};
    std::int64_t expiresAt = 0; ///< the server caps it at now + kMaxSessionSeconds
};

} // namespace coffer::protocol
