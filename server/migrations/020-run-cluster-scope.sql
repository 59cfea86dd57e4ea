-- The clusters a run was asked for (issue #17), as a JSON array of registry ids; NULL: every usable
-- one. A retry of the run ("Retry of the failed items", "Run the rest") is asked for the same ones:
-- its items the run never looked up (no cluster yet) are looked for there only, never on a cluster
-- added since. A run made before this column kept only the one cluster its summary names
-- (summary_cluster, migration 017), which was then its retry's scope: that cluster it stays.
ALTER TABLE runs ADD COLUMN cluster_scope TEXT;
UPDATE runs SET cluster_scope = json_array(summary_cluster) WHERE summary_cluster IS NOT NULL;
