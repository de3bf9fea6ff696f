-- The field store: one encrypted SQLite file per device installation.
-- The Automerge document of each case is the truth; every other table is materialised from it
-- in the same transaction as the edit, for the screens to query.

-- Device settings: actor id, user, server, sync cursor.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per case with the columns the case list shows. Kept narrow (the documents live in
-- `case_docs`) so that listing cases and prompts never walks a document's overflow pages.
CREATE TABLE cases (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    other_names TEXT NOT NULL,          -- joined by newlines, for search
    sex         TEXT NOT NULL,
    district    TEXT NOT NULL,
    block       TEXT NOT NULL,
    village     TEXT NOT NULL,
    returned_on TEXT NOT NULL,
    state       TEXT NOT NULL,          -- active, closed, transferred, missing, retrafficked
    risk        TEXT NOT NULL,          -- high, medium, stable (as of the last edit)
    last_visit  TEXT,
    next_due    TEXT,
    conflicts   INTEGER NOT NULL,       -- fields with concurrent values
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX cases_by_area ON cases (district, block, village);

-- The saved Automerge document of each case (the truth) and the case read from it.
CREATE TABLE case_docs (
    case_id     TEXT PRIMARY KEY REFERENCES cases (id),
    doc         BLOB NOT NULL,          -- the saved Automerge document
    model       BLOB NOT NULL           -- the case read from it (JSON), for prompts without Automerge
) STRICT;

-- Every Automerge change made on this device, in order: the journal of local edits and the
-- sync outbox. `pushed` is set once the server has confirmed it (sync issue).
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    hash        BLOB NOT NULL UNIQUE,
    bytes       BLOB NOT NULL,
    pushed      INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX changes_to_push ON changes (pushed);

-- Visit history, for the case timeline and activity counts.
CREATE TABLE visits (
    case_id     TEXT NOT NULL REFERENCES cases (id),
    id          TEXT NOT NULL,
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    by_name     TEXT NOT NULL,
    met         TEXT,
    note        TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, id)
) STRICT;
CREATE INDEX visits_by_date ON visits (date);

-- Today's prompts, computed for the day in meta 'prompts_day'.
CREATE TABLE prompts (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    position  INTEGER NOT NULL,         -- order within the case
    kind      TEXT NOT NULL,
    priority  INTEGER NOT NULL,         -- 0 urgent, 1 high, 2 normal
    due       TEXT NOT NULL,
    dimension TEXT,
    subject   TEXT,
    reason    TEXT NOT NULL,
    PRIMARY KEY (case_id, position)
) STRICT;
CREATE INDEX prompts_by_urgency ON prompts (priority, due);
