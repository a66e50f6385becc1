// SPDX-License-Identifier: Apache-2.0
// TestStore: environment logs and pages, nonces, sessions, the access log, concurrency.
#include "TestStore.h"

#include <atomic>
#include <limits>
#include <set>
#include <thread>

// Environment logs

void TestStore::recordsCompareAndAppend() {
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    auto empty = m_store->environmentHead(team, env);
    STORE_OK(empty);
    QCOMPARE(*empty, ChainHead{});

    const auto first = batch(0, 3, "one");
    auto appended = m_store->appendRecords(team, env, ChainHead{}, first);
    STORE_OK(appended);
    QVERIFY(appended->appended);
    QCOMPARE(appended->head, headOf(first));

    // Another writer that also started from the empty log loses, and gets the head that won.
    auto lost = m_store->appendRecords(team, env, ChainHead{}, batch(0, 2, "two"));
    STORE_OK(lost);
    QVERIFY(!lost->appended);
    QCOMPARE(lost->head, headOf(first));

    const auto second = batch(3, 2, "two");
    appended = m_store->appendRecords(team, env, headOf(first), second);
    STORE_OK(appended);
    QVERIFY(appended->appended);
    auto head = m_store->environmentHead(team, env);
    STORE_OK(head);
    QCOMPARE(*head, headOf(second));

    // The wire's all-zero hash for an empty log means the same as "".
    const std::string otherEnv = hex('6');
    appended = m_store->appendRecords(team, otherEnv, ChainHead{0, hex('0')}, batch(0, 1, "z"));
    STORE_OK(appended);
    QVERIFY(appended->appended);

    auto count = m_store->recordCount();
    STORE_OK(count);
    QCOMPARE(*count, 6U);
    auto all = m_store->readRecords(team, env, 0, 100);
    STORE_OK(all);
    QCOMPARE(all->size(), 5U);
    QCOMPARE(all->at(3).recordId, std::string("two-4"));
    QCOMPARE(all->at(3).authorId, ownerId);
    QCOMPARE(all->at(3).json, second.front().json);
    QVERIFY(!all->at(3).batchEnd);
    QVERIFY(all->at(4).batchEnd);
}

void TestStore::recordsRejectBadBatches() {
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    const auto first = batch(0, 2, "one");
    auto appended = m_store->appendRecords(team, env, ChainHead{}, first);
    STORE_OK(appended);

    auto gap = m_store->appendRecords(team, env, headOf(first), batch(3, 1, "gap"));
    QVERIFY(!gap);
    QCOMPARE(gap.error().code, StoreErrorCode::Invalid);
    auto open = batch(2, 2, "open");
    open.back().batchEnd = false;
    auto unterminated = m_store->appendRecords(team, env, headOf(first), open);
    QVERIFY(!unterminated);
    QCOMPARE(unterminated.error().code, StoreErrorCode::Invalid);
    auto nothing = m_store->appendRecords(team, env, headOf(first), {});
    QVERIFY(!nothing);
    auto noTeam = m_store->appendRecords(hex('7'), env, ChainHead{}, batch(0, 1, "x"));
    QVERIFY(!noTeam);
    QCOMPARE(noTeam.error().code, StoreErrorCode::Invalid);

    // Text with a NUL byte cannot be stored (libpq sends C strings): refused the same way on both backends.
    auto withNul = batch(2, 1, "nul");
    withNul.back().json = std::string("{\"x\":\"a") + '\0' + "b\"}";
    auto nul = m_store->appendRecords(team, env, headOf(first), withNul);
    QVERIFY(!nul);
    QCOMPARE(nul.error().code, StoreErrorCode::Invalid);

    // A record id already in this log: refused, and nothing of the batch is kept.
    auto reused = batch(2, 2, "new");
    reused.back().recordId = first.front().recordId;
    auto duplicate = m_store->appendRecords(team, env, headOf(first), reused);
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, StoreErrorCode::Invalid);
    auto head = m_store->environmentHead(team, env);
    STORE_OK(head);
    QCOMPARE(*head, headOf(first));
    // The same id in another environment is fine.
    auto elsewhere = m_store->appendRecords(team, hex('6'), ChainHead{}, batch(0, 1, "one"));
    STORE_OK(elsewhere);
    QVERIFY(elsewhere->appended);
}

void TestStore::largeBatches() {
    // Batches are inserted many rows per statement: a batch that spans several statements is kept whole or
    // not at all.
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    const auto big = batch(0, 250, "big");
    auto appended = m_store->appendRecords(team, env, ChainHead{}, big);
    STORE_OK(appended);
    QVERIFY(appended->appended);
    auto rows = m_store->readRecords(team, env, 0, 1000);
    STORE_OK(rows);
    QCOMPARE(rows->size(), 250U);
    for (std::size_t i = 0; i < rows->size(); ++i) {
        QCOMPARE(rows->at(i).seq, i + 1);
        QCOMPARE(rows->at(i).recordId, big[i].recordId);
        QCOMPARE(rows->at(i).hash, big[i].hash);
    }
    auto late = batch(250, 150, "late");
    late[120].recordId = big[7].recordId; // in the second statement of the batch
    auto refused = m_store->appendRecords(team, env, appended->head, late);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, StoreErrorCode::Invalid);
    auto count = m_store->recordCount();
    STORE_OK(count);
    QCOMPARE(*count, 250U);
}

void TestStore::pagesEndOnBatchEnd_data() {
    // The log holds batches of 3, 1 and 4 records: seqs 1-3, 4, 5-8.
    QTest::addColumn<quint64>("after");
    QTest::addColumn<quint64>("limit");
    QTest::addColumn<quint64>("firstSeq");
    QTest::addColumn<quint64>("lastSeq");
    QTest::newRow("page inside the first batch runs to its end") << 0ULL << 1ULL << 1ULL << 3ULL;
    QTest::newRow("page ends on a batch end") << 0ULL << 3ULL << 1ULL << 3ULL;
    QTest::newRow("two batches") << 0ULL << 4ULL << 1ULL << 4ULL;
    QTest::newRow("into the third batch") << 0ULL << 5ULL << 1ULL << 8ULL;
    QTest::newRow("from the second batch") << 3ULL << 2ULL << 4ULL << 8ULL;
    QTest::newRow("everything") << 0ULL << 1000ULL << 1ULL << 8ULL;
    QTest::newRow("huge limit") << 2ULL << quint64(std::numeric_limits<std::size_t>::max()) << 3ULL << 8ULL;
    QTest::newRow("after the head") << 8ULL << 10ULL << 0ULL << 0ULL;
    QTest::newRow("limit zero") << 0ULL << 0ULL << 0ULL << 0ULL;
    QTest::newRow("after beyond int64") << quint64(std::numeric_limits<std::uint64_t>::max()) << 5ULL << 0ULL << 0ULL;
}

void TestStore::pagesEndOnBatchEnd() {
    QFETCH(quint64, after);
    QFETCH(quint64, limit);
    QFETCH(quint64, firstSeq);
    QFETCH(quint64, lastSeq);
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    ChainHead head;
    for (const std::uint64_t size : {3U, 1U, 4U}) {
        const auto rows = batch(head.seq, size, "b");
        auto appended = m_store->appendRecords(team, env, head, rows);
        STORE_OK(appended);
        QVERIFY(appended->appended);
        head = appended->head;
    }
    auto page = m_store->readRecords(team, env, after, static_cast<std::size_t>(limit));
    STORE_OK(page);
    if (lastSeq == 0) {
        QVERIFY(page->empty());
        return;
    }
    QVERIFY(!page->empty());
    QCOMPARE(page->front().seq, firstSeq);
    QCOMPARE(page->back().seq, lastSeq);
    QCOMPARE(page->size(), lastSeq - firstSeq + 1);
    QVERIFY(page->back().batchEnd);
}

// Nonces, sessions, access log

void TestStore::noncesRefuseReplay() {
    auto fresh = m_store->useNonce(ownerKey, "nonce-1", 1000);
    STORE_OK(fresh);
    QVERIFY(*fresh);
    auto replay = m_store->useNonce(ownerKey, "nonce-1", 1001);
    STORE_OK(replay);
    QVERIFY(!*replay);
    auto otherKey = m_store->useNonce(hex('2'), "nonce-1", 1000);
    STORE_OK(otherKey);
    QVERIFY(*otherKey);

    // Another instance on the same database sees the same nonces. (On SQLite the serving instance writes
    // them behind, and no other instance serves the file: a flush puts them where a second opener reads.)
    STORE_OK(m_store->flush());
    auto second = openAgain();
    QVERIFY(second);
    auto replayElsewhere = second->useNonce(ownerKey, "nonce-1", 1002);
    STORE_OK(replayElsewhere);
    QVERIFY(!*replayElsewhere);

    STORE_OK(m_store->useNonce(ownerKey, "nonce-2", 2000));
    STORE_OK(m_store->pruneNonces(1500));
    auto afterPrune = m_store->useNonce(ownerKey, "nonce-1", 3000); // pruned: outside the time window anyway
    STORE_OK(afterPrune);
    QVERIFY(*afterPrune);
    auto kept = m_store->useNonce(ownerKey, "nonce-2", 3000);
    STORE_OK(kept);
    QVERIFY(!*kept);
}

void TestStore::sessionsExpire() {
    const std::string session = hex('8');
    STORE_OK(m_store->putSession(session, ownerKey, 1600));
    auto device = m_store->sessionDeviceKey(session, 1000);
    STORE_OK(device);
    QCOMPARE(device->value_or(""), ownerKey);
    auto expired = m_store->sessionDeviceKey(session, 1600);
    STORE_OK(expired);
    QVERIFY(!expired->has_value());
    STORE_OK(m_store->putSession(session, ownerKey, 2200)); // the same device renews
    device = m_store->sessionDeviceKey(session, 1600);
    STORE_OK(device);
    QCOMPARE(device->value_or(""), ownerKey);

    auto hijack = m_store->putSession(session, hex('2'), 9000);
    QVERIFY(!hijack);
    QCOMPARE(hijack.error().code, StoreErrorCode::Invalid);
    device = m_store->sessionDeviceKey(session, 1600);
    STORE_OK(device);
    QCOMPARE(device->value_or(""), ownerKey);
    auto unknown = m_store->sessionDeviceKey(hex('9'), 1000);
    STORE_OK(unknown);
    QVERIFY(!unknown->has_value());
}

void TestStore::accessLog() {
    QVERIFY(makeTeam(*m_store, team));
    QVERIFY(makeTeam(*m_store, hex('b')));
    STORE_OK(m_store->logAccess(team, {100, hex('3'), hex('5'), "read"}));
    STORE_OK(m_store->logAccess(team, {200, hex('4'), hex('5'), "write"}));
    STORE_OK(m_store->logAccess(team, {200, hex('3'), hex('6'), "read"}));
    STORE_OK(m_store->logAccess(hex('b'), {150, hex('3'), hex('5'), "read"}));

    auto all = m_store->readAccessLog(team, 0, 10);
    STORE_OK(all);
    QCOMPARE(all->size(), 3U);
    QCOMPARE(all->at(0).time, 100);
    QCOMPARE(all->at(1).memberId, hex('4'));
    QCOMPARE(all->at(1).action, std::string("write"));
    QCOMPARE(all->at(2).environment, hex('6'));
    auto since = m_store->readAccessLog(team, 200, 10);
    STORE_OK(since);
    QCOMPARE(since->size(), 2U);
    auto limited = m_store->readAccessLog(team, 0, 1);
    STORE_OK(limited);
    QCOMPARE(limited->size(), 1U);
    QCOMPARE(limited->front().time, 100);

    auto noTeam = m_store->logAccess(hex('7'), {100, hex('3'), hex('5'), "read"});
    QVERIFY(!noTeam);
    QCOMPARE(noTeam.error().code, StoreErrorCode::Invalid);
}

// Concurrency: on PostgreSQL every thread is its own instance (its own Store and connections); on SQLite,
// where one instance serves a file, the threads share the one Store.

void TestStore::singleUseUnderConcurrency() {
    QVERIFY(makeTeam(*m_store, team));
    STORE_OK(m_store->addTeamCode(hex('c'), 2000));
    STORE_OK(m_store->addInvite(team, hex('1'), ownerId, 2000));
    constexpr int threadCount = 6;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < threadCount && StoreTestBackend::postgres(); ++i) {
        stores.push_back(openAgain());
        QVERIFY(stores.back());
    }
    std::atomic<int> codesWon{0};
    std::atomic<int> invitesWon{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < threadCount; ++i) {
        Store& store = stores.empty() ? *m_store : *stores[static_cast<std::size_t>(i)];
        threads.emplace_back([&store, i, &codesWon, &invitesWon, &errors] {
            auto code = store.consumeTeamCode(hex('c'), 1000);
            auto invite = store.acceptInvite(team, hex('1'), InviteAcceptance{hex(char('0' + i)), "{}", 1000}, 1000);
            errors += (code ? 0 : 1) + (invite ? 0 : 1);
            codesWon += code && *code ? 1 : 0;
            invitesWon += invite && *invite ? 1 : 0;
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    QCOMPARE(errors.load(), 0);
    QCOMPARE(codesWon.load(), 1);
    QCOMPARE(invitesWon.load(), 1);
    auto acceptances = m_store->inviteAcceptances(team);
    STORE_OK(acceptances);
    QCOMPARE(acceptances->size(), 1U);
}

void TestStore::concurrentAppends_data() {
    QTest::addColumn<bool>("storePerThread");
    QTest::newRow("one shared store") << false;
    if (StoreTestBackend::postgres()) {
        QTest::newRow("a store per thread (instances)") << true;
    }
}

void TestStore::concurrentAppends() {
    QFETCH(bool, storePerThread);
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    constexpr int threadCount = 4;
    constexpr int batchesPerThread = 8;
    constexpr std::uint64_t batchSize = 3;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < threadCount && storePerThread; ++i) {
        stores.push_back(openAgain());
        QVERIFY(stores.back());
    }
    std::atomic<int> failures{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < threadCount; ++t) {
        Store& store = stores.empty() ? *m_store : *stores[static_cast<std::size_t>(t)];
        threads.emplace_back([&store, t, &env, &failures, &conflicts] {
            for (int b = 0; b < batchesPerThread; ++b) {
                auto head = store.environmentHead(team, env);
                for (int attempt = 0; head && attempt < 1000; ++attempt) {
                    auto rows = batch(head->seq, batchSize, "t" + std::to_string(t));
                    for (std::size_t i = 0; i < rows.size(); ++i) {
                        rows[i].recordId = "t" + std::to_string(t) + "-b" + std::to_string(b) + "-" + std::to_string(i);
                    }
                    auto outcome = store.appendRecords(team, env, *head, rows);
                    if (!outcome) {
                        failures += 1;
                        return;
                    }
                    if (outcome->appended) {
                        break;
                    }
                    conflicts += 1;
                    *head = outcome->head; // retry on the head that won
                }
                if (!head) {
                    failures += 1;
                    return;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    QCOMPARE(failures.load(), 0);
    const std::uint64_t total = threadCount * batchesPerThread * batchSize;
    auto records = m_store->readRecords(team, env, 0, 100000);
    STORE_OK(records);
    QCOMPARE(records->size(), total);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < records->size(); ++i) {
        QCOMPARE(records->at(i).seq, i + 1); // contiguous, no gap, no duplicate
        ids.insert(records->at(i).recordId);
    }
    QCOMPARE(ids.size(), total); // every record stored exactly once
    auto count = m_store->recordCount();
    STORE_OK(count);
    QCOMPARE(*count, total);
    qInfo("%d conflicts resolved by retrying", conflicts.load());
}
