-- As migrations/server-sqlite/0013_summary_stamps.sql: a stamp per summary row, a hash of its
-- view; 0 is "not stamped yet".
ALTER TABLE case_summaries ADD COLUMN stamp BIGINT NOT NULL DEFAULT 0;
-- A region's pages read ids and stamps alone, in id order: these indexes hold them with the
-- place (one for a district or block, one for the whole state), so the rows' views (in overflow
-- pages on SQLite, before the stamp) are not read through.
CREATE INDEX case_summaries_stamps_by_area ON case_summaries (district, case_id, block, stamp);
CREATE INDEX case_summaries_stamps ON case_summaries (case_id, district, block, stamp);
