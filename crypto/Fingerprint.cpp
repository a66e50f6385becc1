// SPDX-License-Identifier: Apache-2.0
#include "crypto/Fingerprint.h"

#include "crypto/Hash.h"

#include <array>
#include <cstdint>

namespace coffer::crypto {

namespace {

// Versioned so a future format can never show the same digits for different keys.
constexpr std::string_view kDomain = "coffer-fingerprint-v1";
constexpr std::size_t kGroups = 6;
constexpr std::size_t kBytesPerGroup = 5;
static_assert(kGroups * kBytesPerGroup <= Hash256::size);

} // namespace

std::string fingerprint(const SignPublicKey& signKey, const BoxPublicKey& boxKey) {
    Blake2b hasher;
    hasher.update(kDomain).update(signKey.span()).update(boxKey.span());
    const Hash256 hash = hasher.finish();

    std::string out;
    out.reserve(kGroups * 6);
    for (std::size_t group = 0; group < kGroups; ++group) {
        // 40 bits mod 100000: the bias is below 1e-7, far under what a reader could notice.
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < kBytesPerGroup; ++i) {
            value = (value << 8) | std::to_integer<std::uint64_t>(hash.bytes[group * kBytesPerGroup + i]);
        }
        auto rest = static_cast<unsigned>(value % 100'000);
        std::array<char, 5> digits{};
        for (std::size_t i = digits.size(); i-- > 0;) {
            digits[i] = static_cast<char>('0' + rest % 10);
            rest /= 10;
        }
        if (group != 0) {
            out.push_back(' ');
        }
        out.append(digits.data(), digits.size());
    }
    return out;
}

} // namespace coffer::crypto
