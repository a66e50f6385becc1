// SPDX-License-Identifier: Apache-2.0
#include "server/RateLimiter.h"

#include <algorithm>
#include <cmath>

namespace coffer::server {

RateLimiter::RateLimiter(const Clock& clock, double perSecond, double burst)
    : m_clock(clock)
    , m_perSecond(perSecond)
    , m_burst(std::max(burst, 1.0)) {}

RateLimiter::Decision RateLimiter::take(std::string_view key) {
    if (m_perSecond <= 0)
        return {};
    const std::int64_t now = m_clock.monotonicNanoseconds();
    const std::scoped_lock lock(m_mutex);
    auto it = m_buckets.find(std::string(key));
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= m_pruneAt)
            pruneFullBuckets(now);
        it = m_buckets.emplace(std::string(key), Bucket{m_burst, now}).first;
    }
    Bucket& bucket = it->second;
    const double elapsed = static_cast<double>(std::max<std::int64_t>(0, now - bucket.updatedNs)) / 1e9;
    bucket.tokens = std::min(m_burst, bucket.tokens + elapsed * m_perSecond);
    bucket.updatedNs = now;
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return {};
    }
    const double wait = (1.0 - bucket.tokens) / m_perSecond;
    return {false, std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)))};
}

std::size_t RateLimiter::bucketCount() const {
    const std::scoped_lock lock(m_mutex);
    return m_buckets.size();
}

void RateLimiter::pruneFullBuckets(std::int64_t nowNs) {
    // A bucket that has refilled completely behaves exactly like a new one, so dropping it changes
    // nothing for its member and keeps the map bounded by the members active in the last burst/rate seconds.
    std::erase_if(m_buckets, [&](const auto& entry) {
        const double elapsed = static_cast<double>(std::max<std::int64_t>(0, nowNs - entry.second.updatedNs)) / 1e9;
        return entry.second.tokens + elapsed * m_perSecond >= m_burst;
    });
    m_pruneAt = std::max<std::size_t>(1024, m_buckets.size() * 2);
}

} // namespace coffer::server
