import { Writable } from 'node:stream'
import { createInterface } from 'node:readline/promises'
import { ACCOUNT_NAME, shortProblem } from '@em-console/shared/field-rules'
import { ROLES, type Role } from '@em-console/shared/schemas'
import { createAuthService } from '../auth/auth-service.js'
import type { Config } from '../config.js'
import type { Caller } from '../services/em-service.js'
import { ServiceError } from '../services/errors.js'
import { existingStore, openedStore } from '../store/database-path.js'
import type { AccountCommand } from './main.js'
import { askTerminal, EXIT, printJson, refused, ROLE_WITHOUT_ADD, UsageError, type ExitCode, type Io, type Values } from './output.js'

export interface AccountArgs {
  command: AccountCommand
  username?: string
  role?: Role
  json: boolean
}

/**
 * A new password: typed twice on a terminal without echo, or the first line of stdin for scripts
 * (never an argument or an environment variable, which other users can read in the process list).
 * None given, or two that differ, is a UsageError: nothing is changed.
 */
async function readPassword (stdin: NodeJS.ReadStream): Promise<string> {
  const none = new UsageError('No password given: type it at the prompt, or pass it as the first line of stdin.')
  if (stdin.isTTY !== true) {
    const lines = createInterface({ input: stdin, terminal: false })[Symbol.asyncIterator]()
    const first = await lines.next()
    if (first.done === true || first.value === '') throw none
    return first.value
  }
  const ask = async (prompt: string): Promise<string> => {
    process.stderr.write(prompt)
    const muted = new Writable({ write (_chunk, _encoding, done) { done() } })
    try {
      return await askTerminal(stdin, muted, '')
    } finally {
      process.stderr.write('\n')
    }
  }
  const first = await ask('New password: ')
  if (first === '') throw none
  if (await ask('Repeat it: ') !== first) throw new UsageError('The two passwords differ: nothing was changed.')
  return first
}

/**
 * `em-console user add|passwd|disable|enable|list`: the dashboard's local accounts. With --json,
 * the one object every command prints, its refusals included (as `user`, the command's name).
 */
export async function accounts (config: Config, args: AccountArgs, caller: Caller, stdin: NodeJS.ReadStream, io: Io): Promise<ExitCode> {
  const { json } = args
  // The first account may come before the server's first start; the others need accounts to act on.
  const store = args.command === 'add' ? openedStore({ path: config.DATABASE_PATH }) : existingStore({ path: config.DATABASE_PATH })
  try {
    const auth = createAuthService({ store, mode: config.CUCM_HOST === undefined ? 'simulator' : 'cucm', limits: { idleMs: 0, absoluteMs: 0 } })
    if (args.command === 'list') {
      const list = auth.listAccounts()
      if (json) printJson(io, { command: 'user', ok: true, exitCode: EXIT.ok, accounts: list })
      else {
        io.out(`${'USER'.padEnd(24)} ${'ROLE'.padEnd(9)} ${'STATE'.padEnd(9)} LAST SIGN-IN`)
        for (const a of list) io.out(`${a.username.padEnd(24)} ${a.role.padEnd(9)} ${(a.disabled ? 'disabled' : 'enabled').padEnd(9)} ${a.lastSignInAt ?? 'never'}`)
      }
      return EXIT.ok
    }
    const username = args.username ?? ''
    const existing = auth.accountByName(username)
    if (args.command !== 'add' && existing === undefined) {
      return refused(io, json, 'user', { exitCode: EXIT.failed, errorCode: 'NOT_FOUND', message: `No account named "${username}".`, hint: 'Run "em-console user list" to list them.' })
    }
    let done: string
    if (args.command === 'add' || args.command === 'passwd') {
      const password = await readPassword(stdin)
      if (args.command === 'add') {
        await auth.createAccount(caller, username, password, args.role ?? 'viewer')
        done = `Created ${args.role ?? 'viewer'} account ${username}.`
      } else {
        await auth.updateAccount(caller, existing?.id ?? 0, { password })
        done = `Set a new password for ${username}; their sessions are ended.`
      }
    } else {
      await auth.updateAccount(caller, existing?.id ?? 0, { disabled: args.command === 'disable' })
      done = args.command === 'disable' ? `Disabled ${username}; their sessions are ended.` : `Enabled ${username}.`
    }
    if (json) printJson(io, { command: 'user', ok: true, exitCode: EXIT.ok, message: done })
    else io.out(done)
    return EXIT.ok
  } catch (error) {
    if (error instanceof UsageError) return refused(io, json, 'user', { exitCode: EXIT.config, errorCode: 'USAGE', message: error.message })
    if (!(error instanceof ServiceError)) throw error
    // A password too short is the command's input (3); an account that exists, the last admin: refused as it stands (1).
    return refused(io, json, 'user', { exitCode: error.kind === 'bad-request' ? EXIT.config : EXIT.failed, errorCode: error.code, message: error.message, ...(error.action === undefined ? {} : { hint: error.action }) })
  } finally {
    await store.close()
  }
}

const isRole = (value: string | undefined): value is Role => (ROLES as readonly string[]).includes(value ?? '')

export function accountArgsOf (command: AccountArgs['command'], rest: string[], values: Values): Omit<AccountArgs, 'json'> {
  const role = typeof values.role === 'string' ? values.role : undefined
  if (role !== undefined && (command !== 'add' || !isRole(role))) throw new UsageError(ROLE_WITHOUT_ADD)
  if (command === 'list') {
    if (rest.length > 0) throw new UsageError('"user list" takes no arguments')
    return { command }
  }
  const username = rest[0]
  if (rest.length !== 1 || username === undefined || username === '' || shortProblem(ACCOUNT_NAME, username) !== undefined) {
    throw new UsageError(`"user ${command}" takes one account name (${ACCOUNT_NAME.allowed})`)
  }
  return { command, username, ...(isRole(role) ? { role } : {}) }
}
