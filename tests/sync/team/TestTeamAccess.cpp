// SPDX-License-Identifier: Apache-2.0
// TeamService against a real coffer-server: sharing a project, grants (one batch; the member holds the key only
// through a verified grant), the access matrix, revocation and removal with new epochs, exposure reports listing
// exactly what the member could read, and the rotation list shrinking as secrets change.

#include "tests/sync/team/TeamTestSupport.h"

#include "crypto/SealedBox.h"
#include "model/Database.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Json.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <set>
#include <tuple>

using namespace coffer;
using namespace coffer::sync;
using namespace coffer::sync::testing;

namespace {

using SecretKey = std::tuple<QString, QString, QString, int>; // project, environment, name, version

SecretKey secretKey(const char* project, const char* environment, const char* name, int version) {
    return {QString::fromLatin1(project), QString::fromLatin1(environment), QString::fromLatin1(name), version};
}

std::set<SecretKey> exposedSet(const ExposureReport& report) {
    std::set<SecretKey> out;
    for (const auto& secret : report.secrets) {
        out.emplace(secret.project, secret.environment, secret.name, secret.version);
    }
    return out;
}

QByteArray keyBytes(const crypto::AeadKey* key) {
    if (key == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(key->bytes().data()), static_cast<qsizetype>(key->bytes().size())};
}

} // namespace

class TestTeamAccess : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TeamServer m_server;
    int m_serial = 0;

    // One team: alice (owner) with project "api" (dev, prod, staging) shared; bob and carol confirmed members.
    struct Team {
        std::unique_ptr<TeamClient> alice, bob, carol;
        protocol::TeamId id{};
        protocol::MemberId bobId{}, carolId{};
        std::int64_t dev = 0, prod = 0, staging = 0; // alice's local environment ids
    };

    std::unique_ptr<TeamClient> client(const QString& name) {
        const QString folder = m_dir.filePath(QStringLiteral("v%1").arg(++m_serial));
        QDir().mkpath(folder);
        auto made = std::make_unique<TeamClient>(folder, name);
        return made->ok() ? std::move(made) : nullptr;
    }

    static QString put(TeamClient& who, std::int64_t environment, const QString& name, const QByteArray& value) {
        auto set = who.store().setSecret(environment, name, bytesOf(value));
        return set ? QString() : set.error().message();
    }

    static QString confirmMember(TeamClient& admin, TeamClient& member, const protocol::TeamId& team,
                                 protocol::MemberId& id) {
        auto code = admin.team().invite(team);
        if (!code) {
            return code.error().message;
        }
        auto joined = member.team().join(*code, member.name());
        if (!joined) {
            return joined.error().message;
        }
        auto found = admin.team().findMember(team, joined->myFingerprint);
        if (!found) {
            return found.error().message;
        }
        id = found->id;
        auto confirmed = admin.team().confirm(team, id, protocol::Role::Member, joined->myFingerprint);
        return confirmed ? QString() : confirmed.error().message;
    }

    // Fails the test (returns false) with the reason when a step does not work.
    bool makeTeam(Team& team) {
        team.alice = client(QStringLiteral("alice"));
        team.bob = client(QStringLiteral("bob"));
        team.carol = client(QStringLiteral("carol"));
        if (!team.alice || !team.bob || !team.carol) {
            qWarning("no vaults");
            return false;
        }
        auto created = team.alice->team().createTeam(m_server.url(), QStringLiteral("acme"), QStringLiteral("alice"),
                                                     m_server.teamCode());
        if (!created) {
            qWarning("createTeam: %s", qPrintable(created.error().message));
            return false;
        }
        team.id = created->team;
        model::Store& store = team.alice->store();
        auto project = store.addProject(QStringLiteral("api"));
        auto dev = store.addEnvironment(project->id, QStringLiteral("dev"));
        auto prod = store.addEnvironment(project->id, QStringLiteral("prod"));
        auto staging = store.addEnvironment(project->id, QStringLiteral("staging"));
        if (!project || !dev || !prod || !staging) {
            qWarning("cannot make the project");
            return false;
        }
        team.dev = dev->id;
        team.prod = prod->id;
        team.staging = staging->id;
        for (const QString& error : {put(*team.alice, team.dev, QStringLiteral("DB_URL"), "postgres://dev"),
                                     put(*team.alice, team.dev, QStringLiteral("API_KEY"), "dev-key"),
                                     put(*team.alice, team.prod, QStringLiteral("DB_URL"), "postgres://prod"),
                                     put(*team.alice, team.prod, QStringLiteral("STRIPE_KEY"), "sk_live"),
                                     put(*team.alice, team.staging, QStringLiteral("DB_URL"), "postgres://staging")}) {
            if (!error.isEmpty()) {
                qWarning("setSecret: %s", qPrintable(error));
                return false;
            }
        }
        auto shared = team.alice->team().shareProject(team.id, project->id);
        if (!shared || shared->size() != 3) {
            qWarning("shareProject: %s", shared ? "not 3 environments" : qPrintable(shared.error().message));
            return false;
        }
        for (auto* member : {&team.bob, &team.carol}) {
            const QString error =
                confirmMember(*team.alice, **member, team.id, member == &team.bob ? team.bobId : team.carolId);
            if (!error.isEmpty()) {
                qWarning("adding %s: %s", qPrintable((*member)->name()), qPrintable(error));
                return false;
            }
        }
        return true;
    }

    static protocol::EnvironmentId protocolId(TeamClient& alice, const protocol::TeamId& team, std::int64_t local) {
        const auto shared = alice.team().sharedEnvironments(team);
        if (!shared) {
            return {};
        }
        for (const auto& environment : *shared) {
            if (environment.environmentId == local) {
                return environment.id;
            }
        }
        return {};
    }

    // The value of project/environment/name in `who`'s vault ("" when absent).
    static QByteArray valueOf(TeamClient& who, const QString& environment, const QString& name) {
        auto project = who.store().project(QStringLiteral("api"));
        if (!project) {
            return {};
        }
        auto env = who.store().environment(project->id, environment);
        if (!env) {
            return {};
        }
        auto secret = who.store().secret(env->id, name);
        if (!secret) {
            return {};
        }
        auto value = who.store().value(secret->id);
        if (!value) {
            return {};
        }
        return {reinterpret_cast<const char*>(value->data()), static_cast<qsizetype>(value->size())};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString problem = m_server.start(12);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    void cleanupTestCase() { m_server.stop(); }

    void grantsOpenOnlyThroughVerifiedGrants() {
        Team team;
        QVERIFY(makeTeam(team));
        const auto dev = protocolId(*team.alice, team.id, team.dev);
        const auto prod = protocolId(*team.alice, team.id, team.prod);
        const auto staging = protocolId(*team.alice, team.id, team.staging);

        // Confirmed but not granted: bob holds no key.
        auto before = team.bob->refreshedState(team.id);
        TEAM_VERIFY_OK(before);
        QVERIFY(before->key(dev, 1) == nullptr);

        // A grant to a member who only accepted an invite is refused before anything is signed.
        auto dave = client(QStringLiteral("dave"));
        QVERIFY(dave);
        auto code = team.alice->team().invite(team.id);
        TEAM_VERIFY_OK(code);
        TEAM_VERIFY_OK(dave->team().join(*code, QStringLiteral("dave")));
        auto daveInfo = team.alice->team().findMember(team.id, QStringLiteral("dave"));
        TEAM_VERIFY_OK(daveInfo);
        QCOMPARE(daveInfo->status, MemberInfo::Status::Pending);
        std::size_t writes = team.alice->requests->size();
        TEAM_VERIFY_ERROR(team.alice->team().applyAccess(team.id, {{daveInfo->id, team.dev, protocol::Access::Read}}),
                          ErrorCode::NotAllowed);
        QCOMPARE(team.alice->writesSince(writes), std::size_t{0});

        // One batch: bob writes dev and reads prod; carol reads dev.
        writes = team.alice->requests->size();
        auto reports = team.alice->team().applyAccess(team.id, {{team.bobId, team.dev, protocol::Access::Write},
                                                                {team.bobId, team.prod, protocol::Access::Read},
                                                                {team.carolId, team.dev, protocol::Access::Read}});
        TEAM_VERIFY_OK(reports);
        QVERIFY(reports->empty());
        std::size_t puts = 0;
        for (std::size_t i = writes; i < team.alice->requests->size(); ++i) {
            puts += team.alice->requests->at(i).starts_with("PUT ") ? 1 : 0;
        }
        QCOMPARE(puts, std::size_t{1});

        auto matrix = team.alice->team().accessMatrix(team.id);
        TEAM_VERIFY_OK(matrix);
        QCOMPARE(matrix->environments.size(), std::size_t{3});
        QCOMPARE(matrix->members.size(), std::size_t{3});
        for (std::size_t m = 0; m < matrix->members.size(); ++m) {
            for (std::size_t e = 0; e < matrix->environments.size(); ++e) {
                const QString& who = matrix->members[m].name;
                const QString& env = matrix->environments[e].environment;
                std::optional<protocol::Access> expected;
                if (who == QStringLiteral("alice")) {
                    expected = protocol::Access::Write;
                } else if (who == QStringLiteral("bob") && env == QStringLiteral("dev")) {
                    expected = protocol::Access::Write;
                } else if (who == QStringLiteral("bob") && env == QStringLiteral("prod")) {
                    expected = protocol::Access::Read;
                } else if (who == QStringLiteral("carol") && env == QStringLiteral("dev")) {
                    expected = protocol::Access::Read;
                }
                QVERIFY2(matrix->access[m][e] == expected, qPrintable(who + QLatin1Char('/') + env));
            }
        }

        // bob's verified state holds the very key alice made, and nothing of staging.
        auto aliceState = team.alice->refreshedState(team.id);
        auto bobState = team.bob->refreshedState(team.id);
        TEAM_VERIFY_OK(aliceState);
        TEAM_VERIFY_OK(bobState);
        QVERIFY(bobState->key(dev, 1) != nullptr);
        QCOMPARE(keyBytes(bobState->key(dev, 1)), keyBytes(aliceState->key(dev, 1)));
        QCOMPARE(keyBytes(bobState->key(prod, 1)), keyBytes(aliceState->key(prod, 1)));
        QVERIFY(bobState->key(staging, 1) == nullptr);
        QCOMPARE(bobState->access(prod, 1, team.bobId), std::optional(protocol::Access::Read));

        // bob syncs: dev and prod arrive, staging does not.
        auto synced = team.bob->engine().syncAll();
        TEAM_VERIFY_OK(synced);
        QCOMPARE(valueOf(*team.bob, QStringLiteral("dev"), QStringLiteral("API_KEY")), QByteArray("dev-key"));
        QCOMPARE(valueOf(*team.bob, QStringLiteral("prod"), QStringLiteral("STRIPE_KEY")), QByteArray("sk_live"));
        QCOMPARE(valueOf(*team.bob, QStringLiteral("staging"), QStringLiteral("DB_URL")), QByteArray());

        // Raising carol to write reuses the epoch; lowering bob's dev to read makes a new one (no exposure).
        TEAM_VERIFY_OK(team.alice->team().applyAccess(team.id, {{team.carolId, team.dev, protocol::Access::Write}}));
        aliceState = team.alice->refreshedState(team.id);
        TEAM_VERIFY_OK(aliceState);
        QCOMPARE(aliceState->currentEpoch(dev), std::uint64_t{1});
        QCOMPARE(aliceState->access(dev, 1, team.carolId), std::optional(protocol::Access::Write));
        auto lowered = team.alice->team().applyAccess(team.id, {{team.bobId, team.dev, protocol::Access::Read}});
        TEAM_VERIFY_OK(lowered);
        QVERIFY(lowered->empty());
        aliceState = team.alice->refreshedState(team.id);
        TEAM_VERIFY_OK(aliceState);
        QCOMPARE(aliceState->currentEpoch(dev), std::uint64_t{2});
        QCOMPARE(aliceState->access(dev, 2, team.bobId), std::optional(protocol::Access::Read));
        QCOMPARE(aliceState->access(dev, 2, team.carolId), std::optional(protocol::Access::Write));
        QCOMPARE(aliceState->access(dev, 1, team.bobId), std::optional(protocol::Access::Write)); // history intact
    }

    // A server that serves bob a grant someone else made: bob's client keeps no key from it.
    void tamperedGrantIsNotOpened_data() {
        QTest::addColumn<QString>("tampering");
        QTest::newRow("signed by a non-admin") << QStringLiteral("non-admin");
        QTest::newRow("another key sealed") << QStringLiteral("other-key");
        QTest::newRow("signature flipped") << QStringLiteral("signature");
    }
    void tamperedGrantIsNotOpened() {
        QFETCH(QString, tampering);
        Team team;
        QVERIFY(makeTeam(team));
        const auto dev = protocolId(*team.alice, team.id, team.dev);
        TEAM_VERIFY_OK(team.alice->team().applyAccess(team.id, {{team.bobId, team.dev, protocol::Access::Read}}));
        auto carol = loadIdentity(team.carol->vault().database());
        TEAM_VERIFY_OK(carol);
        auto bobIdentity = loadIdentity(team.bob->vault().database());
        TEAM_VERIFY_OK(bobIdentity);
        const auto otherKey = crypto::AeadKey::keygen();

        *team.bob->tamper = [&](const HttpRequest& request, HttpResponse& response) {
            if (request.method != "GET" || !request.path.ends_with("/grants") || response.status != 200) {
                return;
            }
            auto json = protocol::parseJson(response.body);
            if (!json) {
                return;
            }
            for (auto& entry : (*json)["grants"]) {
                auto grant = protocol::grantFromJson(entry);
                if (!grant || grant->member != bobIdentity->id) {
                    continue;
                }
                if (tampering == QStringLiteral("non-admin")) {
                    grant->admin = carol->id;
                    protocol::signGrant(*grant, carol->sign.secretKey);
                } else if (tampering == QStringLiteral("other-key")) {
                    grant->sealedKey = crypto::seal(bobIdentity->box.publicKey, otherKey.bytes());
                } else {
                    grant->signature.bytes[0] ^= std::byte{1};
                }
                entry = protocol::toJson(*grant);
            }
            response.body = json->dump();
        };
        auto tampered = team.bob->refreshedState(team.id);
        TEAM_VERIFY_ERROR(tampered, ErrorCode::Integrity);
        auto stored = TeamState::load(team.bob->vault().database(), team.id);
        TEAM_VERIFY_OK(stored);
        QVERIFY(stored->key(dev, 1) == nullptr);
        QVERIFY(!stored->access(dev, 1, team.bobId));
        QVERIFY(!stored->record().status.isEmpty());

        // The honest server again: the admin's grant verifies and opens.
        *team.bob->tamper = {};
        auto honest = team.bob->refreshedState(team.id);
        TEAM_VERIFY_OK(honest);
        QVERIFY(honest->key(dev, 1) != nullptr);
    }

    // The network fails after the Remove event, before the new keys: removing again finishes the job.
    void removeMemberResumesAfterAFailure() {
        Team team;
        QVERIFY(makeTeam(team));
        const auto dev = protocolId(*team.alice, team.id, team.dev);
        TEAM_VERIFY_OK(team.alice->team().applyAccess(team.id, {{team.bobId, team.dev, protocol::Access::Read},
                                                                {team.carolId, team.dev, protocol::Access::Write}}));
        *team.alice->block = [](const HttpRequest& request) { return request.method == "PUT"; };
        TEAM_VERIFY_ERROR(team.alice->team().removeMember(team.id, team.bobId), ErrorCode::Offline);
        *team.alice->block = {};
        auto bob = team.alice->team().findMember(team.id, QStringLiteral("bob"));
        TEAM_VERIFY_OK(bob);
        QCOMPARE(bob->status, MemberInfo::Status::Removed);
        auto aliceState = team.alice->refreshedState(team.id);
        TEAM_VERIFY_OK(aliceState);
        QCOMPARE(aliceState->currentEpoch(dev), std::uint64_t{1});

        auto report = team.alice->team().removeMember(team.id, team.bobId);
        TEAM_VERIFY_OK(report);
        QCOMPARE(exposedSet(*report),
                 (std::set<SecretKey>{secretKey("api", "dev", "API_KEY", 1), secretKey("api", "dev", "DB_URL", 1)}));
        aliceState = team.alice->refreshedState(team.id);
        TEAM_VERIFY_OK(aliceState);
        QCOMPARE(aliceState->currentEpoch(dev), std::uint64_t{2});
        QVERIFY(!aliceState->access(dev, 2, team.bobId));
        QCOMPARE(aliceState->access(dev, 2, team.carolId), std::optional(protocol::Access::Write));
        auto rotations = team.alice->team().rotationList();
        TEAM_VERIFY_OK(rotations);
        QCOMPARE(rotations->size(), std::size_t{2});

        // A third time: nothing left to replace, nothing listed twice.
        auto again = team.alice->team().removeMember(team.id, team.bobId);
        TEAM_VERIFY_OK(again);
        QVERIFY(again->secrets.empty());
        rotations = team.alice->team().rotationList();
        TEAM_VERIFY_OK(rotations);
        QCOMPARE(rotations->size(), std::size_t{2});
    }

    void nonAdminCannotGrant() {
        Team team;
        QVERIFY(makeTeam(team));
        const std::size_t before = team.bob->requests->size();
        auto refused = team.bob->team().applyAccess(team.id, {{team.bobId, team.staging, protocol::Access::Read}});
        TEAM_VERIFY_ERROR(refused, ErrorCode::NotAllowed);
        QVERIFY(refused.error().message.startsWith(QStringLiteral("Only an admin can")));
        TEAM_VERIFY_ERROR(team.bob->team().removeMember(team.id, team.carolId), ErrorCode::NotAllowed);
        QCOMPARE(team.bob->writesSince(before), std::size_t{0});
    }

    void revokeAndRemoveMakeNewEpochs() {
        Team team;
        QVERIFY(makeTeam(team));
        const auto dev = protocolId(*team.alice, team.id, team.dev);
        const auto prod = protocolId(*team.alice, team.id, team.prod);
        TEAM_VERIFY_OK(team.alice->team().applyAccess(team.id, {{team.bobId, team.dev, protocol::Access::Write},
                                                                {team.bobId, team.prod, protocol::Access::Read},
                                                                {team.carolId, team.dev, protocol::Access::Read}}));
        TEAM_VERIFY_OK(team.bob->engine().syncAll());
        QCOMPARE(valueOf(*team.bob, QStringLiteral("prod"), QStringLiteral("DB_URL")), QByteArray("postgres://prod"));
        QVERIFY(team.alice->store()
                    .audit(QStringLiteral("reveal"), QStringLiteral("api"), QStringLiteral("dev"),
                           QStringLiteral("API_KEY"))
                    .has_value());

        // Revoking prod: a new prod epoch sealed to alice only; the report lists exactly prod's secrets.
        auto revoked = team.alice->team().applyAccess(team.id, {{team.bobId, team.prod, std::nullopt}});
        TEAM_VERIFY_OK(revoked);
        QCOMPARE(revoked->size(), std::size_t{1});
        QVERIFY(revoked->front().member == team.bobId);
        QCOMPARE(revoked->front().memberName, QStringLiteral("bob"));
        const std::set<SecretKey> prodSecrets = {secretKey("api", "prod", "DB_URL", 1),
                                                 secretKey("api", "prod", "STRIPE_KEY", 1)};
        QCOMPARE(exposedSet(revoked->front()), prodSecrets);
        auto aliceState = team.alice->refreshedState(team.id);
        TEAM_VERIFY_OK(aliceState);
        QCOMPARE(aliceState->currentEpoch(prod), std::uint64_t{2});
        QVERIFY(aliceState->key(prod, 2) != nullptr);
        QVERIFY(!aliceState->access(prod, 2, team.bobId));
        // The revocation announced the new epoch in prod's log at once (the scope record again, at epoch 2), so a
        // record bob could still sign at epoch 1 is refused by every client; nothing waits in alice's outbox.
        TEAM_VERIFY_OK(team.alice->engine().pendingChanges(team.prod));
        QCOMPARE(*team.alice->engine().pendingChanges(team.prod), std::size_t{0});
        {
            auto q = team.alice->vault().database().prepare(
                "SELECT epoch, name FROM sync_log WHERE environment_id = ?1 ORDER BY seq DESC LIMIT 1");
            QVERIFY(q.has_value());
            q->bind(1, team.prod);
            auto row = q->step();
            QVERIFY(row.has_value() && *row);
            QCOMPARE(q->columnInt(0), std::int64_t{2});
            QCOMPARE(q->columnText(1), QStringLiteral(".coffer/scope"));
        }

        // Removing bob: a Remove event, a new dev epoch for alice and carol (carol keeps read), the report lists
        // exactly dev's secrets (prod was revoked already, staging never granted), with the server's pulls.
        auto report = team.alice->team().removeMember(team.id, team.bobId);
        TEAM_VERIFY_OK(report);
        const std::set<SecretKey> devSecrets = {secretKey("api", "dev", "API_KEY", 1),
                                                secretKey("api", "dev", "DB_URL", 1)};
        QCOMPARE(exposedSet(*report), devSecrets);
        QVERIFY2(report->accessLogError.isEmpty(), qPrintable(report->accessLogError));
        QCOMPARE(report->serverAccess.size(), 1);
        QVERIFY2(report->serverAccess.front().startsWith(QStringLiteral("api/dev: ")) &&
                     report->serverAccess.front().contains(QStringLiteral("pulls, last at")),
                 qPrintable(report->serverAccess.front()));
        QCOMPARE(report->localAudit.size(), 1);
        QVERIFY2(report->localAudit.front().contains(QStringLiteral("reveal api/dev/API_KEY")),
                 qPrintable(report->localAudit.front()));
        auto members = team.alice->team().members(team.id);
        TEAM_VERIFY_OK(members);
        for (const auto& member : *members) {
            if (member.name == QStringLiteral("bob")) {
                QCOMPARE(member.status, MemberInfo::Status::Removed);
            }
        }

        aliceState = team.alice->refreshedState(team.id);
        TEAM_VERIFY_OK(aliceState);
        QCOMPARE(aliceState->currentEpoch(dev), std::uint64_t{2});
        auto carolState = team.carol->refreshedState(team.id);
        TEAM_VERIFY_OK(carolState);
        QVERIFY(carolState->key(dev, 2) != nullptr);
        QCOMPARE(keyBytes(carolState->key(dev, 2)), keyBytes(aliceState->key(dev, 2)));
        QCOMPARE(carolState->access(dev, 2, team.carolId), std::optional(protocol::Access::Read));

        // alice writes after the removal: carol reads it, bob gets nothing (the server refuses him, and no key of
        // the new epoch was ever sealed to him).
        QCOMPARE(put(*team.alice, team.dev, QStringLiteral("NEW_SECRET"), "after-removal"), QString());
        auto aliceSync = team.alice->engine().syncAll();
        TEAM_VERIFY_OK(aliceSync);
        QVERIFY2(aliceSync->ok(), "alice's sync failed");
        TEAM_VERIFY_OK(team.carol->engine().syncAll());
        QCOMPARE(valueOf(*team.carol, QStringLiteral("dev"), QStringLiteral("NEW_SECRET")),
                 QByteArray("after-removal"));
        (void)team.bob->engine().syncAll();
        QCOMPARE(valueOf(*team.bob, QStringLiteral("dev"), QStringLiteral("NEW_SECRET")), QByteArray());
        auto bobState = TeamState::load(team.bob->vault().database(), team.id);
        TEAM_VERIFY_OK(bobState);
        QVERIFY(bobState->key(dev, 2) == nullptr);
        QVERIFY(bobState->key(prod, 2) == nullptr);

        // The rotation list: the four secrets bob could read, each until it has a new version.
        auto rotations = team.alice->team().rotationList();
        TEAM_VERIFY_OK(rotations);
        QCOMPARE(rotations->size(), std::size_t{4});
        for (const auto& item : *rotations) {
            QCOMPARE(item.memberName, QStringLiteral("bob"));
            QVERIFY(!item.rotated);
        }
        QCOMPARE(put(*team.alice, team.dev, QStringLiteral("API_KEY"), "dev-key-2"), QString());
        rotations = team.alice->team().rotationList();
        TEAM_VERIFY_OK(rotations);
        QCOMPARE(rotations->size(), std::size_t{3});
        auto stripe = team.alice->store().secret(team.prod, QStringLiteral("STRIPE_KEY"));
        QVERIFY(stripe.has_value());
        QVERIFY(team.alice->store().deleteSecret(stripe->id).has_value());
        rotations = team.alice->team().rotationList();
        TEAM_VERIFY_OK(rotations);
        QCOMPARE(rotations->size(), std::size_t{2});
        for (const auto& item : *rotations) {
            QVERIFY(item.name == QStringLiteral("DB_URL"));
        }
        auto all = team.alice->team().rotationList(true);
        TEAM_VERIFY_OK(all);
        QCOMPARE(all->size(), std::size_t{4});
        QCOMPARE(std::count_if(all->begin(), all->end(), [](const RotationItem& item) { return item.rotated; }), 2);
    }
};

QTEST_GUILESS_MAIN(TestTeamAccess)
#include "TestTeamAccess.moc"
