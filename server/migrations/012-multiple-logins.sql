-- CUCM's "Multiple Login Behavior" of each cluster added from the dashboard, as the admin says it
-- is set there (EMAPI cannot read it): 'not-allowed' (CUCM's default), 'allowed' or 'auto-logout'.
-- A forced login refuses up front only where CUCM would refuse the second login (code 25).
ALTER TABLE clusters ADD COLUMN multiple_logins TEXT NOT NULL DEFAULT 'not-allowed'
  CHECK (multiple_logins IN ('not-allowed', 'allowed', 'auto-logout'));
