// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coffer::crypto {

/// BLAKE2b-256 of `data`.
[[nodiscard]] Hash256 blake2b(std::span<const std::byte> data) noexcept;
/// Keyed BLAKE2b-256 (a MAC); the key is 16..64 bytes (assert).
[[nodiscard]] Hash256 blake2bKeyed(std::span<const std::byte> key, std::span<const std::byte> data) noexcept;
/// BLAKE2b with an output of 16..64 bytes (assert).
[[nodiscard]] std::vector<std::byte> blake2b(std::span<const std::byte> data, std::size_t outSize);

/// Incremental BLAKE2b-256 for data that arrives in parts.
class Blake2b {
public:
    Blake2b();
    ~Blake2b();
    Blake2b(const Blake2b&) = delete;
    Blake2b& operator=(const Blake2b&) = delete;

    Blake2b& update(std::span<const std::byte> data) noexcept;
    Blake2b& update(std::string_view text) noexcept;
    /// Finishes; the object may not be updated afterwards.
    [[nodiscard]] Hash256 finish() noexcept;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

/// Constant-time equality of two byte ranges (different sizes compare unequal, sizes are not secret).
[[nodiscard]] bool constantTimeEqual(std::span<const std::byte> a, std::span<const std::byte> b) noexcept;

/// Lower-case hex, and its inverse (nullopt-like error on odd length or non-hex characters).
[[nodiscard]] std::string toHex(std::span<const std::byte> bytes);
[[nodiscard]] Result<std::vector<std::byte>> fromHex(std::string_view hex);

/// Views text as bytes without copying.
[[nodiscard]] inline std::span<const std::byte> asBytes(std::string_view text) noexcept {
    return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

} // namespace coffer::crypto
