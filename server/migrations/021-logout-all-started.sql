-- Who ended a session the inventory no longer lists (inventory-repository.ts, OWN_LOGOUT_ALL_SQL):
-- the first logout-all of its cluster since its login. audit_action walked every logout-all ever
-- recorded, oldest first, for each ended session: a year of a nightly one on two clusters (730)
-- times the 10,000 sessions it ends cost ~20 s a night of writes that hold the event loop. This
-- index reads only those since the login.
CREATE INDEX audit_logout_all ON audit (cluster, started_at) WHERE action = 'logout-all';
