// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <array>
#include <cstdint>
#include <span>

namespace coffer::crypto {

/// Argon2id (crypto_pwhash, ALG_ARGON2ID13) cost parameters, always explicit.
struct Argon2Params {
    std::uint32_t passes = 3;          ///< opslimit
    std::uint32_t memoryKiB = 262'144; ///< memlimit / 1024
    friend bool operator==(const Argon2Params&, const Argon2Params&) = default;
};

using Argon2Salt = std::array<std::byte, 16>;

/// Limits libsodium accepts, narrowed to what a desktop can run: 1..64 passes, 8 MiB..4 GiB.
inline constexpr std::uint32_t kArgon2MinPasses = 1;
inline constexpr std::uint32_t kArgon2MaxPasses = 64;
inline constexpr std::uint32_t kArgon2MinMemoryKiB = 8 * 1024;
inline constexpr std::uint32_t kArgon2MaxMemoryKiB = 4 * 1024 * 1024;

/// Checks `params` against the limits above without allocating anything.
[[nodiscard]] Result<void> validate(const Argon2Params& params) noexcept;

/// Derives `out.size()` bytes (16..64) from the password with Argon2id, single lane.
/// Errors: InvalidArgument (parameters out of range, bad output size), Failed (out of memory).
[[nodiscard]] Result<void> argon2id(std::span<std::byte> out, std::span<const std::byte> password,
                                    const Argon2Salt& salt, const Argon2Params& params) noexcept;

/// Derives a typed key of the key's size.
template <typename Key>
[[nodiscard]] Result<Key> deriveKey(std::span<const std::byte> password, const Argon2Salt& salt,
                                    const Argon2Params& params) {
    // Start from zeros; the fixed-extent span picks the infallible fromBytes overload.
    static constexpr std::array<std::byte, Key::size> kZero{};
    auto key = Key::fromBytes(std::span<const std::byte, Key::size>(kZero));
    if (auto ok = argon2id(key.mutableBytes(), password, salt, params); !ok) {
        return std::unexpected(ok.error());
    }
    return key;
}

} // namespace coffer::crypto
