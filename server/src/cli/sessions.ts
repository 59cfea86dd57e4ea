import { AXL_REFUSALS } from '@em-console/shared/axl'
import { asOfText, selectionWords } from '@em-console/shared/display'
import { MAX_SESSION_AGE_HOURS } from '@em-console/shared/rules'
import type { ActionResult, LiveSession, SessionFilters } from '@em-console/shared/schemas'
import type { SessionSelection } from '../inventory/inventory-service.js'
import type { OpenedInventory } from '../inventory/start.js'
import type { CoreRuntime } from '../runtime.js'
import type { Caller } from '../services/em-service.js'
import { RunFailedError, ServiceError } from '../services/errors.js'
import { confirmed, EXIT, printJson, shortTime, table, UsageError, worstExit, type ExitCode, type Io, type Values } from './output.js'

const UNITS: Record<string, number> = { m: 1 / 60, h: 1, d: 24 }

/** An age as written on a command line. */
export const AGE = /^(\d+(?:\.\d+)?)\s*([mhd]?)$/i

/** "12h", "90m", "3d" or a bare number of hours, as hours; `option` names the option in errors. */
export function parseAge (text: string, option = '--older-than'): number {
  const match = AGE.exec(text.trim())
  if (match === null) throw new UsageError(`${option} takes an age such as 12h, 90m or 3d, a number alone being hours (got "${text.slice(0, 40)}")`)
  const hours = Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1)
  if (hours <= 0 || hours > MAX_SESSION_AGE_HOURS) throw new UsageError(`${option} must be more than 0 and at most 10 years`)
  return hours
}

/** The selection filters of `sessions` and `logout --older-than/--pool`. */
export function sessionFilters (values: Values, pools: readonly string[]): SessionFilters {
  const filters: SessionFilters = {}
  const olderThan = values['older-than']
  if (typeof olderThan === 'string') filters.olderThanHours = parseAge(olderThan)
  const cleaned = pools.map((p) => p.trim()).filter((p) => p !== '')
  if (cleaned.some((p) => p.length > 100)) throw new UsageError('--pool takes a device pool name of at most 100 characters')
  if (cleaned.length > 0) filters.devicePool = [...new Set(cleaned)]
  if (typeof values.cluster === 'string') filters.cluster = values.cluster
  return filters
}

export interface SessionsContext {
  runtime: CoreRuntime
  caller: Caller
  json: boolean
  io: Io
  /** Aborted, with the signal's name as its reason, when the command is stopped (Ctrl-C, SIGTERM). */
  stopped: AbortSignal
}

function age (loginTime: string | null, now: number): string {
  if (loginTime === null) return '?'
  const minutes = Math.max(0, Math.floor((now - Date.parse(loginTime)) / 60_000))
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  // Each part with its unit: 45m, 47h05m, 2d0h.
  return hours < 48 ? `${hours}h${String(minutes % 60).padStart(2, '0')}m` : `${Math.floor(hours / 24)}d${hours % 24}h`
}

async function open (runtime: CoreRuntime, io: Io): Promise<OpenedInventory> {
  const { openInventory } = await import('../inventory/start.js')
  return openInventory({
    clusters: runtime.clusters,
    store: runtime.store,
    refreshSeconds: 0,
    historyDays: runtime.config.SESSION_HISTORY_DAYS,
    log: { info () {}, warn () {}, error (_context, message) { io.err(`Error: ${message}`) } }
  })
}

/** The exit code of AXL failures (their codes), the worst of them: CUCM's refusal 1, as EMAPI's refusals are; no AXL answer 2. */
function axlExit (codes: readonly string[]): ExitCode {
  return worstExit(codes.map((code) => AXL_REFUSALS.has(code) ? EXIT.failed : EXIT.transport))
}

/**
 * A refusal of the selection, as the other commands report failures: no AXL settings or a filter
 * the inventory refuses (a device pool no phone is in): 3, the command line or the settings are
 * wrong; AXL failed: by its kind (axlExit), from what the refresh just recorded of the clusters asked.
 */
function refusal (io: Io, json: boolean, command: string, error: unknown, failures: () => string[]): ExitCode {
  if (!(error instanceof ServiceError)) throw error
  const failed = error.code === 'INVENTORY_STALE' ? failures() : []
  const exitCode = error.code === 'INVENTORY_NOT_CONFIGURED' || error.kind === 'bad-request' ? EXIT.config : failed.length > 0 ? axlExit(failed) : EXIT.transport
  if (json) printJson(io, { command, ok: false, exitCode, errorCode: error.code, message: error.message, action: error.action ?? null })
  else io.err(`Failed: ${error.message}${error.action === undefined ? '' : ` ${error.action}`}`)
  return exitCode
}

/**
 * Opens the inventory, selects the sessions matching the filters (read fresh from AXL) and hands
 * them to `use`; a refusal (no AXL settings, AXL failing) is reported as `command`'s. A stop cuts
 * the read short (each AXL page may take up to the CUCM timeout): `use` then gets no selection.
 * Closes after.
 */
async function withSelection (context: SessionsContext, command: string, filters: SessionFilters, use: (inventory: OpenedInventory, selection: SessionSelection | undefined) => Promise<ExitCode>, partial = false): Promise<ExitCode> {
  const { runtime, stopped } = context
  const inventory = await open(runtime, context.io)
  const stopReading = (): void => { inventory.close().catch((error: unknown) => { runtime.log.error({ err: error }, 'Inventory: its stop failed') }) }
  try {
    let selection: SessionSelection | undefined
    stopped.addEventListener('abort', stopReading, { once: true })
    try {
      if (!stopped.aborted) selection = await inventory.service.selectSessions(filters, undefined, { partial })
    } catch (error) {
      // Whatever a stopped read ended with, the command was stopped: nothing was selected.
      if (!stopped.aborted) {
        const asked = filters.cluster?.toLowerCase()
        const failures = (): string[] => inventory.service.status().clusters.flatMap((c) => c.lastError === null || (asked !== undefined && c.cluster.toLowerCase() !== asked) ? [] : [c.lastError.code])
        return refusal(context.io, context.json, command, error, failures)
      }
    } finally {
      stopped.removeEventListener('abort', stopReading)
    }
    return await use(inventory, selection)
  } finally {
    await inventory.close()
  }
}

/**
 * `em-console sessions`: who is logged in now, oldest first, from an inventory read fresh from
 * AXL (the server's copy may be minutes old; a command that is asked wants now).
 */
export async function sessions (context: SessionsContext, filters: SessionFilters): Promise<ExitCode> {
  const { runtime, json, io } = context
  return await withSelection(context, 'sessions', filters, async (inventory, selection) => {
    // Stopped while AXL was read: nothing to list (main.ts ends by the signal).
    if (selection === undefined) return EXIT.failed
    // A cluster whose AXL failed is named, and its old rows are not listed as if read now.
    const unavailable = selection.unavailable ?? []
    const failed = new Set(unavailable.map((u) => u.cluster))
    const rows: LiveSession[] = []
    for (const batch of inventory.service.exportSessions(filters)) rows.push(...batch.filter((s) => !failed.has(s.cluster)))
    const exitCode = axlExit(unavailable.map(({ error }) => error.code))
    if (json) {
      printJson(io, { command: 'sessions', ok: exitCode === EXIT.ok, exitCode, total: rows.length, asOf: selection.asOf, sessions: rows, unavailable: unavailable.map(({ cluster, error }) => ({ cluster, code: error.code, message: error.message, action: error.action })) })
      return exitCode
    }
    for (const { cluster, error } of unavailable) io.err(`Failed: The inventory of cluster ${runtime.clusters.said(cluster)} could not be refreshed, so its sessions are not listed: ${error.message} ${error.action}`)
    // No cluster read now: no count, which a script would take for nobody logged in.
    if (failed.size > 0 && Object.entries(selection.asOf).every(([cluster, at]) => at === null || failed.has(cluster))) return exitCode
    const now = Date.now()
    const listed = Object.fromEntries(Object.entries(selection.asOf).filter(([cluster]) => !failed.has(cluster)))
    io.out(`${rows.length} session${rows.length === 1 ? '' : 's'} (inventory ${asOfText(listed, runtime.clusters.said)})`)
    if (rows.length > 0) {
      // The cluster column once more than one is listed, even when the rows are all on one: a device name may be on two.
      const several = Object.values(listed).filter((at) => at !== null).length > 1
      const lines = table([[...(several ? ['CLUSTER'] : []), 'DEVICE', 'USER', 'SINCE', 'FOR', 'POOL', 'MODEL', 'PROFILE'], ...rows.map((s) => [...(several ? [s.cluster] : []), s.deviceName, s.userId, shortTime(s.loginTime), age(s.loginTime, now), s.devicePool ?? '-', s.model ?? '-', s.profile ?? '-'])])
      for (const line of lines) io.out(line)
    }
    return exitCode
  }, true)
}

/**
 * What the question names besides the count: the filters, in the words of the run's title, and
 * how many of the sessions are on each cluster when several hold them (a pool of the same name on
 * two clusters is logged out on both).
 */
function chosenWords (filters: SessionFilters, selection: SessionSelection, said: (cluster: string) => string): string {
  const words = selectionWords(filters, said)
  const perCluster = new Map<string, number>()
  for (const { cluster } of selection.sessions) perCluster.set(cluster, (perCluster.get(cluster) ?? 0) + 1)
  const where = perCluster.size > 1 ? `: ${[...perCluster].map(([cluster, n]) => `${n} on ${said(cluster)}`).join(', ')}` : ''
  return `${words === '' ? '' : ` ${words}`}${where}`
}

/**
 * `em-console logout --older-than 12h [--pool X]`: a bulk run over the sessions a fresh inventory
 * selects (each device looked up again with EMAPI first, exemptions kept), after saying how many.
 */
export async function logoutSessions (context: SessionsContext, filters: SessionFilters, stdin: NodeJS.ReadStream, yes: boolean): Promise<ExitCode> {
  const { runtime, caller, json, io, stopped } = context
  /** What stopped the command (its signal), once it is stopped: the Stopper its records name, and its output. */
  const stopper = (): { command: string } => ({ command: String(stopped.reason) })
  /** A logout stopped before its run began, said as a run stopped is (its exit: the signal's, main.ts). */
  function saidStopped (said: { message: string, auditId: number }): ExitCode {
    if (json) printJson(io, { command: 'logout', ok: false, exitCode: EXIT.failed, errorCode: 'NOT_SENT', message: said.message, auditId: said.auditId })
    else io.out(`Stopped by ${stopper().command}: ${said.message} (audit #${said.auditId})`)
    return EXIT.failed
  }
  return await withSelection(context, 'logout', filters, async (inventory, selection) => {
    // Nobody selected: nothing to ask about (and nothing a cron job without --yes should be refused), the record says so.
    if (selection !== undefined && selection.devices.length > 0) {
      // Sessions, as `sessions` lists them: one per device selected.
      const count = selection.devices.length
      const what = `${count} Extension Mobility session${count === 1 ? '' : 's'}`
      // As the run's record will say it: when the inventory was read, and the sessions left alone for their unknown age.
      const { inventoryNote } = await import('../inventory/session-logout.js')
      const question = `This logs out ${what}${chosenWords(filters, selection, runtime.clusters.said)} (${inventoryNote(selection, runtime.clusters.said)}).`
      const notConfirmed = await confirmed({ io, stdin, json, yes }, 'logout', { withoutTerminal: `Refusing to log out ${what}`, question })
      if (notConfirmed !== undefined) return notConfirmed
    }
    const [{ createRunService }, { createSettingsService }, { createSessionLogout }, { whySaid }] = await Promise.all([
      import('../runs/run-service.js'),
      import('../runs/settings-service.js'),
      import('../inventory/session-logout.js'),
      import('../runs/run-words.js')
    ])
    const runs = createRunService({ store: runtime.store, clusters: runtime.clusters, actions: runtime.actions, settings: createSettingsService(runtime.store), log: runtime.log, concurrency: runtime.config.EMAPI_MAX_CONCURRENCY, defaultVerifyAfterMs: 0 })
    // Stopped, the run says so (its items not run name the signal) and tries no look-up again.
    const stop = (): void => { runs.stop(stopper()).catch((error: unknown) => { runtime.log.error({ err: error }, 'Run: its stop failed') }) }
    stopped.addEventListener('abort', stop, { once: true })
    const logout = createSessionLogout({ inventory: inventory.service, runs, store: runtime.store, said: runtime.clusters.said })
    let result: ActionResult
    try {
      // Stopped while the inventory was read (cut short: no selection) or asked about: no run begins (an abort before the listener is not heard by it).
      if (selection === undefined || stopped.aborted) return saidStopped(await logout.stoppedBefore(caller, filters, selection, stopper()))
      result = await logout.logoutSelected(caller, filters, selection)
    } catch (error) {
      if (!(error instanceof RunFailedError)) throw error
      // Why the devices were not logged out, each reason once; CUCM out of reach exits 2, as for one device.
      const missed = runtime.store.runs.items(error.runId).filter((item) => !['success', 'already-logged-out', 'excluded', 'empty'].includes(item.outcome))
      const reasons = [...new Set(missed.flatMap((item) => item.message === null ? [] : [item.message]))].slice(0, 5)
      // A look-up CUCM did not answer (out of reach, no answer in time: its record's outcome is error) leaves items not run.
      const unanswered = runtime.store.audit.iterate({ runId: error.runId, outcome: 'error' }, 1).next().done !== true
      const exitCode = unanswered || missed.some((item) => ['error', 'unknown', 'interrupted'].includes(item.outcome)) ? EXIT.transport : EXIT.failed
      if (json) printJson(io, { command: 'logout', ok: false, exitCode, errorCode: error.code, message: error.message, reasons, runId: error.runId, auditId: error.auditId })
      else {
        // A reason the summary says whole already (its "Why:", when every failed item gives it) is not said twice.
        const unsaid = reasons.filter((reason) => { const why = whySaid(reason); return !error.message.endsWith(why) || why.endsWith('…') })
        io.out([`${stopped.aborted ? `Stopped by ${stopper().command}` : 'Failed'}: ${error.message} (audit #${error.auditId})`, ...unsaid.map((reason) => `  ${reason}`)].join('\n'))
      }
      return exitCode
    } finally {
      stopped.removeEventListener('abort', stop)
      await runs.stop()
    }
    if (json) printJson(io, { command: 'logout', ok: true, exitCode: EXIT.ok, devices: selection.devices.length, asOf: selection.asOf, ...result })
    else io.out(`Success: ${result.message} (audit #${result.auditId})`)
    return EXIT.ok
  })
}
