import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  hashToken,
  publicAccount
} from "./chunk-OHDZHCUG.js";
import {
  silentLog
} from "./chunk-DNYFGISX.js";
import {
  ServiceError
} from "./chunk-DUMI6XDV.js";

// dist/auth/auth-service.js
import { randomBytes as randomBytes2, timingSafeEqual as timingSafeEqual2 } from "node:crypto";

// dist/auth/passwords.js
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
var MIN_PASSWORD_LENGTH = 12;
var KEY_LENGTH = 64;
var COST = { N: 16384, r: 8, p: 1 };
async function derive(password, salt, options) {
  return await new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => {
      if (error === null)
        resolve(key);
      else
        reject(error);
    });
  });
}
async function hashPassword(password) {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}
async function verifyPassword(password, stored) {
  const [scheme, N, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || salt === void 0 || hash === void 0)
    return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), { N: Number(N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
function passwordProblem(password, username) {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256)
    return "must be at most 256 characters";
  if (password.toLowerCase().includes(username.toLowerCase()))
    return "must not contain the user name";
  return void 0;
}

// dist/auth/auth-service.js
var ROLE_RANK = { viewer: 1, operator: 2, admin: 3 };
var DEMO_USERNAME = "demo";
var DEMO_PASSWORD_KEY = "demo_password";
var AUTH_ACTIONS = {
  BAD_CREDENTIALS: 'Check the user name and password; an admin can reset the password on the Accounts screen or with "em-console user passwd".',
  WRONG_PASSWORD: "Type the password you sign in with; if you forgot it, an admin can set a new one on the Accounts screen.",
  ACCOUNT_LOCKED: "Wait until the lock ends, or ask an admin to set a new password.",
  ACCOUNT_EXISTS: "Pick another user name, or change the existing account.",
  LAST_ADMIN: "Give another account the admin role first.",
  SETUP_CLOSED: "Open the setup link printed in the server log, or sign in with an existing account.",
  VALIDATION: "Choose a longer password that does not contain the user name.",
  NOT_FOUND: "Reload the account list."
};
var AuthError = class extends ServiceError {
  constructor(kind, code, message, details = {}) {
    super(kind, code, message, { ...details, action: AUTH_ACTIONS[code] ?? "Try again, or ask an admin." });
    this.name = "AuthError";
  }
};
var DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$" + "A".repeat(86);
var TOUCH_EVERY_MS = 6e4;
function createAuthService(options) {
  const { store } = options;
  const log = options.log ?? silentLog;
  const now = options.now ?? Date.now;
  const maxFailures = options.maxFailures ?? 5;
  const lockWindowMs = options.lockWindowMs ?? 15 * 6e4;
  const failures = /* @__PURE__ */ new Map();
  const lastSeen = /* @__PURE__ */ new Map();
  let setupToken;
  function recentFailures(username) {
    const since = now() - lockWindowMs;
    const list = (failures.get(username.toLowerCase()) ?? []).filter((at) => at > since);
    failures.set(username.toLowerCase(), list);
    return list;
  }
  function checkPassword(password, username, field = "password") {
    const problem = passwordProblem(password, username);
    if (problem !== void 0)
      throw new AuthError("bad-request", "VALIDATION", `The ${field === "password" ? "password" : "new password"} ${problem}.`, { field });
  }
  const accountExists = (username) => new AuthError("conflict", "ACCOUNT_EXISTS", `An account named "${username}" already exists.`, { field: "username" });
  async function createAccount(caller, username, password, role) {
    checkPassword(password, username);
    if (store.accounts.findByUsername(username) !== void 0)
      throw accountExists(username);
    const passwordHash = await hashPassword(password);
    return await store.write((w) => {
      if (w.accounts.findByUsername(username) !== void 0)
        throw accountExists(username);
      const account = w.accounts.create(username, passwordHash, role);
      w.audit.record({ ...caller, action: "account-create", userId: username }, { outcome: "success", message: `Created ${role} account ${username}.` });
      return publicAccount(account);
    }, "account-create");
  }
  async function startSession(accountId) {
    const token = randomBytes2(32).toString("base64url");
    const session = { accountId, csrfToken: randomBytes2(24).toString("base64url"), createdAt: now(), lastSeenAt: now() };
    await store.write((w) => {
      w.sessions.insert(hashToken(token), session);
    }, "session");
    return { token, session };
  }
  async function retireDemoAdmin() {
    const demo = store.accounts.findByUsername(DEMO_USERNAME);
    if (store.settings.get(DEMO_PASSWORD_KEY) === void 0 || demo === void 0)
      return;
    const message = `Disabled the "${DEMO_USERNAME}" admin that demo mode created: its password was shown on the sign-in page. EM Console now runs against a CUCM.`;
    await store.write((w) => {
      w.accounts.update(demo.id, { disabled: true });
      w.sessions.deleteForAccount(demo.id);
      w.settings.delete(DEMO_PASSWORD_KEY);
      w.audit.record({ actor: "system", trigger: "api", action: "account-update", userId: DEMO_USERNAME }, { outcome: "success", message });
    }, "demo admin retired");
    log.warn({ account: DEMO_USERNAME }, message);
  }
  return {
    createAccount,
    listAccounts: () => store.accounts.list().map(publicAccount),
    accountByName: (username) => {
      const a = store.accounts.findByUsername(username);
      return a === void 0 ? void 0 : publicAccount(a);
    },
    accountById: (id) => {
      const a = store.accounts.findById(id);
      return a === void 0 ? void 0 : publicAccount(a);
    },
    /** The cookie signing key, made once and kept in the database so restarts keep sessions. */
    cookieSecret: async () => store.settings.get("cookie_secret") ?? await store.write((w) => w.settings.secret("cookie_secret"), "cookie secret"),
    /**
     * First start: the admin from the environment, or in demo mode a demo admin whose
     * credentials the sign-in page shows; otherwise a one-time setup token for the log.
     * Against a CUCM, a demo admin left from demo mode is disabled.
     */
    async bootstrap() {
      if (options.mode === "cucm")
        await retireDemoAdmin();
      if (store.accounts.hasEnabledAdmin())
        return {};
      if (options.initialAdmin !== void 0 && store.accounts.findByUsername(options.initialAdmin.username) === void 0) {
        const { username, password } = options.initialAdmin;
        await createAccount({ actor: "environment", trigger: "api" }, username, password, "admin");
        return { created: username };
      }
      if (options.mode === "simulator" && store.accounts.count() === 0) {
        const password = store.settings.get(DEMO_PASSWORD_KEY) ?? await store.write((w) => w.settings.secret(DEMO_PASSWORD_KEY, 12), "demo password");
        const passwordHash = await hashPassword(password);
        await store.write((w) => {
          if (w.accounts.count() === 0)
            w.accounts.create(DEMO_USERNAME, passwordHash, "admin");
        }, "demo admin");
        return { created: DEMO_USERNAME };
      }
      setupToken = randomBytes2(24).toString("base64url");
      return { setupToken };
    },
    /** Demo mode only: the demo admin's credentials, for the sign-in page and nowhere else. */
    demoCredentials() {
      if (options.mode !== "simulator")
        return void 0;
      const password = store.settings.get(DEMO_PASSWORD_KEY);
      const demo = store.accounts.findByUsername(DEMO_USERNAME);
      return password === void 0 || demo === void 0 || demo.disabled ? void 0 : { username: DEMO_USERNAME, password };
    },
    /** No enabled admin exists: only the setup link (from the server log) can make one. */
    setupRequired: () => !store.accounts.hasEnabledAdmin(),
    async setup(caller, token, username, password) {
      const expected = setupToken === void 0 ? void 0 : Buffer.from(setupToken);
      const given = Buffer.from(token);
      const closed = () => new AuthError("forbidden", "SETUP_CLOSED", "This setup link is not valid (or an account already exists). Use the link in the server log.");
      if (store.accounts.hasEnabledAdmin() || expected === void 0 || expected.length !== given.length || !timingSafeEqual2(expected, given))
        throw closed();
      checkPassword(password, username);
      setupToken = void 0;
      try {
        const passwordHash = await hashPassword(password);
        const account = await store.write((w) => {
          if (w.accounts.hasEnabledAdmin())
            throw closed();
          if (w.accounts.findByUsername(username) !== void 0)
            throw accountExists(username);
          const created = w.accounts.create(username, passwordHash, "admin");
          w.audit.record({ ...caller, actor: username, action: "account-create", userId: username }, { outcome: "success", message: `Created admin account ${username} with the setup link.` });
          return created;
        }, "account-create");
        const { token: cookie, session } = await startSession(account.id);
        return { token: cookie, session, account: publicAccount(account) };
      } catch (error) {
        if (!store.accounts.hasEnabledAdmin() && !(error instanceof AuthError && error.code === "SETUP_CLOSED"))
          setupToken = token;
        throw error;
      }
    },
    async signIn(caller, username, password) {
      const recent = recentFailures(username);
      const record = async (outcome, message, errorCode) => {
        await store.write((w) => {
          w.audit.record({ ...caller, actor: username, action: "sign-in", userId: username }, { outcome, errorCode, message });
        }, "sign-in");
      };
      if (recent.length >= maxFailures) {
        await record("failure", "Sign-in refused: too many failed attempts.", "ACCOUNT_LOCKED");
        const unlockAt = (recent[recent.length - maxFailures] ?? now()) + lockWindowMs;
        const retryAfterSeconds = Math.max(1, Math.ceil((unlockAt - now()) / 1e3));
        throw new AuthError("too-many", "ACCOUNT_LOCKED", `Too many failed sign-ins for this account. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s), or ask an admin to reset the password.`, { retryAfterSeconds });
      }
      const account = store.accounts.findByUsername(username);
      const valid = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
      if (account === void 0 || !valid || account.disabled) {
        recentFailures(username).push(now());
        await record("failure", "Sign-in failed: wrong user name or password, or the account is disabled.", "BAD_CREDENTIALS");
        throw new AuthError("unauthenticated", "BAD_CREDENTIALS", "Wrong user name or password.");
      }
      failures.delete(username.toLowerCase());
      const { token, session } = await startSession(account.id);
      await store.write((w) => {
        w.accounts.recordSignIn(account.id);
        w.audit.record({ ...caller, actor: account.username, action: "sign-in", userId: account.username }, { outcome: "success", message: `${account.username} signed in.` });
      }, "sign-in");
      return { token, session, account: publicAccount(account) };
    },
    /**
     * The live session of a cookie token, renewing its idle time; an expired one is deleted.
     * Idle time counts from the last request (kept in memory, written at most once a minute).
     */
    useSession(token) {
      const key = hashToken(token);
      const stored = store.sessions.find(key);
      if (stored === void 0) {
        lastSeen.delete(key);
        return void 0;
      }
      const at = now();
      const seen = Math.max(stored.lastSeenAt, lastSeen.get(key) ?? 0);
      if (at - seen > options.limits.idleMs || at - stored.createdAt > options.limits.absoluteMs) {
        lastSeen.delete(key);
        store.later("sessions", (w) => {
          w.delete(key);
        }, "session expired");
        return void 0;
      }
      lastSeen.set(key, at);
      if (at - stored.lastSeenAt > TOUCH_EVERY_MS)
        store.later("sessions", (w) => {
          w.touch(key, at);
        }, "session used");
      return { ...stored, lastSeenAt: at };
    },
    /** At start: sessions past their limits are deleted (otherwise only when their cookie comes back). */
    async purgeExpiredSessions() {
      return await store.write((w) => w.sessions.purgeExpired(options.limits, now()), "sessions purged");
    },
    async signOut(caller, token) {
      lastSeen.delete(hashToken(token));
      await store.write((w) => {
        w.sessions.delete(hashToken(token));
        w.audit.record({ ...caller, action: "sign-out", userId: caller.actor }, { outcome: "success", message: `${caller.actor} signed out.` });
      }, "sign-out");
    },
    /**
     * A signed-in person changes their own password, proving it with the current one. Wrong guesses
     * count towards the same lock as failed sign-ins (it is the same guessing). Every other session
     * of the account ends; the one that asked stays.
     */
    async changeOwnPassword(caller, accountId, sessionToken, currentPassword, newPassword) {
      const account = store.accounts.findById(accountId);
      if (account === void 0 || account.disabled)
        throw new AuthError("unauthenticated", "UNAUTHENTICATED", "Sign in first.");
      const entry = { ...caller, action: "account-update", userId: account.username };
      const refuse = async (code, message) => {
        await store.write((w) => {
          w.audit.record(entry, { outcome: "failure", errorCode: code, message });
        }, "password change refused");
      };
      const recent = recentFailures(account.username);
      if (recent.length >= maxFailures) {
        await refuse("ACCOUNT_LOCKED", `${account.username} could not change their password: too many wrong passwords.`);
        const retryAfterSeconds = Math.max(1, Math.ceil(((recent[0] ?? now()) + lockWindowMs - now()) / 1e3));
        throw new AuthError("too-many", "ACCOUNT_LOCKED", `Too many wrong passwords for this account. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, { retryAfterSeconds });
      }
      if (!await verifyPassword(currentPassword, account.passwordHash)) {
        recentFailures(account.username).push(now());
        await refuse("WRONG_PASSWORD", `${account.username} could not change their password: the current password was wrong.`);
        throw new AuthError("bad-request", "WRONG_PASSWORD", "The current password is not right.", { field: "currentPassword" });
      }
      checkPassword(newPassword, account.username, "newPassword");
      if (newPassword === currentPassword)
        throw new AuthError("bad-request", "VALIDATION", "The new password is the current one: choose another.", { field: "newPassword" });
      failures.delete(account.username.toLowerCase());
      const passwordHash = await hashPassword(newPassword);
      const keep = hashToken(sessionToken);
      return await store.write((w) => {
        w.accounts.update(accountId, { passwordHash });
        const endedSessions = w.sessions.deleteOthersForAccount(accountId, keep);
        w.audit.record(entry, { outcome: "success", message: `${account.username} changed their own password; ${endedSessions} other session${endedSessions === 1 ? "" : "s"} ended.` });
        return { endedSessions };
      }, "password changed");
    },
    async updateAccount(caller, id, change) {
      const account = store.accounts.findById(id);
      if (account === void 0)
        throw new AuthError("not-found", "NOT_FOUND", `No account ${id}.`);
      if (change.password !== void 0)
        checkPassword(change.password, account.username);
      const passwordHash = change.password === void 0 ? void 0 : await hashPassword(change.password);
      const what = [change.role === void 0 ? "" : `role ${change.role}`, change.disabled === void 0 ? "" : change.disabled ? "disabled" : "enabled", change.password === void 0 ? "" : "new password"].filter((w) => w !== "").join(", ");
      const updated = await store.write((w) => {
        const current = w.accounts.findById(id);
        if (current === void 0)
          throw new AuthError("not-found", "NOT_FOUND", `No account ${id}.`);
        const losesAdmin = current.role === "admin" && !current.disabled && (change.role !== void 0 && change.role !== "admin" || change.disabled === true);
        if (losesAdmin && !w.accounts.hasOtherAdmin(id))
          throw new AuthError("conflict", "LAST_ADMIN", "This is the last enabled admin: make another admin first.", { field: change.role === void 0 ? "disabled" : "role" });
        const after = w.accounts.update(id, { ...change, passwordHash });
        w.sessions.deleteForAccount(id);
        w.audit.record({ ...caller, action: "account-update", userId: current.username }, { outcome: "success", message: `Updated ${current.username}: ${what}.` });
        return after ?? current;
      }, "account-update");
      return publicAccount(updated);
    }
  };
}

export {
  ROLE_RANK,
  DEMO_USERNAME,
  AuthError,
  createAuthService
};
