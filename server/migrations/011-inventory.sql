-- The EM inventory of each cluster, read from AXL (issue #18): phones, current sessions, and the
-- sessions that ended, which CUCM itself does not keep. Every row carries its cluster id.

-- How the last refresh of each cluster went. as_of is when the last good refresh read CUCM; a
-- failed refresh keeps the rows and as_of, and records its error here.
CREATE TABLE inventory_state (
  cluster TEXT PRIMARY KEY,
  as_of TEXT,                     -- ISO 8601 UTC; NULL until a refresh succeeded
  refresh_ms INTEGER,             -- how long the last good refresh took
  axl_version TEXT,               -- the AXL version that answered
  last_attempt_at TEXT,
  error_code TEXT,                -- the last refresh's error (an AXL_* code), NULL when it succeeded
  error_message TEXT,
  error_at TEXT,
  -- Counted once by each good refresh, so the state of every cluster is one row read.
  phones INTEGER NOT NULL DEFAULT 0,
  em_enabled_phones INTEGER NOT NULL DEFAULT 0,
  sessions INTEGER NOT NULL DEFAULT 0,
  users INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE inventory_phones (
  cluster TEXT NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  model TEXT,
  description TEXT NOT NULL DEFAULT '',
  device_pool TEXT,
  em_enabled INTEGER NOT NULL,
  PRIMARY KEY (cluster, name)
) WITHOUT ROWID;
CREATE INDEX inventory_phones_pool ON inventory_phones (device_pool, name);

-- One row per phone with a login now (CUCM keeps one per device). Every sortable column is NOT
-- NULL, so keyset paging compares plain row values: '' stands for an unknown text, 0 for an
-- unknown login time (it sorts as the oldest), and 8640000000000000 (the last JavaScript date)
-- for "no maximum duration" (it sorts last). The repository maps them back to null.
CREATE TABLE inventory_sessions (
  cluster TEXT NOT NULL,
  device TEXT NOT NULL COLLATE NOCASE,
  user_id TEXT NOT NULL COLLATE NOCASE,
  profile TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  login_ms INTEGER NOT NULL,        -- epoch ms
  auto_logout_ms INTEGER NOT NULL,  -- when CUCM itself will log the user out, epoch ms
  device_pool TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  model TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  description TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
  first_seen_at TEXT NOT NULL,      -- the refresh that first saw the session
  PRIMARY KEY (cluster, device)
) WITHOUT ROWID;
-- One index per sort; each ends in device, cluster, so a keyset page is one index range read.
CREATE INDEX inventory_sessions_login ON inventory_sessions (login_ms, device, cluster);
CREATE INDEX inventory_sessions_device ON inventory_sessions (device, cluster);
CREATE INDEX inventory_sessions_user ON inventory_sessions (user_id, device, cluster);
CREATE INDEX inventory_sessions_pool ON inventory_sessions (device_pool, device, cluster);
CREATE INDEX inventory_sessions_pool_login ON inventory_sessions (device_pool, login_ms, device, cluster);
CREATE INDEX inventory_sessions_model ON inventory_sessions (model, device, cluster);
CREATE INDEX inventory_sessions_profile ON inventory_sessions (profile, device, cluster);
CREATE INDEX inventory_sessions_auto_logout ON inventory_sessions (auto_logout_ms, device, cluster);
CREATE INDEX inventory_sessions_description ON inventory_sessions (description, device, cluster);
-- Covers the summary's counts per cluster and pool, and each cluster's distinct users.
CREATE INDEX inventory_sessions_cluster_pool ON inventory_sessions (cluster, device_pool, user_id, login_ms);

-- Sessions a refresh no longer saw: who, where, from when to when, and how it ended.
CREATE TABLE session_history (
  id INTEGER PRIMARY KEY,
  cluster TEXT NOT NULL,
  device TEXT NOT NULL COLLATE NOCASE,
  user_id TEXT NOT NULL COLLATE NOCASE,
  profile TEXT,
  device_pool TEXT,
  model TEXT,
  description TEXT NOT NULL DEFAULT '',
  login_ms INTEGER,               -- NULL when CUCM held no login time
  ended_ms INTEGER NOT NULL,
  ended_by TEXT NOT NULL,         -- em-console | auto-logout | replaced | not-seen
  actor TEXT,                     -- em-console: who logged the user out
  audit_id INTEGER                -- em-console: the logout's audit record (not a foreign key: audit rows may be pruned)
);
CREATE INDEX session_history_ended ON session_history (ended_ms, id);
CREATE INDEX session_history_device ON session_history (device, ended_ms);
CREATE INDEX session_history_user ON session_history (user_id, ended_ms);
