// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/CryptoError.h"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coffer::crypto {

/// Base64url without padding (RFC 4648 section 5), constant time.
[[nodiscard]] std::string toBase64url(std::span<const std::byte> bytes);

/// Strict inverse of toBase64url(): no padding, no whitespace, no other alphabet, and the unused low
/// bits of the last character must be zero, so every byte string has exactly one accepted text.
/// Error::InvalidArgument otherwise.
[[nodiscard]] Result<std::vector<std::byte>> fromBase64url(std::string_view text);

} // namespace coffer::crypto
