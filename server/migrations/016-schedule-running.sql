-- When the run of a schedule going now began; NULL once it has ended (its outcome recorded). One
-- left set at a start was cut short by a crash or a kill: it becomes the schedule's last run,
-- `interrupted`, rather than leave the run before it (a success, or none) as the last.
ALTER TABLE schedules ADD COLUMN running_since TEXT;
