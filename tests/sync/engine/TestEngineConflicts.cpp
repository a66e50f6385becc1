// SPDX-License-Identifier: Apache-2.0
// Concurrent changes of one secret: an edit against an edit keeps both versions (the later in log order is
// current) and reports a conflict on both clients; a delete against an edit keeps the edit, in either order;
// resolving a conflict is an ordinary change that syncs.
#include "tests/sync/engine/EngineWorld.h"

#include <QTest>

using namespace coffer;
using namespace coffer::tests;

class TestEngineConflicts : public QObject {
    Q_OBJECT

    std::unique_ptr<EngineWorld> m_world;
    EngineClient* alice = nullptr;
    EngineClient* bob = nullptr;

    void setUpTeam() {
        m_world = std::make_unique<EngineWorld>();
        QString error;
        QVERIFY2(m_world->init(error), qPrintable(error));
        alice = &m_world->addClient(QStringLiteral("alice"));
        bob = &m_world->addClient(QStringLiteral("bob"));
        QVERIFY2(m_world->makeTeam(error), qPrintable(error));
        QVERIFY2(m_world->share(QStringLiteral("app"), QStringLiteral("dev"), {{QStringLiteral("TOKEN"), "t0"}}, error),
                 qPrintable(error));
        QVERIFY2(m_world->grant(*bob, protocol::Access::Write, error), qPrintable(error));
        syncOk(*bob);
    }

    void syncOk(EngineClient& client) {
        auto report = m_world->sync(client);
        QVERIFY2(report.has_value(), report ? "" : qPrintable(report.error().message));
        QVERIFY2(report->ok(), report->environments.empty() || !report->environments.front().error
                                   ? "team error"
                                   : qPrintable(report->environments.front().error->message));
    }

    std::vector<sync::ConflictInfo> conflictsOf(EngineClient& client) {
        auto list = client.engine->conflicts();
        return list ? *list : std::vector<sync::ConflictInfo>{};
    }

private Q_SLOTS:
    void editAgainstEdit() {
        setUpTeam();
        QVERIFY(m_world->set(*alice, QStringLiteral("TOKEN"), "from-alice"));
        QVERIFY(m_world->set(*bob, QStringLiteral("TOKEN"), "from-bob"));
        syncOk(*alice); // alice's edit is first in the log
        syncOk(*bob);   // bob's is later: current everywhere
        syncOk(*alice);
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        QCOMPARE(m_world->values(*alice).at(QStringLiteral("TOKEN")), QByteArray("from-bob"));
        for (EngineClient* client : {alice, bob}) {
            const History history = m_world->history(*client);
            QVERIFY(history.contains({QStringLiteral("TOKEN"), "from-alice"}));
            QVERIFY(history.contains({QStringLiteral("TOKEN"), "from-bob"}));
            const auto conflicts = conflictsOf(*client);
            QCOMPARE(conflicts.size(), std::size_t{1});
            QCOMPARE(conflicts.front().kind, sync::ConflictInfo::Kind::Edit);
            QCOMPARE(conflicts.front().name, QStringLiteral("TOKEN"));
            QCOMPARE(conflicts.front().currentAuthor, QStringLiteral("bob"));
            QCOMPARE(conflicts.front().otherAuthor, QStringLiteral("alice"));
            auto current = client->store->value(conflicts.front().secretId, conflicts.front().currentVersion);
            auto other = client->store->value(conflicts.front().secretId, conflicts.front().otherVersion);
            QVERIFY(current && other);
            QCOMPARE(current->view(), std::string_view("from-bob"));
            QCOMPARE(other->view(), std::string_view("from-alice"));
        }
    }

    void deleteAgainstEdit_data() {
        QTest::addColumn<bool>("deleterFirst");
        QTest::newRow("delete first in the log") << true;
        QTest::newRow("edit first in the log") << false;
    }
    void deleteAgainstEdit() {
        QFETCH(bool, deleterFirst);
        setUpTeam();
        QVERIFY(m_world->remove(*alice, QStringLiteral("TOKEN")));
        QVERIFY(m_world->set(*bob, QStringLiteral("TOKEN"), "edited"));
        EngineClient& first = deleterFirst ? *alice : *bob;
        EngineClient& second = deleterFirst ? *bob : *alice;
        syncOk(first);
        syncOk(second);
        syncOk(first);
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        QCOMPARE(describe(m_world->values(*alice)), QStringLiteral("TOKEN=edited"));
        for (EngineClient* client : {alice, bob}) {
            const auto conflicts = conflictsOf(*client);
            QVERIFY(!conflicts.empty());
            QCOMPARE(conflicts.front().kind, sync::ConflictInfo::Kind::Delete);
            QVERIFY(m_world->history(*client).contains({QStringLiteral("TOKEN"), "edited"}));
        }
    }

    void resolveKeepOther() {
        setUpTeam();
        QVERIFY(m_world->set(*alice, QStringLiteral("TOKEN"), "from-alice"));
        QVERIFY(m_world->set(*bob, QStringLiteral("TOKEN"), "from-bob"));
        syncOk(*alice);
        syncOk(*bob);
        syncOk(*alice);
        auto conflicts = conflictsOf(*alice);
        QCOMPARE(conflicts.size(), std::size_t{1});
        QVERIFY(alice->engine->resolveConflict(conflicts.front().id, sync::Resolution::KeepOther).has_value());
        QVERIFY(conflictsOf(*alice).empty());
        auto all = alice->engine->conflicts(true);
        QVERIFY(all && all->size() == 1 && all->front().resolved);
        QCOMPARE(m_world->pending(*alice), std::size_t{1}); // the resolution is a change like any other
        syncOk(*alice);
        syncOk(*bob);
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        QCOMPARE(describe(m_world->values(*bob)), QStringLiteral("TOKEN=from-alice"));
    }

    void resolveByEditAndKeepCurrent() {
        setUpTeam();
        QVERIFY(m_world->set(*alice, QStringLiteral("TOKEN"), "a"));
        QVERIFY(m_world->set(*bob, QStringLiteral("TOKEN"), "b"));
        syncOk(*alice);
        syncOk(*bob);
        auto conflicts = conflictsOf(*bob);
        QCOMPARE(conflicts.size(), std::size_t{1});
        const QByteArray merged("a+b");
        QVERIFY(bob->engine
                    ->resolveConflict(conflicts.front().id, sync::Resolution::Edit,
                                      std::as_bytes(std::span(merged.constData(), 3)))
                    .has_value());
        syncOk(*bob);
        syncOk(*alice);
        QCOMPARE(describe(m_world->values(*alice)), QStringLiteral("TOKEN=a+b"));
        conflicts = conflictsOf(*alice);
        QCOMPARE(conflicts.size(), std::size_t{1});
        QVERIFY(alice->engine->resolveConflict(conflicts.front().id, sync::Resolution::KeepCurrent).has_value());
        QCOMPARE(m_world->pending(*alice), std::size_t{0});
        QVERIFY(conflictsOf(*alice).empty());
    }

    void differentSecretsMergeSilently() {
        setUpTeam();
        QVERIFY(m_world->set(*alice, QStringLiteral("A"), "1"));
        QVERIFY(m_world->set(*bob, QStringLiteral("B"), "2"));
        syncOk(*alice);
        syncOk(*bob);
        syncOk(*alice);
        QCOMPARE(describe(m_world->values(*alice)), QStringLiteral("A=1, B=2, TOKEN=t0"));
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        QVERIFY(conflictsOf(*alice).empty());
        QVERIFY(conflictsOf(*bob).empty());
    }
};

QTEST_GUILESS_MAIN(TestEngineConflicts)
#include "TestEngineConflicts.moc"
