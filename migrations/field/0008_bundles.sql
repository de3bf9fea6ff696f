-- Sync with no network (issue 14). The device's keys, the server's keys it trusts, its
-- certificate, SMS key and counters live in `meta`.

-- The number of the last bundle a change or an outcome left this device in (NULL: none): the
-- first round of the next sync does not push them, so that what the server already holds from
-- the bundle is confirmed (SyncResponse.bundled) instead of sent again.
ALTER TABLE changes ADD COLUMN bundled INTEGER;
ALTER TABLE spot_check_outcomes ADD COLUMN bundled INTEGER;

-- Sealed files this phone carries for the server and cannot read: a colleague's bundle, a case
-- another phone exported to the server, this device's own leftover from before a wipe. Sent at
-- the start of the next sync (POST /api/v1/bundles); a row leaves once the server answers.
CREATE TABLE relay (
    id          TEXT PRIMARY KEY,     -- SHA-256 of the sealed file, hex
    sealed      BLOB NOT NULL,
    kind        TEXT NOT NULL,        -- homeward_shared::seal::Kind's name
    received_at TEXT NOT NULL,        -- RFC 3339
    refused     TEXT                  -- the server's reason, when it refused the whole file
) STRICT;
