// SPDX-License-Identifier: Apache-2.0
#include "sync/TeamService.h"

#include "crypto/SecureBuffer.h"
#include "model/Store.h"
#include "model/Vault.h"
#include "sync/ServerClient.h"
#include "sync/TeamState.h"
#include "sync/TeamSupport.h"
#include "sync/protocol/Canonical.h"

#include <string>

// TeamService is split by topic: this file creates, lists and shares; TeamInvite.cpp invites and joins;
// TeamMembers.cpp lists, confirms and changes members; TeamAccess.cpp grants, revokes, removes and rotates.

namespace coffer::sync {

namespace {

constexpr std::size_t kMaxTeamNameChars = 128;

// A code read from a file or stdin may end in a line break; nothing else is changed.
std::string trimmedCode(const crypto::SecureBuffer& code) {
    std::string text(reinterpret_cast<const char*>(code.data()), code.size());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) {
        text.pop_back();
    }
    std::size_t start = 0;
    while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) {
        ++start;
    }
    if (start > 0) {
        std::string rest = text.substr(start);
        crypto::wipe(text);
        return rest;
    }
    return text;
}

} // namespace

TeamService::TeamService(model::Vault& vault, model::Store& store, SyncEngine& engine)
    : m_vault(vault)
    , m_store(store)
    , m_engine(engine) {}

Result<TeamSummary> TeamService::createTeam(const QString& serverUrl, const QString& teamName,
                                            const QString& displayName, const crypto::SecureBuffer& teamCode,
                                            const QString& caFile) {
    const QString name = teamName.trimmed();
    if (name.isEmpty() || name.size() > static_cast<qsizetype>(kMaxTeamNameChars)) {
        return fail(ErrorCode::InvalidInput, QStringLiteral("A team name needs 1 to 128 characters."));
    }
    std::string code = trimmedCode(teamCode);
    if (code.empty()) {
        return fail(ErrorCode::InvalidInput, QStringLiteral("The team code is empty: ask the server's operator for one "
                                                            "(coffer-server team-code)."));
    }
    auto identity = ensureIdentity(m_vault.database(), displayName);
    if (!identity) {
        crypto::wipe(code);
        return std::unexpected(identity.error());
    }

    protocol::RosterEvent genesis;
    genesis.seq = 0;
    genesis.kind = protocol::RosterEventKind::Genesis;
    genesis.subject = identity->identity;
    genesis.role = protocol::Role::Owner;
    genesis.signer = identity->id;
    genesis.time = detail::nowSeconds();
    protocol::signRosterEvent(genesis, identity->sign.secretKey);
    const protocol::TeamId team = protocol::teamIdOf(genesis);

    TransportOptions options;
    options.baseUrl = serverUrl.trimmed();
    options.caFile = caFile;
    auto transport = m_engine.transports()(options);
    if (!transport) {
        crypto::wipe(code);
        return std::unexpected(transport.error());
    }
    ServerClient client(**transport, identity->sign);
    auto created = client.createTeam(code, genesis);
    crypto::wipe(code);
    if (!created) {
        Error error = created.error();
        if (error.code == ErrorCode::Refused) {
            error.message = QStringLiteral("The server refused the team code: it is unknown, used or expired. "
                                           "Ask the server's operator for a new one (coffer-server team-code).");
        } else if (error.code == ErrorCode::Conflict) {
            error.message = QStringLiteral("The server already has this team.");
        }
        return std::unexpected(error);
    }

    TeamRecord record;
    record.team = team;
    record.name = name;
    record.serverUrl = options.baseUrl;
    record.caFile = caFile;
    if (auto stored = storeTeam(m_vault.database(), record); !stored) {
        return std::unexpected(stored.error());
    }
    // Read the genesis back through the verifier, so the stored roster is the server's and pinned.
    auto session = detail::TeamSession::open(m_vault, m_engine, team);
    if (!session) {
        return std::unexpected(session.error());
    }
    if (auto refreshed = (*session)->refresh(false, true); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    TeamSummary summary;
    summary.team = team;
    summary.name = name;
    summary.serverUrl = record.serverUrl;
    summary.fingerprint = teamFingerprint(team);
    summary.myRole = (*session)->state().myRole();
    return summary;
}

Result<std::vector<TeamSummary>> TeamService::teams() {
    auto records = loadTeams(m_vault.database());
    if (!records) {
        return std::unexpected(records.error());
    }
    std::vector<TeamSummary> out;
    for (const auto& record : *records) {
        TeamSummary summary;
        summary.team = record.team;
        summary.name = record.name;
        summary.serverUrl = record.serverUrl;
        summary.fingerprint = teamFingerprint(record.team);
        summary.status = record.status;
        if (auto state = TeamState::load(m_vault.database(), record.team); state) {
            summary.myRole = state->myRole();
        } else if (summary.status.isEmpty()) {
            summary.status = state.error().message;
        }
        out.push_back(std::move(summary));
    }
    return out;
}

Result<TeamSummary> TeamService::findTeam(const QString& nameOrId) {
    auto all = teams();
    if (!all) {
        return std::unexpected(all.error());
    }
    if (all->empty()) {
        return fail(ErrorCode::NotFound,
                    QStringLiteral("This vault belongs to no team yet: create one or join one with an invite."));
    }
    const QString wanted = nameOrId.trimmed();
    if (wanted.isEmpty()) {
        if (all->size() == 1) {
            return all->front();
        }
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("This vault belongs to %1 teams: name one.").arg(all->size()));
    }
    for (const auto& summary : *all) {
        if (summary.name == wanted) {
            return summary;
        }
    }
    std::vector<const TeamSummary*> matches;
    for (const auto& summary : *all) {
        if (summary.name.compare(wanted, Qt::CaseInsensitive) == 0 ||
            detail::hexText(summary.team.span()).startsWith(wanted.toLower())) {
            matches.push_back(&summary);
        }
    }
    if (matches.empty()) {
        return fail(ErrorCode::NotFound, QStringLiteral("No team is called \"%1\".").arg(wanted));
    }
    if (matches.size() > 1) {
        return fail(
            ErrorCode::InvalidInput,
            QStringLiteral("\"%1\" matches %2 teams: give more of the name or id.").arg(wanted).arg(matches.size()));
    }
    return *matches.front();
}

Result<std::vector<SharedEnvironment>> TeamService::shareProject(const protocol::TeamId& team, std::int64_t projectId) {
    auto session = detail::TeamSession::open(m_vault, m_engine, team);
    if (!session) {
        return std::unexpected(session.error());
    }
    if (auto refreshed = (*session)->refresh(true, false); !refreshed) {
        return std::unexpected(refreshed.error());
    }
    if (auto admin = (*session)->requireAdmin(QStringLiteral("share a project")); !admin) {
        return std::unexpected(admin.error());
    }
    auto environments = m_store.environments(projectId);
    if (!environments) {
        return fail(environments.error());
    }
    for (const auto& environment : *environments) {
        auto shared = m_store.isShared(environment.id);
        if (!shared) {
            return fail(shared.error());
        }
        if (*shared) {
            continue;
        }
        if (auto done = m_engine.shareEnvironment((*session)->state(), environment.id); !done) {
            return std::unexpected(done.error());
        }
    }
    auto all = sharedEnvironments(team);
    if (!all) {
        return all;
    }
    std::vector<SharedEnvironment> out;
    for (auto& environment : *all) {
        for (const auto& local : *environments) {
            if (local.id == environment.environmentId) {
                out.push_back(std::move(environment));
                break;
            }
        }
    }
    return out;
}

Result<std::vector<SharedEnvironment>> TeamService::sharedEnvironments(const protocol::TeamId& team) {
    return detail::loadSharedEnvironments(m_vault.database(), team);
}

} // namespace coffer::sync
