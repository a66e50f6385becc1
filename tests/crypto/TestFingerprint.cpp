// SPDX-License-Identifier: Apache-2.0
#include "crypto/Fingerprint.h"
#include "crypto/Random.h"

#include "tests/crypto/VectorFile.h"

#include <QRegularExpression>
#include <QTest>

using namespace coffer::crypto;
using coffer::test::asSpan;

namespace {

template <typename Key> Key keyFrom(const QByteArray& bytes) {
    auto key = Key::fromBytes(asSpan(bytes));
    Q_ASSERT(key.has_value());
    return *key;
}

QByteArray sequence(int from, int count) {
    QByteArray bytes;
    for (int i = 0; i < count; ++i) {
        bytes.append(static_cast<char>(from + i));
    }
    return bytes;
}

QByteArray fingerprintOf(const SignPublicKey& sign, const BoxPublicKey& box) {
    return QByteArray::fromStdString(fingerprint(sign, box));
}

} // namespace

class TestFingerprint : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formatIsSixGroupsOfFiveDigits() {
        static const QRegularExpression format(QStringLiteral("^[0-9]{5}( [0-9]{5}){5}$"));
        for (int i = 0; i < 50; ++i) {
            const QByteArray printed =
                fingerprintOf(SignPublicKey{randomArray<SignPublicKey::size>()}, BoxPublicKey{randomArray<32>()});
            QCOMPARE(printed.size(), 35);
            QVERIFY2(format.match(QString::fromLatin1(printed)).hasMatch(), printed.constData());
        }
    }

    // Computed independently with python3's hashlib:
    //   h = blake2b(b"coffer-fingerprint-v1" + sign + box, digest_size=32).digest()
    //   " ".join("%05d" % (int.from_bytes(h[5*i:5*i+5], "big") % 100000) for i in range(6))
    void knownAnswer_data() {
        QTest::addColumn<QByteArray>("signKey");
        QTest::addColumn<QByteArray>("boxKey");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("sign 00..1f, box 20..3f")
            << sequence(0, 32) << sequence(32, 32) << QByteArray("67352 77994 79620 08274 69266 89604");
        QTest::newRow("all zeros") << QByteArray(32, '\0') << QByteArray(32, '\0')
                                   << QByteArray("13609 42633 75145 61566 78971 69192");
    }
    void knownAnswer() {
        QFETCH(QByteArray, signKey);
        QFETCH(QByteArray, boxKey);
        QFETCH(QByteArray, expected);
        QCOMPARE(fingerprintOf(keyFrom<SignPublicKey>(signKey), keyFrom<BoxPublicKey>(boxKey)), expected);
    }

    void isDeterministic() {
        const SignPublicKey sign{randomArray<32>()};
        const BoxPublicKey box{randomArray<32>()};
        QCOMPARE(fingerprintOf(sign, box), fingerprintOf(sign, box));
    }

    void changesWhenEitherKeyChanges() {
        const SignPublicKey sign{randomArray<32>()};
        const BoxPublicKey box{randomArray<32>()};
        const QByteArray original = fingerprintOf(sign, box);
        for (std::size_t i = 0; i < 32; ++i) {
            SignPublicKey otherSign = sign;
            otherSign.bytes[i] ^= std::byte{0x01};
            QVERIFY2(fingerprintOf(otherSign, box) != original, qPrintable(QStringLiteral("sign byte %1").arg(i)));
            BoxPublicKey otherBox = box;
            otherBox.bytes[i] ^= std::byte{0x80};
            QVERIFY2(fingerprintOf(sign, otherBox) != original, qPrintable(QStringLiteral("box byte %1").arg(i)));
        }
    }

    void keyRolesAreNotInterchangeable() {
        const QByteArray a = sequence(0, 32);
        const QByteArray b = sequence(32, 32);
        QVERIFY(fingerprintOf(keyFrom<SignPublicKey>(a), keyFrom<BoxPublicKey>(b)) !=
                fingerprintOf(keyFrom<SignPublicKey>(b), keyFrom<BoxPublicKey>(a)));
    }
};

QTEST_GUILESS_MAIN(TestFingerprint)
#include "TestFingerprint.moc"
