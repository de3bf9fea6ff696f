-- As migrations/server-sqlite/0013_summary_stamps.sql: a stamp per summary row, a hash of its
-- view; 0 is "not stamped yet".
ALTER TABLE case_summaries ADD COLUMN stamp BIGINT NOT NULL DEFAULT 0;
