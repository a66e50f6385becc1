// SPDX-License-Identifier: Apache-2.0
// The agent's frame decoder (agent/core/Frame.h), which the agent runs on every request from a local client and
// coffer-cli on every reply, over the input as a frame body. Properties: no read passes the body (ASan sees
// it); every key it hands out is 1..64 bytes; a body that decodes encodes back to exactly the same bytes.

#include "agent/core/Frame.h"
#include "tests/fuzz/FuzzSupport.h"

#include <algorithm>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace frame = coffer::agent::frame;
    using coffer::fuzz::check;
    const auto body = coffer::fuzz::asBytes(data, size);
    std::vector<frame::FieldView> fields;
    const auto decoded = frame::decodeBody(body, [&](std::string_view key, std::span<const std::byte> value) {
        fields.push_back({key, value});
    });
    if (!decoded) {
        return 0;
    }
    for (const auto& field : fields) {
        check(!field.key.empty() && field.key.size() <= frame::kMaxKeyBytes, "a key outside 1..64 bytes");
    }
    std::vector<std::byte> encoded(frame::frameSize(fields));
    frame::encodeFrame(fields, encoded);
    check(encoded.size() == body.size() + 4, "the encoded frame is not the body plus its length");
    check(std::equal(body.begin(), body.end(), encoded.begin() + 4), "the encoded body differs");
    return 0;
}
