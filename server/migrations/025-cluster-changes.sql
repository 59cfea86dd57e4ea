-- Whether EM Console had CUCM change anything on a cluster lately (services/device-facts.ts, the
-- status-lag words): the latest login, logout or logout-all started there within the day, read
-- from this index alone (action too, or SQLite reads each row for it). Without it each look-up
-- asked the audit trail for every device it named (issue #14, P1 at 1.29 × the bare proxy
-- instead of ~1.06 ×).
CREATE INDEX audit_cluster_changes ON audit (cluster, started_at, finished_at, action) WHERE action IN ('login', 'logout', 'logout-all');
