// SPDX-License-Identifier: Apache-2.0
// The controller runs the engine on its own thread with its own vault connection: a sync pulls what the
// team shared (visible through the test's connection afterwards), the status follows (synced, offline with
// a back-off, integrity error), and stop() waits for a running sync.
#include "sync/SyncController.h"
#include "tests/sync/engine/EngineWorld.h"

#include <QSignalSpy>
#include <QTest>

using namespace coffer;
using namespace coffer::tests;

class TestSyncController : public QObject {
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
        QVERIFY2(m_world->share(QStringLiteral("app"), QStringLiteral("dev"), {{QStringLiteral("K"), "v"}}, error),
                 qPrintable(error));
        QVERIFY2(m_world->grant(*bob, protocol::Access::Write, error), qPrintable(error));
    }

private Q_SLOTS:
    void syncsOnItsOwnThread() {
        setUpTeam();
        sync::SyncController controller(bob->vault->path(), m_world->key(), m_world->server.factory());
        QSignalSpy synced(&controller, &sync::SyncController::synced);
        QSignalSpy status(&controller, &sync::SyncController::statusChanged);
        controller.setInterval(std::chrono::seconds(3600));
        controller.start();
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 1, 30000);
        QCOMPARE(synced.first().at(1).toBool(), true); // records were applied
        QCOMPARE(controller.status().state, sync::SyncStatus::State::Synced);
        QVERIFY(status.count() >= 2); // syncing (on the first progress report), then synced
        // The worker wrote through its own connection; the test's connection sees it.
        (void)m_world->sync(*bob);
        QCOMPARE(describe(m_world->values(*bob)), QStringLiteral("K=v"));
        controller.stop();
    }

    // Nothing shared: no "Syncing…" at start or on later syncs, and the status stays NotShared (the status bar
    // widget hidden).
    void unsharedVaultShowsNoActivity() {
        m_world = std::make_unique<EngineWorld>();
        QString error;
        QVERIFY2(m_world->init(error), qPrintable(error));
        EngineClient& carol = m_world->addClient(QStringLiteral("carol"));
        sync::SyncController controller(carol.vault->path(), m_world->key(), m_world->server.factory());
        QSignalSpy synced(&controller, &sync::SyncController::synced);
        QSignalSpy status(&controller, &sync::SyncController::statusChanged);
        controller.start();
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 1, 30000);
        controller.syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 2, 30000);
        QVERIFY(!status.isEmpty());
        for (const auto& arguments : status) {
            QCOMPARE(arguments.at(0).value<sync::SyncStatus>().state, sync::SyncStatus::State::NotShared);
        }
        controller.stop();
    }

    void offlineBacksOff() {
        setUpTeam();
        m_world->server.faults = [](const sync::HttpRequest&) { return Fault::DropRequest; };
        sync::SyncController controller(bob->vault->path(), m_world->key(), m_world->server.factory());
        QSignalSpy synced(&controller, &sync::SyncController::synced);
        controller.start();
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 1, 30000);
        QCOMPARE(controller.status().state, sync::SyncStatus::State::Offline);
        QVERIFY2(controller.status().message.contains(QStringLiteral("30 s")), qPrintable(controller.status().message));
        // On demand, and still offline: the back-off doubles.
        controller.syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 2, 30000);
        QVERIFY2(controller.status().message.contains(QStringLiteral("60 s")), qPrintable(controller.status().message));
        controller.stop();
    }

    void integrityErrorShown() {
        setUpTeam();
        (void)m_world->sync(*bob);
        QVERIFY(m_world->set(*alice, QStringLiteral("K2"), "x"));
        (void)m_world->sync(*alice);
        m_world->server.records(m_world->team, m_world->environment).back().ciphertext[0] ^= std::byte{1};
        sync::SyncController controller(bob->vault->path(), m_world->key(), m_world->server.factory());
        QSignalSpy synced(&controller, &sync::SyncController::synced);
        controller.start();
        QTRY_VERIFY_WITH_TIMEOUT(synced.count() >= 1, 30000);
        QCOMPARE(controller.status().state, sync::SyncStatus::State::IntegrityError);
        QVERIFY2(controller.status().message.contains(QStringLiteral("app/dev")),
                 qPrintable(controller.status().message));
        controller.stop();
    }
};

QTEST_GUILESS_MAIN(TestSyncController)
#include "TestSyncController.moc"
