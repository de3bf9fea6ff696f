-- A page being downloaded arrives in pieces. Each piece is kept as its own row as it comes, so a
-- cut download resumes after the last one; appending each to the page's blob rewrote the whole
-- page for every piece (some 400 MB written to the flash for a 5 MB PDF). Once all pieces are
-- held the page is put together in `attachment_pages.bytes`, checked against its hash, and its
-- pieces deleted. A page dropped (withdrawn, its case gone) takes its pieces with it.
CREATE TABLE attachment_parts (
    hash   TEXT NOT NULL REFERENCES attachment_pages (hash) ON DELETE CASCADE,
    start  INTEGER NOT NULL,                -- the piece's first byte in the page
    bytes  BLOB NOT NULL,
    PRIMARY KEY (hash, start)
) STRICT;
