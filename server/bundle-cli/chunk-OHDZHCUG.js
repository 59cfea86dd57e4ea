import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// dist/auth/accounts-repository.js
function toAccount(row) {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
    passwordHash: row.password_hash
  };
}
function publicAccount({ passwordHash: _hash, ...account }) {
  return account;
}
function createAccountsRepository(db, now = () => /* @__PURE__ */ new Date()) {
  const insert = db.prepare(`INSERT INTO accounts (username, password_hash, role, created_at, updated_at)
    VALUES (@username, @passwordHash, @role, @now, @now)`);
  const byName = db.prepare("SELECT * FROM accounts WHERE username = ?");
  const byId = db.prepare("SELECT * FROM accounts WHERE id = ?");
  const all = db.prepare("SELECT * FROM accounts ORDER BY username");
  const count = db.prepare("SELECT count(*) AS n FROM accounts");
  const activeAdmins = db.prepare("SELECT count(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0 AND id != ?");
  const update = db.prepare(`UPDATE accounts SET role = coalesce(@role, role), disabled = coalesce(@disabled, disabled),
      password_hash = coalesce(@passwordHash, password_hash), updated_at = @now WHERE id = @id`);
  const signedIn = db.prepare("UPDATE accounts SET last_sign_in_at = ? WHERE id = ?");
  function findById(id) {
    const row = byId.get(id);
    return row === void 0 ? void 0 : toAccount(row);
  }
  const reads = {
    count: () => count.get().n,
    findByUsername(username) {
      const row = byName.get(username);
      return row === void 0 ? void 0 : toAccount(row);
    },
    findById,
    list: () => all.all().map(toAccount),
    /** Whether another enabled admin exists besides `id` (the last admin may not be demoted or disabled). */
    hasOtherAdmin: (id) => activeAdmins.get(id).n > 0,
    hasEnabledAdmin: () => activeAdmins.get(0).n > 0
  };
  const writes = {
    create(username, passwordHash, role) {
      const id = Number(insert.run({ username, passwordHash, role, now: now().toISOString() }).lastInsertRowid);
      return findById(id);
    },
    update(id, change) {
      update.run({
        id,
        role: change.role ?? null,
        disabled: change.disabled === void 0 ? null : Number(change.disabled),
        passwordHash: change.passwordHash ?? null,
        now: now().toISOString()
      });
      return findById(id);
    },
    recordSignIn(id) {
      signedIn.run(now().toISOString(), id);
    }
  };
  return { reads, writes };
}

// dist/auth/sessions-repository.js
import { createHash } from "node:crypto";
var hashToken = (token) => createHash("sha256").update(token).digest("base64url");
function createSessionsRepository(db) {
  const insert = db.prepare("INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)");
  const select = db.prepare("SELECT account_id AS accountId, csrf_token AS csrfToken, created_at AS createdAt, last_seen_at AS lastSeenAt FROM sessions WHERE token_hash = ?");
  const touch = db.prepare("UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE token_hash = ?");
  const remove = db.prepare("DELETE FROM sessions WHERE token_hash = ?");
  const removeAccount = db.prepare("DELETE FROM sessions WHERE account_id = ?");
  const removeOthers = db.prepare("DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?");
  const purge = db.prepare("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?");
  return {
    reads: {
      find: (tokenHash) => select.get(tokenHash)
    },
    writes: {
      insert(tokenHash, session) {
        insert.run(tokenHash, session.accountId, session.csrfToken, session.createdAt, session.lastSeenAt);
      },
      touch(tokenHash, at) {
        touch.run(at, tokenHash);
      },
      delete(tokenHash) {
        remove.run(tokenHash);
      },
      deleteForAccount(accountId) {
        removeAccount.run(accountId);
      },
      /** Ends every session of the account but one; returns how many ended. */
      deleteOthersForAccount(accountId, keepTokenHash) {
        return removeOthers.run(accountId, keepTokenHash).changes;
      },
      purgeExpired(limits, at) {
        return purge.run(at - limits.idleMs, at - limits.absoluteMs).changes;
      }
    }
  };
}

export {
  publicAccount,
  createAccountsRepository,
  hashToken,
  createSessionsRepository
};
