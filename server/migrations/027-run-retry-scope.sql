-- The items of its run a retry took: 'failed' (Retry failed) or 'rest' (Run the rest); NULL for a
-- run that is no retry. A run's items of a scope are retried once, so a second click (two admins
-- at once, or on the old run days later) cannot send them again. Retries since 04e357b say their
-- scope in their title; older ones stay NULL (not known).
ALTER TABLE runs ADD COLUMN retry_scope TEXT;
UPDATE runs SET retry_scope = CASE
    WHEN summary_title LIKE 'Retry of the failed items of run %' THEN 'failed'
    WHEN summary_title LIKE 'Rest of run %' THEN 'rest'
  END
  WHERE parent_run_id IS NOT NULL;
CREATE INDEX runs_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
