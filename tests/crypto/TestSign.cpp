// SPDX-License-Identifier: Apache-2.0
#include "crypto/Sign.h"

#include "tests/crypto/VectorFile.h"

#include <QTest>

#include <algorithm>

using namespace coffer::crypto;
using coffer::test::asSpan;
using coffer::test::Field;
using coffer::test::toByteArray;

namespace {

SignSeed seedFrom(const QByteArray& bytes) {
    auto seed = SignSeed::fromBytes(asSpan(bytes));
    Q_ASSERT(seed.has_value());
    return std::move(*seed);
}

Signature signatureFrom(const QByteArray& bytes) {
    auto signature = Signature::fromBytes(asSpan(bytes));
    Q_ASSERT(signature.has_value());
    return *signature;
}

} // namespace

class TestSign : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // RFC 8032 section 7.1: the seed gives the public key, signing is deterministic and gives the
    // published signature, and that signature verifies.
    void rfc8032_data() {
        QTest::addColumn<QByteArray>("secretKey");
        QTest::addColumn<QByteArray>("publicKey");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("signature");
        const auto file = coffer::test::readVectorFile(QStringLiteral("ed25519-rfc8032.txt"),
                                                       {{QStringLiteral("secret_key"), Field::Hex},
                                                        {QStringLiteral("public_key"), Field::Hex},
                                                        {QStringLiteral("message"), Field::Hex},
                                                        {QStringLiteral("signature"), Field::Hex}});
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        QVERIFY(file.records.size() >= 4);
        for (const auto& r : file.records) {
            QTest::newRow(r.name.constData())
                << r.hex(QStringLiteral("secret_key")) << r.hex(QStringLiteral("public_key"))
                << r.hex(QStringLiteral("message")) << r.hex(QStringLiteral("signature"));
        }
    }
    void rfc8032() {
        QFETCH(QByteArray, secretKey);
        QFETCH(QByteArray, publicKey);
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, signature);
        QCOMPARE(secretKey.size(), qsizetype(SignSeed::size));
        QCOMPARE(publicKey.size(), qsizetype(SignPublicKey::size));
        QCOMPARE(signature.size(), qsizetype(Signature::size));

        const auto pair = SigningKeyPair::fromSeed(seedFrom(secretKey));
        QCOMPARE(toByteArray(pair.publicKey.span()).toHex(), publicKey.toHex());
        // libsodium's secret key is seed || public key; other layers may rely on that.
        QCOMPARE(toByteArray(pair.secretKey.bytes()).toHex(), (secretKey + publicKey).toHex());

        const Signature produced = sign(pair.secretKey, asSpan(message));
        QCOMPARE(toByteArray(produced.span()).toHex(), signature.toHex());

        const auto published = SignPublicKey::fromBytes(asSpan(publicKey));
        QVERIFY(published.has_value());
        QVERIFY(verify(*published, asSpan(message), signatureFrom(signature)).has_value());
    }

    void verifyRejectsModifiedMessage_data() { rfc8032_data(); }
    void verifyRejectsModifiedMessage() {
        QFETCH(QByteArray, publicKey);
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, signature);
        const auto key = SignPublicKey::fromBytes(asSpan(publicKey));
        QVERIFY(key.has_value());
        const Signature sig = signatureFrom(signature);

        QList<QByteArray> variants{message + '\0', QByteArray("x") + message};
        if (!message.isEmpty()) {
            variants << message.chopped(1);
            QByteArray flipped = message;
            flipped[0] = static_cast<char>(flipped[0] ^ 0x01);
            variants << flipped;
            flipped = message;
            flipped[flipped.size() - 1] = static_cast<char>(flipped[flipped.size() - 1] ^ 0x80);
            variants << flipped;
        }
        for (const QByteArray& variant : std::as_const(variants)) {
            const auto result = verify(*key, asSpan(variant), sig);
            QVERIFY(!result.has_value());
            QCOMPARE(result.error(), Error::Failed);
        }
    }

    void verifyRejectsModifiedSignature_data() { rfc8032_data(); }
    void verifyRejectsModifiedSignature() {
        QFETCH(QByteArray, publicKey);
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, signature);
        const auto key = SignPublicKey::fromBytes(asSpan(publicKey));
        QVERIFY(key.has_value());
        for (qsizetype i = 0; i < signature.size(); ++i) {
            QByteArray tampered = signature;
            tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
            const auto result = verify(*key, asSpan(message), signatureFrom(tampered));
            QVERIFY2(!result.has_value(), qPrintable(QStringLiteral("signature byte %1 not checked").arg(i)));
            QCOMPARE(result.error(), Error::Failed);
        }
    }

    void verifyRejectsOtherKey() {
        const auto signer = SigningKeyPair::keygen();
        const auto other = SigningKeyPair::keygen();
        const QByteArray message("roster event");
        const Signature sig = sign(signer.secretKey, asSpan(message));
        QVERIFY(verify(signer.publicKey, asSpan(message), sig).has_value());
        const auto result = verify(other.publicKey, asSpan(message), sig);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error(), Error::Failed);
    }

    void keygenGivesDistinctWorkingPairs() {
        const auto a = SigningKeyPair::keygen();
        const auto b = SigningKeyPair::keygen();
        QVERIFY(a.publicKey != b.publicKey);
        const QByteArray message("batch head hash");
        QVERIFY(verify(a.publicKey, asSpan(message), sign(a.secretKey, asSpan(message))).has_value());
        // The public key is recoverable from the secret key's seed half.
        const auto seed = SignSeed::fromBytes(a.secretKey.bytes().first<SignSeed::size>());
        QCOMPARE(SigningKeyPair::fromSeed(seed).publicKey, a.publicKey);
    }
};

QTEST_GUILESS_MAIN(TestSign)
#include "TestSign.moc"
