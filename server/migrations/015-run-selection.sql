-- What a run by sessions selected by, in words (its filters, and when the inventory was read), so
-- its page says why these devices: the API's, the CLI's and schedules' selections, and the
-- dashboard's sessions previewed from filters. NULL for the other runs.
ALTER TABLE runs ADD COLUMN selection TEXT;
