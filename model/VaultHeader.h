// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/PasswordHash.h"
#include "model/ModelError.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace coffer::model {

/// The key-derivation cost of a vault. Memory is a power of two in MiB so that it fits in one header byte.
struct KdfCost {
    std::uint32_t passes = 3;
    std::uint32_t memoryMiB = 256;

    static constexpr std::uint32_t kMinPasses = 2;
    static constexpr std::uint32_t kMaxPasses = 16;
    static constexpr std::uint32_t kMinMemoryMiB = 64;
    static constexpr std::uint32_t kMaxMemoryMiB = 2048;

    /// The default: 3 passes over 256 MiB (libsodium's MODERATE).
    [[nodiscard]] static KdfCost defaults() noexcept { return {}; }
    /// The floor, for tests and slow machines: 2 passes over 64 MiB.
    [[nodiscard]] static KdfCost minimum() noexcept { return {kMinPasses, kMinMemoryMiB}; }
    /// KdfOutOfPolicy unless within floor and ceiling with memory a power of two.
    [[nodiscard]] Result<void> check() const;
    [[nodiscard]] crypto::Argon2Params argon2() const noexcept { return {passes, memoryMiB * 1024}; }
    friend bool operator==(const KdfCost&, const KdfCost&) = default;
};

/// The 16 bytes at the start of a vault file, which SQLCipher stores in clear as its salt.
/// Layout: "COFR" magic (4) | format version (1) | cipher format (1) | passes (1) | log2 memory MiB (1) |
/// 8 random bytes. All 16 bytes together are the Argon2id salt, so the cost is bound to the key.
struct VaultHeader {
    static constexpr std::size_t kSize = 16;
    static constexpr std::uint8_t kFormatVersion = 1;
    /// 1 = SQLCipher 3 defaults (AES-256-CBC, HMAC-SHA1) with 4096-byte pages and a raw key.
    static constexpr std::uint8_t kCipherFormat = 1;

    std::uint8_t formatVersion = kFormatVersion;
    std::uint8_t cipherFormat = kCipherFormat;
    KdfCost cost;
    std::array<std::byte, 8> random{};

    /// A new header with fresh random bytes.
    [[nodiscard]] static VaultHeader generate(KdfCost cost);
    /// Range-checks before anything is derived or allocated: NotAVault (no magic; also a plain SQLite
    /// file), NewerFormat (format or cipher format we do not know), Damaged (cost outside policy).
    [[nodiscard]] static Result<VaultHeader> parse(std::span<const std::byte, kSize> bytes);
    [[nodiscard]] std::array<std::byte, kSize> serialize() const noexcept;
};

} // namespace coffer::model
