-- History's user filter (audit-repository.ts, OF_USER): a record is a user's when the inventory saw
-- it end one of their sessions. The page walks audit rows newest first and asks, for each, whether
-- such a session exists: this index answers it with one range (user_id keeps the table's NOCASE,
-- so a prefix LIKE is a range too). Before it, the filter collected every ended session of every
-- matching user first: 26.7 s for the prefix "u" on a year of a nightly logout-all of 5,000 phones
-- on two clusters (3.6 million rows), the server answering nothing meanwhile. Its cost at that
-- size: ~89 MB, built in ~3 s at the first start after an upgrade.
CREATE INDEX session_history_audit ON session_history (audit_id, user_id) WHERE audit_id IS NOT NULL;
