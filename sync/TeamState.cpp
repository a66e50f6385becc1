// SPDX-License-Identifier: Apache-2.0
// The verified local view of a team: identity, team rows, roster, grants and environment keys. Nothing from
// the server is stored before it verified against what this vault already pinned; a failed check keeps the
// offending bytes as evidence and names the check.
#include "sync/TeamState.h"

#include "crypto/Hash.h"
#include "model/Database.h"
#include "sync/SyncDetail.h"
#include "sync/protocol/Canonical.h"

#include <QDateTime>

#include <algorithm>
#include <set>

namespace coffer::sync {

using detail::execute;
using detail::fixedBlob;

namespace {

constexpr std::string_view kTeamFingerprintDomain = "coffer/team-fingerprint/v1";

Result<LocalIdentity> readIdentity(model::Statement& q) {
    const auto signSecret = q.columnSecret(0);
    const auto boxSecret = q.columnSecret(1);
    auto signPublic = fixedBlob<32>(q.columnView(2));
    auto boxPublic = fixedBlob<32>(q.columnView(3));
    auto selfSignature = fixedBlob<64>(q.columnView(5));
    auto signKey = crypto::SignSecretKey::fromBytes(signSecret.bytes());
    auto boxKey = crypto::BoxSecretKey::fromBytes(boxSecret.bytes());
    if (!signPublic || !boxPublic || !selfSignature || !signKey || !boxKey)
        return fail(ErrorCode::Vault,
                    QStringLiteral("The vault's team identity is damaged (a key has the wrong size)."));
    LocalIdentity me{crypto::SigningKeyPair{std::move(*signKey), crypto::SignPublicKey{*signPublic}},
                     crypto::BoxKeyPair::fromSecretKey(*boxKey),
                     {},
                     {}};
    me.identity.signKey = me.sign.publicKey;
    me.identity.boxKey = me.box.publicKey;
    me.identity.displayName = q.columnText(4).toStdString();
    me.identity.selfSignature = crypto::Signature{*selfSignature};
    me.id = protocol::memberId(me.identity);
    return me;
}

std::optional<std::vector<std::byte>> blobOrNull(const model::Statement& q, int index) {
    if (q.columnIsNull(index))
        return std::nullopt;
    const auto view = q.columnView(index);
    return std::vector<std::byte>(view.begin(), view.end());
}

Result<TeamRecord> readTeam(const model::Statement& q) {
    auto team = fixedBlob<32>(q.columnView(0));
    if (!team)
        return fail(ErrorCode::Vault, QStringLiteral("A stored team id has the wrong size."));
    TeamRecord record;
    record.team = protocol::TeamId{*team};
    record.name = q.columnText(1);
    record.serverUrl = q.columnText(2);
    record.caFile = q.columnText(3);
    if (auto invited = blobOrNull(q, 4)) {
        auto id = fixedBlob<32>(*invited);
        if (!id)
            return fail(ErrorCode::Vault, QStringLiteral("A stored member id has the wrong size."));
        record.invitedBy = protocol::MemberId{*id};
    }
    if (!q.columnIsNull(5)) {
        auto hash = fixedBlob<32>(q.columnView(6));
        if (!hash)
            return fail(ErrorCode::Vault, QStringLiteral("A stored roster head has the wrong size."));
        record.rosterHead = protocol::Head{static_cast<std::uint64_t>(q.columnInt(5)), protocol::Hash{*hash}};
    }
    record.status = q.columnText(7);
    return record;
}

constexpr std::string_view kTeamColumns =
    "SELECT team, name, server_url, ca_file, invited_by, roster_seq, roster_hash, status FROM sync_teams";

std::vector<std::byte> concatenated(std::span<const protocol::RosterEvent> events) {
    std::vector<std::byte> out;
    for (const auto& event : events) {
        const auto bytes = protocol::encode(event);
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

} // namespace

QString teamFingerprint(const protocol::TeamId& team) {
    crypto::Blake2b hasher;
    hasher.update(kTeamFingerprintDomain).update(team.span());
    return detail::digitGroups(hasher.finish());
}

Result<LocalIdentity> loadIdentity(model::Database& db) {
    auto q = db.prepare("SELECT sign_secret, box_secret, sign_public, box_public, display_name, self_signature "
                        "FROM sync_identity WHERE id = 1");
    if (!q)
        return fail(q.error());
    auto row = q->step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("This vault has no team identity yet."));
    return readIdentity(*q);
}

Result<LocalIdentity> ensureIdentity(model::Database& db, const QString& displayName) {
    auto existing = loadIdentity(db);
    if (existing || existing.error().code != ErrorCode::NotFound)
        return existing;
    const std::string name = displayName.toStdString();
    if (name.empty() || name.size() > protocol::kMaxDisplayNameBytes || displayName.trimmed() != displayName)
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("A display name has 1 to 128 bytes and no leading or trailing spaces."));
    LocalIdentity me{crypto::SigningKeyPair::keygen(), crypto::BoxKeyPair::keygen(), {}, {}};
    me.identity.signKey = me.sign.publicKey;
    me.identity.boxKey = me.box.publicKey;
    me.identity.displayName = name;
    protocol::signIdentity(me.identity, me.sign.secretKey);
    me.id = protocol::memberId(me.identity);
    if (auto ok = execute(db,
                          "INSERT INTO sync_identity (id, sign_secret, box_secret, sign_public, box_public, "
                          "display_name, self_signature, created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          std::span<const std::byte>(me.sign.secretKey.bytes()),
                          std::span<const std::byte>(me.box.secretKey.bytes()), me.identity.signKey.bytes,
                          me.identity.boxKey.bytes, displayName, me.identity.selfSignature.bytes, detail::nowMs());
        !ok)
        return std::unexpected(ok.error());
    return me;
}

Result<std::vector<TeamRecord>> loadTeams(model::Database& db) {
    auto q = db.prepare(std::string(kTeamColumns) + " ORDER BY joined_at, name");
    if (!q)
        return fail(q.error());
    std::vector<TeamRecord> teams;
    for (;;) {
        auto row = q->step();
        if (!row)
            return fail(row.error());
        if (!*row)
            return teams;
        auto team = readTeam(*q);
        if (!team)
            return std::unexpected(team.error());
        teams.push_back(std::move(*team));
    }
}

Result<TeamRecord> loadTeam(model::Database& db, const protocol::TeamId& team) {
    auto q = db.prepare(std::string(kTeamColumns) + " WHERE team = ?1");
    if (!q)
        return fail(q.error());
    auto row = q->bindBlob(1, team.bytes).step();
    if (!row)
        return fail(row.error());
    if (!*row)
        return fail(ErrorCode::NotFound, QStringLiteral("This vault does not belong to that team."));
    return readTeam(*q);
}

Result<void> storeTeam(model::Database& db, const TeamRecord& team) {
    // UPDATE then INSERT: INSERT OR REPLACE would delete the row first and cascade to its roster and grants.
    return detail::transaction(db, [&]() -> Result<void> {
        auto q = db.prepare("UPDATE sync_teams SET name = ?2, server_url = ?3, ca_file = ?4, invited_by = ?5, "
                            "roster_seq = ?6, roster_hash = ?7, status = ?8 WHERE team = ?1");
        if (!q)
            return fail(q.error());
        q->bindBlob(1, team.team.bytes).bind(2, team.name).bind(3, team.serverUrl).bind(4, team.caFile);
        if (team.invitedBy)
            q->bindBlob(5, team.invitedBy->bytes);
        else
            q->bindNull(5);
        if (team.rosterHead) {
            q->bind(6, static_cast<std::int64_t>(team.rosterHead->seq)).bindBlob(7, team.rosterHead->hash.bytes);
        } else {
            q->bindNull(6).bindNull(7);
        }
        q->bind(8, team.status);
        if (auto ok = q->run(); !ok)
            return fail(ok.error());
        if (db.changes() > 0)
            return {};
        auto insert = db.prepare("INSERT INTO sync_teams (team, name, server_url, ca_file, invited_by, roster_seq, "
                                 "roster_hash, status, joined_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        if (!insert)
            return fail(insert.error());
        insert->bindBlob(1, team.team.bytes).bind(2, team.name).bind(3, team.serverUrl).bind(4, team.caFile);
        if (team.invitedBy)
            insert->bindBlob(5, team.invitedBy->bytes);
        else
            insert->bindNull(5);
        if (team.rosterHead) {
            insert->bind(6, static_cast<std::int64_t>(team.rosterHead->seq)).bindBlob(7, team.rosterHead->hash.bytes);
        } else {
            insert->bindNull(6).bindNull(7);
        }
        insert->bind(8, team.status).bind(9, detail::nowMs());
        if (auto ok = insert->run(); !ok)
            return fail(ok.error());
        return {};
    });
}

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
        for (;;) {
            auto row = q->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            auto event = protocol::decodeRosterEvent(q->columnView(1));
            if (!event)
                return failIntegrity(QStringLiteral("Stored roster"), event.error());
            events.push_back(std::move(*event));
        }
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
        for (;;) {
            auto row = q->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            auto grant = protocol::decodeGrant(q->columnView(0));
            if (!grant)
                return failIntegrity(QStringLiteral("Stored grant"), grant.error());
            state.m_grants[{grant->environment, grant->epoch}].push_back(std::move(*grant));
        }
    }
    {
        auto q = db.prepare("SELECT environment, epoch, key FROM sync_keys WHERE team = ?1");
        if (!q)
            return fail(q.error());
        q->bindBlob(1, team.bytes);
        for (;;) {
            auto row = q->step();
            if (!row)
                return fail(row.error());
            if (!*row)
                break;
            auto environment = fixedBlob<16>(q->columnView(0));
            const auto keyBytes = q->columnSecret(2);
            auto key = crypto::AeadKey::fromBytes(keyBytes.bytes());
            if (!environment || !key)
                return fail(ErrorCode::Vault, QStringLiteral("A stored environment key is damaged."));
            state.m_keys.insert_or_assign({*environment, static_cast<std::uint64_t>(q->columnInt(1))}, std::move(*key));
        }
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
    if (served.seq > verifiedHead.seq)
        return refuse(protocol::Error{protocol::ErrorCode::Gap, verifiedHead.seq + 1,
                                      "the server claims roster events it did not serve"});

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
    return storeGrants(verified, opened);
}

Result<void> TeamState::storeGrants(const std::vector<protocol::Grant>& grants,
                                    std::vector<std::pair<protocol::Grant, crypto::AeadKey>>& keys) {
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
    return storeGrants(grants, keys);
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
