// SPDX-License-Identifier: Apache-2.0
// The verified local view of a team: identity, team rows, roster, grants and environment keys. Nothing from
// the server is stored before it verified against what this vault already pinned; a failed check keeps the
// offending bytes as evidence and names the check.
#include "sync/TeamState.h"

#include "crypto/Hash.h"
#include "model/Database.h"
#include "sync/SyncDetail.h"
#include "sync/TeamSupport.h"
#include "sync/protocol/Canonical.h"

#include <QDateTime>

#include <algorithm>
#include <set>

namespace coffer::sync {

using detail::execute;
using detail::fixedBlob;

namespace {

std::vector<std::byte> concatenated(std::span<const protocol::RosterEvent> events) {
    std::vector<std::byte> out;
    for (const auto& event : events) {
        const auto bytes = protocol::encode(event);
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

} // namespace

TeamState::TeamState(model::Database& db, TeamRecord record, LocalIdentity me)
    : m_db(&db)
    , m_record(std::move(record))
    , m_me(std::move(me)) {}

Result<TeamState> TeamState::load(model::Database& db, const protocol::TeamId& team) {
    auto me = loadIdentity(db);
    if (!me)
        return std::unexpected(me.error());
    auto record = loadTeam(db, team);
    if (!record)
        return std::unexpected(record.error());
    TeamState state(db, std::move(*record), std::move(*me));

    std::vector<protocol::RosterEvent> events;
    {
        auto q = db.prepare("SELECT seq, event FROM sync_roster_events WHERE team = ?1 ORDER BY seq");
        if (!q)
            return fail(q.error());
        q->bindBlob(1, team.bytes);
        auto read = detail::forEachRow(*q, [&](model::Statement& row) -> Result<void> {
            auto event = protocol::decodeRosterEvent(row.columnView(1));
            if (!event)
                return failIntegrity(QStringLiteral("Stored roster"), event.error());
            events.push_back(std::move(*event));
            return {};
        });
        if (!read)
            return std::unexpected(read.error());
    }
    if (!events.empty()) {
        // Re-verified from the genesis: the vault file is trusted for confidentiality, not for this chain.
        auto roster = protocol::verifyRoster(events, state.m_record.rosterHead);
        if (!roster)
            return failIntegrity(QStringLiteral("Stored roster"), roster.error());
        state.m_roster = std::move(*roster);
    }

    {
        auto q = db.prepare("SELECT grant_bytes FROM sync_grants WHERE team = ?1");
        if (!q)
            return fail(q.error());
        q->bindBlob(1, team.bytes);
        auto read = detail::forEachRow(*q, [&](model::Statement& row) -> Result<void> {
            auto grant = protocol::decodeGrant(row.columnView(0));
            if (!grant)
                return failIntegrity(QStringLiteral("Stored grant"), grant.error());
            state.m_grants[{grant->environment, grant->epoch}].push_back(std::move(*grant));
            return {};
        });
        if (!read)
            return std::unexpected(read.error());
    }
    {
        auto q = db.prepare("SELECT environment, epoch, key FROM sync_keys WHERE team = ?1");
        if (!q)
            return fail(q.error());
        q->bindBlob(1, team.bytes);
        auto read = detail::forEachRow(*q, [&](model::Statement& row) -> Result<void> {
            auto environment = fixedBlob<16>(row.columnView(0));
            const auto keyBytes = row.columnSecret(2);
            auto key = crypto::AeadKey::fromBytes(keyBytes.bytes());
            if (!environment || !key)
                return fail(ErrorCode::Vault, QStringLiteral("A stored environment key is damaged."));
            state.m_keys.insert_or_assign({*environment, static_cast<std::uint64_t>(row.columnInt(1))},
                                          std::move(*key));
            return {};
        });
        if (!read)
            return std::unexpected(read.error());
    }
    return state;
}

Result<void> TeamState::refreshRoster(ServerClient& client) {
    const std::uint64_t from = m_record.rosterHead && m_roster ? m_record.rosterHead->seq + 1 : 0;
    auto page = client.roster(m_record.team, from);
    if (!page)
        return std::unexpected(page.error());

    auto refuse = [&](const protocol::Error& check) -> Result<void> {
        const auto bytes = [&] {
            for (const auto& event : page->events) {
                if (event.seq == check.position)
                    return protocol::encode(event);
            }
            return concatenated(page->events);
        }();
        auto error = failIntegrity(QStringLiteral("Roster of team %1").arg(m_record.name), check);
        detail::recordEvidence(*m_db, m_record.team, std::nullopt, check, error.error().message, bytes);
        (void)execute(*m_db, "UPDATE sync_teams SET status = ?2 WHERE team = ?1", m_record.team.bytes,
                      error.error().message);
        m_record.status = error.error().message;
        return error;
    };

    std::optional<protocol::RosterState> next;
    if (m_roster && from > 0) {
        next = *m_roster;
        for (const auto& event : page->events) {
            if (auto ok = next->apply(event); !ok)
                return refuse(ok.error());
        }
    } else {
        auto verified = protocol::verifyRoster(page->events);
        if (!verified)
            return refuse(verified.error());
        // First read after a join: the roster must be the team the invite named, and its inviter an admin of it.
        if (verified->team() != m_record.team)
            return refuse(protocol::Error{protocol::ErrorCode::WrongContext, 0,
                                          "the roster's genesis is not the team this vault joined"});
        if (m_record.invitedBy) {
            const auto* inviter = verified->member(*m_record.invitedBy);
            bool wasAdmin = false;
            for (std::uint64_t seq = 0; inviter != nullptr && seq <= verified->head().seq && !wasAdmin; ++seq) {
                const auto role = verified->roleAt(*m_record.invitedBy, seq);
                wasAdmin = role && protocol::isAdmin(*role);
            }
            if (!wasAdmin)
                return refuse(protocol::Error{protocol::ErrorCode::SignerNotAuthorised, 0,
                                              "the admin named by the invite is not an admin of this team"});
        }
        next = std::move(*verified);
    }
    const protocol::Head verifiedHead = next->head();
    const protocol::Head served = page->head;
    if (served.seq < verifiedHead.seq)
        return refuse(protocol::Error{protocol::ErrorCode::Regression, served.seq,
                                      "the server's roster head is older than the verified one"});
    if (served.seq == verifiedHead.seq && served.hash != verifiedHead.hash)
        return refuse(protocol::Error{protocol::ErrorCode::Fork, served.seq,
                                      "the server's roster head differs from the verified chain"});
    // A head beyond the events served may be an append between the server's two reads: the next refresh
    // gets it. (Withholding events is not detectable anyway; serving a different chain is.)

    // Nothing new and nothing to clear: no write (a commit costs an fsync).
    const bool unchanged = m_record.rosterHead && *m_record.rosterHead == verifiedHead && !m_record.invitedBy &&
                           m_record.status.isEmpty() &&
                           std::ranges::none_of(page->events, [&](const auto& event) { return event.seq >= from; });
    if (unchanged) {
        m_roster = std::move(next);
        return {};
    }
    auto stored = detail::transaction(*m_db, [&]() -> Result<void> {
        for (const auto& event : page->events) {
            if (event.seq < from)
                continue;
            if (auto ok =
                    execute(*m_db, "INSERT OR REPLACE INTO sync_roster_events (team, seq, event) VALUES (?1, ?2, ?3)",
                            m_record.team.bytes, event.seq, protocol::encode(event));
                !ok)
                return ok;
        }
        return execute(*m_db,
                       "UPDATE sync_teams SET roster_seq = ?2, roster_hash = ?3, invited_by = NULL, status = '' "
                       "WHERE team = ?1",
                       m_record.team.bytes, verifiedHead.seq, verifiedHead.hash.bytes);
    });
    if (!stored)
        return stored;
    m_roster = std::move(next);
    m_record.rosterHead = verifiedHead;
    m_record.invitedBy.reset();
    m_record.status.clear();
    return {};
}

Result<void> TeamState::refreshGrants(ServerClient& client) {
    if (!m_roster)
        return fail(ErrorCode::NotAllowed,
                    QStringLiteral("The roster of team %1 has not been read yet: an admin must confirm you first.")
                        .arg(m_record.name));
    auto mine = client.myGrants(m_record.team);
    if (!mine)
        return std::unexpected(mine.error());

    auto refuse = [&](const protocol::Grant& grant, const protocol::Error& check) -> Result<void> {
        auto error = failIntegrity(QStringLiteral("Grant of team %1").arg(m_record.name), check);
        detail::recordEvidence(*m_db, m_record.team, grant.environment, check, error.error().message,
                               protocol::encode(grant));
        (void)execute(*m_db, "UPDATE sync_teams SET status = ?2 WHERE team = ?1", m_record.team.bytes,
                      error.error().message);
        m_record.status = error.error().message;
        return error;
    };

    std::vector<protocol::Grant> verified;
    std::vector<std::pair<protocol::Grant, crypto::AeadKey>> opened;
    std::set<protocol::EnvironmentId> environments;
    auto known = [&](const protocol::Grant& grant) {
        const auto it = m_grants.find({grant.environment, grant.epoch});
        return it != m_grants.end() && std::ranges::find(it->second, grant) != it->second.end();
    };
    auto check = [&](const protocol::Grant& grant) -> Result<void> {
        if (grant.team != m_record.team)
            return refuse(grant, {protocol::ErrorCode::WrongContext, grant.epoch, "a grant of another team"});
        if (!known(grant)) {
            if (auto ok = protocol::verifyGrant(grant, *m_roster); !ok)
                return refuse(grant, ok.error());
            verified.push_back(grant);
        }
        return {};
    };
    for (const auto& grant : *mine) {
        if (grant.member != m_me.id)
            return refuse(grant, {protocol::ErrorCode::WrongContext, grant.epoch, "a grant to another member"});
        if (auto ok = check(grant); !ok)
            return ok;
        environments.insert(grant.environment);
        if (!m_keys.contains({grant.environment, grant.epoch}) || !known(grant)) {
            std::optional<crypto::AeadKey> aead;
            if (auto key = crypto::openSealed(m_me.box, grant.sealedKey)) {
                if (auto fromBytes = crypto::AeadKey::fromBytes(key->bytes()))
                    aead.emplace(std::move(*fromBytes));
            }
            if (!aead)
                return refuse(grant, {protocol::ErrorCode::BadSignature, grant.epoch,
                                      "the sealed environment key does not open for this member"});
            opened.emplace_back(grant, std::move(*aead));
        }
    }
    // Everyone's grants of the environments this member holds: the write check needs them.
    for (const auto& environment : environments) {
        auto all = client.environmentGrants(m_record.team, environment);
        if (!all)
            return std::unexpected(all.error());
        for (const auto& grant : *all) {
            if (grant.environment != environment)
                return refuse(grant,
                              {protocol::ErrorCode::WrongContext, grant.epoch, "a grant of another environment"});
            if (auto ok = check(grant); !ok)
                return ok;
        }
    }
    if (auto stored = storeGrants(verified, opened); !stored)
        return stored;
    return detail::storeLocalAccess(*m_db, *this);
}

Result<void> TeamState::storeGrants(const std::vector<protocol::Grant>& grants,
                                    std::vector<std::pair<protocol::Grant, crypto::AeadKey>>& keys) {
    if (grants.empty() && keys.empty() && m_record.status.isEmpty())
        return {};
    auto stored = detail::transaction(*m_db, [&]() -> Result<void> {
        for (const auto& grant : grants) {
            if (auto ok = execute(*m_db,
                                  "INSERT OR REPLACE INTO sync_grants (team, environment, epoch, member, access, "
                                  "grant_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                  m_record.team.bytes, grant.environment, grant.epoch, grant.member.bytes,
                                  static_cast<int>(grant.access), protocol::encode(grant));
                !ok)
                return ok;
        }
        for (const auto& [grant, key] : keys) {
            if (auto ok = execute(
                    *m_db, "INSERT OR REPLACE INTO sync_keys (team, environment, epoch, key) VALUES (?1, ?2, ?3, ?4)",
                    m_record.team.bytes, grant.environment, grant.epoch, std::span<const std::byte>(key.bytes()));
                !ok)
                return ok;
        }
        if (!m_record.status.isEmpty())
            return execute(*m_db, "UPDATE sync_teams SET status = '' WHERE team = ?1", m_record.team.bytes);
        return {};
    });
    if (!stored)
        return stored;
    m_record.status.clear();
    for (const auto& grant : grants) {
        auto& list = m_grants[{grant.environment, grant.epoch}];
        std::erase_if(list, [&](const protocol::Grant& other) { return other.member == grant.member; });
        list.push_back(grant);
    }
    for (auto& [grant, key] : keys)
        m_keys.insert_or_assign({grant.environment, grant.epoch}, std::move(key));
    return {};
}

Result<void> TeamState::addOwnGrants(const std::vector<protocol::Grant>& grants,
                                     const std::vector<std::pair<std::uint64_t, crypto::AeadKey>>& ownKeys) {
    std::vector<std::pair<protocol::Grant, crypto::AeadKey>> keys;
    for (const auto& grant : grants) {
        if (m_roster) {
            if (auto ok = protocol::verifyGrant(grant, *m_roster); !ok)
                return failIntegrity(QStringLiteral("Own grant"), ok.error());
        }
        if (grant.member != m_me.id)
            continue;
        // The sealed key is authoritative; ownKeys is the fallback when it cannot be opened here.
        if (auto opened = crypto::openSealed(m_me.box, grant.sealedKey)) {
            if (auto key = crypto::AeadKey::fromBytes(opened->bytes())) {
                keys.emplace_back(grant, std::move(*key));
                continue;
            }
        }
        const auto it = std::ranges::find_if(ownKeys, [&](const auto& entry) { return entry.first == grant.epoch; });
        if (it == ownKeys.end())
            return fail(ErrorCode::InvalidInput, QStringLiteral("An own grant without its key."));
        keys.emplace_back(grant, crypto::AeadKey::fromBytes(it->second.bytes()));
    }
    if (auto stored = storeGrants(grants, keys); !stored)
        return stored;
    return detail::storeLocalAccess(*m_db, *this);
}

std::optional<protocol::Role> TeamState::myRole() const {
    if (!m_roster)
        return std::nullopt;
    const auto* member = m_roster->member(m_me.id);
    if (member == nullptr || member->removed)
        return std::nullopt;
    return member->role;
}

QString TeamState::memberName(const protocol::MemberId& member) const {
    if (m_roster) {
        if (const auto* entry = m_roster->member(member))
            return QString::fromStdString(entry->identity.displayName);
    }
    if (member == m_me.id)
        return QString::fromStdString(m_me.identity.displayName);
    return QStringLiteral("unknown member");
}

std::vector<protocol::EnvironmentId> TeamState::environments() const {
    std::set<protocol::EnvironmentId> out;
    for (const auto& [key, grants] : m_grants)
        out.insert(key.first);
    for (const auto& [key, value] : m_keys)
        out.insert(key.first);
    return {out.begin(), out.end()};
}

std::uint64_t TeamState::currentEpoch(const protocol::EnvironmentId& environment) const {
    std::uint64_t epoch = 0;
    for (const auto& [key, grants] : m_grants) {
        if (key.first == environment && !grants.empty())
            epoch = std::max(epoch, key.second);
    }
    return epoch;
}

std::optional<protocol::Access> TeamState::access(const protocol::EnvironmentId& environment, std::uint64_t epoch,
                                                  const protocol::MemberId& member) const {
    const auto it = m_grants.find({environment, epoch});
    if (it == m_grants.end())
        return std::nullopt;
    for (const auto& grant : it->second) {
        if (grant.member == member)
            return grant.access;
    }
    return std::nullopt;
}

std::vector<protocol::Grant> TeamState::grants(const protocol::EnvironmentId& environment) const {
    std::vector<protocol::Grant> out;
    for (const auto& [key, grants] : m_grants) {
        if (key.first == environment)
            out.insert(out.end(), grants.begin(), grants.end());
    }
    return out;
}

const crypto::AeadKey* TeamState::key(const protocol::EnvironmentId& environment, std::uint64_t epoch) const {
    const auto it = m_keys.find({environment, epoch});
    return it == m_keys.end() ? nullptr : &it->second;
}

protocol::WriteCheck TeamState::writeCheck(const protocol::EnvironmentId& environment) const {
    // A copy of the writers, so the check outlives this object (a verifier may be kept across refreshes).
    std::set<std::pair<std::uint64_t, protocol::MemberId>> writers;
    for (const auto& [key, grants] : m_grants) {
        if (key.first != environment)
            continue;
        for (const auto& grant : grants) {
            if (grant.access == protocol::Access::Write)
                writers.emplace(key.second, grant.member);
        }
    }
    return [writers = std::move(writers)](const protocol::MemberId& author, std::uint64_t epoch) {
        return writers.contains({epoch, author});
    };
}

TransportOptions TeamState::transportOptions() const {
    TransportOptions options;
    options.baseUrl = m_record.serverUrl;
    options.caFile = m_record.caFile;
    return options;
}

} // namespace coffer::sync
