// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Json.h"

#include "tests/protocol/ProtocolTestSupport.h"

#include <QTest>

using namespace coffer::protocol;
using coffer::test::codeString;
using coffer::test::outcome;
using nlohmann::json;

namespace {

const coffer::test::Person& ada() {
    static const auto person = coffer::test::makePerson(1, "Ada Lovelace");
    return person;
}

const coffer::test::Person& bob() {
    static const auto person = coffer::test::makePerson(2, "Bob");
    return person;
}

RosterEvent sampleEvent() {
    const RosterEvent genesis = coffer::test::makeGenesis(ada());
    return coffer::test::makeEvent(teamIdOf(genesis), Head{0, rosterEventHash(genesis)}, RosterEventKind::Add, bob(),
                                   Role::Admin, ada());
}

Grant sampleGrant() {
    Grant grant;
    grant.team.bytes = coffer::test::filled<32>(0x11);
    grant.environment = coffer::test::filled<16>(0x22);
    grant.epoch = 3;
    grant.member = bob().id;
    grant.access = Access::Read;
    grant.sealedKey = coffer::crypto::seal(bob().box.publicKey, coffer::test::filled<32>(0x33));
    grant.rosterSeq = 1;
    grant.rosterHead.bytes = coffer::test::filled<32>(0x44);
    grant.admin = ada().id;
    signGrant(grant, ada().sign.secretKey);
    return grant;
}

ChangeRecord sampleRecord() {
    ChangeRecord record;
    record.team.bytes = coffer::test::filled<32>(0x11);
    record.environment = coffer::test::filled<16>(0x22);
    record.epoch = 1;
    record.seq = 1;
    record.id = coffer::test::filled<16>(0x55);
    record.author = ada().id;
    record.nonce = coffer::test::filled<24>(0x88);
    record.ciphertext.assign(33, std::byte{0x99});
    coffer::crypto::Signature signature;
    signature.bytes = coffer::test::filled<64>(0xaa);
    record.batchSignature = signature;
    return record;
}

json sampleJson(const QString& type) {
    if (type == u"head") {
        return toJson(Head{5, rosterEventHash(sampleEvent())});
    }
    if (type == u"identity") {
        return toJson(ada().identity);
    }
    if (type == u"event") {
        return toJson(sampleEvent());
    }
    if (type == u"grant") {
        return toJson(sampleGrant());
    }
    return toJson(sampleRecord());
}

template <typename T> Result<void> dropValue(const Result<T>& result) {
    if (!result) {
        return std::unexpected(result.error());
    }
    return {};
}

// The whole receiving path: text -> parseJson -> strict decoder.
Result<void> decodeText(const QString& type, const std::string& text) {
    auto parsed = parseJson(text);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (type == u"head") {
        return dropValue(headFromJson(*parsed));
    }
    if (type == u"identity") {
        return dropValue(identityFromJson(*parsed));
    }
    if (type == u"event") {
        return dropValue(rosterEventFromJson(*parsed));
    }
    if (type == u"grant") {
        return dropValue(grantFromJson(*parsed));
    }
    return dropValue(recordFromJson(*parsed));
}

QByteArray quoted(const std::string& text) {
    return QByteArray::fromStdString(json(text).dump());
}

QByteArray hexOf(std::size_t size, char digit = 'a') {
    return quoted(std::string(size * 2, digit));
}

QByteArray base64Of(std::size_t size) {
    const std::vector<std::byte> bytes(size, std::byte{0x5a});
    return quoted(base64url(bytes));
}

} // namespace

class TestProtocolJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrips() {
        const Head head{42, rosterEventHash(sampleEvent())};
        QVERIFY(headFromJson(toJson(head)).value() == head);
        QVERIFY(identityFromJson(toJson(ada().identity)).value() == ada().identity);
        const RosterEvent event = sampleEvent();
        QVERIFY(rosterEventFromJson(toJson(event)).value() == event);
        const Grant grant = sampleGrant();
        QVERIFY(grantFromJson(toJson(grant)).value() == grant);
        ChangeRecord record = sampleRecord();
        QVERIFY(recordFromJson(toJson(record)).value() == record);
        record.batchSignature.reset();
        QVERIFY(!toJson(record).contains("batchSignature"));
        QVERIFY(recordFromJson(toJson(record)).value() == record);
        // Through text and back, as the server and client see it.
        const auto reparsed = parseJson(toJson(event).dump());
        QVERIFY(reparsed.has_value());
        QVERIFY(rosterEventFromJson(*reparsed).value() == event);
    }

    // The documented field names and encodings (docs/protocol.md, "Wire types").
    void fieldEncodings() {
        const json event = toJson(sampleEvent());
        QCOMPARE(event.at("kind").get<std::string>(), std::string("add"));
        QCOMPARE(event.at("role").get<std::string>(), std::string("admin"));
        QCOMPARE(event.at("seq").get<std::uint64_t>(), std::uint64_t{1});
        QCOMPARE(event.at("signer").get<std::string>(), hex(ada().id.span()));
        QCOMPARE(event.at("signature").get<std::string>().size(), std::size_t{86});
        const json grant = toJson(sampleGrant());
        QCOMPARE(grant.at("access").get<std::string>(), std::string("read"));
        QCOMPARE(grant.at("sealedKey").get<std::string>().size(), std::size_t{107});
        QCOMPARE(grant.at("environment").get<std::string>(), std::string(32, '2'));
        const json record = toJson(sampleRecord());
        QCOMPARE(QString::fromStdString(record.at("nonce").get<std::string>()), QStringLiteral("iIiI").repeated(8));
    }

    void helpers() {
        const std::array<std::byte, 4> bytes{std::byte{0xfb}, std::byte{0xff}, std::byte{0x00}, std::byte{0x10}};
        QCOMPARE(hex(bytes), std::string("fbff0010"));
        QCOMPARE(base64url(bytes), std::string("-_8AEA"));
        QVERIFY(fromBase64url("-_8AEA", 4).value() == std::vector<std::byte>(bytes.begin(), bytes.end()));
        QCOMPARE(outcome(fromBase64url("-_8AEA", 3)), codeString(ErrorCode::LimitExceeded));
        QCOMPARE(outcome(fromBase64url("+/8AEA", 4)), codeString(ErrorCode::Malformed));
        QCOMPARE(outcome(fromBase64url("-_8AEA==", 8)), codeString(ErrorCode::Malformed));
        QCOMPARE(outcome(fromBase64url("-_8AEB", 4)), codeString(ErrorCode::Malformed)); // non-zero spare bits
        QCOMPARE(outcome(fromBase64url("A", 4)), codeString(ErrorCode::Malformed));
        // libsodium 1.0.18 alone reads any byte >= 0x80 as '_' (found by fuzz_json).
        for (const std::string& text : {std::string("-_8A\xe9") + 'A', '\x80' + std::string("_8AEA")}) {
            QCOMPARE(outcome(fromBase64url(text, 4)), codeString(ErrorCode::Malformed));
        }
        QVERIFY(fromBase64url("", 0).value().empty());
        QVERIFY(fixedFromHex<4>("fbff0010").value() == bytes);
        QCOMPARE(outcome(fixedFromHex<4>("FBFF0010")), codeString(ErrorCode::Malformed));
        QCOMPARE(outcome(fixedFromHex<4>("fbff001")), codeString(ErrorCode::Malformed));
        QCOMPARE(outcome(fixedFromHex<4>("fbff001000")), codeString(ErrorCode::Malformed));
        QVERIFY(fixedFromBase64url<4>("-_8AEA").value() == bytes);
        QCOMPARE(outcome(fixedFromBase64url<3>("-_8AEA")), codeString(ErrorCode::Malformed));
        QCOMPARE(outcome(fixedFromBase64url<5>("-_8AEA")), codeString(ErrorCode::Malformed));
    }

    void parse_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        const QString malformed = codeString(ErrorCode::Malformed);
        const QString limit = codeString(ErrorCode::LimitExceeded);
        QTest::newRow("object") << QByteArray(R"({"a":[1,2,{"b":null}]})") << QStringLiteral("ok");
        QTest::newRow("empty") << QByteArray() << malformed;
        QTest::newRow("unterminated") << QByteArray("{") << malformed;
        QTest::newRow("trailing comma") << QByteArray("[1,]") << malformed;
        QTest::newRow("trailing garbage") << QByteArray("{}x") << malformed;
        QTest::newRow("two documents") << QByteArray("{}{}") << malformed;
        QTest::newRow("comment") << QByteArray("{}/*c*/") << malformed;
        QTest::newRow("single quotes") << QByteArray("{'a':1}") << malformed;
        QTest::newRow("duplicate key") << QByteArray(R"({"a":1,"a":2})") << malformed;
        QTest::newRow("nested duplicate key") << QByteArray(R"({"a":{"b":1,"b":1}})") << malformed;
        QTest::newRow("same key in two objects") << QByteArray(R"([{"a":1},{"a":1}])") << QStringLiteral("ok");
        QTest::newRow("invalid utf-8") << QByteArray("[\"\xff\"]") << malformed;
        QTest::newRow("lone surrogate escape") << QByteArray(R"(["\ud800"])") << malformed;
        QTest::newRow("nul byte after") << QByteArray("[1]\0", 4) << malformed;
        QTest::newRow("nul byte then garbage") << QByteArray("{}\0{{{", 6) << malformed;
        QTest::newRow("nul byte in a string") << QByteArray("[\"a\0\"]", 6) << malformed;
        QTest::newRow("number overflow") << QByteArray("[1e400]") << malformed;
        QTest::newRow("depth 16") << QByteArray(16, '[') + QByteArray(16, ']') << QStringLiteral("ok");
        QTest::newRow("depth 17") << QByteArray(17, '[') + QByteArray(17, ']') << limit;
        QTest::newRow("100k brackets") << QByteArray(100000, '[') << limit;
        QTest::newRow("100k braces") << QByteArray(100000, '{') << limit;
        QTest::newRow("100k mixed") << QByteArray(R"({"a":)").repeated(50000) << limit;
        QTest::newRow("brackets in a string")
            << QByteArray("[\"") + QByteArray(1000, '[') + "\"]" << QStringLiteral("ok");
        QTest::newRow("escaped quote then brackets")
            << QByteArray("[\"\\\"") + QByteArray(22, '[') + "\"]" << QStringLiteral("ok");
        QTest::newRow("deep after a string") << QByteArray(R"(["\\")") + QByteArray(20, '[') << limit;
    }
    void parse() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const auto result = parseJson(std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
        QCOMPARE(outcome(result), expected);
    }

    // Strict decoding. Each row replaces (or removes, or adds) one field of a valid object, dumps it,
    // and runs the text through parseJson and the decoder.
    void strict_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("field");    ///< "a" or "a.b" (inside a nested object)
        QTest::addColumn<QByteArray>("value"); ///< JSON text; empty: remove the field
        QTest::addColumn<QString>("expected");
        const QString malformed = codeString(ErrorCode::Malformed);
        const QString unknownVersion = codeString(ErrorCode::UnknownVersion);
        const QString limit = codeString(ErrorCode::LimitExceeded);
        const QString ok = QStringLiteral("ok");

        // Missing fields.
        QTest::newRow("head without hash") << "head"
                                           << "hash" << QByteArray() << malformed;
        QTest::newRow("identity without boxKey") << "identity"
                                                 << "boxKey" << QByteArray() << malformed;
        QTest::newRow("identity without version") << "identity"
                                                  << "version" << QByteArray() << malformed;
        QTest::newRow("event without subject") << "event"
                                               << "subject" << QByteArray() << malformed;
        QTest::newRow("event without time") << "event"
                                            << "time" << QByteArray() << malformed;
        QTest::newRow("event subject without name") << "event"
                                                    << "subject.displayName" << QByteArray() << malformed;
        QTest::newRow("grant without signature") << "grant"
                                                 << "signature" << QByteArray() << malformed;
        QTest::newRow("record without team") << "record"
                                             << "team" << QByteArray() << malformed;
        QTest::newRow("record without batchSignature") << "record"
                                                       << "batchSignature" << QByteArray() << ok;
        // Extra fields.
        QTest::newRow("head extra") << "head"
                                    << "extra" << QByteArray("1") << malformed;
        QTest::newRow("event extra") << "event"
                                     << "comment" << QByteArray(R"("hi")") << malformed;
        QTest::newRow("event subject extra") << "event"
                                             << "subject.email" << QByteArray(R"("a@b")") << malformed;
        QTest::newRow("grant extra") << "grant"
                                     << "role" << QByteArray(R"("admin")") << malformed;
        QTest::newRow("record extra") << "record"
                                      << "signature" << base64Of(64) << malformed;
        QTest::newRow("record null signature") << "record"
                                               << "batchSignature" << QByteArray("null") << malformed;
        // Wrong types.
        QTest::newRow("seq as string") << "record"
                                       << "seq" << QByteArray(R"("1")") << malformed;
        QTest::newRow("seq negative") << "record"
                                      << "seq" << QByteArray("-1") << malformed;
        QTest::newRow("seq fraction") << "record"
                                      << "seq" << QByteArray("1.5") << malformed;
        QTest::newRow("seq float") << "record"
                                   << "seq" << QByteArray("1.0") << malformed;
        QTest::newRow("seq bool") << "record"
                                  << "seq" << QByteArray("true") << malformed;
        QTest::newRow("seq null") << "record"
                                  << "seq" << QByteArray("null") << malformed;
        QTest::newRow("team as number") << "record"
                                        << "team" << QByteArray("12") << malformed;
        QTest::newRow("team as array") << "record"
                                       << "team" << QByteArray("[]") << malformed;
        QTest::newRow("subject as string") << "event"
                                           << "subject" << QByteArray(R"("ada")") << malformed;
        QTest::newRow("time as string") << "event"
                                        << "time" << QByteArray(R"("0")") << malformed;
        QTest::newRow("time negative") << "event"
                                       << "time" << QByteArray("-5") << ok;
        QTest::newRow("kind unknown") << "event"
                                      << "kind" << QByteArray(R"("promote")") << malformed;
        QTest::newRow("kind as number") << "event"
                                        << "kind" << QByteArray("2") << malformed;
        QTest::newRow("role capitalised") << "event"
                                          << "role" << QByteArray(R"("Admin")") << malformed;
        QTest::newRow("access unknown") << "grant"
                                        << "access" << QByteArray(R"("admin")") << malformed;
        QTest::newRow("display name as number") << "identity"
                                                << "displayName" << QByteArray("7") << malformed;
        QTest::newRow("version as string") << "grant"
                                           << "version" << QByteArray(R"("1")") << malformed;
        // Bad hex.
        QTest::newRow("hex upper case") << "record"
                                        << "team" << hexOf(32, 'A') << malformed;
        QTest::newRow("hex not hex") << "record"
                                     << "author" << hexOf(32, 'g') << malformed;
        QTest::newRow("hex odd length") << "head"
                                        << "hash" << quoted(std::string(63, 'a')) << malformed;
        QTest::newRow("hex with prefix") << "head"
                                         << "hash" << quoted("0x" + std::string(62, 'a')) << malformed;
        QTest::newRow("hex with space") << "grant"
                                        << "member" << quoted(" " + std::string(63, 'a')) << malformed;
        // Bad base64.
        QTest::newRow("base64 standard alphabet") << "grant"
                                                  << "signature" << quoted(std::string(85, 'A') + "+") << malformed;
        QTest::newRow("base64 padded") << "grant"
                                       << "signature" << quoted(std::string(86, 'A') + "==") << malformed;
        QTest::newRow("base64 whitespace")
            << "grant"
            << "signature" << quoted(std::string(43, 'A') + " " + std::string(43, 'A')) << malformed;
        QTest::newRow("base64 spare bits") << "grant"
                                           << "signature" << quoted(std::string(85, 'A') + "B") << malformed;
        QTest::newRow("base64 empty") << "identity"
                                      << "selfSignature" << quoted("") << malformed;
        // Wrong sizes.
        QTest::newRow("team 31 bytes") << "event"
                                       << "team" << hexOf(31) << malformed;
        QTest::newRow("team 33 bytes") << "event"
                                       << "team" << hexOf(33) << malformed;
        QTest::newRow("environment 17 bytes") << "grant"
                                              << "environment" << hexOf(17) << malformed;
        QTest::newRow("record id 15 bytes") << "record"
                                            << "id" << hexOf(15) << malformed;
        QTest::newRow("signature 63 bytes") << "event"
                                            << "signature" << base64Of(63) << malformed;
        QTest::newRow("signature 65 bytes") << "event"
                                            << "signature" << base64Of(65) << malformed;
        QTest::newRow("nonce 23 bytes") << "record"
                                        << "nonce" << base64Of(23) << malformed;
        QTest::newRow("sealed key 79 bytes") << "grant"
                                             << "sealedKey" << base64Of(kSealedKeyBytes - 1) << malformed;
        QTest::newRow("sealed key 81 bytes") << "grant"
                                             << "sealedKey" << base64Of(kSealedKeyBytes + 1) << malformed;
        QTest::newRow("ciphertext below the tag") << "record"
                                                  << "ciphertext" << base64Of(15) << malformed;
        // Bounds.
        QTest::newRow("ciphertext at the bound") << "record"
                                                 << "ciphertext" << base64Of(kMaxCiphertextBytes) << ok;
        QTest::newRow("ciphertext over the bound") << "record"
                                                   << "ciphertext" << base64Of(kMaxCiphertextBytes + 1) << limit;
        QTest::newRow("display name at the bound")
            << "identity"
            << "displayName" << quoted(std::string(kMaxDisplayNameBytes, 'x')) << ok;
        QTest::newRow("display name over the bound")
            << "identity"
            << "displayName" << quoted(std::string(kMaxDisplayNameBytes + 1, 'x')) << limit;
        // Versions.
        QTest::newRow("record version 2") << "record"
                                          << "version" << QByteArray("2") << unknownVersion;
        QTest::newRow("grant version 0") << "grant"
                                         << "version" << QByteArray("0") << unknownVersion;
        QTest::newRow("event version 2") << "event"
                                         << "version" << QByteArray("2") << unknownVersion;
        QTest::newRow("subject version 2") << "event"
                                           << "subject.version" << QByteArray("2") << unknownVersion;
        QTest::newRow("identity version huge") << "identity"
                                               << "version" << QByteArray("4294967297") << unknownVersion;
        QTest::newRow("version fraction") << "record"
                                          << "version" << QByteArray("1.0") << malformed;
        // Huge numbers.
        QTest::newRow("seq max u64") << "head"
                                     << "seq" << QByteArray("18446744073709551615") << ok;
        QTest::newRow("seq 2^64") << "head"
                                  << "seq" << QByteArray("18446744073709551616") << malformed;
        QTest::newRow("seq 1e30") << "head"
                                  << "seq" << QByteArray("1e30") << malformed;
        QTest::newRow("seq 1e400") << "head"
                                   << "seq" << QByteArray("1e400") << malformed;
        QTest::newRow("seq 400 digits") << "head"
                                        << "seq" << QByteArray(400, '9') << malformed;
        QTest::newRow("time max i64") << "event"
                                      << "time" << QByteArray("9223372036854775807") << ok;
        QTest::newRow("time min i64") << "event"
                                      << "time" << QByteArray("-9223372036854775808") << ok;
        QTest::newRow("time 2^63") << "event"
                                   << "time" << QByteArray("9223372036854775808") << malformed;
        QTest::newRow("time below min i64") << "event"
                                            << "time" << QByteArray("-9223372036854775809") << malformed;
        // Deep nesting inside a field.
        QTest::newRow("deep value") << "record"
                                    << "ciphertext" << QByteArray(100000, '[') << limit;
        QTest::newRow("nested arrays") << "grant"
                                       << "epoch" << QByteArray("[[[[1]]]]") << malformed;
    }
    void strict() {
        QFETCH(QString, type);
        QFETCH(QString, field);
        QFETCH(QByteArray, value);
        QFETCH(QString, expected);
        json object = sampleJson(type);
        const QStringList path = field.split(u'.');
        json* target = &object;
        for (qsizetype i = 0; i + 1 < path.size(); ++i) {
            target = &target->at(path[i].toStdString());
        }
        const std::string key = path.last().toStdString();
        constexpr std::string_view placeholder = "\"@@value@@\"";
        if (value.isEmpty()) {
            QVERIFY(target->erase(key) == 1);
        } else {
            (*target)[key] = "@@value@@";
        }
        std::string text = object.dump();
        if (!value.isEmpty()) {
            const auto at = text.find(placeholder);
            QVERIFY(at != std::string::npos);
            text.replace(at, placeholder.size(), value.toStdString());
        }
        QCOMPARE(outcome(decodeText(type, text)), expected);
    }

    // A decode error names the field, and never echoes the unexpected field's name or the value.
    void errorDetailsAreSafe() {
        json record = toJson(sampleRecord());
        record["secret-looking-field"] = "hunter2";
        const auto unexpected = recordFromJson(record);
        QVERIFY(!unexpected.has_value());
        QVERIFY(unexpected.error().detail.find("hunter2") == std::string::npos);
        QVERIFY(unexpected.error().detail.find("secret-looking") == std::string::npos);
        record.erase("secret-looking-field");
        record["team"] = "hunter2";
        const auto badTeam = recordFromJson(record);
        QVERIFY(!badTeam.has_value());
        QVERIFY(badTeam.error().detail.find("team") != std::string::npos);
        QVERIFY(badTeam.error().detail.find("hunter2") == std::string::npos);
        const auto badText = parseJson(R"({"code":"hunter2")");
        QVERIFY(!badText.has_value());
        QVERIFY(badText.error().detail.find("hunter2") == std::string::npos);
    }

    void notAnObject_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("string") << QByteArray(R"("x")");
        QTest::newRow("null") << QByteArray("null");
        QTest::newRow("number") << QByteArray("1");
    }
    void notAnObject() {
        QFETCH(QByteArray, text);
        for (const auto* type : {"head", "identity", "event", "grant", "record"}) {
            QCOMPARE(outcome(decodeText(QString::fromLatin1(type), text.toStdString())),
                     codeString(ErrorCode::Malformed));
        }
    }
};

QTEST_GUILESS_MAIN(TestProtocolJson)
#include "TestProtocolJson.moc"
