import { userInfo } from 'node:os'
import { createInterface } from 'node:readline/promises'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, TRIGGERS, UserIdSchema, type AuditFilter } from '@em-console/shared/schemas'
import Value from 'typebox/value'
import { createAuditRepository } from '../audit/audit-repository.js'
import { ConfigError, loadConfig, readEnvironment, type Config } from '../config.js'
import { closeDatabase, openDatabase } from '../db/database.js'
import { deviceNameProblem } from '../device-names.js'
import { startRuntime, type Runtime } from '../runtime.js'
import type { Caller } from '../services/em-service.js'
import { VERSION } from '../version.js'
import { describeTarget, printChecks, runChecks, type CheckStep } from './check.js'
import { ACCOUNT_COMMANDS, accounts, isRole, type AccountArgs } from './accounts.js'
import { history, logout, logoutAll, status, user, type CommandContext } from './commands.js'
import { EXIT, type ExitCode, type Io } from './output.js'

export const USAGE = `Usage: em-console <command> [options]

Commands:
  logout-all [--yes]          log out every Extension Mobility user on the cluster (EMAPI logoutAll);
                              asks first on a terminal; --yes is required when stdin is not a terminal
  status <device...>          who is logged in on these devices
  logout <device...>          log out whoever is on these devices
  user <userId>               the devices a user is logged in on, and their device profiles
                              (also "user show <userId>")
  user list                   the dashboard's accounts
  user add <name> [--role R]  create an account (viewer, operator or admin; default viewer)
  user passwd <name>          set a new password (ends the account's sessions)
  user disable|enable <name>  disable (ends its sessions) or enable an account
                              Passwords are typed twice at a prompt, or read from the first line
                              of stdin when it is not a terminal; never from the command line.
  history [--limit N] [--action A] [--outcome O] [--device D] [--user U] [--trigger T] [--actor A]
                              the audit trail, newest first (default 20 records)
  check                       validate the configuration and test the connection to CUCM
  help                        this text

Every command takes --json (one JSON object on stdout). Settings come from the environment and
./.env, as for the server; actions are audited with trigger "cli" and your OS user name.

Exit codes: 0 done; 1 CUCM answered with an EMAPI error (or another logout-all was running, or
you answered no); 2 CUCM unreachable, TLS not trusted, timeout or not an EMAPI answer;
3 configuration or command-line error: nothing was sent.`

class UsageError extends Error {}

export interface CliEnvironment {
  env: NodeJS.ProcessEnv
  stdin: NodeJS.ReadStream
  io: Io
}

const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const satisfies ParseArgsConfig['options']
const COMMANDS = {
  'logout-all': { ...COMMON, yes: { type: 'boolean', short: 'y' } },
  status: COMMON,
  logout: COMMON,
  user: { ...COMMON, role: { type: 'string' } },
  history: {
    ...COMMON,
    limit: { type: 'string', short: 'n' },
    action: { type: 'string' },
    outcome: { type: 'string' },
    device: { type: 'string' },
    user: { type: 'string' },
    trigger: { type: 'string' },
    actor: { type: 'string' }
  },
  check: COMMON
} as const satisfies Record<string, ParseArgsConfig['options']>
type Command = keyof typeof COMMANDS

function isCommand (name: string): name is Command {
  return Object.hasOwn(COMMANDS, name)
}

type Values = Record<string, string | boolean | undefined>

function parse (command: Command, args: string[]): { values: Values, positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: COMMANDS[command], allowPositionals: true, strict: true })
    return { values: values as Values, positionals }
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

function oneOf<T extends string> (name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of: ${allowed.join(', ')}`)
  return value as T
}

function deviceNames (positionals: string[]): string[] {
  if (positionals.length === 0) throw new UsageError('give at least one device name')
  const problem = positionals.map(deviceNameProblem).find((p) => p !== undefined)
  if (problem !== undefined) throw new UsageError(problem)
  return positionals
}

function historyArgs (values: Values): { filter: AuditFilter, limit: number } {
  const text = (key: string): string | undefined => typeof values[key] === 'string' ? values[key] : undefined
  const limitText = text('limit') ?? '20'
  const limit = Number(limitText)
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500) throw new UsageError('--limit must be a whole number from 1 to 500')
  const filter: AuditFilter = {}
  const action = oneOf('action', text('action'), AUDIT_ACTIONS)
  const outcome = oneOf('outcome', text('outcome'), AUDIT_OUTCOMES)
  const trigger = oneOf('trigger', text('trigger'), TRIGGERS)
  if (action !== undefined) filter.action = action
  if (outcome !== undefined) filter.outcome = outcome
  if (trigger !== undefined) filter.trigger = trigger
  for (const key of ['device', 'user', 'actor'] as const) {
    const value = text(key)
    if (value !== undefined) filter[key] = value
  }
  return { filter, limit }
}

function accountArgsOf (command: AccountArgs['command'], rest: string[], values: Values): AccountArgs {
  const role = typeof values.role === 'string' ? values.role : undefined
  if (role !== undefined && (command !== 'add' || !isRole(role))) throw new UsageError('--role goes with "user add" and is viewer, operator or admin')
  if (command === 'list') {
    if (rest.length > 0) throw new UsageError('"user list" takes no arguments')
    return { command, json: false }
  }
  const username = rest[0]
  if (rest.length !== 1 || username === undefined || !/^[A-Za-z0-9._@-]{1,64}$/.test(username)) {
    throw new UsageError(`"user ${command}" takes one account name (letters, digits, dot, dash, underscore and @)`)
  }
  return { command, username, ...(isRole(role) ? { role } : {}), json: false }
}

/** The OS account that ran the command; userInfo() throws when the uid has no passwd entry. */
function osUser (): string {
  try {
    return userInfo().username
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`
  }
}

/** logout-all's safety catch: a person types "yes", a script passes --yes. */
async function confirmLogoutAll (config: Config, stdin: NodeJS.ReadStream, io: Io, yes: boolean): Promise<ExitCode | undefined> {
  if (yes) return undefined
  if (stdin.isTTY !== true) {
    io.err('Refusing to log everyone out: stdin is not a terminal, so there is nobody to confirm. Add --yes to run logout-all from a script or the OS scheduler.')
    return EXIT.config
  }
  const where = config.CUCM_HOST === undefined ? 'the built-in CUCM simulator (demo mode)' : `CUCM ${config.CUCM_HOST}`
  const prompt = createInterface({ input: stdin, output: process.stderr })
  try {
    const answer = await prompt.question(`This logs out EVERY Extension Mobility user on ${where}. Type "yes" to continue: `)
    if (answer.trim().toLowerCase() === 'yes') return undefined
  } finally {
    prompt.close()
  }
  io.err('Cancelled: nothing was sent.')
  return EXIT.failed
}

function configFailure (io: Io, json: boolean, command: string, error: ConfigError): ExitCode {
  if (json) {
    io.out(JSON.stringify({ command, ok: false, exitCode: EXIT.config, errorCode: 'CONFIG', key: error.key, message: error.message }, null, 2))
  } else if (command === 'check') {
    printChecks(io, [{ name: 'configuration', ok: false, message: error.message, fix: `Fix ${error.key} in .env or the environment (.env-sample documents every setting).` }])
  } else {
    io.err(`${error.message}. Fix ${error.key} in .env or the environment (.env-sample documents every setting).`)
  }
  return EXIT.config
}

/** Runs one command; returns the exit code. Never prints the application user's password. */
export async function main (argv: string[], { env, stdin, io }: CliEnvironment): Promise<ExitCode> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE)
    return name === undefined ? EXIT.config : EXIT.ok
  }
  if (name === '--version' || name === 'version') {
    io.out(VERSION)
    return EXIT.ok
  }
  if (!isCommand(name)) {
    io.err(`Unknown command "${name.slice(0, 40)}".\n\n${USAGE}`)
    return EXIT.config
  }

  let parsed: ReturnType<typeof parse>
  let run: (ctx: CommandContext) => Promise<ExitCode>
  let accountArgs: AccountArgs | undefined
  try {
    parsed = parse(name, rest)
    if (parsed.values.help === true) {
      io.out(USAGE)
      return EXIT.ok
    }
    const { positionals } = parsed
    switch (name) {
      case 'logout-all':
      case 'check':
      case 'history':
        if (positionals.length > 0) throw new UsageError(`${name} takes no arguments (got "${positionals[0]?.slice(0, 40) ?? ''}")`)
        run = async () => EXIT.ok
        break
      case 'status': {
        const devices = deviceNames(positionals)
        run = async (ctx) => await status(ctx, devices)
        break
      }
      case 'logout': {
        const devices = deviceNames(positionals)
        run = async (ctx) => await logout(ctx, devices)
        break
      }
      case 'user': {
        const sub = ACCOUNT_COMMANDS.find((c) => c === positionals[0])
        if (sub !== undefined) {
          accountArgs = accountArgsOf(sub, positionals.slice(1), parsed.values)
          run = async () => EXIT.ok
          break
        }
        const lookup = positionals[0] === 'show' ? positionals.slice(1) : positionals
        const userId = lookup[0]
        if (lookup.length !== 1 || userId === undefined || !Value.Check(UserIdSchema, userId)) throw new UsageError('give exactly one user ID')
        run = async (ctx) => await user(ctx, userId)
        break
      }
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err(`em-console ${name}: ${error.message}\nRun "em-console help" for usage.`)
    return EXIT.config
  }
  const json = parsed.values.json === true

  let config: Config
  try {
    config = loadConfig(readEnvironment(env))
  } catch (error) {
    if (error instanceof ConfigError) return configFailure(io, json, name, error)
    throw error
  }

  if (accountArgs !== undefined) return await accounts(config, { ...accountArgs, json }, { actor: osUser(), trigger: 'cli' }, stdin, io)

  if (name === 'history') {
    let args: ReturnType<typeof historyArgs>
    try {
      args = historyArgs(parsed.values)
    } catch (error) {
      if (!(error instanceof UsageError)) throw error
      io.err(`em-console history: ${error.message}`)
      return EXIT.config
    }
    const db = openDatabase(config.DATABASE_PATH)
    try {
      return history(createAuditRepository(db), { json, io }, args.filter, args.limit)
    } finally {
      closeDatabase(db)
    }
  }

  if (name === 'logout-all') {
    const refused = await confirmLogoutAll(config, stdin, io, parsed.values.yes === true)
    if (refused !== undefined) return refused
  }

  let runtime: Runtime
  try {
    // The CLI may run beside the server: it must not mark the server's pending rows interrupted.
    runtime = await startRuntime(config, { markInterrupted: false })
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error)
    return configFailure(io, json, name, new ConfigError(config.CUCM_CA_FILE === undefined ? 'DATABASE_PATH' : 'CUCM_CA_FILE', problem))
  }
  try {
    for (const warning of runtime.warnings) io.err(`Note: ${warning}`)
    if (name === 'check') {
      const { steps, exitCode } = await runChecks(runtime)
      if (json) io.out(JSON.stringify({ command: 'check', ok: exitCode === EXIT.ok, exitCode, mode: runtime.mode, target: describeTarget(config), checks: steps satisfies CheckStep[] }, null, 2))
      else printChecks(io, steps)
      return exitCode
    }
    const caller: Caller = { actor: osUser(), trigger: 'cli' }
    const ctx: CommandContext = { runtime, caller, json, io }
    return name === 'logout-all' ? await logoutAll(ctx) : await run(ctx)
  } finally {
    await runtime.close()
  }
}
