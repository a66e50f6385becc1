// SPDX-License-Identifier: Apache-2.0
#include "crypto/PasswordHash.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

namespace coffer::crypto {

static_assert(std::tuple_size_v<Argon2Salt> == crypto_pwhash_SALTBYTES);
// Our narrowed limits must lie inside what libsodium accepts, so validate() is the only gate.
static_assert(kArgon2MinPasses >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kArgon2MaxPasses <= crypto_pwhash_argon2id_OPSLIMIT_MAX);
static_assert(std::size_t{kArgon2MinMemoryKiB} * 1024 >= crypto_pwhash_argon2id_MEMLIMIT_MIN);
static_assert(std::size_t{kArgon2MaxMemoryKiB} * 1024 <= crypto_pwhash_argon2id_MEMLIMIT_MAX);

namespace {

// Narrower than libsodium's own 16..2^32-1: a derived key longer than 64 bytes has no use here.
constexpr std::size_t kMinOutputBytes = 16;
constexpr std::size_t kMaxOutputBytes = 64;
static_assert(kMinOutputBytes >= crypto_pwhash_argon2id_BYTES_MIN);

} // namespace

Result<void> validate(const Argon2Params& params) noexcept {
    if (params.passes < kArgon2MinPasses || params.passes > kArgon2MaxPasses ||
        params.memoryKiB < kArgon2MinMemoryKiB || params.memoryKiB > kArgon2MaxMemoryKiB) {
        return std::unexpected(Error::InvalidArgument);
    }
    return {};
}

Result<void> argon2id(std::span<std::byte> out, std::span<const std::byte> password, const Argon2Salt& salt,
                      const Argon2Params& params) noexcept {
    // Parameters may come from a tampered vault header: reject them before allocating or hashing.
    if (auto ok = validate(params); !ok) {
        return ok;
    }
    if (out.size() < kMinOutputBytes || out.size() > kMaxOutputBytes ||
        password.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
        return std::unexpected(Error::InvalidArgument);
    }
    detail::requireSodium();
    if (crypto_pwhash(detail::uc(out.data()), out.size(), reinterpret_cast<const char*>(detail::uc(password)),
                      password.size(), detail::uc(salt), params.passes, std::size_t{params.memoryKiB} * 1024,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        // Parameters are valid, so only the memory allocation can have failed.
        wipe(out);
        return std::unexpected(Error::Failed);
    }
    return {};
}

} // namespace coffer::crypto
