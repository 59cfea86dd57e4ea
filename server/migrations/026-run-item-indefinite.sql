-- A login item without automatic logout (a login file's "indefinite", EMAPI's <indefinite/>):
-- duration_minutes NULL alone means the cluster's own maximum.
ALTER TABLE run_items ADD COLUMN indefinite INTEGER NOT NULL DEFAULT 0;
