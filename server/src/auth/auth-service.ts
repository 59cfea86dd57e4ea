import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Account, Mode, Role } from '@em-console/shared/schemas'
import type { AuditRepository } from '../audit/audit-repository.js'
import type { Db } from '../db/database.js'
import type { Caller } from '../services/em-service.js'
import { createAccountsRepository, publicAccount, type StoredAccount } from './accounts-repository.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import { createSessionsRepository, type Session, type SessionLimits } from './sessions-repository.js'
import { createSettingsRepository } from '../db/settings-repository.js'

export const ROLE_RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 }
export const DEMO_USERNAME = 'demo'

/** What to do about each refusal, for the person who got it. */
const AUTH_ACTIONS: Record<string, string> = {
  BAD_CREDENTIALS: 'Check the user name and password; an admin can reset the password on the Accounts screen or with "em-console user passwd".',
  ACCOUNT_LOCKED: 'Wait 15 minutes, or ask an admin to set a new password.',
  ACCOUNT_EXISTS: 'Pick another user name, or change the existing account.',
  LAST_ADMIN: 'Give another account the admin role first.',
  SETUP_CLOSED: 'Open the setup link printed in the server log, or sign in with an existing account.',
  VALIDATION: 'Choose a longer password that does not contain the user name.',
  NOT_FOUND: 'Reload the account list.'
}

/** Sign-in or account change refused: 401 (wrong credentials), 429 (locked), 400 (bad new password), 403, 404 or 409. */
export class AuthError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly field: string | undefined
  readonly action: string
  /** For a 429: when trying again makes sense (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined

  constructor (statusCode: number, code: string, message: string, field?: string, retryAfterSeconds?: number) {
    super(message)
    this.name = 'AuthError'
    this.statusCode = statusCode
    this.code = code
    this.field = field
    this.action = AUTH_ACTIONS[code] ?? 'Try again, or ask an admin.'
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export interface AuthOptions {
  db: Db
  audit: AuditRepository
  mode: Mode
  limits: SessionLimits
  /** The first admin, from ADMIN_USERNAME / ADMIN_PASSWORD, when no account exists yet. */
  initialAdmin?: { username: string, password: string }
  /** Failed sign-ins of one account within `lockWindowMs` before it is locked for that long. */
  maxFailures?: number
  lockWindowMs?: number
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

export function createAuthService (options: AuthOptions) {
  const now = options.now ?? Date.now
  const accounts = createAccountsRepository(options.db)
  const sessions = createSessionsRepository(options.db, options.limits, now)
  const settings = createSettingsRepository(options.db)
  const { audit } = options
  const maxFailures = options.maxFailures ?? 5
  const lockWindowMs = options.lockWindowMs ?? 15 * 60_000
  const failures = new Map<string, number[]>()
  let setupToken: string | undefined

  function recentFailures (username: string): number[] {
    const since = now() - lockWindowMs
    const list = (failures.get(username.toLowerCase()) ?? []).filter((at) => at > since)
    failures.set(username.toLowerCase(), list)
    return list
  }

  function checkPassword (password: string, username: string): void {
    const problem = passwordProblem(password, username)
    if (problem !== undefined) throw new AuthError(400, 'VALIDATION', `The password ${problem}.`, 'password')
  }

  async function createAccount (caller: Caller, username: string, password: string, role: Role): Promise<Account> {
    checkPassword(password, username)
    if (accounts.findByUsername(username) !== undefined) throw new AuthError(409, 'ACCOUNT_EXISTS', `An account named "${username}" already exists.`, 'username')
    const account = accounts.create(username, await hashPassword(password), role)
    audit.record({ ...caller, action: 'account-create', userId: username }, { outcome: 'success', message: `Created ${role} account ${username}.` })
    return publicAccount(account)
  }

  return {
    accounts,
    sessions,
    createAccount,
    /** The cookie signing key, made once and kept in the database so restarts keep sessions. */
    cookieSecret: (): string => settings.secret('cookie_secret'),

    /**
     * First start: the admin from the environment, or in demo mode a demo admin whose
     * credentials the sign-in page shows; otherwise a one-time setup token for the log.
     */
    async bootstrap (): Promise<{ setupToken?: string, created?: string }> {
      if (accounts.count() > 0) return {}
      if (options.initialAdmin !== undefined) {
        const { username, password } = options.initialAdmin
        await createAccount({ actor: 'environment', trigger: 'api' }, username, password, 'admin')
        return { created: username }
      }
      if (options.mode === 'simulator') {
        const password = settings.secret('demo_password', 12)
        accounts.create(DEMO_USERNAME, await hashPassword(password), 'admin')
        return { created: DEMO_USERNAME }
      }
      setupToken = randomBytes(24).toString('base64url')
      return { setupToken }
    },

    /** Demo mode only: the demo admin's credentials, for the sign-in page and nowhere else. */
    demoCredentials (): { username: string, password: string } | undefined {
      if (options.mode !== 'simulator') return undefined
      const password = settings.get('demo_password')
      const demo = accounts.findByUsername(DEMO_USERNAME)
      return password === undefined || demo === undefined || demo.disabled ? undefined : { username: DEMO_USERNAME, password }
    },

    setupRequired: (): boolean => accounts.count() === 0,

    async setup (caller: Caller, token: string, username: string, password: string): Promise<SignedIn> {
      const expected = setupToken === undefined ? undefined : Buffer.from(setupToken)
      const given = Buffer.from(token)
      if (accounts.count() > 0 || expected === undefined || expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new AuthError(403, 'SETUP_CLOSED', 'This setup link is not valid (or an account already exists). Use the link in the server log.')
      }
      const account = await createAccount({ ...caller, actor: username }, username, password, 'admin')
      setupToken = undefined
      const { token: cookie, session } = sessions.create(account.id)
      return { token: cookie, session, account }
    },

    async signIn (caller: Omit<Caller, 'actor'>, username: string, password: string): Promise<SignedIn> {
      const recent = recentFailures(username)
      if (recent.length >= maxFailures) {
        audit.record({ ...caller, actor: username, action: 'sign-in', userId: username }, { outcome: 'failure', errorCode: 'ACCOUNT_LOCKED', message: 'Sign-in refused: too many failed attempts.' })
        // The lock ends when the oldest failure that still counts leaves the window.
        const unlockAt = (recent[recent.length - maxFailures] ?? now()) + lockWindowMs
        throw new AuthError(429, 'ACCOUNT_LOCKED', 'Too many failed sign-ins for this account. Wait 15 minutes, or ask an admin to reset the password.', undefined, Math.max(1, Math.ceil((unlockAt - now()) / 1000)))
      }
      const account: StoredAccount | undefined = accounts.findByUsername(username)
      const valid = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH)
      if (account === undefined || !valid || account.disabled) {
        recentFailures(username).push(now())
        audit.record({ ...caller, actor: username, action: 'sign-in', userId: username }, { outcome: 'failure', errorCode: 'BAD_CREDENTIALS', message: 'Sign-in failed: wrong user name or password, or the account is disabled.' })
        throw new AuthError(401, 'BAD_CREDENTIALS', 'Wrong user name or password.')
      }
      failures.delete(username.toLowerCase())
      accounts.recordSignIn(account.id)
      const { token, session } = sessions.create(account.id)
      audit.record({ ...caller, actor: account.username, action: 'sign-in', userId: account.username }, { outcome: 'success', message: `${account.username} signed in.` })
      return { token, session, account: publicAccount(account) }
    },

    signOut (caller: Caller, token: string): void {
      sessions.delete(token)
      audit.record({ ...caller, action: 'sign-out', userId: caller.actor }, { outcome: 'success', message: `${caller.actor} signed out.` })
    },

    async updateAccount (caller: Caller, id: number, change: { role?: Role, disabled?: boolean, password?: string }): Promise<Account> {
      const account = accounts.findById(id)
      if (account === undefined) throw new AuthError(404, 'NOT_FOUND', `No account ${id}.`)
      const losesAdmin = account.role === 'admin' && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true)
      if (losesAdmin && !accounts.hasOtherAdmin(id)) throw new AuthError(409, 'LAST_ADMIN', 'This is the last enabled admin: make another admin first.', change.role === undefined ? 'disabled' : 'role')
      if (change.password !== undefined) checkPassword(change.password, account.username)
      const updated = accounts.update(id, { ...change, passwordHash: change.password === undefined ? undefined : await hashPassword(change.password) })
      // A new password, a new role or disabling ends the account's sessions.
      sessions.deleteForAccount(id)
      const what = [change.role === undefined ? '' : `role ${change.role}`, change.disabled === undefined ? '' : (change.disabled ? 'disabled' : 'enabled'), change.password === undefined ? '' : 'new password'].filter((w) => w !== '').join(', ')
      audit.record({ ...caller, action: 'account-update', userId: account.username }, { outcome: 'success', message: `Updated ${account.username}: ${what}.` })
      return publicAccount(updated ?? account)
    }
  }
}
