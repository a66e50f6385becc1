// SPDX-License-Identifier: Apache-2.0
#include "server/Clock.h"

#include <chrono>

namespace coffer::server {

std::int64_t SystemClock::unixSeconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t SystemClock::monotonicNanoseconds() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace coffer::server
