// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <span>
#include <vector>

namespace coffer::crypto {

/// An X25519 key pair for sealed boxes.
struct BoxKeyPair {
    BoxSecretKey secretKey;
    BoxPublicKey publicKey;

    /// A fresh random key pair.
    [[nodiscard]] static BoxKeyPair keygen();
    /// Rebuilds the pair from a stored secret key (the public key is computed).
    [[nodiscard]] static BoxKeyPair fromSecretKey(const BoxSecretKey& secretKey);
};

inline constexpr std::size_t kSealOverheadBytes = 48;

/// Anonymous encryption to `recipient` (crypto_box_seal); the result is kSealOverheadBytes longer than
/// `message`. Proves nothing about the sender. A recipient key that is not a usable X25519 point (a
/// small-order point such as all zeros) yields an empty vector, which never opens.
[[nodiscard]] std::vector<std::byte> seal(const BoxPublicKey& recipient, std::span<const std::byte> message);

/// Opens a sealed box; Error::Failed when it was not sealed to this key pair or was changed,
/// Error::OutOfMemory when no secure memory is left for the message.
[[nodiscard]] Result<SecureBuffer> openSealed(const BoxKeyPair& keyPair, std::span<const std::byte> sealed);

} // namespace coffer::crypto
