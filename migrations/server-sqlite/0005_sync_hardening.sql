-- Hardening of sync (issue 10).

-- A supervisor's "dashboard" device (the actor their dashboard edits are made with, whose token
-- nobody is given) is marked by its kind, not by its name: a phone may be called anything. The
-- dashboard devices made before this migration are the ones named 'dashboard' that never synced.
ALTER TABLE devices ADD COLUMN kind TEXT NOT NULL DEFAULT 'phone'
    CHECK (kind IN ('phone', 'dashboard'));
UPDATE devices SET kind = 'dashboard' WHERE name = 'dashboard' AND last_seen IS NULL;

-- The furthest feed position the device has confirmed: the cursor it sent in a request, which it
-- keeps only once it has applied everything before it. A cursor behind it (or beyond the feed)
-- starts the device over from its current scope; a former holder of a transferred case may push
-- to it only until it has confirmed the transfer.
ALTER TABLE devices ADD COLUMN confirmed_seq INTEGER NOT NULL DEFAULT 0;
