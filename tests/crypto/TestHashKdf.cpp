// SPDX-License-Identifier: Apache-2.0
#include "crypto/Hash.h"
#include "crypto/Kdf.h"

#include "tests/crypto/VectorFile.h"

#include <QTest>

#include <algorithm>

using namespace coffer::crypto;
using coffer::test::asSpan;
using coffer::test::Field;
using coffer::test::toByteArray;

namespace {

KdfKey masterFrom(const QByteArray& bytes) {
    auto key = KdfKey::fromBytes(asSpan(bytes));
    Q_ASSERT(key.has_value());
    return std::move(*key);
}

QByteArray sequence(int from, int count) {
    QByteArray bytes;
    for (int i = 0; i < count; ++i) {
        bytes.append(static_cast<char>(from + i));
    }
    return bytes;
}

} // namespace

class TestHashKdf : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void blake2bKnownAnswers_data() {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("digest");
        const auto file =
            coffer::test::readVectorFile(QStringLiteral("blake2b.txt"), {{QStringLiteral("message"), Field::Hex},
                                                                         {QStringLiteral("key"), Field::Hex},
                                                                         {QStringLiteral("digest"), Field::Hex}});
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        for (const auto& r : file.records) {
            QTest::newRow(r.name.constData())
                << r.hex(QStringLiteral("message")) << r.hex(QStringLiteral("key")) << r.hex(QStringLiteral("digest"));
        }
    }
    void blake2bKnownAnswers() {
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, digest);
        if (!key.isEmpty()) {
            QCOMPARE(digest.size(), qsizetype(Hash256::size));
            QCOMPARE(toByteArray(blake2bKeyed(asSpan(key), asSpan(message)).span()).toHex(), digest.toHex());
            return;
        }
        QCOMPARE(toByteArray(blake2b(asSpan(message), std::size_t(digest.size()))).toHex(), digest.toHex());
        if (digest.size() == qsizetype(Hash256::size)) {
            QCOMPARE(toByteArray(blake2b(asSpan(message)).span()).toHex(), digest.toHex());
            Blake2b incremental;
            QCOMPARE(toByteArray(incremental.update(asSpan(message)).finish().span()).toHex(), digest.toHex());
        }
    }

    void incrementalEqualsOneShot_data() {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<int>("chunk");
        const QByteArray long_ = sequence(0, 256).repeated(5);
        QTest::newRow("empty, no updates") << QByteArray() << 0;
        QTest::newRow("byte by byte") << QByteArray("coffer-fingerprint-v1") << 1;
        QTest::newRow("127-byte chunks across block borders") << long_ << 127;
        QTest::newRow("exactly one block") << sequence(3, 128) << 128;
        QTest::newRow("block plus one in 64s") << sequence(9, 129) << 64;
    }
    void incrementalEqualsOneShot() {
        QFETCH(QByteArray, message);
        QFETCH(int, chunk);
        Blake2b hasher;
        for (qsizetype at = 0; chunk > 0 && at < message.size(); at += chunk) {
            hasher.update(asSpan(message.mid(at, chunk)));
        }
        QCOMPARE(hasher.finish(), blake2b(asSpan(message)));
    }

    void incrementalTextEqualsBytes() {
        Blake2b text;
        text.update(std::string_view("coffer-")).update(std::string_view("fingerprint"));
        QCOMPARE(text.finish(), blake2b(asBytes("coffer-fingerprint")));
    }

    void keyedDiffersFromUnkeyedAndByKey() {
        const QByteArray message("record bytes");
        const QByteArray keyA(32, 'a');
        QByteArray keyB = keyA;
        keyB[31] = 'b';
        const Hash256 plain = blake2b(asSpan(message));
        const Hash256 macA = blake2bKeyed(asSpan(keyA), asSpan(message));
        const Hash256 macB = blake2bKeyed(asSpan(keyB), asSpan(message));
        QVERIFY(macA != plain);
        QVERIFY(macA != macB);
        QCOMPARE(blake2bKeyed(asSpan(keyA), asSpan(message)), macA);
        QVERIFY(blake2bKeyed(asSpan(keyA), asSpan(message + '.')) != macA);
    }

    void constantTimeEqual_data() {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("expected");
        QTest::newRow("equal") << QByteArray("abc") << QByteArray("abc") << true;
        QTest::newRow("differs at end") << QByteArray("abc") << QByteArray("abd") << false;
        QTest::newRow("different sizes") << QByteArray("abc") << QByteArray("abcd") << false;
        QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    }
    void constantTimeEqual() {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, expected);
        QCOMPARE(coffer::crypto::constantTimeEqual(asSpan(a), asSpan(b)), expected);
    }

    void hexRoundTrip_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("hex");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("zero") << QByteArray(1, '\0') << QByteArray("00");
        QTest::newRow("all nibbles") << QByteArray::fromHex("0123456789abcdef") << QByteArray("0123456789abcdef");
        QTest::newRow("every byte") << sequence(0, 256) << sequence(0, 256).toHex();
    }
    void hexRoundTrip() {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, hex);
        const std::string encoded = toHex(asSpan(bytes));
        QCOMPARE(QByteArray::fromStdString(encoded), hex);
        const auto decoded = fromHex(encoded);
        QVERIFY(decoded.has_value());
        QCOMPARE(toByteArray(*decoded), bytes);
    }

    void fromHexAcceptsUpperCase() {
        const auto decoded = fromHex("DEADbeef");
        QVERIFY(decoded.has_value());
        QCOMPARE(toByteArray(*decoded), QByteArray::fromHex("deadbeef"));
    }

    void fromHexRejectsBadInput_data() {
        QTest::addColumn<QByteArray>("hex");
        QTest::newRow("odd length") << QByteArray("abc");
        QTest::newRow("single digit") << QByteArray("a");
        QTest::newRow("non-hex letter") << QByteArray("zz");
        QTest::newRow("g after valid digit") << QByteArray("0g");
        QTest::newRow("leading space") << QByteArray(" 00");
        QTest::newRow("trailing space") << QByteArray("00 ");
        QTest::newRow("inner colon") << QByteArray("00:11");
        QTest::newRow("0x prefix") << QByteArray("0x00");
        QTest::newRow("embedded NUL") << QByteArray("00\0"
                                                    "0",
                                                    4);
        QTest::newRow("newline") << QByteArray("0011\n0");
        QTest::newRow("non-ASCII") << QByteArray("\xc3\xa9");
    }
    void fromHexRejectsBadInput() {
        QFETCH(QByteArray, hex);
        const auto decoded = fromHex(std::string_view(hex.constData(), std::size_t(hex.size())));
        QVERIFY(!decoded.has_value());
        QCOMPARE(decoded.error(), Error::InvalidArgument);
    }

    // Known answers computed independently with python3's hashlib, following libsodium's definition of
    // crypto_kdf: blake2b(b"", digest_size=size, key=master, salt=id.to_bytes(8, "little") + 8 zero bytes,
    // person=context + 8 zero bytes), with master = bytes(range(32)).
    void kdfKnownAnswers_data() {
        QTest::addColumn<quint64>("id");
        QTest::addColumn<QByteArray>("context");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("id 0") << quint64{0} << QByteArray("coffer00")
                              << QByteArray("ca42ee07f6b0e47be0688e28baf8de39e0546df6f1e2f79909161acaf702ae74");
        QTest::newRow("id 1") << quint64{1} << QByteArray("coffer00")
                              << QByteArray("bb0c0b5a9f25fa011367cc931690fb6d5f5568521a812255f2a82d7ab2e1e949");
        QTest::newRow("other context") << quint64{1} << QByteArray("vaultkey")
                                       << QByteArray("6c429add9a5707f588acd71058ce4afe"
                                                     "9c297415977a02cf62a3e856dd2fcc3d");
        QTest::newRow("max id, 64 bytes")
            << std::numeric_limits<quint64>::max() << QByteArray("Examples")
            << QByteArray("662ee5b159b1b9a6a2535d882de4173d7bd182742c2f339e189c6c742ad34ffa"
                          "f3f6076c7c31e4af28913b02af3cd2a625e6c561e490445acbae3bc9253e82bc");
        QTest::newRow("16 bytes") << quint64{42} << QByteArray("__auth__")
                                  << QByteArray("9cef59743cb372337d6ca4ee283fe0d3");
    }
    void kdfKnownAnswers() {
        QFETCH(quint64, id);
        QFETCH(QByteArray, context);
        QFETCH(QByteArray, expected);
        const KdfKey master = masterFrom(sequence(0, 32));
        const SecureBuffer subkey =
            deriveSubkeyBytes(master, id, context.toStdString(), std::size_t(expected.size() / 2));
        QCOMPARE(toByteArray(subkey.bytes()).toHex(), expected);
    }

    void kdfIsDeterministicAndSeparated() {
        const KdfKey master = KdfKey::keygen();
        const auto derive = [&](const KdfKey& key, std::uint64_t id, std::string_view context) {
            return toByteArray(deriveSubkeyBytes(key, id, context, 32).bytes());
        };
        const QByteArray base = derive(master, 7, "envkey01");
        QCOMPARE(derive(master, 7, "envkey01"), base);
        QVERIFY(derive(master, 8, "envkey01") != base);
        QVERIFY(derive(master, 7, "envkey02") != base);
        QVERIFY(derive(KdfKey::keygen(), 7, "envkey01") != base);
        // Typed derivation gives the same bytes as the raw one.
        const auto typed = deriveSubkey<AeadKey>(master, 7, "envkey01");
        QCOMPARE(toByteArray(typed.bytes()), base);
    }
};

QTEST_GUILESS_MAIN(TestHashKdf)
#include "TestHashKdf.moc"
