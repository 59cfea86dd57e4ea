-- The audit trail: one row per action, written `pending` before the EMAPI call and finished after.
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  run_id TEXT,
  started_at TEXT NOT NULL,            -- ISO 8601 UTC; grows with id (see audit-repository.ts)
  finished_at TEXT,
  duration_ms INTEGER,
  actor TEXT NOT NULL COLLATE NOCASE,
  client_ip TEXT,
  trigger TEXT NOT NULL,
  action TEXT NOT NULL,
  devices TEXT NOT NULL DEFAULT '[]',  -- JSON array, as asked; audit_devices indexes it
  user_id TEXT COLLATE NOCASE,
  outcome TEXT NOT NULL,
  emapi_code INTEGER,
  error_code TEXT,
  message TEXT,
  http_status INTEGER,
  request_xml TEXT,                    -- the password is always masked
  response_body TEXT                   -- truncated at 64 KiB
);

-- Every index ends in id so that a filtered page is one index range read newest first.
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_outcome ON audit (outcome, id);
CREATE INDEX audit_trigger ON audit (trigger, id);
CREATE INDEX audit_actor ON audit (actor, id);
CREATE INDEX audit_user ON audit (user_id, id);
CREATE INDEX audit_run ON audit (run_id, id) WHERE run_id IS NOT NULL;
CREATE INDEX audit_started ON audit (started_at);

-- One row per device an action touched, so a device filter is an index look-up.
CREATE TABLE audit_devices (
  device TEXT NOT NULL COLLATE NOCASE,
  audit_id INTEGER NOT NULL REFERENCES audit (id) ON DELETE CASCADE,
  PRIMARY KEY (device, audit_id)
) WITHOUT ROWID;

-- Free-text search over who and what, kept in step by triggers. A row is indexed once it has a
-- message (when it finishes), so the pending insert before each EMAPI call stays cheap.
-- Whole words, split at punctuation too: "jane.doe@example.com" is searched as the phrase
-- jane doe example com, and a sentence's full stop never sticks to its last word.
CREATE VIRTUAL TABLE audit_text USING fts5 (devices, user_id, actor, message, content = 'audit', content_rowid = 'id', tokenize = 'unicode61');

CREATE TRIGGER audit_text_insert AFTER INSERT ON audit WHEN new.message IS NOT NULL BEGIN
  INSERT INTO audit_text (rowid, devices, user_id, actor, message) VALUES (new.id, new.devices, new.user_id, new.actor, new.message);
END;
CREATE TRIGGER audit_text_first AFTER UPDATE OF message ON audit WHEN old.message IS NULL AND new.message IS NOT NULL BEGIN
  INSERT INTO audit_text (rowid, devices, user_id, actor, message) VALUES (new.id, new.devices, new.user_id, new.actor, new.message);
END;
CREATE TRIGGER audit_text_update AFTER UPDATE OF message ON audit WHEN old.message IS NOT NULL BEGIN
  INSERT INTO audit_text (audit_text, rowid, devices, user_id, actor, message) VALUES ('delete', old.id, old.devices, old.user_id, old.actor, old.message);
  INSERT INTO audit_text (rowid, devices, user_id, actor, message) VALUES (new.id, new.devices, new.user_id, new.actor, coalesce(new.message, ''));
END;
CREATE TRIGGER audit_text_delete AFTER DELETE ON audit WHEN old.message IS NOT NULL BEGIN
  INSERT INTO audit_text (audit_text, rowid, devices, user_id, actor, message) VALUES ('delete', old.id, old.devices, old.user_id, old.actor, old.message);
END;
