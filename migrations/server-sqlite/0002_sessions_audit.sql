-- Dashboard sessions (the token is stored hashed) and the audit log: who viewed or changed
-- which case, or downloaded which report.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    user_id TEXT NOT NULL,
    action  TEXT NOT NULL,
    case_id TEXT,
    detail  TEXT
) STRICT;
CREATE INDEX audit_by_case ON audit (case_id, at);
CREATE INDEX audit_by_user ON audit (user_id, at);
