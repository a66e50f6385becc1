// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <span>

namespace coffer::crypto {

/// An Ed25519 signing identity.
struct SigningKeyPair {
    SignSecretKey secretKey;
    SignPublicKey publicKey;

    /// A fresh random key pair.
    [[nodiscard]] static SigningKeyPair keygen();
    /// The key pair for a 32-byte seed (RFC 8032 secret key).
    [[nodiscard]] static SigningKeyPair fromSeed(const SignSeed& seed);
};

/// Detached Ed25519 signature of `message`.
[[nodiscard]] Signature sign(const SignSecretKey& secretKey, std::span<const std::byte> message) noexcept;

/// Verifies a detached signature; Error::Failed when it does not hold.
[[nodiscard]] Result<void> verify(const SignPublicKey& publicKey, std::span<const std::byte> message,
                                  const Signature& signature) noexcept;

} // namespace coffer::crypto
