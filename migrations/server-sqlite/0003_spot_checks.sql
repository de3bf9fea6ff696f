-- The monthly spot checks: the visits drawn for a supervisor to verify with the family
-- (homeward-shared's spotcheck::draw), and what the supervisor found.
CREATE TABLE spot_check_draws (
    month    TEXT PRIMARY KEY,        -- YYYY-MM; one draw per month
    seed     INTEGER NOT NULL,        -- the seed drawn with (kept to explain the sample)
    drawn_at TEXT NOT NULL,
    drawn_by TEXT NOT NULL
) STRICT;

CREATE TABLE spot_checks (
    id               TEXT PRIMARY KEY,
    month            TEXT NOT NULL REFERENCES spot_check_draws (month),
    case_id          TEXT NOT NULL,
    child_name       TEXT NOT NULL,
    visit_id         TEXT NOT NULL,
    visit_date       TEXT NOT NULL,
    fieldworker_id   TEXT NOT NULL,
    fieldworker_name TEXT NOT NULL,
    district         TEXT NOT NULL,
    block            TEXT NOT NULL,
    village          TEXT NOT NULL,
    anomalies        TEXT NOT NULL,   -- JSON: [shared::spotcheck::Anomaly]
    chosen_for       TEXT NOT NULL CHECK (chosen_for IN ('anomaly', 'random')),
    outcome          TEXT CHECK (outcome IN ('verified', 'has_issues', 'could_not_verify')),
    note             TEXT,
    checked_by       TEXT REFERENCES users (id),
    checked_at       TEXT,
    UNIQUE (month, case_id, visit_id)
) STRICT;
CREATE INDEX spot_checks_by_area ON spot_checks (district, block, month);
