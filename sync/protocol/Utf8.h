// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace coffer::protocol {

/// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
/// Decoders refuse anything else: JSON cannot carry it, and two spellings of one name must not exist.
[[nodiscard]] bool isValidUtf8(std::string_view text) noexcept;

} // namespace coffer::protocol
