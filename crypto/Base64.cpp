// SPDX-License-Identifier: Apache-2.0
#include "crypto/Base64.h"

#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

namespace coffer::crypto {

namespace {
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
} // namespace

std::string toBase64url(std::span<const std::byte> bytes) {
    detail::requireSodium();
    // sodium_base64_ENCODED_LEN counts the terminating NUL.
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
    sodium_bin2base64(text.data(), text.size(), detail::uc(bytes), bytes.size(), kVariant);
    text.pop_back();
    return text;
}

Result<std::vector<std::byte>> fromBase64url(std::string_view text) {
    detail::requireSodium();
    std::vector<std::byte> bytes(text.size() / 4 * 3 + 3);
    if (text.empty()) {
        return std::vector<std::byte>{};
    }
    // libsodium 1.0.18 (Debian 12) decodes every byte from 0x80 to 0xff as '_' (found by fuzz_json,
    // tests/fuzz/json/crash-base64url-non-ascii), which would give one value many spellings: refuse them
    // first, without a branch on the data.
    unsigned highBits = 0;
    for (const char c : text) {
        highBits |= static_cast<unsigned char>(c) >> 7U;
    }
    if (highBits != 0) {
        return std::unexpected(Error::InvalidArgument);
    }
    std::size_t written = 0;
    // Without an ignore set or an end pointer, libsodium refuses any character outside the alphabet,
    // padding, and non-zero trailing bits: the decoding is canonical.
    if (sodium_base642bin(detail::uc(bytes.data()), bytes.size(), text.data(), text.size(), nullptr, &written, nullptr,
                          kVariant) != 0) {
        return std::unexpected(Error::InvalidArgument);
    }
    bytes.resize(written);
    return bytes;
}

} // namespace coffer::crypto
