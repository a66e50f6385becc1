// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Wire.h"

#include "tests/protocol/ProtocolTestSupport.h"

#include <QTest>

#include <limits>

using namespace coffer::protocol;
using coffer::test::asSpan;
using coffer::test::codeString;
using coffer::test::outcome;
using coffer::test::toQByteArray;

Q_DECLARE_METATYPE(coffer::protocol::ErrorCode)

namespace {

Grant sampleGrant() {
    const auto admin = coffer::test::makePerson(1, "Ada");
    const auto member = coffer::test::makePerson(2, "Bob");
    Grant grant;
    grant.team.bytes = coffer::test::filled<32>(0x11);
    grant.environment = coffer::test::filled<16>(0x22);
    grant.epoch = 3;
    grant.member = member.id;
    grant.access = Access::Write;
    grant.sealedKey = coffer::crypto::seal(member.box.publicKey, coffer::test::filled<32>(0x33));
    grant.rosterSeq = 4;
    grant.rosterHead.bytes = coffer::test::filled<32>(0x44);
    grant.admin = admin.id;
    signGrant(grant, admin.sign.secretKey);
    return grant;
}

ChangeRecord sampleRecord(bool withSignature) {
    ChangeRecord record;
    record.team.bytes = coffer::test::filled<32>(0x11);
    record.environment = coffer::test::filled<16>(0x22);
    record.epoch = 1;
    record.seq = 7;
    record.id = coffer::test::filled<16>(0x55);
    record.previous.bytes = coffer::test::filled<32>(0x66);
    record.author.bytes = coffer::test::filled<32>(0x77);
    record.nonce = coffer::test::filled<24>(0x88);
    record.ciphertext.assign(40, std::byte{0x99});
    if (withSignature) {
        coffer::crypto::Signature signature;
        signature.bytes = coffer::test::filled<64>(0xaa);
        record.batchSignature = signature;
    }
    return record;
}

QByteArray encoded(const char* kind) {
    const std::string_view k(kind);
    if (k == "event") {
        const auto owner = coffer::test::makePerson(1, "Ada");
        return toQByteArray(encode(coffer::test::makeGenesis(owner)));
    }
    if (k == "grant") {
        return toQByteArray(encode(sampleGrant()));
    }
    return toQByteArray(encode(sampleRecord(true)));
}

template <typename T> Result<void> dropValue(const Result<T>& result) {
    if (!result) {
        return std::unexpected(result.error());
    }
    return {};
}

Result<void> decodeAny(const char* kind, std::span<const std::byte> bytes) {
    const std::string_view k(kind);
    if (k == "event") {
        return dropValue(decodeRosterEvent(bytes));
    }
    if (k == "grant") {
        return dropValue(decodeGrant(bytes));
    }
    return dropValue(decodeChangeRecord(bytes));
}

QByteArray be32(std::uint32_t value) {
    QByteArray out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.append(static_cast<char>((value >> shift) & 0xffU));
    }
    return out;
}

} // namespace

class TestWire : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The layout is part of the protocol: big-endian integers, u32 length prefixes, a tag first.
    void writerLayout() {
        WireWriter writer("t/v1");
        writer.u8(0x01).u32(0x02030405).u64(0x060708090a0b0c0dULL).i64(-2).text("hi");
        const QByteArray expected = QByteArray::fromHex("00000004"
                                                        "742f7631"
                                                        "01"
                                                        "02030405"
                                                        "060708090a0b0c0d"
                                                        "fffffffffffffffe"
                                                        "00000002"
                                                        "6869");
        QCOMPARE(toQByteArray(writer.data()).toHex(), expected.toHex());
    }

    void readerRoundTrip() {
        WireWriter writer("coffer/test/v1");
        const std::array<std::byte, 3> fixed{std::byte{1}, std::byte{2}, std::byte{3}};
        writer.u8(255)
            .u32(std::numeric_limits<std::uint32_t>::max())
            .u64(std::numeric_limits<std::uint64_t>::max())
            .i64(std::numeric_limits<std::int64_t>::min())
            .text("Grüße")
            .fixed(fixed)
            .bytes({});
        WireReader reader(writer.data());
        QVERIFY(reader.expectTag("coffer/test/v1").has_value());
        QCOMPARE(reader.u8().value(), std::uint8_t{255});
        QCOMPARE(reader.u32().value(), std::numeric_limits<std::uint32_t>::max());
        QCOMPARE(reader.u64().value(), std::numeric_limits<std::uint64_t>::max());
        QCOMPARE(reader.i64().value(), std::numeric_limits<std::int64_t>::min());
        QCOMPARE(reader.text(16).value(), std::string("Grüße"));
        QVERIFY(reader.fixed<3>().value() == fixed);
        QVERIFY(reader.bytes(0).value().empty());
        QVERIFY(reader.finish().has_value());
        // Past the end every read fails, and cleanly.
        QCOMPARE(outcome(reader.u8()), codeString(ErrorCode::Malformed));
        QCOMPARE(outcome(reader.u64()), codeString(ErrorCode::Malformed));
    }

    void readerBounds() {
        WireWriter writer("x");
        writer.text("abcdef");
        {
            WireReader reader(writer.data());
            QVERIFY(reader.expectTag("x").has_value());
            QCOMPARE(outcome(reader.text(5)), codeString(ErrorCode::LimitExceeded));
        }
        {
            // A length that points past the end is Malformed (truncated), checked before the bound.
            QByteArray bytes = toQByteArray(writer.data());
            bytes.chop(1);
            WireReader reader(asSpan(bytes));
            QVERIFY(reader.expectTag("x").has_value());
            QCOMPARE(outcome(reader.text(1)), codeString(ErrorCode::Malformed));
        }
        {
            // A fixed field of the wrong size (longer or shorter) is Malformed, not LimitExceeded.
            WireReader reader(writer.data());
            QVERIFY(reader.expectTag("x").has_value());
            QCOMPARE(outcome(reader.fixed<4>()), codeString(ErrorCode::Malformed));
            WireReader reader2(writer.data());
            QVERIFY(reader2.expectTag("x").has_value());
            QCOMPARE(outcome(reader2.fixed<8>()), codeString(ErrorCode::Malformed));
        }
        {
            const QByteArray huge = be32(1) + "x" + be32(0xffffffffU) + "abc";
            WireReader reader(asSpan(huge));
            QVERIFY(reader.expectTag("x").has_value());
            QCOMPARE(outcome(reader.bytes(1U << 20)), codeString(ErrorCode::Malformed));
        }
    }

    void expectTag_data() {
        QTest::addColumn<QByteArray>("tag");
        QTest::addColumn<QString>("expected");
        QTest::newRow("same") << QByteArray("coffer/grant/v1") << QStringLiteral("ok");
        QTest::newRow("other version") << QByteArray("coffer/grant/v2") << codeString(ErrorCode::UnknownVersion);
        QTest::newRow("other type") << QByteArray("coffer/batch/v1") << codeString(ErrorCode::Malformed);
        QTest::newRow("prefix") << QByteArray("coffer/grant") << codeString(ErrorCode::Malformed);
        QTest::newRow("empty") << QByteArray() << codeString(ErrorCode::Malformed);
    }
    void expectTag() {
        QFETCH(QByteArray, tag);
        QFETCH(QString, expected);
        WireWriter writer{std::string_view(tag.constData(), static_cast<std::size_t>(tag.size()))};
        WireReader reader(writer.data());
        QCOMPARE(outcome(reader.expectTag("coffer/grant/v1")), expected);
    }

    void utf8_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("ascii") << QByteArray("plain") << true;
        QTest::newRow("two-byte") << QByteArray("\xc3\xa9") << true;
        QTest::newRow("four-byte") << QByteArray("\xf0\x9f\x94\x91") << true;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
        QTest::newRow("0xff") << QByteArray("\xff") << false;
    }
    void utf8() {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        WireWriter writer("x");
        writer.bytes(asSpan(text));
        WireReader reader(writer.data());
        QVERIFY(reader.expectTag("x").has_value());
        QCOMPARE(reader.text(64).has_value(), valid);
    }

    void roundTripRosterEvent() {
        const auto owner = coffer::test::makePerson(1, "Ada Lovelace");
        const RosterEvent event = coffer::test::makeGenesis(owner);
        const auto decoded = decodeRosterEvent(encode(event));
        QVERIFY(decoded.has_value());
        QVERIFY(*decoded == event);
    }

    void roundTripGrant() {
        const Grant grant = sampleGrant();
        const auto decoded = decodeGrant(encode(grant));
        QVERIFY(decoded.has_value());
        QVERIFY(*decoded == grant);
    }

    void roundTripRecord() {
        for (const bool withSignature : {false, true}) {
            const ChangeRecord record = sampleRecord(withSignature);
            const auto decoded = decodeChangeRecord(encode(record));
            QVERIFY(decoded.has_value());
            QVERIFY(*decoded == record);
        }
    }

    void trailingAndTruncated_data() {
        QTest::addColumn<QByteArray>("kind");
        QTest::newRow("roster event") << QByteArray("event");
        QTest::newRow("grant") << QByteArray("grant");
        QTest::newRow("record") << QByteArray("record");
    }
    // One extra byte is Malformed; so is every proper prefix (never a crash, never a partial decode).
    void trailingAndTruncated() {
        QFETCH(QByteArray, kind);
        const QByteArray bytes = encoded(kind.constData());
        QVERIFY(decodeAny(kind.constData(), asSpan(bytes)).has_value());
        QCOMPARE(outcome(decodeAny(kind.constData(), asSpan(bytes + '\0'))), codeString(ErrorCode::Malformed));
        for (qsizetype length = 0; length < bytes.size(); ++length) {
            const auto result = decodeAny(kind.constData(), asSpan(bytes.left(length)));
            QVERIFY2(!result.has_value(), qPrintable(QString::number(length)));
            QCOMPARE(result.error().code, ErrorCode::Malformed);
        }
    }

    // Every single-byte change either fails to decode or decodes to a value whose encoding is exactly
    // the changed bytes: one value, one encoding (what makes hashes and signatures well defined).
    void everyByteFlipped_data() { trailingAndTruncated_data(); }
    void everyByteFlipped() {
        QFETCH(QByteArray, kind);
        const QByteArray bytes = encoded(kind.constData());
        int decodedCount = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            for (const char mask : {'\x01', '\x80'}) {
                QByteArray changed = bytes;
                changed[i] = static_cast<char>(changed[i] ^ mask);
                const std::string_view k(kind.constData());
                QByteArray reencoded;
                if (k == "event") {
                    if (const auto value = decodeRosterEvent(asSpan(changed))) {
                        reencoded = toQByteArray(encode(*value));
                    }
                } else if (k == "grant") {
                    if (const auto value = decodeGrant(asSpan(changed))) {
                        reencoded = toQByteArray(encode(*value));
                    }
                } else if (const auto value = decodeChangeRecord(asSpan(changed))) {
                    reencoded = toQByteArray(encode(*value));
                }
                if (!reencoded.isEmpty()) {
                    ++decodedCount;
                    QCOMPARE(reencoded.toHex(), changed.toHex());
                }
            }
        }
        QVERIFY(decodedCount > 0); // changes inside fixed fields still decode
    }

    void unknownVersion() {
        auto owner = coffer::test::makePerson(1, "Ada");
        RosterEvent event = coffer::test::makeGenesis(owner);
        event.version = 2;
        QCOMPARE(outcome(decodeRosterEvent(encode(event))), codeString(ErrorCode::UnknownVersion));
        event.version = kVersion;
        event.subject.version = 7;
        QCOMPARE(outcome(decodeRosterEvent(encode(event))), codeString(ErrorCode::UnknownVersion));

        Grant grant = sampleGrant();
        grant.version = 0;
        QCOMPARE(outcome(decodeGrant(encode(grant))), codeString(ErrorCode::UnknownVersion));
        ChangeRecord record = sampleRecord(false);
        record.version = 2;
        QCOMPARE(outcome(decodeChangeRecord(encode(record))), codeString(ErrorCode::UnknownVersion));

        // Another version of the domain tag itself is UnknownVersion too.
        QByteArray bytes = toQByteArray(encode(sampleRecord(false)));
        const qsizetype at = bytes.indexOf("/v1");
        QVERIFY(at > 0);
        bytes[at + 2] = '9';
        QCOMPARE(outcome(decodeChangeRecord(asSpan(bytes))), codeString(ErrorCode::UnknownVersion));
    }

    void bounds() {
        auto owner = coffer::test::makePerson(1, "Ada");
        RosterEvent event = coffer::test::makeGenesis(owner);
        event.subject.displayName = std::string(kMaxDisplayNameBytes, 'n');
        QVERIFY(decodeRosterEvent(encode(event)).has_value());
        event.subject.displayName += 'n';
        QCOMPARE(outcome(decodeRosterEvent(encode(event))), codeString(ErrorCode::LimitExceeded));

        ChangeRecord record = sampleRecord(true);
        record.ciphertext.assign(kMaxCiphertextBytes, std::byte{1});
        QVERIFY(decodeChangeRecord(encode(record)).has_value());
        record.ciphertext.push_back(std::byte{1});
        QCOMPARE(outcome(decodeChangeRecord(encode(record))), codeString(ErrorCode::LimitExceeded));
        record.ciphertext.assign(coffer::crypto::aead::kTagBytes - 1, std::byte{1});
        QCOMPARE(outcome(decodeChangeRecord(encode(record))), codeString(ErrorCode::Malformed));

        Grant grant = sampleGrant();
        grant.sealedKey.push_back(std::byte{0});
        QCOMPARE(outcome(decodeGrant(encode(grant))), codeString(ErrorCode::Malformed));
        grant.sealedKey.resize(kSealedKeyBytes - 1);
        QCOMPARE(outcome(decodeGrant(encode(grant))), codeString(ErrorCode::Malformed));
    }

    void badEnums() {
        auto owner = coffer::test::makePerson(1, "Ada");
        RosterEvent event = coffer::test::makeGenesis(owner);
        event.kind = static_cast<RosterEventKind>(9);
        QCOMPARE(outcome(decodeRosterEvent(encode(event))), codeString(ErrorCode::Malformed));
        event.kind = RosterEventKind::Add;
        event.role = static_cast<Role>(0);
        QCOMPARE(outcome(decodeRosterEvent(encode(event))), codeString(ErrorCode::Malformed));
        Grant grant = sampleGrant();
        grant.access = static_cast<Access>(3);
        QCOMPARE(outcome(decodeGrant(encode(grant))), codeString(ErrorCode::Malformed));
        // The record's signature flag is 0 or 1.
        QByteArray bytes = toQByteArray(encode(sampleRecord(false)));
        bytes[bytes.size() - 1] = 2;
        QCOMPARE(outcome(decodeChangeRecord(asSpan(bytes))), codeString(ErrorCode::Malformed));
    }
};

QTEST_GUILESS_MAIN(TestWire)
#include "TestWire.moc"
