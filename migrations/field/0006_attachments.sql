-- Copies of the checklist's documents (issue 15). The case document carries only a reference
-- per page (its SHA-256, size and media type); the bytes are held here, inside this encrypted
-- store like every other row (never as a plain file, never in the phone's gallery), one row per
-- page hash however many copies name it.
CREATE TABLE attachment_pages (
    hash        TEXT PRIMARY KEY,           -- SHA-256 of the whole page, 64 lowercase hex
    media_type  TEXT NOT NULL,              -- image/jpeg, image/png, image/webp, application/pdf
    size        INTEGER NOT NULL,           -- the whole page's bytes
    bytes       BLOB NOT NULL,              -- the page; while a download is under way, its start
    -- here: made on this phone, to upload; fetched: downloaded from the server (a cache).
    origin      TEXT NOT NULL CHECK (origin IN ('here', 'fetched')),
    -- Made here: the bytes the server confirmed holding (the next chunk starts there; equal to
    -- size once uploaded). Fetched: unused (0); what is held is length(bytes).
    sent        INTEGER NOT NULL DEFAULT 0,
    stored_at   TEXT NOT NULL
) STRICT;
CREATE INDEX attachment_pages_to_send ON attachment_pages (origin, sent);

-- Each page of each copy named by a held case, materialised from its document with the other
-- rows: which case a copy belongs to, and which page bytes are still wanted. A page no active
-- copy names is dropped from `attachment_pages` in the same transaction (a withdrawn copy, a
-- case no longer held).
CREATE TABLE attachment_refs (
    case_id       TEXT NOT NULL REFERENCES cases (id),
    attachment_id TEXT NOT NULL,
    page          INTEGER NOT NULL,         -- from 0, in the copy's order
    hash          TEXT NOT NULL,
    active        INTEGER NOT NULL,         -- 0 once withdrawn
    PRIMARY KEY (case_id, attachment_id, page)
) STRICT;
CREATE INDEX attachment_refs_by_id ON attachment_refs (attachment_id);
CREATE INDEX attachment_refs_by_hash ON attachment_refs (hash, active);
