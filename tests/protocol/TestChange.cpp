// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Canonical.h"

#include "tests/protocol/ProtocolTestSupport.h"

#include <QTest>

using namespace coffer::protocol;
using coffer::test::asSpan;
using coffer::test::codeString;
using coffer::test::outcome;
using coffer::test::toQByteArray;

namespace {

const coffer::crypto::AeadKey& environmentKey() {
    static const auto key = coffer::crypto::AeadKey::fromBytes(coffer::test::filled<32>(0xe2));
    return key;
}

Change sampleChange() {
    Change change;
    change.op = ChangeOp::Set;
    change.name = "DATABASE_URL";
    // Binary values survive: NUL bytes, invalid UTF-8.
    change.value = coffer::crypto::SecureBuffer::copyOf(std::string_view("postgres://u:p@h/db\0\xff", 22));
    change.note = "rotated after the incident";
    change.baseRecord = coffer::test::filled<16>(0x3c);
    return change;
}

ChangeRecord contextRecord() {
    ChangeRecord record;
    record.team.bytes = coffer::test::filled<32>(0x11);
    record.environment = coffer::test::filled<16>(0x22);
    record.epoch = 4;
    record.seq = 9;
    record.id = coffer::test::filled<16>(0x33);
    record.previous.bytes = coffer::test::filled<32>(0x44);
    record.author.bytes = coffer::test::filled<32>(0x55);
    return record;
}

bool sameChange(const Change& a, const Change& b) {
    return a.op == b.op && a.name == b.name && a.value.equals(b.value.bytes()) && a.note == b.note &&
           a.baseRecord == b.baseRecord;
}

/// A change encoding assembled field by field, for decoder tests that need invalid contents.
QByteArray rawChange(std::string_view tag, std::uint8_t op, const QByteArray& name, const QByteArray& value,
                     const QByteArray& note, const QByteArray& base) {
    const auto field = [](const QByteArray& bytes) {
        QByteArray out;
        const auto size = static_cast<std::uint32_t>(bytes.size());
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.append(static_cast<char>((size >> shift) & 0xffU));
        }
        return out + bytes;
    };
    return field(QByteArray(tag.data(), static_cast<qsizetype>(tag.size()))) + QByteArray(1, static_cast<char>(op)) +
           field(name) + field(value) + field(note) + field(base);
}

} // namespace

class TestChange : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void encodeRoundTrip() {
        const Change change = sampleChange();
        const coffer::crypto::SecureBuffer encoded = encodeChange(change);
        const auto decoded = decodeChange(encoded.bytes());
        QVERIFY2(decoded.has_value(), qPrintable(outcome(decoded)));
        QVERIFY(sameChange(*decoded, change));

        Change deletion;
        deletion.op = ChangeOp::Delete;
        deletion.name = "OLD_TOKEN";
        const auto decodedDeletion = decodeChange(encodeChange(deletion).bytes());
        QVERIFY(decodedDeletion.has_value());
        QVERIFY(sameChange(*decodedDeletion, deletion));
        QVERIFY(decodedDeletion->value.empty());
    }

    void decodeStrict_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray base(16, '\x01');
        const std::string_view tag = "coffer/change/v1";
        const QString malformed = codeString(ErrorCode::Malformed);
        QTest::newRow("valid") << rawChange(tag, 1, "N", "v", "", base) << QStringLiteral("ok");
        QTest::newRow("trailing byte") << rawChange(tag, 1, "N", "v", "", base) + '\0' << malformed;
        QTest::newRow("truncated") << rawChange(tag, 1, "N", "v", "", base).chopped(1) << malformed;
        QTest::newRow("empty") << QByteArray() << malformed;
        QTest::newRow("version 2") << rawChange("coffer/change/v2", 1, "N", "v", "", base)
                                   << codeString(ErrorCode::UnknownVersion);
        QTest::newRow("other tag") << rawChange("coffer/grant/v1", 1, "N", "v", "", base) << malformed;
        QTest::newRow("unknown op") << rawChange(tag, 3, "N", "v", "", base) << malformed;
        QTest::newRow("delete with a value") << rawChange(tag, 2, "N", "v", "", base) << malformed;
        QTest::newRow("empty name") << rawChange(tag, 1, "", "v", "", base) << malformed;
        QTest::newRow("name not UTF-8") << rawChange(tag, 1, "\xc0\xaf", "v", "", base) << malformed;
        QTest::newRow("note not UTF-8") << rawChange(tag, 1, "N", "v", "\xff", base) << malformed;
        QTest::newRow("base record short") << rawChange(tag, 1, "N", "v", "", base.left(15)) << malformed;
        QTest::newRow("base record long") << rawChange(tag, 1, "N", "v", "", base + 'x') << malformed;
        QTest::newRow("name at the bound")
            << rawChange(tag, 1, QByteArray(kMaxChangeNameBytes, 'n'), "v", "", base) << QStringLiteral("ok");
        QTest::newRow("name over the bound")
            << rawChange(tag, 1, QByteArray(kMaxChangeNameBytes + 1, 'n'), "v", "", base)
            << codeString(ErrorCode::LimitExceeded);
        QTest::newRow("value at the bound")
            << rawChange(tag, 1, "N", QByteArray(kMaxChangeValueBytes, 'v'), "", base) << QStringLiteral("ok");
        QTest::newRow("value over the bound")
            << rawChange(tag, 1, "N", QByteArray(kMaxChangeValueBytes + 1, 'v'), "", base)
            << codeString(ErrorCode::LimitExceeded);
        QTest::newRow("note over the bound")
            << rawChange(tag, 1, "N", "v", QByteArray(kMaxChangeNoteBytes + 1, 'x'), base)
            << codeString(ErrorCode::LimitExceeded);
    }
    void decodeStrict() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QCOMPARE(outcome(decodeChange(asSpan(bytes))), expected);
    }

    void sealOpenRoundTrip() {
        ChangeRecord record = contextRecord();
        const Change change = sampleChange();
        sealChange(record, change, environmentKey());
        QCOMPARE(record.ciphertext.size(), encodeChange(change).size() + coffer::crypto::aead::kTagBytes);
        // The plaintext does not appear in the ciphertext.
        QVERIFY(!toQByteArray(record.ciphertext).contains("DATABASE_URL"));
        const auto opened = openChange(record, environmentKey());
        QVERIFY2(opened.has_value(), qPrintable(outcome(opened)));
        QVERIFY(sameChange(*opened, change));
        // A fresh random nonce each time.
        ChangeRecord again = contextRecord();
        sealChange(again, change, environmentKey());
        QVERIFY(again.nonce != record.nonce);
        QVERIFY(again.ciphertext != record.ciphertext);
    }

    // The associated data binds the record to its place: moved to another team, environment, epoch,
    // author, id or previous hash, it no longer opens (BadSignature, the one uninformative failure).
    void movedRecordDoesNotOpen_data() {
        QTest::addColumn<int>("field");
        QTest::newRow("team") << 0;
        QTest::newRow("environment") << 1;
        QTest::newRow("epoch") << 2;
        QTest::newRow("author") << 3;
        QTest::newRow("record id") << 4;
        QTest::newRow("previous") << 5;
        QTest::newRow("nonce") << 6;
        QTest::newRow("ciphertext") << 7;
        QTest::newRow("version") << 8;
    }
    void movedRecordDoesNotOpen() {
        QFETCH(int, field);
        ChangeRecord record = contextRecord();
        sealChange(record, sampleChange(), environmentKey());
        switch (field) {
        case 0:
            record.team.bytes[31] ^= std::byte{1};
            break;
        case 1:
            record.environment[0] ^= std::byte{1};
            break;
        case 2:
            record.epoch += 1;
            break;
        case 3:
            record.author.bytes[7] ^= std::byte{1};
            break;
        case 4:
            record.id[15] ^= std::byte{1};
            break;
        case 5:
            record.previous.bytes[0] ^= std::byte{1};
            break;
        case 6:
            record.nonce[0] ^= std::byte{1};
            break;
        case 7:
            record.ciphertext[0] ^= std::byte{1};
            break;
        case 8:
            record.version = 2;
            break;
        default:
            QFAIL("unknown field");
        }
        const auto opened = openChange(record, environmentKey());
        QCOMPARE(outcome(opened), codeString(ErrorCode::BadSignature));
        QCOMPARE(opened.error().position, record.seq);
    }

    void wrongKey() {
        ChangeRecord record = contextRecord();
        sealChange(record, sampleChange(), environmentKey());
        const auto otherKey = coffer::crypto::AeadKey::fromBytes(coffer::test::filled<32>(0xe3));
        QCOMPARE(outcome(openChange(record, otherKey)), codeString(ErrorCode::BadSignature));
    }

    // The batch helper seals in chain order, so every record of the batch opens after chaining.
    void sealAndSignBatchOpens() {
        std::vector<ChangeRecord> records(3, contextRecord());
        std::vector<Change> changes(3);
        for (std::size_t i = 0; i < records.size(); ++i) {
            records[i].id = coffer::test::filled<16>(static_cast<std::uint8_t>(i + 1));
            changes[i].name = "K" + std::to_string(i);
            changes[i].value = coffer::crypto::SecureBuffer::copyOf(std::string_view("v"));
        }
        const Head head{9, recordHash(contextRecord())};
        const auto author = coffer::test::makePerson(7, "Author");
        sealAndSignBatch(records, changes, head, environmentKey(), author.sign.secretKey);
        for (std::size_t i = 0; i < records.size(); ++i) {
            QCOMPARE(records[i].seq, std::uint64_t{10 + i});
            QVERIFY(records[i].previous == (i == 0 ? head.hash : recordHash(records[i - 1])));
            QCOMPARE(records[i].batchSignature.has_value(), i == 2);
            const auto opened = openChange(records[i], environmentKey());
            QVERIFY(opened.has_value());
            QCOMPARE(opened->name, changes[i].name);
        }
        const Head newHead{12, recordHash(records[2])};
        QVERIFY(coffer::crypto::verify(
                    author.sign.publicKey,
                    batchSignedBytes(records[0].team, records[0].environment, 10, newHead, records[0].author),
                    *records[2].batchSignature)
                    .has_value());
        // Re-chaining onto another head (a rebase without re-sealing) breaks the binding.
        chainAndSignBatch(records, Head{20, head.hash}, author.sign.secretKey);
        QCOMPARE(outcome(openChange(records[1], environmentKey())), codeString(ErrorCode::BadSignature));
    }
};

QTEST_GUILESS_MAIN(TestChange)
#include "TestChange.moc"
