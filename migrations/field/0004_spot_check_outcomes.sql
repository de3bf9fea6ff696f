-- What a supervisor found on spot checks, recorded on the phone (offline) and sent with the
-- next sync. A row leaves when the server has recorded it; a refused one keeps the reason.
CREATE TABLE spot_check_outcomes (
    id      TEXT PRIMARY KEY,      -- the spot check
    outcome TEXT NOT NULL CHECK (outcome IN ('verified', 'has_issues', 'could_not_verify')),
    note    TEXT NOT NULL,
    at      TEXT NOT NULL,         -- when it was recorded here (RFC 3339)
    refused TEXT                   -- the server's reason, when it refused it
) STRICT;
