-- Scale (issue 13): a summary row per case, written in the same transaction as its document,
-- so that the dashboard's pages and the reports never load the Automerge documents of a
-- region. The row holds what the queries filter on (place, state, visits) and the case as read
-- (homeward_shared::model::Case, JSON): the figures that depend on the day and the programme
-- (risk, the next visit, a claim's wait) are computed from it when a page is read, by the same
-- pure functions the field app uses. Rows are filled for existing cases when the server opens
-- the database (store/summaries.rs), and made again whenever `view_version` is not the
-- server's.
CREATE TABLE case_summaries (
    case_id      TEXT PRIMARY KEY REFERENCES cases (id),
    district     TEXT NOT NULL,
    block        TEXT NOT NULL,
    state        TEXT NOT NULL,             -- CaseState, as serde writes it
    merged_into  TEXT,                      -- the case it was merged into, if any
    returned_on  TEXT NOT NULL,             -- YYYY-MM-DD
    last_visit   TEXT,                      -- YYYY-MM-DD of the latest visit or call
    visits       INTEGER NOT NULL,
    view_version INTEGER NOT NULL,
    view         BLOB NOT NULL              -- the case as read, JSON
) STRICT;
CREATE INDEX case_summaries_by_area ON case_summaries (district, block);
