-- Run items (issues #15, #16): a device CUCM does not know is `not-found` (it was `unknown`, which
-- now means a change sent but not answered in time), and look-ups that failed before a chunk was
-- sent leave `not-run` items (they were `error`).
UPDATE run_items SET outcome = 'not-found' WHERE outcome = 'unknown';
UPDATE run_items SET outcome = 'not-run' WHERE outcome = 'error' AND message LIKE 'Not run:%';
UPDATE run_items SET outcome = 'not-run' WHERE outcome = 'cancelled' AND message = 'Not run: the server stopped during the run.';
