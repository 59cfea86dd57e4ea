-- Schedules the server runs itself (croner computes the fire times; nothing parses cron here).
CREATE TABLE schedules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  cron TEXT NOT NULL,
  timezone TEXT NOT NULL,               -- IANA name the expression is read in
  action TEXT NOT NULL,                 -- 'logout-all'; a per-device run will add its own action
  target TEXT,                          -- JSON for actions that need one (device list); NULL for logout-all
  enabled INTEGER NOT NULL DEFAULT 1,
  managed_by_config INTEGER NOT NULL DEFAULT 0,  -- created from LOGOUT_ALL_SCHEDULE
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,             -- ISO 8601 UTC
  updated_at TEXT NOT NULL,             -- also when it was last enabled: missed-run detection starts here
  last_run_at TEXT,                     -- when the last run started (or was due, for a missed one)
  last_outcome TEXT,
  last_message TEXT,
  last_audit_id INTEGER REFERENCES audit (id) ON DELETE SET NULL
);
