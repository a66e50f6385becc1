// SPDX-License-Identifier: Apache-2.0
#pragma once

// Private to the crypto layer's .cpp files: helpers shared by the libsodium wrappers. It includes no
// libsodium header so that even an accidental include elsewhere cannot leak libsodium's API.

#include <cstddef>
#include <span>

namespace coffer::crypto::detail {

/// Initialises libsodium on first use and aborts the process if it cannot: entry points that cannot
/// report an error must never run on an uninitialised library (no entropy source, unset page size).
void requireSodium() noexcept;

/// Aborts with `message` on stderr. For impossible states where continuing could leak a secret.
[[noreturn]] void fatal(const char* message) noexcept;

// libsodium speaks `unsigned char`; std::byte has the same representation and may alias anything.
[[nodiscard]] inline const unsigned char* uc(std::span<const std::byte> bytes) noexcept {
    // Some libsodium primitives pass their input to memcpy even for length 0, where a null pointer is
    // undefined behaviour; an empty span therefore gets a valid, never-read address.
    static constexpr unsigned char kEmpty = 0;
    return bytes.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(bytes.data());
}

[[nodiscard]] inline unsigned char* uc(std::byte* bytes) noexcept {
    return reinterpret_cast<unsigned char*>(bytes);
}

} // namespace coffer::crypto::detail
