// SPDX-License-Identifier: Apache-2.0
#include "crypto/SealedBox.h"

#include "tests/crypto/VectorFile.h"

#include <QTest>

using namespace coffer::crypto;
using coffer::test::asSpan;
using coffer::test::toByteArray;

class TestSealedBox : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("environment key") << QByteArray(32, '\x42');
        QTest::newRow("text") << QByteArray("grant for alice, env prod, epoch 7");
        QTest::newRow("4 KiB") << QByteArray(4096, '\x00');
    }
    void roundTrip() {
        QFETCH(QByteArray, message);
        const auto recipient = BoxKeyPair::keygen();
        const auto sealed = seal(recipient.publicKey, asSpan(message));
        QCOMPARE(sealed.size(), std::size_t(message.size()) + kSealOverheadBytes);
        const auto opened = openSealed(recipient, sealed);
        QVERIFY(opened.has_value());
        QCOMPARE(toByteArray(opened->bytes()), message);
    }

    void sealingIsRandomised() {
        const auto recipient = BoxKeyPair::keygen();
        const QByteArray message("same");
        QVERIFY(seal(recipient.publicKey, asSpan(message)) != seal(recipient.publicKey, asSpan(message)));
    }

    void wrongRecipientFails() {
        const auto alice = BoxKeyPair::keygen();
        const auto mallory = BoxKeyPair::keygen();
        const auto sealed = seal(alice.publicKey, asSpan(QByteArrayLiteral("for alice only")));
        const auto opened = openSealed(mallory, sealed);
        QVERIFY(!opened.has_value());
        QCOMPARE(opened.error(), Error::Failed);
    }

    void tamperingAnyByteFails() {
        const auto recipient = BoxKeyPair::keygen();
        const auto sealed = seal(recipient.publicKey, asSpan(QByteArrayLiteral("environment key bytes")));
        for (std::size_t i = 0; i < sealed.size(); ++i) {
            auto tampered = sealed;
            tampered[i] ^= std::byte{0x01};
            const auto opened = openSealed(recipient, tampered);
            QVERIFY2(!opened.has_value(), qPrintable(QStringLiteral("byte %1 not authenticated").arg(i)));
            QCOMPARE(opened.error(), Error::Failed);
        }
    }

    void truncatedInputFails_data() {
        QTest::addColumn<int>("cut");
        QTest::newRow("everything") << -1;
        QTest::newRow("one byte") << 1;
        QTest::newRow("below overhead") << 25;
    }
    void truncatedInputFails() {
        QFETCH(int, cut);
        const auto recipient = BoxKeyPair::keygen();
        const auto sealed = seal(recipient.publicKey, asSpan(QByteArrayLiteral("abcdefghijklmnopqrstuvwxyz")));
        const std::size_t keep = cut < 0 ? 0 : sealed.size() - std::size_t(cut);
        const auto opened = openSealed(recipient, std::span(sealed).first(keep));
        QVERIFY(!opened.has_value());
        QCOMPARE(opened.error(), Error::Failed);
    }

    void fromSecretKeyRecomputesPublicKey() {
        const auto pair = BoxKeyPair::keygen();
        const auto rebuilt = BoxKeyPair::fromSecretKey(pair.secretKey);
        QCOMPARE(rebuilt.publicKey, pair.publicKey);
        QVERIFY(std::ranges::equal(rebuilt.secretKey.bytes(), pair.secretKey.bytes()));
        const auto sealed = seal(pair.publicKey, asSpan(QByteArrayLiteral("stored key still opens")));
        QVERIFY(openSealed(rebuilt, sealed).has_value());
    }

    // RFC 7748 section 6.1 (Alice): the X25519 public key of a known secret, so keys stored in one
    // version of the vault rebuild the same public key in any other.
    void fromSecretKeyKnownAnswer() {
        const QByteArray secret =
            QByteArray::fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        const QByteArray expected =
            QByteArray::fromHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        const auto key = BoxSecretKey::fromBytes(asSpan(secret));
        QVERIFY(key.has_value());
        QCOMPARE(toByteArray(BoxKeyPair::fromSecretKey(*key).publicKey.span()).toHex(), expected.toHex());
    }

    void smallOrderRecipientYieldsNothing() {
        const BoxPublicKey zero{};
        QVERIFY(seal(zero, asSpan(QByteArrayLiteral("never leaves"))).empty());
    }
};

QTEST_GUILESS_MAIN(TestSealedBox)
#include "TestSealedBox.moc"
