-- Each case's prompts are kept for a window of days over which they do not change
-- (homeward_shared::prompt::prompts_until); only cases whose window does not cover the day
-- asked for are recomputed. This replaces the single day in meta 'prompts_day' (no longer
-- read). NULL: not computed yet.
ALTER TABLE cases ADD COLUMN prompts_from TEXT;
ALTER TABLE cases ADD COLUMN prompts_until TEXT;
