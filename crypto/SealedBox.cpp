// SPDX-License-Identifier: Apache-2.0
#include "crypto/SealedBox.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

namespace coffer::crypto {

static_assert(kSealOverheadBytes == crypto_box_SEALBYTES);
static_assert(BoxSecretKey::size == crypto_box_SECRETKEYBYTES);
static_assert(BoxPublicKey::size == crypto_box_PUBLICKEYBYTES);
static_assert(crypto_box_SECRETKEYBYTES == crypto_scalarmult_SCALARBYTES);

BoxKeyPair BoxKeyPair::keygen() {
    return fromSecretKey(BoxSecretKey::keygen());
}

BoxKeyPair BoxKeyPair::fromSecretKey(const BoxSecretKey& secretKey) {
    detail::requireSodium();
    BoxKeyPair pair{BoxSecretKey::fromBytes(secretKey.bytes()), {}};
    // crypto_box keys are plain X25519: the public key is the scalar times the base point. It only fails
    // for results of small order, which no 32-byte scalar produces from the base point.
    if (crypto_scalarmult_base(detail::uc(pair.publicKey.bytes.data()), detail::uc(secretKey.bytes())) != 0) {
        detail::fatal("coffer: X25519 base-point multiplication failed");
    }
    return pair;
}

std::vector<std::byte> seal(const BoxPublicKey& recipient, std::span<const std::byte> message) {
    detail::requireSodium();
    std::vector<std::byte> out(message.size() + kSealOverheadBytes);
    if (crypto_box_seal(detail::uc(out.data()), detail::uc(message), message.size(), detail::uc(recipient.span())) !=
        0) {
        // Only a small-order recipient key gets here; nothing of the message was written.
        return {};
    }
    return out;
}

Result<SecureBuffer> openSealed(const BoxKeyPair& keyPair, std::span<const std::byte> sealed) {
    if (sealed.size() < kSealOverheadBytes) {
        return std::unexpected(Error::Failed);
    }
    detail::requireSodium();
    auto message = SecureBuffer::create(sealed.size() - kSealOverheadBytes);
    if (!message) {
        return std::unexpected(message.error());
    }
    unsigned char none = 0;
    unsigned char* out = message->empty() ? &none : detail::uc(message->data());
    if (crypto_box_seal_open(out, detail::uc(sealed), sealed.size(), detail::uc(keyPair.publicKey.span()),
                             detail::uc(keyPair.secretKey.bytes())) != 0) {
        return std::unexpected(Error::Failed);
    }
    return message;
}

} // namespace coffer::crypto
