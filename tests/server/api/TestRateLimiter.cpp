// SPDX-License-Identifier: Apache-2.0
// The token bucket with an injected clock: burst, refill, Retry-After, independent keys, bounded memory.
#include "server/RateLimiter.h"

#include <QTest>

using namespace coffer::server;

namespace {

class FakeClock final : public Clock {
public:
    [[nodiscard]] std::int64_t unixSeconds() const override { return 0; }
    [[nodiscard]] std::int64_t monotonicNanoseconds() const override { return nanoseconds; }
    void advanceMs(std::int64_t ms) { nanoseconds += ms * 1'000'000; }
    std::int64_t nanoseconds = 5'000'000'000;
};

} // namespace

class TestRateLimiter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefusal() {
        FakeClock clock;
        RateLimiter limiter(clock, 10, 5);
        for (int i = 0; i < 5; ++i)
            QVERIFY(limiter.take("a").allowed);
        const auto refused = limiter.take("a");
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterSeconds, std::int64_t{1});
    }

    void refillsAtTheRate() {
        FakeClock clock;
        RateLimiter limiter(clock, 10, 5);
        for (int i = 0; i < 5; ++i)
            QVERIFY(limiter.take("a").allowed);
        QVERIFY(!limiter.take("a").allowed);
        clock.advanceMs(99);
        QVERIFY(!limiter.take("a").allowed);
        clock.advanceMs(1);
        QVERIFY(limiter.take("a").allowed);
        QVERIFY(!limiter.take("a").allowed);
        // Never more than the burst, however long it was idle.
        clock.advanceMs(3'600'000);
        for (int i = 0; i < 5; ++i)
            QVERIFY(limiter.take("a").allowed);
        QVERIFY(!limiter.take("a").allowed);
    }

    void retryAfterIsWholeSecondsUntilATokenIsBack() {
        FakeClock clock;
        RateLimiter limiter(clock, 0.25, 1); // one token every 4 s
        QVERIFY(limiter.take("a").allowed);
        const auto refused = limiter.take("a");
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterSeconds, std::int64_t{4});
        clock.advanceMs(2500);
        QCOMPARE(limiter.take("a").retryAfterSeconds, std::int64_t{2});
    }

    void keysAreIndependent() {
        FakeClock clock;
        RateLimiter limiter(clock, 1, 2);
        QVERIFY(limiter.take("a").allowed);
        QVERIFY(limiter.take("a").allowed);
        QVERIFY(!limiter.take("a").allowed);
        QVERIFY(limiter.take("b").allowed);
        QVERIFY(limiter.take("b").allowed);
    }

    void zeroRateDisablesLimiting() {
        FakeClock clock;
        RateLimiter limiter(clock, 0, 1);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(limiter.take("a").allowed);
        QCOMPARE(limiter.bucketCount(), std::size_t{0});
    }

    void fullBucketsAreDropped() {
        FakeClock clock;
        RateLimiter limiter(clock, 100, 2);
        for (int i = 0; i < 5000; ++i) {
            QVERIFY(limiter.take("key" + std::to_string(i)).allowed);
            clock.advanceMs(1);
        }
        // Buckets idle for burst/rate (20 ms) are full again and need not be kept.
        QVERIFY2(limiter.bucketCount() < 2100, std::to_string(limiter.bucketCount()).c_str());
    }

    void aClockGoingBackwardsGivesNothingAway() {
        FakeClock clock;
        RateLimiter limiter(clock, 1, 1);
        QVERIFY(limiter.take("a").allowed);
        clock.nanoseconds -= 10'000'000'000;
        QVERIFY(!limiter.take("a").allowed);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "TestRateLimiter.moc"
