// SPDX-License-Identifier: Apache-2.0
// A server that changes what it serves is caught every time: the environment's sync stops with the failed
// check named, nothing from the bad page is applied, the bytes are kept as evidence, and later syncs say the
// same until the user clears it. Roster tampering stops the team the same way.
#include "crypto/Random.h"
#include "crypto/SealedBox.h"
#include "crypto/Sign.h"
#include "model/Database.h"
#include "sync/ServerClient.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"
#include "tests/sync/engine/EngineWorld.h"

#include <QTest>

using namespace coffer;
using namespace coffer::tests;

namespace {

std::size_t evidenceCount(EngineClient& client) {
    auto q = client.db().prepare("SELECT count(*) FROM sync_evidence");
    return q && q->step().value_or(false) ? static_cast<std::size_t>(q->columnInt(0)) : 0;
}

std::size_t liveSecrets(EngineClient& client) {
    auto q = client.db().prepare("SELECT count(*) FROM secrets WHERE deleted = 0");
    return q && q->step().value_or(false) ? static_cast<std::size_t>(q->columnInt(0)) : 0;
}

enum class Tamper { FlipCiphertext, DropRecord, SwapRecords, ReplayOldRecord, ForgeSignature, OtherEnvironment };

} // namespace

Q_DECLARE_METATYPE(Tamper)

class TestEngineIntegrity : public QObject {
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
        QVERIFY2(m_world->share(QStringLiteral("app"), QStringLiteral("dev"),
                                {{QStringLiteral("A"), "1"}, {QStringLiteral("B"), "2"}, {QStringLiteral("C"), "3"}},
                                error),
                 qPrintable(error));
        QVERIFY2(m_world->grant(*bob, protocol::Access::Write, error), qPrintable(error));
        // A second batch, so there are two batches to play with.
        QVERIFY(m_world->set(*alice, QStringLiteral("D"), "4"));
        QVERIFY(m_world->set(*alice, QStringLiteral("E"), "5"));
        auto report = m_world->sync(*alice);
        QVERIFY(report && report->ok());
    }

private Q_SLOTS:
    void tamperedLogStops_data() {
        QTest::addColumn<Tamper>("tamper");
        QTest::addColumn<QString>("check");
        QTest::newRow("changed ciphertext") << Tamper::FlipCiphertext << QStringLiteral("BrokenChain");
        QTest::newRow("dropped record") << Tamper::DropRecord << QStringLiteral("Gap");
        QTest::newRow("swapped records") << Tamper::SwapRecords << QStringLiteral("Gap");
        QTest::newRow("replayed record") << Tamper::ReplayOldRecord << QStringLiteral("Gap");
        QTest::newRow("forged batch signature") << Tamper::ForgeSignature << QStringLiteral("BadSignature");
        QTest::newRow("record of another environment") << Tamper::OtherEnvironment << QStringLiteral("WrongContext");
    }
    void tamperedLogStops() {
        QFETCH(Tamper, tamper);
        QFETCH(QString, check);
        setUpTeam();
        const protocol::EnvironmentId environment = m_world->environment;
        // The server serves a tampered copy; what it stores stays intact.
        m_world->server.tamper = [tamper, environment](const sync::HttpRequest& request, sync::HttpResponse& response) {
            if (request.method != "GET" || !request.path.ends_with("/records"))
                return;
            auto body = protocol::parseJson(response.body, 64);
            if (!body)
                return;
            auto& list = (*body)["records"];
            if (list.size() < 5)
                return;
            switch (tamper) {
            case Tamper::FlipCiphertext: {
                auto record = protocol::recordFromJson(list[4]);
                record->ciphertext[3] ^= std::byte{1};
                list[4] = protocol::toJson(*record);
                break;
            }
            case Tamper::DropRecord:
                list.erase(2);
                break;
            case Tamper::SwapRecords:
                std::swap(list[1], list[2]);
                break;
            case Tamper::ReplayOldRecord:
                list.insert(list.begin() + 3, list[1]);
                break;
            case Tamper::ForgeSignature: {
                auto record = protocol::recordFromJson(list[3]);
                record->batchSignature->bytes[0] ^= std::byte{1};
                list[3] = protocol::toJson(*record);
                break;
            }
            case Tamper::OtherEnvironment: {
                auto record = protocol::recordFromJson(list[0]);
                record->environment[0] ^= std::byte{1};
                list[0] = protocol::toJson(*record);
                break;
            }
            }
            response.body = body->dump();
        };
        // Discovery reads the first batch only, then the pull reads everything: the tampering of the later
        // records is what stops it (the first batch's tampering stops discovery, also before anything applies).
        auto report = m_world->sync(*bob);
        QVERIFY(report.has_value());
        QVERIFY(!report->ok());
        const sync::Error* error = nullptr;
        for (const auto& env : report->environments) {
            if (env.error)
                error = &*env.error;
        }
        if (error == nullptr && !report->teamErrors.empty())
            error = &report->teamErrors.front();
        QVERIFY(error != nullptr);
        QCOMPARE(error->code, sync::ErrorCode::Integrity);
        QVERIFY(error->check.has_value());
        QVERIFY2(error->message.contains(check), qPrintable(error->message));
        QCOMPARE(liveSecrets(*bob), std::size_t{0}); // nothing from the bad page
        QVERIFY(evidenceCount(*bob) >= 1);

        if (bob->env != 0) {
            // Stopped: the next sync says the same without asking the server for records.
            QVERIFY(!bob->engine->integrityStatus(bob->env)->isEmpty());
            auto again = bob->engine->syncEnvironment(bob->env);
            QVERIFY(!again.has_value());
            QCOMPARE(again.error().code, sync::ErrorCode::Integrity);
            QCOMPARE(again.error().message, *bob->engine->integrityStatus(bob->env));
            // Cleared while the server still tampers: stopped again.
            QVERIFY(bob->engine->clearIntegrityError(bob->env).has_value());
            QVERIFY(!bob->engine->syncEnvironment(bob->env).has_value());
            QVERIFY(!bob->engine->integrityStatus(bob->env)->isEmpty());
        }
        // An honest server again, the error cleared: the same log applies.
        m_world->server.tamper = nullptr;
        if (bob->env != 0)
            QVERIFY(bob->engine->clearIntegrityError(bob->env).has_value());
        report = m_world->sync(*bob);
        QVERIFY(report && report->ok());
        QCOMPARE(m_world->values(*bob), m_world->values(*alice));
        QCOMPARE(m_world->values(*bob).size(), std::size_t{5});
    }

    void regressedHeadStops() {
        setUpTeam();
        auto report = m_world->sync(*bob);
        QVERIFY(report && report->ok());
        // The server forgets its last batch (a rollback): the head regresses below bob's pin.
        auto& records = m_world->server.records(m_world->team, m_world->environment);
        const auto saved = records;
        records.resize(records.size() - 2);
        report = m_world->sync(*bob);
        QVERIFY(report && !report->ok());
        QCOMPARE(report->environments.front().error->code, sync::ErrorCode::Integrity);
        QVERIFY(report->environments.front().error->message.contains(QStringLiteral("Regression")));
        records = saved;
    }

    void epochNeverDecreases() {
        setUpTeam();
        auto report = m_world->sync(*bob);
        QVERIFY(report && report->ok());
        // Alice makes epoch 2 (a new key granted to both) and writes at it.
        auto state = sync::TeamState::load(alice->db(), m_world->team);
        QVERIFY(state.has_value());
        auto transport = alice->engine->transports()(state->transportOptions());
        sync::ServerClient client(**transport, state->me().sign);
        QVERIFY(state->refreshRoster(client));
        const auto epoch2 = crypto::AeadKey::keygen();
        std::vector<protocol::Grant> grants;
        for (EngineClient* member : {alice, bob}) {
            protocol::Grant grant;
            grant.team = m_world->team;
            grant.environment = m_world->environment;
            grant.epoch = 2;
            grant.member = member->id;
            grant.access = protocol::Access::Write;
            grant.sealedKey = crypto::seal(state->roster().member(member->id)->identity.boxKey, epoch2.bytes());
            grant.rosterSeq = state->roster().head().seq;
            grant.rosterHead = state->roster().head().hash;
            grant.admin = state->me().id;
            protocol::signGrant(grant, state->me().sign.secretKey);
            grants.push_back(grant);
        }
        QVERIFY(client.putGrants(m_world->team, grants));
        QVERIFY(state->addOwnGrants(grants, {}));
        QVERIFY(m_world->set(*alice, QStringLiteral("K"), "at epoch 2"));
        report = m_world->sync(*alice);
        QVERIFY(report && report->ok());
        // A record validly signed by alice, but at epoch 1 after the log reached epoch 2 (what a removed member
        // colluding with the server would try with an old key).
        auto& records = m_world->server.records(m_world->team, m_world->environment);
        const protocol::Head head{records.back().seq, protocol::recordHash(records.back())};
        std::vector<protocol::ChangeRecord> forged(1);
        forged[0].team = m_world->team;
        forged[0].environment = m_world->environment;
        forged[0].epoch = 1;
        forged[0].id = crypto::randomArray<16>();
        forged[0].author = alice->id;
        const std::string value = "x";
        const std::vector<protocol::ChangeView> views{
            {protocol::ChangeOp::Set, "EVIL", std::as_bytes(std::span(value.data(), value.size())), "", {}}};
        protocol::sealAndSignBatch(forged, views, head, *state->key(m_world->environment, 1),
                                   state->me().sign.secretKey);
        records.push_back(forged[0]);

        report = m_world->sync(*bob);
        QVERIFY(report && !report->ok());
        const auto& error = report->environments.front().error;
        QVERIFY(error.has_value());
        QCOMPARE(error->code, sync::ErrorCode::Integrity);
        QVERIFY2(error->message.contains(QStringLiteral("Regression")) &&
                     error->message.contains(QStringLiteral("epoch")),
                 qPrintable(error->message));
        QVERIFY(!m_world->values(*bob).contains(QStringLiteral("EVIL")));
        QVERIFY(!m_world->values(*bob).contains(QStringLiteral("K"))); // nothing from that page
    }

    void forgedRosterEventStopsTeam() {
        setUpTeam();
        auto report = m_world->sync(*bob);
        QVERIFY(report && report->ok());
        // The server appends an Add signed by bob, who is no admin.
        auto bobId = sync::loadIdentity(bob->db());
        QVERIFY(bobId.has_value());
        auto mallory = crypto::SigningKeyPair::keygen();
        protocol::MemberIdentity intruder;
        intruder.signKey = mallory.publicKey;
        intruder.boxKey = crypto::BoxKeyPair::keygen().publicKey;
        intruder.displayName = "mallory";
        protocol::signIdentity(intruder, mallory.secretKey);
        auto state = sync::TeamState::load(bob->db(), m_world->team);
        QVERIFY(state.has_value());
        protocol::RosterEvent add;
        add.team = m_world->team;
        add.seq = state->roster().head().seq + 1;
        add.previous = state->roster().head().hash;
        add.kind = protocol::RosterEventKind::Add;
        add.subject = intruder;
        add.signer = bobId->id;
        protocol::signRosterEvent(add, bobId->sign.secretKey);
        m_world->server.appendRoster(m_world->team, add);
        report = m_world->sync(*bob);
        QVERIFY(report.has_value());
        QCOMPARE(report->teamErrors.size(), std::size_t{1});
        QCOMPARE(report->teamErrors.front().code, sync::ErrorCode::Integrity);
        QVERIFY2(report->teamErrors.front().message.contains(QStringLiteral("SignerNotAuthorised")),
                 qPrintable(report->teamErrors.front().message));
        auto team = sync::loadTeam(bob->db(), m_world->team);
        QVERIFY(team && !team->status.isEmpty());
        QVERIFY(evidenceCount(*bob) >= 1);
        // The pinned roster did not move.
        QCOMPARE(team->rosterHead->seq, state->roster().head().seq);
    }
};

QTEST_GUILESS_MAIN(TestEngineIntegrity)
#include "TestEngineIntegrity.moc"
