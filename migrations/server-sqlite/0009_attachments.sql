-- Copies of documents (issue 15): photos and scans attached to a case. The case document holds
-- only each page's reference (SHA-256 hash, size, media type); the bytes travel apart
-- (`PUT /api/v1/attachments/{hash}`) and are kept here, inside the database, so they are
-- encrypted at rest with it when HOMEWARD_DB_KEY is set. Never a plain file.

-- Every page of every attachment of every case, as the case's current document lists it:
-- rewritten for the case in the transaction of each push and dashboard edit that stores it,
-- so scope checks, pages and reports query rows, never documents.
CREATE TABLE attachment_pages (
    case_id       TEXT NOT NULL REFERENCES cases (id),
    attachment_id TEXT NOT NULL,
    page          INTEGER NOT NULL,    -- 0-based, in the attachment's order
    hash          TEXT NOT NULL,       -- 64 lowercase hex digits
    size          INTEGER NOT NULL,
    media_type    TEXT NOT NULL,       -- 'image/jpeg', 'image/png', 'image/webp', 'application/pdf'
    kind          TEXT NOT NULL,       -- homeward_shared::model::DocumentKind's key
    withdrawn     INTEGER NOT NULL DEFAULT 0,
    confirmed     INTEGER NOT NULL DEFAULT 0, -- the withdrawal confirmed by a supervisor
    PRIMARY KEY (case_id, attachment_id, page)
) STRICT;
CREATE INDEX attachment_pages_by_hash ON attachment_pages (hash);

-- The bytes: one copy per hash, whichever cases list it. Dropped once no page listing the hash
-- is left but withdrawn with the withdrawal confirmed.
CREATE TABLE attachment_blobs (
    hash       TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    stored_at  TEXT NOT NULL          -- RFC 3339, the server's clock
) STRICT;

-- An upload under way: how many bytes have arrived, kept as their chunks (appending to one
-- blob would rewrite it at every chunk). Dropped when the page is complete, or when its hash
-- did not match.
CREATE TABLE attachment_uploads (
    hash       TEXT PRIMARY KEY,
    received   INTEGER NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE attachment_chunks (
    hash   TEXT NOT NULL REFERENCES attachment_uploads (hash) ON DELETE CASCADE,
    start  INTEGER NOT NULL,       -- the chunk's first byte in the page
    bytes  BLOB NOT NULL,
    PRIMARY KEY (hash, start)
) STRICT;
