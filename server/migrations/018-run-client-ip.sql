-- The address of the client that started a run (NULL: a schedule's or the CLI's run, a run made
-- before this column), for its `bulk-run` summary record: written from the row whether the run
-- ends in its process or is summed up at the next start after a crash or a kill.
ALTER TABLE runs ADD COLUMN client_ip TEXT;
