// SPDX-License-Identifier: Apache-2.0
// TeamService: the access matrix, grants and revocations (one signed batch), removing a member.
#include "sync/TeamService.h"

#include "crypto/Random.h"
#include "model/Vault.h"
#include "sync/EngineDetail.h"
#include "sync/ServerClient.h"
#include "sync/SyncDetail.h"
#include "sync/TeamState.h"
#include "sync/TeamSupport.h"
#include "sync/protocol/Canonical.h"

#include <map>
#include <set>

namespace coffer::sync {

namespace {

using AccessChanges = std::map<protocol::MemberId, std::optional<protocol::Access>>;

// What one environment's part of a batch is: the grants, the keys this admin made, who lost access.
struct EnvironmentPlan {
    SharedEnvironment environment;
    std::vector<protocol::Grant> grants;
    std::vector<std::pair<std::uint64_t, crypto::AeadKey>> ownKeys;
    std::vector<protocol::MemberId> revoked;
};

// Grants Read at every older epoch this admin holds a key of and `member` has no grant at, so history opens.
void grantHistory(const detail::TeamSession& session, const protocol::EnvironmentId& environment, std::uint64_t below,
                  const protocol::MemberIdentity& member, std::vector<protocol::Grant>& out) {
    const TeamState& state = session.state();
    const protocol::MemberId id = protocol::memberId(member);
    for (std::uint64_t epoch = 1; epoch < below; ++epoch) {
        const crypto::AeadKey* key = state.key(environment, epoch);
        if (key != nullptr && !state.access(environment, epoch, id)) {
            out.push_back(session.makeGrant(environment, epoch, member, protocol::Access::Read, *key));
        }
    }
}

// The grants for one environment. Grants that only add or raise access reuse the current epoch's key; a revocation
// or a lowered access (or `forceNewEpoch`, after a removal) makes a new epoch whose key is sealed to everyone who
// keeps access. Lowering in place would make that member's earlier records fail every client's write check.
Result<EnvironmentPlan> planEnvironment(detail::TeamSession& session, const SharedEnvironment& environment,
                                        const AccessChanges& changes, bool forceNewEpoch) {
    TeamState& state = session.state();
    const protocol::RosterState& roster = state.roster();
    const std::uint64_t epoch = state.currentEpoch(environment.id);
    const crypto::AeadKey* key = epoch == 0 ? nullptr : state.key(environment.id, epoch);
    const QString scope = environment.project + QLatin1Char('/') + environment.environment;
    if (key == nullptr) {
        return fail(ErrorCode::NotAllowed,
                    QStringLiteral("This vault does not hold the current key of %1: an admin who does must change its "
                                   "access.")
                        .arg(scope));
    }
    EnvironmentPlan plan;
    plan.environment = environment;
    bool newEpoch = forceNewEpoch;
    for (const auto& [member, access] : changes) {
        const auto current = state.access(environment.id, epoch, member);
        if (current && (!access || (*access == protocol::Access::Read && *current == protocol::Access::Write))) {
            newEpoch = true;
        }
    }

    if (!newEpoch) {
        for (const auto& [member, access] : changes) {
            const auto current = state.access(environment.id, epoch, member);
            if (!access || current == access) {
                continue; // revoking someone without access, or no change
            }
            const protocol::MemberIdentity& identity = roster.member(member)->identity;
            plan.grants.push_back(session.makeGrant(environment.id, epoch, identity, *access, *key));
            if (!current) {
                grantHistory(session, environment.id, epoch, identity, plan.grants);
            }
        }
        return plan;
    }

    // Everyone who keeps access at the new epoch: the current grants of current members, then the changes.
    std::map<protocol::MemberId, protocol::Access> next;
    std::set<protocol::MemberId> hadAccess;
    for (const auto& grant : state.grants(environment.id)) {
        if (grant.epoch != epoch) {
            continue;
        }
        hadAccess.insert(grant.member);
        const protocol::RosterMember* member = roster.member(grant.member);
        if (member != nullptr && !member->removed) {
            next[grant.member] = grant.access;
        }
    }
    for (const auto& [member, access] : changes) {
        if (access) {
            next[member] = *access;
        } else {
            next.erase(member);
        }
    }
    for (const auto& member : hadAccess) {
        if (!next.contains(member)) {
            plan.revoked.push_back(member);
        }
    }
    if (!next.contains(state.me().id)) {
        next[state.me().id] = protocol::Access::Write; // the admin who rotates keeps the key it made
    }
    auto fresh = crypto::AeadKey::keygen();
    const std::uint64_t nextEpoch = epoch + 1;
    for (const auto& [member, access] : next) {
        const protocol::MemberIdentity& identity = roster.member(member)->identity;
        plan.grants.push_back(session.makeGrant(environment.id, nextEpoch, identity, access, fresh));
        if (!hadAccess.contains(member)) {
            grantHistory(session, environment.id, nextEpoch, identity, plan.grants);
        }
    }
    plan.ownKeys.emplace_back(nextEpoch, std::move(fresh));
    return plan;
}

// Sends every plan's grants as one PUT, then stores them (and the new keys) in the verified state.
Result<void> applyPlans(detail::TeamSession& session, std::vector<EnvironmentPlan>& plans) {
    std::vector<protocol::Grant> batch;
    for (const auto& plan : plans) {
        batch.insert(batch.end(), plan.grants.begin(), plan.grants.end());
    }
    if (batch.empty()) {
        return {};
    }
    if (auto put = session.client().putGrants(session.state().roster().team(), batch); !put) {
        return put;
    }
    for (auto& plan : plans) {
        if (auto added = session.state().addOwnGrants(plan.grants, plan.ownKeys); !added) {
            return added;
        }
    }
    return {};
}

// After a new epoch, the scope record again, pushed at once at that epoch. Epochs never decrease along a log
// (EnginePull), so from then on every client refuses a record at an older epoch: a removed member colluding with
// the server can no longer append with the old key, which still verifies (they had write access at that epoch).
// A push that fails (offline, races lost, an integrity stop) leaves the record in the outbox; the window stays open
// until it lands. An environment stopped by an integrity failure keeps it in the outbox too.
Result<void> announceEpochs(model::Vault& vault, model::Store& store, detail::TeamSession& session,
                            const std::vector<EnvironmentPlan>& plans) {
    model::Database& db = vault.database();
    for (const auto& plan : plans) {
        if (plan.ownKeys.empty())
            continue; // no new epoch for this environment
        const SharedEnvironment& shared = plan.environment;
        const TeamState& state = session.state();
        if (state.access(shared.id, state.currentEpoch(shared.id), state.me().id) != protocol::Access::Write)
            continue; // an admin who kept read access only cannot append; another admin's write closes the window
        const auto scope = detail::scopeValue(shared.project, shared.environment, shared.isProtected);
        auto queued = detail::execute(
            db,
            "INSERT INTO sync_outbox (environment_id, record_id, op, name, value, note, base_record, secret_id, "
            "version, created_at) VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, 0, 0, ?7)",
            shared.environmentId, crypto::randomArray<16>(), static_cast<int>(protocol::ChangeOp::Set),
            QString::fromLatin1(kScopeRecordName), std::span<const std::byte>(scope.bytes()), protocol::RecordId{},
            detail::nowMs());
        if (!queued)
            return queued;
        auto env = detail::loadShared(db, shared.environmentId);
        if (!env)
            return std::unexpected(env.error());
        if (!*env || !(*env)->status.isEmpty())
            continue;
        const ProgressFn noProgress;
        detail::Context ctx{vault, store, session.state(), session.client(), noProgress};
        detail::Applied rebased;
        // The removal itself is done: a push that fails (offline, a lost race, an integrity stop it found) leaves
        // the record in the outbox for the next sync, which reports what went wrong.
        (void)detail::pushEnvironment(ctx, **env, rebased);
    }
    return {};
}

} // namespace

Result<AccessMatrix> TeamService::accessMatrix(const protocol::TeamId& team) {
    auto session = detail::TeamSession::open(m_vault, m_engine, team);
    if (!session) {
        return std::unexpected(session.error());
    }
    if (auto refreshed = (*session)->refresh(true, true); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    const TeamState& state = (*session)->state();
    auto confirmations = detail::loadConfirmations(m_vault.database(), team);
    if (!confirmations) {
        return std::unexpected(confirmations.error());
    }
    auto environments = sharedEnvironments(team);
    if (!environments) {
        return std::unexpected(environments.error());
    }
    AccessMatrix matrix;
    for (auto& member : detail::rosterMembers(state, *confirmations)) {
        if (member.status != MemberInfo::Status::Removed) {
            matrix.members.push_back(std::move(member));
        }
    }
    matrix.environments = std::move(*environments);
    for (const auto& member : matrix.members) {
        std::vector<std::optional<protocol::Access>> row;
        for (const auto& environment : matrix.environments) {
            const std::uint64_t epoch = state.currentEpoch(environment.id);
            row.push_back(epoch == 0 ? std::nullopt : state.access(environment.id, epoch, member.id));
        }
        matrix.access.push_back(std::move(row));
    }
    return matrix;
}

Result<std::vector<ExposureReport>> TeamService::applyAccess(const protocol::TeamId& team,
                                                             const std::vector<AccessChange>& changes) {
    auto opened = detail::TeamSession::open(m_vault, m_engine, team);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    detail::TeamSession& session = **opened;
    if (auto refreshed = session.refresh(true, false); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    if (auto admin = session.requireAdmin(QStringLiteral("change access")); !admin) {
        return std::unexpected(admin.error());
    }
    const TeamState& state = session.state();
    auto confirmations = detail::loadConfirmations(m_vault.database(), team);
    if (!confirmations) {
        return std::unexpected(confirmations.error());
    }
    auto environments = sharedEnvironments(team);
    if (!environments) {
        return std::unexpected(environments.error());
    }

    // Check every change before anything is signed: the batch is all or nothing.
    std::map<std::int64_t, AccessChanges> byEnvironment;
    for (const auto& change : changes) {
        const protocol::RosterMember* member = state.roster().member(change.member);
        if (member == nullptr || member->removed) {
            return fail(ErrorCode::NotAllowed, QStringLiteral("Access can only change for a member of the team: "
                                                              "confirm a pending member first."));
        }
        const QString name = QString::fromStdString(member->identity.displayName);
        if (change.access && member->id != state.me().id && detail::keysChanged(*confirmations, member->id, name)) {
            return fail(ErrorCode::NotAllowed,
                        QStringLiteral("%1's keys changed since they were confirmed: compare their fingerprint and "
                                       "confirm them before granting access.")
                            .arg(name));
        }
        if (member->id == state.me().id && change.access != protocol::Access::Write) {
            return fail(ErrorCode::NotAllowed, QStringLiteral("You cannot lower your own access."));
        }
        const auto environment = std::find_if(environments->begin(), environments->end(), [&](const auto& shared) {
            return shared.environmentId == change.environmentId;
        });
        if (environment == environments->end()) {
            return fail(ErrorCode::NotFound, QStringLiteral("That environment is not shared with this team."));
        }
        byEnvironment[change.environmentId][change.member] = change.access;
    }

    std::vector<EnvironmentPlan> plans;
    for (const auto& [environmentId, environmentChanges] : byEnvironment) {
        const auto environment = std::find_if(environments->begin(), environments->end(), [&](const auto& shared) {
            return shared.environmentId == environmentId;
        });
        auto plan = planEnvironment(session, *environment, environmentChanges, false);
        if (!plan) {
            return std::unexpected(plan.error());
        }
        plans.push_back(std::move(*plan));
    }
    if (auto applied = applyPlans(session, plans); !applied) {
        return std::unexpected(applied.error());
    }
    if (auto announced = announceEpochs(m_vault, m_store, session, plans); !announced) {
        return std::unexpected(announced.error());
    }

    // One report per revoked member, over every environment they lost.
    std::map<protocol::MemberId, std::vector<SharedEnvironment>> lost;
    for (const auto& plan : plans) {
        for (const auto& member : plan.revoked) {
            lost[member].push_back(plan.environment);
        }
    }
    std::vector<ExposureReport> reports;
    for (const auto& [member, scopes] : lost) {
        auto report = detail::exposureReport(m_store, m_vault.database(), session.client(), team, member,
                                             state.memberName(member), scopes);
        if (!report) {
            return std::unexpected(report.error());
        }
        reports.push_back(std::move(*report));
    }
    return reports;
}

Result<ExposureReport> TeamService::removeMember(const protocol::TeamId& team, const protocol::MemberId& member) {
    auto opened = detail::TeamSession::open(m_vault, m_engine, team);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    detail::TeamSession& session = **opened;
    if (auto refreshed = session.refresh(true, false); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    if (auto admin = session.requireAdmin(QStringLiteral("remove members")); !admin) {
        return std::unexpected(admin.error());
    }
    TeamState& state = session.state();
    const protocol::RosterMember* target = state.roster().member(member);
    if (target == nullptr) {
        return fail(ErrorCode::NotFound, QStringLiteral("That member is not in the team."));
    }
    if (member == state.me().id) {
        return fail(ErrorCode::NotAllowed, QStringLiteral("You cannot remove yourself: another admin must."));
    }
    const protocol::MemberIdentity identity = target->identity;
    const QString name = QString::fromStdString(identity.displayName);
    auto environments = sharedEnvironments(team);
    if (!environments) {
        return std::unexpected(environments.error());
    }
    // What they can read now (at each environment's current epoch), known before the roster changes.
    std::vector<SharedEnvironment> readable;
    for (const auto& environment : *environments) {
        const std::uint64_t epoch = state.currentEpoch(environment.id);
        if (epoch != 0 && state.access(environment.id, epoch, member)) {
            // Checked before the roster changes: a removal whose keys cannot all be replaced is not started.
            if (state.key(environment.id, epoch) == nullptr) {
                return fail(ErrorCode::NotAllowed,
                            QStringLiteral("This vault does not hold the current key of %1/%2, so it cannot replace "
                                           "it: an admin who holds it must remove %3.")
                                .arg(environment.project, environment.environment, name));
            }
            readable.push_back(environment);
        }
    }

    // A member already removed (an earlier call that failed after the Remove event) only gets the new epochs.
    if (!target->removed) {
        if (target->role == protocol::Role::Owner && state.myRole() != protocol::Role::Owner) {
            return fail(ErrorCode::NotAllowed, QStringLiteral("Only an owner can remove an owner."));
        }
        if (auto removed = session.appendEvent(protocol::RosterEventKind::Remove, identity, target->role); !removed) {
            return std::unexpected(removed.error());
        }
    }
    std::vector<EnvironmentPlan> plans;
    for (const auto& environment : readable) {
        auto plan = planEnvironment(session, environment, {}, true);
        if (!plan) {
            return std::unexpected(plan.error());
        }
        plans.push_back(std::move(*plan));
    }
    if (auto applied = applyPlans(session, plans); !applied) {
        return std::unexpected(applied.error());
    }
    if (auto announced = announceEpochs(m_vault, m_store, session, plans); !announced) {
        return std::unexpected(announced.error());
    }
    return detail::exposureReport(m_store, m_vault.database(), session.client(), team, member, name, readable);
}

} // namespace coffer::sync
