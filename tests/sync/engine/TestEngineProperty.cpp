// SPDX-License-Identifier: Apache-2.0
// The property: three clients make random sets, deletes and renames of a few names and sync at random
// moments (fixed seeds), with and without network faults (lost requests, lost replies, 500s, 409 races).
// Whatever the interleaving, once everyone has synced without faults: nothing is pending, every client's
// secrets equal every other's, and every version any client wrote, (name, value), is in every client's history.
#include "tests/sync/engine/EngineWorld.h"

#include <QTest>

#include <random>

using namespace coffer;
using namespace coffer::tests;

class TestEngineProperty : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void randomInterleavings_data() {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<int>("steps");
        QTest::addColumn<bool>("withFaults");
        for (const unsigned seed : {1u, 7u, 42u, 1234u, 99991u}) {
            QTest::addRow("seed %u", seed) << seed << 80 << false;
            QTest::addRow("seed %u with faults", seed) << seed << 80 << true;
        }
    }

    void randomInterleavings() {
        QFETCH(unsigned, seed);
        QFETCH(int, steps);
        QFETCH(bool, withFaults);

        EngineWorld world;
        QString error;
        QVERIFY2(world.init(error), qPrintable(error));
        std::array<EngineClient*, 3> clients{&world.addClient(QStringLiteral("alice")),
                                             &world.addClient(QStringLiteral("bob")),
                                             &world.addClient(QStringLiteral("carol"))};
        QVERIFY2(world.makeTeam(error), qPrintable(error));
        QVERIFY2(world.share(QStringLiteral("app"), QStringLiteral("dev"), {{QStringLiteral("K0"), "initial"}}, error),
                 qPrintable(error));
        QVERIFY2(world.grant(*clients[1], protocol::Access::Write, error), qPrintable(error));
        QVERIFY2(world.grant(*clients[2], protocol::Access::Write, error), qPrintable(error));
        for (EngineClient* client : clients) {
            auto report = world.sync(*client);
            QVERIFY(report && report->ok());
        }

        std::mt19937 rng(seed);
        std::mt19937 faultRng(seed * 31 + 1);
        History written{{QStringLiteral("K0"), "initial"}};
        const QStringList names{QStringLiteral("K0"), QStringLiteral("K1"), QStringLiteral("K2"), QStringLiteral("K3"),
                                QStringLiteral("K4")};
        if (withFaults) {
            world.server.faults = [&faultRng](const sync::HttpRequest&) {
                switch (faultRng() % 12) {
                case 0:
                    return Fault::DropRequest;
                case 1:
                    return Fault::DropReply;
                case 2:
                    return Fault::ServerError;
                default:
                    return Fault::None;
                }
            };
        }
        for (int step = 0; step < steps; ++step) {
            const std::size_t who = rng() % clients.size();
            EngineClient& client = *clients[who];
            const auto live = world.values(client);
            const auto action = rng() % 10;
            if (action < 4) {
                const QString name = names[static_cast<qsizetype>(rng() % names.size())];
                const QByteArray value = client.name.toUtf8() + "-" + QByteArray::number(step);
                QVERIFY(world.set(client, name, value));
                written.emplace(name, value);
            } else if (action < 5 && !live.empty()) {
                auto it = std::next(live.begin(), static_cast<std::ptrdiff_t>(rng() % live.size()));
                QVERIFY(world.remove(client, it->first));
            } else if (action < 6 && !live.empty()) {
                auto it = std::next(live.begin(), static_cast<std::ptrdiff_t>(rng() % live.size()));
                QStringList free;
                for (const auto& name : names) {
                    if (!live.contains(name))
                        free << name;
                }
                if (free.isEmpty())
                    continue;
                const QString to = free[static_cast<qsizetype>(rng() % free.size())];
                QVERIFY(world.rename(client, it->first, to));
                written.emplace(to, it->second);
            } else {
                if (withFaults && rng() % 4 == 0) {
                    // Someone else pushes right before this client's push lands: a 409 race.
                    EngineClient& other = *clients[(who + 1) % clients.size()];
                    world.server.beforePush = [&world, &other] { (void)world.sync(other); };
                }
                auto report = world.sync(client);
                QVERIFY(report.has_value());
                for (const auto& env : report->environments) {
                    if (env.error)
                        QVERIFY2(env.error->code != sync::ErrorCode::Integrity, qPrintable(env.error->message));
                }
                world.server.beforePush = nullptr;
            }
        }

        // Everyone syncs on a good network until nothing moves.
        world.server.faults = nullptr;
        world.server.beforePush = nullptr;
        for (int round = 0; round < 3; ++round) {
            for (EngineClient* client : clients) {
                auto report = world.sync(*client);
                QVERIFY(report.has_value());
                QVERIFY2(report->ok(), report->environments.empty() || !report->environments.front().error
                                           ? "team error"
                                           : qPrintable(report->environments.front().error->message));
            }
        }
        const Values reference = world.values(*clients[0]);
        for (EngineClient* client : clients) {
            QCOMPARE(world.pending(*client), std::size_t{0});
            QCOMPARE(describe(world.values(*client)), describe(reference));
            const History history = world.history(*client);
            for (const auto& version : written) {
                QVERIFY2(history.contains(version),
                         qPrintable(client->name + QStringLiteral(" lacks ") + version.first + QLatin1Char('=') +
                                    QString::fromUtf8(version.second)));
            }
        }
        // Each change is stored once: the server's log has no record id twice.
        std::set<protocol::RecordId> ids;
        for (const auto& record : world.server.records(world.team, world.environment))
            QVERIFY(ids.insert(record.id).second);
    }
};

QTEST_GUILESS_MAIN(TestEngineProperty)
#include "TestEngineProperty.moc"
