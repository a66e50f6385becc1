// SPDX-License-Identifier: Apache-2.0
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Verify.h"
#include "sync/protocol/Wire.h"

#include "tests/crypto/VectorFile.h"
#include "tests/protocol/CanonicalVectors.h"

#include <QTest>

using namespace coffer::protocol;
using coffer::test::asSpan;
using coffer::test::Field;
using coffer::test::toQByteArray;
using coffer::test::VectorRecord;

namespace {

/// Reads tests/data/protocol/<set.fileName> with the fields the built set declares.
coffer::test::VectorFile readSet(const coffer::test::VectorSet& set) {
    QHash<QString, Field> fields;
    for (const auto& [key, bytes] : set.vectors.front().fields) {
        fields.insert(QString::fromStdString(key), Field::Hex);
    }
    return coffer::test::readVectorFile(QStringLiteral("protocol/") + QString::fromStdString(set.fileName), fields);
}

const coffer::test::VectorSet& builtSet(std::string_view fileName) {
    static const auto sets = coffer::test::buildVectorSets();
    for (const auto& set : sets) {
        if (set.fileName == fileName) {
            return set;
        }
    }
    qFatal("no vector set %s", std::string(fileName).c_str());
}

QList<VectorRecord> fileRecords(std::string_view fileName) {
    const auto file = readSet(builtSet(fileName));
    if (!file.error.isEmpty()) {
        qWarning("%s", qPrintable(file.error));
    }
    return file.records;
}

QByteArray field(const VectorRecord& record, const char* key) {
    return record.hex(QString::fromLatin1(key));
}

template <typename T> T publicFrom(const QByteArray& bytes) {
    auto value = T::fromBytes(asSpan(bytes));
    Q_ASSERT(value.has_value());
    return *value;
}

QByteArray be32(std::uint32_t value) {
    QByteArray out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.append(static_cast<char>((value >> shift) & 0xffU));
    }
    return out;
}

/// A length-prefixed field, as WireWriter::bytes() writes it.
QByteArray lp(const QByteArray& bytes) {
    return be32(static_cast<std::uint32_t>(bytes.size())) + bytes;
}

bool signatureHolds(const QByteArray& key, const QByteArray& message, const QByteArray& signature) {
    return coffer::crypto::verify(publicFrom<coffer::crypto::SignPublicKey>(key), asSpan(message),
                                  publicFrom<coffer::crypto::Signature>(signature))
        .has_value();
}

QByteArray blake(const QByteArray& bytes) {
    return toQByteArray(coffer::crypto::blake2b(asSpan(bytes)).span());
}

} // namespace

class TestCanonical : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The encodings are stable: what this build produces from the fixed seeds is, byte for byte, what
    // the committed files hold.
    void vectorsAreStable_data() {
        QTest::addColumn<QString>("fileName");
        for (const auto& set : coffer::test::buildVectorSets()) {
            QTest::newRow(set.fileName.c_str()) << QString::fromStdString(set.fileName);
        }
    }
    void vectorsAreStable() {
        QFETCH(QString, fileName);
        const auto& set = builtSet(fileName.toStdString());
        const auto file = readSet(set);
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        QCOMPARE(file.records.size(), qsizetype(set.vectors.size()));
        for (qsizetype i = 0; i < file.records.size(); ++i) {
            const auto& built = set.vectors[static_cast<std::size_t>(i)];
            QCOMPARE(file.records[i].name.toStdString(), built.name);
            for (const auto& [key, bytes] : built.fields) {
                QVERIFY2(toQByteArray(bytes).toHex() == file.records[i].hex(QString::fromStdString(key)).toHex(),
                         qPrintable(QStringLiteral("%1 / %2").arg(QString::fromStdString(built.name),
                                                                  QString::fromStdString(key))));
            }
        }
    }

    // The rest checks the files on their own terms, with only crypto primitives and the documented layout.
    void identities() {
        const auto records = fileRecords("identity-v1.txt");
        QCOMPARE(records.size(), 2);
        for (const auto& r : records) {
            const QByteArray memberIdBytes =
                lp("coffer/member-id/v1") + lp(field(r, "sign_public_key")) + lp(field(r, "box_public_key"));
            QCOMPARE(blake(memberIdBytes).toHex(), field(r, "member_id").toHex());
            QVERIFY(field(r, "signed_bytes").startsWith(lp("coffer/member-identity/v1") + be32(1)));
            QVERIFY(signatureHolds(field(r, "sign_public_key"), field(r, "signed_bytes"), field(r, "signature")));
        }
    }

    void roster() {
        const auto records = fileRecords("roster-v1.txt");
        QCOMPARE(records.size(), 5);
        std::vector<RosterEvent> events;
        for (const auto& r : records) {
            const QByteArray signedBytes = field(r, "signed_bytes");
            const QByteArray signature = field(r, "signature");
            QVERIFY(signedBytes.startsWith(lp("coffer/roster-event/v1") + be32(1)));
            QVERIFY(signatureHolds(field(r, "signer_public_key"), signedBytes, signature));
            QCOMPARE(blake(signedBytes + signature).toHex(), field(r, "hash").toHex());
            QCOMPARE(field(r, "encoding").toHex(), (signedBytes + lp(signature)).toHex());
            const auto decoded = decodeRosterEvent(asSpan(field(r, "encoding")));
            QVERIFY(decoded.has_value());
            QCOMPARE(toQByteArray(rosterSignedBytes(*decoded)).toHex(), signedBytes.toHex());
            QCOMPARE(toQByteArray(rosterEventHash(*decoded).span()).toHex(), field(r, "hash").toHex());
            events.push_back(*decoded);
        }
        // The chain: the team id is the genesis hash, each previous the hash before.
        for (std::size_t i = 1; i < events.size(); ++i) {
            QCOMPARE(toQByteArray(events[i].team.span()).toHex(), field(records[0], "hash").toHex());
            QCOMPARE(toQByteArray(events[i].previous.span()).toHex(),
                     field(records[static_cast<qsizetype>(i - 1)], "hash").toHex());
        }
        QVERIFY(verifyRoster(events).has_value());
    }

    // The documented field order of a roster event, read back with a bare WireReader.
    void rosterLayout() {
        const auto records = fileRecords("roster-v1.txt");
        QVERIFY(!records.isEmpty());
        const QByteArray bytes = field(records[1], "signed_bytes"); // Bob added as admin by Ada
        WireReader reader(asSpan(bytes));
        QVERIFY(reader.expectTag("coffer/roster-event/v1").has_value());
        QCOMPARE(reader.u32().value(), 1U);                                                            // version
        QCOMPARE(toQByteArray(reader.fixed<32>().value()).toHex(), field(records[0], "hash").toHex()); // team
        QCOMPARE(reader.u64().value(), std::uint64_t{1});                                              // seq
        QCOMPARE(toQByteArray(reader.fixed<32>().value()).toHex(), field(records[0], "hash").toHex()); // previous
        QCOMPARE(reader.u8().value(), std::uint8_t{2});                                                // kind: Add
        QCOMPARE(reader.u32().value(), 1U);                          // subject version
        QVERIFY(reader.fixed<32>().has_value());                     // subject sign key
        QVERIFY(reader.fixed<32>().has_value());                     // subject box key
        QCOMPARE(reader.text(128).value(), std::string("Bob"));      // display name
        QVERIFY(reader.fixed<64>().has_value());                     // self-signature
        QCOMPARE(reader.u8().value(), std::uint8_t{2});              // role: Admin
        QVERIFY(reader.fixed<32>().has_value());                     // signer
        QCOMPARE(reader.i64().value(), coffer::test::kTestTime + 1); // time
        QVERIFY(reader.finish().has_value());
    }

    void grants() {
        const auto records = fileRecords("grant-v1.txt");
        QCOMPARE(records.size(), 2);
        for (const auto& r : records) {
            const QByteArray signedBytes = field(r, "signed_bytes");
            QVERIFY(signedBytes.startsWith(lp("coffer/grant/v1") + be32(1)));
            QVERIFY(signatureHolds(field(r, "signer_public_key"), signedBytes, field(r, "signature")));
            QCOMPARE(field(r, "encoding").toHex(), (signedBytes + lp(field(r, "signature"))).toHex());
            const auto decoded = decodeGrant(asSpan(field(r, "encoding")));
            QVERIFY(decoded.has_value());
            QCOMPARE(toQByteArray(encode(*decoded)).toHex(), field(r, "encoding").toHex());
        }
        QVERIFY(field(records[0], "signed_bytes") != field(records[1], "signed_bytes"));
    }

    void records() {
        const auto records = fileRecords("record-v1.txt");
        QCOMPARE(records.size(), 2);
        QByteArray previousHash(32, '\0');
        for (const auto& r : records) {
            const auto key = coffer::crypto::AeadKey::fromBytes(asSpan(field(r, "environment_key")));
            QVERIFY(key.has_value());
            coffer::crypto::aead::Nonce nonce{};
            QCOMPARE(field(r, "nonce").size(), qsizetype(nonce.size()));
            std::ranges::copy(asSpan(field(r, "nonce")), nonce.begin());
            const auto plaintext = coffer::crypto::aead::decrypt(*key, nonce, asSpan(field(r, "ciphertext")),
                                                                 asSpan(field(r, "associated_data")));
            QVERIFY(plaintext.has_value());
            QCOMPARE(toQByteArray(plaintext->bytes()).toHex(), field(r, "plaintext").toHex());
            QVERIFY(field(r, "plaintext").startsWith(lp("coffer/change/v1")));
            QVERIFY(decodeChange(asSpan(field(r, "plaintext"))).has_value());
            QVERIFY(field(r, "associated_data").startsWith(lp("coffer/record-ad/v1") + be32(1)));
            QVERIFY(field(r, "associated_data").endsWith(lp(previousHash)));
            QVERIFY(field(r, "record_bytes").startsWith(lp("coffer/change-record/v1") + be32(1)));
            QCOMPARE(blake(field(r, "record_bytes")).toHex(), field(r, "hash").toHex());
            QVERIFY(field(r, "encoding").startsWith(field(r, "record_bytes")));
            const auto decoded = decodeChangeRecord(asSpan(field(r, "encoding")));
            QVERIFY(decoded.has_value());
            QCOMPARE(toQByteArray(recordAssociatedData(*decoded)).toHex(), field(r, "associated_data").toHex());
            QCOMPARE(toQByteArray(decoded->previous.span()).toHex(), previousHash.toHex());
            const auto opened = openChange(*decoded, *key);
            QVERIFY(opened.has_value());
            previousHash = field(r, "hash");
        }
        // One batch: only the last record is signed (flag 1, then the signature).
        QCOMPARE(field(records[0], "encoding").size(), field(records[0], "record_bytes").size() + 1);
        QVERIFY(field(records[0], "encoding").endsWith(QByteArray(1, '\0')));
        QCOMPARE(field(records[1], "encoding").size(), field(records[1], "record_bytes").size() + 1 + 4 + 64);
    }

    void batchSignature() {
        const auto batch = fileRecords("batch-v1.txt");
        const auto records = fileRecords("record-v1.txt");
        QCOMPARE(batch.size(), 1);
        QCOMPARE(records.size(), 2);
        const QByteArray signedBytes = field(batch[0], "signed_bytes");
        QVERIFY(signatureHolds(field(batch[0], "signer_public_key"), signedBytes, field(batch[0], "signature")));
        const auto last = decodeChangeRecord(asSpan(field(records[1], "encoding")));
        QVERIFY(last.has_value());
        // team ‖ environment ‖ u64 first seq ‖ u64 head seq ‖ head hash ‖ author, after the tag.
        const QByteArray expected = lp("coffer/batch/v1") + lp(toQByteArray(last->team.span())) +
                                    lp(toQByteArray(last->environment)) + QByteArray("\0\0\0\0\0\0\0\x01", 8) +
                                    QByteArray("\0\0\0\0\0\0\0\x02", 8) + lp(field(records[1], "hash")) +
                                    lp(toQByteArray(last->author.span()));
        QCOMPARE(signedBytes.toHex(), expected.toHex());
        QCOMPARE(toQByteArray(last->batchSignature.value().span()).toHex(), field(batch[0], "signature").toHex());
    }

    void requests() {
        const auto records = fileRecords("request-v1.txt");
        QCOMPARE(records.size(), 2);
        for (const auto& r : records) {
            const QByteArray signedBytes = field(r, "signed_bytes");
            QVERIFY(signedBytes.startsWith(lp("coffer/request/v1")));
            QVERIFY(signedBytes.contains(lp(blake(field(r, "body")))));
            QVERIFY(signedBytes.endsWith(lp(field(r, "signer_public_key"))));
            QVERIFY(signatureHolds(field(r, "signer_public_key"), signedBytes, field(r, "signature")));
        }
        // The session flag is the byte before the key.
        const auto flagOf = [](const QByteArray& bytes) { return bytes.at(bytes.size() - 4 - 32 - 1); };
        QCOMPARE(flagOf(field(records[0], "signed_bytes")), '\0');
        QCOMPARE(flagOf(field(records[1], "signed_bytes")), '\x01');
    }

    // Distinct domain tags: the same field values never sign or hash the same bytes across types.
    void domainTagsAreDistinct() {
        const std::vector<std::string_view> tags{
            "coffer/member-id/v1", "coffer/member-identity/v1", "coffer/roster-event/v1",
            "coffer/grant/v1",     "coffer/change-record/v1",   "coffer/record-ad/v1",
            "coffer/batch/v1",     "coffer/change/v1",          "coffer/request/v1"};
        for (const auto& set : coffer::test::buildVectorSets()) {
            for (const auto& vector : set.vectors) {
                for (const auto& [key, bytes] : vector.fields) {
                    if (key != "signed_bytes" && key != "record_bytes" && key != "associated_data") {
                        continue;
                    }
                    const QByteArray data = toQByteArray(bytes);
                    const auto matches = std::ranges::count_if(tags, [&](std::string_view tag) {
                        return data.startsWith(lp(QByteArray(tag.data(), static_cast<qsizetype>(tag.size()))));
                    });
                    QCOMPARE(matches, 1);
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCanonical)
#include "TestCanonical.moc"
