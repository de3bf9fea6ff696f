-- Supervisors' reviews of initial assessments and case closures: approved, or sent back to the
-- fieldworker with a comment. The latest review of a subject decides where it stands.
CREATE TABLE reviews (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    subject     TEXT NOT NULL CHECK (subject IN ('assessment', 'closure')),
    subject_ref TEXT NOT NULL,   -- the assessment's visit id, or 'closed:' and the closure's date
    decision    TEXT NOT NULL CHECK (decision IN ('approved', 'sent_back')),
    comment     TEXT,
    reviewed_by TEXT NOT NULL REFERENCES users (id),
    reviewed_at TEXT NOT NULL
) STRICT;
CREATE INDEX reviews_by_case ON reviews (case_id, subject_ref, reviewed_at);
