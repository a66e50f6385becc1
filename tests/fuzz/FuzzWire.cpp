// SPDX-License-Identifier: Apache-2.0
// WireReader (sync/protocol/Wire.h) driven by a program in the input: byte 0 says how many operations
// (0-15), the next bytes choose them (u8, u32, u64, i64, bytes, text, fixed<32>, tag), the rest is the
// data they read. Properties: no read passes the data (ASan sees it); when every read succeeds and
// finish() accepts, WireWriter writing the same values gives back exactly the data.

#include "sync/protocol/Wire.h"
#include "tests/fuzz/FuzzSupport.h"

#include <algorithm>
#include <limits>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace p = coffer::protocol;
    using coffer::fuzz::check;
    if (size == 0)
        return 0;
    const std::size_t count = std::min<std::size_t>(data[0] % 16, size - 1);
    const std::uint8_t* ops = data + 1;
    const auto input = coffer::fuzz::asBytes(data + 1 + count, size - 1 - count);

    constexpr std::string_view kTag = "coffer/roster-event/v1";
    p::WireReader reader(input);
    p::WireWriter writer("");
    bool ok = true;
    for (std::size_t i = 0; i < count && ok; ++i) {
        switch (ops[i] % 9) {
        case 0:
            if (auto v = reader.u8())
                writer.u8(*v);
            else
                ok = false;
            break;
        case 1:
            if (auto v = reader.u32())
                writer.u32(*v);
            else
                ok = false;
            break;
        case 2:
            if (auto v = reader.u64())
                writer.u64(*v);
            else
                ok = false;
            break;
        case 3:
            if (auto v = reader.i64())
                writer.i64(*v);
            else
                ok = false;
            break;
        case 4:
            if (auto v = reader.bytes(64)) {
                check(v->size() <= 64, "bytes() respects its bound");
                writer.bytes(*v);
            } else {
                ok = false;
            }
            break;
        case 5:
            if (auto v = reader.text(64))
                writer.text(*v);
            else
                ok = false;
            break;
        case 6:
            if (auto v = reader.fixed<32>())
                writer.fixed(*v);
            else
                ok = false;
            break;
        case 7:
            if (reader.expectTag(kTag))
                writer.text(kTag);
            else
                ok = false;
            break;
        default:
            // No bound at all: the length alone must not make the reader allocate past the data.
            if (auto v = reader.bytes(std::numeric_limits<std::size_t>::max())) {
                check(v->size() <= input.size(), "bytes() never returns more than the data");
                writer.bytes(*v);
            } else {
                ok = false;
            }
            break;
        }
    }
    if (ok && reader.finish()) {
        const auto& out = writer.data();
        // The writer's empty domain tag is four zero bytes; the rest must be the input itself.
        check(out.size() >= 4 && std::equal(out.begin() + 4, out.end(), input.begin(), input.end()),
              "values read re-encode to exactly the data");
    }
    return 0;
}
