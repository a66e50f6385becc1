// SPDX-License-Identifier: Apache-2.0
#include "server/Auth.h"

#include "crypto/Hash.h"
#include "server/Ids.h"
#include "sync/protocol/RequestAuth.h"

namespace coffer::server {

namespace {

/// Nonces are remembered for twice the skew window: a request is accepted while its time is within
/// kMaxSkewSeconds of now, so a nonce older than that can never be replayed successfully.
constexpr std::int64_t kNonceRetentionSeconds = 2 * protocol::kMaxSkewSeconds;
constexpr std::int64_t kPruneIntervalSeconds = 60;

std::string_view authFailure(const protocol::Error& error) {
    switch (error.code) {
    case protocol::ErrorCode::StaleTime:
        return "request time outside the allowed skew";
    case protocol::ErrorCode::BadSignature:
        return "bad signature";
    default:
        return "missing or malformed authentication headers";
    }
}

} // namespace

Auth::Auth(Store& store, const Clock& clock, RateLimiter& limiter)
    : m_store(store)
    , m_clock(clock)
    , m_limiter(limiter) {}

Outcome<Caller> Auth::authenticate(const Request& request, bool allowSession) {
    const std::int64_t now = m_clock.unixSeconds();
    const protocol::HeaderLookup lookup = [&request](std::string_view name) { return request.header(name); };
    auto verified = protocol::verifyRequest(request.method, request.path, request.query, request.body, lookup, now);
    if (!verified)
        return refuse(401, authFailure(verified.error()));

    Caller caller;
    caller.session = verified->session;
    caller.signingKeyHex = crypto::toHex(verified->key.bytes);
    if (verified->session) {
        if (!allowSession)
            return refuse(401, "this request must be signed by the device key");
        auto device = m_store.sessionDeviceKey(caller.signingKeyHex, now);
        if (!device)
            return storeFailure(device.error());
        if (!*device)
            return refuse(401, "unknown or expired session");
        auto key = signKeyFromHex(**device, "device key");
        if (!key)
            return refuse(500, "internal error");
        caller.deviceKey = *key;
        caller.deviceKeyHex = std::move(**device);
    } else {
        caller.deviceKey = verified->key;
        caller.deviceKeyHex = caller.signingKeyHex;
    }

    // After the signature (so nobody can spend another member's tokens), before any storage write.
    if (const auto decision = m_limiter.take(caller.deviceKeyHex); !decision.allowed) {
        auto response = errorResponse(429, "too many requests");
        response.headers.insert_or_assign("Retry-After", std::to_string(decision.retryAfterSeconds));
        return std::unexpected(std::move(response));
    }

    auto fresh = m_store.useNonce(caller.signingKeyHex, crypto::toHex(verified->nonce), verified->time);
    if (!fresh)
        return storeFailure(fresh.error());
    if (!*fresh)
        return refuse(401, "nonce already used");
    pruneNoncesNow(now);
    return caller;
}

Outcome<MemberRow> Auth::member(std::string_view teamHex, const Caller& caller) {
    auto row = m_store.memberBySignKey(teamHex, caller.deviceKeyHex);
    if (!row)
        return storeFailure(row.error());
    if (!*row) {
        auto exists = m_store.teamExists(teamHex);
        if (!exists)
            return storeFailure(exists.error());
        if (!*exists)
            return refuse(404, "unknown team");
        return refuse(403, "not a member of this team");
    }
    if ((*row)->removed)
        return refuse(403, "removed from this team");
    return std::move(**row);
}

Outcome<MemberRow> Auth::admin(std::string_view teamHex, const Caller& caller) {
    auto row = member(teamHex, caller);
    if (row && !isAdminRole(row->role))
        return refuse(403, "only an admin may do this");
    return row;
}

void Auth::pruneNoncesNow(std::int64_t now) {
    std::int64_t last = m_lastPrune.load();
    if (now - last < kPruneIntervalSeconds || !m_lastPrune.compare_exchange_strong(last, now))
        return;
    // Best effort: a failed prune only keeps rows longer; the next interval tries again.
    static_cast<void>(m_store.pruneNonces(now - kNonceRetentionSeconds));
}

} // namespace coffer::server
