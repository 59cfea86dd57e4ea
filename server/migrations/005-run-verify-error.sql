-- Why a run's re-check did not happen or failed (issue #14): a run never waits for ever.
ALTER TABLE runs ADD COLUMN verify_error TEXT;
