// SPDX-License-Identifier: Apache-2.0
// Request authentication (sync/protocol/RequestAuth.h), as the server runs it on every request's
// headers. Input: lines "method", "path", "query", "K" or "S" (device or session key header), key,
// time, nonce, signature; the rest is the body. A header whose line is missing is absent. Properties:
// no crash; what verifies carries the request's method, path, query and body hash, a time within the
// skew, and the key and kind of key the headers named.

#include "sync/protocol/Json.h"
#include "sync/protocol/RequestAuth.h"
#include "tests/fuzz/FuzzSupport.h"

#include <array>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace p = coffer::protocol;
    using coffer::fuzz::check;
    constexpr std::int64_t kNow = 1'800'000'000; // the time of the request vectors (tests/data/protocol)

    std::string_view rest(reinterpret_cast<const char*>(data), size);
    std::array<std::optional<std::string>, 8> fields;
    for (auto& field : fields) {
        const auto newline = rest.find('\n');
        if (newline == std::string_view::npos)
            break;
        field = std::string(rest.substr(0, newline));
        rest.remove_prefix(newline + 1);
    }
    const std::string_view body = rest;
    const std::string method = fields[0].value_or("");
    const std::string path = fields[1].value_or("");
    const std::string query = fields[2].value_or("");
    const bool session = fields[3] == "S";

    const p::HeaderLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
        if (name == (session ? p::kHeaderSession : p::kHeaderKey))
            return fields[4];
        if (name == p::kHeaderTime)
            return fields[5];
        if (name == p::kHeaderNonce)
            return fields[6];
        if (name == p::kHeaderSignature)
            return fields[7];
        return std::nullopt;
    };
    const auto verified = p::verifyRequest(method, path, query, body, lookup, kNow);
    if (!verified)
        return 0;
    check(verified->method == method && verified->path == path && verified->query == query,
          "a verified request is the one that was sent");
    check(verified->bodyHash == p::bodyHash(body), "a verified request covers its body");
    check(std::llabs(verified->time - kNow) <= p::kMaxSkewSeconds, "a verified request is fresh");
    check(verified->session == session, "a verified request keeps the kind of key it named");
    check(fields[4].has_value() && p::hex(verified->key.span()) == *fields[4], "a verified request names its key");
    return 0;
}
