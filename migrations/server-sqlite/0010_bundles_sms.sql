-- Sync with no network (issue 14): the server's keys, devices' public keys, bundles carried by
-- hand, and urgent events by SMS.

-- The server's key pairs (homeward_shared::seal). The newest not retired signs and is what
-- devices seal to; every key not retired still opens files sealed to it and is offered to
-- devices, so a device keeps verifying with an old key during the overlap after a rotation.
-- The secret is kept inside the database, so it is encrypted at rest under HOMEWARD_DB_KEY.
CREATE TABLE server_keys (
    id          TEXT PRIMARY KEY,     -- KeyId: 16 hex digits
    secret      TEXT NOT NULL,        -- SecretKeys::to_hex
    public      TEXT NOT NULL,        -- PublicKeys::to_text (hwkey1:...)
    since       TEXT NOT NULL,        -- RFC 3339
    endorsement BLOB,                 -- a Signed KeyEndorsement by the key before (NULL: the first)
    retired_at  TEXT                  -- no longer offered, signing or opening
) STRICT;

-- A device's public keys (hwkey1:... text), given at enrolment or later by POST /api/v1/keys;
-- its SMS key (32 random bytes the server makes when it grants keys); the phone number its
-- urgent SMS come from; and the highest bundle confirmation it has applied (SyncRequest's
-- bundle_seen, as last sent).
ALTER TABLE devices ADD COLUMN public_keys TEXT;
ALTER TABLE devices ADD COLUMN sms_key BLOB;
ALTER TABLE devices ADD COLUMN phone TEXT;
ALTER TABLE devices ADD COLUMN bundle_seen INTEGER NOT NULL DEFAULT 0;

-- Every bundle imported (a device's changes, or a case exported sealed to the server): once per
-- sealed file, whichever way it came. A second import of the same file answers the first's
-- receipt and stores nothing.
CREATE TABLE bundles (
    id          TEXT PRIMARY KEY,     -- SHA-256 of the sealed file, hex
    device_id   TEXT NOT NULL REFERENCES devices (id),   -- the author (signer)
    kind        TEXT NOT NULL CHECK (kind IN ('device_bundle', 'case_export')),
    seq         INTEGER NOT NULL,     -- the device's bundle number (0: a case export)
    made_at     TEXT NOT NULL,        -- by the device's clock, as signed
    imported_at TEXT NOT NULL,
    via         TEXT NOT NULL,        -- 'cli', 'dashboard:<user id>', 'relay:<device id>'
    receipt     TEXT NOT NULL         -- the BundleReceipt, JSON
) STRICT;
CREATE INDEX bundles_by_device ON bundles (device_id, seq);

-- The author device's changes and spot-check outcomes the server holds from its bundles, by
-- bundle number: sent back to that device (SyncResponse.bundled) until it confirms them.
CREATE TABLE bundle_changes (
    device_id TEXT NOT NULL REFERENCES devices (id),
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL,          -- the change's hash, lowercase hex
    PRIMARY KEY (device_id, hash)
) STRICT;
CREATE TABLE bundle_outcomes (
    device_id     TEXT NOT NULL REFERENCES devices (id),
    seq           INTEGER NOT NULL,
    spot_check_id TEXT NOT NULL,
    PRIMARY KEY (device_id, spot_check_id)
) STRICT;

-- Every urgent SMS accepted, by its device and number: a number seen twice is a replay.
CREATE TABLE sms_messages (
    device_id   TEXT NOT NULL REFERENCES devices (id),
    n           INTEGER NOT NULL,
    sender      TEXT NOT NULL,
    text        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (device_id, n)
) STRICT;

-- An urgent event raised by an SMS, shown to the case's supervisors until its full record (the
-- summons or incident with the same id) arrives by sync or bundle.
CREATE TABLE urgent_items (
    id          TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    case_id     TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('summons', 'incident')),
    event       TEXT NOT NULL,        -- homeward_shared::sms::UrgentEvent, JSON
    received_at TEXT NOT NULL,
    matched_at  TEXT,                 -- when the full record arrived
    UNIQUE (case_id, record_id)
) STRICT;
CREATE INDEX urgent_items_open ON urgent_items (case_id) WHERE matched_at IS NULL;
