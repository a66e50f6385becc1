// SPDX-License-Identifier: Apache-2.0
#include "crypto/Random.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

namespace coffer::crypto {

void randomFill(std::span<std::byte> out) noexcept {
    detail::requireSodium();
    if (!out.empty()) {
        randombytes_buf(out.data(), out.size());
    }
}

std::uint32_t randomUniform(std::uint32_t upperBound) noexcept {
    detail::requireSodium();
    return randombytes_uniform(upperBound);
}

} // namespace coffer::crypto
