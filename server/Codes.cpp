// SPDX-License-Identifier: Apache-2.0
#include "server/Codes.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"

#include <array>

namespace coffer::server {

std::string makeTeamCode() {
    // RFC 4648 base32 alphabet in lower case: no '0'/'1', so nothing reads as 'o' or 'l'.
    constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    const auto random = crypto::randomArray<20>();
    std::string code;
    std::uint32_t buffer = 0;
    int bits = 0;
    int written = 0;
    for (const std::byte b : random) {
        buffer = (buffer << 8) | std::to_integer<std::uint32_t>(b);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            if (written > 0 && written % 4 == 0)
                code.push_back('-');
            code.push_back(alphabet[(buffer >> bits) & 0x1fU]);
            ++written;
        }
    }
    return code;
}

std::string codeHash(std::string_view code) {
    return crypto::toHex(crypto::blake2b(crypto::asBytes(code)).bytes);
}

} // namespace coffer::server
