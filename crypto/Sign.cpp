// SPDX-License-Identifier: Apache-2.0
#include "crypto/Sign.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

namespace coffer::crypto {

static_assert(SignSecretKey::size == crypto_sign_SECRETKEYBYTES);
static_assert(SignPublicKey::size == crypto_sign_PUBLICKEYBYTES);
static_assert(SignSeed::size == crypto_sign_SEEDBYTES);
static_assert(Signature::size == crypto_sign_BYTES);

SigningKeyPair SigningKeyPair::keygen() {
    return fromSeed(SignSeed::keygen());
}

SigningKeyPair SigningKeyPair::fromSeed(const SignSeed& seed) {
    detail::requireSodium();
    static constexpr std::array<std::byte, SignSecretKey::size> kZero{};
    SigningKeyPair pair{SignSecretKey::fromBytes(std::span<const std::byte, SignSecretKey::size>(kZero)), {}};
    crypto_sign_seed_keypair(detail::uc(pair.publicKey.bytes.data()), detail::uc(pair.secretKey.mutableBytes().data()),
                             detail::uc(seed.bytes()));
    return pair;
}

Signature sign(const SignSecretKey& secretKey, std::span<const std::byte> message) noexcept {
    detail::requireSodium();
    Signature signature;
    crypto_sign_detached(detail::uc(signature.bytes.data()), nullptr, detail::uc(message), message.size(),
                         detail::uc(secretKey.bytes()));
    return signature;
}

Result<void> verify(const SignPublicKey& publicKey, std::span<const std::byte> message,
                    const Signature& signature) noexcept {
    detail::requireSodium();
    if (crypto_sign_verify_detached(detail::uc(signature.span()), detail::uc(message), message.size(),
                                    detail::uc(publicKey.span())) != 0) {
        return std::unexpected(Error::Failed);
    }
    return {};
}

} // namespace coffer::crypto
