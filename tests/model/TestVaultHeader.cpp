// SPDX-License-Identifier: Apache-2.0
// The 16-byte vault header: layout, round trip, and every field range-checked before anything is derived.

#include "model/VaultHeader.h"

#include <QElapsedTimer>
#include <QTest>

using namespace coffer::model;

Q_DECLARE_METATYPE(ErrorCode)
Q_DECLARE_METATYPE(KdfCost)

namespace {

using Bytes = std::array<std::byte, VaultHeader::kSize>;

Bytes validBytes() {
    VaultHeader header = VaultHeader::generate(KdfCost::defaults());
    return header.serialize();
}

} // namespace

class TestVaultHeader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void layoutIsDocumented() {
        VaultHeader header = VaultHeader::generate(KdfCost{5, 512});
        const Bytes bytes = header.serialize();
        QCOMPARE(std::to_integer<char>(bytes[0]), 'C');
        QCOMPARE(std::to_integer<char>(bytes[1]), 'O');
        QCOMPARE(std::to_integer<char>(bytes[2]), 'F');
        QCOMPARE(std::to_integer<char>(bytes[3]), 'R');
        QCOMPARE(std::to_integer<int>(bytes[4]), 1); // format version
        QCOMPARE(std::to_integer<int>(bytes[5]), 1); // cipher format
        QCOMPARE(std::to_integer<int>(bytes[6]), 5); // passes
        QCOMPARE(std::to_integer<int>(bytes[7]), 9); // log2(512 MiB)
        QVERIFY(std::equal(header.random.begin(), header.random.end(), bytes.begin() + 8));
    }

    void roundTrip_data() {
        QTest::addColumn<KdfCost>("cost");
        QTest::newRow("defaults") << KdfCost::defaults();
        QTest::newRow("minimum") << KdfCost::minimum();
        QTest::newRow("ceiling") << KdfCost{KdfCost::kMaxPasses, KdfCost::kMaxMemoryMiB};
        QTest::newRow("between") << KdfCost{7, 128};
    }

    void roundTrip() {
        QFETCH(KdfCost, cost);
        const VaultHeader header = VaultHeader::generate(cost);
        const auto parsed = VaultHeader::parse(header.serialize());
        QVERIFY2(parsed.has_value(), qPrintable(parsed ? QString() : parsed.error().message()));
        QCOMPARE(parsed->cost, cost);
        QCOMPARE(parsed->formatVersion, VaultHeader::kFormatVersion);
        QCOMPARE(parsed->cipherFormat, VaultHeader::kCipherFormat);
        QVERIFY(parsed->random == header.random);
        QVERIFY(parsed->serialize() == header.serialize());
    }

    void generateUsesFreshRandomBytes() {
        const VaultHeader a = VaultHeader::generate(KdfCost::minimum());
        const VaultHeader b = VaultHeader::generate(KdfCost::minimum());
        QVERIFY(a.random != b.random);
        QVERIFY(a.random != decltype(a.random){});
    }

    void badField_data() {
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("value");
        QTest::addColumn<ErrorCode>("expected");
        QTest::newRow("magic C") << 0 << int('X') << ErrorCode::NotAVault;
        QTest::newRow("magic R") << 3 << int('r') << ErrorCode::NotAVault;
        QTest::newRow("format 0") << 4 << 0 << ErrorCode::Damaged;
        QTest::newRow("format 2") << 4 << 2 << ErrorCode::NewerFormat;
        QTest::newRow("format 255") << 4 << 255 << ErrorCode::NewerFormat;
        QTest::newRow("cipher 0") << 5 << 0 << ErrorCode::Damaged;
        QTest::newRow("cipher 2") << 5 << 2 << ErrorCode::NewerFormat;
        QTest::newRow("passes 0") << 6 << 0 << ErrorCode::Damaged;
        QTest::newRow("passes 1") << 6 << 1 << ErrorCode::Damaged;
        QTest::newRow("passes 17") << 6 << 17 << ErrorCode::Damaged;
        QTest::newRow("passes 255") << 6 << 255 << ErrorCode::Damaged;
        QTest::newRow("memory 32 MiB") << 7 << 5 << ErrorCode::Damaged;
        QTest::newRow("memory 4096 MiB") << 7 << 12 << ErrorCode::Damaged;
        QTest::newRow("memory 2^40 MiB") << 7 << 40 << ErrorCode::Damaged;
        QTest::newRow("memory 2^255 MiB") << 7 << 255 << ErrorCode::Damaged;
    }

    void badField() {
        QFETCH(int, offset);
        QFETCH(int, value);
        QFETCH(ErrorCode, expected);
        Bytes bytes = validBytes();
        bytes[static_cast<std::size_t>(offset)] = static_cast<std::byte>(value);
        const auto parsed = VaultHeader::parse(bytes);
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, expected);
        QVERIFY(!parsed.error().detail.isEmpty());
    }

    void plainSqliteIsNamed() {
        Bytes bytes{};
        const char magic[] = "SQLite format 3";
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            bytes[i] = static_cast<std::byte>(magic[i]); // includes the terminating NUL, as on disk
        }
        const auto parsed = VaultHeader::parse(bytes);
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, ErrorCode::NotAVault);
        QVERIFY(parsed.error().detail.contains(QLatin1String("SQLite")));
    }

    // Order of magnitude, not a benchmark: a check that takes microseconds must not take 100 ms, which it
    // would if an absurd cost ever reached an allocation or a derivation.
    void absurdCostsRejectedFast_data() {
        QTest::addColumn<int>("passes");
        QTest::addColumn<int>("memoryLog2");
        QTest::newRow("255 passes") << 255 << 8;
        QTest::newRow("2^40 MiB") << 3 << 40;
        QTest::newRow("both") << 255 << 255;
    }

    void absurdCostsRejectedFast() {
        QFETCH(int, passes);
        QFETCH(int, memoryLog2);
        Bytes bytes = validBytes();
        bytes[6] = static_cast<std::byte>(passes);
        bytes[7] = static_cast<std::byte>(memoryLog2);
        QElapsedTimer timer;
        timer.start();
        const auto parsed = VaultHeader::parse(bytes);
        const qint64 elapsed = timer.elapsed();
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, ErrorCode::Damaged);
        QVERIFY2(elapsed < 100, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
    }

    void costPolicy_data() {
        QTest::addColumn<KdfCost>("cost");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("defaults") << KdfCost::defaults() << true;
        QTest::newRow("minimum") << KdfCost::minimum() << true;
        QTest::newRow("ceiling") << KdfCost{16, 2048} << true;
        QTest::newRow("1 pass") << KdfCost{1, 256} << false;
        QTest::newRow("17 passes") << KdfCost{17, 256} << false;
        QTest::newRow("32 MiB") << KdfCost{3, 32} << false;
        QTest::newRow("4096 MiB") << KdfCost{3, 4096} << false;
        QTest::newRow("not a power of two") << KdfCost{3, 100} << false;
        QTest::newRow("zero") << KdfCost{0, 0} << false;
    }

    void costPolicy() {
        QFETCH(KdfCost, cost);
        QFETCH(bool, allowed);
        const auto checked = cost.check();
        QCOMPARE(checked.has_value(), allowed);
        if (!allowed) {
            QCOMPARE(checked.error().code, ErrorCode::KdfOutOfPolicy);
        }
    }

    void argon2ParametersInKiB() {
        const auto params = KdfCost::defaults().argon2();
        QCOMPARE(params.passes, 3u);
        QCOMPARE(params.memoryKiB, 256u * 1024u);
    }
};

QTEST_GUILESS_MAIN(TestVaultHeader)
#include "TestVaultHeader.moc"
