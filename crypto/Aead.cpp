// SPDX-License-Identifier: Apache-2.0
#include "crypto/Aead.h"

#include "crypto/Random.h"
#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

#include <algorithm>

namespace coffer::crypto::aead {

static_assert(kNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(AeadKey::size == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

namespace {

// Encrypts into `out`, which holds exactly plaintext.size() + kTagBytes bytes.
void encryptInto(std::span<std::byte> out, const AeadKey& key, const Nonce& nonce, std::span<const std::byte> plaintext,
                 std::span<const std::byte> associatedData) noexcept {
    detail::requireSodium();
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(detail::uc(out.data()), &written, detail::uc(plaintext),
                                               plaintext.size(), detail::uc(associatedData), associatedData.size(),
                                               nullptr, detail::uc(nonce), detail::uc(key.bytes()));
}

} // namespace

std::vector<std::byte> seal(const AeadKey& key, std::span<const std::byte> plaintext,
                            std::span<const std::byte> associatedData) {
    const Nonce nonce = randomArray<kNonceBytes>();
    std::vector<std::byte> out(kNonceBytes + plaintext.size() + kTagBytes);
    std::ranges::copy(nonce, out.begin());
    encryptInto(std::span(out).subspan(kNonceBytes), key, nonce, plaintext, associatedData);
    return out;
}

Result<SecureBuffer> open(const AeadKey& key, std::span<const std::byte> sealed,
                          std::span<const std::byte> associatedData) {
    if (sealed.size() < kNonceBytes + kTagBytes) {
        return std::unexpected(Error::Failed);
    }
    Nonce nonce;
    std::ranges::copy(sealed.first<kNonceBytes>(), nonce.begin());
    return decrypt(key, nonce, sealed.subspan(kNonceBytes), associatedData);
}

std::vector<std::byte> encrypt(const AeadKey& key, const Nonce& nonce, std::span<const std::byte> plaintext,
                               std::span<const std::byte> associatedData) {
    std::vector<std::byte> out(plaintext.size() + kTagBytes);
    encryptInto(out, key, nonce, plaintext, associatedData);
    return out;
}

Result<SecureBuffer> decrypt(const AeadKey& key, const Nonce& nonce, std::span<const std::byte> ciphertext,
                             std::span<const std::byte> associatedData) {
    if (ciphertext.size() < kTagBytes) {
        return std::unexpected(Error::Failed);
    }
    detail::requireSodium();
    // The size comes from the peer; exhaustion is reported, never an abort.
    auto plaintext = SecureBuffer::create(ciphertext.size() - kTagBytes);
    if (!plaintext) {
        return std::unexpected(plaintext.error());
    }
    unsigned char none = 0;
    unsigned char* out = plaintext->empty() ? &none : detail::uc(plaintext->data());
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &written, nullptr, detail::uc(ciphertext), ciphertext.size(),
                                                   detail::uc(associatedData), associatedData.size(), detail::uc(nonce),
                                                   detail::uc(key.bytes())) != 0) {
        return std::unexpected(Error::Failed);
    }
    return plaintext;
}

Result<void> decryptInto(std::span<std::byte> out, const AeadKey& key, const Nonce& nonce,
                         std::span<const std::byte> ciphertext, std::span<const std::byte> associatedData) {
    if (ciphertext.size() < kTagBytes || out.size() != ciphertext.size() - kTagBytes) {
        return std::unexpected(Error::Failed);
    }
    detail::requireSodium();
    unsigned char none = 0;
    unsigned char* target = out.empty() ? &none : detail::uc(out.data());
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(target, &written, nullptr, detail::uc(ciphertext), ciphertext.size(),
                                                   detail::uc(associatedData), associatedData.size(), detail::uc(nonce),
                                                   detail::uc(key.bytes())) != 0) {
        wipe(out);
        return std::unexpected(Error::Failed);
    }
    return {};
}

} // namespace coffer::crypto::aead
