-- The words of a run's one `bulk-run` summary record, kept from its start: what the run was (a
-- device list, a selection by sessions, a retry of another run), a note said after its id (when
-- the inventory was read) and the one cluster it concerns. A run cut short by a crash or a kill
-- gets its summary at the next start with the words it would have had at its end, when what it
-- was started from (a list, a selection) is gone. NULL title: "Bulk logout of N devices".
ALTER TABLE runs ADD COLUMN summary_title TEXT;
ALTER TABLE runs ADD COLUMN summary_note TEXT;
ALTER TABLE runs ADD COLUMN summary_cluster TEXT;
