// SPDX-License-Identifier: Apache-2.0
// The pull reply decoded from nlohmann's SAX events: each record's fields go straight into its ChangeRecord
// (hex and base64url decoded as the string arrives), so no DOM node, key copy or value copy is made.
//
// Parity with the DOM path (parseJson + exactFields + recordFromJson + headFromJson) is the point, and
// TestProtocolJson checks it on mutated replies: the same texts are refused, the same pages accepted. Within an
// object the first problem is remembered and reported at its end, so a record of another version is
// UnknownVersion even when a field it may legitimately have comes first; a repeated key is refused at once.
#include "sync/protocol/JsonPage.h"

#include "sync/protocol/Json.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace coffer::protocol {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDepth = 16; // as parseJson()

// Record fields, in recordFromJson()'s order of decoding; the bit of each in Object::seen.
enum RecordField : unsigned {
    kVersionField,
    kTeam,
    kEnvironment,
    kEpoch,
    kSeq,
    kId,
    kPrevious,
    kAuthor,
    kNonce,
    kCiphertext,
    kBatchSignature,
    kRecordFields,
};
constexpr std::array<std::string_view, kRecordFields> recordNames() {
    std::array<std::string_view, kRecordFields> names{};
    names[kVersionField] = "version";
    names[kTeam] = "team";
    names[kEnvironment] = "environment";
    names[kEpoch] = "epoch";
    names[kSeq] = "seq";
    names[kId] = "id";
    names[kPrevious] = "previous";
    names[kAuthor] = "author";
    names[kNonce] = "nonce";
    names[kCiphertext] = "ciphertext";
    names[kBatchSignature] = "batchSignature";
    return names;
}
constexpr auto kRecordFieldNames = recordNames();

// The order recordFromJson() names a missing field in (its list order).
constexpr std::array<RecordField, 10> kRequiredRecordFields = {
    kVersionField, kTeam, kEnvironment, kEpoch, kSeq, kPrevious, kAuthor, kId, kNonce, kCiphertext};

enum HeadField : unsigned { kHeadSeq, kHeadHash, kHeadFields };
constexpr std::array<std::string_view, kHeadFields> kHeadNames = {"seq", "hash"};

enum TopField : unsigned { kRecords, kHead, kMore, kTopFields };
constexpr std::array<std::string_view, kTopFields> kTopNames = {"records", "head", "more"};

constexpr unsigned kUnknown = 255;

template <std::size_t N> unsigned fieldIndex(const std::array<std::string_view, N>& names, std::string_view key) {
    for (unsigned i = 0; i < N; ++i) {
        if (names[i] == key)
            return i;
    }
    return kUnknown;
}

std::string quoted(std::string_view name) {
    return "field \"" + std::string(name) + "\"";
}

Error fieldProblem(std::string_view name, const Error& inner) {
    return Error{inner.code, inner.position, quoted(name) + ": " + inner.detail};
}

Error fieldProblem(std::string_view name, std::string_view problem) {
    return Error{ErrorCode::Malformed, 0, quoted(name) + ": " + std::string(problem)};
}

/// The bookkeeping of one object being read: which known fields were seen, the first problem found.
struct Object {
    std::uint32_t seen = 0;
    unsigned field = kUnknown; ///< the field whose value comes next
    bool unexpected = false;
    std::optional<Error> versionProblem; ///< judged before anything else (a record's version)
    std::optional<Error> problem;

    void note(Error error) {
        if (!problem)
            problem = std::move(error);
    }
    [[nodiscard]] bool has(unsigned bit) const { return (seen & (1U << bit)) != 0; }
};

class PageReader {
public:
    // nlohmann's SAX interface.
    bool null() { return scalar(Kind::Other); }
    bool boolean(bool value) {
        m_boolean = value;
        return scalar(Kind::Boolean);
    }
    bool number_integer(json::number_integer_t) { return scalar(Kind::Other); }
    bool number_unsigned(json::number_unsigned_t value) {
        m_unsigned = value;
        return scalar(Kind::Unsigned);
    }
    bool number_float(json::number_float_t, const json::string_t&) { return scalar(Kind::Other); }
    bool string(json::string_t& value) {
        m_string = &value;
        return scalar(Kind::String);
    }
    bool binary(json::binary_t&) { return scalar(Kind::Other); }

    bool start_object(std::size_t) {
        if (!enter())
            return false;
        if (m_skip > 0 || m_depth > 3)
            return skipStart();
        switch (m_depth) {
        case 1:
            return true;
        case 2:
            if (m_top.field == kHead) {
                m_head = Object{};
                return true;
            }
            return topValueProblem(Kind::Object);
        case 3:
            if (m_inRecords) {
                m_record = Object{};
                m_current = ChangeRecord{};
                return true;
            }
            return skipStart();
        default:
            return skipStart();
        }
    }

    bool start_array(std::size_t) {
        if (!enter())
            return false;
        if (m_skip > 0 || m_depth > 2)
            return skipStart();
        if (m_depth == 1) {
            // Judged once the text parsed, as parseJson() would first refuse it if it is no JSON (or too deep).
            m_notObject = true;
            --m_depth;
            ++m_skip;
            return true;
        }
        if (m_top.field == kRecords) {
            m_inRecords = true;
            return true;
        }
        return topValueProblem(Kind::Array);
    }

    bool key(json::string_t& key) {
        if (m_skip > 0)
            return true;
        Object* object = nullptr;
        unsigned index = kUnknown;
        if (m_depth == 1) {
            object = &m_top;
            index = fieldIndex(kTopNames, key);
            if (index == kUnknown)
                return stop(
                    Error{ErrorCode::Malformed, 0, "the reply has an unexpected field \"" + key.substr(0, 40) + "\""});
        } else if (m_depth == 2) {
            object = &m_head;
            index = fieldIndex(kHeadNames, key);
        } else {
            object = &m_record;
            index = fieldIndex(kRecordFieldNames, key);
        }
        if (index != kUnknown) {
            if (object->has(index))
                return repeatedKey();
            object->seen |= 1U << index;
        } else {
            // The key text may be a repeat too; an unknown key is refused either way, so only whether it was
            // the first unknown one matters for the message.
            object->unexpected = true;
        }
        object->field = index;
        return true;
    }

    bool end_object() {
        if (m_skip > 0)
            return skipEnd();
        --m_depth;
        switch (m_depth) {
        case 0:
            return endTop();
        case 1:
            return endHead();
        default:
            return endRecord();
        }
    }

    bool end_array() {
        if (m_skip > 0)
            return skipEnd();
        --m_depth;
        m_inRecords = false;
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
        // nlohmann's message quotes the input, which may hold a code or key: only the position goes out.
        if (!m_error)
            m_error = notJson(Error{ErrorCode::Malformed, position, "invalid JSON"});
        return false;
    }

    [[nodiscard]] Result<RecordPageReply> result(bool parsed) {
        if (m_error)
            return std::unexpected(*m_error);
        if (!parsed)
            return std::unexpected(notJson(Error{ErrorCode::Malformed, 0, "invalid JSON"}));
        if (m_notObject || !m_done)
            return std::unexpected(Error{ErrorCode::Malformed, 0, "the reply is not a JSON object"});
        return std::move(m_page);
    }

private:
    enum class Kind { Other, Boolean, Unsigned, String, Object, Array };

    static Error notJson(const Error& inner) {
        return Error{inner.code, inner.position, "not JSON (" + describe(inner) + ")"};
    }

    bool stop(Error error) {
        if (!m_error)
            m_error = std::move(error);
        return false;
    }

    bool repeatedKey() { return stop(notJson(Error{ErrorCode::Malformed, 0, "a key repeated in one JSON object"})); }

    bool enter() {
        if (++m_depth + m_skip > kMaxDepth)
            return stop(notJson(Error{ErrorCode::LimitExceeded, 0, "JSON nested deeper than 16"}));
        return true;
    }

    // A nested value that is wrong wherever it is (a field's value, an unknown field's): skipped, counted.
    bool skipStart() {
        --m_depth; // the skipped levels are counted in m_skip, so that m_depth stays the structural depth
        ++m_skip;
        if (m_skip == 1)
            return value(Kind::Object); // judged once, as the value it stands for
        return true;
    }

    bool skipEnd() {
        --m_skip;
        return true;
    }

    bool topValueProblem(Kind kind) {
        if (m_top.field == kRecords)
            return stop(Error{ErrorCode::Malformed, 0, "field \"records\" is not an array"});
        if (m_top.field == kHead)
            return stop(Error{ErrorCode::Malformed, 0,
                              "field \"head\": " + describe(Error{ErrorCode::Malformed, 0, "expected a JSON object"})});
        (void)kind;
        return stop(Error{ErrorCode::Malformed, 0, "field \"more\" is not a boolean"});
    }

    bool scalar(Kind kind) { return m_skip > 0 ? true : value(kind); }

    // A value that is not the start of a structure we read: a scalar, or a skipped container.
    bool value(Kind kind) {
        switch (m_depth) {
        case 0:
            return stop(Error{ErrorCode::Malformed, 0, "the reply is not a JSON object"});
        case 1:
            if (m_top.field == kMore && kind == Kind::Boolean) {
                m_page.more = m_boolean;
                return true;
            }
            return topValueProblem(kind);
        case 2:
            if (m_inRecords) {
                // A record that is not an object.
                return stop(recordProblem(Error{ErrorCode::Malformed, 0, "expected a JSON object"}));
            }
            headValue(kind);
            return true;
        default:
            recordValue(kind);
            return true;
        }
    }

    void headValue(Kind kind) {
        switch (m_head.field) {
        case kHeadSeq:
            if (kind == Kind::Unsigned)
                m_page.head.seq = m_unsigned;
            else
                m_head.note(fieldProblem("seq", "not an unsigned 64-bit integer"));
            return;
        case kHeadHash:
            if (kind != Kind::String) {
                m_head.note(fieldProblem("hash", "not a string"));
            } else if (auto bytes = fixedFromHex<Hash::size>(*m_string)) {
                m_page.head.hash.bytes = *bytes;
            } else {
                m_head.note(fieldProblem("hash", bytes.error()));
            }
            return;
        default:
            return; // an unknown field: refused at the end of the object
        }
    }

    template <std::size_t N> void hexInto(std::array<std::byte, N>& out, RecordField field, Kind kind) {
        const std::string_view name = kRecordFieldNames[field];
        if (kind != Kind::String) {
            m_record.note(fieldProblem(name, "not a string"));
        } else if (auto bytes = fixedFromHex<N>(*m_string)) {
            out = *bytes;
        } else {
            m_record.note(fieldProblem(name, bytes.error()));
        }
    }

    template <std::size_t N> void base64Into(std::array<std::byte, N>& out, RecordField field, Kind kind) {
        const std::string_view name = kRecordFieldNames[field];
        if (kind != Kind::String) {
            m_record.note(fieldProblem(name, "not a string"));
        } else if (auto bytes = fixedFromBase64url<N>(*m_string)) {
            out = *bytes;
        } else {
            m_record.note(fieldProblem(name, bytes.error()));
        }
    }

    void unsignedInto(std::uint64_t& out, RecordField field, Kind kind) {
        if (kind == Kind::Unsigned)
            out = m_unsigned;
        else
            m_record.note(fieldProblem(kRecordFieldNames[field], "not an unsigned 64-bit integer"));
    }

    void recordValue(Kind kind) {
        ChangeRecord& record = m_current;
        switch (m_record.field) {
        case kVersionField:
            if (kind != Kind::Unsigned)
                m_record.versionProblem = fieldProblem("version", "not an unsigned integer");
            else if (m_unsigned != kVersion)
                m_record.versionProblem = Error{ErrorCode::UnknownVersion, 0, "version " + std::to_string(m_unsigned)};
            return;
        case kTeam:
            return hexInto(record.team.bytes, kTeam, kind);
        case kEnvironment:
            return hexInto(record.environment, kEnvironment, kind);
        case kEpoch:
            return unsignedInto(record.epoch, kEpoch, kind);
        case kSeq:
            return unsignedInto(record.seq, kSeq, kind);
        case kId:
            return hexInto(record.id, kId, kind);
        case kPrevious:
            return hexInto(record.previous.bytes, kPrevious, kind);
        case kAuthor:
            return hexInto(record.author.bytes, kAuthor, kind);
        case kNonce:
            return base64Into(record.nonce, kNonce, kind);
        case kCiphertext:
            if (kind != Kind::String) {
                m_record.note(fieldProblem("ciphertext", "not a string"));
            } else if (auto bytes = fromBase64url(*m_string, kMaxCiphertextBytes)) {
                record.ciphertext = std::move(*bytes);
            } else {
                m_record.note(fieldProblem("ciphertext", bytes.error()));
            }
            return;
        case kBatchSignature: {
            crypto::Signature signature;
            base64Into(signature.bytes, kBatchSignature, kind);
            record.batchSignature = signature;
            return;
        }
        default:
            return; // an unknown field: refused at the end of the object
        }
    }

    Error recordProblem(const Error& inner) const {
        return Error{inner.code, inner.position,
                     "field \"records[" + std::to_string(m_page.records.size()) + "]\": " + describe(inner)};
    }

    // recordFromJson()'s order: version, unexpected fields, missing fields, then the fields' own problems.
    bool endRecord() {
        const Object& object = m_record;
        if (object.versionProblem)
            return stop(recordProblem(*object.versionProblem));
        if (object.unexpected)
            return stop(recordProblem(Error{ErrorCode::Malformed, 0, "unexpected field"}));
        for (const RecordField field : kRequiredRecordFields) {
            if (!object.has(field))
                return stop(recordProblem(
                    Error{ErrorCode::Malformed, 0, "missing field \"" + std::string(kRecordFieldNames[field]) + "\""}));
        }
        if (object.problem)
            return stop(recordProblem(*object.problem));
        if (m_current.ciphertext.size() < crypto::aead::kTagBytes)
            return stop(recordProblem(fieldProblem("ciphertext", "shorter than the AEAD tag")));
        m_current.version = kVersion;
        m_page.records.push_back(std::move(m_current));
        return true;
    }

    bool endHead() {
        const std::string where = "field \"head\": ";
        if (m_head.unexpected)
            return stop(
                Error{ErrorCode::Malformed, 0, where + describe(Error{ErrorCode::Malformed, 0, "unexpected field"})});
        for (unsigned field = 0; field < kHeadFields; ++field) {
            if (!m_head.has(field))
                return stop(Error{ErrorCode::Malformed, 0,
                                  where + describe(Error{ErrorCode::Malformed, 0,
                                                         "missing field \"" + std::string(kHeadNames[field]) + "\""})});
        }
        if (m_head.problem)
            return stop(Error{m_head.problem->code, 0, where + describe(*m_head.problem)});
        return true;
    }

    bool endTop() {
        for (unsigned field = 0; field < kTopFields; ++field) {
            if (!m_top.has(field))
                return stop(Error{ErrorCode::Malformed, 0,
                                  "the reply lacks the field \"" + std::string(kTopNames[field]) + "\""});
        }
        m_done = true;
        return true;
    }

    std::size_t m_depth = 0; ///< structural depth: 1 in the reply, 2 in "head" or "records", 3 in a record
    std::size_t m_skip = 0;  ///< levels of a wrong nested value being skipped
    bool m_inRecords = false;
    bool m_notObject = false;
    bool m_done = false;
    Object m_top;
    Object m_head;
    Object m_record;
    ChangeRecord m_current;
    RecordPageReply m_page;
    std::optional<Error> m_error;
    // The value just read, for scalar().
    bool m_boolean = false;
    std::uint64_t m_unsigned = 0;
    const std::string* m_string = nullptr;
};

} // namespace

Result<RecordPageReply> decodeRecordPage(std::string_view text) {
    // nlohmann stops at a NUL byte as if the text ended there: "{}\0anything" would pass (as parseJson()).
    if (const void* nul = std::memchr(text.data(), 0, text.size()); nul != nullptr) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
        return fail(ErrorCode::Malformed, at,
                    "not JSON (" + describe(Error{ErrorCode::Malformed, at, "NUL byte in JSON text"}) + ")");
    }
    PageReader reader;
    bool parsed = false;
    try {
        parsed = json::sax_parse(text.begin(), text.end(), &reader, json::input_format_t::json, true, false);
    } catch (const std::exception&) {
        parsed = false; // no exception leaves the protocol (nlohmann's, or bad_alloc from a hostile page)
    }
    return reader.result(parsed);
}

} // namespace coffer::protocol
