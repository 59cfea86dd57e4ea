import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { isEmapiFailure } from '@em-console/shared/emapi'
import type { ActionResult, DeviceStatus, LoginItem, Preview, PreviewItem, RunAction, RunItem, RunItemOutcome, RunProgressEvent, RunState } from '@em-console/shared/schemas'
import type { AuditRepository } from '../audit/audit-repository.js'
import type { Db } from '../db/database.js'
import { ActionError, RunFailedError } from '../services/errors.js'
import { QUERY_CHUNK, uniqueNames, type Caller, type EmService } from '../services/em-service.js'
import { chunk } from '../services/limiter.js'
import { createRunRepository, type ItemResult, type NewItem } from './run-repository.js'
import type { SettingsService } from './settings-service.js'

export type RunInput = { action: 'logout', devices: readonly string[] } | { action: 'login', items: readonly LoginItem[] }

export interface RunOptions {
  /** Re-check the devices this long after the run; 0 = no re-check. */
  verifyAfterMs?: number
  parentRunId?: string
}

export interface RunServiceOptions {
  db: Db
  em: EmService
  audit: AuditRepository
  settings: SettingsService
  /** Items worked on at once; the EMAPI service's server-wide cap still applies across runs. */
  concurrency: number
  defaultVerifyAfterMs?: number
}

interface ActiveRun {
  state: RunState
  total: number
  counts: Record<string, number>
  cancelling: boolean
  events: EventEmitter
}

const FINAL_STATES = new Set<RunState>(['done', 'cancelled', 'interrupted'])

export type RunService = ReturnType<typeof createRunService>

function countBy (outcomes: RunItemOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1
  return counts
}

interface Wanted {
  device: string
  /** For a login, whom to log in. */
  user: string | null
}

function wantedOf (input: RunInput): Wanted[] {
  return input.action === 'logout'
    ? uniqueNames(input.devices).map((device) => ({ device, user: null }))
    : input.items.map((item) => ({ device: item.device, user: item.user }))
}

/** Every item of a run, pending until its look-up says otherwise. */
function toNewItems (input: RunInput): NewItem[] {
  return wantedOf(input).map(({ device, user }, i) => {
    const login = input.action === 'login' ? input.items[i] : undefined
    return { device, userId: user, profile: login?.profile, durationMinutes: login?.durationMinutes, outcome: 'pending' }
  })
}

/** Look-up answers by device name, as CUCM compares names: case-insensitively. */
function byName (statuses: readonly DeviceStatus[]): (device: string) => DeviceStatus | undefined {
  const map = new Map(statuses.map((s) => [s.deviceName.toLowerCase(), s]))
  return (device) => map.get(device.toLowerCase())
}

/** What a run would do with one device, given what its look-up found. */
function classify (action: RunAction, { device, user }: Wanted, status: DeviceStatus | undefined, exempt: (device: string, user: string | null) => boolean): PreviewItem {
  const currentUser = status?.currentUser ?? null
  const base = { device, currentUser, user }
  if (status?.exists !== true) return { ...base, category: 'unknown', reason: 'CUCM does not know this device' }
  if (action === 'login') return currentUser === null ? { ...base, category: 'will-login' } : { ...base, category: 'occupied', reason: `${currentUser} is logged in; the login will fail (code 18)` }
  if (exempt(device, currentUser)) return { ...base, category: 'excluded', reason: 'On the exemption list' }
  return currentUser === null ? { ...base, category: 'empty' } : { ...base, category: 'will-logout' }
}

/** What a run does with a previewed item: a logout names whom the look-up found; some are not run. */
function planOf (action: RunAction, p: PreviewItem): { userId: string | null, outcome: RunItemOutcome, message: string | null } {
  const outcome: RunItemOutcome = p.category === 'excluded' ? 'excluded' : p.category === 'unknown' ? 'unknown' : 'pending'
  return { userId: action === 'login' ? p.user : p.currentUser, outcome, message: outcome === 'pending' ? null : p.reason ?? null }
}

/** Moves `n` items of a run's live counts from pending to `outcome`. */
function settle (run: ActiveRun, outcome: RunItemOutcome, n = 1): void {
  if (n === 0) return
  run.counts.pending = (run.counts.pending ?? n) - n
  if (run.counts.pending <= 0) delete run.counts.pending
  run.counts[outcome] = (run.counts[outcome] ?? 0) + n
}

/** What one item's EMAPI call came to, for the run's table. */
function itemResult (error: unknown): ItemResult {
  if (!(error instanceof ActionError)) throw error
  const inner = error.error
  if (isEmapiFailure(inner)) return { outcome: 'failure', emapiCode: inner.emapiCode, message: inner.info.message, auditId: error.auditId }
  return { outcome: 'error', message: inner.message, auditId: error.auditId }
}

export function createRunService (options: RunServiceOptions) {
  const { em, settings } = options
  const runs = createRunRepository(options.db)
  const active = new Map<string, ActiveRun>()
  const defaultVerifyAfterMs = options.defaultVerifyAfterMs ?? 120_000

  function emit (id: string, run: ActiveRun, item?: RunItem): void {
    const event: RunProgressEvent = { state: run.state, total: run.total, counts: { ...run.counts }, ...(item === undefined ? {} : { item }) }
    run.events.emit('progress', event)
  }

  function setState (id: string, run: ActiveRun, state: RunState): void {
    run.state = state
    runs.setState(id, state)
    emit(id, run)
  }

  /** Looks every device up (chunked, audited) and sorts it into what a run would do with it. */
  async function preview (caller: Caller, input: RunInput): Promise<Preview> {
    const wanted = wantedOf(input)
    const status = byName(await em.deviceStatus(caller, wanted.map((w) => w.device)))
    const exempt = settings.exemptionCheck()
    const items = wanted.map((w) => classify(input.action, w, status(w.device), exempt))
    return { action: input.action, items, counts: countBy(items.map((i) => i.category as RunItemOutcome)), problems: [] }
  }

  /**
   * The items to work on, chunk by chunk as their look-ups answer. The next chunk is looked up
   * while this one runs, so the first logouts start after one look-up instead of all of them.
   * A look-up that fails ends the intake: its items and all later ones are not run.
   */
  async function * readyItems (id: string, caller: Caller, action: RunAction, items: readonly RunItem[], run: ActiveRun): AsyncGenerator<RunItem> {
    const exempt = settings.exemptionCheck()
    const lookUp = async (part: readonly RunItem[]): Promise<{ statuses: DeviceStatus[] } | { message: string }> => {
      try {
        return { statuses: await em.deviceStatus(caller, part.map((i) => i.device), { runId: id }) }
      } catch (error) {
        return { message: error instanceof ActionError ? error.error.message : 'Internal error' }
      }
    }
    const parts = chunk(items, QUERY_CHUNK)
    let ahead: ReturnType<typeof lookUp> | undefined
    for (const [k, part] of parts.entries()) {
      // After a cancel nothing more is looked up: CUCM is asked nothing the run will not use.
      if (run.cancelling) return
      const found = await (ahead ?? lookUp(part))
      if ('message' in found) {
        const failed = runs.failFrom(id, part[0]?.seq ?? 0, `Not run: the look-up before the run failed: ${found.message}`)
        settle(run, 'error', failed)
        emit(id, run)
        return
      }
      const next = parts[k + 1]
      ahead = next === undefined || run.cancelling ? undefined : lookUp(next)
      const status = byName(found.statuses)
      const planned = part.map((item): RunItem => ({ ...item, ...planOf(action, classify(action, { device: item.device, user: item.userId }, status(item.device), exempt)) }))
      runs.previewItems(id, planned)
      for (const item of planned.filter((i) => i.outcome !== 'pending')) {
        settle(run, item.outcome)
        emit(id, run, item)
      }
      if (run.state === 'previewing') setState(id, run, 'running')
      yield * planned.filter((i) => i.outcome === 'pending')
    }
  }

  async function runItem (caller: Caller, id: string, action: RunAction, item: RunItem): Promise<ItemResult> {
    try {
      if (action === 'logout') {
        const result = await em.logoutDevice(caller, item.device, { runId: id, userId: item.userId })
        return { outcome: result.outcome, message: result.message, auditId: result.auditId, ...(result.outcome === 'already-logged-out' ? { emapiCode: 19 } : {}) }
      }
      const result = await em.loginDevice(caller, item.device, {
        userId: item.userId ?? '',
        ...(item.profile === null ? {} : { deviceProfile: item.profile }),
        ...(item.durationMinutes === null ? {} : { durationMinutes: item.durationMinutes }),
        runId: id
      })
      return { outcome: 'success', message: result.message, auditId: result.auditId }
    } catch (error) {
      return itemResult(error)
    }
  }

  async function execute (id: string, caller: Caller, input: RunInput, run: ActiveRun, verifyAfterMs: number): Promise<void> {
    // Every item is written first, pending, so a run that stops half-way loses none of them.
    runs.addItems(id, toNewItems(input))
    const items = runs.items(id)
    run.total = items.length
    run.counts = countBy(items.map((i) => i.outcome))
    const source = readyItems(id, caller, input.action, items, run)
    const worker = async (): Promise<void> => {
      for (let next = await source.next(); next.done !== true && !run.cancelling; next = await source.next()) {
        const item = next.value
        const result = await runItem(caller, id, input.action, item)
        runs.finishItem(id, item.seq, result)
        settle(run, result.outcome)
        emit(id, run, { ...item, ...result, emapiCode: result.emapiCode ?? null, auditId: result.auditId ?? null, finishedAt: new Date().toISOString() })
      }
    }
    // Twice as many workers as EMAPI slots: while one worker writes its item's results, another
    // already holds the freed slot. The EMAPI service's limiter still caps what reaches CUCM.
    await Promise.all(Array.from({ length: Math.min(options.concurrency * 2, items.length) }, worker))

    if (run.cancelling) {
      runs.cancelPending(id, 'Not run: the run was cancelled.')
      settle(run, 'cancelled', run.counts.pending ?? 0)
    }
    setState(id, run, run.cancelling ? 'cancelled' : 'done')
    if (verifyAfterMs > 0) setTimeout(() => { verify(id, caller, input.action).catch(() => {}) }, verifyAfterMs).unref()
    // Live progress is kept a while for late subscribers and the re-check, then only the database answers.
    setTimeout(() => active.delete(id), verifyAfterMs + 60_000).unref()
  }

  /** EM caches login state for about two minutes, so the re-check comes after a delay (PROTOCOL.md §5). */
  async function verify (id: string, caller: Caller, action: RunAction): Promise<void> {
    const done = runs.items(id).filter((i) => ['success', 'already-logged-out', 'failure', 'error'].includes(i.outcome))
    const status = byName(await em.deviceStatus(caller, done.map((i) => i.device), { runId: id }))
    runs.recordVerification(id, done.map((item) => {
      const current = status(item.device)?.currentUser ?? null
      const verified = action === 'logout' ? current === null : current?.toLowerCase() === item.userId?.toLowerCase()
      return { seq: item.seq, verified }
    }))
    const run = active.get(id)
    if (run !== undefined) emit(id, run)
  }

  return {
    preview,

    /** Starts a run in the background and returns its id at once. */
    start (caller: Caller, input: RunInput, runOptions: RunOptions = {}): string {
      const id = randomUUID()
      const verifyAfterMs = runOptions.verifyAfterMs ?? defaultVerifyAfterMs
      runs.create({ id, action: input.action, trigger: caller.trigger, actor: caller.actor, parentRunId: runOptions.parentRunId, verifyAfterMs: verifyAfterMs > 0 ? verifyAfterMs : undefined })
      const run: ActiveRun = { state: 'previewing', total: 0, counts: {}, cancelling: false, events: new EventEmitter() }
      run.events.setMaxListeners(100)
      active.set(id, run)
      execute(id, caller, input, run, verifyAfterMs).catch(() => {
        runs.cancelPending(id, 'Not run: the run stopped on an internal error.')
        setState(id, run, 'interrupted')
      })
      return id
    },

    get: (id: string) => {
      const summary = runs.summary(id)
      return summary === undefined ? undefined : { ...summary, items: runs.items(id) }
    },
    summary: (id: string) => runs.summary(id),
    recent: (limit: number) => runs.recent(limit),

    /** Stops taking new items; the ones in flight finish. Returns false when the run is not running. */
    cancel (id: string): boolean {
      const run = active.get(id)
      if (run === undefined || FINAL_STATES.has(run.state)) return false
      run.cancelling = true
      setState(id, run, 'cancelling')
      return true
    },

    /** A new run of the items that failed, errored or were cancelled, linked to the first. */
    retryFailed (caller: Caller, id: string, runOptions: RunOptions = {}): string | undefined {
      const summary = runs.summary(id)
      if (summary === undefined) return undefined
      const failed = runs.items(id).filter((i) => i.outcome === 'failure' || i.outcome === 'error' || i.outcome === 'cancelled')
      if (failed.length === 0) return undefined
      const input: RunInput = summary.action === 'logout'
        ? { action: 'logout', devices: failed.map((i) => i.device) }
        : { action: 'login', items: failed.map((i) => ({ device: i.device, user: i.userId ?? '', ...(i.profile === null ? {} : { profile: i.profile }), ...(i.durationMinutes === null ? {} : { durationMinutes: i.durationMinutes }) })) }
      return this.start(caller, input, { ...runOptions, parentRunId: id })
    },

    /** Live progress of a run; `undefined` when it is not running in this process. */
    subscribe (id: string, listener: (event: RunProgressEvent) => void): (() => void) | undefined {
      const run = active.get(id)
      if (run === undefined) return undefined
      run.events.on('progress', listener)
      emit(id, run)
      return () => run.events.off('progress', listener)
    },

    /** At boot: runs a stopped server left unfinished become `interrupted`, with what was done kept. */
    markInterrupted (): number {
      const ids = runs.unfinished()
      for (const id of ids) {
        runs.cancelPending(id, 'Not run: the server stopped during the run.')
        runs.setState(id, 'interrupted')
      }
      return ids.length
    },

    isFinal: (state: RunState): boolean => FINAL_STATES.has(state),

    /**
     * The per-device logout-all of the saved device list, run to its end, as a schedule runs it:
     * one audit row sums it up; a run with failed items throws RunFailedError.
     */
    async logoutSavedList (caller: Caller): Promise<ActionResult> {
      const devices = settings.get().logoutDeviceList
      if (devices.length === 0) {
        const message = 'The per-device logout list is empty: add devices to it in Settings.'
        throw new RunFailedError(message, '', options.audit.record({ ...caller, action: 'bulk-run' }, { outcome: 'failure', errorCode: 'EMPTY_LIST', message }))
      }
      const id = this.start(caller, { action: 'logout', devices })
      await new Promise<void>((resolve) => {
        const stop = this.subscribe(id, (event) => { if (FINAL_STATES.has(event.state) && event.item === undefined) { stop?.(); resolve() } })
        if (stop === undefined) resolve()
      })
      const summary = runs.summary(id)
      const counts = summary?.counts ?? {}
      const failed = (counts.failure ?? 0) + (counts.error ?? 0) + (counts.cancelled ?? 0)
      const message = `Per-device logout of ${summary?.total ?? 0} devices (run ${id}): ${Object.entries(counts).map(([o, n]) => `${n} ${o}`).join(', ')}.`
      const auditId = options.audit.record({ ...caller, action: 'bulk-run', runId: id }, { outcome: failed > 0 ? 'failure' : 'success', errorCode: failed > 0 ? 'RUN_FAILED' : undefined, message })
      if (failed > 0) throw new RunFailedError(message, id, auditId)
      return { outcome: 'success', message, auditId }
    }
  }
}
