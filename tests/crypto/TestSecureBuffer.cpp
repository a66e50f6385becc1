// SPDX-License-Identifier: Apache-2.0
#include "crypto/SecureBuffer.h"

#include "crypto/detail/SecurePool.h"
#include "tests/crypto/VectorFile.h"

#include <QTest>

#include <algorithm>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using coffer::crypto::Error;
using coffer::crypto::SecureBuffer;
using coffer::test::asSpan;
namespace pool = coffer::crypto::detail;

namespace {

bool allZero(std::span<const std::byte> bytes) {
    return std::ranges::all_of(bytes, [](std::byte b) { return b == std::byte{0}; });
}

} // namespace

class TestSecureBuffer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultIsEmptyAndOwnsNothing() {
        const SecureBuffer buffer;
        QVERIFY(buffer.empty());
        QCOMPARE(buffer.size(), std::size_t{0});
        QCOMPARE(buffer.data(), nullptr);
        QVERIFY(buffer.view().empty());
    }

    void sizeZeroOwnsNothing() {
        const SecureBuffer buffer(0);
        QVERIFY(buffer.empty());
        QCOMPARE(buffer.data(), nullptr);
    }

    void allocatesZeroedBytes_data() {
        QTest::addColumn<std::size_t>("size");
        QTest::newRow("one byte") << std::size_t{1};
        QTest::newRow("key sized") << std::size_t{32};
        QTest::newRow("more than a page") << std::size_t{5000};
    }
    void allocatesZeroedBytes() {
        QFETCH(std::size_t, size);
        SecureBuffer buffer(size);
        QCOMPARE(buffer.size(), size);
        QVERIFY(buffer.data() != nullptr);
        QVERIFY(allZero(buffer.bytes()));
        // Every byte is writable up to the end (the guard page starts right after it).
        std::ranges::fill(buffer.bytes(), std::byte{0x5a});
        QCOMPARE(buffer.bytes().back(), std::byte{0x5a});
    }

    void copyOfKeepsContent() {
        const QByteArray text = QByteArrayLiteral("multi\nline\0secret");
        const SecureBuffer fromBytes = SecureBuffer::copyOf(asSpan(text));
        QCOMPARE(fromBytes.size(), std::size_t(text.size()));
        QVERIFY(fromBytes.equals(asSpan(text)));

        const SecureBuffer fromText = SecureBuffer::copyOf(std::string_view("hunter2"));
        QCOMPARE(fromText.view(), std::string_view("hunter2"));
        QVERIFY(SecureBuffer::copyOf(std::string_view()).empty());
    }

    void viewCoversEveryByte() {
        const std::string_view text("a\0b", 3);
        const SecureBuffer buffer = SecureBuffer::copyOf(text);
        QCOMPARE(buffer.view().size(), std::size_t{3});
        QCOMPARE(buffer.view(), text);
        QCOMPARE(static_cast<const void*>(buffer.view().data()), static_cast<const void*>(buffer.data()));
    }

    void moveConstructionTransfersOwnership() {
        SecureBuffer source = SecureBuffer::copyOf(std::string_view("secret"));
        const std::byte* memory = source.data();
        SecureBuffer target(std::move(source));
        QCOMPARE(target.data(), memory);
        QCOMPARE(target.view(), std::string_view("secret"));
        QVERIFY(source.empty()); // NOLINT(bugprone-use-after-move): the moved-from state is the spec
        QCOMPARE(source.data(), nullptr);
    }

    void moveAssignmentReplacesAndEmptiesSource() {
        SecureBuffer source = SecureBuffer::copyOf(std::string_view("new"));
        SecureBuffer target = SecureBuffer::copyOf(std::string_view("old value"));
        const std::byte* memory = source.data();
        target = std::move(source);
        QCOMPARE(target.data(), memory);
        QCOMPARE(target.view(), std::string_view("new"));
        QVERIFY(source.empty()); // NOLINT(bugprone-use-after-move)
        QCOMPARE(source.data(), nullptr);
    }

    void selfMoveAssignmentKeepsContent() {
        SecureBuffer buffer = SecureBuffer::copyOf(std::string_view("same"));
        SecureBuffer& alias = buffer;
        buffer = std::move(alias);
        QCOMPARE(buffer.view(), std::string_view("same"));
    }

    void clearWipesAndEmpties() {
        SecureBuffer buffer = SecureBuffer::copyOf(std::string_view("to be wiped"));
        buffer.clear();
        QVERIFY(buffer.empty());
        QCOMPARE(buffer.data(), nullptr);
        QVERIFY(buffer.view().empty());
        QVERIFY(buffer.equals({}));
        buffer.clear(); // clearing twice is harmless
        QVERIFY(buffer.empty());
    }

    void wipeZeroesOrdinaryMemory() {
        std::array<std::byte, 17> bytes{};
        std::ranges::fill(bytes, std::byte{0xff});
        coffer::crypto::wipe(bytes);
        QVERIFY(allZero(bytes));
    }

    void wipeEmptiesStringAndItsCapacity() {
        std::string text(100, 'x');
        text.resize(3);
        const char* memory = text.data();
        const std::size_t capacity = text.capacity();
        coffer::crypto::wipe(text);
        QVERIFY(text.empty());
        QCOMPARE(text.capacity(), capacity);
        QCOMPARE(static_cast<const void*>(text.data()), static_cast<const void*>(memory));
        // Still our allocation (same pointer and capacity), so reading it back is defined.
        QVERIFY(std::all_of(memory, memory + capacity, [](char c) { return c == '\0'; }));
    }

    void equals_data() {
        QTest::addColumn<QByteArray>("left");
        QTest::addColumn<QByteArray>("right");
        QTest::addColumn<bool>("expected");
        QTest::newRow("same") << QByteArray("secret") << QByteArray("secret") << true;
        QTest::newRow("last byte differs") << QByteArray("secret") << QByteArray("secreu") << false;
        QTest::newRow("first byte differs") << QByteArray("secret") << QByteArray("Secret") << false;
        QTest::newRow("prefix") << QByteArray("secret") << QByteArray("secre") << false;
        QTest::newRow("longer") << QByteArray("secret") << QByteArray("secrets") << false;
        QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("empty vs one") << QByteArray() << QByteArray("x") << false;
    }
    void equals() {
        QFETCH(QByteArray, left);
        QFETCH(QByteArray, right);
        QFETCH(bool, expected);
        QCOMPARE(SecureBuffer::copyOf(asSpan(left)).equals(asSpan(right)), expected);
    }

    void createReturnsZeroedBuffer() {
        auto buffer = SecureBuffer::create(64);
        QVERIFY(buffer.has_value());
        QCOMPARE(buffer->size(), std::size_t{64});
        QVERIFY(allZero(buffer->bytes()));

        auto empty = SecureBuffer::create(0);
        QVERIFY(empty.has_value());
        QVERIFY(empty->empty());
        QCOMPARE(empty->data(), nullptr);
    }

    void createReportsExhaustion_data() {
        QTest::addColumn<std::size_t>("size");
        QTest::newRow("SIZE_MAX") << std::numeric_limits<std::size_t>::max();
        QTest::newRow("half the address space") << std::numeric_limits<std::size_t>::max() / 2;
    }
    void createReportsExhaustion() {
        QFETCH(std::size_t, size);
        const auto buffer = SecureBuffer::create(size);
        QVERIFY(!buffer.has_value());
        QCOMPARE(buffer.error(), Error::OutOfMemory);
    }

    // Small buffers are blocks of shared slabs (crypto/detail/SecurePool.h): each must still start zeroed,
    // hold every byte it was asked for, be wiped the moment it is freed, and be reused rather than leaked.
    void smallBuffersAreWipedWhenFreedAndReused_data() {
        QTest::addColumn<std::size_t>("size");
        for (const std::size_t size :
             {std::size_t{1}, std::size_t{32}, std::size_t{33}, std::size_t{1000}, pool::kPooledMaxBytes}) {
            QTest::addRow("%zu bytes", size) << size;
        }
    }
    void smallBuffersAreWipedWhenFreedAndReused() {
        QFETCH(std::size_t, size);
        SecureBuffer buffer(size);
        QVERIFY(allZero(buffer.bytes()));
        std::ranges::fill(buffer.bytes(), std::byte{0xa5});
        std::byte* const block = buffer.data();
        const std::size_t blockBytes = pool::securePoolExtent(size).blockBytes;
        QVERIFY(blockBytes >= size && blockBytes < 2 * size + 32);
        const std::size_t freeBefore = pool::securePoolExtent(size).freeBlocks;
        buffer.clear();
        QCOMPARE(pool::securePoolExtent(size).freeBlocks, freeBefore + 1);
        // The slab stays mapped, so the freed block can be read: every byte of it, not only `size`, is zero.
        QVERIFY(allZero(std::span<const std::byte>(block, blockBytes)));
        const SecureBuffer next(size);
        QCOMPARE(next.data(), block); // the block is reused, not leaked
        QVERIFY(allZero(next.bytes()));
    }

    void manySmallBuffersShareFewSlabs() {
        const std::size_t slabsBefore = pool::securePoolExtent(33).slabs;
        std::vector<SecureBuffer> buffers;
        for (int i = 0; i < 10000; ++i) {
            buffers.push_back(SecureBuffer::copyOf(std::string_view(std::string(33, static_cast<char>('a' + i % 26)))));
        }
        // 10,000 blocks of 64 bytes fill 10 slabs of 64 KiB (one sodium_malloc region each, not 10,000).
        QVERIFY(pool::securePoolExtent(33).slabs - slabsBefore <= 10);
        for (int i = 0; i < 10000; ++i) {
            QCOMPARE(buffers[static_cast<std::size_t>(i)].view(), std::string(33, static_cast<char>('a' + i % 26)));
        }
        buffers.clear();
        const std::size_t slabsAfter = pool::securePoolExtent(33).slabs;
        for (int i = 0; i < 10000; ++i) {
            buffers.emplace_back(33);
        }
        QCOMPARE(pool::securePoolExtent(33).slabs, slabsAfter); // the freed blocks are used again
    }

    void largeBuffersHaveARegionOfTheirOwn() {
        const std::size_t slabsBefore = pool::securePoolExtent(1).slabs;
        SecureBuffer large(pool::kPooledMaxBytes + 1);
        QVERIFY(allZero(large.bytes()));
        std::ranges::fill(large.bytes(), std::byte{0x5a});
        QCOMPARE(pool::securePoolExtent(1).slabs, slabsBefore);
        large.clear();
        QVERIFY(large.empty());
    }

    void threadsShareThePool() {
        auto work = [](char mark, bool* ok) {
            std::vector<SecureBuffer> held;
            for (int i = 0; i < 20000; ++i) {
                held.push_back(SecureBuffer::copyOf(std::string_view(std::string(1 + i % 100, mark))));
                if (held.size() > 50) {
                    held.erase(held.begin(), held.begin() + 25);
                }
                for (const auto& buffer : held) {
                    if (buffer.view().find_first_not_of(mark) != std::string_view::npos) {
                        *ok = false;
                        return;
                    }
                }
            }
        };
        bool ok[3] = {true, true, true};
        std::thread first(work, 'x', &ok[0]);
        std::thread second(work, 'y', &ok[1]);
        work('z', &ok[2]);
        first.join();
        second.join();
        QVERIFY(ok[0] && ok[1] && ok[2]);
    }
};

QTEST_GUILESS_MAIN(TestSecureBuffer)
#include "TestSecureBuffer.moc"
