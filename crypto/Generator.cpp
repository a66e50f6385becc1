// SPDX-License-Identifier: Apache-2.0
#include "crypto/Generator.h"

#include "crypto/Random.h"
#include "crypto/WordList.h"
#include "crypto/detail/SodiumSupport.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>

namespace coffer::crypto {
namespace {

constexpr std::size_t kUuidBytes = 16;
constexpr double kUuidBits = 122.0; // 128 less the 4 version and 2 variant bits

// The classes in a fixed order, each with its full alphabet and the one without look-alikes. The symbols are
// all of printable ASCII's punctuation; the look-alikes are the characters people misread when they copy a
// value by eye (0/O/o, 1/l/I/|) and the quotes, which also trip up shells and config files.
struct ClassAlphabets {
    std::string_view all;
    std::string_view distinct;
};
constexpr std::array<ClassAlphabets, 4> kAlphabets = {{
    {"abcdefghijklmnopqrstuvwxyz", "abcdefghijkmnpqrstuvwxyz"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHJKLMNPQRSTUVWXYZ"},
    {"0123456789", "23456789"},
    {"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "!#$%&()*+,-./:;<=>?@[\\]^_{}~"},
}};

// The chosen classes' alphabets, joined: segment i of `alphabet` is chosen class i.
struct Alphabet {
    std::string alphabet;
    std::array<std::uint32_t, 4> ends{}; // end offset of each chosen class in `alphabet`
    std::size_t classes = 0;
};

Alphabet alphabetOf(const GeneratorOptions& options) {
    Alphabet result;
    const std::array<bool, 4> chosen = {options.lower, options.upper, options.digits, options.symbols};
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (chosen[i]) {
            result.alphabet += options.avoidLookAlikes ? kAlphabets[i].distinct : kAlphabets[i].all;
            result.ends[result.classes++] = static_cast<std::uint32_t>(result.alphabet.size());
        }
    }
    return result;
}

bool isSeparatorAllowed(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    const bool printable = u >= 0x20 && u <= 0x7e;
    const bool alphanumeric = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    return printable && !alphanumeric;
}

// Uniform over the strings of `length` characters from the alphabet that hold every chosen class: draw the
// whole string uniformly and start again if a class is missing (rejection sampling). Placing one character
// of each class and shuffling would be biased towards strings with few of a class, and its entropy would not
// be the count below. The worst case (4 characters, 4 classes, look-alikes avoided) is accepted about one
// time in sixteen.
Result<SecureBuffer> generateCharacters(const GeneratorOptions& options) {
    const Alphabet alphabet = alphabetOf(options);
    auto out = SecureBuffer::create(static_cast<std::size_t>(options.length));
    if (!out) {
        return out;
    }
    const auto size = static_cast<std::uint32_t>(alphabet.alphabet.size());
    auto* chars = reinterpret_cast<char*>(out->data());
    std::array<bool, 4> seen{};
    do {
        seen = {};
        for (std::size_t i = 0; i < out->size(); ++i) {
            const std::uint32_t pick = randomUniform(size);
            chars[i] = alphabet.alphabet[pick];
            std::size_t segment = 0;
            while (pick >= alphabet.ends[segment]) {
                ++segment;
            }
            seen[segment] = true;
        }
    } while (std::count(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(alphabet.classes), true) !=
             static_cast<std::ptrdiff_t>(alphabet.classes));
    return out;
}

Result<SecureBuffer> generatePassphrase(const GeneratorOptions& options) {
    const auto list = effLargeWordList();
    const auto count = static_cast<std::size_t>(options.words);
    std::array<std::uint32_t, GeneratorOptions::kMaxWords> picks{};
    std::size_t total = count - 1; // separators
    for (std::size_t i = 0; i < count; ++i) {
        picks[i] = randomUniform(static_cast<std::uint32_t>(list.size()));
        total += list[picks[i]].size();
    }
    std::size_t numberAfter = count; // none
    char digit = 0;
    if (options.includeNumber) {
        numberAfter = randomUniform(static_cast<std::uint32_t>(count));
        digit = static_cast<char>('0' + randomUniform(10));
        ++total;
    }
    auto out = SecureBuffer::create(total);
    if (out) {
        auto* chars = reinterpret_cast<char*>(out->data());
        std::size_t at = 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (i > 0) {
                chars[at++] = options.separator;
            }
            const std::string_view word = list[picks[i]];
            std::memcpy(chars + at, word.data(), word.size());
            if (options.capitalise) {
                chars[at] = static_cast<char>(chars[at] - 'a' + 'A'); // every list word starts with a-z
            }
            at += word.size();
            if (i == numberAfter) {
                chars[at++] = digit;
            }
        }
    }
    // Which words were picked is the secret itself.
    wipe(std::as_writable_bytes(std::span(picks)));
    wipe(std::as_writable_bytes(std::span(&numberAfter, 1)));
    wipe(std::as_writable_bytes(std::span(&digit, 1)));
    return out;
}

// Encodes `raw` with libsodium's constant-time encoders into guarded memory. Their output ends with a NUL,
// which the result leaves out.
Result<SecureBuffer> encode(const SecureBuffer& raw, GeneratorMode mode) {
    const std::size_t withNul = mode == GeneratorMode::Hex ? raw.size() * 2 + 1
                                : mode == GeneratorMode::Base64
                                    ? sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL)
                                    : sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    auto text = SecureBuffer::create(withNul);
    if (!text) {
        return text;
    }
    auto* chars = reinterpret_cast<char*>(text->data());
    const unsigned char* bytes = detail::uc(raw.bytes());
    if (mode == GeneratorMode::Hex) {
        sodium_bin2hex(chars, withNul, bytes, raw.size());
    } else {
        sodium_bin2base64(chars, withNul, bytes, raw.size(),
                          mode == GeneratorMode::Base64 ? sodium_base64_VARIANT_ORIGINAL
                                                        : sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    }
    return SecureBuffer::copyOf(text->view().substr(0, withNul - 1));
}

Result<SecureBuffer> generateEncoded(const GeneratorOptions& options) {
    auto raw = SecureBuffer::create(static_cast<std::size_t>(options.bytes));
    if (!raw) {
        return raw;
    }
    randomFill(raw->bytes());
    return encode(*raw, options.mode);
}

// RFC 9562 §5.4: random bits, with the version (0100) in the high nibble of byte 6 and the variant (10) in
// the two high bits of byte 8.
Result<SecureBuffer> generateUuid() {
    auto raw = SecureBuffer::create(kUuidBytes);
    if (!raw) {
        return raw;
    }
    randomFill(raw->bytes());
    std::byte* b = raw->data();
    b[6] = (b[6] & std::byte{0x0f}) | std::byte{0x40};
    b[8] = (b[8] & std::byte{0x3f}) | std::byte{0x80};
    auto hex = encode(*raw, GeneratorMode::Hex);
    if (!hex) {
        return hex;
    }
    auto out = SecureBuffer::create(36);
    if (!out) {
        return out;
    }
    const char* from = hex->view().data();
    auto* to = reinterpret_cast<char*>(out->data());
    for (const std::size_t group : {8, 4, 4, 4, 12}) {
        std::memcpy(to, from, group);
        to += group;
        from += group;
        if (group != 12) {
            *to++ = '-';
        }
    }
    return out;
}

// log2 of the number of strings of `length` characters over the alphabet that hold at least one character of
// every chosen class, by inclusion–exclusion over the classes left out: sum over subsets S of
// (-1)^|S| (N - |S's characters|)^length. Factoring out N^length keeps every term in [0, 1], so doubles hold
// it for length 256 (a count near 2^1700).
double characterEntropy(const GeneratorOptions& options) noexcept {
    const std::array<bool, 4> chosen = {options.lower, options.upper, options.digits, options.symbols};
    std::array<double, 4> classSizes{};
    std::size_t classes = 0;
    double size = 0;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (chosen[i]) {
            const auto alphabet = options.avoidLookAlikes ? kAlphabets[i].distinct : kAlphabets[i].all;
            classSizes[classes++] = static_cast<double>(alphabet.size());
            size += static_cast<double>(alphabet.size());
        }
    }
    double share = 0;
    for (unsigned subset = 0; subset < (1U << classes); ++subset) {
        double missing = 0;
        for (std::size_t i = 0; i < classes; ++i) {
            if ((subset & (1U << i)) != 0) {
                missing += classSizes[i];
            }
        }
        const double term = std::pow((size - missing) / size, options.length);
        share += (std::popcount(subset) % 2 == 0) ? term : -term;
    }
    return options.length * std::log2(size) + std::log2(share);
}

} // namespace

std::string_view characterClassAlphabet(CharacterClass characterClass, bool avoidLookAlikes) noexcept {
    const ClassAlphabets& alphabets = kAlphabets[static_cast<std::size_t>(characterClass)];
    return avoidLookAlikes ? alphabets.distinct : alphabets.all;
}

Result<void> validateGeneratorOptions(const GeneratorOptions& options) noexcept {
    const auto inRange = [](int value, int low, int high) { return value >= low && value <= high; };
    bool ok = false;
    switch (options.mode) {
    case GeneratorMode::Characters:
        ok = inRange(options.length, GeneratorOptions::kMinLength, GeneratorOptions::kMaxLength) &&
             (options.lower || options.upper || options.digits || options.symbols);
        break;
    case GeneratorMode::Passphrase:
        ok = inRange(options.words, GeneratorOptions::kMinWords, GeneratorOptions::kMaxWords) &&
             isSeparatorAllowed(options.separator);
        break;
    case GeneratorMode::Hex:
    case GeneratorMode::Base64:
    case GeneratorMode::Base64Url:
        ok = inRange(options.bytes, GeneratorOptions::kMinBytes, GeneratorOptions::kMaxBytes);
        break;
    case GeneratorMode::Uuid:
        ok = true;
        break;
    }
    if (!ok) {
        return std::unexpected(Error::InvalidArgument);
    }
    return {};
}

Result<SecureBuffer> generateValue(const GeneratorOptions& options) {
    if (auto valid = validateGeneratorOptions(options); !valid) {
        return std::unexpected(valid.error());
    }
    switch (options.mode) {
    case GeneratorMode::Characters:
        return generateCharacters(options);
    case GeneratorMode::Passphrase:
        return generatePassphrase(options);
    case GeneratorMode::Hex:
    case GeneratorMode::Base64:
    case GeneratorMode::Base64Url:
        return generateEncoded(options);
    case GeneratorMode::Uuid:
        return generateUuid();
    }
    return std::unexpected(Error::InvalidArgument);
}

Result<double> generatorEntropyBits(const GeneratorOptions& options) noexcept {
    if (auto valid = validateGeneratorOptions(options); !valid) {
        return std::unexpected(valid.error());
    }
    switch (options.mode) {
    case GeneratorMode::Characters:
        return characterEntropy(options);
    case GeneratorMode::Passphrase: {
        const double words = options.words;
        double bits = words * std::log2(static_cast<double>(effLargeWordList().size()));
        if (options.includeNumber) {
            bits += std::log2(10.0 * words);
        }
        return bits;
    }
    case GeneratorMode::Hex:
    case GeneratorMode::Base64:
    case GeneratorMode::Base64Url:
        return 8.0 * options.bytes;
    case GeneratorMode::Uuid:
        return kUuidBits;
    }
    return std::unexpected(Error::InvalidArgument);
}

} // namespace coffer::crypto
