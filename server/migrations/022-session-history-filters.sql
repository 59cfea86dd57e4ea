-- The ended sessions' filters (inventory-repository.ts, historyRows), each a range of an index in
-- the page's order (latest end first). Without them, a filter that few rows match (a small
-- cluster or device pool, a model, sessions ended by 'replaced') walked session_history_ended
-- through every row: a year of a nightly logout-all of 5,000 phones on two clusters is 3.65
-- million rows, 2.4 s for a model no row has, 2.9 s for 'replaced' (0-4 ms with these). Their
-- cost: ~100 MB each at that size (the history then ~1.2 GB of a ~1.35 GB database), and the
-- first start after an upgrade builds them (27 s on such a database, on a busy 2-core machine).
CREATE INDEX session_history_cluster ON session_history (cluster, ended_ms, id);
CREATE INDEX session_history_pool ON session_history (device_pool, ended_ms, id);
CREATE INDEX session_history_model ON session_history (model COLLATE NOCASE, ended_ms, id);
CREATE INDEX session_history_ended_by ON session_history (ended_by, ended_ms, id);
