-- Backups and restore (issue 13). A database restored from a backup has lost what the server
-- wrote after it, and devices that synced since hold feed positions past the backup's. The
-- restore moves the feed's numbering past a gap, so a position a device saw from the lost
-- server is never given to another row, and a device presenting one is started over from its
-- current scope (store/sync.rs: checked_cursor).
CREATE TABLE feed_gaps (
    after       INTEGER NOT NULL,   -- the backup's highest feed position
    until       INTEGER NOT NULL,   -- the first position the restored server numbers after
    restored_at TEXT NOT NULL,      -- RFC 3339
    backup      TEXT NOT NULL       -- the backup file restored from, as given
) STRICT;
