import { isEmapiFailure } from '@em-console/shared/emapi'
import { spelledTimeZone } from '@em-console/shared/field-rules'
import type { FinishedEntry, PendingEntry } from '../audit/audit-repository.js'
import { LOGOUT_ALL_CONFIRMATION, type ActionResult, type Schedule, type ScheduleAction, type ScheduleCreateBody, type ScheduleNotification, type ScheduleOutcome, type SchedulePreview, type ScheduleUpdateBody, type SessionFilters } from '@em-console/shared/schemas'
import { ALL_CLUSTERS, type ClusterActions } from '../clusters/cluster-actions.js'
import { emapiProblem } from '../emapi/actions.js'
import type { ClusterRegistry } from '../clusters/registry.js'
import { silentLog, type Log } from '../log.js'
import { clusterField, soleCluster } from '../runs/sole-cluster.js'
import type { Caller } from '../services/em-service.js'
import { unknownPools } from '../inventory/inventory-service.js'
import { ActionError, BadRequestError, ChangedSinceReadError, LogoutAllRunningError, neverHadVersion, RunFailedError, sentences, ServiceError } from '../services/errors.js'
import type { Store, Writes } from '../store/store.js'
import { clockChanges, cronProblem, inScheduleZone, nextRuns, runsBetween, runsBetweenEnds, scheduleProblem } from './cron.js'
import { accountedUntil, describeAction, LATE_LIMIT_MS, STILL_RUNNING, type ScheduleChanges, type StoredSchedule } from './schedule-repository.js'
import type { Notifier } from './webhook.js'

/** The schedule LOGOUT_ALL_SCHEDULE creates or updates at boot. */
const CONFIG_SCHEDULE_NAME = 'nightly'
const CONFIG_ACTOR = 'config (LOGOUT_ALL_SCHEDULE)'
/** Missed fire times counted at boot; past this the message says "or more". */
const MISSED_LIMIT = 100
/** Fire times compared to find two logouts of all users at the same instant (schedule-service overlapOf). */
const OVERLAP_RUNS = 400
/** Expressions whose upcoming fire times are kept at most (schedules are a handful). */
const UPCOMING_KEPT = 200
/** How long an armed timer sleeps at most before it reads the clock again (a clock stepped meanwhile is seen by then). */
const CLOCK_CHECK_MS = 30_000
/**
 * A clock set back by more than this was wrong (a correction), not stepped: the fire times after
 * the new time run again. Set back by less, a fire time that already ran does not run again (as cron does).
 */
const STEP_BACK_LIMIT_MS = 3 * 3_600_000

export interface ScheduleServiceOptions {
  store: Store
  /** Which clusters there are: a schedule names some of them, or acts on every enabled one (issue #17). */
  clusters: Pick<ClusterRegistry, 'list' | 'get' | 'require' | 'definition' | 'definitions' | 'said'>
  /** logout-all on one cluster or on all of them, under one run id. */
  actions: Pick<ClusterActions, 'logoutAll'>
  log?: Log
  /** The zone of schedules created without one: the first cluster's (SCHEDULE_TIMEZONE, else the machine's). */
  defaultTimezone: () => string
  /** LOGOUT_ALL_SCHEDULE: the `nightly` schedule the configuration manages. */
  configSchedule?: { cron: string, timezone: string }
  /** Called once per failed scheduled run (NOTIFY_WEBHOOK_URL). */
  notify?: Notifier
  /** The per-device logout of a device list of Settings (the first without a name), run to its end, within `clusters` when given. */
  logoutSavedList?: (caller: Caller, list?: string, clusters?: readonly string[]) => Promise<ActionResult>
  /** The device list of that name (without one: the first list), as its run would take it; undefined when there is none (a schedule may only name one that exists). */
  deviceList?: (name?: string) => { name: string, devices: readonly string[] } | undefined
  /** A bulk logout of the sessions the inventory selects, run to its end (issue #18: logout-older-than, logout-device-pools). */
  logoutSessions?: (caller: Caller, filters: SessionFilters, clusters?: readonly string[]) => Promise<ActionResult>
  /** The device pools the inventory's phones of `clusters` are in (without: of the clusters in use). */
  devicePools?: (clusters: readonly string[] | undefined) => string[]
  /** The clock: when rows are written, which fire times are due (the timers read it too). */
  now?: () => Date
  /** How long an armed timer sleeps at most before it reads the clock again (tests: less). */
  clockCheckMs?: number
  /** Tests only: any expression croner reads (every second, 6 fields), so timers fire within a test. */
  allowAnyCron?: boolean
}

/** A timed run whose first record was written after the schedules stopped, or too late: it sends nothing. */
class StoppedBeforeSending extends Error {}

/** Another schedule already has this name (names compare case-insensitively). */
class ScheduleNameTakenError extends ServiceError {
  constructor (name: string) {
    super('conflict', 'SCHEDULE_EXISTS', `A schedule named "${name}" already exists.`, { field: 'name', action: 'Pick another name, or edit the existing schedule.' })
    this.name = 'ScheduleNameTakenError'
  }
}

/** A schedule names a cluster that cannot be used now (deleted, disabled): its run fails and nothing is sent. */
class ScheduleClusterError extends ServiceError {
  readonly auditAction: 'logout-all' | 'bulk-run'
  readonly cluster: string

  constructor (schedule: StoredSchedule, cluster: string, message: string) {
    super('conflict', 'CLUSTER_UNAVAILABLE', message, { field: 'clusters', action: 'Edit the schedule\'s clusters, or enable the cluster again.' })
    this.name = 'ScheduleClusterError'
    this.auditAction = schedule.action === 'logout-all' ? 'logout-all' : 'bulk-run'
    this.cluster = cluster
  }
}

export type ScheduleService = ReturnType<typeof createScheduleService>

/**
 * A change or delete sent from a copy read at `basedOn` (its updatedAt) is refused when the
 * schedule was changed since: it would undo, or throw away, that change unseen. Called inside the
 * write, so two requests of one version cannot both pass. Without `basedOn`, no such check.
 */
function unchangedSince (latest: StoredSchedule | undefined, basedOn: string | undefined, refused: string): void {
  // Compared as instants: a script may write the same one with +00:00.
  if (latest === undefined || basedOn === undefined || Date.parse(basedOn) === Date.parse(latest.updatedAt)) return
  if (Date.parse(basedOn) > Date.parse(latest.updatedAt)) throw neverHadVersion(`Schedule "${latest.name}"`, 'updatedAt', basedOn, latest.updatedAt, `GET /api/schedules/${latest.id}`)
  throw new ChangedSinceReadError(`Schedule "${latest.name}"`, 'it', 'updatedAt', savedBy(latest), latest.updatedAt, refused)
}

/**
 * Who saved a schedule's version: its creator when it was never changed; else whoever saved the
 * change, "someone" when no person did (the configuration, the start) or it was not kept (before 023).
 */
function savedBy (schedule: StoredSchedule): string {
  return schedule.updatedBy ?? (schedule.updatedAt === schedule.createdAt ? schedule.createdBy : 'someone')
}

function isUniqueViolation (error: unknown): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** The cluster a schedule's records name, so History filtered by it shows them: its one cluster; none when it spans several or every one (the message names them). */
function clusterOf (schedule: { clusters: string[] | null }): { cluster?: string } {
  return clusterField(soleCluster(schedule.clusters))
}

function describeChanges (before: StoredSchedule, changes: ScheduleChanges): string {
  const parts: string[] = []
  for (const key of ['name', 'cron', 'timezone', 'action', 'list', 'hours', 'pools', 'clusters', 'enabled'] as const) {
    const value = changes[key]
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(before[key])) parts.push(`${key} ${JSON.stringify(before[key])} → ${JSON.stringify(value)}`)
  }
  return parts.length === 0 ? 'no change' : parts.join(', ')
}

/** What a failed run tells the schedule, the log and the webhook. */
interface Failure {
  outcome: ScheduleOutcome
  emapiCode: number | null
  errorCode: string | null
  message: string
  auditId: number | null
}

export function createScheduleService (options: ScheduleServiceOptions) {
  const { actions, clusters, store } = options
  const log = options.log ?? silentLog
  const now = options.now ?? (() => new Date())
  const clockCheckMs = options.clockCheckMs ?? CLOCK_CHECK_MS
  /** The armed timers, by schedule id: `after`, the instant up to which its fire times were dealt with. */
  const timers = new Map<number, { handle: NodeJS.Timeout | undefined, after: number }>()
  /** The schedules whose run (timed, or run now) is going on now, and since when. */
  const busy = new Map<number, Date>()
  const running = new Set<Promise<unknown>>()
  let started = false
  /** Aborted by stop(): a webhook notice in flight ends with it rather than keep the stop waiting up to its own time limit. */
  let halt = new AbortController()
  const upcomingRuns = new Map<string, { until: number, runs: ReadonlySet<string> }>()
  const record = async (entry: PendingEntry, result: FinishedEntry): Promise<number> => await store.write((w) => w.audit.record(entry, result), entry.action)

  function problemOf (cron: string, timezone: string): ReturnType<typeof cronProblem> {
    return options.allowAnyCron === true ? cronProblem(cron, timezone) : scheduleProblem(cron, timezone)
  }

  function checkCron (cron: string, timezone: string): void {
    const problem = problemOf(cron, timezone)
    if (problem !== undefined) throw new BadRequestError(problem.field, `Invalid field "${problem.field}": ${problem.message}`)
  }

  function view (schedule: StoredSchedule, all: readonly StoredSchedule[] = store.schedules.list()): Schedule {
    const runs = nextRuns(schedule.cron, schedule.timezone, now())
    return { ...schedule, nextRuns: runs, nextRunAt: schedule.enabled ? runs[0] ?? null : null, problem: standingProblem(schedule) ?? overlapOf(schedule, all) ?? null }
  }

  /**
   * An expression's next OVERLAP_RUNS fire times, kept until the first of them passes (the same
   * set until then): about 15 ms each to compute, once per schedule and not per pair and per
   * listing (ten schedules took 215 ms of the event loop for each GET /api/schedules).
   */
  function upcoming ({ cron, timezone }: StoredSchedule): ReadonlySet<string> {
    const key = `${timezone} ${cron}`
    const at = now()
    const kept = upcomingRuns.get(key)
    if (kept !== undefined && at.getTime() < kept.until) return kept.runs
    const runs = nextRuns(cron, timezone, at, OVERLAP_RUNS)
    // Expressions no schedule has any more are forgotten now and then.
    if (upcomingRuns.size >= UPCOMING_KEPT) upcomingRuns.clear()
    const entry = { until: runs.length === 0 ? Infinity : Date.parse(runs[0] ?? ''), runs: new Set(runs) }
    upcomingRuns.set(key, entry)
    return entry.runs
  }

  /**
   * Two enabled logouts of all users at the same instant on a cluster they share: one is skipped
   * when both fire (one logout-all at a time per cluster), and recorded as such. Said on the later
   * one. Their next OVERLAP_RUNS fire times are compared (a year of a daily schedule, four days of
   * one every 15 minutes), so a daily and a monthly one meet whatever today is.
   */
  function overlapOf (schedule: StoredSchedule, all: readonly StoredSchedule[]): string | undefined {
    if (!schedule.enabled || schedule.action !== 'logout-all') return undefined
    const shares = (other: StoredSchedule): boolean => schedule.clusters === null || other.clusters === null ||
      schedule.clusters.some((id) => other.clusters?.some((theirs) => theirs.toLowerCase() === id.toLowerCase()) === true)
    const others = all.filter((other) => other.id < schedule.id && other.enabled && other.action === 'logout-all' && shares(other))
    if (others.length === 0) return undefined
    const mine = upcoming(schedule)
    const first = others.find((other) => [...upcoming(other)].some((when) => mine.has(when)))
    return first === undefined ? undefined : `Fires at times "${first.name}" fires too, and both log out everyone on the same clusters: one of the two is skipped when they meet. Change the time of one, or delete it.`
  }

  /**
   * What would make the schedule's run fail if it ran now, said where the schedule is listed:
   * a device list renamed or removed in Settings, a cluster deleted or disabled since it was set.
   */
  function standingProblem (schedule: StoredSchedule): string | undefined {
    if (schedule.action === 'logout-saved-list' && options.deviceList !== undefined) {
      // As its run refuses it (list-run.ts): a list gone, no list at all for "the first list", a list emptied.
      const list = options.deviceList(schedule.list ?? undefined)
      if (list === undefined) return schedule.list === null ? 'There is no device list: add one in Settings.' : `No device list is named "${schedule.list}" any more: edit the schedule to pick one of the lists in Settings.`
      if (list.devices.length === 0) return `The device list "${list.name}" is empty: add devices to it in Settings.`
    }
    for (const id of schedule.clusters ?? []) {
      const definition = clusters.definition(id)
      if (definition === undefined) return `Cluster ${id} is not known any more (deleted, or its id changed): edit the schedule's clusters.`
      if (clusters.get(id) === undefined) return `Cluster ${clusters.said(id)} ${definition.settings.enabled ? 'cannot be used' : 'is disabled'}: enable it again, or edit the schedule's clusters.`
    }
    if (schedule.action === 'logout-device-pools' && options.devicePools !== undefined) {
      // As its run refuses it (inventory-service.ts checkPools): a pool no phone of its clusters is
      // in any more, renamed or removed in CUCM since it was saved; not while no pool is known yet.
      const among = schedule.clusters ?? undefined
      const known = options.devicePools(among)
      const gone = known.length === 0 ? undefined : unknownPools(schedule.pools ?? [], known, among)
      if (gone !== undefined) return `${gone} Edit the schedule's pools.`
    }
    return undefined
  }

  /** Keeps a promise until it settles, so stop() can wait for runs and notifications in flight. */
  function track<T> (promise: Promise<T>): Promise<T> {
    running.add(promise)
    promise.finally(() => running.delete(promise)).catch(() => {})
    return promise
  }

  /** Work nobody awaits (begun by a timer, or at start): tracked, and its failure logged once with the schedule's name. */
  function inBackground (schedule: StoredSchedule, work: Promise<unknown>, failed: string): void {
    track(work).catch((error: unknown) => { log.error({ err: error, schedule: schedule.name }, `Schedule: ${failed}`) })
  }

  function disarm (id: number): void {
    clearTimeout(timers.get(id)?.handle)
    timers.delete(id)
  }

  /**
   * (Re)creates the timer of a schedule; only the server arms timers, and only after start(). Its
   * fire times are dealt with from `from` on, or from where its timer had got to (a schedule edited
   * right after its run does not run again for the same fire time).
   */
  function arm (schedule: StoredSchedule, from: Date = now()): void {
    const reached = timers.get(schedule.id)?.after ?? 0
    disarm(schedule.id)
    if (!started || !schedule.enabled) return
    const timer = { handle: undefined as NodeJS.Timeout | undefined, after: Math.max(from.getTime(), reached) }
    timers.set(schedule.id, timer)
    const tick = (): void => {
      if (timers.get(schedule.id) !== timer) return
      try {
        check()
      } catch (error) {
        // Logged, and looked at again later: a timer that fails does not end unsaid.
        log.error({ err: error, schedule: schedule.name }, 'Schedule: its timer failed')
        timer.handle = setTimeout(tick, clockCheckMs)
      }
    }
    const check = (): void => {
      const at = now().getTime()
      if (timer.after > at + STEP_BACK_LIMIT_MS) timer.after = at
      const next = nextRuns(schedule.cron, schedule.timezone, new Date(timer.after), 1)[0]
      // An expression that fires no more (a date in the past) leaves its timer idle.
      if (next === undefined) return
      const due = Date.parse(next)
      if (due <= at) {
        // Those past LATE_LIMIT_MS are missed, said to their last as at a start (the first 100 of a
        // two days' suspend under a schedule every 15 minutes ended on the first day, and the one
        // due a moment ago, past them, never ran); the latest since then runs.
        const lateBefore = at - LATE_LIMIT_MS
        const late = runsBetweenEnds(schedule.cron, schedule.timezone, new Date(timer.after), new Date(lateBefore), MISSED_LIMIT)
        const passed = [...late, ...runsBetween(schedule.cron, schedule.timezone, new Date(Math.max(timer.after, lateBefore)), new Date(at), MISSED_LIMIT)]
        timer.after = at
        if (late.length > 0) {
          const why = `the server reached ${late.length === 1 ? 'it' : 'them'} only at ${inScheduleZone(new Date(at), schedule.timezone)} (its clock was set forward, or it was paused)`
          inBackground(schedule, recordMissed(schedule, late, new Date(at), why), 'its missed run could not be recorded')
        }
        const going = busy.get(schedule.id)
        if (late.length < passed.length && going !== undefined) {
          inBackground(schedule, recordStillGoing(schedule, new Date(due), going), 'its skipped run could not be recorded or notified')
        } else if (late.length < passed.length) {
          inBackground(schedule, alone(schedule.id, async () => { await fire(schedule.id, passed.at(-1) ?? new Date(due)) }), 'its run failed')
        }
      }
      timer.handle = setTimeout(tick, Math.max(0, Math.min(due - at, clockCheckMs)))
    }
    tick()
  }

  async function failureOf (error: unknown, caller: Caller): Promise<Failure> {
    if (error instanceof ActionError) {
      const e = error.error
      return isEmapiFailure(e)
        ? { outcome: 'failure', emapiCode: e.emapiCode, errorCode: e.code, message: `${e.message}. ${e.info.action}`, auditId: error.auditId }
        // Its own words: a change sent without an answer says it may have happened; one the
        // server's stop cut short is interrupted, as its audit record is (our stop closed the
        // connection: no advice about CUCM). Else what to do follows, as the API says it beside
        // the problem (http-errors.ts): a 503's service to check, a timeout's load and time limit.
        : error.outcome === 'interrupted'
          ? { outcome: 'interrupted', emapiCode: null, errorCode: e.code, message: error.message, auditId: error.auditId }
          : { outcome: 'error', emapiCode: null, errorCode: e.code, message: sentences(sentences(emapiProblem(e), error.detail), error.action), auditId: error.auditId }
    }
    if (error instanceof RunFailedError) {
      // A run the server's stop cut short is interrupted, as its summary record is (and as
      // recordCutShortRuns says of one a crash cut short), not failed.
      return { outcome: error.interrupted ? 'interrupted' : 'failure', emapiCode: null, errorCode: 'RUN_FAILED', message: error.message, auditId: error.auditId }
    }
    if (error instanceof LogoutAllRunningError) {
      // em.logoutAll recorded the refusal, under the schedule's name.
      const message = `Skipped: a logout of all users (audit #${error.auditId}) was already running${error.said === undefined ? '' : ` on cluster ${error.said}`}. Runs are single-flight.`
      return { outcome: 'skipped', emapiCode: null, errorCode: 'LOGOUT_ALL_RUNNING', message, auditId: error.refusedId }
    }
    if (error instanceof ScheduleClusterError) {
      // Nothing was sent: the refusal gets its own row, as the action it would have been.
      const auditId = await record({ ...caller, action: error.auditAction, cluster: error.cluster }, { outcome: 'failure', errorCode: error.code, message: error.message })
      return { outcome: 'failure', emapiCode: null, errorCode: error.code, message: error.message, auditId }
    }
    if (error instanceof ServiceError) {
      // Refused before CUCM was asked (its cluster disabled or deleted while it waited, the audit
      // trail not writable): its record, if it has one, says it was not sent.
      return { outcome: 'failure', emapiCode: null, errorCode: error.code, message: error.message, auditId: error.auditId ?? null }
    }
    return { outcome: 'error', emapiCode: null, errorCode: 'INTERNAL', message: 'Internal error: see the server log.', auditId: null }
  }

  async function notify (schedule: StoredSchedule, failure: Failure, at: string): Promise<void> {
    if (options.notify === undefined) return
    const notification: ScheduleNotification = {
      source: 'em-console',
      schedule: schedule.name,
      action: schedule.action,
      outcome: failure.outcome,
      emapiCode: failure.emapiCode,
      errorCode: failure.errorCode,
      message: failure.message,
      auditId: failure.auditId,
      at
    }
    await options.notify(notification, `schedule:${schedule.name}`, halt.signal)
  }

  /**
   * The clusters a schedule acts on, by their registry ids; undefined: every enabled one. A named
   * cluster deleted or disabled since fails the run, saying which and what to do.
   */
  function clustersOf (schedule: StoredSchedule): string[] | undefined {
    if (schedule.clusters === null) return undefined
    return schedule.clusters.map((id) => {
      try {
        return clusters.require(id).id
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error
        const why = clusters.definition(id) === undefined ? 'it has been deleted' : error.message.replace(/\.$/, '')
        throw new ScheduleClusterError(schedule, id, `Schedule "${schedule.name}" names cluster ${clusters.said(id)}, which cannot be used: ${why}. Nothing was sent. Edit the schedule's clusters.`)
      }
    })
  }

  /** logout-all on the schedule's clusters (one run id for several); a cluster that failed fails the run, the others were still logged out. */
  async function logoutAll (caller: Caller, targets: string[] | undefined): Promise<ActionResult> {
    const result = await actions.logoutAll(caller, targets ?? ALL_CLUSTERS)
    // Cut short by the server's stop on every cluster it did not finish: interrupted, as one cluster's is.
    const interrupted = result.clusters.every((c) => c.outcome === 'success' || c.outcome === 'already-logged-out' || c.outcome === 'interrupted')
    if (result.outcome === 'failure') throw new RunFailedError(result.message, result.runId ?? '', result.auditId, { interrupted })
    return { outcome: 'success', message: result.message, auditId: result.auditId }
  }

  async function perform (schedule: StoredSchedule, caller: Caller): Promise<ActionResult> {
    const targets = clustersOf(schedule)
    switch (schedule.action) {
      case 'logout-all':
        return await logoutAll(caller, targets)
      case 'logout-saved-list':
        if (options.logoutSavedList === undefined) throw new Error('bulk runs are not available')
        return await options.logoutSavedList(caller, schedule.list ?? undefined, targets)
      case 'logout-older-than':
      case 'logout-device-pools': {
        if (options.logoutSessions === undefined) throw new Error('the inventory is not available')
        const filters: SessionFilters = schedule.action === 'logout-older-than' ? { olderThanHours: schedule.hours ?? 0 } : { devicePool: schedule.pools ?? [] }
        return await options.logoutSessions(caller, filters, targets)
      }
    }
  }

  /**
   * The time zone of a schedule saved without one: that of the clusters it names when they share
   * one (a nightly logout of a branch runs on the branch's night), else the first cluster's
   * (SCHEDULE_TIMEZONE, else the server's).
   */
  function zoneOf (scope: readonly string[] | null | undefined): string {
    const zones = new Set(scope?.map((id) => clusters.require(id).timezone))
    const [shared] = zones
    return zones.size === 1 && shared !== undefined ? shared : options.defaultTimezone()
  }

  /** The clusters a body names, as the registry spells them; each must be usable now (400 naming clusters). */
  function checkClusters (ids: string[] | null | undefined): string[] | null | undefined {
    if (ids == null) return ids
    const known = clusters.list()
    const checked = ids.map((id) => {
      const found = known.find((c) => c.id.toLowerCase() === id.toLowerCase())
      if (found === undefined) throw new BadRequestError('clusters', `Invalid field "clusters": there is no enabled cluster "${id.slice(0, 64)}" (clusters: ${known.map((c) => c.id).join(', ')}).`)
      return found.id
    })
    return [...new Set(checked)]
  }

  /**
   * In a schedule's write: a cluster `checkClusters` found may have been deleted since (its
   * deletion committed first, the registry not yet told). Then nothing is saved.
   */
  function stillThere (w: Writes, scope: readonly string[] | null | undefined): void {
    const gone = scope?.find((id) => clusters.definition(id)?.source === 'database' && w.clusters.get(id) === undefined)
    if (gone !== undefined) throw new BadRequestError('clusters', `Invalid field "clusters": cluster ${gone} was deleted meanwhile: nothing was saved.`)
  }

  /**
   * The parameters a schedule's action takes, checked: the device list of `logout-saved-list`
   * (one named now must exist in Settings; one kept from before may have gone since: the schedule
   * can still be edited or disabled, and its run says so), the `hours` of logout-older-than, the
   * `pools` of logout-device-pools. A parameter of another action is refused; one kept from
   * before is dropped when the action changes.
   */
  function parametersFor (action: ScheduleAction, body: { list?: string | null, hours?: number | null, pools?: string[] | null }, before: StoredSchedule | undefined, scope: readonly string[] | null): Pick<StoredSchedule, 'list' | 'hours' | 'pools'> {
    const kept = before?.action === action ? before : undefined
    const takes = { list: action === 'logout-saved-list', hours: action === 'logout-older-than', pools: action === 'logout-device-pools' }
    for (const field of ['list', 'hours', 'pools'] as const) {
      if (!takes[field] && body[field] != null) throw new BadRequestError(field, `Invalid field "${field}": a schedule that runs "${action}" takes no ${field}.`)
    }
    const list = body.list === undefined ? kept?.list ?? null : body.list
    if (body.list != null && options.deviceList !== undefined && options.deviceList(body.list) === undefined) {
      throw new BadRequestError('list', `No device list is named "${body.list}": pick one of the lists in Settings.`)
    }
    const hours = body.hours ?? kept?.hours ?? null
    if (takes.hours && hours === null) throw new BadRequestError('hours', 'Invalid field "hours": logout-older-than needs the age in hours of the sessions to log out.')
    const pools = body.pools ?? kept?.pools ?? null
    if (takes.pools && (pools === null || pools.length === 0)) throw new BadRequestError('pools', 'Invalid field "pools": logout-device-pools needs at least one device pool.')
    // A pool named now must be one a phone of the schedule's clusters is in (a typo would log out
    // nobody, every night); not while the inventory knows no pool yet (AXL not read so far).
    const among = scope ?? undefined
    // Given now, or kept while the schedule's clusters change.
    const judged = body.pools ?? (scope !== (before?.clusters ?? null) ? kept?.pools : undefined) ?? null
    const known = judged === null || !takes.pools ? [] : options.devicePools?.(among) ?? []
    const typo = known.length === 0 ? undefined : unknownPools(judged ?? [], known, among)
    if (typo !== undefined) throw new BadRequestError('pools', typo)
    return { list: takes.list ? list : null, hours: takes.hours ? hours : null, pools: takes.pools && pools !== null ? [...new Set(pools)] : null }
  }

  /**
   * Runs the action of a schedule and records how it ended on the schedule. A scheduled run
   * (not run-now) that fails also records a skip and calls the webhook once. `due`: a timed
   * run's fire time; undefined for a person's "Run now".
   */
  async function run (schedule: StoredSchedule, caller: Caller, due: Date | undefined): Promise<ActionResult> {
    const at = now().toISOString()
    const scheduled = due !== undefined
    // A person's run-now is theirs in the audit trail (actor, trigger); this row says which schedule
    // it was, with the run's id, so the records of the run (History by run) include it.
    const ranNow = (w: Writes, outcome: 'success' | 'failure' | 'error', message: string, auditId: number | null, runId: string | undefined): void => {
      if (scheduled) return
      w.audit.record({ ...caller, ...clusterOf(schedule), action: 'schedule-run-now', ...(runId === undefined || runId === '' ? {} : { runId }) },
        { outcome, message: `Ran schedule "${schedule.name}" now (${describeAction(schedule)}): ${message}${auditId === null ? '' : ` (audit #${auditId})`}` })
    }
    try {
      // Ended by recordRun below; left set only by a stop that cut the run short (see recordCutShortRuns):
      // its actor finds its record then, timed or run now (recordOfCutShort).
      await store.write((w) => { w.schedules.setRunningSince(schedule.id, at, caller.actor) }, 'schedule began')
      // Stopped while that record waited for a database that refused writes (stop): nothing is
      // sent, and the next start records the run cut short.
      if (scheduled && !started) throw new StoppedBeforeSending()
      // That record waited for a database that refused writes (a backup's lock, a full disk) past
      // LATE_LIMIT_MS: missed, as a fire time the timer reaches that late is, not sent when the
      // lock is freed (a logout-all an hour late would hit people at work).
      const written = now()
      if (due !== undefined && written.getTime() - due.getTime() > LATE_LIMIT_MS) {
        await recordMissed(schedule, [due], written, `the database refused writes until ${inScheduleZone(written, schedule.timezone)}, so nothing was sent`)
        throw new StoppedBeforeSending()
      }
      const result = await perform(schedule, caller)
      await store.write((w) => {
        w.schedules.recordRun(schedule.id, { at, outcome: 'success', message: result.message, auditId: result.auditId })
        ranNow(w, 'success', result.message, result.auditId, result.runId)
      }, 'schedule ran')
      return result
    } catch (error) {
      if (error instanceof StoppedBeforeSending) throw error
      // Run-now refused because a logout-all is running: the caller sees 409, the schedule did not run.
      if (!scheduled && error instanceof LogoutAllRunningError) {
        await store.write((w) => { w.schedules.setRunningSince(schedule.id, null) }, 'schedule did not run')
        throw error
      }
      const failure = await failureOf(error, caller)
      await store.write((w) => {
        w.schedules.recordRun(schedule.id, { at, outcome: failure.outcome, message: failure.message, auditId: failure.auditId })
        ranNow(w, failure.outcome === 'error' ? 'error' : 'failure', failure.message, failure.auditId, error instanceof RunFailedError ? error.runId : undefined)
      }, 'schedule ran')
      if (failure.outcome === 'error' && failure.errorCode === 'INTERNAL') log.error({ err: error, schedule: schedule.name }, 'Schedule: its run failed with an internal error')
      if (scheduled) {
        log.warn({ schedule: schedule.name, outcome: failure.outcome, auditId: failure.auditId }, `Schedule "${schedule.name}": ${failure.outcome}: ${failure.message}`)
        await notify(schedule, failure, at)
      }
      throw error
    }
  }

  /** Runs `task` as the one run of schedule `id` going (timed, or run now): `busy` says so meanwhile. */
  async function alone<T> (id: number, task: () => Promise<T>): Promise<T> {
    busy.set(id, now())
    try {
      return await task()
    } finally {
      busy.delete(id)
    }
  }

  async function fire (id: number, due: Date): Promise<void> {
    const schedule = store.schedules.get(id)
    if (schedule === undefined || !schedule.enabled) return
    try {
      const result = await run(schedule, { actor: `schedule:${schedule.name}`, trigger: 'schedule' }, due)
      log.info({ schedule: schedule.name, auditId: result.auditId }, `Schedule "${schedule.name}": ${result.message}`)
    } catch {
      // run() recorded the failure on the schedule, in the audit trail and in the log.
    }
  }

  /** LOGOUT_ALL_SCHEDULE creates or updates `nightly`; once unset, the `nightly` it made is disabled. */
  async function syncConfigSchedule (): Promise<void> {
    const wanted = options.configSchedule
    const existing = store.schedules.findByName(CONFIG_SCHEDULE_NAME)
    const caller: Caller = { actor: CONFIG_ACTOR, trigger: 'schedule' }
    if (wanted === undefined) {
      if (existing?.managedByConfig === true && existing.enabled) {
        const message = `LOGOUT_ALL_SCHEDULE is no longer set: disabled schedule "${existing.name}" that it had created.`
        await store.write((w) => {
          w.schedules.update(existing.id, { enabled: false })
          w.audit.record({ ...caller, action: 'schedule-update' }, { outcome: 'success', message })
        }, 'schedule-update')
        log.warn({ schedule: existing.name }, message)
      }
      return
    }
    // Every enabled cluster, whichever there are when it runs.
    const target = { cron: wanted.cron, timezone: wanted.timezone, action: 'logout-all' as const, list: null, hours: null, pools: null, clusters: null, enabled: true, managedByConfig: true }
    if (existing === undefined) {
      const message = `Created schedule "${CONFIG_SCHEDULE_NAME}" from LOGOUT_ALL_SCHEDULE: logout-all at "${wanted.cron}" (${wanted.timezone}).`
      await store.write((w) => {
        w.schedules.create({ name: CONFIG_SCHEDULE_NAME, ...target, createdBy: CONFIG_ACTOR })
        w.audit.record({ ...caller, action: 'schedule-create' }, { outcome: 'success', message })
      }, 'schedule-create')
      log.info({ schedule: CONFIG_SCHEDULE_NAME }, message)
      return
    }
    const changes = describeChanges(existing, target)
    if (changes === 'no change' && existing.managedByConfig) return
    const message = `Updated schedule "${existing.name}" from LOGOUT_ALL_SCHEDULE: ${changes}.`
    await store.write((w) => {
      w.schedules.update(existing.id, target)
      w.audit.record({ ...caller, action: 'schedule-update' }, { outcome: 'success', message })
    }, 'schedule-update')
    log.info({ schedule: existing.name }, message)
  }

  /**
   * A schedule saved before the cron rules (every second, 7 fields...) is not armed as it is:
   * it is disabled, audited and logged, and an admin fixes its expression to enable it again.
   */
  async function disableUnsafe (): Promise<void> {
    for (const schedule of store.schedules.list()) {
      const problem = schedule.enabled ? problemOf(schedule.cron, schedule.timezone) : undefined
      if (problem === undefined) continue
      const message = `Disabled schedule "${schedule.name}": ${problem.message} Change its ${problem.field} to enable it again.`
      await store.write((w) => {
        w.schedules.update(schedule.id, { enabled: false })
        w.audit.record({ actor: 'server', trigger: 'schedule', ...clusterOf(schedule), action: 'schedule-update' }, { outcome: 'failure', errorCode: 'SCHEDULE_INVALID', message })
      }, 'schedule disabled')
      log.warn({ schedule: schedule.name }, message)
    }
  }

  /**
   * Fire times not run (a logout-all hours late would hit people at work): one `schedule-missed`
   * row for them all, the schedule's last run, the log and the webhook say why; the next run
   * named is the first after `nextAfter` (at a start, one a few minutes late runs then).
   */
  async function recordMissed (schedule: StoredSchedule, missed: Date[], at: Date, why: string, nextAfter: Date = at): Promise<void> {
    const last = missed.at(-1)
    if (last === undefined) return
    const nextRun = nextRuns(schedule.cron, schedule.timezone, nextAfter, 1)[0]
    const next = nextRun === undefined ? 'never' : inScheduleZone(nextRun, schedule.timezone)
    const when = missed.length === 1
      ? `The run due at ${inScheduleZone(last, schedule.timezone)} was missed`
      : `${missed.length}${missed.length === MISSED_LIMIT ? ' or more' : ''} runs due from ${inScheduleZone(missed[0] ?? last, schedule.timezone)} to ${inScheduleZone(last, schedule.timezone)} were missed`
    const message = `${when}: ${why}. Missed runs are not caught up; the next run is at ${next}.`
    const caller: Caller = { actor: `schedule:${schedule.name}`, trigger: 'schedule' }
    const auditId = await store.write((w) => {
      const id = w.audit.record({ ...caller, ...clusterOf(schedule), action: 'schedule-missed' }, { outcome: 'failure', errorCode: 'SCHEDULE_MISSED', message })
      w.schedules.recordRun(schedule.id, { at: last.toISOString(), outcome: 'missed', message, auditId: id })
      return id
    }, 'schedule-missed')
    log.warn({ schedule: schedule.name, auditId }, `Schedule "${schedule.name}": ${message}`)
    inBackground(schedule, notify(schedule, { outcome: 'missed', emapiCode: null, errorCode: 'SCHEDULE_MISSED', message, auditId }, at.toISOString()), 'the webhook notice failed')
  }

  /**
   * A fire time that comes while the schedule's previous run still goes (a long per-device run)
   * does not start a second one beside it: the history, the log and the webhook say it was skipped.
   * The schedule's last run stays the one going, whose outcome is still to come.
   */
  async function recordStillGoing (schedule: StoredSchedule, due: Date, since: Date): Promise<void> {
    const message = `Skipped the run due at ${inScheduleZone(due, schedule.timezone)}: the run of schedule "${schedule.name}" started at ${inScheduleZone(since, schedule.timezone)} is still going, and a schedule's runs do not overlap.`
    const errorCode = STILL_RUNNING
    const auditId = await record({ actor: `schedule:${schedule.name}`, trigger: 'schedule', ...clusterOf(schedule), action: schedule.action === 'logout-all' ? 'logout-all' : 'bulk-run' }, { outcome: 'failure', errorCode, message })
    log.warn({ schedule: schedule.name, auditId }, `Schedule "${schedule.name}": ${message}`)
    await notify(schedule, { outcome: 'skipped', emapiCode: null, errorCode, message, auditId }, due.toISOString())
  }

  /**
   * A run the server's stop cut short (a crash, kill -9) recorded no outcome: it becomes the
   * schedule's last run, `interrupted`, so the schedule (and `em-console schedules`, which exits 1)
   * does not show the run before it as the last, linked to the record its end would have named
   * (its bulk run's summary, its logout-all's row); the webhook hears of it as of a failure.
   */
  async function recordCutShortRuns (): Promise<void> {
    for (const { schedule, since, auditId } of store.schedules.cutShort()) {
      const message = `The run begun at ${inScheduleZone(since, schedule.timezone)} was cut short: the server stopped during it. What it had sent is in the history, marked interrupted; the rest was not done.`
      await store.write((w) => { w.schedules.recordRun(schedule.id, { at: since, outcome: 'interrupted', message, auditId }) }, 'schedule interrupted')
      log.warn({ schedule: schedule.name, auditId }, `Schedule "${schedule.name}": ${message}`)
      inBackground(schedule, notify(schedule, { outcome: 'interrupted', emapiCode: null, errorCode: null, message, auditId }, since), 'the webhook notice failed')
    }
  }

  /**
   * Runs that fell due while the server was down are not caught up: each schedule gets one
   * `schedule-missed` row. One due at most LATE_LIMIT_MS before `at` (a restart, systemd's
   * RestartSec) is left to the timer, which runs it as it runs one it reaches a few minutes late.
   * `left`: the schedules as the server left them, before this start changed any. Returns, by
   * schedule id, the instant its timer takes its fire times from.
   */
  async function recordMissedRuns (at: Date, left: ReadonlyMap<number, StoredSchedule>): Promise<Map<number, Date>> {
    const from = new Map<number, Date>()
    const lateBefore = new Date(at.getTime() - LATE_LIMIT_MS)
    for (const schedule of store.schedules.list()) {
      if (!schedule.enabled) continue
      const begun = store.audit.lastStartedBy(`schedule:${schedule.name}`)
      const since = accountedUntil(schedule, begun)
      const timerFrom = since > lateBefore ? since : lateBefore
      // Missed: the fire times of the schedule as the server left it. A LOGOUT_ALL_SCHEDULE changed
      // at this start saved `nightly` anew just now: its new time must not hide the nights it missed.
      const before = left.get(schedule.id)
      const was = before?.enabled === true ? { ...schedule, cron: before.cron, timezone: before.timezone, updatedAt: before.updatedAt } : schedule
      await recordMissed(schedule, runsBetweenEnds(was.cron, was.timezone, accountedUntil(was, begun), lateBefore, MISSED_LIMIT), at, 'the server was not running then', timerFrom)
      from.set(schedule.id, timerFrom)
    }
    return from
  }

  return {
    list: (): Schedule[] => {
      const all = store.schedules.list()
      return all.map((schedule) => view(schedule, all))
    },

    get (id: number): Schedule | undefined {
      const schedule = store.schedules.get(id)
      return schedule === undefined ? undefined : view(schedule)
    },

    preview (cron: string, given?: string, named?: string[]): SchedulePreview {
      const timezone = given === undefined ? zoneOf(checkClusters(named)) : spelledTimeZone(given)
      // Every action a schedule runs is CUCM-wide: one rule for all, known before the action is.
      checkCron(cron, timezone)
      const runs = nextRuns(cron, timezone, now())
      return { cron, timezone, nextRuns: runs, clockChanges: clockChanges(cron, timezone, runs) }
    },

    async create (caller: Caller, body: ScheduleCreateBody): Promise<Schedule> {
      const scope = checkClusters(body.clusters) ?? null
      const timezone = body.timezone === undefined ? zoneOf(scope) : spelledTimeZone(body.timezone)
      checkCron(body.cron, timezone)
      const action = body.action ?? 'logout-all'
      const parameters = parametersFor(action, body, undefined, scope)
      const schedule = await store.write((w) => {
        stillThere(w, scope)
        const created = w.schedules.create({ name: body.name, cron: body.cron, timezone, action, ...parameters, clusters: scope, enabled: body.enabled ?? true, createdBy: caller.actor })
        w.audit.record({ ...caller, ...clusterOf(created), action: 'schedule-create' }, {
          outcome: 'success',
          message: `Created schedule "${created.name}": ${describeAction(created)} at "${created.cron}" (${created.timezone})${created.enabled ? '' : ', disabled'}.`
        })
        return created
      }, 'schedule-create').catch((error: unknown) => { throw isUniqueViolation(error) ? new ScheduleNameTakenError(body.name) : error })
      arm(schedule)
      return view(schedule)
    },

    async update (caller: Caller, id: number, { updatedAt: basedOn, ...given }: ScheduleUpdateBody): Promise<Schedule | undefined> {
      // The version read is no change: alone, it would save a new version of nothing.
      if (Object.keys(given).length === 0) throw new BadRequestError('body', 'The request body must change at least one field besides updatedAt.')
      const body = given.timezone === undefined ? given : { ...given, timezone: spelledTimeZone(given.timezone) }
      const before = store.schedules.get(id)
      if (before === undefined) return undefined
      const action = body.action ?? before.action
      // Judged when what it fires on changes or it is enabled: a schedule saved under an older rule
      // (disabled at start) can still be renamed or deleted, not enabled as it is.
      if (body.cron !== undefined || body.timezone !== undefined || body.action !== undefined || body.enabled === true) checkCron(body.cron ?? before.cron, body.timezone ?? before.timezone)
      const scope = body.clusters === undefined ? before.clusters : checkClusters(body.clusters) ?? null
      const changes: ScheduleChanges = { ...body, ...parametersFor(action, body, before, scope), ...(body.clusters === undefined ? {} : { clusters: scope }) }
      const after = await store.write((w) => {
        stillThere(w, changes.clusters)
        unchangedSince(w.schedules.get(id), basedOn, 'Your change was not saved.')
        const updated = w.schedules.update(id, changes, caller.actor)
        if (updated !== undefined) w.audit.record({ ...caller, ...clusterOf(updated), action: 'schedule-update' }, { outcome: 'success', message: `Updated schedule "${before.name}": ${describeChanges(before, changes)}.` })
        return updated
      }, 'schedule-update').catch((error: unknown) => { throw isUniqueViolation(error) ? new ScheduleNameTakenError(changes.name ?? before.name) : error })
      if (after === undefined) return undefined
      arm(after)
      return view(after)
    },

    /** `basedOn`: the updatedAt the caller read; a change saved since refuses the delete (none: no such check). */
    async delete (caller: Caller, id: number, basedOn?: string): Promise<boolean> {
      const schedule = store.schedules.get(id)
      if (schedule === undefined) return false
      const deleted = await store.write((w) => {
        unchangedSince(w.schedules.get(id), basedOn, 'It was not deleted.')
        if (!w.schedules.delete(id)) return false
        w.audit.record({ ...caller, ...clusterOf(schedule), action: 'schedule-delete' }, { outcome: 'success', message: `Deleted schedule "${schedule.name}" (${describeAction(schedule)} at "${schedule.cron}", ${schedule.timezone}).` })
        return true
      }, 'schedule-delete')
      if (deleted) disarm(id)
      return deleted
    },

    /**
     * Runs a schedule's action now, as the caller (who is audited), whether it is enabled or not.
     * A cluster-wide logout needs the typed words, as every other path to one does. `basedOn`: the
     * updatedAt the caller read; a schedule changed since (its action, list, clusters) is not run.
     */
    async runNow (caller: Caller, id: number, confirm?: string, basedOn?: string): Promise<{ schedule: Schedule, result: ActionResult } | undefined> {
      const schedule = store.schedules.get(id)
      if (schedule === undefined) return undefined
      unchangedSince(schedule, basedOn, 'It was not run.')
      if (schedule.action === 'logout-all' && confirm !== LOGOUT_ALL_CONFIRMATION) {
        const where = schedule.clusters === null ? 'on every cluster' : `on ${schedule.clusters.length === 1 ? 'cluster' : 'clusters'} ${schedule.clusters.join(', ')}`
        throw new BadRequestError('confirm', `"${schedule.name}" logs out every Extension Mobility user ${where}: to run it now, send the body field "confirm" with exactly "${LOGOUT_ALL_CONFIRMATION}".`)
      }
      // A second run of the same phones beside the one going would only find them logged out.
      const going = busy.get(id)
      if (going !== undefined) throw new ServiceError('conflict', 'SCHEDULE_RUNNING', `Schedule "${schedule.name}" is running now (since ${inScheduleZone(going, schedule.timezone)}): run it again once that run has ended.`)
      const result = await track(alone(id, async () => await run(schedule, caller, undefined)))
      return { schedule: view(store.schedules.get(id) ?? schedule), result }
    },

    /** Server only: applies LOGOUT_ALL_SCHEDULE, records runs missed while down, arms the timers. */
    async start (): Promise<void> {
      if (started) return
      started = true
      if (halt.signal.aborted) halt = new AbortController()
      const left = new Map(store.schedules.list().map((schedule) => [schedule.id, schedule]))
      await syncConfigSchedule()
      await disableUnsafe()
      // Fire times more than LATE_LIMIT_MS before this instant were missed; the timers take those after.
      const at = now()
      await recordCutShortRuns()
      const from = await recordMissedRuns(at, left)
      for (const schedule of store.schedules.list()) arm(schedule, from.get(schedule.id) ?? at)
    },

    /** Stops the timers and waits for runs in flight (each has its own timeout) and the notices in flight, cut short. */
    async stop (): Promise<void> {
      started = false
      for (const id of [...timers.keys()]) disarm(id)
      halt.abort()
      // Until none is left: work in flight may start more (a missed run's record, then its notice).
      // Not work waiting for a database that refuses writes (another program holds its lock): its
      // writes stay queued for the store's close, last, which commits them or logs them lost.
      while (running.size > 0) {
        if (!await store.writtenUnlessRefused(Promise.allSettled([...running]))) break
      }
    },

    /** The timers armed now, by schedule id (for tests and the health view). */
    armed: (): number[] => [...timers.keys()]
  }
}
