-- The programme in force (issue 12): the NGO's thresholds and schemes, set by an administrator
-- (`homeward-sync-server programme set`, `serve --programme`, or the dashboard) and sent to
-- every device with its reference data. Each version is kept with who set it and when; the
-- latest is in force, laid over the defaults (the defaults alone while there is none).
CREATE TABLE programmes (
    version INTEGER PRIMARY KEY,  -- 1, 2, ... in the order they were set
    text    TEXT NOT NULL,        -- the file as given (line ends as \n)
    set_by  TEXT NOT NULL,        -- a user id, or 'command-line'
    set_at  TEXT NOT NULL         -- RFC 3339, the server's clock
) STRICT;

-- Devices keep reference data from before it carried the programme: every user's reference
-- version moves, so each device receives the programme at its next sync.
UPDATE users SET ref_version = ref_version + 1;
