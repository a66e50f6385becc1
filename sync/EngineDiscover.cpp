// SPDX-License-Identifier: Apache-2.0
// Discovery: an environment this member was granted but does not have locally. Its log starts with a scope
// record naming the project and environment; once that first page verifies and opens, the project and
// environment are created (an environment name already taken locally gets "-team", then "-team2", ...), and
// the normal pull applies the log from the start.
#include "model/Database.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/SyncDetail.h"
#include "sync/protocol/Canonical.h"
#include "sync/protocol/Verify.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace coffer::sync::detail {
namespace {

struct Scope {
    QString project;
    QString environment;
    bool isProtected = false;
};

std::optional<Scope> parseScope(const protocol::Change& change) {
    if (change.name != kScopeRecordName || change.op != protocol::ChangeOp::Set)
        return std::nullopt;
    const auto text = change.value.view();
    QJsonParseError error{};
    const auto document = QJsonDocument::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const auto project = object.value(QStringLiteral("project"));
    const auto environment = object.value(QStringLiteral("environment"));
    const auto isProtected = object.value(QStringLiteral("protected"));
    if (!project.isString() || !environment.isString() || !isProtected.isBool())
        return std::nullopt;
    return Scope{project.toString(), environment.toString(), isProtected.toBool()};
}

Result<void> createLocal(Context& ctx, const protocol::EnvironmentId& id, const Scope& scope) {
    model::Database& db = ctx.vault.database();
    return transaction(db, [&]() -> Result<void> {
        auto project = ctx.store.project(scope.project);
        if (!project) {
            if (project.error().code != model::ErrorCode::NotFound)
                return fail(project.error());
            project = ctx.store.addProject(scope.project);
            if (!project)
                return fail(project.error());
        }
        QString name = scope.environment;
        for (int n = 1;; ++n) {
            auto existing = ctx.store.environment(project->id, name);
            if (!existing) {
                if (existing.error().code != model::ErrorCode::NotFound)
                    return fail(existing.error());
                break;
            }
            name = scope.environment + (n == 1 ? QStringLiteral("-team") : QStringLiteral("-team%1").arg(n));
        }
        auto environment = ctx.store.addEnvironment(project->id, name, scope.isProtected);
        if (!environment)
            return fail(environment.error());
        return execute(db,
                       "INSERT INTO sync_environments (environment_id, team, environment, head_seq, head_hash, "
                       "status) VALUES (?1, ?2, ?3, 0, ?4, '')",
                       environment->id, ctx.team.record().team.bytes, id, protocol::Hash{}.bytes);
    });
}

} // namespace

Result<void> discoverEnvironments(Context& ctx, std::vector<Error>& errors) {
    model::Database& db = ctx.vault.database();
    const TeamState& team = ctx.team;
    for (const auto& id : team.environments()) {
        auto known = isKnownEnvironment(db, id);
        if (!known)
            return std::unexpected(known.error());
        if (*known)
            continue;
        // Only an environment this member can read now (a revoked one stays away).
        if (!team.access(id, team.currentEpoch(id), team.me().id))
            continue;
        auto page = ctx.client.pull(team.record().team, id, 0, 1);
        if (!page) {
            errors.push_back(page.error());
            continue;
        }
        if (page->records.empty())
            continue; // shared, but its first batch is not there yet
        protocol::LogVerifier verifier(team.record().team, id, protocol::Head{}, team.roster(), team.writeCheck(id));
        const QString what = QStringLiteral("A newly granted environment of team %1").arg(team.record().name);
        if (auto verified = verifier.verify(page->records); !verified) {
            auto error = failIntegrity(what, verified.error()).error();
            recordEvidence(db, team.record().team, id, verified.error(), error.message,
                           protocol::encode(page->records.front()));
            errors.push_back(std::move(error));
            continue;
        }
        const auto& first = page->records.front();
        const crypto::AeadKey* key = team.key(id, first.epoch);
        if (key == nullptr)
            continue; // no key for its first epoch yet: the grant of the older epochs comes later
        auto change = protocol::openChange(first, *key);
        std::optional<Scope> scope;
        if (change)
            scope = parseScope(*change);
        if (!scope) {
            const protocol::Error check{protocol::ErrorCode::WrongContext, first.seq,
                                        change ? "the log does not start with a scope record"
                                               : "the scope record does not decrypt"};
            auto error = failIntegrity(what, check).error();
            recordEvidence(db, team.record().team, id, check, error.message, protocol::encode(first));
            errors.push_back(std::move(error));
            continue;
        }
        if (auto created = createLocal(ctx, id, *scope); !created)
            errors.push_back(created.error());
    }
    return {};
}

} // namespace coffer::sync::detail
