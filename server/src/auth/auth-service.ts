import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Account, ErrorCode, Mode, Role } from '@em-console/shared/schemas'
import { silentLog, type Log } from '../log.js'
import type { Caller } from '../services/em-service.js'
import { ServiceError, type RefusalKind } from '../services/errors.js'
import { within } from '../services/limiter.js'
import type { Store, Writes } from '../store/store.js'
import { publicAccount, type StoredAccount } from './accounts-repository.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import { hashToken, type Session, type SessionLimits } from './sessions-repository.js'

const DEMO_USERNAME = 'demo'
/** Set when demo mode created the demo admin: the one account a start against a CUCM disables. */
const DEMO_PASSWORD_KEY = 'demo_password'

/** What to do about each refusal, for the person who got it. */
const AUTH_ACTIONS: Partial<Record<ErrorCode, string>> = {
  BAD_CREDENTIALS: 'Check the user name and password; an admin can reset the password on the Accounts screen or with "em-console user passwd".',
  WRONG_PASSWORD: 'Type the password you sign in with; if you forgot it, an admin can set a new one on the Accounts screen.',
  ACCOUNT_LOCKED: 'Wait until the lock ends, or ask an admin to set a new password.',
  ACCOUNT_EXISTS: 'Pick another user name, or change the existing account.',
  LAST_ADMIN: 'Give another account the admin role first.',
  SETUP_CLOSED: 'Open the setup link printed in the server log, or sign in with an existing account.',
  VALIDATION: 'Choose a longer password that does not contain the user name.',
  NOT_FOUND: 'Reload the account list.',
  CHANGED_SINCE_READ: 'Sign in with the password you have now, and change it again if you still want to.'
}

/** Sign-in or account change refused. */
class AuthError extends ServiceError {
  constructor (kind: RefusalKind, code: ErrorCode, message: string, details: { field?: string, retryAfterSeconds?: number } = {}) {
    super(kind, code, message, { ...details, action: AUTH_ACTIONS[code] ?? 'Try again, or ask an admin.' })
    this.name = 'AuthError'
  }
}

export interface AuthOptions {
  store: Store
  mode: Mode
  limits: SessionLimits
  log?: Log
  /** The first admin, from ADMIN_USERNAME / ADMIN_PASSWORD, when no account exists yet. */
  initialAdmin?: { username: string, password: string }
  now?: () => number
}

export interface SignedIn {
  token: string
  session: Session
  account: Account
}

export type AuthService = ReturnType<typeof createAuthService>

/** A wrong password takes as long for an unknown user as for a known one. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(86)

/** The actor of a sign-in's record under a user name no account has (the text typed is not kept). */
export const UNKNOWN_USER_NAME = '(unknown user name)'

/** Failed sign-ins of one account within LOCK_WINDOW_MS before it is locked for that long (README: SIGN_IN_PER_MINUTE). */
const MAX_FAILURES = 5
const LOCK_WINDOW_MS = 15 * 60_000

/** A session's last request is written at most this often; in between it is known in memory. */
const TOUCH_EVERY_MS = 60_000
/** Sessions whose rows are remembered at most (more than the people using one console). */
const SIGNED_IN_KEPT = 1000
/**
 * What this service keeps in memory per user name tried and per session used is swept of what no
 * longer counts (failures past the lock window, sessions idle past their limit) whenever it has
 * doubled since the last sweep, and from this size on: no timer, and no trace outlives its use.
 */
const SWEEP_FROM = 100
/** Sessions past their limits are deleted with a sign-in at most this often (at start too): abandoned ones are not kept for months. */
const PURGE_EVERY_MS = 10 * 60_000
/**
 * How long a sign-in waits for a database that refuses writes (another program's lock, a full
 * disk): past it the person hears why, instead of a sign-in page that waits as long as the lock.
 */
const SIGN_IN_WRITE_MS = 5_000

/** Calls `sweep` on every entry once the map has doubled since the last time (from SWEEP_FROM entries on). */
function sweeper<K, V> (map: Map<K, V>, sweep: (value: V, key: K) => void): () => void {
  let next = SWEEP_FROM
  return () => {
    if (map.size < next) return
    for (const [key, value] of map) sweep(value, key)
    next = Math.max(SWEEP_FROM, 2 * map.size)
  }
}

export function createAuthService (options: AuthOptions) {
  const { store } = options
  const log = options.log ?? silentLog
  const now = options.now ?? Date.now
  const failures = new Map<string, number[]>()
  /** The last request of each live session, by token hash: idle time counts from it exactly. */
  const lastSeen = new Map<string, number>()
  /** Each cookie token's session row and account, as long as the store holds them unchanged. */
  const signedIn = store.remember<{ key: string, stored: Session | undefined, account: Account | undefined }>(['sessions', 'accounts'], SIGNED_IN_KEPT)
  let setupToken: string | undefined
  let purgedAt = now()

  /** The failures of a user name that still count; a name with none is forgotten. */
  function recentFailures (username: string): number[] {
    const key = username.toLowerCase()
    const since = now() - LOCK_WINDOW_MS
    const list = (failures.get(key) ?? []).filter((at) => at > since)
    if (list.length > 0) failures.set(key, list)
    else forgetFailures(key)
    return list
  }

  /** The password each account's failures were counted against: a new one, set here or by another process (the CLI), unlocks. */
  const failedAgainst = new Map<string, string | undefined>()

  function forgetFailures (key: string): void {
    failures.delete(key)
    failedAgainst.delete(key)
  }

  const sweepFailures = sweeper(failures, (list, key) => {
    if ((list.at(-1) ?? 0) <= now() - LOCK_WINDOW_MS) forgetFailures(key)
  })
  const sweepLastSeen = sweeper(lastSeen, (at, key) => {
    if (now() - at > options.limits.idleMs) lastSeen.delete(key)
  })

  function failed (username: string): void {
    const key = username.toLowerCase()
    const list = recentFailures(username)
    list.push(now())
    failures.set(key, list)
    failedAgainst.set(key, store.accounts.findByUsername(username)?.passwordHash)
    sweepFailures()
  }

  /**
   * Counts an attempt as failed before its password is checked (which takes a while), so that
   * attempts sent together cannot all pass the lock's check first; `proven` takes it back once the
   * password was right.
   */
  function attempt (username: string): { proven: () => void } {
    failed(username)
    const key = username.toLowerCase()
    const at = failures.get(key)?.at(-1)
    return {
      proven: () => {
        const list = failures.get(key) ?? []
        const i = at === undefined ? -1 : list.lastIndexOf(at)
        if (i >= 0) list.splice(i, 1)
      }
    }
  }

  /** When an account that failed sign-ins have locked opens again (the oldest failure that still counts leaves the window); undefined when not locked. */
  function unlockAt (username: string): number | undefined {
    const recent = recentFailures(username)
    if (recent.length < MAX_FAILURES) return undefined
    const hash = store.accounts.findByUsername(username)?.passwordHash
    if (hash !== undefined && hash !== failedAgainst.get(username.toLowerCase())) {
      forgetFailures(username.toLowerCase())
      return undefined
    }
    return (recent[recent.length - MAX_FAILURES] ?? now()) + LOCK_WINDOW_MS
  }

  /** The demo admin's first password is kept (in clear) to be shown on the sign-in page only while it is the password. */
  function forgetDemoPassword (w: Writes, username: string): void {
    if (username.toLowerCase() === DEMO_USERNAME) w.settings.delete(DEMO_PASSWORD_KEY)
  }

  /**
   * The limits a purge while running applies: a session's row learns of its requests at most once a
   * minute (TOUCH_EVERY_MS), so a row is taken as idle only that much later than its session is.
   */
  const purgeLimits = (): SessionLimits => ({ idleMs: options.limits.idleMs + 2 * TOUCH_EVERY_MS, absoluteMs: options.limits.absoluteMs })

  function checkPassword (password: string, username: string, field = 'password'): void {
    const problem = passwordProblem(password, username)
    if (problem !== undefined) throw new AuthError('bad-request', 'VALIDATION', `The ${field === 'password' ? 'password' : 'new password'} ${problem}.`, { field })
  }

  const accountExists = (username: string): AuthError => new AuthError('conflict', 'ACCOUNT_EXISTS', `An account named "${username}" already exists.`, { field: 'username' })

  async function createAccount (caller: Caller, username: string, password: string, role: Role): Promise<Account> {
    checkPassword(password, username)
    if (store.accounts.findByUsername(username) !== undefined) throw accountExists(username)
    const passwordHash = await hashPassword(password)
    return await store.write((w) => {
      // Checked again inside the transaction: another request may have taken the name meanwhile.
      if (w.accounts.findByUsername(username) !== undefined) throw accountExists(username)
      const account = w.accounts.create(username, passwordHash, role)
      w.audit.record({ ...caller, action: 'account-create', userId: username }, { outcome: 'success', message: `Created ${role} account ${username}.` })
      return publicAccount(account)
    }, 'account-create')
  }

  function newSession (accountId: number): Session {
    return { accountId, csrfToken: randomBytes(24).toString('base64url'), createdAt: now(), lastSeenAt: now() }
  }

  async function startSession (accountId: number): Promise<{ token: string, session: Session }> {
    const token = randomBytes(32).toString('base64url')
    const session = newSession(accountId)
    await store.write((w) => { w.sessions.insert(hashToken(token), session) }, 'session')
    return { token, session }
  }

  /** A start against a CUCM disables the admin that demo mode made: the sign-in page showed its password to anyone. */
  async function retireDemoAdmin (): Promise<void> {
    const demo = store.accounts.findByUsername(DEMO_USERNAME)
    if (store.settings.get(DEMO_PASSWORD_KEY) === undefined || demo === undefined) return
    const message = `Disabled the "${DEMO_USERNAME}" admin that demo mode created: its password was shown on the sign-in page. EM Console now runs against a CUCM.`
    await store.write((w) => {
      w.accounts.update(demo.id, { disabled: true })
      w.sessions.deleteForAccount(demo.id)
      w.settings.delete(DEMO_PASSWORD_KEY)
      w.audit.record({ actor: 'system', trigger: 'api', action: 'account-update', userId: DEMO_USERNAME }, { outcome: 'success', message })
    }, 'demo admin retired')
    log.warn({ account: DEMO_USERNAME }, message)
  }

  return {
    createAccount,
    /** Every account; one that failed sign-ins have locked says until when. */
    listAccounts: (): Account[] => store.accounts.list().map((account) => {
      const until = unlockAt(account.username)
      return until === undefined ? publicAccount(account) : { ...publicAccount(account), lockedUntil: new Date(until).toISOString() }
    }),
    accountByName: (username: string): Account | undefined => { const a = store.accounts.findByUsername(username); return a === undefined ? undefined : publicAccount(a) },

    /** The cookie signing key, made once and kept in the database so restarts keep sessions. */
    cookieSecret: async (): Promise<string> => store.settings.get('cookie_secret') ?? await store.write((w) => w.settings.secret('cookie_secret'), 'cookie secret'),

    /**
     * First start: the admin from the environment, or in demo mode a demo admin whose
     * credentials the sign-in page shows; otherwise a one-time setup token for the log.
     * Against a CUCM, a demo admin left from demo mode is disabled.
     */
    async bootstrap (): Promise<{ setupToken?: string, created?: string }> {
      if (options.mode === 'cucm') await retireDemoAdmin()
      if (store.accounts.hasEnabledAdmin()) return {}
      if (options.initialAdmin !== undefined && store.accounts.findByUsername(options.initialAdmin.username) === undefined) {
        const { username, password } = options.initialAdmin
        await createAccount({ actor: 'environment', trigger: 'api' }, username, password, 'admin')
        return { created: username }
      }
      if (options.mode === 'simulator' && store.accounts.count() === 0) {
        const password = store.settings.get(DEMO_PASSWORD_KEY) ?? await store.write((w) => w.settings.secret(DEMO_PASSWORD_KEY, 12), 'demo password')
        const passwordHash = await hashPassword(password)
        await store.write((w) => {
          if (w.accounts.count() > 0) return
          w.accounts.create(DEMO_USERNAME, passwordHash, 'admin')
          w.audit.record({ actor: 'system', trigger: 'api', action: 'account-create', userId: DEMO_USERNAME }, { outcome: 'success', message: `Created admin account ${DEMO_USERNAME} for demo mode: its password is shown on the sign-in page.` })
        }, 'demo admin')
        return { created: DEMO_USERNAME }
      }
      setupToken = randomBytes(24).toString('base64url')
      return { setupToken }
    },

    /** Demo mode only: the demo admin's credentials, for the sign-in page and nowhere else. */
    demoCredentials (): { username: string, password: string } | undefined {
      if (options.mode !== 'simulator') return undefined
      const password = store.settings.get(DEMO_PASSWORD_KEY)
      const demo = store.accounts.findByUsername(DEMO_USERNAME)
      return password === undefined || demo === undefined || demo.disabled ? undefined : { username: DEMO_USERNAME, password }
    },

    /** No enabled admin exists: only the setup link (from the server log) can make one. */
    setupRequired: (): boolean => !store.accounts.hasEnabledAdmin(),

    async setup (caller: Caller, token: string, username: string, password: string): Promise<SignedIn> {
      const expected = setupToken === undefined ? undefined : Buffer.from(setupToken)
      const given = Buffer.from(token)
      const closed = (): AuthError => new AuthError('forbidden', 'SETUP_CLOSED', 'This setup link is not valid (or an account already exists). Use the link in the server log.')
      if (store.accounts.hasEnabledAdmin() || expected === undefined || expected.length !== given.length || !timingSafeEqual(expected, given)) throw closed()
      checkPassword(password, username)
      // Claimed before the first await: of setups that arrive together, exactly one gets the token.
      setupToken = undefined
      try {
        const passwordHash = await hashPassword(password)
        const account = await store.write((w) => {
          if (w.accounts.hasEnabledAdmin()) throw closed()
          if (w.accounts.findByUsername(username) !== undefined) throw accountExists(username)
          const created = w.accounts.create(username, passwordHash, 'admin')
          // The setup signs its admin in (its session starts below): the Accounts table says when.
          w.accounts.recordSignIn(created.id)
          w.audit.record({ ...caller, actor: username, action: 'account-create', userId: username }, { outcome: 'success', message: `Created admin account ${username} with the setup link.` })
          return created
        }, 'account-create')
        const { token: cookie, session } = await startSession(account.id)
        return { token: cookie, session, account: publicAccount(account) }
      } catch (error) {
        // The link stays usable when this attempt failed for a reason of its own (not a second admin).
        if (!store.accounts.hasEnabledAdmin() && !(error instanceof AuthError && error.code === 'SETUP_CLOSED')) setupToken = token
        throw error
      }
    },

    async signIn (caller: Omit<Caller, 'actor'>, username: string, password: string): Promise<SignedIn> {
      const account: StoredAccount | undefined = store.accounts.findByUsername(username)
      // A name no account has is not recorded as typed: people type their password in the user
      // name field, and History is every viewer's. An account's own name is (brute force shows).
      const named = account === undefined ? { actor: UNKNOWN_USER_NAME } : { actor: account.username, userId: account.username }
      // A refusal's record may land late (it stays queued while the database refuses writes): the answer does not wait for it.
      const record = async (outcome: 'success' | 'failure', message: string, errorCode?: string): Promise<void> => {
        const written = store.write((w) => { w.audit.record({ ...caller, ...named, action: 'sign-in' }, { outcome, errorCode, message }) }, 'sign-in')
        if (await within(written, SIGN_IN_WRITE_MS) === undefined) written.catch((error: unknown) => { log.error({ err: error }, 'Audit trail: a refused sign-in could not be recorded') })
      }
      const lockedUntil = unlockAt(username)
      if (lockedUntil !== undefined) {
        await record('failure', 'Sign-in refused: too many failed attempts.', 'ACCOUNT_LOCKED')
        const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil - now()) / 1000))
        throw new AuthError('too-many', 'ACCOUNT_LOCKED', `Too many failed sign-ins for this account. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s), or ask an admin to reset the password.`, { retryAfterSeconds })
      }
      attempt(username)
      const valid = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH)
      if (account === undefined || !valid || account.disabled) {
        await record('failure', account === undefined ? 'Sign-in failed: no account has the user name typed (not recorded: it may have been a password typed in the wrong field).' : 'Sign-in failed: wrong password, or the account is disabled.', 'BAD_CREDENTIALS')
        throw new AuthError('unauthenticated', 'BAD_CREDENTIALS', 'Wrong user name or password.')
      }
      forgetFailures(username.toLowerCase())
      // The session and its record in one write. Not written in time, the person is refused, and
      // the write, whenever the database takes it, records that refusal instead of a session.
      const given = { up: false }
      const token = randomBytes(32).toString('base64url')
      const written = store.write((w) => {
        const entry = { ...caller, actor: account.username, action: 'sign-in' as const, userId: account.username }
        if (given.up) {
          w.audit.record(entry, { outcome: 'failure', errorCode: 'AUDIT_UNAVAILABLE', message: `Sign-in refused: the database did not take its records within ${SIGN_IN_WRITE_MS / 1000} s.` })
          return undefined
        }
        const session = newSession(account.id)
        if (session.createdAt - purgedAt >= PURGE_EVERY_MS) {
          purgedAt = session.createdAt
          w.sessions.purgeExpired(purgeLimits(), session.createdAt)
        }
        w.sessions.insert(hashToken(token), session)
        w.accounts.recordSignIn(account.id)
        w.audit.record(entry, { outcome: 'success', message: `${account.username} signed in.` })
        return session
      }, 'sign-in')
      const session = (await within(written, SIGN_IN_WRITE_MS))?.value
      if (session === undefined) {
        given.up = true
        written.catch((error: unknown) => { log.error({ err: error }, 'Audit trail: a sign-in held back by the database could not be recorded as refused') })
        throw new ServiceError('unavailable', 'AUDIT_UNAVAILABLE', 'Signing in cannot be recorded now: the database refuses writes (another program holds its lock, or the disk is full), so no session was started.',
          { action: 'Try again in a minute; if it goes on, an admin frees the database (see the server log).' })
      }
      return { token, session, account: publicAccount(account) }
    },

    /**
     * The live session of a cookie token and its enabled account, renewing its idle time; an
     * expired one is deleted. Idle time counts from the last request (kept in memory, written at
     * most once a minute). The rows are remembered while the store holds them unchanged.
     * `renew: false` only asks (a progress stream that follows a run is not the person's activity).
     */
    useSession (token: string, renew = true): { session: Session, account: Account } | undefined {
      const { key, stored, account } = signedIn.get(token, () => {
        const key = hashToken(token)
        const stored = store.sessions.find(key)
        const account = stored === undefined ? undefined : store.accounts.findById(stored.accountId)
        return { key, stored, account: account === undefined ? undefined : publicAccount(account) }
      })
      if (stored === undefined) {
        lastSeen.delete(key)
        return undefined
      }
      const at = now()
      const seen = Math.max(stored.lastSeenAt, lastSeen.get(key) ?? 0)
      if (at - seen > options.limits.idleMs || at - stored.createdAt > options.limits.absoluteMs) {
        lastSeen.delete(key)
        store.later('sessions', (w) => { w.delete(key) }, 'session expired')
        return undefined
      }
      if (renew) {
        lastSeen.set(key, at)
        sweepLastSeen()
        if (at - stored.lastSeenAt > TOUCH_EVERY_MS) store.later('sessions', (w) => { w.touch(key, at) }, 'session used')
      }
      return account === undefined || account.disabled ? undefined : { session: { ...stored, lastSeenAt: renew ? at : seen }, account }
    },

    /** At start: sessions past their limits are deleted (afterwards, with a sign-in now and then, or when their cookie comes back). */
    async purgeExpiredSessions (): Promise<number> {
      return await store.write((w) => w.sessions.purgeExpired(options.limits, now()), 'sessions purged')
    },

    /** How many user names with failed sign-ins and how many sessions' last requests are kept in memory (tests assert their bound). */
    traces: (): { failedSignIns: number, sessionsSeen: number } => ({ failedSignIns: failures.size, sessionsSeen: lastSeen.size }),

    async signOut (caller: Caller, token: string): Promise<void> {
      lastSeen.delete(hashToken(token))
      await store.write((w) => {
        w.sessions.delete(hashToken(token))
        w.audit.record({ ...caller, action: 'sign-out', userId: caller.actor }, { outcome: 'success', message: `${caller.actor} signed out.` })
      }, 'sign-out')
    },

    /**
     * A signed-in person changes their own password, proving it with the current one. Wrong guesses
     * count towards the same lock as failed sign-ins (it is the same guessing). Every other session
     * of the account ends; the one that asked stays.
     */
    async changeOwnPassword (caller: Caller, accountId: number, sessionToken: string, currentPassword: string, newPassword: string): Promise<{ endedSessions: number }> {
      const account = store.accounts.findById(accountId)
      if (account === undefined || account.disabled) throw new AuthError('unauthenticated', 'UNAUTHENTICATED', 'Sign in first.')
      const entry = { ...caller, action: 'account-update' as const, userId: account.username }
      const refuse = async (code: 'WRONG_PASSWORD' | 'ACCOUNT_LOCKED', message: string): Promise<void> => {
        await store.write((w) => { w.audit.record(entry, { outcome: 'failure', errorCode: code, message }) }, 'password change refused')
      }
      const lockedUntil = unlockAt(account.username)
      if (lockedUntil !== undefined) {
        await refuse('ACCOUNT_LOCKED', `${account.username} could not change their password: too many wrong passwords.`)
        const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil - now()) / 1000))
        throw new AuthError('too-many', 'ACCOUNT_LOCKED', `Too many wrong passwords for this account. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, { retryAfterSeconds })
      }
      const tried = attempt(account.username)
      if (!await verifyPassword(currentPassword, account.passwordHash)) {
        await refuse('WRONG_PASSWORD', `${account.username} could not change their password: the current password was wrong.`)
        throw new AuthError('bad-request', 'WRONG_PASSWORD', 'The current password is not right.', { field: 'currentPassword' })
      }
      tried.proven()
      checkPassword(newPassword, account.username, 'newPassword')
      if (newPassword === currentPassword) throw new AuthError('bad-request', 'VALIDATION', 'The new password is the current one: choose another.', { field: 'newPassword' })
      forgetFailures(account.username.toLowerCase())
      const passwordHash = await hashPassword(newPassword)
      const keep = hashToken(sessionToken)
      return await store.write((w) => {
        // Read again inside the write: while the passwords were checked and hashed, an admin may
        // have set a password, disabled the account or ended its sessions. Theirs stands.
        const latest = w.accounts.findById(accountId)
        if (latest === undefined || latest.disabled || w.sessions.find(keep) === undefined) throw new AuthError('unauthenticated', 'UNAUTHENTICATED', 'Sign in first.')
        if (latest.passwordHash !== account.passwordHash) throw new AuthError('conflict', 'CHANGED_SINCE_READ', 'Your password was changed by another request while this one was checked: this change was not saved.', { field: 'currentPassword' })
        w.accounts.update(accountId, { passwordHash })
        forgetDemoPassword(w, account.username)
        const endedSessions = w.sessions.deleteOthersForAccount(accountId, keep)
        w.audit.record(entry, { outcome: 'success', message: `${account.username} changed their own password; ${endedSessions} other session${endedSessions === 1 ? '' : 's'} ended.` })
        return { endedSessions }
      }, 'password changed')
    },

    async updateAccount (caller: Caller, id: number, change: { role?: Role, disabled?: boolean, password?: string }): Promise<Account> {
      const account = store.accounts.findById(id)
      if (account === undefined) throw new AuthError('not-found', 'NOT_FOUND', `No account ${id}.`)
      if (change.password !== undefined) checkPassword(change.password, account.username)
      const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password)
      // The last-admin guard and the change are one transaction: two demotions at once cannot both pass.
      const updated = await store.write((w) => {
        const current = w.accounts.findById(id)
        if (current === undefined) throw new AuthError('not-found', 'NOT_FOUND', `No account ${id}.`)
        const losesAdmin = current.role === 'admin' && !current.disabled && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true)
        if (losesAdmin && !w.accounts.hasOtherAdmin(id)) throw new AuthError('conflict', 'LAST_ADMIN', 'This is the last enabled admin: make another admin first.', { field: change.role === undefined ? 'disabled' : 'role' })
        const after = w.accounts.update(id, { ...change, passwordHash })
        if (passwordHash !== undefined) forgetDemoPassword(w, current.username)
        const newRole = change.role !== undefined && change.role !== current.role
        const switched = change.disabled !== undefined && change.disabled !== current.disabled
        // A new password, a new role or disabling ends the account's sessions; the role or state
        // it already has, sent again (a script making sure of it), does not.
        if (newRole || passwordHash !== undefined || (switched && change.disabled === true)) w.sessions.deleteForAccount(id)
        const what = [newRole ? `role ${current.role} → ${String(change.role)}` : '', switched ? (change.disabled === true ? 'disabled' : 'enabled') : '', change.password === undefined ? '' : 'new password'].filter((w) => w !== '').join(', ') || 'nothing changed'
        w.audit.record({ ...caller, action: 'account-update', userId: current.username }, { outcome: 'success', message: `Updated ${current.username}: ${what}.` })
        return after ?? current
      }, 'account-update')
      return publicAccount(updated)
    }
  }
}
