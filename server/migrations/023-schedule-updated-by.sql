-- Who saved a schedule's last change: a change sent from a copy read before it is refused naming
-- them (409 CHANGED_SINCE_READ). NULL: not changed since it was created, or changed before this
-- column (then its creator is named), or by the server's configuration (LOGOUT_ALL_SCHEDULE).
ALTER TABLE schedules ADD COLUMN updated_by TEXT;
