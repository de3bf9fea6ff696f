-- The resource map (issue 17): the providers of each district and block that a family can be
-- referred to, kept by the Core Team (`homeward-sync-server resource`, the dashboard's
-- /resources) and sent to each device with its reference data for the blocks of its areas.
-- A resource is never deleted (referrals on phones name it): it is set inactive instead.
CREATE TABLE resources (
    id         TEXT PRIMARY KEY,      -- 'res-' and 16 hex digits, made by the server
    district   TEXT NOT NULL,
    block      TEXT NOT NULL,
    kind       TEXT NOT NULL,         -- homeward_shared::resource::ResourceKind's key
    name       TEXT NOT NULL,
    address    TEXT,
    contact    TEXT,
    offers     TEXT,
    min_age    INTEGER,
    max_age    INTEGER,
    sex        TEXT,                  -- 'f', 'm', or NULL for everyone
    active     INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,         -- a user id, or 'command-line'
    created_at TEXT NOT NULL,         -- RFC 3339, the server's clock
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- A device's map is read by the blocks of its user's areas; an import finds a resource by its
-- place, kind and name.
CREATE INDEX resources_by_place ON resources (district, block, kind, name);

-- Devices keep reference data from before it carried the map: every user's reference version
-- moves, so each device asks for its map at its next sync.
UPDATE users SET ref_version = ref_version + 1;
