// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/Keys.h"

#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace coffer::crypto {

/// XChaCha20-Poly1305 (IETF) authenticated encryption with associated data.
namespace aead {

inline constexpr std::size_t kNonceBytes = 24;
inline constexpr std::size_t kTagBytes = 16;
using Nonce = std::array<std::byte, kNonceBytes>;

/// Encrypts with a fresh random nonce and returns nonce || ciphertext || tag. The associated data is
/// authenticated, not encrypted. Random 192-bit nonces make reuse negligible for any realistic count.
[[nodiscard]] std::vector<std::byte> seal(const AeadKey& key, std::span<const std::byte> plaintext,
                                          std::span<const std::byte> associatedData = {});

/// Inverse of seal(). Any tampering, a wrong key or wrong associated data gives Error::Failed;
/// Error::OutOfMemory when no secure memory is left for the plaintext.
[[nodiscard]] Result<SecureBuffer> open(const AeadKey& key, std::span<const std::byte> sealed,
                                        std::span<const std::byte> associatedData = {});

/// Encrypts with an explicit nonce (for known-answer tests and deterministic encodings); returns
/// ciphertext || tag. The caller guarantees the nonce is never reused with this key.
[[nodiscard]] std::vector<std::byte> encrypt(const AeadKey& key, const Nonce& nonce,
                                             std::span<const std::byte> plaintext,
                                             std::span<const std::byte> associatedData = {});

/// Inverse of encrypt(); Error::Failed on any mismatch, Error::OutOfMemory as for open().
[[nodiscard]] Result<SecureBuffer> decrypt(const AeadKey& key, const Nonce& nonce,
                                           std::span<const std::byte> ciphertext,
                                           std::span<const std::byte> associatedData = {});

/// decrypt() into `out`, guarded memory the caller owns, which holds exactly ciphertext.size() - kTagBytes bytes
/// (a sync pull opens a whole page into one buffer instead of allocating per record). Error::Failed on any
/// mismatch or a wrong `out` size; `out` is wiped on failure. (Added by h/engine.)
[[nodiscard]] Result<void> decryptInto(std::span<std::byte> out, const AeadKey& key, const Nonce& nonce,
                                       std::span<const std::byte> ciphertext,
                                       std::span<const std::byte> associatedData = {});

} // namespace aead
} // namespace coffer::crypto
