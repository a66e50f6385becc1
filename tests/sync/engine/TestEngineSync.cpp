// SPDX-License-Identifier: Apache-2.0
// The engine against the in-process fake server: pull and apply, push and acknowledge, rebase on a 409
// race, a lost reply recognised (no duplicate), offline first, read-only refused locally (by the Store
// at once; changes made before access was lowered stay in the outbox), discovery.
// Each case ends with every client's secrets equal.
#include "model/Database.h"
#include "model/Store.h"
#include "tests/sync/engine/EngineWorld.h"

#include <QTest>

#include <algorithm>
#include <span>

using namespace coffer;
using namespace coffer::tests;

Q_DECLARE_METATYPE(coffer::tests::Fault)

namespace {

std::size_t logCount(EngineClient& client) {
    auto q = client.db().prepare("SELECT count(*) FROM sync_log");
    return q && q->step().value_or(false) ? static_cast<std::size_t>(q->columnInt(0)) : 0;
}

} // namespace

class TestEngineSync : public QObject {
    Q_OBJECT

    std::unique_ptr<EngineWorld> m_world;
    EngineClient* alice = nullptr;
    EngineClient* bob = nullptr;

    void setUpTeam(protocol::Access bobAccess = protocol::Access::Write) {
        m_world = std::make_unique<EngineWorld>();
        QString error;
        QVERIFY2(m_world->init(error), qPrintable(error));
        alice = &m_world->addClient(QStringLiteral("alice"));
        bob = &m_world->addClient(QStringLiteral("bob"));
        QVERIFY2(m_world->makeTeam(error), qPrintable(error));
        QVERIFY2(m_world->share(QStringLiteral("app"), QStringLiteral("dev"),
                                {{QStringLiteral("DB_URL"), "postgres://db"}, {QStringLiteral("TOKEN"), "t0"}}, error),
                 qPrintable(error));
        QVERIFY2(m_world->grant(*bob, bobAccess, error), qPrintable(error));
    }

    void syncOk(EngineClient& client) {
        auto report = m_world->sync(client);
        QVERIFY2(report.has_value(), report ? "" : qPrintable(report.error().message));
        for (const auto& error : report->teamErrors)
            QFAIL(qPrintable(error.message));
        for (const auto& env : report->environments)
            QVERIFY2(!env.error, env.error ? qPrintable(env.error->message) : "");
    }

private Q_SLOTS:
    void shareThenPull() {
        setUpTeam();
        // Sharing pushed the scope record and both secrets as one batch.
        QCOMPARE(m_world->pending(*alice), std::size_t{0});
        QCOMPARE(m_world->server.records(m_world->team, m_world->environment).size(), std::size_t{3});
        syncOk(*bob);
        QVERIFY(bob->env != 0);
        QCOMPARE(m_world->values(*bob), m_world->values(*alice));
        QCOMPARE(m_world->values(*bob).at(QStringLiteral("TOKEN")), QByteArray("t0"));
        // The project and environment came from the scope record.
        auto project = bob->store->project(QStringLiteral("app"));
        QVERIFY(project.has_value());
        QVERIFY(bob->store->environment(project->id, QStringLiteral("dev")).has_value());
        // The author shown in history is the roster's display name.
        auto secret = bob->store->secret(bob->env, QStringLiteral("TOKEN"));
        QVERIFY(secret.has_value());
        QCOMPARE(secret->updatedBy, QStringLiteral("alice"));
        // bob's audit log has one "sync" event for the run, none per teammate's change.
        auto events = bob->store->auditEvents();
        QVERIFY(events.has_value());
        QCOMPARE(std::count_if(events->begin(), events->end(),
                               [](const model::AuditEvent& e) { return e.action == QStringLiteral("sync"); }),
                 std::ptrdiff_t{1});
        QVERIFY(std::none_of(events->begin(), events->end(),
                             [](const model::AuditEvent& e) { return e.actor == QStringLiteral("alice"); }));
        // Both see the same fingerprint.
        QCOMPARE(*bob->engine->environmentFingerprint(bob->env), *alice->engine->environmentFingerprint(alice->env));
    }

    void pushAndAcknowledge() {
        setUpTeam();
        syncOk(*bob);
        QVERIFY(m_world->set(*bob, QStringLiteral("TOKEN"), "t1"));
        QVERIFY(m_world->set(*bob, QStringLiteral("NEW"), "n1"));
        QCOMPARE(m_world->pending(*bob), std::size_t{2});
        syncOk(*bob);
        QCOMPARE(m_world->pending(*bob), std::size_t{0});
        QCOMPARE(m_world->server.records(m_world->team, m_world->environment).size(), std::size_t{5});
        QCOMPARE(logCount(*bob), std::size_t{5});
        syncOk(*alice);
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        QCOMPARE(m_world->values(*alice).at(QStringLiteral("TOKEN")), QByteArray("t1"));
        // Nothing left to do: a second run changes nothing.
        const auto before = m_world->server.records(m_world->team, m_world->environment).size();
        syncOk(*alice);
        syncOk(*bob);
        QCOMPARE(m_world->server.records(m_world->team, m_world->environment).size(), before);
    }

    void rebaseOnConflict() {
        setUpTeam();
        syncOk(*bob);
        QVERIFY(m_world->set(*bob, QStringLiteral("FROM_BOB"), "b"));
        // Right before bob's push lands, alice pushes first: bob gets 409, pulls, re-seals and retries.
        QVERIFY(m_world->set(*alice, QStringLiteral("FROM_ALICE"), "a"));
        m_world->server.beforePush = [this] { (void)m_world->sync(*alice); };
        syncOk(*bob);
        QCOMPARE(m_world->pending(*bob), std::size_t{0});
        syncOk(*alice);
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        QCOMPARE(m_world->values(*bob).at(QStringLiteral("FROM_ALICE")), QByteArray("a"));
        QCOMPARE(m_world->values(*alice).at(QStringLiteral("FROM_BOB")), QByteArray("b"));
    }

    void lostReplyIsNotDuplicated_data() {
        QTest::addColumn<Fault>("fault");
        QTest::newRow("reply lost") << Fault::DropReply;
        QTest::newRow("request lost") << Fault::DropRequest;
        QTest::newRow("server error") << Fault::ServerError;
    }
    void lostReplyIsNotDuplicated() {
        QFETCH(Fault, fault);
        setUpTeam();
        syncOk(*bob);
        QVERIFY(m_world->set(*bob, QStringLiteral("TOKEN"), "t2"));
        m_world->server.faults = [fault](const sync::HttpRequest& request) {
            return request.method == "POST" ? fault : Fault::None;
        };
        auto failed = m_world->sync(*bob);
        QVERIFY(failed.has_value());
        QVERIFY(!failed->ok());
        QCOMPARE(m_world->pending(*bob), std::size_t{1});
        m_world->server.faults = nullptr;
        syncOk(*bob);
        QCOMPARE(m_world->pending(*bob), std::size_t{0});
        // Exactly one record for the change, whether the first push landed or not.
        QCOMPARE(m_world->server.records(m_world->team, m_world->environment).size(), std::size_t{4});
        syncOk(*alice);
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        auto secret = bob->store->secret(bob->env, QStringLiteral("TOKEN"));
        QCOMPARE(secret->version, 2); // no duplicate version from the acknowledgement
    }

    void pullOfSeveralPages_data() {
        QTest::addColumn<bool>("loseSecondPage");
        QTest::newRow("all pages") << false;
        QTest::newRow("second page request lost") << true;
    }
    void pullOfSeveralPages() {
        // 2,603 records: three pages, the next one requested while the one before is applied.
        QFETCH(bool, loseSecondPage);
        setUpTeam();
        syncOk(*bob);
        auto written = alice->store->transaction([&]() -> model::Result<void> {
            for (int i = 0; i < 2600; ++i) {
                const std::string value = "v" + std::to_string(i);
                auto set = alice->store->setSecret(alice->env, QStringLiteral("K%1").arg(i),
                                                   std::as_bytes(std::span(value.data(), value.size())));
                if (!set)
                    return std::unexpected(set.error());
            }
            return {};
        });
        QVERIFY(written.has_value());
        syncOk(*alice);
        QCOMPARE(m_world->server.records(m_world->team, m_world->environment).size(), std::size_t{2603});
        int pulls = 0; // touched by the engine's fetching thread only while bob syncs
        m_world->server.faults = [&pulls, loseSecondPage](const sync::HttpRequest& request) {
            const bool page = request.method == "GET" && request.path.ends_with("/records");
            return page && ++pulls == 2 && loseSecondPage ? Fault::DropRequest : Fault::None;
        };
        auto report = m_world->sync(*bob);
        QVERIFY(report.has_value());
        QCOMPARE(pulls, loseSecondPage ? 2 : 3); // nothing asked after the lost page, nor after the last
        if (loseSecondPage) {
            // The first page is applied and pinned; the lost one is asked again by the next run.
            QVERIFY(report->offline());
            QCOMPARE(logCount(*bob), std::size_t{3 + 1000});
            QCOMPARE(m_world->values(*bob).size(), std::size_t{2 + 1000});
            m_world->server.faults = nullptr;
            syncOk(*bob);
        } else {
            QVERIFY(report->ok());
        }
        QCOMPARE(logCount(*bob), std::size_t{2603});
        QCOMPARE(m_world->values(*bob), m_world->values(*alice));
    }

    void offlineKeepsOutbox() {
        setUpTeam();
        syncOk(*bob);
        m_world->server.faults = [](const sync::HttpRequest&) { return Fault::DropRequest; };
        QVERIFY(m_world->set(*bob, QStringLiteral("A"), "1"));
        QVERIFY(m_world->rename(*bob, QStringLiteral("TOKEN"), QStringLiteral("TOKEN2")));
        QVERIFY(m_world->remove(*bob, QStringLiteral("DB_URL")));
        auto offline = m_world->sync(*bob);
        QVERIFY(offline.has_value());
        QVERIFY(offline->offline());
        QCOMPARE(m_world->pending(*bob), std::size_t{4}); // set, rename (delete + set), delete
        m_world->server.faults = nullptr;
        syncOk(*bob);
        syncOk(*alice);
        QCOMPARE(m_world->values(*alice), m_world->values(*bob));
        QCOMPARE(describe(m_world->values(*alice)), QStringLiteral("A=1, TOKEN2=t0"));
    }

    // A read-only member's Store refuses a change of the shared environment at once (ReadOnly, a read-only
    // message), before anything is written: nothing lands in the outbox to wait forever.
    void readOnlyRefusedLocally() {
        setUpTeam(protocol::Access::Read);
        syncOk(*bob);
        QCOMPARE(m_world->values(*bob), m_world->values(*alice));
        const QByteArray mine("mine");
        auto set = bob->store->setSecret(bob->env, QStringLiteral("TOKEN"), std::as_bytes(std::span(mine)));
        QVERIFY(!set.has_value());
        QCOMPARE(set.error().code, model::ErrorCode::ReadOnly);
        QVERIFY2(set.error().message().contains(
                     QStringLiteral("read-only on this device (the team gave you read access to app/dev")),
                 qPrintable(set.error().message()));
        auto created = bob->store->setSecret(bob->env, QStringLiteral("NEW"), std::as_bytes(std::span(mine)));
        QVERIFY(!created.has_value());
        QCOMPARE(created.error().code, model::ErrorCode::ReadOnly);
        auto token = bob->store->secret(bob->env, QStringLiteral("TOKEN"));
        QVERIFY(token.has_value());
        auto removed = bob->store->deleteSecret(token->id);
        QVERIFY(!removed.has_value());
        QCOMPARE(removed.error().code, model::ErrorCode::ReadOnly);
        auto renamed = bob->store->renameSecret(token->id, QStringLiteral("TOKEN2"));
        QVERIFY(!renamed.has_value());
        QCOMPARE(renamed.error().code, model::ErrorCode::ReadOnly);
        auto noted = bob->store->editSecret(token->id, model::SecretEdit{QStringLiteral("a note"), std::nullopt});
        QVERIFY(!noted.has_value());
        QCOMPARE(noted.error().code, model::ErrorCode::ReadOnly);
        QCOMPARE(m_world->pending(*bob), std::size_t{0});
        QCOMPARE(m_world->values(*bob), m_world->values(*alice));
        // The team's changes still arrive.
        QVERIFY(m_world->set(*alice, QStringLiteral("TOKEN"), "t1"));
        syncOk(*alice);
        syncOk(*bob);
        QCOMPARE(m_world->values(*bob), m_world->values(*alice));
    }

    // Changes made while bob could write, then access lowered before they were sent: they stay in the outbox
    // (NotAllowed, no push attempted), and from then on the Store refuses new ones.
    void loweredAccessKeepsPendingChanges() {
        setUpTeam(protocol::Access::Write);
        syncOk(*bob);
        QVERIFY(m_world->set(*bob, QStringLiteral("TOKEN"), "mine"));
        QString error;
        QVERIFY2(m_world->grant(*bob, protocol::Access::Read, error), qPrintable(error));
        const auto requests = m_world->server.requestCount();
        auto result = bob->engine->syncEnvironment(bob->env);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, sync::ErrorCode::NotAllowed);
        QVERIFY2(result.error().message.contains(QStringLiteral("stay on this device")),
                 qPrintable(result.error().message));
        QCOMPARE(m_world->pending(*bob), std::size_t{1});
        for (const auto& record : m_world->server.records(m_world->team, m_world->environment))
            QVERIFY(record.author != bob->id);
        QVERIFY(m_world->server.requestCount() > requests); // it did pull
        const QByteArray more("more");
        auto refused = bob->store->setSecret(bob->env, QStringLiteral("TOKEN"), std::as_bytes(std::span(more)));
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, model::ErrorCode::ReadOnly);
    }

    void discoveryAvoidsNameClash() {
        m_world = std::make_unique<EngineWorld>();
        QString error;
        QVERIFY2(m_world->init(error), qPrintable(error));
        alice = &m_world->addClient(QStringLiteral("alice"));
        bob = &m_world->addClient(QStringLiteral("bob"));
        QVERIFY2(m_world->makeTeam(error), qPrintable(error));
        // Bob has his own app/dev already.
        auto project = bob->store->addProject(QStringLiteral("app"));
        QVERIFY(project.has_value());
        QVERIFY(bob->store->addEnvironment(project->id, QStringLiteral("dev")).has_value());
        QVERIFY2(m_world->share(QStringLiteral("app"), QStringLiteral("dev"), {{QStringLiteral("K"), "v"}}, error),
                 qPrintable(error));
        QVERIFY2(m_world->grant(*bob, protocol::Access::Write, error), qPrintable(error));
        syncOk(*bob);
        auto shared = bob->store->environment(project->id, QStringLiteral("dev-team"));
        QVERIFY(shared.has_value());
        QCOMPARE(shared->id, bob->env);
        QCOMPARE(describe(m_world->values(*bob)), QStringLiteral("K=v"));
    }

    void shareRefusedTwiceAndForNonAdmin() {
        setUpTeam();
        auto state = sync::TeamState::load(alice->db(), m_world->team);
        QVERIFY(state.has_value());
        auto again = alice->engine->shareEnvironment(*state, alice->env);
        QVERIFY(!again.has_value());
        QCOMPARE(again.error().code, sync::ErrorCode::NotAllowed);
        syncOk(*bob);
        auto project = bob->store->addProject(QStringLiteral("mine"));
        auto env = bob->store->addEnvironment(project->id, QStringLiteral("x"));
        auto bobState = sync::TeamState::load(bob->db(), m_world->team);
        QVERIFY(bobState.has_value());
        auto refused = bob->engine->shareEnvironment(*bobState, env->id);
        QVERIFY(!refused.has_value());
        QCOMPARE(refused.error().code, sync::ErrorCode::NotAllowed);
    }
};

QTEST_GUILESS_MAIN(TestEngineSync)
#include "TestEngineSync.moc"
