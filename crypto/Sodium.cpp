// SPDX-License-Identifier: Apache-2.0
#include "crypto/Sodium.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace coffer::crypto {

Result<void> initialize() noexcept {
    // A function-local static runs sodium_init() exactly once, thread-safely, and remembers the outcome:
    // a library that failed to start must keep failing rather than be retried half-initialised.
    static const bool ok = sodium_init() >= 0;
    if (!ok) {
        return std::unexpected(Error::InitFailed);
    }
    return {};
}

namespace detail {

void requireSodium() noexcept {
    if (!initialize()) {
        fatal("coffer: libsodium could not be initialised (no entropy source?)");
    }
}

void fatal(const char* message) noexcept {
    // Nothing useful can be done if stderr is gone; abort regardless.
    static_cast<void>(std::fputs(message, stderr));
    static_cast<void>(std::fputc('\n', stderr));
    static_cast<void>(std::fflush(stderr));
    std::abort();
}

} // namespace detail
} // namespace coffer::crypto
