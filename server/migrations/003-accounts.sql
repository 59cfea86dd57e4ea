-- Local accounts of the dashboard. Passwords are scrypt hashes with a per-account salt.
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_sign_in_at TEXT
);

-- Server-side sessions; the cookie carries a random token whose SHA-256 is the key here.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,   -- epoch ms
  last_seen_at INTEGER NOT NULL  -- epoch ms
);
CREATE INDEX sessions_account ON sessions (account_id);

-- Small server secrets and state (cookie signing key, demo credentials).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
