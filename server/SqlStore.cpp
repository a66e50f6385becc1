// SPDX-License-Identifier: Apache-2.0
// SqlStore: migrations, codes, teams, invites, grants, nonces, sessions and the access log.
// The chains (roster and environment logs) are in SqlStoreRecords.cpp.
#include "server/SqlStore.h"

#include <chrono>
#include <limits>

namespace coffer::server {

using sql::params;

namespace {

constexpr std::string_view createVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

StoreResult<int> readVersion(SqlSession& session, std::string_view existsSql) {
    auto exists = session.query(existsSql, {});
    if (!exists) {
        return std::unexpected(exists.error());
    }
    if (exists->empty()) {
        return std::unexpected(storeError(StoreErrorCode::Corrupt, "cannot read the catalogue"));
    }
    const std::int64_t present = exists->front().nextInteger();
    if (exists->front().error()) {
        return std::unexpected(*exists->front().error());
    }
    if (present == 0) {
        return 0;
    }
    auto rows = session.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", {});
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::unexpected(storeError(StoreErrorCode::Corrupt, "schema_version returned no row"));
    }
    const std::int64_t version = rows->front().nextInteger();
    if (rows->front().error()) {
        return std::unexpected(*rows->front().error());
    }
    if (version < 0 || version > std::numeric_limits<int>::max()) {
        return std::unexpected(storeError(StoreErrorCode::Corrupt, "schema_version holds an impossible version"));
    }
    return static_cast<int>(version);
}

StoreError newerThanBuild(int found, int latest) {
    return storeError(StoreErrorCode::Migration, "the database has schema version " + std::to_string(found) +
                                                     ", newer than this build's version " + std::to_string(latest) +
                                                     "; run a coffer-server at least as new as the one that wrote it");
}

template <typename T> StoreResult<T> firstError(const std::vector<SqlRow>& rows) {
    for (const auto& row : rows) {
        if (row.error()) {
            return std::unexpected(*row.error());
        }
    }
    return {};
}

} // namespace

SqlStore::SqlStore(std::unique_ptr<SqlDatabase> database)
    : m_db(std::move(database))
    , m_cache(m_db->singleWriter()) {}

// Migrations: each one in its own transaction that first takes the migration lock (PostgreSQL: an
// advisory transaction lock; SQLite: BEGIN IMMEDIATE) and re-reads the version, so instances starting
// together apply each migration once and the others see it applied.
StoreResult<void> SqlStore::migrate() {
    const auto migrations = m_db->migrations();
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    auto prepare = transact(true, [&](SqlSession& session) -> StoreResult<void> {
        if (!m_db->migrationLockSql().empty()) {
            if (auto locked = session.query(m_db->migrationLockSql(), {}); !locked) {
                return std::unexpected(locked.error());
            }
        }
        if (auto created = session.execute(createVersionTable, {}); !created) {
            return std::unexpected(created.error());
        }
        auto version = readVersion(session, m_db->versionTableExistsSql());
        if (!version) {
            return std::unexpected(version.error());
        }
        if (*version > latest) {
            return std::unexpected(newerThanBuild(*version, latest));
        }
        return {};
    });
    if (!prepare) {
        return prepare;
    }
    for (const Migration& migration : migrations) {
        auto applied = transact(true, [&](SqlSession& session) -> StoreResult<void> {
            if (!m_db->migrationLockSql().empty()) {
                if (auto locked = session.query(m_db->migrationLockSql(), {}); !locked) {
                    return std::unexpected(locked.error());
                }
            }
            auto version = readVersion(session, m_db->versionTableExistsSql());
            if (!version) {
                return std::unexpected(version.error());
            }
            if (*version > latest) {
                return std::unexpected(newerThanBuild(*version, latest));
            }
            if (*version >= migration.version) {
                return {};
            }
            if (*version != migration.version - 1) {
                return std::unexpected(storeError(StoreErrorCode::Migration,
                                                  "schema version " + std::to_string(*version) +
                                                      " cannot take migration " + std::to_string(migration.version)));
            }
            if (auto ran = session.script(migration.sql); !ran) {
                return std::unexpected(storeError(StoreErrorCode::Migration,
                                                  "migration " + std::to_string(migration.version) + " (" +
                                                      std::string(migration.name) + ") failed: " + ran.error().detail));
            }
            auto recorded =
                session.execute("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                                params({std::int64_t{migration.version}, migration.name, unixNow()}));
            if (!recorded) {
                return std::unexpected(recorded.error());
            }
            return {};
        });
        if (!applied) {
            return applied;
        }
    }
    if (!m_writeBehind) {
        return startWriteBehind();
    }
    return {};
}

StoreResult<int> SqlStore::schemaVersion() {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return readVersion(**lease, m_db->versionTableExistsSql());
}

// Team codes

StoreResult<void> SqlStore::addTeamCode(std::string_view codeHash, std::int64_t expiresAt) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto inserted = (*lease)->execute("INSERT INTO team_codes (code_hash, expires_at) VALUES ($1, $2)",
                                      params({codeHash, expiresAt}));
    if (!inserted) {
        if ((*lease)->lastFailure() == SqlFailure::UniqueViolation) {
            return std::unexpected(storeError(StoreErrorCode::Invalid, "this team code is already stored"));
        }
        return std::unexpected(inserted.error());
    }
    return {};
}

StoreResult<bool> SqlStore::consumeTeamCode(std::string_view codeHash, std::int64_t now) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    // One statement decides: of two concurrent consumers, the second finds `used` already true.
    auto changed = (*lease)->execute(
        "UPDATE team_codes SET used = true, used_at = $2 WHERE code_hash = $1 AND NOT used AND expires_at > $2",
        params({codeHash, now}));
    if (!changed) {
        return std::unexpected(changed.error());
    }
    return *changed == 1;
}

// Teams

StoreResult<bool> SqlStore::createTeam(std::string_view teamId, const RosterRow& genesis, const MemberRow& owner,
                                       std::int64_t now) {
    if (genesis.seq != 0) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, "a genesis event has seq 0"));
    }
    auto created = transact(true, [&](SqlSession& session) -> StoreResult<bool> {
        auto team = session.execute("INSERT INTO teams (team_id, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                    params({teamId, now}));
        if (!team) {
            return std::unexpected(team.error());
        }
        if (*team == 0) {
            return false;
        }
        auto event = session.execute("INSERT INTO roster_events (team_id, seq, hash, json) VALUES ($1, 0, $2, $3)",
                                     params({teamId, genesis.hash, genesis.json}));
        if (!event) {
            return std::unexpected(event.error());
        }
        auto member = session.execute(
            "INSERT INTO members (team_id, member_id, sign_key, role, removed) VALUES ($1, $2, $3, $4, $5)",
            params({teamId, owner.memberId, owner.signKey, owner.role, owner.removed}));
        if (!member) {
            return std::unexpected(member.error());
        }
        return true;
    });
    if (created && *created) {
        m_cache.invalidate();
    }
    return created;
}

StoreResult<bool> SqlStore::teamExists(std::string_view teamId) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto rows = (*lease)->query("SELECT 1 FROM teams WHERE team_id = $1", params({teamId}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    return !rows->empty();
}

// Invites

StoreResult<void> SqlStore::addInvite(std::string_view teamId, std::string_view codeHash, std::string_view createdBy,
                                      std::int64_t expiresAt) {
    bool duplicate = false;
    auto added = transact(true, [&](SqlSession& session) -> StoreResult<void> {
        if (auto team = requireTeam(session, teamId); !team) {
            return team;
        }
        auto inserted =
            session.execute("INSERT INTO invites (team_id, code_hash, created_by, expires_at) VALUES ($1, $2, $3, $4)",
                            params({teamId, codeHash, createdBy, expiresAt}));
        if (!inserted) {
            duplicate = session.lastFailure() == SqlFailure::UniqueViolation;
            return std::unexpected(inserted.error());
        }
        return {};
    });
    if (!added && duplicate) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, "this invite code is already stored"));
    }
    return added;
}

StoreResult<bool> SqlStore::acceptInvite(std::string_view teamId, std::string_view codeHash,
                                         const InviteAcceptance& acceptance, std::int64_t now) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    // Single use across instances: only the UPDATE that still finds `used` false changes the row.
    auto changed = (*lease)->execute(
        "UPDATE invites SET used = true, accepted_member = $3, accepted_identity = $4, accepted_at = $5 "
        "WHERE team_id = $1 AND code_hash = $2 AND NOT used AND expires_at > $6",
        params({teamId, codeHash, acceptance.memberId, acceptance.identityJson, acceptance.acceptedAt, now}));
    if (!changed) {
        return std::unexpected(changed.error());
    }
    return *changed == 1;
}

StoreResult<std::vector<InviteAcceptance>> SqlStore::inviteAcceptances(std::string_view teamId) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto rows = (*lease)->query("SELECT accepted_member, accepted_identity, accepted_at FROM invites "
                                "WHERE team_id = $1 AND used ORDER BY accepted_at, accepted_member",
                                params({teamId}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<InviteAcceptance> out;
    out.reserve(rows->size());
    for (auto& row : *rows) {
        InviteAcceptance acceptance;
        acceptance.memberId = row.nextText();
        acceptance.identityJson = row.nextText();
        acceptance.acceptedAt = row.nextInteger();
        out.push_back(std::move(acceptance));
    }
    if (auto bad = firstError<void>(*rows); !bad) {
        return std::unexpected(bad.error());
    }
    return out;
}

// Grants

StoreResult<void> SqlStore::putGrants(std::string_view teamId, const std::vector<GrantRow>& grants) {
    auto written = transact(true, [&](SqlSession& session) -> StoreResult<void> {
        if (auto team = requireTeam(session, teamId); !team) {
            return team;
        }
        for (const GrantRow& grant : grants) {
            auto epoch = sql::toDb(grant.epoch, "epoch");
            if (!epoch) {
                return std::unexpected(epoch.error());
            }
            auto stored =
                session.execute("INSERT INTO grants (team_id, environment, epoch, member_id, access, json) "
                                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (team_id, environment, epoch, member_id) "
                                "DO UPDATE SET access = excluded.access, json = excluded.json",
                                params({teamId, grant.environment, *epoch, grant.memberId, grant.access, grant.json}));
            if (!stored) {
                return std::unexpected(stored.error());
            }
        }
        return {};
    });
    // Even after a failure: a commit that reported an error may still have happened.
    m_cache.invalidate();
    return written;
}

namespace {

StoreResult<std::vector<GrantRow>> grantRows(StoreResult<std::vector<SqlRow>> rows) {
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<GrantRow> out;
    out.reserve(rows->size());
    for (auto& row : *rows) {
        GrantRow grant;
        grant.environment = row.nextText();
        grant.epoch = row.nextCount();
        grant.memberId = row.nextText();
        grant.access = row.nextText();
        grant.json = row.nextText();
        out.push_back(std::move(grant));
    }
    if (auto bad = firstError<void>(*rows); !bad) {
        return std::unexpected(bad.error());
    }
    return out;
}

} // namespace

StoreResult<std::vector<GrantRow>> SqlStore::grantsForMember(std::string_view teamId, std::string_view memberId) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return grantRows((*lease)->query("SELECT environment, epoch, member_id, access, json FROM grants "
                                     "WHERE team_id = $1 AND member_id = $2 ORDER BY environment, epoch",
                                     params({teamId, memberId})));
}

StoreResult<std::vector<GrantRow>> SqlStore::grantsForEnvironment(std::string_view teamId,
                                                                  std::string_view environment) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    return grantRows((*lease)->query("SELECT environment, epoch, member_id, access, json FROM grants "
                                     "WHERE team_id = $1 AND environment = $2 ORDER BY epoch, member_id",
                                     params({teamId, environment})));
}

StoreResult<std::optional<CurrentAccess>> SqlStore::currentAccess(std::string_view teamId, std::string_view environment,
                                                                  std::string_view memberId) {
    if (auto cached = m_cache.access(teamId, environment, memberId)) {
        return *cached;
    }
    const std::uint64_t generation = m_cache.generation();
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    // One statement: the grant must be at the environment's highest epoch, not the member's highest.
    auto rows = (*lease)->query(
        "SELECT epoch, access FROM grants WHERE team_id = $1 AND environment = $2 AND member_id = $3 AND epoch = "
        "(SELECT MAX(epoch) FROM grants WHERE team_id = $1 AND environment = $2)",
        params({teamId, environment, memberId}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        m_cache.putAccess(teamId, environment, memberId, std::nullopt, generation);
        return std::optional<CurrentAccess>{};
    }
    SqlRow& row = rows->front();
    CurrentAccess access;
    access.epoch = row.nextCount();
    access.access = row.nextText();
    if (row.error()) {
        return std::unexpected(*row.error());
    }
    m_cache.putAccess(teamId, environment, memberId, access, generation);
    return std::optional<CurrentAccess>{std::move(access)};
}

// Nonces and sessions

StoreResult<bool> SqlStore::useNonce(std::string_view key, std::string_view nonce, std::int64_t time) {
    if (m_writeBehind && m_db->singleWriter()) {
        return m_writeBehind->useNonce(key, nonce, time);
    }
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    // The primary key decides between instances: a replay inserts nothing.
    auto inserted =
        (*lease)->execute("INSERT INTO nonces (request_key, nonce, time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                          params({key, nonce, time}));
    if (!inserted) {
        return std::unexpected(inserted.error());
    }
    return *inserted == 1;
}

StoreResult<void> SqlStore::pruneNonces(std::int64_t olderThan) {
    if (m_writeBehind && m_db->singleWriter()) {
        m_writeBehind->prune(olderThan);
    }
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto deleted = (*lease)->execute("DELETE FROM nonces WHERE time < $1", params({olderThan}));
    if (!deleted) {
        return std::unexpected(deleted.error());
    }
    return {};
}

StoreResult<void> SqlStore::putSession(std::string_view sessionKey, std::string_view deviceKey,
                                       std::int64_t expiresAt) {
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    // A device may renew (extend, never shorten: caches keep a session until its expiry) its own session
    // key; a key registered by another device stays theirs, or a member
    // could bind someone else's session key to their own device.
    auto stored =
        (*lease)->execute("INSERT INTO sessions (session_key, device_key, expires_at) VALUES ($1, $2, $3) "
                          "ON CONFLICT (session_key) DO UPDATE SET expires_at = CASE WHEN excluded.expires_at > "
                          "sessions.expires_at THEN excluded.expires_at ELSE sessions.expires_at END "
                          "WHERE sessions.device_key = excluded.device_key",
                          params({sessionKey, deviceKey, expiresAt}));
    if (!stored) {
        return std::unexpected(stored.error());
    }
    if (*stored == 0) {
        return std::unexpected(storeError(StoreErrorCode::Invalid, "this session key belongs to another device"));
    }
    return {};
}

StoreResult<std::optional<std::string>> SqlStore::sessionDeviceKey(std::string_view sessionKey, std::int64_t now) {
    if (auto cached = m_cache.session(sessionKey, now)) {
        return cached;
    }
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto rows =
        (*lease)->query("SELECT device_key, expires_at FROM sessions WHERE session_key = $1 AND expires_at > $2",
                        params({sessionKey, now}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<std::string>{};
    }
    std::string device = rows->front().nextText();
    const std::int64_t expiresAt = rows->front().nextInteger();
    if (rows->front().error()) {
        return std::unexpected(*rows->front().error());
    }
    m_cache.putSession(sessionKey, device, expiresAt);
    return std::optional<std::string>{std::move(device)};
}

// Access log

StoreResult<void> SqlStore::logAccess(std::string_view teamId, const AccessLogRow& row) {
    if (m_writeBehind) {
        auto known = teamKnown(teamId);
        if (!known) {
            return std::unexpected(known.error());
        }
        if (!*known) {
            return std::unexpected(storeError(StoreErrorCode::Invalid, "unknown team"));
        }
        m_writeBehind->logAccess(teamId, row);
        return {};
    }
    return transact(true, [&](SqlSession& session) -> StoreResult<void> {
        if (auto team = requireTeam(session, teamId); !team) {
            return team;
        }
        auto inserted = session.execute(
            "INSERT INTO access_log (team_id, time, member_id, environment, action) VALUES ($1, $2, $3, $4, $5)",
            params({teamId, row.time, row.memberId, row.environment, row.action}));
        if (!inserted) {
            return std::unexpected(inserted.error());
        }
        return {};
    });
}

StoreResult<std::vector<AccessLogRow>> SqlStore::readAccessLog(std::string_view teamId, std::int64_t since,
                                                               std::size_t limit) {
    const auto cappedLimit =
        static_cast<std::int64_t>(std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
    // An admin sees every access up to now, including the rows still waiting for the flusher.
    if (auto flushed = flush(); !flushed) {
        return std::unexpected(flushed.error());
    }
    auto lease = m_db->session();
    if (!lease) {
        return std::unexpected(lease.error());
    }
    auto rows = (*lease)->query("SELECT time, member_id, environment, action FROM access_log "
                                "WHERE team_id = $1 AND time >= $2 ORDER BY time, id LIMIT $3",
                                params({teamId, since, cappedLimit}));
    if (!rows) {
        return std::unexpected(rows.error());
    }
    std::vector<AccessLogRow> out;
    out.reserve(rows->size());
    for (auto& row : *rows) {
        AccessLogRow entry;
        entry.time = row.nextInteger();
        entry.memberId = row.nextText();
        entry.environment = row.nextText();
        entry.action = row.nextText();
        out.push_back(std::move(entry));
    }
    if (auto bad = firstError<void>(*rows); !bad) {
        return std::unexpected(bad.error());
    }
    return out;
}

} // namespace coffer::server
