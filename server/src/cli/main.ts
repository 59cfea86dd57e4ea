import { constants, userInfo } from 'node:os'
import { ConfigError, loadConfig, readEnvironment, type Config } from '../config.js'
import { closest } from '../did-you-mean.js'
import type { Log } from '../log.js'
import type { CoreRuntime } from '../runtime.js'
import type { SessionFilters } from '@em-console/shared/schemas'
import type { Caller } from '../services/em-service.js'
import { sentences, ServiceError } from '../services/errors.js'
import { VERSION } from '../version.js'
import { asksJson, parseCommandLine, type CommandLine, type CommandSpec } from './command-line.js'
import { confirmed, EXIT, printJson, refused, ROLE_WITHOUT_ADD, terminalIo, unknownCluster, UsageError, type ExitCode, type Io, type Values } from './output.js'

export const USAGE = `Usage: em-console <command> [options]

Commands:
  logout-all [--cluster ID|all] [--yes]
                              log out every Extension Mobility user on a cluster (EMAPI logoutAll);
                              with two clusters or more --cluster is required ("all": every one);
                              asks first on a terminal; --yes is required when stdin is not a terminal
  status <device...>          who is logged in on these devices (every cluster, each line naming it)
  logout <device...>          log out whoever is on these devices (on the cluster where each is)
  logout --older-than 12h [--pool X]... [--yes]
                              log out the sessions, read fresh from the AXL inventory, logged in
                              for longer than that; with --pool, only those on one of these device
                              pools (--pool alone: every session on them); says how many and asks
                              first on a terminal; --yes is required when stdin is not a terminal
  sessions [--older-than 12h] [--pool X]...
                              who is logged in now, oldest first, read fresh from the AXL inventory
                              (needs CUCM_AXL_USER and CUCM_AXL_PASSWORD; ages as 90m, 12h or 3d,
                              a number alone being hours)
  user <userId>               the devices a user is logged in on, and their device profiles
                              (also "user show <userId>")
  user list                   the dashboard's accounts
  user add <name> [--role R]  create an account (viewer, operator or admin; default viewer)
  user passwd <name>          set a new password (ends the account's sessions)
  user disable|enable <name>  disable (ends its sessions) or enable an account
                              Passwords are typed twice at a prompt, or read from the first line
                              of stdin when it is not a terminal; never from the command line.
  history [--limit N] [--action A] [--outcome O] [--device D] [--user U] [--trigger T] [--actor A] [--cluster ID] [--run ID] [--since T] [--until T] [--cursor C]
                              the audit trail, newest first (default 20 records; when more match,
                              how many, and the --cursor C of the next ones); T: an age (24h,
                              90m, 3d) or a date or time, UTC without a zone; a date alone is its
                              first instant (--until 2026-12-03 ends with 2 December); ID: a run's
                              id, or its start as printed ("run 50348025")
  schedules                   every schedule with its next run and how its last run ended;
                              exit 1 when the last run of an enabled one failed, was missed or
                              was interrupted (the server stopped during it), or when one of its
                              runs is over 5 minutes due with no record (the server is down)
  check [--cluster ID]        validate the configuration and test the connection to CUCM
                              (the first cluster, or the one --cluster names)
  clusters                    every cluster (environment and dashboard) and whether its EMAPI
                              answers; exit 2 when an enabled one does not
  version                     the version of EM Console (also --version)
  help                        this text

Every command that talks to CUCM takes --cluster ID: only that cluster. Without it look-ups ask
every enabled cluster, and a logout acts where the device is (refused when it is on several).
Every command takes --json (one JSON object on stdout) and -h or --help; -y is --yes, -n is
--limit. Settings come from the environment and ./.env, as for the server; actions are audited
with trigger "cli" and your OS user name.

Exit codes: 0 done; 1 CUCM answered with an EMAPI error (or another logout-all was running, a
device or user asked does not exist, you answered no, or a schedule's last run failed); 2 CUCM unreachable, TLS not trusted, timeout or not an EMAPI answer;
3 configuration or command-line error, an unknown or missing --cluster, or --yes missing without
a terminal: nothing was sent.`

export interface CliEnvironment {
  env: NodeJS.ProcessEnv
  stdin: NodeJS.ReadStream
  io: Io
}

const COMMON = { json: {}, help: { short: 'h' } } as const satisfies CommandSpec['options']
const CLUSTER = { cluster: { value: 'a cluster id' } } as const satisfies CommandSpec['options']
/** The selection by sessions of `sessions` and `logout --older-than/--pool`. */
const SESSIONS = { 'older-than': { value: 'an age such as 12h, 90m or 3d (a number alone is hours)' }, pool: { value: 'a device pool name', multiple: true } } as const satisfies CommandSpec['options']
const AGE_OR_TIME = 'an age such as 24h or a date or time such as 2026-12-02'
/** Each command's options (what a value-taking one takes, as its refusal says it) and whether it takes arguments. */
export const COMMANDS = {
  'logout-all': { options: { ...COMMON, cluster: { value: 'a cluster id or "all"' }, yes: { short: 'y' } }, positionals: false },
  status: { options: { ...COMMON, ...CLUSTER }, positionals: true },
  logout: { options: { ...COMMON, ...CLUSTER, ...SESSIONS, yes: { short: 'y' } }, positionals: true },
  sessions: { options: { ...COMMON, ...CLUSTER, ...SESSIONS }, positionals: false },
  user: { options: { ...COMMON, ...CLUSTER, role: { value: 'viewer, operator or admin' } }, positionals: true },
  history: {
    options: {
      ...COMMON,
      limit: { value: 'a whole number from 1 to 500', short: 'n' },
      cursor: { value: 'the value a page printed for the next one' },
      action: { value: 'an action, e.g. logout' },
      outcome: { value: 'an outcome, e.g. failure' },
      device: { value: 'a device name' },
      user: { value: 'a user ID' },
      trigger: { value: 'ui, api, cli or schedule' },
      actor: { value: 'an account or OS user name' },
      run: { value: "a run's id, or its start as printed" },
      since: { value: AGE_OR_TIME },
      until: { value: AGE_OR_TIME },
      ...CLUSTER
    },
    positionals: false
  },
  schedules: { options: COMMON, positionals: false },
  check: { options: { ...COMMON, ...CLUSTER }, positionals: false },
  clusters: { options: COMMON, positionals: false }
} as const satisfies Record<string, CommandSpec>
type Command = keyof typeof COMMANDS

/** The commands about EM Console itself, by every spelling they take. */
const ABOUT = new Map<string, 'help' | 'version'>([['help', 'help'], ['--help', 'help'], ['-h', 'help'], ['version', 'version'], ['--version', 'version']])
/** `help logout`: the usage, which covers every command. */
const ABOUT_COMMANDS = { help: { options: COMMON, positionals: true }, version: { options: COMMON, positionals: false } } as const satisfies Record<string, CommandSpec>

/** The words after `user` that manage the dashboard's accounts; any other is a CUCM user ID to look up. */
const ACCOUNT_COMMANDS = ['add', 'passwd', 'disable', 'enable', 'list'] as const
export type AccountCommand = typeof ACCOUNT_COMMANDS[number]

function isAccountCommand (word: string | undefined): word is AccountCommand {
  return (ACCOUNT_COMMANDS as readonly string[]).includes(word ?? '')
}

function isCommand (name: string): name is Command {
  return Object.hasOwn(COMMANDS, name)
}

/**
 * The devices a command names; a MAC address (001122334455, 00:11:22:33:44:55, 0011.2233.4455, as
 * on a phone's label) is read as its phone, SEP and the MAC, as the dashboard reads it: `note` says so.
 */
function deviceNames (positionals: string[], deviceNameProblem: (name: string) => string | undefined, phoneOfMac: (entry: string) => string | undefined): { devices: string[], note?: string } {
  if (positionals.length === 0) throw new UsageError('give at least one device name')
  const macs: string[] = []
  const devices = positionals.map((entry) => {
    const phone = phoneOfMac(entry)
    if (phone !== undefined) macs.push(`${entry} as ${phone}`)
    return phone ?? entry
  })
  const problem = devices.map(deviceNameProblem).find((p) => p !== undefined)
  if (problem !== undefined) throw new UsageError(problem)
  if (macs.length === 0) return { devices }
  return { devices, note: `${macs.length === 1 ? 'A MAC address was' : `${macs.length} MAC addresses were`} read as phone names (CUCM names a phone SEP and its MAC address): ${macs.join(', ')}.` }
}

/** The OS account that ran the command; userInfo() throws when the uid has no passwd entry. */
function osUser (): string {
  try {
    return userInfo().username
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`
  }
}

/** `run`, or the configuration's failure it met (a database it cannot open) as a configuration failure. */
async function unlessConfigFails (run: () => Promise<ExitCode>, io: Io, json: boolean, command: string): Promise<ExitCode> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof ConfigError) return await configFailure(io, json, command, error)
    throw error
  }
}

async function configFailure (io: Io, json: boolean, command: string, error: ConfigError): Promise<ExitCode> {
  if (json) {
    printJson(io, { command, ok: false, exitCode: EXIT.config, errorCode: 'CONFIG', key: error.key, message: error.message })
  } else if (command === 'check') {
    const { printChecks } = await import('./check.js')
    printChecks(io, [{ name: 'configuration', label: 'Configuration', ok: false, message: error.message, fix: error.fix }])
  } else {
    io.err(sentences(error.message, error.fix))
  }
  return EXIT.config
}

/** Runs one command; returns the exit code. Never prints the application user's password. */
export async function main (argv: string[], { env, stdin, io: given }: CliEnvironment): Promise<ExitCode> {
  // What CUCM said, printed: its control characters shown, not acted on by the terminal.
  const io = terminalIo(given)
  const [name, ...rest] = argv
  // No command is a mistake in the command line, said as every other one is (stderr, exit 3); the usage asked for (help) goes to stdout, exit 0.
  if (name === undefined) {
    io.err(`Give a command.\n\n${USAGE}`)
    return EXIT.config
  }
  const about = ABOUT.get(name)
  // Options as every command takes them: --json is one object (a deploy script reads the version so), a typo is refused.
  if (about !== undefined) {
    let values: Values
    try {
      values = parseCommandLine(about, ABOUT_COMMANDS[about], rest).values
    } catch (error) {
      return usageFailure(io, asksJson(rest), about, error)
    }
    const text = about === 'version' && values.help !== true ? VERSION : USAGE
    if (values.json === true) printJson(io, { command: about, ok: true, exitCode: EXIT.ok, ...(text === VERSION ? { version: VERSION } : { usage: USAGE }) })
    else io.out(text)
    return EXIT.ok
  }
  if (!isCommand(name)) {
    // An option where the command goes (`em-console --json`): no command was given.
    const meant = closest(name, [...Object.keys(COMMANDS), ...ABOUT.keys()])
    const message = name.startsWith('-') ? `Give a command first, then its options (got "${name.slice(0, 40)}").` : `Unknown command "${name.slice(0, 40)}".${meant === undefined ? '' : ` Did you mean "${meant}"?`}`
    if (asksJson(argv)) return refused(io, true, null, { exitCode: EXIT.config, errorCode: 'USAGE', message })
    io.err(`${message}\n\n${USAGE}`)
    return EXIT.config
  }

  let parsed: CommandLine
  try {
    parsed = parseCommandLine(name, COMMANDS[name], rest)
  } catch (error) {
    return usageFailure(io, asksJson(rest), name, error)
  }
  if (parsed.values.help === true) {
    if (parsed.values.json === true) printJson(io, { command: name, ok: true, exitCode: EXIT.ok, usage: USAGE })
    else io.out(USAGE)
    return EXIT.ok
  }
  const { values, positionals } = parsed
  const json = values.json === true
  const caller: Caller = { actor: osUser(), trigger: 'cli' }
  const accountCommand = name === 'user' && isAccountCommand(positionals[0]) ? positionals[0] : undefined

  // Every command line is checked before the configuration is read and before anything is sent.
  let target: { devices?: string[], userId?: string, sessions?: SessionFilters } = {}
  const { deviceNameProblem, userIdProblem } = await import('@em-console/shared/emapi')
  // logout by sessions: --older-than, --pool or both (sessions matching both) instead of device names (issue #18).
  const bySessions = name === 'sessions' || (name === 'logout' && (values['older-than'] !== undefined || values.pool !== undefined))
  try {
    if (name === 'logout' && bySessions && positionals.length > 0) {
      throw new UsageError(`logout --older-than/--pool takes no arguments (got "${positionals[0]?.slice(0, 40) ?? ''}")`)
    }
    if (typeof values.cluster === 'string') {
      const all = name === 'logout-all' && values.cluster === 'all'
      const { CLUSTER_ID, fieldProblem } = await import('@em-console/shared/field-rules')
      const problem = all ? undefined : fieldProblem(CLUSTER_ID, values.cluster)
      if (problem !== undefined) throw new UsageError(`--cluster takes ${name === 'logout-all' ? COMMANDS['logout-all'].options.cluster.value : CLUSTER.cluster.value}: ${problem}`)
    }
    if (bySessions) {
      const { sessionFilters } = await import('./sessions.js')
      target = { sessions: sessionFilters(values, Array.isArray(values.pool) ? values.pool : []) }
    } else if (name === 'status' || name === 'logout') {
      const { phoneOfMac } = await import('@em-console/shared/display')
      const { uniqueNames } = await import('@em-console/shared/rules')
      const { devices, note } = deviceNames(positionals, deviceNameProblem, phoneOfMac)
      if (note !== undefined) io.err(`Note: ${note}`)
      // Each device once, as CUCM names it (case aside): a phone named twice was sent two logouts at once, each with its record.
      target = { devices: uniqueNames(devices) }
    }
    if (name === 'user' && accountCommand === undefined) {
      if (values.role !== undefined) throw new UsageError(ROLE_WITHOUT_ADD)
      const lookup = positionals[0] === 'show' ? positionals.slice(1) : positionals
      const userId = lookup[0]
      if (lookup.length !== 1 || userId === undefined) {
        // `user disbale night-ops`: a typo of an account command, said so, not as a look-up of two user IDs.
        const meant = lookup.length > 1 ? closest(lookup[0] ?? '', ACCOUNT_COMMANDS) : undefined
        throw new UsageError(meant === undefined ? 'give exactly one user ID' : `unknown user command "${lookup[0]?.slice(0, 40) ?? ''}" (did you mean "user ${meant}"?); the user commands are ${ACCOUNT_COMMANDS.join(', ')}, or "user <userId>" to look a CUCM user up`)
      }
      const problem = userIdProblem(userId)
      if (problem !== undefined) throw new UsageError(problem)
      target = { userId }
    }
  } catch (error) {
    return usageFailure(io, json, name, error)
  }

  let config: Config
  try {
    config = loadConfig(readEnvironment(env))
  } catch (error) {
    if (error instanceof ConfigError) return await configFailure(io, json, name, error)
    throw error
  }

  // Each command loads only what it needs: a nightly cron job pays for the store and the EMAPI client, nothing more.
  if (accountCommand !== undefined) {
    const { accounts, accountArgsOf } = await import('./accounts.js')
    let args
    try {
      args = accountArgsOf(accountCommand, positionals.slice(1), values)
    } catch (error) {
      return usageFailure(io, json, name, error)
    }
    return await unlessConfigFails(async () => await accounts(config, { ...args, json }, caller, stdin, io), io, json, name)
  }
  if (name === 'history') {
    const { history, historyArgs } = await import('./history.js')
    let args
    try {
      args = historyArgs(values)
    } catch (error) {
      return usageFailure(io, json, name, error)
    }
    return await unlessConfigFails(async () => await history(config, { json, io }, args.filter, args.limit, args.cursor), io, json, name)
  }
  if (name === 'schedules') {
    const { schedules } = await import('./schedules.js')
    return await unlessConfigFails(async () => await schedules(config, { json, io }), io, json, name)
  }
  /**
   * logout-all's safety catch, naming what --cluster names. A person is asked once every option is
   * checked (commands.logoutAll), not told after typing "yes" that --cluster was wrong; without a
   * terminal nobody is asked, so --yes missing is refused before anything is opened.
   */
  const confirmLogoutAll = async (): Promise<ExitCode | undefined> => {
    const cluster = typeof values.cluster === 'string' ? values.cluster : undefined
    const where = cluster === 'all'
      ? 'EVERY cluster'
      : cluster !== undefined ? `cluster ${cluster}` : config.CUCM_HOST === undefined ? 'the built-in CUCM simulator (demo mode)' : `CUCM ${config.CUCM_HOST}`
    return await confirmed({ io, stdin, json, yes: values.yes === true }, 'logout-all', { withoutTerminal: 'Refusing to log everyone out', question: `This logs out EVERY Extension Mobility user on ${where}.` })
  }
  if (name === 'logout-all' && stdin.isTTY !== true) {
    const notConfirmed = await confirmLogoutAll()
    if (notConfirmed !== undefined) return notConfirmed
  }

  const { startRuntime } = await import('../runtime.js')
  let runtime: CoreRuntime
  try {
    // A CLI command may run beside the server: it must not touch the server's pending rows.
    runtime = await startRuntime(config, { role: 'cli', parts: 'em', axl: target.sessions !== undefined, log: stderrLog(io) })
  } catch (error) {
    // A setting that cannot serve is its own error; anything else is not pinned on a setting it
    // may have nothing to do with (a busy demo port was once "Configuration error in DATABASE_PATH").
    if (error instanceof ConfigError) return await configFailure(io, json, name, error)
    throw error
  }
  // Stopped mid-way (Ctrl-C, `timeout`, systemd, its terminal or ssh session closed): what is in flight at CUCM is abandoned and its
  // record finished "interrupted" (CUCM may have carried it out), so no row stays pending and no
  // logout-all is left holding the lock; then the process ends by the same signal. A second one
  // ends it at once.
  let stoppedBy: NodeJS.Signals | undefined
  // A bulk run hears of the stop first (sessions.ts), so its look-ups cut short are not tried again.
  const stopping = new AbortController()
  const stop = (signal: NodeJS.Signals): void => {
    if (stoppedBy !== undefined) process.exit(128 + (constants.signals[signal] ?? 0))
    stoppedBy = signal
    io.err(`em-console ${name}: stopping (${signal}): what was sent to CUCM and not answered is recorded as interrupted.`)
    stopping.abort(signal)
    for (const cluster of runtime.clusters.list()) cluster.em.abortInFlight({ command: signal }).catch(() => {})
  }
  process.on('SIGINT', stop).on('SIGTERM', stop).on('SIGHUP', stop)
  // The store first, to hear of audit records it could not save: the command's own rows.
  const closeAll = async (): Promise<number> => {
    const lost = await runtime.store.close()
    await runtime.close()
    process.off('SIGINT', stop).off('SIGTERM', stop).off('SIGHUP', stop)
    return lost
  }
  let exitCode: ExitCode
  try {
    exitCode = unknownClusterNamed() ?? await runCommand()
  } catch (error) {
    await closeAll()
    throw error
  }
  const lost = await closeAll()
  if (lost > 0) {
    io.err(`em-console ${name}: ${lost} audit record${lost === 1 ? '' : 's'} of this command could not be written: the database refused writes (another program held its lock, or the disk is full) until the command gave up. What it did is above; the audit trail does not have it.`)
    // Nothing lost goes unsaid: a command that did its work but lost its record does not exit 0.
    if (exitCode === EXIT.ok) exitCode = EXIT.failed
  }
  // Ended as the signal asked, now that every row is final: the shell sees 128 + its number.
  if (stoppedBy !== undefined) process.kill(process.pid, stoppedBy)
  return exitCode

  /** `--cluster` naming no cluster of the registry: refused before anything is sent. */
  function unknownClusterNamed (): ExitCode | undefined {
    const named = values.cluster
    if (typeof named !== 'string' || (name === 'logout-all' && named === 'all') || runtime.clusters.definition(named) !== undefined) return undefined
    return unknownCluster(io, json, name ?? '', named, runtime.clusters.definitions().map((definition) => definition.settings.id))
  }

  async function runCommand (): Promise<ExitCode> {
    if (name === 'check') {
      const { printChecks, runChecks } = await import('./check.js')
      let checked
      try {
        checked = await runChecks(runtime, typeof values.cluster === 'string' ? values.cluster : undefined)
      } catch (error) {
        // An unknown cluster, or one that cannot be used: the registry's refusal, in its words.
        if (!(error instanceof ServiceError)) throw error
        return refused(io, json, 'check', { exitCode: EXIT.config, errorCode: error.code, message: error.message, hint: 'Run "em-console clusters" to list them.' })
      }
      const { steps, exitCode, cluster, target } = checked
      if (json) printJson(io, { command: 'check', ok: exitCode === EXIT.ok, exitCode, mode: runtime.mode, cluster, target, checks: steps })
      else printChecks(io, steps)
      return exitCode
    }
    if (name === 'clusters') return await (await import('./clusters.js')).clusters(runtime, json, io)
    const ctx = { runtime, caller, json, io, stopped: stopping.signal, cluster: typeof values.cluster === 'string' ? values.cluster : undefined }
    if (target.sessions !== undefined) {
      const bySelection = await import('./sessions.js')
      return name === 'sessions'
        ? await bySelection.sessions(ctx, target.sessions)
        : await bySelection.logoutSessions(ctx, target.sessions, stdin, values.yes === true)
    }
    const commands = await import('./commands.js')
    switch (name) {
      case 'logout-all': return await commands.logoutAll(ctx, confirmLogoutAll)
      case 'status': return await commands.status(ctx, target.devices ?? [])
      case 'logout': return await commands.logout(ctx, target.devices ?? [])
      default: return await commands.user(ctx, target.userId ?? '')
    }
  }
}

function usageFailure (io: Io, json: boolean, command: string, error: unknown): ExitCode {
  if (!(error instanceof UsageError)) throw error
  return refused(io, json, command, { exitCode: EXIT.config, errorCode: 'USAGE', message: error.message, hint: 'Run "em-console help" for usage.' })
}

/** Warnings (demo mode, TLS verification off) go to stderr as notes; stdout stays the command's. */
function stderrLog (io: Io): Log {
  return {
    info () {},
    warn (_context, message) { io.err(`Note: ${message}`) },
    error (_context, message) { io.err(`Error: ${message}`) }
  }
}
