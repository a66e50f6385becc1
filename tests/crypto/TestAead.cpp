// SPDX-License-Identifier: Apache-2.0
#include "crypto/Aead.h"
#include "crypto/Random.h"

#include "tests/crypto/VectorFile.h"

#include <QTest>

#include <algorithm>

using namespace coffer::crypto;
using coffer::test::asSpan;
using coffer::test::Field;
using coffer::test::toByteArray;

namespace {

QByteArray bytesOf(const SecureBuffer& buffer) {
    return toByteArray(buffer.bytes());
}

} // namespace

class TestAead : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::addColumn<QByteArray>("associatedData");
        QTest::newRow("empty, no AD") << QByteArray() << QByteArray();
        QTest::newRow("empty, with AD") << QByteArray() << QByteArray("team|env|epoch");
        QTest::newRow("text, no AD") << QByteArray("DATABASE_URL=postgres://u:p@h/db") << QByteArray();
        QTest::newRow("text, with AD") << QByteArray("value\nwith\nlines") << QByteArray("record-42");
        QTest::newRow("binary 64 KiB") << QByteArray(64 * 1024, '\xa5') << QByteArray(1000, '\x01');
    }
    void roundTrip() {
        QFETCH(QByteArray, plaintext);
        QFETCH(QByteArray, associatedData);
        const auto key = AeadKey::keygen();

        const auto sealed = aead::seal(key, asSpan(plaintext), asSpan(associatedData));
        QCOMPARE(sealed.size(), aead::kNonceBytes + std::size_t(plaintext.size()) + aead::kTagBytes);
        const auto opened = aead::open(key, sealed, asSpan(associatedData));
        QVERIFY(opened.has_value());
        QCOMPARE(bytesOf(*opened), plaintext);

        aead::Nonce nonce{};
        randomFill(nonce);
        const auto ciphertext = aead::encrypt(key, nonce, asSpan(plaintext), asSpan(associatedData));
        QCOMPARE(ciphertext.size(), std::size_t(plaintext.size()) + aead::kTagBytes);
        const auto decrypted = aead::decrypt(key, nonce, ciphertext, asSpan(associatedData));
        QVERIFY(decrypted.has_value());
        QCOMPARE(bytesOf(*decrypted), plaintext);
    }

    void sealUsesAFreshNonceEachTime() {
        const auto key = AeadKey::keygen();
        const QByteArray message("same message");
        const auto first = aead::seal(key, asSpan(message));
        const auto second = aead::seal(key, asSpan(message));
        QVERIFY(!std::equal(first.begin(), first.begin() + aead::kNonceBytes, second.begin()));
        QVERIFY(first != second);
    }

    // Flipping one bit anywhere in nonce || ciphertext || tag must be detected.
    void tamperingAnyByteFails_data() {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("short") << QByteArray("s3cr3t");
        QTest::newRow("two blocks") << QByteArray(130, 'z');
    }
    void tamperingAnyByteFails() {
        QFETCH(QByteArray, plaintext);
        const auto key = AeadKey::keygen();
        const QByteArray ad("ad");
        const auto sealed = aead::seal(key, asSpan(plaintext), asSpan(ad));
        for (std::size_t i = 0; i < sealed.size(); ++i) {
            for (const auto flip : {std::byte{0x01}, std::byte{0x80}}) {
                auto tampered = sealed;
                tampered[i] ^= flip;
                const auto opened = aead::open(key, tampered, asSpan(ad));
                QVERIFY2(!opened.has_value(), qPrintable(QStringLiteral("byte %1 not authenticated").arg(i)));
                QCOMPARE(opened.error(), Error::Failed);
            }
        }
    }

    void tamperingAssociatedDataFails() {
        const auto key = AeadKey::keygen();
        const QByteArray ad("team=1|env=prod|epoch=3");
        const auto sealed = aead::seal(key, asSpan(QByteArrayLiteral("secret")), asSpan(ad));
        for (qsizetype i = 0; i < ad.size(); ++i) {
            QByteArray tampered = ad;
            tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
            const auto opened = aead::open(key, sealed, asSpan(tampered));
            QVERIFY(!opened.has_value());
            QCOMPARE(opened.error(), Error::Failed);
        }
        const auto missing = aead::open(key, sealed);
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error(), Error::Failed);
        const auto extended = aead::open(key, sealed, asSpan(ad + '!'));
        QVERIFY(!extended.has_value());
        QCOMPARE(extended.error(), Error::Failed);
    }

    void wrongKeyFails() {
        const auto key = AeadKey::keygen();
        const auto other = AeadKey::keygen();
        const auto sealed = aead::seal(key, asSpan(QByteArrayLiteral("secret")));
        const auto opened = aead::open(other, sealed);
        QVERIFY(!opened.has_value());
        QCOMPARE(opened.error(), Error::Failed);
    }

    void truncatedInputFails_data() {
        QTest::addColumn<int>("keep");
        QTest::newRow("nothing") << 0;
        QTest::newRow("nonce only") << int(aead::kNonceBytes);
        QTest::newRow("one short of nonce and tag") << int(aead::kNonceBytes + aead::kTagBytes - 1);
        QTest::newRow("one byte cut") << -1;
    }
    void truncatedInputFails() {
        QFETCH(int, keep);
        const auto key = AeadKey::keygen();
        const auto sealed = aead::seal(key, asSpan(QByteArrayLiteral("secret")));
        const std::size_t size = keep < 0 ? sealed.size() - 1 : std::size_t(keep);
        const auto opened = aead::open(key, std::span(sealed).first(size));
        QVERIFY(!opened.has_value());
        QCOMPARE(opened.error(), Error::Failed);

        const aead::Nonce nonce{};
        const auto tooShort = aead::decrypt(key, nonce, std::span(sealed).first(std::min(size, aead::kTagBytes - 1)));
        QVERIFY(!tooShort.has_value());
        QCOMPARE(tooShort.error(), Error::Failed);
    }

    void knownAnswer_data() {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("nonce");
        QTest::addColumn<QByteArray>("aad");
        QTest::addColumn<QByteArray>("plaintext");
        QTest::addColumn<QByteArray>("ciphertext");
        QTest::addColumn<QByteArray>("tag");
        const auto file = coffer::test::readVectorFile(QStringLiteral("xchacha20poly1305.txt"),
                                                       {{QStringLiteral("key"), Field::Hex},
                                                        {QStringLiteral("nonce"), Field::Hex},
                                                        {QStringLiteral("aad"), Field::Hex},
                                                        {QStringLiteral("plaintext"), Field::Hex},
                                                        {QStringLiteral("ciphertext"), Field::Hex},
                                                        {QStringLiteral("tag"), Field::Hex}});
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        for (const auto& r : file.records) {
            QTest::newRow(r.name.constData()) << r.hex(QStringLiteral("key")) << r.hex(QStringLiteral("nonce"))
                                              << r.hex(QStringLiteral("aad")) << r.hex(QStringLiteral("plaintext"))
                                              << r.hex(QStringLiteral("ciphertext")) << r.hex(QStringLiteral("tag"));
        }
    }
    void knownAnswer() {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, nonce);
        QFETCH(QByteArray, aad);
        QFETCH(QByteArray, plaintext);
        QFETCH(QByteArray, ciphertext);
        QFETCH(QByteArray, tag);

        const auto aeadKey = AeadKey::fromBytes(asSpan(key));
        QVERIFY(aeadKey.has_value());
        QCOMPARE(std::size_t(nonce.size()), aead::kNonceBytes);
        aead::Nonce n{};
        std::ranges::copy(asSpan(nonce), n.begin());

        const auto encrypted = aead::encrypt(*aeadKey, n, asSpan(plaintext), asSpan(aad));
        QCOMPARE(toByteArray(encrypted).toHex(), (ciphertext + tag).toHex());

        const auto decrypted = aead::decrypt(*aeadKey, n, asSpan(ciphertext + tag), asSpan(aad));
        QVERIFY(decrypted.has_value());
        QCOMPARE(bytesOf(*decrypted), plaintext);

        // seal()'s layout is nonce || ciphertext || tag, so the vector opens through open() too.
        const auto opened = aead::open(*aeadKey, asSpan(nonce + ciphertext + tag), asSpan(aad));
        QVERIFY(opened.has_value());
        QCOMPARE(bytesOf(*opened), plaintext);
    }

    void keyOfWrongSizeIsRejected_data() {
        QTest::addColumn<int>("size");
        QTest::newRow("empty") << 0;
        QTest::newRow("31") << 31;
        QTest::newRow("33") << 33;
    }
    void keyOfWrongSizeIsRejected() {
        QFETCH(int, size);
        const auto key = AeadKey::fromBytes(asSpan(QByteArray(size, 'k')));
        QVERIFY(!key.has_value());
        QCOMPARE(key.error(), Error::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestAead)
#include "TestAead.moc"
