// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace coffer::crypto {

/// Fills `out` with bytes from the OS CSPRNG (randombytes_buf).
void randomFill(std::span<std::byte> out) noexcept;

/// N random bytes, by value.
template <std::size_t N> [[nodiscard]] std::array<std::byte, N> randomArray() noexcept {
    std::array<std::byte, N> out;
    randomFill(out);
    return out;
}

/// A uniform integer in [0, upperBound) without modulo bias (randombytes_uniform).
[[nodiscard]] std::uint32_t randomUniform(std::uint32_t upperBound) noexcept;

} // namespace coffer::crypto
