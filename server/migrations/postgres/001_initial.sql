-- SPDX-License-Identifier: Apache-2.0
-- The first schema of coffer-server on PostgreSQL (the same tables as sqlite/001_initial.sql). Only
-- ciphertext records and signed JSON are stored, with the columns the API indexes on. Ids, hashes and keys
-- are lowercase hex text; times are Unix seconds.

-- Operator codes that each allow creating one team (BLAKE2b-256 of the code, never the code).
CREATE TABLE team_codes (
    code_hash TEXT NOT NULL PRIMARY KEY,
    expires_at BIGINT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT false,
    used_at BIGINT
);

CREATE TABLE teams (
    team_id TEXT NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL
);

-- The roster chain, genesis at seq 0. The primary key is what makes compare-and-append safe across
-- instances: two transactions inserting the same (team, seq) cannot both commit.
CREATE TABLE roster_events (
    team_id TEXT NOT NULL REFERENCES teams (team_id),
    seq BIGINT NOT NULL CHECK (seq >= 0),
    hash TEXT NOT NULL,
    json TEXT NOT NULL,
    CONSTRAINT roster_events_seq_unique PRIMARY KEY (team_id, seq)
);

-- The members as of the roster head (replaced with each roster append).
CREATE TABLE members (
    team_id TEXT NOT NULL REFERENCES teams (team_id),
    member_id TEXT NOT NULL,
    sign_key TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    removed BOOLEAN NOT NULL,
    PRIMARY KEY (team_id, member_id)
);
CREATE INDEX members_by_sign_key ON members (team_id, sign_key);

CREATE TABLE invites (
    team_id TEXT NOT NULL REFERENCES teams (team_id),
    code_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT false,
    accepted_member TEXT,
    accepted_identity TEXT,
    accepted_at BIGINT,
    PRIMARY KEY (team_id, code_hash)
);

CREATE TABLE grants (
    team_id TEXT NOT NULL REFERENCES teams (team_id),
    environment TEXT NOT NULL,
    epoch BIGINT NOT NULL CHECK (epoch >= 0),
    member_id TEXT NOT NULL,
    access TEXT NOT NULL CHECK (access IN ('read', 'write')),
    json TEXT NOT NULL,
    PRIMARY KEY (team_id, environment, epoch, member_id)
);
CREATE INDEX grants_by_member ON grants (team_id, member_id);

-- Environment logs, from seq 1. Two appends onto one head both insert the same (team, env, seq): the
-- primary key lets exactly one of them commit, whichever instance runs it.
CREATE TABLE records (
    team_id TEXT NOT NULL REFERENCES teams (team_id),
    environment TEXT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq >= 1),
    record_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    author_id TEXT NOT NULL,
    batch_end BOOLEAN NOT NULL,
    json TEXT NOT NULL,
    CONSTRAINT records_seq_unique PRIMARY KEY (team_id, environment, seq),
    CONSTRAINT records_id_unique UNIQUE (team_id, environment, record_id)
);

-- Request nonces seen within the allowed clock skew, per signing key (replay protection, shared by every
-- instance: INSERT ... ON CONFLICT DO NOTHING decides).
CREATE TABLE nonces (
    request_key TEXT NOT NULL,
    nonce TEXT NOT NULL,
    time BIGINT NOT NULL,
    PRIMARY KEY (request_key, nonce)
);
CREATE INDEX nonces_by_time ON nonces (time);

CREATE TABLE sessions (
    session_key TEXT NOT NULL PRIMARY KEY,
    device_key TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE access_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES teams (team_id),
    time BIGINT NOT NULL,
    member_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('read', 'write'))
);
CREATE INDEX access_log_by_time ON access_log (team_id, time, id);
