// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Json.h"

#include "crypto/Base64.h"
#include "crypto/Hash.h"

#include <initializer_list>
#include <limits>
#include <set>

namespace coffer::protocol {

using nlohmann::json;

namespace {

// Field names are attacker-chosen text: an unexpected one is never echoed into a detail.
std::unexpected<Error> fieldError(std::string_view name, const Error& inner) {
    return fail(inner.code, inner.position, "field \"" + std::string(name) + "\": " + inner.detail);
}

std::unexpected<Error> fieldError(std::string_view name, std::string_view problem) {
    return fail(ErrorCode::Malformed, 0, "field \"" + std::string(name) + "\": " + std::string(problem));
}

/// An object with exactly the given fields. The version (when the type has one) is judged first:
/// another version may have other fields, and must be named UnknownVersion, not Malformed.
class Fields {
public:
    Fields(const json& object, std::initializer_list<std::string_view> names)
        : m_object(object)
        , m_names(names) {}
    Fields(const json& object, std::vector<std::string_view> names)
        : m_object(object)
        , m_names(std::move(names)) {}

    Result<void> check(bool versioned) const {
        if (!m_object.is_object()) {
            return fail(ErrorCode::Malformed, 0, "expected a JSON object");
        }
        if (versioned) {
            const auto version = m_object.find("version");
            if (version != m_object.end()) {
                if (!version->is_number_unsigned()) {
                    return fieldError("version", "not an unsigned integer");
                }
                if (version->get<std::uint64_t>() != kVersion) {
                    return fail(ErrorCode::UnknownVersion, 0,
                                "version " + std::to_string(version->get<std::uint64_t>()));
                }
            }
        }
        for (const auto& item : m_object.items()) {
            if (std::ranges::find(m_names, item.key()) == m_names.end()) {
                return fail(ErrorCode::Malformed, 0, "unexpected field");
            }
        }
        for (const std::string_view name : m_names) {
            if (!m_object.contains(name)) {
                return fail(ErrorCode::Malformed, 0, "missing field \"" + std::string(name) + "\"");
            }
        }
        return {};
    }

    const json& at(std::string_view name) const { return *m_object.find(name); }

    Result<std::uint64_t> unsignedInt(std::string_view name) const {
        const json& value = at(name);
        if (!value.is_number_unsigned()) {
            return fieldError(name, "not an unsigned 64-bit integer");
        }
        return value.get<std::uint64_t>();
    }

    Result<std::int64_t> signedInt(std::string_view name) const {
        const json& value = at(name);
        if (value.is_number_unsigned()) {
            const auto raw = value.get<std::uint64_t>();
            if (raw > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return fieldError(name, "out of the 64-bit range");
            }
            return static_cast<std::int64_t>(raw);
        }
        if (!value.is_number_integer()) {
            return fieldError(name, "not a 64-bit integer");
        }
        return value.get<std::int64_t>();
    }

    Result<std::string> string(std::string_view name, std::size_t maxBytes) const {
        const json& value = at(name);
        if (!value.is_string()) {
            return fieldError(name, "not a string");
        }
        const auto& text = value.get_ref<const std::string&>();
        if (text.size() > maxBytes) {
            return fieldError(name, Error{ErrorCode::LimitExceeded, 0, "longer than " + std::to_string(maxBytes)});
        }
        return text;
    }

    template <std::size_t N> Result<std::array<std::byte, N>> hexArray(std::string_view name) const {
        const json& value = at(name);
        if (!value.is_string()) {
            return fieldError(name, "not a string");
        }
        auto bytes = fixedFromHex<N>(value.get_ref<const std::string&>());
        if (!bytes) {
            return fieldError(name, bytes.error());
        }
        return *bytes;
    }

    template <typename T> Result<T> hexValue(std::string_view name) const {
        auto bytes = hexArray<T::size>(name);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        T out;
        out.bytes = *bytes;
        return out;
    }

    template <std::size_t N> Result<std::array<std::byte, N>> base64Array(std::string_view name) const {
        const json& value = at(name);
        if (!value.is_string()) {
            return fieldError(name, "not a string");
        }
        auto bytes = fixedFromBase64url<N>(value.get_ref<const std::string&>());
        if (!bytes) {
            return fieldError(name, bytes.error());
        }
        return *bytes;
    }

    template <typename T> Result<T> base64Value(std::string_view name) const {
        auto bytes = base64Array<T::size>(name);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        T out;
        out.bytes = *bytes;
        return out;
    }

    Result<std::vector<std::byte>> base64Bytes(std::string_view name, std::size_t maxSize) const {
        const json& value = at(name);
        if (!value.is_string()) {
            return fieldError(name, "not a string");
        }
        auto bytes = fromBase64url(value.get_ref<const std::string&>(), maxSize);
        if (!bytes) {
            return fieldError(name, bytes.error());
        }
        return bytes;
    }

    template <typename E, std::size_t N>
    Result<E> enumeration(std::string_view name, const std::array<std::pair<std::string_view, E>, N>& values) const {
        const json& value = at(name);
        if (value.is_string()) {
            for (const auto& [text, e] : values) {
                if (value.get_ref<const std::string&>() == text) {
                    return e;
                }
            }
        }
        return fieldError(name, "not one of the known values");
    }

private:
    const json& m_object;
    std::vector<std::string_view> m_names; // a copy: the caller's braced list dies with the full-expression
};

#define COFFER_GET(target, expression)                                                                                 \
    do {                                                                                                               \
        auto coffer_get_value = (expression);                                                                          \
        if (!coffer_get_value) {                                                                                       \
            return std::unexpected(coffer_get_value.error());                                                          \
        }                                                                                                              \
        target = std::move(*coffer_get_value);                                                                         \
    } while (false)

constexpr std::array<std::pair<std::string_view, RosterEventKind>, 4> kKinds{
    {{"genesis", RosterEventKind::Genesis},
     {"add", RosterEventKind::Add},
     {"remove", RosterEventKind::Remove},
     {"roleChange", RosterEventKind::RoleChange}}};
constexpr std::array<std::pair<std::string_view, Role>, 3> kRoles{
    {{"member", Role::Member}, {"admin", Role::Admin}, {"owner", Role::Owner}}};
constexpr std::array<std::pair<std::string_view, Access>, 2> kAccesses{
    {{"read", Access::Read}, {"write", Access::Write}}};

template <typename E, std::size_t N>
std::string_view nameOf(const std::array<std::pair<std::string_view, E>, N>& values, E value) {
    for (const auto& [text, e] : values) {
        if (e == value) {
            return text;
        }
    }
    return "invalid";
}

} // namespace

std::string hex(std::span<const std::byte> bytes) {
    return crypto::toHex(bytes);
}

std::string base64url(std::span<const std::byte> bytes) {
    return crypto::toBase64url(bytes);
}

Result<std::vector<std::byte>> fromBase64url(std::string_view text, std::size_t maxSize) {
    // Refuse before decoding: the longest text for maxSize bytes is ceil(4 * maxSize / 3) characters.
    if (text.size() > (maxSize * 4 + 2) / 3) {
        return fail(ErrorCode::LimitExceeded, 0, "more than " + std::to_string(maxSize) + " bytes");
    }
    // A table, not crypto::fromBase64url(): these fields are public bytes (ciphertext, nonces, signatures, sealed
    // keys), so libsodium's constant-time decoding buys nothing, and it was ~5 % of a pull's CPU. The rules are
    // the same (TestProtocolJson compares both): the alphabet only, no padding, no length of 4k+1, zero
    // trailing bits, so one value has one spelling.
    constexpr auto kTable = [] {
        std::array<std::int8_t, 256> table{};
        table.fill(-1);
        constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (std::size_t i = 0; i < alphabet.size(); ++i) {
            table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
        }
        return table;
    }();
    const auto malformed = [] { return fail(ErrorCode::Malformed, 0, "not base64url without padding"); };
    const std::size_t tail = text.size() % 4;
    if (tail == 1) {
        return malformed();
    }
    std::vector<std::byte> out(text.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1));
    const auto digit = [&](std::size_t i) { return kTable[static_cast<unsigned char>(text[i])]; };
    std::size_t o = 0;
    std::size_t i = 0;
    for (; i + 4 <= text.size(); i += 4) {
        const int a = digit(i);
        const int b = digit(i + 1);
        const int c = digit(i + 2);
        const int d = digit(i + 3);
        if ((a | b | c | d) < 0) {
            return malformed();
        }
        const auto v = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6) | d);
        out[o++] = static_cast<std::byte>(v >> 16);
        out[o++] = static_cast<std::byte>(v >> 8);
        out[o++] = static_cast<std::byte>(v);
    }
    if (tail != 0) {
        const int a = digit(i);
        const int b = digit(i + 1);
        const int c = tail == 3 ? digit(i + 2) : 0;
        if ((a | b | c) < 0) {
            return malformed();
        }
        const auto v = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6));
        // Bits past the last whole byte must be zero (canonical, as libsodium checks).
        if ((tail == 2 && (v & 0xFFFFU) != 0) || (tail == 3 && (v & 0xFFU) != 0)) {
            return malformed();
        }
        out[o++] = static_cast<std::byte>(v >> 16);
        if (tail == 3) {
            out[o++] = static_cast<std::byte>(v >> 8);
        }
    }
    if (out.size() > maxSize) {
        return fail(ErrorCode::LimitExceeded, 0, "more than " + std::to_string(maxSize) + " bytes");
    }
    return out;
}

json toJson(const Head& head) {
    return json{{"seq", head.seq}, {"hash", hex(head.hash.span())}};
}

json toJson(const MemberIdentity& identity) {
    return json{{"version", identity.version},
                {"signKey", hex(identity.signKey.span())},
                {"boxKey", hex(identity.boxKey.span())},
                {"displayName", identity.displayName},
                {"selfSignature", base64url(identity.selfSignature.span())}};
}

json toJson(const RosterEvent& event) {
    return json{{"version", event.version},
                {"team", hex(event.team.span())},
                {"seq", event.seq},
                {"previous", hex(event.previous.span())},
                {"kind", nameOf(kKinds, event.kind)},
                {"subject", toJson(event.subject)},
                {"role", nameOf(kRoles, event.role)},
                {"signer", hex(event.signer.span())},
                {"time", event.time},
                {"signature", base64url(event.signature.span())}};
}

json toJson(const Grant& grant) {
    return json{{"version", grant.version},
                {"team", hex(grant.team.span())},
                {"environment", hex(grant.environment)},
                {"epoch", grant.epoch},
                {"member", hex(grant.member.span())},
                {"access", nameOf(kAccesses, grant.access)},
                {"sealedKey", base64url(grant.sealedKey)},
                {"rosterSeq", grant.rosterSeq},
                {"rosterHead", hex(grant.rosterHead.span())},
                {"admin", hex(grant.admin.span())},
                {"signature", base64url(grant.signature.span())}};
}

json toJson(const ChangeRecord& record) {
    json out{{"version", record.version},
             {"team", hex(record.team.span())},
             {"environment", hex(record.environment)},
             {"epoch", record.epoch},
             {"seq", record.seq},
             {"id", hex(record.id)},
             {"previous", hex(record.previous.span())},
             {"author", hex(record.author.span())},
             {"nonce", base64url(record.nonce)},
             {"ciphertext", base64url(record.ciphertext)}};
    if (record.batchSignature) {
        out["batchSignature"] = base64url(record.batchSignature->span());
    }
    return out;
}

Result<Head> headFromJson(const json& object) {
    const Fields fields(object, {"seq", "hash"});
    if (auto ok = fields.check(false); !ok) {
        return std::unexpected(ok.error());
    }
    Head head;
    COFFER_GET(head.seq, fields.unsignedInt("seq"));
    COFFER_GET(head.hash, fields.hexValue<Hash>("hash"));
    return head;
}

Result<MemberIdentity> identityFromJson(const json& object) {
    const Fields fields(object, {"version", "signKey", "boxKey", "displayName", "selfSignature"});
    if (auto ok = fields.check(true); !ok) {
        return std::unexpected(ok.error());
    }
    MemberIdentity identity;
    identity.version = kVersion;
    COFFER_GET(identity.signKey, fields.hexValue<crypto::SignPublicKey>("signKey"));
    COFFER_GET(identity.boxKey, fields.hexValue<crypto::BoxPublicKey>("boxKey"));
    COFFER_GET(identity.displayName, fields.string("displayName", kMaxDisplayNameBytes));
    COFFER_GET(identity.selfSignature, fields.base64Value<crypto::Signature>("selfSignature"));
    return identity;
}

Result<RosterEvent> rosterEventFromJson(const json& object) {
    const Fields fields(
        object, {"version", "team", "seq", "previous", "kind", "subject", "role", "signer", "time", "signature"});
    if (auto ok = fields.check(true); !ok) {
        return std::unexpected(ok.error());
    }
    RosterEvent event;
    event.version = kVersion;
    COFFER_GET(event.team, fields.hexValue<TeamId>("team"));
    COFFER_GET(event.seq, fields.unsignedInt("seq"));
    COFFER_GET(event.previous, fields.hexValue<Hash>("previous"));
    COFFER_GET(event.kind, fields.enumeration("kind", kKinds));
    auto subject = identityFromJson(fields.at("subject"));
    if (!subject) {
        return fieldError("subject", subject.error());
    }
    event.subject = std::move(*subject);
    COFFER_GET(event.role, fields.enumeration("role", kRoles));
    COFFER_GET(event.signer, fields.hexValue<MemberId>("signer"));
    COFFER_GET(event.time, fields.signedInt("time"));
    COFFER_GET(event.signature, fields.base64Value<crypto::Signature>("signature"));
    return event;
}

Result<Grant> grantFromJson(const json& object) {
    const Fields fields(object, {"version", "team", "environment", "epoch", "member", "access", "sealedKey",
                                 "rosterSeq", "rosterHead", "admin", "signature"});
    if (auto ok = fields.check(true); !ok) {
        return std::unexpected(ok.error());
    }
    Grant grant;
    grant.version = kVersion;
    COFFER_GET(grant.team, fields.hexValue<TeamId>("team"));
    COFFER_GET(grant.environment, fields.hexArray<std::tuple_size_v<EnvironmentId>>("environment"));
    COFFER_GET(grant.epoch, fields.unsignedInt("epoch"));
    COFFER_GET(grant.member, fields.hexValue<MemberId>("member"));
    COFFER_GET(grant.access, fields.enumeration("access", kAccesses));
    auto sealed = fields.base64Array<kSealedKeyBytes>("sealedKey");
    if (!sealed) {
        return std::unexpected(sealed.error());
    }
    grant.sealedKey.assign(sealed->begin(), sealed->end());
    COFFER_GET(grant.rosterSeq, fields.unsignedInt("rosterSeq"));
    COFFER_GET(grant.rosterHead, fields.hexValue<Hash>("rosterHead"));
    COFFER_GET(grant.admin, fields.hexValue<MemberId>("admin"));
    COFFER_GET(grant.signature, fields.base64Value<crypto::Signature>("signature"));
    return grant;
}

Result<ChangeRecord> recordFromJson(const json& object) {
    const bool signedRecord = object.is_object() && object.contains("batchSignature");
    std::vector<std::string_view> names{"version",  "team",   "environment", "epoch", "seq",
                                        "previous", "author", "id",          "nonce", "ciphertext"};
    if (signedRecord) {
        names.emplace_back("batchSignature");
    }
    const Fields fields(object, std::move(names));
    if (auto ok = fields.check(true); !ok) {
        return std::unexpected(ok.error());
    }
    ChangeRecord record;
    record.version = kVersion;
    COFFER_GET(record.team, fields.hexValue<TeamId>("team"));
    COFFER_GET(record.environment, fields.hexArray<std::tuple_size_v<EnvironmentId>>("environment"));
    COFFER_GET(record.epoch, fields.unsignedInt("epoch"));
    COFFER_GET(record.seq, fields.unsignedInt("seq"));
    COFFER_GET(record.id, fields.hexArray<std::tuple_size_v<RecordId>>("id"));
    COFFER_GET(record.previous, fields.hexValue<Hash>("previous"));
    COFFER_GET(record.author, fields.hexValue<MemberId>("author"));
    COFFER_GET(record.nonce, fields.base64Array<crypto::aead::kNonceBytes>("nonce"));
    COFFER_GET(record.ciphertext, fields.base64Bytes("ciphertext", kMaxCiphertextBytes));
    if (record.ciphertext.size() < crypto::aead::kTagBytes) {
        return fieldError("ciphertext", "shorter than the AEAD tag");
    }
    if (signedRecord) {
        crypto::Signature signature;
        COFFER_GET(signature, fields.base64Value<crypto::Signature>("batchSignature"));
        record.batchSignature = signature;
    }
    return record;
}

#undef COFFER_GET

Result<json> parseJson(std::string_view text, std::size_t maxDepth) {
    // Bound the nesting before nlohmann sees the text: its parser recurses once per level, so 100k
    // '[' would exhaust the stack. Brackets inside strings do not count (escapes are skipped).
    std::size_t depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\0') {
            // nlohmann stops at a NUL byte as if the text ended there: "{}\0anything" would pass.
            return fail(ErrorCode::Malformed, i, "NUL byte in JSON text");
        }
        if (inString) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth) {
                return fail(ErrorCode::LimitExceeded, i, "JSON nested deeper than " + std::to_string(maxDepth));
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    try {
        // A repeated key would silently keep one of two values: refuse it, as a strict decoder must.
        std::vector<std::set<std::string>> keys;
        bool duplicate = false;
        const json::parser_callback_t watchKeys = [&](int, json::parse_event_t event, json& parsed) {
            if (event == json::parse_event_t::object_start) {
                keys.emplace_back();
            } else if (event == json::parse_event_t::object_end) {
                keys.pop_back();
            } else if (event == json::parse_event_t::key && !keys.empty()) {
                duplicate = duplicate || !keys.back().insert(parsed.get<std::string>()).second;
            }
            return true;
        };
        json parsed = json::parse(text.begin(), text.end(), watchKeys, true, false);
        if (duplicate) {
            return fail(ErrorCode::Malformed, 0, "a key repeated in one JSON object");
        }
        return parsed;
    } catch (const json::parse_error& error) {
        // The parser's message quotes the input, which may hold a code or key: only the position goes out.
        return fail(ErrorCode::Malformed, error.byte, "invalid JSON");
    } catch (...) {
        return fail(ErrorCode::Malformed, 0, "invalid JSON");
    }
}

} // namespace coffer::protocol
