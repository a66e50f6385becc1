// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/SecureBuffer.h"

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <span>

namespace coffer::crypto {

/// Fills `out` from the OS CSPRNG; declared here (and in Random.h) so that keygen() below links for every
/// user of a key type, not only for translation units that happen to include Random.h.
void randomFill(std::span<std::byte> out) noexcept;

/// A secret key of exactly N bytes in guarded memory. The tag makes each use its own type, so an AEAD
/// key can never be passed where a signing key is expected; the size is checked at compile time.
template <typename Tag, std::size_t N> class SecretKey {
public:
    static constexpr std::size_t size = N;

    /// A fresh random key from the OS CSPRNG.
    [[nodiscard]] static SecretKey keygen() {
        SecretKey key;
        randomFill(key.m_bytes.bytes());
        return key;
    }
    /// Copies exactly N bytes (compile-time checked).
    [[nodiscard]] static SecretKey fromBytes(std::span<const std::byte, N> bytes) {
        SecretKey key;
        std::copy(bytes.begin(), bytes.end(), key.m_bytes.data());
        return key;
    }
    /// Copies an array of exactly N bytes (an exact match, so arrays never hit the ambiguity between the
    /// two span overloads).
    [[nodiscard]] static SecretKey fromBytes(const std::array<std::byte, N>& bytes) {
        return fromBytes(std::span<const std::byte, N>(bytes));
    }
    /// Copies a runtime-sized span; Error::InvalidArgument unless it holds exactly N bytes.
    [[nodiscard]] static Result<SecretKey> fromBytes(std::span<const std::byte> bytes) {
        if (bytes.size() != N) {
            return std::unexpected(Error::InvalidArgument);
        }
        return fromBytes(std::span<const std::byte, N>(bytes.data(), N));
    }

    [[nodiscard]] std::span<const std::byte, N> bytes() const noexcept {
        return std::span<const std::byte, N>(m_bytes.data(), N);
    }
    [[nodiscard]] std::span<std::byte, N> mutableBytes() noexcept { return std::span<std::byte, N>(m_bytes.data(), N); }

private:
    SecretKey()
        : m_bytes(N) {}
    SecureBuffer m_bytes;
};

/// Public bytes of fixed size (public keys, signatures, hashes): plain values, comparable.
template <typename Tag, std::size_t N> struct PublicBytes {
    static constexpr std::size_t size = N;
    std::array<std::byte, N> bytes{};

    [[nodiscard]] static Result<PublicBytes> fromBytes(std::span<const std::byte> in) {
        if (in.size() != N) {
            return std::unexpected(Error::InvalidArgument);
        }
        PublicBytes out;
        std::copy(in.begin(), in.end(), out.bytes.begin());
        return out;
    }
    [[nodiscard]] std::span<const std::byte, N> span() const noexcept { return bytes; }
    friend bool operator==(const PublicBytes&, const PublicBytes&) = default;
    friend auto operator<=>(const PublicBytes&, const PublicBytes&) = default;
};

// XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf).
using AeadKey = SecretKey<struct AeadKeyTag, 32>;
// Ed25519 (crypto_sign): the secret key holds seed and public key, as libsodium lays it out.
using SignSecretKey = SecretKey<struct SignSecretKeyTag, 64>;
using SignPublicKey = PublicBytes<struct SignPublicKeyTag, 32>;
using SignSeed = SecretKey<struct SignSeedTag, 32>;
using Signature = PublicBytes<struct SignatureTag, 64>;
// X25519 (crypto_box sealed boxes).
using BoxSecretKey = SecretKey<struct BoxSecretKeyTag, 32>;
using BoxPublicKey = PublicBytes<struct BoxPublicKeyTag, 32>;
// crypto_kdf master key.
using KdfKey = SecretKey<struct KdfKeyTag, 32>;
// The vault's raw SQLCipher key, derived from the master password.
using VaultKey = SecretKey<struct VaultKeyTag, 32>;
// BLAKE2b-256 digests.
using Hash256 = PublicBytes<struct Hash256Tag, 32>;

} // namespace coffer::crypto
