// SPDX-License-Identifier: Apache-2.0
// The JSON transport (sync/protocol/Json.h) through parseJson, the way the server and client read
// bodies. Input: one byte choosing the type (head, identity, roster event, grant, record, base64url
// text, hex), then the text. Properties: parseJson never throws or recurses past its bound; a value
// that decodes survives toJson -> dump -> parseJson -> decode unchanged; base64url and hex accept one
// spelling per value.

#include "sync/protocol/Json.h"
#include "tests/fuzz/FuzzSupport.h"

#include <string>

namespace {

namespace p = coffer::protocol;
using coffer::fuzz::check;

template <typename T, typename Decode> void roundTrip(const nlohmann::json& json, Decode decode) {
    auto value = decode(json);
    if (!value)
        return;
    const std::string text = p::toJson(*value).dump();
    auto parsed = p::parseJson(text);
    check(parsed.has_value(), "toJson() output parses");
    auto again = decode(*parsed);
    check(again.has_value(), "toJson() output decodes");
    check(*again == *value, "a decoded value survives toJson and back");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const unsigned kind = data[0] % 7;
    if (kind == 5) {
        if (auto raw = p::fromBase64url(text, 1024)) {
            check(raw->size() <= 1024, "fromBase64url respects its bound");
            check(p::base64url(*raw) == text, "base64url has one spelling per value");
        }
        return 0;
    }
    if (kind == 6) {
        if (auto raw = p::fixedFromHex<32>(text))
            check(p::hex(*raw) == text, "hex has one spelling per value");
        return 0;
    }
    auto json = p::parseJson(text);
    if (!json)
        return 0;
    switch (kind) {
    case 0:
        roundTrip<p::Head>(*json, [](const nlohmann::json& j) { return p::headFromJson(j); });
        break;
    case 1:
        roundTrip<p::MemberIdentity>(*json, [](const nlohmann::json& j) { return p::identityFromJson(j); });
        break;
    case 2:
        roundTrip<p::RosterEvent>(*json, [](const nlohmann::json& j) { return p::rosterEventFromJson(j); });
        break;
    case 3:
        roundTrip<p::Grant>(*json, [](const nlohmann::json& j) { return p::grantFromJson(j); });
        break;
    default:
        roundTrip<p::ChangeRecord>(*json, [](const nlohmann::json& j) { return p::recordFromJson(j); });
        break;
    }
    return 0;
}
