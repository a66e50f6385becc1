// SPDX-License-Identifier: Apache-2.0
#include "crypto/PasswordHash.h"

#include "tests/crypto/VectorFile.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace coffer::crypto;
using coffer::test::asSpan;
using coffer::test::Field;
using coffer::test::toByteArray;

namespace {

constexpr Argon2Params kCheap{1, kArgon2MinMemoryKiB};

Argon2Salt saltFrom(const QByteArray& bytes) {
    Argon2Salt salt{};
    std::copy_n(asSpan(bytes).begin(), std::min(salt.size(), std::size_t(bytes.size())), salt.begin());
    return salt;
}

} // namespace

class TestPasswordHash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Known answers from the Argon2 reference CLI: proves this is plain Argon2id v1.3 with one lane, so a
    // vault stays openable by any conforming implementation.
    void knownAnswers_data() {
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<QByteArray>("salt");
        QTest::addColumn<quint32>("passes");
        QTest::addColumn<quint32>("memoryKiB");
        QTest::addColumn<QByteArray>("expected");
        const auto file =
            coffer::test::readVectorFile(QStringLiteral("argon2id.txt"), {{QStringLiteral("password"), Field::Hex},
                                                                          {QStringLiteral("salt"), Field::Hex},
                                                                          {QStringLiteral("passes"), Field::Number},
                                                                          {QStringLiteral("memory_kib"), Field::Number},
                                                                          {QStringLiteral("hash"), Field::Hex}});
        QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
        QVERIFY(file.records.size() >= 3);
        for (const auto& r : file.records) {
            QTest::newRow(r.name.constData())
                << r.hex(QStringLiteral("password")) << r.hex(QStringLiteral("salt"))
                << quint32(r.number(QStringLiteral("passes"))) << quint32(r.number(QStringLiteral("memory_kib")))
                << r.hex(QStringLiteral("hash"));
        }
    }
    void knownAnswers() {
        QFETCH(QByteArray, password);
        QFETCH(QByteArray, salt);
        QFETCH(quint32, passes);
        QFETCH(quint32, memoryKiB);
        QFETCH(QByteArray, expected);
        QCOMPARE(salt.size(), qsizetype(std::tuple_size_v<Argon2Salt>));

        QByteArray out(expected.size(), '\0');
        const auto result = argon2id(std::as_writable_bytes(std::span<char>(out.data(), std::size_t(out.size()))),
                                     asSpan(password), saltFrom(salt), Argon2Params{passes, memoryKiB});
        QVERIFY(result.has_value());
        QCOMPARE(out.toHex(), expected.toHex());
    }

    void deriveKeyMatchesArgon2id() {
        const QByteArray password("master password");
        const Argon2Salt salt = saltFrom(QByteArray(16, '\x07'));
        std::array<std::byte, VaultKey::size> raw{};
        QVERIFY(argon2id(raw, asSpan(password), salt, kCheap).has_value());

        const auto key = deriveKey<VaultKey>(asSpan(password), salt, kCheap);
        QVERIFY(key.has_value());
        QCOMPARE(toByteArray(key->bytes()).toHex(), toByteArray(raw).toHex());

        const auto again = deriveKey<VaultKey>(asSpan(password), salt, kCheap);
        QVERIFY(again.has_value());
        QVERIFY(std::ranges::equal(again->bytes(), key->bytes()));
    }

    void everyInputChangesTheKey() {
        const QByteArray password("master password");
        const Argon2Salt salt = saltFrom(QByteArray(16, '\x07'));
        const auto base = deriveKey<VaultKey>(asSpan(password), salt, kCheap);
        QVERIFY(base.has_value());

        Argon2Salt otherSalt = salt;
        otherSalt.back() ^= std::byte{0x01};
        const auto withSalt = deriveKey<VaultKey>(asSpan(password), otherSalt, kCheap);
        const auto withPassword = deriveKey<VaultKey>(asSpan(QByteArray("master passwore")), salt, kCheap);
        const auto withPasses = deriveKey<VaultKey>(asSpan(password), salt, {2, kArgon2MinMemoryKiB});
        const auto withMemory = deriveKey<VaultKey>(asSpan(password), salt, {1, kArgon2MinMemoryKiB + 1024});
        for (const auto* other : {&withSalt, &withPassword, &withPasses, &withMemory}) {
            QVERIFY(other->has_value());
            QVERIFY(!std::ranges::equal((*other)->bytes(), base->bytes()));
        }
    }

    void validateAcceptsTheLimits_data() {
        QTest::addColumn<quint32>("passes");
        QTest::addColumn<quint32>("memoryKiB");
        QTest::newRow("minimum") << kArgon2MinPasses << kArgon2MinMemoryKiB;
        QTest::newRow("maximum") << kArgon2MaxPasses << kArgon2MaxMemoryKiB;
        QTest::newRow("default") << Argon2Params{}.passes << Argon2Params{}.memoryKiB;
    }
    void validateAcceptsTheLimits() {
        QFETCH(quint32, passes);
        QFETCH(quint32, memoryKiB);
        QVERIFY(validate({passes, memoryKiB}).has_value());
    }

    void validateRejectsOutOfRange_data() {
        QTest::addColumn<quint32>("passes");
        QTest::addColumn<quint32>("memoryKiB");
        constexpr quint32 kMax = std::numeric_limits<quint32>::max();
        QTest::newRow("zero passes") << 0U << kArgon2MinMemoryKiB;
        QTest::newRow("too many passes") << kArgon2MaxPasses + 1 << kArgon2MinMemoryKiB;
        QTest::newRow("all-ones passes") << kMax << kArgon2MinMemoryKiB;
        QTest::newRow("zero memory") << 1U << 0U;
        QTest::newRow("memory just below minimum") << 1U << kArgon2MinMemoryKiB - 1;
        QTest::newRow("memory just above maximum") << 1U << kArgon2MaxMemoryKiB + 1;
        QTest::newRow("all-ones memory") << 1U << kMax;
        QTest::newRow("both all-ones") << kMax << kMax;
    }
    void validateRejectsOutOfRange() {
        QFETCH(quint32, passes);
        QFETCH(quint32, memoryKiB);
        const auto checked = validate({passes, memoryKiB});
        QVERIFY(!checked.has_value());
        QCOMPARE(checked.error(), Error::InvalidArgument);
    }

    // A tampered vault header must give a clear error at once, never an allocation of terabytes or an
    // hour of hashing: argon2id() rejects out-of-range parameters before any work. The rows are chosen
    // so that a regression fails quickly too (libsodium refuses them, or hashing them is cheap).
    void argon2idRejectsBeforeWorking_data() {
        QTest::addColumn<quint32>("passes");
        QTest::addColumn<quint32>("memoryKiB");
        QTest::newRow("zero passes") << 0U << kArgon2MinMemoryKiB;
        QTest::newRow("too many passes") << kArgon2MaxPasses + 1 << kArgon2MinMemoryKiB;
        QTest::newRow("zero memory") << 1U << 0U;
        QTest::newRow("memory just below minimum") << 1U << kArgon2MinMemoryKiB - 1;
        QTest::newRow("all-ones memory") << 1U << std::numeric_limits<quint32>::max();
    }
    void argon2idRejectsBeforeWorking() {
        QFETCH(quint32, passes);
        QFETCH(quint32, memoryKiB);
        QElapsedTimer timer;
        timer.start();
        std::array<std::byte, 32> out{};
        const auto derived = argon2id(out, asSpan(QByteArray("pw")), Argon2Salt{}, {passes, memoryKiB});
        QVERIFY(!derived.has_value());
        QCOMPARE(derived.error(), Error::InvalidArgument);
        // Generous bound for a loaded machine; hashing with these parameters takes far longer.
        QVERIFY2(timer.elapsed() < 1000, "argon2id did work before rejecting its parameters");
    }

    void outputSizeIsChecked_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("0") << 0 << false;
        QTest::newRow("15") << 15 << false;
        QTest::newRow("16") << 16 << true;
        QTest::newRow("64") << 64 << true;
        QTest::newRow("65") << 65 << false;
    }
    void outputSizeIsChecked() {
        QFETCH(int, size);
        QFETCH(bool, accepted);
        std::vector<std::byte> out(static_cast<std::size_t>(size));
        const auto result = argon2id(out, asSpan(QByteArray("pw")), Argon2Salt{}, kCheap);
        QCOMPARE(result.has_value(), accepted);
        if (!accepted) {
            QCOMPARE(result.error(), Error::InvalidArgument);
        }
    }
};

QTEST_GUILESS_MAIN(TestPasswordHash)
#include "TestPasswordHash.moc"
