// SPDX-License-Identifier: Apache-2.0
// TestStore: set-up, migrations, URLs, codes, teams, invites, roster and grants.
#include "TestStore.h"

void TestStore::initTestCase() {
    std::string error;
    QVERIFY2(!m_backend.freshUrl(error).empty(), error.c_str());
    m_backend.clear();
}

void TestStore::init() {
    std::string error;
    m_url = m_backend.freshUrl(error);
    QVERIFY2(!m_url.empty(), error.c_str());
    auto opened = openStore(m_url);
    STORE_OK(opened);
    m_store = std::move(*opened);
}

void TestStore::cleanup() {
    m_store.reset();
    m_backend.clear();
}

std::unique_ptr<Store> TestStore::openAgain() {
    auto opened = openStore(m_url, StoreOptions{.instanceLock = false});
    if (!opened) {
        qWarning("cannot open a second store: %s", opened.error().detail.c_str());
        return nullptr;
    }
    return std::move(*opened);
}

bool TestStore::makeTeam(Store& store, const std::string& teamId) {
    const RosterRow genesis{0, "genesis-" + teamId, R"({"seq":0})"};
    const MemberRow owner{ownerId, ownerKey, "owner", false};
    auto created = store.createTeam(teamId, genesis, owner, 1000);
    return created && *created;
}

// Migrations

void TestStore::migrateFresh() {
    auto version = m_store->schemaVersion();
    STORE_OK(version);
    QCOMPARE(*version, latestVersion());
    auto count = m_store->recordCount();
    STORE_OK(count);
    QCOMPARE(*count, 0U);
}

void TestStore::migrateIdempotent() {
    QVERIFY(makeTeam(*m_store, team));
    STORE_OK(m_store->migrate());
    STORE_OK(m_store->migrate());
    m_store.reset();
    auto reopened = openStore(m_url);
    STORE_OK(reopened);
    auto version = (*reopened)->schemaVersion();
    STORE_OK(version);
    QCOMPARE(*version, latestVersion());
    auto exists = (*reopened)->teamExists(team);
    STORE_OK(exists);
    QVERIFY(*exists);
}

void TestStore::refusesNewerSchema() {
    m_store.reset();
    std::string error;
    QVERIFY2(m_backend.rawExec(
                 m_url, "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', 0)", error),
             error.c_str());
    auto opened = openStore(m_url);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, StoreErrorCode::Migration);
    QVERIFY2(opened.error().detail.find("999") != std::string::npos, opened.error().detail.c_str());
    const std::string ours = "version " + std::to_string(latestVersion());
    QVERIFY2(opened.error().detail.find(ours) != std::string::npos, opened.error().detail.c_str());
}

void TestStore::badUrl_data() {
    QTest::addColumn<QString>("url");
    QTest::newRow("empty") << QString();
    QTest::newRow("mysql") << QStringLiteral("mysql://localhost/coffer");
    QTest::newRow("bare path") << QStringLiteral("/var/lib/coffer-server/coffer-server.db");
    QTest::newRow("upper-case scheme") << QStringLiteral("SQLITE:/tmp/x.db");
    QTest::newRow("one slash") << QStringLiteral("postgresql:/localhost/coffer");
    QTest::newRow("sqlite without a path") << QStringLiteral("sqlite:");
}

void TestStore::badUrl() {
    QFETCH(QString, url);
    auto opened = openStore(url.toStdString());
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, StoreErrorCode::Invalid);
    QVERIFY2(opened.error().detail.find("sqlite:") != std::string::npos, opened.error().detail.c_str());
}

// Codes, teams, invites

void TestStore::teamCodesAreSingleUse() {
    STORE_OK(m_store->addTeamCode(hex('c'), 2000));
    auto first = m_store->consumeTeamCode(hex('c'), 1000);
    STORE_OK(first);
    QVERIFY(*first);
    auto again = m_store->consumeTeamCode(hex('c'), 1000);
    STORE_OK(again);
    QVERIFY(!*again);
    auto unknown = m_store->consumeTeamCode(hex('d'), 1000);
    STORE_OK(unknown);
    QVERIFY(!*unknown);
    auto duplicate = m_store->addTeamCode(hex('c'), 3000);
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, StoreErrorCode::Invalid);
}

void TestStore::teamCodesExpire() {
    STORE_OK(m_store->addTeamCode(hex('c'), 2000));
    auto atExpiry = m_store->consumeTeamCode(hex('c'), 2000);
    STORE_OK(atExpiry);
    QVERIFY(!*atExpiry);
    auto before = m_store->consumeTeamCode(hex('c'), 1999);
    STORE_OK(before);
    QVERIFY(*before);
}

void TestStore::createTeam() {
    auto missing = m_store->teamExists(team);
    STORE_OK(missing);
    QVERIFY(!*missing);
    auto emptyHead = m_store->rosterHead(team);
    STORE_OK(emptyHead);
    QCOMPARE(*emptyHead, ChainHead{});

    QVERIFY(makeTeam(*m_store, team));
    auto exists = m_store->teamExists(team);
    STORE_OK(exists);
    QVERIFY(*exists);
    auto twice =
        m_store->createTeam(team, RosterRow{0, "other", "{}"}, MemberRow{hex('f'), hex('2'), "owner", false}, 5);
    STORE_OK(twice);
    QVERIFY(!*twice);

    auto head = m_store->rosterHead(team);
    STORE_OK(head);
    QCOMPARE(*head, (ChainHead{0, "genesis-" + team}));
    auto roster = m_store->readRoster(team, 0);
    STORE_OK(roster);
    QCOMPARE(roster->size(), 1U);
    QCOMPARE(roster->front().json, std::string(R"({"seq":0})"));

    auto owner = m_store->memberBySignKey(team, ownerKey);
    STORE_OK(owner);
    QVERIFY(owner->has_value());
    QCOMPARE((*owner)->memberId, ownerId);
    QCOMPARE((*owner)->role, std::string("owner"));
    QVERIFY(!(*owner)->removed);
    auto stranger = m_store->memberBySignKey(team, hex('9'));
    STORE_OK(stranger);
    QVERIFY(!stranger->has_value());

    auto notGenesis =
        m_store->createTeam(hex('b'), RosterRow{1, "x", "{}"}, MemberRow{ownerId, ownerKey, "owner", false}, 5);
    QVERIFY(!notGenesis);
    QCOMPARE(notGenesis.error().code, StoreErrorCode::Invalid);
}

void TestStore::invites() {
    QVERIFY(makeTeam(*m_store, team));
    QVERIFY(makeTeam(*m_store, hex('b')));
    STORE_OK(m_store->addInvite(team, hex('1'), ownerId, 2000));
    STORE_OK(m_store->addInvite(team, hex('2'), ownerId, 1500));
    const InviteAcceptance alice{hex('3'), R"({"name":"alice"})", 1100};

    auto otherTeam = m_store->acceptInvite(hex('b'), hex('1'), alice, 1100);
    STORE_OK(otherTeam);
    QVERIFY(!*otherTeam);
    auto accepted = m_store->acceptInvite(team, hex('1'), alice, 1100);
    STORE_OK(accepted);
    QVERIFY(*accepted);
    auto reused = m_store->acceptInvite(team, hex('1'), InviteAcceptance{hex('4'), "{}", 1200}, 1200);
    STORE_OK(reused);
    QVERIFY(!*reused);
    auto expired = m_store->acceptInvite(team, hex('2'), InviteAcceptance{hex('4'), "{}", 1500}, 1500);
    STORE_OK(expired);
    QVERIFY(!*expired);
    auto unknown = m_store->acceptInvite(team, hex('5'), alice, 1100);
    STORE_OK(unknown);
    QVERIFY(!*unknown);

    auto list = m_store->inviteAcceptances(team);
    STORE_OK(list);
    QCOMPARE(list->size(), 1U);
    QCOMPARE(list->front().memberId, alice.memberId);
    QCOMPARE(list->front().identityJson, alice.identityJson);
    QCOMPARE(list->front().acceptedAt, 1100);
    auto none = m_store->inviteAcceptances(hex('b'));
    STORE_OK(none);
    QVERIFY(none->empty());

    auto noTeam = m_store->addInvite(hex('7'), hex('1'), ownerId, 2000);
    QVERIFY(!noTeam);
    QCOMPARE(noTeam.error().code, StoreErrorCode::Invalid);
    auto duplicate = m_store->addInvite(team, hex('1'), ownerId, 3000);
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, StoreErrorCode::Invalid);
}

void TestStore::rosterCompareAndAppend() {
    QVERIFY(makeTeam(*m_store, team));
    const ChainHead genesis{0, "genesis-" + team};
    const std::vector<RosterRow> events{{1, "r1", R"({"seq":1})"}, {2, "r2", R"({"seq":2})"}};
    const std::vector<MemberRow> members{{ownerId, ownerKey, "owner", false},
                                         {hex('f'), hex('2'), "admin", false},
                                         {hex('d'), hex('3'), "member", true}};
    auto appended = m_store->appendRoster(team, genesis, events, members);
    STORE_OK(appended);
    QVERIFY(appended->appended);
    QCOMPARE(appended->head, (ChainHead{2, "r2"}));

    // A writer that still has the genesis as its head loses, and learns the head that won.
    auto stale = m_store->appendRoster(team, genesis, {{1, "x1", "{}"}}, {{ownerId, ownerKey, "owner", false}});
    STORE_OK(stale);
    QVERIFY(!stale->appended);
    QCOMPARE(stale->head, (ChainHead{2, "r2"}));
    auto wrongHash = m_store->appendRoster(team, ChainHead{2, "other"}, {{3, "x3", "{}"}}, members);
    STORE_OK(wrongHash);
    QVERIFY(!wrongHash->appended);

    auto fromOne = m_store->readRoster(team, 1);
    STORE_OK(fromOne);
    QCOMPARE(fromOne->size(), 2U);
    QCOMPARE(fromOne->at(0).hash, std::string("r1"));
    QCOMPARE(fromOne->at(1).json, std::string(R"({"seq":2})"));
    auto past = m_store->readRoster(team, 3);
    STORE_OK(past);
    QVERIFY(past->empty());

    auto admin = m_store->memberBySignKey(team, hex('2'));
    STORE_OK(admin);
    QVERIFY(admin->has_value());
    QCOMPARE((*admin)->role, std::string("admin"));
    auto removed = m_store->memberBySignKey(team, hex('3'));
    STORE_OK(removed);
    QVERIFY(removed->has_value() && (*removed)->removed);

    auto gap = m_store->appendRoster(team, ChainHead{2, "r2"}, {{4, "r4", "{}"}}, members);
    QVERIFY(!gap);
    QCOMPARE(gap.error().code, StoreErrorCode::Invalid);
    auto noEvents = m_store->appendRoster(team, ChainHead{2, "r2"}, {}, members);
    QVERIFY(!noEvents);
    auto noTeam = m_store->appendRoster(hex('7'), genesis, events, members);
    QVERIFY(!noTeam);
    QCOMPARE(noTeam.error().code, StoreErrorCode::Invalid);
    auto head = m_store->rosterHead(team);
    STORE_OK(head);
    QCOMPARE(*head, (ChainHead{2, "r2"}));
}

void TestStore::grantsAndCurrentAccess() {
    QVERIFY(makeTeam(*m_store, team));
    const std::string env = hex('5');
    const std::string alice = hex('3');
    const std::string bob = hex('4');
    STORE_OK(m_store->putGrants(team, {{env, 1, alice, "read", "a1"}, {env, 1, bob, "write", "b1"}}));
    auto bobAccess = m_store->currentAccess(team, env, bob);
    STORE_OK(bobAccess);
    QVERIFY(bobAccess->has_value());
    QCOMPARE((*bobAccess)->epoch, 1U);
    QCOMPARE((*bobAccess)->access, std::string("write"));

    // A new epoch (a key rotation) without bob: his epoch-1 grant no longer gives access.
    STORE_OK(m_store->putGrants(team, {{env, 2, alice, "read", "a2"}, {hex('6'), 1, bob, "read", "other"}}));
    STORE_OK(m_store->putGrants(team, {{env, 2, alice, "write", "a2w"}})); // replaces (team, env, epoch, member)
    bobAccess = m_store->currentAccess(team, env, bob);
    STORE_OK(bobAccess);
    QVERIFY(!bobAccess->has_value());
    auto aliceAccess = m_store->currentAccess(team, env, alice);
    STORE_OK(aliceAccess);
    QVERIFY(aliceAccess->has_value());
    QCOMPARE((*aliceAccess)->epoch, 2U);
    QCOMPARE((*aliceAccess)->access, std::string("write"));
    auto nobody = m_store->currentAccess(team, hex('7'), alice);
    STORE_OK(nobody);
    QVERIFY(!nobody->has_value());

    auto aliceGrants = m_store->grantsForMember(team, alice);
    STORE_OK(aliceGrants);
    QCOMPARE(aliceGrants->size(), 2U);
    QCOMPARE(aliceGrants->at(0).epoch, 1U);
    QCOMPARE(aliceGrants->at(1).json, std::string("a2w"));
    auto envGrants = m_store->grantsForEnvironment(team, env);
    STORE_OK(envGrants);
    QCOMPARE(envGrants->size(), 3U);
    QCOMPARE(envGrants->at(2).memberId, alice);
    QCOMPARE(envGrants->at(2).environment, env);

    auto noTeam = m_store->putGrants(hex('7'), {{env, 1, alice, "read", "x"}});
    QVERIFY(!noTeam);
    QCOMPARE(noTeam.error().code, StoreErrorCode::Invalid);
    auto badAccess = m_store->putGrants(team, {{env, 3, alice, "admin", "x"}});
    QVERIFY(!badAccess);
    QCOMPARE(badAccess.error().code, StoreErrorCode::Invalid);
    aliceGrants = m_store->grantsForMember(team, alice);
    STORE_OK(aliceGrants);
    QCOMPARE(aliceGrants->size(), 2U); // the refused batch left nothing behind
}

QTEST_GUILESS_MAIN(TestStore)
