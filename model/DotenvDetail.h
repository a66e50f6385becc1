// SPDX-License-Identifier: Apache-2.0
// Private to the model/Dotenv*.cpp files: the pieces the dialect readers, writers and merge share.
#pragma once

#include "crypto/SecureBuffer.h"
#include "model/Dotenv.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coffer::model::dotenv::detail {

/// A std::string that held secret bytes: wiped when it goes away, whatever the path out.
struct Scratch {
    std::string s;
    Scratch() = default;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    Scratch(Scratch&& other) noexcept
        : s(std::move(other.s)) {}
    Scratch& operator=(Scratch&&) = delete;
    ~Scratch() { crypto::wipe(s); }
};

/// A dotenv entry with where its value sits in the normalised text, so merge can replace it in place.
struct Located {
    Entry entry;
    std::size_t valueStart = 0;
    std::size_t valueEnd = 0;
};

/// The text with CRLF and lone CR turned into LF (as Node dotenv does before parsing); origin[i] is the
/// offset in the original bytes of normalised byte i, and origin[size] the original size.
struct Normalised {
    Scratch text;
    std::vector<std::size_t> origin;
};
[[nodiscard]] Normalised normaliseLineEnds(std::string_view text);

/// Every assignment of a normalised dotenv text in file order, repeated names included.
[[nodiscard]] std::expected<std::vector<Located>, ParseError> parseDotenv(std::string_view normalised);

/// How `value` is written after `NAME=` in a dotenv file so that it reads back byte-exact; nullopt when
/// no quoting can carry it.
[[nodiscard]] std::optional<std::string> dotenvValueText(std::string_view value);
[[nodiscard]] bool isDotenvName(const QString& name);
[[nodiscard]] bool isPortableName(const QString& name);

/// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
[[nodiscard]] bool isValidUtf8(std::string_view text);
/// Byte length of the whitespace code point at `i` as JavaScript's \s and trim() see it, 0 when none.
[[nodiscard]] std::size_t jsSpaceAt(std::string_view text, std::size_t i);
[[nodiscard]] std::string_view chars(std::span<const std::byte> bytes);
[[nodiscard]] crypto::SecureBuffer secureCopy(std::string_view bytes);
/// Keeps the last value of each repeated name at the place of its first appearance (Node's object order).
[[nodiscard]] std::vector<Entry> lastWins(std::vector<Entry> entries);

[[nodiscard]] std::expected<std::vector<Entry>, ParseError> readDotenv(std::string_view text);
[[nodiscard]] std::expected<std::vector<Entry>, ParseError> readDocker(std::string_view text);
[[nodiscard]] std::expected<std::vector<Entry>, ParseError> readShell(std::string_view text);
[[nodiscard]] std::expected<std::vector<Entry>, ParseError> readSystemd(std::string_view text);
[[nodiscard]] std::expected<std::vector<Entry>, ParseError> readJson(std::string_view text);
[[nodiscard]] std::expected<std::vector<Entry>, ParseError> readYaml(std::string_view text);

[[nodiscard]] std::expected<crypto::SecureBuffer, WriteError> writeText(Dialect dialect,
                                                                        const std::vector<Entry>& entries);

} // namespace coffer::model::dotenv::detail
