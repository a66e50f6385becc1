// SPDX-License-Identifier: Apache-2.0
// The agent's frame decoder (agent/core/Frame.h), which the agent runs on every request from a local client and
// coffer-cli on every reply, over the input as a frame body. Properties: no read passes the body (ASan sees
// it); every key it hands out is 1..64 bytes; a body that decodes encodes back to exactly the same bytes; the field
// count claimedFieldCount() reads (what Message::decode reserves) is bounded by the body and exact when it decodes.

#include "agent/core/Frame.h"
#include "tests/fuzz/FuzzSupport.h"

#include <algorithm>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace frame = coffer::agent::frame;
    using coffer::fuzz::check;
    const auto body = coffer::fuzz::asBytes(data, size);
    // What Message::decode reserves: never more fields than the body can hold, whatever it claims.
    const std::size_t claimed = frame::claimedFieldCount(body);
    check(claimed <= size / 7, "the claimed field count exceeds what the body can hold");
    std::vector<frame::FieldView> fields;
    const auto decoded = frame::decodeBody(body, [&](std::string_view key, std::span<const std::byte> value) {
        fields.push_back({key, value});
    });
    if (!decoded) {
        return 0;
    }
    check(claimed == fields.size(), "a valid body's claimed field count is not its field count");
    for (const auto& field : fields) {
        check(!field.key.empty() && field.key.size() <= frame::kMaxKeyBytes, "a key outside 1..64 bytes");
    }
    std::vector<std::byte> encoded(frame::frameSize(fields));
    frame::encodeFrame(fields, encoded);
    check(encoded.size() == body.size() + 4, "the encoded frame is not the body plus its length");
    check(std::equal(body.begin(), body.end(), encoded.begin() + 4), "the encoded body differs");
    return 0;
}
