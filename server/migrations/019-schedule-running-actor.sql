-- Who began the run of a schedule going now (`schedule:<name>` for a timed run, the person for a
-- "run now"); NULL once it has ended. A run a crash or a kill cut short is linked at the next
-- start to the record its end would have named (its bulk run's summary, its logout-all's row),
-- found as that actor's from running_since on.
ALTER TABLE schedules ADD COLUMN running_actor TEXT;
