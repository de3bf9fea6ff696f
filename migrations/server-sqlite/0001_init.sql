-- The sync server's store (embedded SQLite). Users, areas, devices and assignments are
-- server-authoritative; case documents arrive as Automerge changes.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('fieldworker', 'supervisor', 'cwc', 'admin')),
    password_hash TEXT,                 -- argon2id PHC string; NULL: no dashboard login
    ref_version   INTEGER NOT NULL DEFAULT 1, -- bumped when areas or assignments change
    created_at    TEXT NOT NULL
) STRICT;

-- A user's scope: districts, or blocks within a district ('' = the whole district).
CREATE TABLE user_areas (
    user_id  TEXT NOT NULL REFERENCES users (id),
    district TEXT NOT NULL,
    block    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, district, block)
) STRICT;

-- One-time enrolment codes, stored hashed.
CREATE TABLE enrol_codes (
    code_hash  BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

-- Enrolled devices. The token is stored hashed; the actor id is the only one whose changes
-- the device may push.
CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    token_hash  BLOB NOT NULL,
    actor       BLOB NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at  TEXT,
    last_seen   TEXT,
    last_cursor INTEGER
) STRICT;

-- One row per case: where it is (scope keys on it) and its current saved document.
CREATE TABLE cases (
    id         TEXT PRIMARY KEY,
    district   TEXT NOT NULL,
    block      TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES devices (id),
    updated_at TEXT NOT NULL,
    doc        BLOB NOT NULL
) STRICT;
CREATE INDEX cases_by_area ON cases (district, block);

-- Which user holds a case now.
CREATE TABLE assignments (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    since   TEXT NOT NULL
) STRICT;
CREATE INDEX assignments_by_user ON assignments (user_id);

-- Every stored Automerge change, keyed by its hash: a retried push stores nothing twice.
CREATE TABLE changes (
    hash        BLOB PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    device_id   TEXT NOT NULL REFERENCES devices (id),
    received_at TEXT NOT NULL,
    bytes       BLOB NOT NULL
) STRICT;

-- The append-only feed devices pull from with their cursor: every stored change, and every
-- grant or loss of a case by a user, numbered in order.
CREATE TABLE feed (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL CHECK (kind IN ('change', 'grant', 'revoke')),
    case_id   TEXT NOT NULL,
    hash      BLOB,                     -- kind 'change'
    device_id TEXT,                     -- change: who sent it; grant: the creating device, if any
    user_id   TEXT,                     -- kinds 'grant' and 'revoke': whose access changed
    at        TEXT NOT NULL
) STRICT;
CREATE INDEX feed_by_case ON feed (case_id, seq);
CREATE INDEX feed_by_user ON feed (user_id, seq) WHERE user_id IS NOT NULL;
