// SPDX-License-Identifier: Apache-2.0
// Done when, third bullet: alice revokes bob. A new epoch for every environment he could read; he cannot read
// anything written afterwards, even holding a copy of the server's whole database file (every record of it tried
// with every key his vault has); the exposure report lists exactly the secrets he could read; each stays "to
// rotate" until it gets a new version.
#include "crypto/Random.h"
#include "model/Database.h"
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "tests/sync/integration/SyncFixture.h"
#include "tests/sync/integration/TamperingTransport.h"

#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>
#include <sqlcipher/sqlite3.h>

#include <set>
#include <tuple>

using namespace Qt::StringLiterals;
using namespace coffer;
using namespace coffer::tests;

class TestRevocation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void revokeBob();
    void removedMemberAppendsAtOldEpoch_data();
    void removedMemberAppendsAtOldEpoch();
};

namespace {

/// Every environment key in a vault (sync_keys), as the member holds them.
std::vector<crypto::AeadKey> allKeys(VaultMember& member) {
    std::vector<crypto::AeadKey> keys;
    auto q = member.vault->database().prepare("SELECT key FROM sync_keys");
    if (!q) {
        return keys;
    }
    while (true) {
        auto row = q->step();
        if (!row || !*row) {
            break;
        }
        const auto bytes = q->columnSecret(0);
        if (auto key = crypto::AeadKey::fromBytes(bytes.bytes())) {
            keys.push_back(std::move(*key));
        }
    }
    return keys;
}

/// Every change record stored in a coffer-server SQLite database file, decoded from its JSON column.
std::expected<std::vector<protocol::ChangeRecord>, QString> recordsInDatabase(const QString& path) {
    sqlite3* db = nullptr;
    const QByteArray file = path.toUtf8();
    if (sqlite3_open_v2(file.constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return std::unexpected(u"cannot open the copied server database"_s);
    }
    std::vector<protocol::ChangeRecord> records;
    sqlite3_stmt* statement = nullptr;
    QString problem;
    if (sqlite3_prepare_v2(db, "SELECT json FROM records ORDER BY environment, seq", -1, &statement, nullptr) !=
        SQLITE_OK) {
        problem = u"no records table: "_s + QString::fromUtf8(sqlite3_errmsg(db));
    }
    while (problem.isEmpty() && sqlite3_step(statement) == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        auto json = nlohmann::json::parse(text != nullptr ? text : "", nullptr, false);
        auto record = protocol::recordFromJson(json);
        if (!record) {
            problem = u"a stored record does not decode"_s;
            break;
        }
        records.push_back(std::move(*record));
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    if (!problem.isEmpty()) {
        return std::unexpected(problem);
    }
    return records;
}

} // namespace

void TestRevocation::revokeBob() {
    SyncFixture fixture;
    SYNC_VERIFY(fixture.start());
    auto alice = fixture.makeMember(u"alice"_s);
    SYNC_VERIFY(alice);
    auto bob = fixture.makeMember(u"bob"_s);
    SYNC_VERIFY(bob);
    auto carol = fixture.makeMember(u"carol"_s);
    SYNC_VERIFY(carol);
    auto world = fixture.buildTeam(
        **alice, {Invitee{bob->get(), {{u"dev"_s, protocol::Access::Write}, {u"prod"_s, protocol::Access::Read}}},
                  Invitee{carol->get(), {{u"dev"_s, protocol::Access::Write}, {u"prod"_s, protocol::Access::Read}}}});
    SYNC_VERIFY(world);
    VaultMember& a = **alice;
    VaultMember& b = **bob;
    VaultMember& c = **carol;
    const auto devId = world->shared.at(u"dev"_s).id;
    const auto prodId = world->shared.at(u"prod"_s).id;
    const auto stagingId = world->shared.at(u"staging"_s).id;
    const std::int64_t aliceDev = world->aliceEnvironments.at(u"dev"_s);
    const std::int64_t aliceProd = world->aliceEnvironments.at(u"prod"_s);

    // bob read dev and prod before the revocation (the server's access log has his pulls).
    auto bobDev = b.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(bobDev);
    QCOMPARE(b.value(*bobDev, u"API_KEY"_s), std::optional(QByteArray("dev-API_KEY-v1")));
    const auto bobBefore = b.snapshot();

    auto bobInfo = a.team->findMember(world->team, u"bob"_s);
    SYNC_VERIFY(bobInfo);
    auto report = a.team->removeMember(world->team, bobInfo->id);
    SYNC_VERIFY(report);

    // A new epoch for each environment bob could read; staging (which he could not) keeps its epoch.
    auto aliceState = sync::TeamState::load(a.vault->database(), world->team);
    SYNC_VERIFY(aliceState);
    QCOMPARE(aliceState->currentEpoch(devId), std::uint64_t{2});
    QCOMPARE(aliceState->currentEpoch(prodId), std::uint64_t{2});
    QCOMPARE(aliceState->currentEpoch(stagingId), std::uint64_t{1});
    QVERIFY(!aliceState->access(devId, 2, bobInfo->id).has_value());
    QVERIFY(aliceState->access(devId, 2, aliceState->me().id).has_value());

    // The exposure report lists exactly what bob could read: dev and prod, every live secret, the version he saw.
    using Exposed = std::tuple<QString, QString, int>;
    std::set<Exposed> listed;
    for (const auto& secret : report->secrets) {
        listed.emplace(secret.environment, secret.name, secret.version);
        QCOMPARE(secret.project, u"app"_s);
    }
    const std::set<Exposed> expected = {
        {u"dev"_s, u"API_KEY"_s, 1}, {u"dev"_s, u"DB_URL"_s, 1},         {u"prod"_s, u"API_KEY"_s, 1},
        {u"prod"_s, u"DB_URL"_s, 1}, {u"prod"_s, u"SMTP_PASSWORD"_s, 1}, {u"prod"_s, u"STRIPE_KEY"_s, 1},
    };
    QCOMPARE(listed, expected);
    QCOMPARE(report->secrets.size(), expected.size());
    QCOMPARE(report->memberName, u"bob"_s);
    QVERIFY2(report->accessLogError.isEmpty(), qPrintable(report->accessLogError));
    const QString access = report->serverAccess.join(u'\n');
    QVERIFY2(access.contains(u"app/dev"_s) && access.contains(u"app/prod"_s), qPrintable(access));
    QVERIFY2(!access.contains(u"staging"_s), qPrintable(access));

    // Each listed secret is to rotate.
    auto toRotate = a.team->rotationList();
    SYNC_VERIFY(toRotate);
    QCOMPARE(toRotate->size(), expected.size());
    for (const auto& item : *toRotate) {
        QVERIFY(!item.rotated);
        QCOMPARE(item.memberName, u"bob"_s);
    }

    // alice rotates two of them (new writes at the new epoch); the other four stay on the list.
    SYNC_VERIFY(a.set(aliceDev, u"DB_URL"_s, "dev-DB_URL-rotated"));
    SYNC_VERIFY(a.set(aliceProd, u"STRIPE_KEY"_s, "prod-STRIPE_KEY-rotated"));
    SYNC_VERIFY(a.set(aliceDev, u"NEW_AFTER_REVOKE"_s, "written-after-bob-left"));
    auto aliceSync = a.engine->syncAll();
    SYNC_VERIFY(aliceSync);
    QVERIFY2(aliceSync->ok(), qPrintable(describe(*aliceSync)));
    toRotate = a.team->rotationList();
    SYNC_VERIFY(toRotate);
    QCOMPARE(toRotate->size(), std::size_t{4});
    for (const auto& item : *toRotate) {
        QVERIFY(!(item.environment == u"dev"_s && item.name == u"DB_URL"_s));
        QVERIFY(!(item.environment == u"prod"_s && item.name == u"STRIPE_KEY"_s));
    }
    auto withDone = a.team->rotationList(true);
    SYNC_VERIFY(withDone);
    QCOMPARE(withDone->size(), std::size_t{6});
    QCOMPARE(std::ranges::count_if(*withDone, [](const sync::RotationItem& item) { return item.rotated; }),
             std::ptrdiff_t{2});

    // carol, who stays, reads the new writes.
    auto carolSync = c.engine->syncAll();
    SYNC_VERIFY(carolSync);
    QVERIFY2(carolSync->ok(), qPrintable(describe(*carolSync)));
    auto carolDev = c.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(carolDev);
    QCOMPARE(c.value(*carolDev, u"DB_URL"_s), std::optional(QByteArray("dev-DB_URL-rotated")));
    QCOMPARE(c.value(*carolDev, u"NEW_AFTER_REVOKE"_s), std::optional(QByteArray("written-after-bob-left")));

    // bob's client gets nothing new: the server refuses him, and nothing in his vault changed.
    auto bobSync = b.engine->syncAll();
    SYNC_VERIFY(bobSync);
    QVERIFY2(!bobSync->ok(), qPrintable(describe(*bobSync)));
    QCOMPARE(b.snapshot(), bobBefore);

    // The other secrets get new versions too: the list empties.
    SYNC_VERIFY(a.set(aliceDev, u"API_KEY"_s, "dev-API_KEY-rotated"));
    for (const QString& name : {u"API_KEY"_s, u"DB_URL"_s, u"SMTP_PASSWORD"_s}) {
        SYNC_VERIFY(a.set(aliceProd, name, (u"prod-"_s + name + u"-rotated"_s).toUtf8()));
    }
    aliceSync = a.engine->syncAll();
    SYNC_VERIFY(aliceSync);
    QVERIFY2(aliceSync->ok(), qPrintable(describe(*aliceSync)));
    toRotate = a.team->rotationList();
    SYNC_VERIFY(toRotate);
    QCOMPARE(toRotate->size(), std::size_t{0});

    // Even with the server's whole database: every record written at the new epoch resists every key bob has.
    SYNC_VERIFY(fixture.stopServer());
    const QString stolen = fixture.tempPath(u"stolen-server.db"_s);
    QVERIFY(QFile::copy(fixture.sqlitePath(), stolen));
    if (QFile::exists(fixture.sqlitePath() + u"-wal"_s)) {
        QVERIFY(QFile::copy(fixture.sqlitePath() + u"-wal"_s, stolen + u"-wal"_s));
    }
    auto records = recordsInDatabase(stolen);
    SYNC_VERIFY(records);
    const auto bobKeys = allKeys(b);
    QVERIFY(!bobKeys.empty());
    int oldOpened = 0;
    int newRecords = 0;
    for (const auto& record : *records) {
        bool opened = false;
        for (const auto& key : bobKeys) {
            opened = opened || protocol::openChange(record, key).has_value();
        }
        if (record.epoch >= 2) {
            ++newRecords;
            QVERIFY2(!opened,
                     qPrintable(u"bob's keys open a record of epoch %1 at seq %2"_s.arg(record.epoch).arg(record.seq)));
        } else if (record.environment != stagingId && opened) {
            ++oldOpened;
        }
    }
    // The attempt is real: bob's keys do open what he could read before, and there is something new to try.
    QVERIFY(oldOpened > 0);
    QVERIFY2(newRecords >= 7, qPrintable(u"%1 records at the new epoch"_s.arg(newRecords)));
}

void TestRevocation::removedMemberAppendsAtOldEpoch_data() {
    QTest::addColumn<bool>("newEpochWritten");
    QTest::newRow("right after the revocation: refused") << false;
    QTest::newRow("after a write at the new epoch: refused") << true;
}

// A removed member who colludes with the server appends a record at the old epoch (the real server refuses it;
// the colluding server serves it to carol). The revocation itself pushed the scope record again at the new
// epoch, and epochs never decrease along a log, so carol's client stops that environment (Regression) and applies
// nothing of it, with or without a write at the new epoch since. Before that re-push existed, the record verified
// (bob held write access at epoch 1) and was applied until the first write at the new epoch.
void TestRevocation::removedMemberAppendsAtOldEpoch() {
    QFETCH(bool, newEpochWritten);
    SyncFixture fixture;
    SYNC_VERIFY(fixture.start());
    auto alice = fixture.makeMember(u"alice"_s);
    SYNC_VERIFY(alice);
    auto bob = fixture.makeMember(u"bob"_s);
    SYNC_VERIFY(bob);
    auto carol = fixture.makeMember(u"carol"_s);
    SYNC_VERIFY(carol);
    auto world = fixture.buildTeam(**alice, {Invitee{bob->get(), {{u"dev"_s, protocol::Access::Write}}},
                                             Invitee{carol->get(), {{u"dev"_s, protocol::Access::Write}}}});
    SYNC_VERIFY(world);
    VaultMember& a = **alice;
    VaultMember& b = **bob;
    VaultMember& c = **carol;
    const auto devId = world->shared.at(u"dev"_s).id;
    auto bobInfo = a.team->findMember(world->team, u"bob"_s);
    SYNC_VERIFY(bobInfo);
    SYNC_VERIFY(a.team->removeMember(world->team, bobInfo->id));
    // The revocation left nothing waiting: the scope record at epoch 2 is on the server already.
    auto alicePending = a.engine->pendingChanges();
    SYNC_VERIFY(alicePending);
    QCOMPARE(*alicePending, std::size_t{0});
    if (newEpochWritten) {
        SYNC_VERIFY(a.set(world->aliceEnvironments.at(u"dev"_s), u"DB_URL"_s, "alice-at-epoch-2"));
        auto synced = a.engine->syncAll();
        SYNC_VERIFY(synced);
        QVERIFY2(synced->ok(), qPrintable(describe(*synced)));
    }
    auto carolSync = c.engine->syncAll();
    SYNC_VERIFY(carolSync);
    QVERIFY2(carolSync->ok(), qPrintable(describe(*carolSync)));
    auto carolDev = c.environmentId(u"app"_s, u"dev"_s);
    SYNC_VERIFY(carolDev);
    const auto valueBefore = c.value(*carolDev, u"DB_URL"_s);
    QCOMPARE(valueBefore, std::optional(QByteArray(newEpochWritten ? "alice-at-epoch-2" : "dev-DB_URL-v1")));

    // bob's forged record: epoch 1, his key, his signature, chained onto the server's head.
    auto bobState = sync::TeamState::load(b.vault->database(), world->team);
    SYNC_VERIFY(bobState);
    const crypto::AeadKey* oldKey = bobState->key(devId, 1);
    QVERIFY(oldKey != nullptr);
    auto aliceState = sync::TeamState::load(a.vault->database(), world->team);
    SYNC_VERIFY(aliceState);
    auto transport = sync::makeCurlTransport(aliceState->transportOptions());
    SYNC_VERIFY(transport);
    sync::ServerClient aliceClient(**transport, aliceState->me().sign);
    auto served = aliceClient.pull(world->team, devId, 0);
    SYNC_VERIFY(served);
    QVERIFY(!served->records.empty());
    QCOMPARE(served->records.back().epoch, std::uint64_t{2});
    protocol::ChangeRecord forged;
    forged.team = world->team;
    forged.environment = devId;
    forged.epoch = 1;
    forged.id = crypto::randomArray<16>();
    forged.author = bobState->me().id;
    std::vector<protocol::ChangeRecord> records{forged};
    std::vector<protocol::Change> changes(1);
    changes[0].op = protocol::ChangeOp::Set;
    changes[0].name = "DB_URL";
    changes[0].value = crypto::SecureBuffer::copyOf(std::string_view("forged-by-removed-bob"));
    protocol::sealAndSignBatch(records, changes, served->head, *oldKey, bobState->me().sign.secretKey);

    TamperPlan plan;
    plan.mode = Tamper::AppendRecords;
    plan.team = world->team;
    plan.target = devId;
    plan.appended = records;
    auto colluding = std::make_shared<TamperingTransport>(std::move(plan));
    TamperingTransport::install(*c.network, colluding);
    auto result = c.engine->syncAll();
    SYNC_VERIFY(result);
    QVERIFY2(colluding->tampered() > 0, "the colluding server never served the record");
    const auto* run = findEnvironment(*result, *carolDev);
    QVERIFY(run != nullptr);
    QVERIFY2(run->error && run->error->code == sync::ErrorCode::Integrity && run->error->check &&
                 run->error->check->code == protocol::ErrorCode::Regression,
             qPrintable(describe(*result)));
    QCOMPARE(c.value(*carolDev, u"DB_URL"_s), valueBefore);
    auto secret = c.store->secret(*carolDev, u"DB_URL"_s);
    SYNC_VERIFY(secret);
    auto history = c.store->history(secret->id);
    SYNC_VERIFY(history);
    QVERIFY(std::ranges::none_of(*history, [](const auto& version) { return version.author == u"bob"_s; }));
    QVERIFY(fixture.stopServer().has_value());
}

QTEST_GUILESS_MAIN(TestRevocation)
#include "TestRevocation.moc"
