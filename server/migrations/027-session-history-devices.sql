-- History's device filter (audit-repository.ts) reads audit_devices. A logout of all users names no
-- device, so "who logged SEP001122334455 out?" missed the nightly logout-all that did: where the
-- inventory saw a logout of all end a session on a device (session_history.audit_id), that device
-- is the record's too, as for the user filter (024). Kept by a trigger, so every writer of the
-- session history (the server's refreshes, a CLI command's) keeps it; a record since pruned gets none.
CREATE TRIGGER session_history_audit_device AFTER INSERT ON session_history WHEN new.audit_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO audit_devices (device, audit_id) SELECT new.device, new.audit_id WHERE EXISTS (SELECT 1 FROM audit WHERE id = new.audit_id);
END;

INSERT OR IGNORE INTO audit_devices (device, audit_id)
  SELECT sh.device, sh.audit_id FROM session_history sh WHERE sh.audit_id IS NOT NULL AND EXISTS (SELECT 1 FROM audit WHERE id = sh.audit_id);
