// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace coffer::server {

/// The server's sense of time, injectable so that tests control skew checks, expiries, rate limits
/// and durations without sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    /// Wall-clock Unix seconds: request times, expiries, the access log.
    [[nodiscard]] virtual std::int64_t unixSeconds() const = 0;
    /// Monotonic nanoseconds from an arbitrary origin: token buckets and request durations.
    [[nodiscard]] virtual std::int64_t monotonicNanoseconds() const = 0;
};

/// The real clocks (std::chrono::system_clock and steady_clock).
class SystemClock final : public Clock {
public:
    [[nodiscard]] std::int64_t unixSeconds() const override;
    [[nodiscard]] std::int64_t monotonicNanoseconds() const override;
};

} // namespace coffer::server
