-- Which process wrote an action still pending, or started a run still going: `host:pid`. A server
-- that starts marks interrupted only what a process that is gone left behind, not the live work of
-- a CLI command beside it; one logout-all at a time is not held by a pending row whose process is
-- gone. Rows written before this have none: they are judged as before (by age, and at a start).
ALTER TABLE audit ADD COLUMN owner TEXT;
ALTER TABLE runs ADD COLUMN owner TEXT;
