// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/RequestAuth.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "sync/protocol/Json.h"
#include "sync/protocol/Wire.h"

#include <charconv>

namespace coffer::protocol {

namespace {

constexpr std::string_view kTagRequest = "coffer/request/v1";

// Unix seconds as ASCII decimal: an optional '-' and 1 to 19 digits, nothing else.
Result<std::int64_t> parseTime(std::string_view text) {
    if (text.empty() || text.size() > 20) {
        return fail(ErrorCode::Malformed, 0, "bad Coffer-Time header");
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
    if (error != std::errc() || end != text.data() + text.size()) {
        return fail(ErrorCode::Malformed, 0, "bad Coffer-Time header");
    }
    return value;
}

} // namespace

std::vector<std::byte> requestSignedBytes(const RequestToSign& request) {
    WireWriter writer(kTagRequest);
    writer.text(request.method)
        .text(request.path)
        .text(request.query)
        .fixed(request.bodyHash.bytes)
        .i64(request.time)
        .fixed(request.nonce)
        .u8(request.session ? 1 : 0)
        .fixed(request.key.bytes);
    return writer.take();
}

Hash bodyHash(std::string_view body) {
    return crypto::blake2b(crypto::asBytes(body));
}

std::map<std::string, std::string> signRequest(std::string_view method, std::string_view path, std::string_view query,
                                               std::string_view body, const crypto::SigningKeyPair& key, bool session,
                                               std::int64_t time) {
    RequestToSign request;
    request.method = std::string(method);
    request.path = std::string(path);
    request.query = std::string(query);
    request.bodyHash = bodyHash(body);
    request.time = time;
    request.nonce = crypto::randomArray<std::tuple_size_v<RequestNonce>>();
    request.key = key.publicKey;
    request.session = session;
    const crypto::Signature signature = crypto::sign(key.secretKey, requestSignedBytes(request));
    return {
        {std::string(session ? kHeaderSession : kHeaderKey), hex(key.publicKey.span())},
        {std::string(kHeaderTime), std::to_string(time)},
        {std::string(kHeaderNonce), hex(request.nonce)},
        {std::string(kHeaderSignature), base64url(signature.span())},
    };
}

Result<RequestToSign> verifyRequest(std::string_view method, std::string_view path, std::string_view query,
                                    std::string_view body, const HeaderLookup& header, std::int64_t now) {
    const auto deviceKey = header(kHeaderKey);
    const auto sessionKey = header(kHeaderSession);
    if (deviceKey.has_value() == sessionKey.has_value()) {
        return fail(ErrorCode::Malformed, 0, "exactly one of Coffer-Key and Coffer-Session is required");
    }
    const auto time = header(kHeaderTime);
    const auto nonce = header(kHeaderNonce);
    const auto signatureText = header(kHeaderSignature);
    if (!time || !nonce || !signatureText) {
        return fail(ErrorCode::Malformed, 0, "missing Coffer-Time, Coffer-Nonce or Coffer-Signature header");
    }

    RequestToSign request;
    request.method = std::string(method);
    request.path = std::string(path);
    request.query = std::string(query);
    request.session = sessionKey.has_value();
    auto key = fixedFromHex<crypto::SignPublicKey::size>(request.session ? *sessionKey : *deviceKey);
    if (!key) {
        return fail(ErrorCode::Malformed, 0, "bad key header");
    }
    request.key.bytes = *key;
    auto parsedTime = parseTime(*time);
    if (!parsedTime) {
        return std::unexpected(parsedTime.error());
    }
    request.time = *parsedTime;
    auto parsedNonce = fixedFromHex<std::tuple_size_v<RequestNonce>>(*nonce);
    if (!parsedNonce) {
        return fail(ErrorCode::Malformed, 0, "bad Coffer-Nonce header");
    }
    request.nonce = *parsedNonce;
    auto signature = fixedFromBase64url<crypto::Signature::size>(*signatureText);
    if (!signature) {
        return fail(ErrorCode::Malformed, 0, "bad Coffer-Signature header");
    }

    // Cheap checks first. The distance is taken in unsigned arithmetic (ordered operands, so it is exact):
    // a hostile time near INT64_MIN must not overflow a signed subtraction.
    const auto distance = request.time >= now
                              ? static_cast<std::uint64_t>(request.time) - static_cast<std::uint64_t>(now)
                              : static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(request.time);
    if (distance > static_cast<std::uint64_t>(kMaxSkewSeconds)) {
        return fail(ErrorCode::StaleTime, 0, "request time outside the allowed skew");
    }
    request.bodyHash = bodyHash(body);
    crypto::Signature parsedSignature;
    parsedSignature.bytes = *signature;
    if (!crypto::verify(request.key, requestSignedBytes(request), parsedSignature)) {
        return fail(ErrorCode::BadSignature, 0, "request signature does not verify");
    }
    return request;
}

} // namespace coffer::protocol
