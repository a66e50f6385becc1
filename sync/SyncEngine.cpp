// SPDX-License-Identifier: Apache-2.0
// The engine's entry points: one run over every team (roster, grants, discovery, then each shared
// environment: pull, then push), one environment, and the small read-outs (fingerprint, status, pending).
// The work itself is in the Engine*.cpp files.
#include "sync/SyncEngine.h"

#include "crypto/Hash.h"
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"
#include "sync/TeamSupport.h"

#include <algorithm>

namespace coffer::sync {

using detail::SharedEnv;

bool SyncReport::ok() const {
    return teamErrors.empty() &&
           std::ranges::none_of(environments, [](const auto& env) { return env.error.has_value(); });
}

bool SyncReport::offline() const {
    bool any = false;
    for (const auto& error : teamErrors) {
        if (error.code != ErrorCode::Offline)
            return false;
        any = true;
    }
    for (const auto& env : environments) {
        if (!env.error)
            continue;
        if (env.error->code != ErrorCode::Offline)
            return false;
        any = true;
    }
    return any;
}

SyncEngine::SyncEngine(model::Vault& vault, model::Store& store, TransportFactory transports)
    : m_vault(vault)
    , m_store(store)
    , m_transports(std::move(transports)) {}

SyncEngine::~SyncEngine() = default;

namespace {

EnvironmentSync pullAndPush(detail::Context& ctx, SharedEnv& env) {
    EnvironmentSync out;
    out.environmentId = env.environmentId;
    out.project = env.project;
    out.environment = env.environment;
    if (!env.status.isEmpty()) {
        // Stopped until the user clears it: every later sync says the same thing.
        out.error = detail::storedIntegrityError(ctx.vault.database(), env);
        return out;
    }
    auto pulled = detail::pullEnvironment(ctx, env);
    if (!pulled) {
        out.error = pulled.error();
        return out;
    }
    out.pulled = pulled->applied;
    out.pushed = pulled->acknowledged;
    out.newConflicts = pulled->conflicts;
    detail::Applied rebased;
    auto pushed = detail::pushEnvironment(ctx, env, rebased);
    out.pulled += rebased.applied;
    out.pushed += rebased.acknowledged;
    out.newConflicts += rebased.conflicts;
    if (!pushed) {
        out.error = pushed.error();
        return out;
    }
    out.pushed += *pushed;
    return out;
}

// Teammates' changes are versions with their authors; the local audit log gets one event per run that applied
// any (not one per change: a first pull of 100k records would otherwise write 100k audit rows).
EnvironmentSync syncOne(detail::Context& ctx, SharedEnv& env) {
    EnvironmentSync out = pullAndPush(ctx, env);
    if (out.pulled > 0) {
        auto audited = ctx.store.audit(QStringLiteral("sync"), env.project, env.environment, QString(),
                                       QStringLiteral("%1 change(s) from the team applied").arg(out.pulled));
        if (!audited && !out.error)
            out.error = fail(audited.error()).error();
    }
    return out;
}

Result<std::size_t> countOf(model::Database& db, std::string_view sql, std::optional<std::int64_t> id) {
    auto q = db.prepare(sql);
    if (!q)
        return fail(q.error());
    if (id)
        q->bind(1, *id);
    auto row = q->step();
    if (!row)
        return fail(row.error());
    return static_cast<std::size_t>(q->columnInt(0));
}

// Roster and grants of a team, reported as a progress phase each.
Result<void> refreshTeam(TeamState& team, ServerClient& client, const ProgressFn& progress) {
    if (progress)
        progress(SyncProgress{QStringLiteral("roster"), team.record().name, 0, 0});
    if (auto ok = team.refreshRoster(client); !ok)
        return ok;
    if (progress)
        progress(SyncProgress{QStringLiteral("grants"), team.record().name, 0, 0});
    return team.refreshGrants(client);
}

} // namespace

Result<SyncReport> SyncEngine::syncAll(const ProgressFn& progress) {
    model::Database& db = m_vault.database();
    SyncReport report;
    auto teams = loadTeams(db);
    if (!teams)
        return std::unexpected(teams.error());
    for (const auto& record : *teams) {
        auto shared = detail::loadSharedOfTeam(db, record.team);
        if (!shared)
            return std::unexpected(shared.error());
        // A team-level failure is reported on the team and on each of its environments (they did not sync).
        auto failTeam = [&](const Error& error) {
            report.teamErrors.push_back(error);
            for (const auto& env : *shared)
                report.environments.push_back(
                    EnvironmentSync{env.environmentId, env.project, env.environment, 0, 0, 0, error});
        };
        auto team = TeamState::load(db, record.team);
        if (!team) {
            failTeam(team.error());
            continue;
        }
        auto transport = m_transports(team->transportOptions());
        if (!transport) {
            failTeam(transport.error());
            continue;
        }
        ServerClient client(**transport, team->me().sign);
        if (auto ok = refreshTeam(*team, client, progress); !ok) {
            failTeam(ok.error());
            continue;
        }
        detail::Context ctx{m_vault, m_store, *team, client, progress};
        if (auto ok = detail::discoverEnvironments(ctx, report.teamErrors); !ok)
            return std::unexpected(ok.error());
        // Environments just discovered get this member's access too (the Store refuses edits of read-only ones).
        if (auto ok = detail::storeLocalAccess(db, *team); !ok)
            return std::unexpected(ok.error());
        shared = detail::loadSharedOfTeam(db, record.team);
        if (!shared)
            return std::unexpected(shared.error());
        for (auto& env : *shared)
            report.environments.push_back(syncOne(ctx, env));
    }
    auto open = countOf(db, "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL", std::nullopt);
    if (!open)
        return std::unexpected(open.error());
    report.openConflicts = *open;
    auto pending = pendingChanges();
    if (!pending)
        return std::unexpected(pending.error());
    report.pending = *pending;
    return report;
}

Result<EnvironmentSync> SyncEngine::syncEnvironment(std::int64_t environmentId, const ProgressFn& progress) {
    model::Database& db = m_vault.database();
    auto env = detail::loadShared(db, environmentId);
    if (!env)
        return std::unexpected(env.error());
    if (!*env)
        return fail(ErrorCode::NotFound, QStringLiteral("This environment is not shared with a team."));
    if (!(*env)->status.isEmpty())
        return std::unexpected(detail::storedIntegrityError(db, **env));
    auto team = TeamState::load(db, (*env)->team);
    if (!team)
        return std::unexpected(team.error());
    auto transport = m_transports(team->transportOptions());
    if (!transport)
        return std::unexpected(transport.error());
    ServerClient client(**transport, team->me().sign);
    if (auto ok = refreshTeam(*team, client, progress); !ok)
        return std::unexpected(ok.error());
    detail::Context ctx{m_vault, m_store, *team, client, progress};
    EnvironmentSync result = syncOne(ctx, **env);
    if (result.error)
        return std::unexpected(*result.error);
    return result;
}

Result<QString> SyncEngine::environmentFingerprint(std::int64_t environmentId) {
    model::Database& db = m_vault.database();
    auto env = detail::loadShared(db, environmentId);
    if (!env)
        return std::unexpected(env.error());
    if (!*env)
        return fail(ErrorCode::NotFound, QStringLiteral("This environment is not shared with a team."));
    auto team = loadTeam(db, (*env)->team);
    if (!team)
        return std::unexpected(team.error());
    auto number = [](std::uint64_t value) {
        std::array<std::byte, 8> out{};
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = static_cast<std::byte>((value >> (8 * (7 - i))) & 0xff);
        return out;
    };
    const protocol::Head roster = team->rosterHead.value_or(protocol::Head{});
    crypto::Blake2b hasher;
    hasher.update(std::string_view("coffer/environment-fingerprint/v1"))
        .update(team->team.span())
        .update(number(roster.seq))
        .update(roster.hash.span())
        .update((*env)->id)
        .update(number((*env)->head.seq))
        .update((*env)->head.hash.span());
    return detail::digitGroups(hasher.finish());
}

Result<QString> SyncEngine::integrityStatus(std::int64_t environmentId) {
    auto env = detail::loadShared(m_vault.database(), environmentId);
    if (!env)
        return std::unexpected(env.error());
    if (!*env)
        return fail(ErrorCode::NotFound, QStringLiteral("This environment is not shared with a team."));
    return (*env)->status;
}

Result<void> SyncEngine::clearIntegrityError(std::int64_t environmentId) {
    return detail::execute(m_vault.database(), "UPDATE sync_environments SET status = '' WHERE environment_id = ?1",
                           environmentId);
}

Result<std::size_t> SyncEngine::pendingChanges(std::optional<std::int64_t> environmentId) {
    if (environmentId)
        return countOf(m_vault.database(), "SELECT count(*) FROM sync_outbox WHERE environment_id = ?1", environmentId);
    return countOf(m_vault.database(), "SELECT count(*) FROM sync_outbox", std::nullopt);
}

} // namespace coffer::sync
