-- Bulk runs: a list of logouts or logins worked through within CUCM's throttle.
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  action TEXT NOT NULL CHECK (action IN ('logout', 'login')),
  state TEXT NOT NULL,
  trigger TEXT NOT NULL,
  actor TEXT NOT NULL,
  parent_run_id TEXT REFERENCES runs (id),
  verify_after_ms INTEGER,            -- re-check the devices this long after the run, or NULL
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  verified_at TEXT
);
CREATE INDEX runs_created ON runs (created_at);

-- One row per device; the EMAPI call of each is an audit row with the run's id.
CREATE TABLE run_items (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  device TEXT NOT NULL,
  user_id TEXT,                       -- logout: who the preview found; login: who to log in
  profile TEXT,
  duration_minutes INTEGER,
  outcome TEXT NOT NULL DEFAULT 'pending',
  emapi_code INTEGER,
  message TEXT,
  audit_id INTEGER,
  finished_at TEXT,
  verified INTEGER,                   -- NULL until re-checked, then 1 or 0
  PRIMARY KEY (run_id, seq)
);
