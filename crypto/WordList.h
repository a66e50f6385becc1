// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string_view>

namespace coffer::crypto {

/// The EFF long word list for passphrases: 7776 distinct words (lower-case a–z, four with a hyphen), in the
/// list's order. Compiled in from resources/wordlists/eff_large_wordlist.txt (CC BY 3.0, Electronic Frontier
/// Foundation; see the README there), so no file is read at run time.
[[nodiscard]] std::span<const std::string_view> effLargeWordList() noexcept;

} // namespace coffer::crypto
