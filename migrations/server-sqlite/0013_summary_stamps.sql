-- Scale (issue 13): a stamp per summary row, a hash of its view, so that a server node can keep
-- what its pages computed from a case (store/summaries.rs, outlines.rs) and know, by reading the
-- stamp alone, when the case changed. 0 is "not stamped yet": the server stamps such rows when
-- it opens the database, and never keeps anything for a row until then.
ALTER TABLE case_summaries ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
-- A region's pages read ids and stamps alone, in id order: these indexes hold them with the
-- place (one for a district or block, one for the whole state), so the rows' views (in overflow
-- pages on SQLite, before the stamp) are not read through.
CREATE INDEX case_summaries_stamps_by_area ON case_summaries (district, case_id, block, stamp);
CREATE INDEX case_summaries_stamps ON case_summaries (case_id, district, block, stamp);
