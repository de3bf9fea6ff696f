-- Offboarding: a disabled user can no longer log in, enrol or sync (their devices are revoked
-- and their sessions deleted when they are disabled). NULL: the user is active.
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- Ending a user's sessions (disabling, a new password, a revoked device) finds them by user.
CREATE INDEX sessions_by_user ON sessions (user_id);
