// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Utf8.h"

#include <cstdint>

namespace coffer::protocol {

bool isValidUtf8(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<std::uint8_t>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t min = 0;
        std::uint32_t code = 0;
        if ((lead & 0xe0) == 0xc0) {
            length = 2;
            min = 0x80;
            code = lead & 0x1fU;
        } else if ((lead & 0xf0) == 0xe0) {
            length = 3;
            min = 0x800;
            code = lead & 0x0fU;
        } else if ((lead & 0xf8) == 0xf0) {
            length = 4;
            min = 0x10000;
            code = lead & 0x07U;
        } else {
            return false;
        }
        if (text.size() - i < length) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<std::uint8_t>(text[i + k]);
            if ((next & 0xc0) != 0x80) {
                return false;
            }
            code = (code << 6) | (next & 0x3fU);
        }
        if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            return false;
        }
        i += length;
    }
    return true;
}

} // namespace coffer::protocol
