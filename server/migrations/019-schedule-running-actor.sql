-- Who began the timed run of a schedule going now (`schedule:<name>`; NULL for a person's "run
-- now", and once the run has ended). A timed run a crash or a kill cut short is linked at the next
-- start to the record its end would have named (its bulk run's summary, its logout-all's row),
-- found as that actor's from running_since on.
ALTER TABLE schedules ADD COLUMN running_actor TEXT;
