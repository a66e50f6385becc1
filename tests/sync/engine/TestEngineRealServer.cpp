// SPDX-License-Identifier: Apache-2.0
// The engine against a real coffer-server process (SQLite) over HTTP with the real CurlTransport: alice
// creates the team and shares an environment, bob is invited, added and granted, and his first sync
// discovers the environment and pulls it; his edit comes back to alice; a concurrent edit is a conflict
// on both sides with both versions kept.
#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "sync/ServerClient.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "tests/server/client/ServerProcess.h"
#include "tests/sync/engine/EngineWorld.h"

#include <QTest>

#include <chrono>

using namespace coffer;
using namespace coffer::tests;

class TestEngineRealServer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;
    QString m_url;

    static std::int64_t now() {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    void syncOk(EngineWorld& world, EngineClient& client) {
        auto report = world.sync(client);
        QVERIFY2(report.has_value(), report ? "" : qPrintable(report.error().message));
        for (const auto& error : report->teamErrors)
            QFAIL(qPrintable(error.message));
        for (const auto& env : report->environments)
            QVERIFY2(!env.error, env.error ? qPrintable(env.error->message) : "");
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<ServerProcess>(COFFER_SERVER_PATH);
        ServerOptions options;
        options.database = "sqlite:" + m_dir.filePath(QStringLiteral("server.db")).toStdString();
        auto started = m_server->start(options);
        QVERIFY2(started.has_value(), started ? "" : started.error().c_str());
        m_url = QStringLiteral("http://%1:%2").arg(QString::fromStdString(m_server->host())).arg(m_server->port());
    }

    void cleanupTestCase() {
        if (m_server)
            (void)m_server->stop();
    }

    void shareAndSecondMemberPulls() {
        EngineWorld world;
        QString error;
        QVERIFY2(world.init(error), qPrintable(error));
        EngineClient& alice = world.addClient(QStringLiteral("alice"), sync::TransportFactory(sync::makeCurlTransport));
        EngineClient& bob = world.addClient(QStringLiteral("bob"), sync::TransportFactory(sync::makeCurlTransport));
        auto aliceId = sync::loadIdentity(alice.db());
        auto bobId = sync::loadIdentity(bob.db());
        QVERIFY(aliceId && bobId);

        sync::TransportOptions options;
        options.baseUrl = m_url;
        auto aliceTransport = sync::makeCurlTransport(options);
        auto bobTransport = sync::makeCurlTransport(options);
        QVERIFY2(aliceTransport.has_value(), aliceTransport ? "" : qPrintable(aliceTransport.error().message));
        sync::ServerClient aliceClient(**aliceTransport, aliceId->sign);
        sync::ServerClient bobClient(**bobTransport, bobId->sign);

        // The team, with the operator's code.
        auto code =
            makeTeamCode(COFFER_SERVER_PATH, "sqlite:" + m_dir.filePath(QStringLiteral("server.db")).toStdString());
        QVERIFY2(code.has_value(), code ? "" : code.error().c_str());
        protocol::RosterEvent genesis;
        genesis.kind = protocol::RosterEventKind::Genesis;
        genesis.subject = aliceId->identity;
        genesis.role = protocol::Role::Owner;
        genesis.signer = aliceId->id;
        genesis.time = now();
        protocol::signRosterEvent(genesis, aliceId->sign.secretKey);
        auto created = aliceClient.createTeam(*code, genesis);
        QVERIFY2(created.has_value(), created ? "" : qPrintable(created.error().message));
        world.team = protocol::teamIdOf(genesis);

        // Bob accepts an invite; alice adds him to the roster.
        const auto secret = crypto::randomArray<24>();
        const std::string inviteCode = protocol::base64url(secret);
        QVERIFY(aliceClient.createInvite(world.team, crypto::blake2b(crypto::asBytes(inviteCode)), now() + 3600));
        auto accepted = bobClient.acceptInvite(world.team, inviteCode, bobId->identity);
        QVERIFY2(accepted.has_value(), accepted ? "" : qPrintable(accepted.error().message));
        QCOMPARE(*accepted, bobId->id);
        protocol::RosterEvent add;
        add.team = world.team;
        add.seq = 1;
        add.previous = protocol::rosterEventHash(genesis);
        add.kind = protocol::RosterEventKind::Add;
        add.subject = bobId->identity;
        add.role = protocol::Role::Member;
        add.signer = aliceId->id;
        add.time = now();
        protocol::signRosterEvent(add, aliceId->sign.secretKey);
        auto appended = aliceClient.appendRoster(world.team, *created, {add});
        QVERIFY2(appended.has_value(), appended ? "" : qPrintable(appended.error().message));

        for (EngineClient* client : {&alice, &bob}) {
            sync::TeamRecord record;
            record.team = world.team;
            record.name = QStringLiteral("acme");
            record.serverUrl = m_url;
            if (client == &bob)
                record.invitedBy = aliceId->id;
            QVERIFY(sync::storeTeam(client->db(), record));
        }

        QVERIFY2(world.share(QStringLiteral("app"), QStringLiteral("dev"),
                             {{QStringLiteral("DB_URL"), "postgres://db"}, {QStringLiteral("TOKEN"), "t0"}}, error),
                 qPrintable(error));
        QVERIFY2(world.grant(bob, protocol::Access::Write, error), qPrintable(error));

        // Bob's first sync discovers app/dev from its scope record and pulls it.
        syncOk(world, bob);
        QVERIFY(bob.env != 0);
        QCOMPARE(describe(world.values(bob)), QStringLiteral("DB_URL=postgres://db, TOKEN=t0"));
        QCOMPARE(*bob.engine->environmentFingerprint(bob.env), *alice.engine->environmentFingerprint(alice.env));

        // Bob's edit reaches alice; then both edit the same secret: both versions kept, a conflict each.
        QVERIFY(world.set(bob, QStringLiteral("TOKEN"), "t1"));
        syncOk(world, bob);
        syncOk(world, alice);
        QCOMPARE(world.values(alice), world.values(bob));
        QVERIFY(world.set(alice, QStringLiteral("TOKEN"), "alice"));
        QVERIFY(world.set(bob, QStringLiteral("TOKEN"), "bob"));
        syncOk(world, alice);
        syncOk(world, bob);
        syncOk(world, alice);
        QCOMPARE(world.values(alice), world.values(bob));
        QCOMPARE(world.values(alice).at(QStringLiteral("TOKEN")), QByteArray("bob"));
        for (EngineClient* client : {&alice, &bob}) {
            QVERIFY(world.history(*client).contains({QStringLiteral("TOKEN"), "alice"}));
            QCOMPARE(client->engine->conflicts()->size(), std::size_t{1});
            QCOMPARE(world.pending(*client), std::size_t{0});
        }
    }
};

QTEST_GUILESS_MAIN(TestEngineRealServer)
#include "TestEngineRealServer.moc"
