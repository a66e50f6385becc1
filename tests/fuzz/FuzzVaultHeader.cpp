// SPDX-License-Identifier: Apache-2.0
// The vault header parser (model/VaultHeader.h): the 16 bytes read in clear before any key is derived.
// Properties: a header that parses has a cost within policy (nothing absurd reaches Argon2id) and
// serialises back to exactly its bytes (one encoding per header).

#include "model/VaultHeader.h"
#include "tests/fuzz/FuzzSupport.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace coffer::model;
    using coffer::fuzz::check;
    if (size != VaultHeader::kSize)
        return 0;
    const std::span<const std::byte, VaultHeader::kSize> bytes(reinterpret_cast<const std::byte*>(data),
                                                               VaultHeader::kSize);
    const auto header = VaultHeader::parse(bytes);
    if (!header)
        return 0;
    check(header->cost.check().has_value(), "a parsed header's cost is within policy");
    const auto again = header->serialize();
    check(std::equal(again.begin(), again.end(), bytes.begin()), "a parsed header serialises to its bytes");
    return 0;
}
