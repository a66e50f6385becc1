// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "server/Clock.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coffer::server {

/// A token bucket per key (a member's device key), in this instance only: with N instances behind
/// a load balancer a member gets at most N times the rate, which is what a per-instance limit is for
/// (protecting this process), not a quota. Thread-safe.
class RateLimiter {
public:
    /// `perSecond` tokens are added each second up to `burst`; a rate of 0 or less disables limiting.
    RateLimiter(const Clock& clock, double perSecond, double burst);

    struct Decision {
        bool allowed = true;
        std::int64_t retryAfterSeconds = 0; ///< whole seconds until one token is back (>= 1 when refused)
    };

    /// Takes one token from `key`'s bucket (a full bucket for a key not seen before).
    [[nodiscard]] Decision take(std::string_view key);
    /// How many buckets are held (full idle buckets are dropped as new keys arrive).
    [[nodiscard]] std::size_t bucketCount() const;

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t updatedNs = 0;
    };
    void pruneFullBuckets(std::int64_t nowNs);

    const Clock& m_clock;
    double m_perSecond;
    double m_burst;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
    std::size_t m_pruneAt = 1024;
};

} // namespace coffer::server
