-- Schedule ids are not given again (AUTOINCREMENT): an id that a script or an open page holds
-- never names a schedule made after that one was deleted (ids deleted before this migration
-- above the highest kept one were forgotten by then). SQLite cannot add AUTOINCREMENT to a
-- table, so the table is made again with the same columns and rows.
CREATE TABLE schedules_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  enabled INTEGER NOT NULL DEFAULT 1,
  managed_by_config INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_run_at TEXT,
  last_outcome TEXT,
  last_message TEXT,
  last_audit_id INTEGER REFERENCES audit (id) ON DELETE SET NULL
);
INSERT INTO schedules_new (id, name, cron, timezone, action, target, enabled, managed_by_config, created_by, created_at, updated_at, last_run_at, last_outcome, last_message, last_audit_id)
  SELECT id, name, cron, timezone, action, target, enabled, managed_by_config, created_by, created_at, updated_at, last_run_at, last_outcome, last_message, last_audit_id FROM schedules;
DROP TABLE schedules;
ALTER TABLE schedules_new RENAME TO schedules;
