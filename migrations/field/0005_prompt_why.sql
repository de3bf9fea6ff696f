-- The facts behind each prompt (homeward_shared::prompt::Why, as JSON), from which the app and
-- the command line word its reason in the reader's language. NULL: a prompt stored before this
-- (only its English reason is known). Every case's prompts are recomputed on the next listing.
ALTER TABLE prompts ADD COLUMN why TEXT;
UPDATE cases SET prompts_from = NULL, prompts_until = NULL;
