-- Scale (issue 13): a stamp per summary row, a hash of its view, so that a server node can keep
-- what its pages computed from a case (store/summaries.rs, outlines.rs) and know, by reading the
-- stamp alone, when the case changed. 0 is "not stamped yet": the server stamps such rows when
-- it opens the database, and never keeps anything for a row until then.
ALTER TABLE case_summaries ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
