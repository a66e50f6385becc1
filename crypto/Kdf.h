// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <cstdint>
#include <string_view>

namespace coffer::crypto {

/// Derives subkey number `id` of a master key (crypto_kdf, BLAKE2b). `context` is exactly 8 characters
/// naming the purpose, so keys for different purposes never coincide; other lengths are a bug (assert).
[[nodiscard]] SecureBuffer deriveSubkeyBytes(const KdfKey& master, std::uint64_t id, std::string_view context,
                                             std::size_t size);

template <typename Key>
[[nodiscard]] Key deriveSubkey(const KdfKey& master, std::uint64_t id, std::string_view context) {
    const SecureBuffer bytes = deriveSubkeyBytes(master, id, context, Key::size);
    return Key::fromBytes(std::span<const std::byte, Key::size>(bytes.data(), Key::size));
}

} // namespace coffer::crypto
