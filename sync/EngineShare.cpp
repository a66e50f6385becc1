// SPDX-License-Identifier: Apache-2.0
// Sharing a local environment: a fresh environment id and epoch-1 key, a write grant to this admin signed at
// the verified roster head (PUT before anything local changes), then in one transaction the sync row and
// the outbox: the scope record first, then every live secret. The first push sends them; offline, they wait
// in the outbox like any change.
#include "crypto/Random.h"
#include "crypto/SealedBox.h"
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"
#include "sync/protocol/Canonical.h"

namespace coffer::sync {

using detail::execute;

namespace {

struct LocalScope {
    QString project;
    QString environment;
    bool isProtected = false;
};

Result<LocalScope> localScope(model::Database& db, std::int64_t environmentId) {
    auto q = db.prepare("SELECT p.name, e.name, e.is_protected FROM environments e JOIN projects p "
                        "ON p.id = e.project_id WHERE e.id = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bind(1, environmentId).step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("No environment with id %1 in this vault.").arg(environmentId));
    return LocalScope{q->columnText(0), q->columnText(1), q->columnInt(2) != 0};
}

protocol::RecordId freshRecordId() {
    protocol::RecordId id{};
    crypto::randomFill(id);
    return id;
}

Result<void> addOutboxRow(model::Database& db, std::int64_t environmentId, const QString& name,
                          std::span<const std::byte> value, const QString& note, std::int64_t secretId,
                          std::int64_t version) {
    return execute(db,
                   "INSERT INTO sync_outbox (environment_id, record_id, op, name, value, note, base_record, secret_id, "
                   "version, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                   environmentId, freshRecordId(), static_cast<int>(protocol::ChangeOp::Set), name, value, note,
                   protocol::RecordId{}, secretId, version, detail::nowMs());
}

} // namespace

Result<void> SyncEngine::shareEnvironment(TeamState& team, std::int64_t environmentId) {
    model::Database& db = m_vault.database();
    auto shared = m_store.isShared(environmentId);
    if (!shared)
        return fail(shared.error());
    if (*shared)
        return fail(ErrorCode::NotAllowed, QStringLiteral("This environment is shared already."));
    auto scope = localScope(db, environmentId);
    if (!scope)
        return std::unexpected(scope.error());
    if (!team.hasRoster())
        return fail(ErrorCode::NotAllowed, QStringLiteral("The team's roster has not been read yet."));
    const auto role = team.myRole();
    if (!role || !protocol::isAdmin(*role))
        return fail(ErrorCode::NotAllowed, QStringLiteral("Only a team admin can share an environment."));

    const LocalIdentity& me = team.me();
    protocol::EnvironmentId id{};
    crypto::randomFill(id);
    auto key = crypto::AeadKey::keygen();
    protocol::Grant grant;
    grant.team = team.record().team;
    grant.environment = id;
    grant.epoch = 1;
    grant.member = me.id;
    grant.access = protocol::Access::Write;
    grant.sealedKey = crypto::seal(me.box.publicKey, key.bytes());
    grant.rosterSeq = team.roster().head().seq;
    grant.rosterHead = team.roster().head().hash;
    grant.admin = me.id;
    protocol::signGrant(grant, me.sign.secretKey);

    auto transport = m_transports(team.transportOptions());
    if (!transport)
        return std::unexpected(transport.error());
    ServerClient client(**transport, me.sign);
    if (auto put = client.putGrants(team.record().team, {grant}); !put)
        return put;
    std::vector<std::pair<std::uint64_t, crypto::AeadKey>> keys;
    keys.emplace_back(1, crypto::AeadKey::fromBytes(key.bytes()));
    if (auto added = team.addOwnGrants({grant}, keys); !added)
        return added;

    auto secrets = m_store.secrets(environmentId);
    if (!secrets)
        return fail(secrets.error());
    auto written = detail::transaction(db, [&]() -> Result<void> {
        if (auto ok = execute(db,
                              "INSERT INTO sync_environments (environment_id, team, environment, head_seq, head_hash, "
                              "status) VALUES (?1, ?2, ?3, 0, ?4, '')",
                              environmentId, team.record().team.bytes, id, protocol::Hash{}.bytes);
            !ok)
            return ok;
        const auto scopeJson = detail::scopeValue(scope->project, scope->environment, scope->isProtected);
        if (auto ok =
                addOutboxRow(db, environmentId, QString::fromLatin1(kScopeRecordName), scopeJson.bytes(), {}, 0, 0);
            !ok)
            return ok;
        for (const auto& secret : *secrets) {
            auto value = m_store.value(secret.id);
            if (!value)
                return fail(value.error());
            if (auto ok = addOutboxRow(db, environmentId, secret.name, value->bytes(), secret.note, secret.id,
                                       secret.version);
                !ok)
                return ok;
        }
        return {};
    });
    if (!written)
        return written;

    auto env = detail::loadShared(db, environmentId);
    if (!env || !*env)
        return env ? fail(ErrorCode::Vault, QStringLiteral("The shared environment's row is missing."))
                   : std::unexpected(env.error());
    const ProgressFn noProgress;
    detail::Context ctx{m_vault, m_store, team, client, noProgress};
    detail::Applied rebased;
    auto pushed = detail::pushEnvironment(ctx, **env, rebased);
    // Offline is fine: the environment is shared and its first batch waits in the outbox.
    if (!pushed && pushed.error().code != ErrorCode::Offline)
        return std::unexpected(pushed.error());
    return {};
}

} // namespace coffer::sync
