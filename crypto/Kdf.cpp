// SPDX-License-Identifier: Apache-2.0
#include "crypto/Kdf.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cassert>

namespace coffer::crypto {

static_assert(KdfKey::size == crypto_kdf_KEYBYTES);

SecureBuffer deriveSubkeyBytes(const KdfKey& master, std::uint64_t id, std::string_view context, std::size_t size) {
    assert(context.size() == crypto_kdf_CONTEXTBYTES);
    assert(size >= crypto_kdf_BYTES_MIN && size <= crypto_kdf_BYTES_MAX);
    detail::requireSodium();
    // libsodium reads exactly CONTEXTBYTES; a padded copy keeps a too-short context (a bug, caught by the
    // assert in debug builds) from reading past the caller's string in release builds.
    std::array<char, crypto_kdf_CONTEXTBYTES> paddedContext{};
    std::copy_n(context.begin(), std::min(context.size(), paddedContext.size()), paddedContext.begin());
    SecureBuffer subkey(size);
    if (crypto_kdf_derive_from_key(detail::uc(subkey.data()), subkey.size(), id, paddedContext.data(),
                                   detail::uc(master.bytes())) != 0) {
        // Only an out-of-range size fails, which the assert above rules out; never hand out a
        // predictable all-zero key.
        detail::fatal("coffer: crypto_kdf_derive_from_key rejected its arguments");
    }
    return subkey;
}

} // namespace coffer::crypto
