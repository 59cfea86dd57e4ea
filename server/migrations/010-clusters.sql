-- Several CUCM clusters (issue #17). The environment's cluster (CUCM_*) is not stored: it is read
-- from the configuration at every start. These are the clusters added from the dashboard or API.
CREATE TABLE clusters (
  id TEXT PRIMARY KEY COLLATE NOCASE,  -- a slug, never changed
  name TEXT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  app_user TEXT NOT NULL,
  app_password TEXT NOT NULL,          -- AES-256-GCM ciphertext (clusters/secrets.ts), never the password
  ca_pem TEXT,
  tls_insecure INTEGER NOT NULL DEFAULT 0,
  timeout_ms INTEGER NOT NULL,
  max_concurrency INTEGER NOT NULL,
  timezone TEXT,                       -- NULL: the server's time zone
  enabled INTEGER NOT NULL DEFAULT 1,
  axl_host TEXT,                       -- NULL: host
  axl_port INTEGER,                    -- NULL: 8443
  axl_user TEXT,                       -- NULL: no AXL for this cluster
  axl_password TEXT,                   -- ciphertext, as app_password
  axl_version TEXT,                    -- NULL: the AXL client's default
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- Every audit row names its cluster; NULL for the actions that concern none (sign-ins, accounts,
-- settings). The rows written before this migration all concerned the one cluster there was,
-- the environment's, but its id (CUCM_CLUSTER_ID) is not known to SQL: the server fills them in
-- at its next start (clusters/legacy-audit.ts), once, up to the marker set here, so the column
-- holds real ids and a filter by cluster stays one index range.
ALTER TABLE audit ADD COLUMN cluster TEXT COLLATE NOCASE;
CREATE INDEX audit_cluster ON audit (cluster, id);
INSERT INTO settings (key, value) SELECT 'clusters.legacy-audit-before', coalesce(max(id), 0) + 1 FROM audit;

-- Bulk-run items will name the cluster each went to (filled once runs are cluster-aware).
ALTER TABLE run_items ADD COLUMN cluster TEXT COLLATE NOCASE;
