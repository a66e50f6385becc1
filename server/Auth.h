// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"
#include "server/Clock.h"
#include "server/RateLimiter.h"
#include "server/Request.h"
#include "server/Responses.h"
#include "server/Store.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace coffer::server {

/// Who made an authenticated request.
struct Caller {
    crypto::SignPublicKey deviceKey{}; ///< the member's device key (a session resolves to it)
    std::string deviceKeyHex;
    std::string signingKeyHex; ///< the key that signed: the device key or the session key
    bool session = false;
};

/// Request authentication and the membership checks every team route starts with.
/// authenticate(): the signature over method, path, query, body hash, time and nonce (RequestAuth.h),
/// |time - now| <= 300 s, a session that has not expired (it resolves to its device key), the rate
/// limit of that device key, then the nonce, remembered through Store::useNonce so that a replay is
/// refused by every instance sharing the database. Each failure is a 401 with one line that says
/// which check failed (the signature check itself never says more than "bad signature").
class Auth {
public:
    Auth(Store& store, const Clock& clock, RateLimiter& limiter);

    /// 401 (headers, signature, time, nonce, session), 429 (rate), 503/500 (storage).
    /// With `allowSession` false, a request signed by a session key is refused (401).
    [[nodiscard]] Outcome<Caller> authenticate(const Request& request, bool allowSession);

    /// The caller's current member row in `team`: 404 unknown team, 403 not a member or removed.
    [[nodiscard]] Outcome<MemberRow> member(std::string_view teamHex, const Caller& caller);
    /// As member(), and 403 unless the caller is an admin or owner now.
    [[nodiscard]] Outcome<MemberRow> admin(std::string_view teamHex, const Caller& caller);

private:
    void pruneNoncesNow(std::int64_t now);

    Store& m_store;
    const Clock& m_clock;
    RateLimiter& m_limiter;
    std::atomic<std::int64_t> m_lastPrune{0};
};

} // namespace coffer::server
