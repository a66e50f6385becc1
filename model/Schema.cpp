// SPDX-License-Identifier: Apache-2.0
#include "model/Schema.h"

#include "model/Database.h"

#include <array>
#include <string_view>

namespace coffer::model {
namespace {

// Version 1. Written for SQLite 3.15 (Debian's SQLCipher 3.4.1): no UPSERT, RETURNING or window functions.
// Times are milliseconds since the epoch, UTC. Values are BLOBs: any bytes.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE coffer_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    position   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE environments (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    is_protected INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (project_id, name)
);
-- The current state of each secret, denormalised from its newest version for fast listing.
CREATE TABLE secrets (
    id             INTEGER PRIMARY KEY,
    environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    value          BLOB NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    tags           TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL,
    updated_by     TEXT NOT NULL
);
CREATE UNIQUE INDEX secrets_live_name ON secrets(environment_id, name) WHERE deleted = 0;
CREATE INDEX secrets_env ON secrets(environment_id, name);
-- Append-only: rows are never updated or deleted (except when a whole project or environment is removed).
CREATE TABLE secret_versions (
    secret_id     INTEGER NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    value         BLOB NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '',
    deleted       INTEGER NOT NULL DEFAULT 0,
    restored_from INTEGER NOT NULL DEFAULT 0,
    at            INTEGER NOT NULL,
    author        TEXT NOT NULL,
    PRIMARY KEY (secret_id, version)
) WITHOUT ROWID;
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    project     TEXT NOT NULL DEFAULT '',
    environment TEXT NOT NULL DEFAULT '',
    secret      TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
)sql";

// Forward-only migrations: kMigrations[i] takes a vault from version i+1 to i+2. Never edit a shipped one.
constexpr std::array<std::string_view, kSchemaVersion - 1> kMigrations = {
    // 1 -> 2: a colour per environment, shown as a chip in the app ('' = derived from the name).
    R"sql(ALTER TABLE environments ADD COLUMN colour TEXT NOT NULL DEFAULT '';)sql",
    // 2 -> 3: team sync (sync/). Ids are the protocol's raw bytes (team 32, environment 16, record 16, member 32).
    // Private keys and environment keys live only here, inside the encrypted file.
    R"sql(
CREATE TABLE sync_identity (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    sign_secret    BLOB NOT NULL,
    box_secret     BLOB NOT NULL,
    sign_public    BLOB NOT NULL,
    box_public     BLOB NOT NULL,
    display_name   TEXT NOT NULL,
    self_signature BLOB NOT NULL,
    created_at     INTEGER NOT NULL
);
-- One row per team this vault belongs to. roster_seq/roster_hash pin the verified roster head (NULL until the
-- roster was first read); invited_by is the admin an invite code named, checked against the roster on first read.
CREATE TABLE sync_teams (
    team        BLOB PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    server_url  TEXT NOT NULL,
    ca_file     TEXT NOT NULL DEFAULT '',
    invited_by  BLOB,
    roster_seq  INTEGER,
    roster_hash BLOB,
    status      TEXT NOT NULL DEFAULT '',
    joined_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE sync_roster_events (
    team  BLOB NOT NULL REFERENCES sync_teams(team) ON DELETE CASCADE,
    seq   INTEGER NOT NULL,
    event BLOB NOT NULL,
    PRIMARY KEY (team, seq)
) WITHOUT ROWID;
-- Fingerprints an admin compared with the member (verified = 1) or skipped with a warning (verified = 0).
CREATE TABLE sync_confirmations (
    team         BLOB NOT NULL REFERENCES sync_teams(team) ON DELETE CASCADE,
    member       BLOB NOT NULL,
    display_name TEXT NOT NULL,
    verified     INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (team, member)
) WITHOUT ROWID;
-- Every verified grant this vault has seen (its own and, for environments it holds, everyone's).
CREATE TABLE sync_grants (
    team        BLOB NOT NULL REFERENCES sync_teams(team) ON DELETE CASCADE,
    environment BLOB NOT NULL,
    epoch       INTEGER NOT NULL,
    member      BLOB NOT NULL,
    access      INTEGER NOT NULL,
    grant_bytes BLOB NOT NULL,
    PRIMARY KEY (team, environment, epoch, member)
) WITHOUT ROWID;
-- Environment keys this member holds, opened from its grants (or made by it as an admin).
CREATE TABLE sync_keys (
    team        BLOB NOT NULL REFERENCES sync_teams(team) ON DELETE CASCADE,
    environment BLOB NOT NULL,
    epoch       INTEGER NOT NULL,
    key         BLOB NOT NULL,
    PRIMARY KEY (team, environment, epoch)
) WITHOUT ROWID;
-- A local environment shared with a team: its protocol id and the pinned head of its log. A non-empty status
-- is an integrity failure: that environment's sync stays stopped until it is cleared.
CREATE TABLE sync_environments (
    environment_id INTEGER PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
    team           BLOB NOT NULL REFERENCES sync_teams(team) ON DELETE CASCADE,
    environment    BLOB NOT NULL UNIQUE,
    head_seq       INTEGER NOT NULL DEFAULT 0,
    head_hash      BLOB NOT NULL,
    status         TEXT NOT NULL DEFAULT ''
);
-- The environment's log as verified and applied, in order. name/op/base_record are the decrypted change's;
-- secret_id/version the local version it produced (NULL when it changed nothing: a delete that lost to an edit,
-- or the scope record, whose name is '').
CREATE TABLE sync_log (
    environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    record_id      BLOB NOT NULL,
    author         BLOB NOT NULL,
    epoch          INTEGER NOT NULL,
    record         BLOB NOT NULL,
    name           TEXT NOT NULL,
    op             INTEGER NOT NULL,
    base_record    BLOB NOT NULL,
    secret_id      INTEGER,
    version        INTEGER,
    PRIMARY KEY (environment_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sync_log_record ON sync_log(environment_id, record_id);
CREATE INDEX sync_log_name ON sync_log(environment_id, name, seq);
-- Local changes of shared environments not yet acknowledged by the server, in order. The record id is drawn
-- once, when the change is made, so a push whose reply was lost is recognised on the next pull.
CREATE TABLE sync_outbox (
    id             INTEGER PRIMARY KEY,
    environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    record_id      BLOB NOT NULL UNIQUE,
    op             INTEGER NOT NULL,
    name           TEXT NOT NULL,
    value          BLOB NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    base_record    BLOB NOT NULL,
    secret_id      INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
-- Every local change looks up the newest pending row of its name (its base record): indexed, so a bulk import
-- into a shared environment stays linear.
CREATE INDEX sync_outbox_name ON sync_outbox(environment_id, name);
-- Concurrent changes of one secret. kind 'edit': both edited (current is the later in log order); 'delete': a
-- delete against an edit (the edit was kept).
CREATE TABLE sync_conflicts (
    id              INTEGER PRIMARY KEY,
    environment_id  INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    secret_id       INTEGER NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    other_version   INTEGER NOT NULL DEFAULT 0,
    current_author  TEXT NOT NULL,
    other_author    TEXT NOT NULL,
    detected_at     INTEGER NOT NULL,
    resolved_at     INTEGER
);
-- Secrets a removed member could read, to rotate upstream; done once the secret has a version above `version`.
CREATE TABLE sync_rotations (
    id             INTEGER PRIMARY KEY,
    environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    secret_id      INTEGER NOT NULL,
    name           TEXT NOT NULL,
    version        INTEGER NOT NULL,
    member         BLOB NOT NULL,
    member_name    TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    rotated_at     INTEGER
);
-- What a failed integrity check was shown: the offending bytes, kept for a report.
CREATE TABLE sync_evidence (
    id          INTEGER PRIMARY KEY,
    team        BLOB NOT NULL,
    environment BLOB,
    check_name  TEXT NOT NULL,
    position    INTEGER NOT NULL,
    message     TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    at          INTEGER NOT NULL
);
)sql",
    // 3 -> 4: the one lookup of every change, "the live secret of that name, else the newest deleted one"
    // (StoreSecrets.cpp), read in the index's order instead of through a temporary sort per call, which was a
    // sixth of applying a change pulled from the team's log. Same prefix, so every other use of the old index
    // stays indexed.
    R"sql(
DROP INDEX secrets_env;
CREATE INDEX secrets_env ON secrets(environment_id, name, deleted, updated_at DESC, id DESC);
)sql",
    // 4 -> 5: this member's access to each shared environment at its current epoch ('write', 'read' or 'none'),
    // written by sync/ whenever it reads the grants, so the Store refuses a local change of an environment this
    // member may only read at once instead of keeping it in the outbox forever. 'write' until the grants are read.
    R"sql(ALTER TABLE sync_environments ADD COLUMN access TEXT NOT NULL DEFAULT 'write';)sql",
};

// The marker row's table and row: Damaged only when they are really absent. A read that fails (busy, I/O,
// a bad page) keeps its own error, so a locked vault is never reported as a damaged one.
Result<void> checkMarker(Database& db) {
    auto table = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'coffer_meta'");
    if (!table) {
        return std::unexpected(table.error());
    }
    auto tableRow = table->step();
    if (!tableRow) {
        return std::unexpected(tableRow.error());
    }
    if (!*tableRow || table->columnInt(0) != 1) {
        return fail(ErrorCode::Damaged, QStringLiteral("no format marker"));
    }
    auto marker = db.prepare("SELECT value FROM coffer_meta WHERE key = 'format'");
    if (!marker) {
        return std::unexpected(marker.error());
    }
    auto hasRow = marker->step();
    if (!hasRow) {
        return std::unexpected(hasRow.error());
    }
    if (!*hasRow || marker->columnText(0) != QLatin1String(kFormatMarker)) {
        return fail(ErrorCode::Damaged, QStringLiteral("format marker missing or wrong"));
    }
    return {};
}

// The stored schema version; statements are finished before any migration runs.
Result<int> storedVersion(Database& db) {
    auto versionQuery = db.prepare("SELECT value FROM coffer_meta WHERE key = 'schema_version'");
    if (!versionQuery) {
        return std::unexpected(versionQuery.error());
    }
    auto versionRow = versionQuery->step();
    if (!versionRow) {
        return std::unexpected(versionRow.error());
    }
    if (!*versionRow) {
        return fail(ErrorCode::Damaged, QStringLiteral("schema version missing"));
    }
    bool ok = false;
    const int version = versionQuery->columnText(0).toInt(&ok);
    if (!ok || version < 1) {
        return fail(ErrorCode::Damaged, QStringLiteral("schema version unreadable"));
    }
    return version;
}

} // namespace

Result<void> createSchema(Database& db, int version) {
    Q_ASSERT(version >= 1 && version <= kSchemaVersion);
    return db.transaction([&]() -> Result<void> {
        if (auto ok = db.exec(kSchemaV1); !ok) {
            return ok;
        }
        for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(version); ++i) {
            if (auto ok = db.exec(kMigrations[i]); !ok) {
                return ok;
            }
        }
        auto insert = db.prepare("INSERT INTO coffer_meta (key, value) VALUES (?1, ?2)");
        if (!insert) {
            return std::unexpected(insert.error());
        }
        if (auto ok = insert->bind(1, std::string_view("format")).bind(2, std::string_view(kFormatMarker)).run(); !ok) {
            return ok;
        }
        auto versionRow = db.prepare("INSERT INTO coffer_meta (key, value) VALUES ('schema_version', ?1)");
        if (!versionRow) {
            return std::unexpected(versionRow.error());
        }
        return versionRow->bind(1, QString::number(version)).run();
    });
}

Result<int> migrate(Database& db) {
    if (auto marker = checkMarker(db); !marker) {
        return std::unexpected(marker.error());
    }
    auto stored = storedVersion(db);
    if (!stored) {
        return stored;
    }
    const int version = *stored;
    if (version > kSchemaVersion) {
        return fail(ErrorCode::NewerFormat,
                    QStringLiteral("schema version %1, this Coffer reads up to %2").arg(version).arg(kSchemaVersion));
    }
    if (version == kSchemaVersion) {
        return version;
    }
    auto migrated = db.transaction([&]() -> Result<void> {
        for (int v = version; v < kSchemaVersion; ++v) {
            if (auto step = db.exec(kMigrations[static_cast<std::size_t>(v - 1)]); !step) {
                return step;
            }
        }
        auto update = db.prepare("UPDATE coffer_meta SET value = ?1 WHERE key = 'schema_version'");
        if (!update) {
            return std::unexpected(update.error());
        }
        return update->bind(1, QString::number(kSchemaVersion)).run();
    });
    if (!migrated) {
        return std::unexpected(migrated.error());
    }
    return kSchemaVersion;
}

} // namespace coffer::model
