// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crypto/CryptoError.h"
#include "crypto/SecureBuffer.h"

#include <string_view>

namespace coffer::crypto {

/// What kind of value the generator makes.
enum class GeneratorMode {
    Characters, ///< `length` characters from the chosen classes, at least one of each
    Passphrase, ///< `words` words from the EFF long list, joined by `separator`
    Hex,        ///< `bytes` random bytes as lower-case hex
    Base64,     ///< `bytes` random bytes as standard base64, padded
    Base64Url,  ///< `bytes` random bytes as URL-safe base64 (RFC 4648 §5), without padding
    Uuid,       ///< a random (version 4) UUID in lower-case 8-4-4-4-12 form
};

/// Everything the generator needs to know. Only the fields of the chosen mode matter; the others keep their
/// values so that a user switching modes back and forth finds their settings again.
struct GeneratorOptions {
    static constexpr int kMinLength = 4;
    static constexpr int kMaxLength = 256;
    static constexpr int kMinBytes = 4;
    static constexpr int kMaxBytes = 256;
    static constexpr int kMinWords = 3;
    static constexpr int kMaxWords = 20;

    GeneratorMode mode = GeneratorMode::Characters;
    int length = 24; ///< Characters: kMinLength..kMaxLength characters
    bool lower = true;
    bool upper = true;
    bool digits = true;
    bool symbols = true;
    /// Characters: leave out characters that are easily mistaken for others (0 O o 1 l I | ` ' ").
    bool avoidLookAlikes = false;
    int bytes = 32; ///< Hex, Base64, Base64Url: kMinBytes..kMaxBytes random bytes
    int words = 6;  ///< Passphrase: kMinWords..kMaxWords words
    /// Passphrase: one printable ASCII character that is neither a letter nor a digit (space included), so
    /// the words stay apart.
    char separator = '-';
    bool capitalise = false;    ///< Passphrase: upper-case each word's first letter (adds no entropy)
    bool includeNumber = false; ///< Passphrase: one random digit after one randomly chosen word
};

/// The character classes of GeneratorMode::Characters.
enum class CharacterClass { Lower, Upper, Digits, Symbols };

/// The characters of `characterClass`, without the look-alikes when `avoidLookAlikes` (ASCII only).
[[nodiscard]] std::string_view characterClassAlphabet(CharacterClass characterClass, bool avoidLookAlikes) noexcept;

/// Error::InvalidArgument when `options` cannot be generated: a count out of range, no character class, or a
/// separator that is a letter, a digit or not printable ASCII.
[[nodiscard]] Result<void> validateGeneratorOptions(const GeneratorOptions& options) noexcept;

/// A new random value, chosen uniformly among all the values `options` allows (randombytes_uniform, no
/// modulo bias), in guarded memory; the intermediate bytes are wiped. Error::InvalidArgument as
/// validateGeneratorOptions(); Error::OutOfMemory when guarded memory is exhausted.
[[nodiscard]] Result<SecureBuffer> generateValue(const GeneratorOptions& options);

/// The entropy, in bits, of one value drawn by generateValue(options): log2 of how many values it chooses
/// from, all equally likely. Characters counts only strings with every chosen class (inclusion–exclusion);
/// Passphrase is words × log2(7776), plus log2(10 × words) with a number; a UUID has 122 random bits.
/// Error::InvalidArgument as validateGeneratorOptions().
[[nodiscard]] Result<double> generatorEntropyBits(const GeneratorOptions& options) noexcept;

} // namespace coffer::crypto
