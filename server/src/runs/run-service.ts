import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { shortRunId, utcText } from '@em-console/shared/display'
import { isEmapiFailure } from '@em-console/shared/emapi'
import { DEFAULT_VERIFY_AFTER_SECONDS, retryCount, uniqueNames } from '@em-console/shared/rules'
import {
  MAX_RUN_ITEMS, type ActionResult, type DeviceReport, RETRY_FAILED_OUTCOMES, RUN_ITEMS_PAGE, RUN_THE_REST_OUTCOMES, type AsOf, type MultipleLogins, type Preview, type PreviewItem, type RetryScope, type RunAction,
  type RunItem, type RunItemOutcome, type RunItemsPage, type RunProgressEvent, type RunState, type RunSummary
} from '@em-console/shared/schemas'
import type { ClusterActions } from '../clusters/cluster-actions.js'
import type { ClusterRegistry } from '../clusters/registry.js'
import type { InventoryService, SessionSelection } from '../inventory/inventory-service.js'
import { describeSelection, inventoryNote, selectionCluster, selectSessions } from '../inventory/session-logout.js'
import { silentLog, type Log } from '../log.js'
import { ActionError, BadRequestError, ClusterFailure, freeTheDatabase, NotSentError, sentences, ServiceError } from '../services/errors.js'
import { QUERY_CHUNK, type Alongside, type Caller } from '../services/em-service.js'
import type { Stopper } from '../services/stopper.js'
import { backoff, chunk, within } from '../services/limiter.js'
import type { Store, Writes } from '../store/store.js'
import { classify, countBy, newItems, NOTHING_FOUND, planOf, wantedOf, wantedOfSelection, withSecondLogins, type Found, type RunInput, type Wanted } from './plan.js'
import type { ItemResult, NewItem } from './run-repository.js'
import { retryTitle, summaryText, wordsOfInput, type RunWords } from './run-words.js'
import type { SettingsService } from './settings-service.js'
import { clusterField, soleCluster } from './sole-cluster.js'

export type { RunInput } from './plan.js'

export interface RunOptions {
  /** Re-check the devices this long after the run; 0 = no re-check. */
  verifyAfterMs?: number
  parentRunId?: string
  /** The items of the parent run it takes: a run's items of a scope are retried once. */
  retryScope?: RetryScope
  /** What the run's summary record calls it (a device list, a selection by sessions) and the cluster it names. */
  summary?: RunWords
}

/** How a run ended, as its summary record says; `failed`: its items that did not (surely) work or were not reached. */
export interface RunEnd {
  auditId: number
  message: string
  failed: number
  /** Of `failed`, the items the run never reached (not run, cancelled): "Run the rest" takes them, not "Retry failed". */
  notReached: number
  /** The server's stop cut it short. */
  interrupted: boolean
}

export interface RunServiceOptions {
  store: Store
  /** Every cluster: each cluster's items go through its own EmService (its own limiter). */
  clusters: ClusterRegistry
  /** Look-ups across clusters, each answer tagged with its cluster. */
  actions: Pick<ClusterActions, 'deviceReports'>
  /** Runs by sessions (issue #18); without it such a run is refused as not configured. */
  inventory?: Pick<InventoryService, 'selectSessions' | 'changesEnded'>
  settings: SettingsService
  log?: Log
  /** Items worked on at once per cluster when a cluster does not say (its maxConcurrency does). */
  concurrency?: number
  defaultVerifyAfterMs?: number
  /**
   * How long a run's start waits for the database to take its record (CUCM_TIMEOUT_MS, as a
   * change's record waits): past it the run is refused and never starts.
   */
  recordWaitMs?: number
  /** The first wait before a failed look-up of a chunk is tried again (LOOK_UP_RETRIES), doubled per attempt. */
  lookUpBackoffMs?: number
}

interface ActiveRun {
  state: RunState
  total: number
  counts: Record<string, number>
  /** Of `counts`, the items about a user (a run of users): settled when written, they never change. */
  userCounts: Record<string, number>
  cancelling: boolean
  /** Set when the server stops: the run ends `interrupted`, not `cancelled`. */
  stopping: boolean
  /** Set as its end begins: from then on a cancel has nothing left to stop (its state would overwrite the end's on disk). */
  ending: boolean
  events: EventEmitter
  /** Settles when the run has ended and every row of it is final. */
  done: Promise<void>
  /** Wakes the run's intake when it waits for a cluster to want more items (a cancel, a stop). */
  wake: () => void
  /** The clusters whose look-up failed in this run lately (by lower-case id), and how: see UNANSWERED_CLUSTER_MS. */
  unanswered: Unanswered
  /** Set once its end and summary record are written. */
  ended?: RunEnd
}

/** A run's clusters that did not answer a look-up: until when they are not asked again, and what they failed with. */
type Unanswered = Map<string, { until: number, error: Error }>

/**
 * How long a run does not ask again a cluster whose look-up failed, while another cluster is asked:
 * each chunk of QUERY_CHUNK devices waited for it to fail (a cluster that accepts and never
 * answers: its time limit, 15 s by default), so a run of 5,000 phones of a live cluster beside a
 * dead one took a hundred time limits. Meanwhile its failure stands for it (a device found nowhere
 * else may be on it and is not run); past this it is asked again, in case it is back.
 */
const UNANSWERED_CLUSTER_MS = 30_000

/**
 * How often a progress stream of a run of another process (an em-console command's) reads its
 * counts from the database: that process's events never reach this one.
 */
const OTHER_PROCESS_POLL_MS = 1000

/** How long a stop waits for every row to be final: past it, the store's close says what it could not save. */
const STOP_DEADLINE_MS = 5000

/** A failed look-up of a chunk is tried this many more times, with backoff, before its items are not run. */
const LOOK_UP_RETRIES = 2

/** A run's progress as its row says it: what a stream of a run of another process sends. */
export function progressOfSummary (summary: RunSummary): RunProgressEvent {
  return { state: summary.state, total: summary.total, counts: summary.counts, ...(summary.userCounts === undefined ? {} : { userCounts: summary.userCounts }) }
}

/** At most this many looked-up items wait for their cluster's workers: look-ups stay close to the logouts they check. */
const WAITING_CAP = 4 * QUERY_CHUNK

/**
 * The items of one cluster waiting for its workers (issue #17): each cluster has its own lane and
 * its own workers, so a slow cluster never holds back a fast one.
 */
class Lane {
  readonly waiting: RunItem[] = []
  #closed = false
  #waiters: Array<() => void> = []

  push (items: readonly RunItem[]): void {
    this.waiting.push(...items)
    this.#flush()
  }

  close (): void {
    this.#closed = true
    this.#flush()
  }

  /** The next item, or undefined once the lane is closed and empty. */
  async take (): Promise<RunItem | undefined> {
    for (;;) {
      const item = this.waiting.shift()
      if (item !== undefined || this.#closed) return item
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
  }

  #flush (): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}

const FINAL_STATES = new Set<RunState>(['done', 'cancelled', 'interrupted'])
/** The items each follow-up run takes; typed with RunItemOutcome, so shared/rules (free of TypeBox) can name only real outcomes. */
const SCOPE_OUTCOMES: Record<RetryScope, readonly RunItemOutcome[]> = { failed: RETRY_FAILED_OUTCOMES, rest: RUN_THE_REST_OUTCOMES }

export type RunService = ReturnType<typeof createRunService>

/** A run's counts as the log says them: "35 success, 59 not-run". */
const countsText = (counts: ActiveRun['counts']): string => Object.entries(counts).map(([outcome, n]) => `${n} ${outcome}`).join(', ')

/** Moves `n` items of a run's live counts from pending to `outcome`. */
function settle (run: ActiveRun, outcome: RunItemOutcome, n = 1): void {
  if (n === 0) return
  run.counts.pending = (run.counts.pending ?? n) - n
  if (run.counts.pending <= 0) delete run.counts.pending
  run.counts[outcome] = (run.counts[outcome] ?? 0) + n
}

/** A change's result as its run item records it (code 19 on a logout: already logged out). */
function resultOf (result: ActionResult): ItemResult {
  return { outcome: result.outcome, message: result.message, auditId: result.auditId, ...(result.outcome === 'already-logged-out' ? { emapiCode: 19 } : {}) }
}

/**
 * What to fix, after what went wrong, when CUCM refused the application user or this server
 * (codes 2, 3, 10, 27, 28, 30): every item fails alike until an admin changes a setting, and an
 * item's words are all a run's page, its CSV and the CLI show of it (PROTOCOL.md §4: say which).
 */
function withFix (words: string, error: ActionError): string {
  return isEmapiFailure(error.error) && error.error.info.category === 'configuration' ? sentences(words, error.action) : words
}

/** A failed change as its run item records it. */
function itemResult (error: ActionError): ItemResult {
  const emapiCode = isEmapiFailure(error.error) ? error.error.emapiCode : undefined
  const message = isEmapiFailure(error.error) ? withFix(sentences(error.error.words, error.detail), error) : error.message
  return { outcome: error.outcome, message, auditId: error.auditId, ...(emapiCode === undefined ? {} : { emapiCode }) }
}

/** A failed look-up of a run's devices in its own words (CUCM's answer, a refusal, a cluster's failure); undefined for a fault of ours. */
function lookUpFailure (error: unknown): string | undefined {
  if (error instanceof ActionError) return withFix(error.error.message, error)
  if (error instanceof ServiceError || error instanceof ClusterFailure) return error.message
  return undefined
}

/** The outcomes of items a change was sent for: what a re-check looks at. */
const SENT_OUTCOMES: readonly RunItemOutcome[] = ['success', 'already-logged-out', 'failure', 'error', 'unknown', 'interrupted']

/** What a retry says of the clusters deleted since its run, and of their items it does not send. */
function leftOutText (gone: readonly string[], items: number): string {
  const clustersText = `${gone.length === 1 ? 'cluster' : 'clusters'} ${gone.join(', ')}`
  return `${clustersText} left out, deleted since${items === 0 ? '' : ` (${items} ${items === 1 ? 'item' : 'items'} not sent)`}`
}

/**
 * A retry refused because the run's items of that scope were taken by an earlier retry: sent
 * again, a logout could end a session begun since (the same user back at that phone days later),
 * a login log in again someone who has left. What failed in that retry is its own to retry.
 */
function retriedAlready (id: string, scope: RetryScope, earlier: { id: string, actor: string, createdAt: string }): ServiceError {
  const items = scope === 'failed' ? `The failed items of run ${shortRunId(id)} were retried` : `The items run ${shortRunId(id)} did not reach were run`
  return new ServiceError('conflict', 'NOTHING_TO_RETRY', `${items} already as run ${shortRunId(earlier.id)} (by ${earlier.actor} at ${utcText(earlier.createdAt)}): they are not sent again.`,
    { action: `Open run ${earlier.id}: its own "Retry failed" and "Run the rest" send what it did not do.` })
}

/** What the items of a run left unfinished say, by what stopped it. */
function stoppedWords (by: Stopper): { sent: string, rest: string } {
  if (by === 'server') return { sent: 'The server stopped while CUCM was asked', rest: 'Not run: the server stopped during the run.' }
  return { sent: `The em-console command running this stopped (${by.command}) while CUCM was asked`, rest: `Not run: the em-console command running it stopped (${by.command}) during the run.` }
}

/**
 * A run's one `bulk-run` summary record, in the same write as its final state, with the words,
 * the actor and the client's address kept on its row since its start: the one writer of it, at a
 * run's end and for a run a crash or a kill cut short (interruptRuns), so both say the same. Its
 * failed items were each counted already: a summary of failed items is RUN_FAILED, which the
 * Overview does not count again (audit-repository.ts, `stats`).
 */
function recordSummary (w: Writes, id: string): RunEnd {
  const run = w.runs.summary(id)
  const started = w.runs.summaryWords(id)
  if (run === undefined || started === undefined) throw new Error(`No run ${id} to sum up`)
  const { actor, trigger, clientIp, words } = started
  // Items that did not (surely) work, and items the run did not reach: either fails the run.
  const failed = retryCount(run.counts, 'failed') + retryCount(run.counts, 'rest')
  const outcome = run.state === 'interrupted' ? 'interrupted' : failed > 0 ? 'failure' : 'success'
  const message = summaryText(run, words, failed > 0 ? w.runs.failureReason(id) : undefined)
  const auditId = w.audit.record(
    { actor, trigger, action: 'bulk-run', runId: id, ...(clientIp === undefined ? {} : { clientIp }), ...clusterField(words.cluster) },
    { outcome, errorCode: outcome === 'success' ? undefined : 'RUN_FAILED', message })
  return { auditId, message, failed, notReached: retryCount(run.counts, 'rest'), interrupted: outcome === 'interrupted' }
}

/**
 * Ends runs left unfinished: their items whose request was sent may have been carried out, and say
 * so; the others were not run; the run is summed up as it would have been at its end.
 */
function interruptRuns (w: Writes, ids: readonly string[], stopped: Stopper): void {
  const words = stoppedWords(stopped)
  for (const id of ids) {
    w.runs.interruptSent(id, `${words.sent}: it may have carried this out. Look the device up to be sure.`)
    w.runs.endPending(id, 'not-run', words.rest)
    w.runs.setState(id, 'interrupted')
    recordSummary(w, id)
  }
}

export function createRunService (options: RunServiceOptions) {
  const { actions, clusters, settings, store } = options
  const log = options.log ?? silentLog
  const active = new Map<string, ActiveRun>()
  const defaultVerifyAfterMs = options.defaultVerifyAfterMs ?? DEFAULT_VERIFY_AFTER_SECONDS * 1000
  const lookUpBackoffMs = options.lookUpBackoffMs ?? 500
  /** Retries being started, by run id and scope: a second waits for the first's run to be on disk, then is refused naming it. */
  const retrying = new Map<string, Promise<string | undefined>>()
  /** Re-checks waiting for their time; stop() ends them. */
  const verifications = new Map<string, NodeJS.Timeout>()
  let stopped = false
  let stopping: Promise<void> | undefined
  /** Who stop() was asked by: what the items it leaves unrun say. */
  let stoppedBy: Stopper = 'server'
  /** The ends of the progress streams of runs of other processes (each reads the database on a timer): endStreams calls them. */
  const outsideStreams = new Set<() => void>()

  /**
   * Follows a run of another process (an em-console command's), not final yet, from its row:
   * `listener` hears its progress now and whenever its state or counts change; undefined when
   * there is no such run, or it has ended.
   */
  function watch (id: string, listener: (event: RunProgressEvent) => void, onEnd: () => void): (() => void) | undefined {
    const first = store.runs.summary(id)
    if (first === undefined || FINAL_STATES.has(first.state) || stopped) return undefined
    let last = JSON.stringify(progressOfSummary(first))
    const timer = setInterval(() => {
      const now = store.runs.summary(id)
      if (now === undefined) return onEnd()
      const event = progressOfSummary(now)
      const said = JSON.stringify(event)
      if (said === last) return
      last = said
      listener(event)
    }, OTHER_PROCESS_POLL_MS)
    outsideStreams.add(onEnd)
    listener(progressOfSummary(first))
    return () => {
      clearInterval(timer)
      outsideStreams.delete(onEnd)
    }
  }

  function emit (run: ActiveRun, item?: RunItem): void {
    const event: RunProgressEvent = {
      state: run.state,
      total: run.total,
      counts: { ...run.counts },
      ...(Object.keys(run.userCounts).length === 0 ? {} : { userCounts: { ...run.userCounts } }),
      ...(item === undefined ? {} : { item })
    }
    run.events.emit('progress', event)
  }

  async function setState (id: string, run: ActiveRun, state: RunState): Promise<void> {
    // A run that has ended stays ended: a step that began before its end (a cancel whose own
    // record was still being written) cannot take it back to "cancelling" or "running".
    if (FINAL_STATES.has(run.state) && !FINAL_STATES.has(state)) return
    run.state = state
    await store.write((w) => { w.runs.setState(id, state) }, `run ${state}`)
    emit(run)
  }

  /** The clusters a run may ask, by their registry ids; undefined: every usable one. A cluster not known is a 400 naming `cluster`. */
  function scopeOf (input: RunInput): string[] | undefined {
    if (input.clusters === undefined) return undefined
    return input.clusters.map((id) => {
      if (clusters.definition(id) === undefined) {
        throw new BadRequestError('cluster', `Invalid field "cluster": there is no cluster "${id.slice(0, 64)}" (clusters: ${clusters.definitions().map((d) => d.settings.id).join(', ')}).`)
      }
      return clusters.require(id).id
    })
  }

  /** A selection by sessions, read fresh (or the one made before), within the run's clusters. */
  async function selectionOf (input: Extract<RunInput, { sessions: unknown }>): Promise<SessionSelection> {
    if (input.selection !== undefined) return input.selection
    if (options.inventory === undefined) throw new ServiceError('conflict', 'INVENTORY_NOT_CONFIGURED', 'A selection by sessions needs the inventory, which this process does not run.')
    const selection = await selectSessions(options.inventory, input.sessions, input.clusters)
    if (selection.sessions.length > MAX_RUN_ITEMS) {
      throw new BadRequestError('sessions', `Invalid field "sessions": the filters select ${selection.sessions.length} sessions, more than one run takes (${MAX_RUN_ITEMS}). Narrow them (a device pool, a longer time) and log out in parts.`)
    }
    return selection
  }

  /**
   * The devices of the run. A user list becomes the devices each user is on, on every cluster of
   * the run (looked up, audited); users logged in nowhere or unknown everywhere become items that
   * say so and are not sent. Sessions become their devices, each on its cluster.
   */
  async function resolve (caller: Caller, input: RunInput, runId?: string): Promise<{ wanted: Wanted[], settled: NewItem[], asOf?: AsOf }> {
    if ('located' in input) return { wanted: [...input.located], settled: [] }
    if ('sessions' in input) {
      const selection = await selectionOf(input)
      return { wanted: wantedOfSelection(selection), settled: [], asOf: selection.asOf }
    }
    if (!('users' in input)) return { wanted: wantedOf(input), settled: [] }
    const scope = scopeOf(input)
    const targets = scope === undefined ? clusters.list() : scope.map((id) => clusters.require(id))
    // Each cluster answers in the order asked, so the i-th answer of each is the same user. One that
    // cannot be asked stops nobody's logout elsewhere; when none answers, that is the failure.
    const settledAnswers = await Promise.allSettled(targets.map(async (c) => await c.em.usersDevices(caller, input.users, { runId })))
    const answers = settledAnswers.flatMap((a) => a.status === 'fulfilled' ? [a.value] : [])
    const silent = settledAnswers.flatMap((a, i) => {
      if (a.status === 'fulfilled') return []
      if (!(a.reason instanceof ActionError || a.reason instanceof ServiceError)) throw a.reason
      return [new ClusterFailure(targets[i]?.id ?? '?', clusters.said(targets[i]?.id ?? '?'), a.reason)]
    })
    if (answers.length === 0 && silent[0] !== undefined) throw silent[0]
    const wanted: Wanted[] = []
    const settled: NewItem[] = []
    uniqueNames(input.users).forEach((asked, i) => {
      const found = answers.map((answer) => answer[i]).filter((user) => user !== undefined)
      const userId = found.find((u) => u.exists)?.userId ?? asked
      const located = found.flatMap((u) => u.located)
      if (!found.some((u) => u.exists) && silent.length > 0) settled.push({ device: '', userId, outcome: 'not-run', message: `Not known to the clusters that answered, and it may be on one that could not be asked: ${silent.map((e) => e.message).join('; ')}` })
      else if (!found.some((u) => u.exists)) settled.push({ device: '', userId, outcome: 'not-found', message: 'CUCM does not know this user' })
      else if (located.length === 0 && silent.length > 0) settled.push({ device: '', userId, outcome: 'not-run', message: `Logged in on none of the clusters that answered, and may be on one that could not be asked: ${silent.map((e) => e.message).join('; ')}` })
      else if (located.length === 0) settled.push({ device: '', userId, outcome: 'empty', message: `${userId} is logged in nowhere: nothing to send` })
      for (const { deviceName, cluster } of located) wanted.push({ device: deviceName, user: userId, cluster })
    })
    return { wanted, settled }
  }

  /**
   * Looks devices up where they may be: a device that names its cluster on that cluster only, the
   * others on every cluster of the run (one look-up per cluster, in parallel, each audited there).
   */
  async function locate (caller: Caller, wanted: readonly Wanted[], scope: readonly string[] | undefined, runId?: string, unanswered?: Unanswered): Promise<Found> {
    const groups = new Map<string, string[]>()
    for (const w of wanted) {
      const key = w.cluster?.toLowerCase() ?? ''
      groups.set(key, [...groups.get(key) ?? [], w.device])
    }
    let answered = false
    let first: unknown
    const answers = await Promise.all([...groups].map(async ([key, names]) => {
      // A run asks every cluster by name, so that one that did not answer it can be left out (`unanswered`).
      const asked: ReadonlyArray<string | undefined> = key !== '' ? [key] : scope ?? (unanswered === undefined ? [undefined] : clusters.list().map((c) => c.id))
      const now = Date.now()
      const quiet = (cluster: string | undefined): { until: number, error: Error } | undefined => {
        const seen = cluster === undefined ? undefined : unanswered?.get(cluster.toLowerCase())
        return seen !== undefined && seen.until > now ? seen : undefined
      }
      // Left out only while another cluster is asked: alone, it is asked again (and the look-up retried).
      const leaveOut = asked.some((cluster) => quiet(cluster) === undefined)
      // A cluster that cannot be asked does not stop the others: what they found runs (issue #17),
      // whether the devices named their cluster, the run its clusters, or neither.
      const looked = await Promise.all(asked.map(async (cluster) => {
        const still = leaveOut ? quiet(cluster) : undefined
        if (still !== undefined) return { devices: [], unavailable: [still.error] }
        try {
          const found = await actions.deviceReports(caller, names, cluster, runId)
          answered = true
          if (cluster !== undefined) unanswered?.delete(cluster.toLowerCase())
          return found
        } catch (error) {
          if (!(error instanceof ActionError || error instanceof ServiceError || error instanceof ClusterFailure)) throw error
          first ??= error
          const failure = cluster === undefined || error instanceof ClusterFailure ? error : new ClusterFailure(cluster, clusters.said(cluster), error)
          if (cluster !== undefined) unanswered?.set(cluster.toLowerCase(), { until: Date.now() + UNANSWERED_CLUSTER_MS, error: failure })
          return { devices: [], unavailable: [failure] }
        }
      }))
      const byName = new Map<string, DeviceReport[]>()
      for (const status of looked.flatMap((l) => l.devices)) {
        if (status.exists !== true || status.cluster === null) continue
        const name = status.deviceName.toLowerCase()
        byName.set(name, [...byName.get(name) ?? [], status])
      }
      const silent = looked.flatMap((l) => l.unavailable).map((e) => e.message)
      return [key, { byName, silent: silent.length === 0 ? undefined : silent.join('; ') }] as const
    }))
    // No cluster answered at all: that is the look-up's failure (retried, then the run says so).
    if (!answered && first !== undefined) throw first
    const index = new Map(answers)
    return {
      on: (w) => index.get(w.cluster?.toLowerCase() ?? '')?.byName.get(w.device.toLowerCase()) ?? [],
      silent: (w) => index.get(w.cluster?.toLowerCase() ?? '')?.silent
    }
  }

  const multipleLoginsOf = (cluster: string): MultipleLogins | undefined => clusters.get(cluster)?.settings.multipleLogins

  /**
   * Where the users a login preview will log in are now, on the clusters that refuse or end a
   * second login (the others are not asked). A look-up that fails has its own audit record and
   * leaves the preview without the warning, not without its answer.
   */
  async function loggedInNow (caller: Caller, items: readonly PreviewItem[]): Promise<(cluster: string, user: string) => readonly string[]> {
    const users = new Map<string, Set<string>>()
    for (const { category, cluster, user } of items) {
      if (category !== 'will-login' || cluster === null || user === null || multipleLoginsOf(cluster) === 'allowed') continue
      users.set(cluster, (users.get(cluster) ?? new Set()).add(user))
    }
    const on = new Map<string, readonly string[]>()
    await Promise.all([...users].map(async ([cluster, ids]) => {
      try {
        for (const found of await clusters.require(cluster).em.usersDevices(caller, [...ids])) on.set(`${cluster.toLowerCase()}/${found.userId.toLowerCase()}`, found.devices)
      } catch (error) {
        log.warn({ err: error, cluster }, 'Run preview: where the users to log in are could not be looked up')
      }
    }))
    return (cluster, user) => on.get(`${cluster.toLowerCase()}/${user.toLowerCase()}`) ?? []
  }

  /** Looks every device up (chunked, audited) and sorts it into what a run would do with it. */
  async function preview (caller: Caller, input: RunInput): Promise<Preview> {
    const scope = scopeOf(input)
    const { wanted, settled, asOf } = await resolve(caller, input)
    const found = wanted.length === 0 ? NOTHING_FOUND : await locate(caller, wanted, scope)
    const classified = classify(input.action, wanted, found, settings.exemptionCheck())
    const items = [
      ...(input.action === 'login' ? withSecondLogins(classified, multipleLoginsOf, await loggedInNow(caller, classified)) : classified),
      ...settled.map((s) => ({ device: s.device, cluster: null, currentUser: null, user: s.userId, category: s.outcome === 'not-found' ? 'not-found' as const : s.outcome === 'not-run' ? 'unavailable' as const : 'empty' as const, reason: s.message }))
    ]
    return { action: input.action, items, counts: countBy(items.map((i) => i.category)), problems: [], ...(asOf === undefined ? {} : { asOf }) }
  }

  /** One chunk's look-up, tried again (LOOK_UP_RETRIES times, with backoff) before the run gives up on it; never once the run is cancelled or stopped. */
  async function lookUp (id: string, caller: Caller, part: readonly RunItem[], scope: readonly string[] | undefined, run: ActiveRun): Promise<{ found: Found } | { message: string }> {
    const wanted = part.map(wantedOfItem)
    for (let attempt = 0; ; attempt++) {
      try {
        return { found: await locate(caller, wanted, scope, id, run.unanswered) }
      } catch (error) {
        const said = lookUpFailure(error)
        if (said === undefined) log.error({ err: error, runId: id }, 'Run: a look-up failed with an internal error')
        const message = said ?? 'Internal error'
        if (attempt >= LOOK_UP_RETRIES || stopped || run.cancelling) return { message }
        log.warn({ runId: id, attempt: attempt + 1, error: message }, 'Run: a look-up failed; trying it again')
        await backoff(lookUpBackoffMs, attempt)
        // Cancelled meanwhile: CUCM is asked nothing the run will not use.
        if (run.cancelling) return { message }
      }
    }
  }

  /** What a run wants of one of its items, and where, when known. */
  function wantedOfItem (item: RunItem): Wanted {
    return { device: item.device, user: item.userId, ...(item.cluster === null ? {} : { cluster: item.cluster }) }
  }

  /**
   * What one item came to, on disk: a change's result is committed with its audit row; undefined
   * when it was not sent (the run was cancelled while it waited).
   */
  async function runItem (caller: Caller, id: string, action: RunAction, item: RunItem, run: ActiveRun): Promise<ItemResult | undefined> {
    const skip = (): boolean => run.cancelling
    const alongside: Alongside = (w, came) => { w.runs.finishItem(id, item.seq, came instanceof ActionError ? itemResult(came) : resultOf(came)) }
    try {
      // The cluster the look-up found it on; asked again now, as an edit may have replaced its client.
      const { em } = clusters.require(item.cluster ?? '')
      if (action === 'logout') return resultOf(await em.logoutDevice(caller, item.device, { runId: id, userId: item.userId, skip, alongside }))
      return resultOf(await em.loginDevice(caller, item.device, {
        userId: item.userId ?? '',
        ...(item.profile === null ? {} : { deviceProfile: item.profile }),
        ...(item.durationMinutes === null ? {} : { durationMinutes: item.durationMinutes }),
        ...(item.indefinite === true ? { indefinite: true } : {}),
        runId: id,
        skip,
        alongside
      }))
    } catch (error) {
      if (error instanceof ActionError) return itemResult(error)
      // Cancelled or stopped while it waited for a slot: it stays pending, and the end of the run says why.
      if (error instanceof NotSentError) return undefined
      // Its cluster was deleted or disabled during the run: before the change's turn (its record says it was not sent) or before it began.
      if (!(error instanceof ServiceError)) throw error
      const result: ItemResult = { outcome: 'not-run', message: `Not run: ${error.message.replace(/^Not sent: /, '')}`, auditId: error.auditId }
      await store.write((w) => { w.runs.finishItem(id, item.seq, result) }, 'run item not run')
      return result
    }
  }

  /**
   * Works a run's items off: the intake looks them up chunk by chunk (the next chunk while this
   * one runs, so the first logouts start after one look-up) and hands each to its cluster's lane;
   * each lane has its own workers, as many as its cluster's limiter allows twice over, so clusters
   * run side by side at their own speed. The intake looks further ahead only while some cluster
   * has nothing waiting (and at most WAITING_CAP items wait in all). A look-up that fails (after
   * its retries) ends the intake: its items and all later ones are not run.
   */
  async function execute (id: string, caller: Caller, input: RunInput, run: ActiveRun): Promise<void> {
    const scope = scopeOf(input)
    const { wanted, settled } = await resolve(caller, input, id)
    // Every item is written first, pending, so a run that stops half-way loses none of them.
    const items = await store.write((w) => {
      w.runs.addItems(id, [...newItems(wanted), ...settled])
      return w.runs.items(id)
    }, 'run items')
    run.total = items.length
    run.counts = countBy(items.map((i) => i.outcome))
    run.userCounts = countBy(items.filter((i) => i.device === '').map((i) => i.outcome))
    if (run.counts.pending === undefined && run.state === 'previewing') await setState(id, run, 'running')

    const lanes = new Map<string, { lane: Lane, workers: Array<Promise<void>> }>()
    let wakeIntake: (() => void) | undefined
    run.wake = () => { wakeIntake?.() }
    const worker = async (lane: Lane): Promise<void> => {
      while (!run.cancelling) {
        const item = await lane.take()
        if (item === undefined || run.cancelling) return
        run.wake()
        const result = await runItem(caller, id, input.action, item, run)
        // Not sent: it stays pending, and the end of the run says why.
        if (result === undefined) return
        settle(run, result.outcome)
        emit(run, { ...item, ...result, emapiCode: result.emapiCode ?? null, auditId: result.auditId ?? null, finishedAt: new Date().toISOString() })
      }
    }
    const laneOf = (cluster: string): Lane => {
      const key = cluster.toLowerCase()
      const existing = lanes.get(key)
      if (existing !== undefined) return existing.lane
      const lane = new Lane()
      // Twice as many workers as EMAPI slots: while one worker writes its item's results, another
      // already holds the freed slot. The cluster's EmService limiter still caps what reaches CUCM.
      const slots = clusters.get(cluster)?.settings.maxConcurrency ?? options.concurrency ?? 1
      lanes.set(key, { lane, workers: Array.from({ length: Math.max(1, slots * 2) }, async () => { await worker(lane) }) })
      return lane
    }
    /** Some cluster waits for work (or none has any yet), and not too much waits in all. */
    const hungry = (): boolean => {
      const waiting = [...lanes.values()].map((l) => l.lane.waiting.length)
      return waiting.length === 0 || (waiting.some((n) => n === 0) && waiting.reduce((a, b) => a + b, 0) < WAITING_CAP)
    }

    const intake = async (): Promise<string | undefined> => {
      const exempt = settings.exemptionCheck()
      const parts = chunk(items.filter((i) => i.outcome === 'pending'), QUERY_CHUNK)
      let ahead: ReturnType<typeof lookUp> | undefined
      for (const [k, part] of parts.entries()) {
        // After a cancel nothing more is looked up: CUCM is asked nothing the run will not use.
        if (run.cancelling) return undefined
        const found = await (ahead ?? lookUp(id, caller, part, scope, run))
        if ('message' in found) return found.message
        const next = parts[k + 1]
        ahead = next === undefined || run.cancelling ? undefined : lookUp(id, caller, next, scope, run)
        const planned = classify(input.action, part.map(wantedOfItem), found.found, exempt).map((p, i): RunItem => ({ ...part[i] as RunItem, ...planOf(input.action, p) }))
        const settledAt = await store.write((w) => w.runs.previewItems(id, planned), 'run items looked up')
        for (const item of planned.filter((i) => i.outcome !== 'pending')) {
          settle(run, item.outcome)
          emit(run, { ...item, finishedAt: settledAt })
        }
        if (run.state === 'previewing') await setState(id, run, 'running')
        for (const item of planned.filter((i) => i.outcome === 'pending')) laneOf(item.cluster ?? '').push([item])
        while (!hungry() && !run.cancelling) await new Promise<void>((resolve) => { wakeIntake = resolve })
        wakeIntake = undefined
      }
      return undefined
    }

    let failed: string | undefined
    try {
      failed = await intake()
    } finally {
      for (const { lane } of lanes.values()) lane.close()
    }
    await Promise.all([...lanes.values()].flatMap((l) => l.workers))
    if (failed !== undefined && !run.cancelling) {
      const left = await store.write((w) => w.runs.endPending(id, 'not-run', `Not run: the look-up before it failed: ${failed}`), 'run items not run')
      settle(run, 'not-run', left)
      emit(run)
    }
    await end(id, run)
    // The clusters it sent changes to: their inventories read the last ones soon, not 30 s later.
    options.inventory?.changesEnded([...lanes.keys()])
  }

  /**
   * The run's last state: the items it did not reach say why, the state says how it ended, and
   * one `bulk-run` audit record sums it up (recordSummary), in the same write, whoever started it
   * (the dashboard, the CLI, a schedule).
   */
  async function end (id: string, run: ActiveRun): Promise<void> {
    if (run.ended !== undefined) return
    run.ending = true
    if (run.cancelling) {
      const [outcome, message] = run.stopping
        ? ['not-run', stoppedWords(stoppedBy).rest] as const
        : ['cancelled', 'Not run: the run was cancelled.'] as const
      const left = await store.write((w) => w.runs.endPending(id, outcome, message), 'run items not run')
      settle(run, outcome, left)
    }
    const state = run.stopping ? 'interrupted' : run.cancelling ? 'cancelled' : 'done'
    run.ended = await store.write((w) => {
      w.runs.setState(id, state)
      return recordSummary(w, id)
    }, `run ${state}`)
    run.state = state
    emit(run)
  }

  /** EM caches login state for about two minutes, so the re-check comes after a delay (PROTOCOL.md §5); each device on its own cluster. */
  async function verify (id: string, caller: Caller, action: RunAction): Promise<void> {
    const sent = store.runs.items(id).filter((i) => SENT_OUTCOMES.includes(i.outcome))
    try {
      const found = await locate(caller, sent.map(wantedOfItem), undefined, id)
      // A device on a cluster that could not be asked is not checked: not seen is not logged out.
      // Those not checked are said, with why, beside the count of those checked (which alone read as all of them).
      const checked: RunItem[] = []
      const why = new Set<string>()
      for (const item of sent) {
        const wanted = wantedOfItem(item)
        const silent = found.on(wanted).length > 0 ? undefined : found.silent(wanted)
        if (silent === undefined) checked.push(item)
        else why.add(silent)
      }
      const unchecked = sent.length - checked.length
      await store.write((w) => {
        if (unchecked > 0) w.runs.failVerification(id, `Not re-checked: ${unchecked} ${unchecked === 1 ? 'device, its cluster' : 'devices, their cluster'} could not be asked: ${[...why].join('; ')}`)
        w.runs.recordVerification(id, checked.map((item) => {
          const on = found.on(wantedOfItem(item))
          const current = on.length === 1 ? on[0]?.currentUser ?? null : null
          const verified = action === 'logout' ? current === null : current?.toLowerCase() === item.userId?.toLowerCase()
          return { seq: item.seq, verified }
        }))
      }, 'run re-checked')
    } catch (error) {
      const said = lookUpFailure(error)
      // CUCM down or refusing is an outage, said in its words (as a run's look-up says it): only
      // a fault of ours is an error with its stack (whose cause would hold the request sent).
      if (said === undefined) log.error({ err: error, runId: id }, 'Run: the re-check failed with an internal error')
      else log.warn({ runId: id, error: said }, `Run: the re-check failed: ${said} Once CUCM answers, look the devices up again to see who is still logged in.`)
      const reason = said ?? 'Internal error: see the server log.'
      await store.write((w) => { w.runs.failVerification(id, `The re-check failed: ${reason}`) }, 'run re-check failed')
    }
    const run = active.get(id)
    if (run !== undefined) emit(run)
  }

  /**
   * After a run ends: its re-check, if it sent anything (a cancelled run too: what it did send is
   * checked like a finished one's). One that will not be re-checked says why at once, so its page
   * does not wait for ever; a run done without sending anything (its look-up failed, every device
   * unknown or nobody on it) has nothing to re-check: its page said "Re-check pending", then a
   * green "0 of 0 devices confirmed logged out".
   */
  async function afterRun (id: string, run: ActiveRun, caller: Caller, action: RunAction, afterMs: number): Promise<void> {
    const sentAny = SENT_OUTCOMES.some((outcome) => (run.counts[outcome] ?? 0) > 0)
    if (sentAny && (run.state === 'done' || run.state === 'cancelled')) {
      scheduleVerification(id, caller, action, afterMs)
      return
    }
    const reason = run.state === 'done'
      ? 'Not re-checked: no login or logout was sent.'
      : run.state === 'cancelled' ? 'Not re-checked: the run was cancelled before any change was sent.' : 'Not re-checked: the run stopped before its end. Look the devices up again.'
    await store.write((w) => { w.runs.failVerification(id, reason) }, 'run not re-checked')
    emit(run)
  }

  function scheduleVerification (id: string, caller: Caller, action: RunAction, afterMs: number): void {
    verifications.set(id, setTimeout(() => {
      verifications.delete(id)
      verify(id, caller, action).catch((error: unknown) => { log.error({ err: error, runId: id }, 'Run: the re-check could not be recorded') })
    }, afterMs))
  }

  /**
   * Records a new run, or refuses it (503) while the database refuses writes past recordWaitMs: the
   * request is answered in time, and a run given up is never created when the database takes
   * the write later (it would start with nobody waiting, and a second request would make two).
   */
  async function createdInTime (run: () => Parameters<Writes['runs']['create']>[0]): Promise<void> {
    const claim: { state: 'waiting' | 'written' | 'given up' } = { state: 'waiting' }
    const written = store.write((w) => {
      if (claim.state === 'given up') return
      w.runs.create(run())
      claim.state = 'written'
    }, 'run created')
    const waitMs = options.recordWaitMs ?? 15_000
    const first = await within(written, waitMs)
    // Written in the same turn as the time ran out: committed, or about to be.
    if (first !== undefined || claim.state === 'written') {
      await written
      return
    }
    claim.state = 'given up'
    written.catch((error: unknown) => { log.error({ err: error }, 'Run: a start given up could not be dropped from the queue') })
    throw new ServiceError('unavailable', 'AUDIT_UNAVAILABLE', `The run could not be recorded within ${Math.round(waitMs / 1000)} s, so it was not started: the database refuses writes (another program holds its lock, or the disk is full).`,
      { action: freeTheDatabase('start the run again') })
  }

  /** What a run by sessions selected by, in words, recorded with it: its filters, and when the inventory was read. */
  function selectedBy (input: RunInput): { selection?: string } {
    if ('sessions' in input && input.selection !== undefined) return { selection: `${describeSelection(input.sessions, clusters.said)} (${inventoryNote(input.selection, clusters.said)})` }
    if ('located' in input && input.previewedFrom !== undefined) return { selection: `${describeSelection(input.previewedFrom, clusters.said)}, as previewed` }
    return {}
  }

  async function start (caller: Caller, asked: RunInput, runOptions: RunOptions = {}): Promise<string> {
    if (stopped) throw new ServiceError('conflict', 'RUN_FINISHED', 'The server is stopping: start the run again once it is back.')
    const scope = scopeOf(asked)
    // A selection by sessions is made before the run exists, so a refusal (no AXL, a failed refresh) answers the request.
    const input: RunInput = 'sessions' in asked ? { ...asked, selection: await selectionOf(asked) } : asked
    const id = randomUUID()
    const verifyAfterMs = runOptions.verifyAfterMs ?? defaultVerifyAfterMs
    // A run of one cluster names it in its summary record (a run of every cluster, where there is one, too: History
    // filtered by it shows the run); a run by sessions, the one cluster its selection read.
    const only = 'sessions' in input && input.selection !== undefined ? selectionCluster(input.selection) : soleCluster(scope ?? clusters.list().map((c) => c.id))
    const words = { ...clusterField(only), ...wordsOfInput(input, clusters.said), ...runOptions.summary }
    await createdInTime(() => ({ id, action: input.action, trigger: caller.trigger, actor: caller.actor, clientIp: caller.clientIp, parentRunId: runOptions.parentRunId, retryScope: runOptions.retryScope, verifyAfterMs: verifyAfterMs > 0 ? verifyAfterMs : undefined, ...selectedBy(input), clusters: scope, words }))
    // Stopped while its record was written (a stop asked between the check above and now): it ends
    // at once, interrupted, its items not run, rather than run on after the stop.
    const run: ActiveRun = { state: 'previewing', total: 0, counts: {}, userCounts: {}, cancelling: stopped, stopping: stopped, ending: false, events: new EventEmitter(), done: Promise.resolve(), wake: () => {}, unanswered: new Map() }
    run.events.setMaxListeners(100)
    active.set(id, run)
    run.done = execute(id, caller, input, run).catch(async (error: unknown) => {
      log.error({ err: error, runId: id }, 'Run: stopped on an internal error')
      run.cancelling = true
      run.stopping = true
      await end(id, run).catch((e: unknown) => { log.error({ err: e, runId: id }, 'Run: its last state could not be recorded') })
    }).finally(() => {
      if (verifyAfterMs > 0 && !stopped) afterRun(id, run, caller, input.action, verifyAfterMs).catch((error: unknown) => { log.error({ err: error, runId: id }, 'Run: why it is not re-checked could not be recorded') })
      // Live progress is kept a while for late subscribers and the re-check, then only the database answers.
      setTimeout(() => active.delete(id), verifyAfterMs + 60_000).unref()
    })
    return id
  }

  /** A person's action on a run, in the audit trail like every other (cancel, retry). */
  async function recordAction (caller: Caller, action: 'run-cancel' | 'run-retry', runId: string, message: string): Promise<void> {
    await store.write((w) => { w.audit.record({ ...caller, action, runId }, { outcome: 'success', message }) }, action)
  }

  /** See `retry`: one retry of a run's items of `scope`, refused when an earlier one took them. */
  async function retryOnce (caller: Caller, id: string, scope: RetryScope, runOptions: RunOptions): Promise<string | undefined> {
    const summary = store.runs.summary(id)
    if (summary === undefined) return undefined
    // Its items of a scope are taken once, all of them: a retry before its end would leave those failing after it to nobody.
    if (!FINAL_STATES.has(summary.state)) throw new ServiceError('conflict', 'NOTHING_TO_RETRY', `Run ${shortRunId(id)} has not ended (${summary.state}): its items are sent again once it has, all at once.`, { action: 'Wait for its end, or cancel it, then retry.' })
    const wanted = store.runs.items(id).filter((i) => SCOPE_OUTCOMES[scope].includes(i.outcome) && i.device !== '')
    if (wanted.length === 0) return undefined
    const earlier = store.runs.retryOf(id, scope)
    if (earlier !== undefined) throw retriedAlready(id, scope, earlier)
    // Each item again on the cluster it went to, and for the user it was for: the one to log in,
    // or the one the run found on the phone (someone who sat down since is left alone; a run of
    // users or of picked sessions stays a logout of those users only). A run asked for some
    // clusters (one or several) is retried on those only: its items not reached were never
    // looked up (no cluster yet), and are not looked for elsewhere, on a cluster added since
    // neither. Its summary record names the cluster its run's names, if any. A cluster deleted
    // since is left out with its items, and the new run's summary and the retry's record say so;
    // when nothing is left, the retry is refused.
    const isGone = (cluster: string | null): boolean => cluster !== null && clusters.definition(cluster) === undefined
    const scoped = store.runs.clusterScope(id)
    const gone = uniqueNames([...scoped ?? [], ...wanted.map((i) => i.cluster ?? '')].filter((c) => c !== '' && isGone(c)))
    const asked = scoped?.filter((cluster) => !isGone(cluster))
    const again = wanted.filter((i) => !isGone(i.cluster))
    if (gone[0] !== undefined && (again.length === 0 || asked?.length === 0)) {
      throw new ServiceError('conflict', 'CLUSTER_UNAVAILABLE', `Run ${id} acted on cluster "${gone[0]}", which no longer exists: its items cannot be sent there again.`, { action: 'Start a new run of those devices on a cluster there is now.' })
    }
    const leftOut = gone.length === 0 ? undefined : leftOutText(gone, wanted.length - again.length)
    const named = store.runs.summaryWords(id)?.words.cluster
    const input: RunInput = {
      ...(asked === undefined ? {} : { clusters: asked }),
      action: summary.action,
      located: again.map((i) => ({
        device: i.device,
        user: i.userId,
        ...(i.cluster === null ? {} : { cluster: i.cluster }),
        ...(i.profile === null ? {} : { profile: i.profile }),
        ...(i.durationMinutes === null ? {} : { durationMinutes: i.durationMinutes }),
        ...(i.indefinite === true ? { indefinite: true as const } : {})
      }))
    }
    // Re-checked as its run was: after the same delay, or not at all when none was asked.
    const verifyAfterMs = summary.verifyAt === null || summary.finishedAt === null ? 0 : Date.parse(summary.verifyAt) - Date.parse(summary.finishedAt)
    const newId = await start(caller, input, { verifyAfterMs, ...runOptions, parentRunId: id, retryScope: scope, summary: { ...clusterField(named), title: retryTitle(scope, id), ...(leftOut === undefined ? {} : { note: leftOut }), ...runOptions.summary } })
    await recordAction(caller, 'run-retry', newId, `${scope === 'failed' ? 'Retried the failed items' : 'Ran the items not reached'} (${again.length}) of run ${id} as run ${newId}${leftOut === undefined ? '' : `, ${leftOut}`}.`)
    return newId
  }

  /** See `stop`: ends every run once. */
  async function stopRuns (): Promise<void> {
    stopped = true
    for (const [id, run] of active) {
      if (FINAL_STATES.has(run.state)) continue
      run.stopping = true
      if (!run.cancelling) {
        run.cancelling = true
        run.state = 'cancelling'
        emit(run)
      }
      run.wake()
      log.info({ runId: id }, 'Run: stopping with the server')
    }
    // Their EMAPI calls in flight answer, or the server's stop aborts them (plugins/runtime.ts).
    const ending = [...active].filter(([, run]) => run.stopping)
    const final = async (): Promise<void> => {
      await Promise.all([...active.values()].map(async (run) => await run.done))
      for (const [id, run] of ending) log.info({ runId: id, counts: run.counts }, `Run: stopped with the server (${countsText(run.counts)}); "Run the rest" sends the items not run`)
      for (const [id, timer] of verifications) {
        clearTimeout(timer)
        await store.write((w) => { w.runs.failVerification(id, 'Not re-checked: the server stopped before the re-check was due. Look the devices up again.') }, 'run re-check dropped')
      }
      verifications.clear()
    }
    if (await within(final(), STOP_DEADLINE_MS) === undefined) log.error({ deadlineMs: STOP_DEADLINE_MS }, 'Runs: not every row could be made final in time (the database refuses writes?); the store now saves what it can and names the rest')
  }

  return {
    preview,

    /** Starts a run in the background and answers with its id once the run is on disk. */
    start,

    /** A run with the first page of its items, and the runs that retried it. */
    get (id: string) {
      const summary = store.runs.summary(id)
      return summary === undefined ? undefined : { ...summary, ...store.runs.itemsPage(id, { limit: RUN_ITEMS_PAGE }), retries: store.runs.retries(id) }
    },
    /** A page of a run's items, optionally only one outcome or the items of a retry scope. */
    items (id: string, query: { outcome?: RunItemOutcome | RetryScope, after?: number, limit?: number }): RunItemsPage {
      const outcomes = query.outcome === undefined ? undefined : (SCOPE_OUTCOMES as Partial<Record<string, readonly RunItemOutcome[]>>)[query.outcome] ?? [query.outcome as RunItemOutcome]
      return store.runs.itemsPage(id, { outcomes, after: query.after, limit: query.limit ?? RUN_ITEMS_PAGE })
    },
    /** Every item, for the results CSV (a run has at most MAX_RUN_ITEMS). */
    allItems: (id: string) => store.runs.items(id),
    summary: (id: string) => store.runs.summary(id),
    recent: (limit: number) => store.runs.recent(limit),
    /** A page of the runs, the latest first, after the page that ended with `before`. */
    page (limit: number, before?: string): { runs: RunSummary[], nextBefore: string | null } {
      if (before !== undefined && store.runs.summary(before) === undefined) throw new BadRequestError('before', `Invalid query parameter "before": there is no run ${before.slice(0, 64)}. Pass the nextBefore of the page before.`)
      const page = store.runs.recent(limit + 1, before)
      return { runs: page.slice(0, limit), nextBefore: page.length > limit ? page[limit - 1]?.id ?? null : null }
    },

    /** Stops taking new items; the ones in flight finish. Returns false when the run is not running; a run of an em-console command is refused (RUN_OF_COMMAND). */
    async cancel (caller: Caller, id: string): Promise<boolean> {
      const run = active.get(id)
      // Not ended, and not this process's: an em-console command works it through, and only it can stop it.
      const elsewhere = run === undefined ? store.runs.summary(id) : undefined
      if (elsewhere !== undefined && !FINAL_STATES.has(elsewhere.state)) {
        throw new ServiceError('conflict', 'RUN_OF_COMMAND', `Run ${shortRunId(id)} is worked through by an em-console command (another process, started by ${elsewhere.actor}), not by this server, which cannot cancel it.`,
          { action: 'Stop that command where it runs (Ctrl-C, or SIGTERM): what it has not sent then ends not run, and "Run the rest" sends it.' })
      }
      if (run === undefined || FINAL_STATES.has(run.state) || run.cancelling || run.ending) return false
      run.cancelling = true
      // The state first: the run may end (cancelled) before the cancel's own record is written.
      const cancelling = setState(id, run, 'cancelling')
      run.wake()
      await Promise.all([cancelling, recordAction(caller, 'run-cancel', id, `Cancelled run ${id}: items not yet sent will not be.`)])
      return true
    },

    /**
     * A new run, linked to the first, of the items that failed (`failed`: sent and did not surely
     * work) or of those the run never reached (`rest`). Items not sent by choice (empty, excluded,
     * not found, duplicate) are never run again, nor are items of a scope an earlier retry took
     * (a conflict naming that retry).
     */
    async retry (caller: Caller, id: string, scope: RetryScope = 'failed', runOptions: RunOptions = {}): Promise<string | undefined> {
      // Two at once (two admins, a double click): the second waits until the first's run is on
      // disk (or refused), then finds it; no await between that and its own claim.
      const claim = `${id}/${scope}`
      for (let busy = retrying.get(claim); busy !== undefined; busy = retrying.get(claim)) await busy.catch(() => {})
      const retried = retryOnce(caller, id, scope, runOptions)
      retrying.set(claim, retried)
      try {
        return await retried
      } finally {
        if (retrying.get(claim) === retried) retrying.delete(claim)
      }
    },

    /**
     * Live progress of a run, of this process or (read from the database) of an em-console
     * command's; `undefined` when there is no such run or it has ended. `onEnd` is called when the
     * server stops, so the stream can close instead of holding the shutdown.
     */
    subscribe (id: string, listener: (event: RunProgressEvent) => void, onEnd: () => void = () => {}): (() => void) | undefined {
      const run = active.get(id)
      if (run === undefined) return watch(id, listener, onEnd)
      run.events.on('progress', listener)
      run.events.on('end', onEnd)
      emit(run)
      return () => {
        run.events.off('progress', listener)
        run.events.off('end', onEnd)
      }
    },

    /** Ends every live progress stream (the first step of a shutdown). */
    endStreams (): void {
      for (const run of active.values()) run.events.emit('end')
      for (const end of [...outsideStreams]) end()
    },

    /**
     * Stops every run: no new items, those in flight finish (their EMAPI calls answer, or the
     * server's stop aborts them after a grace period and they are recorded as interrupted), the rest end `not-run` with the
     * reason; pending re-checks are marked as not done. Resolves when every row is final, or after
     * STOP_DEADLINE_MS while the database refuses their writes (the store's close then logs each
     * write it cannot save): a stop that waited on them was cut short before that was said.
     * `by`: the server's stop, or the em-console command's (a signal), as the items not run say it.
     * No look-up is tried again from its first (synchronous) step on, so it comes before the
     * EMAPI requests in flight are aborted.
     */
    async stop (by: Stopper = 'server'): Promise<void> {
      // Asked twice (the app's preClose, then the runtime's close): the second waits for the first.
      if (stopping === undefined) stoppedBy = by
      stopping ??= stopRuns()
      await stopping
    },

    /**
     * At boot, before anything else runs: runs a stopped or crashed server left unfinished become
     * `interrupted`. Their items whose request was sent (a pending audit row) may have been carried
     * out, and say so with a link to that row; the others were not run. Re-checks left waiting are
     * marked as not done.
     */
    async markInterrupted (): Promise<{ runs: number, verifications: number }> {
      return await store.write((w) => {
        const ids = w.runs.unfinished()
        interruptRuns(w, ids, 'server')
        const verifications = w.runs.failLostVerifications('Not re-checked: the server restarted before the re-check was done. Look the devices up again.')
        return { runs: ids.length, verifications }
      }, 'runs interrupted at start')
    },

    /**
     * While the server runs: runs of an em-console command killed outright (kill -9, out of
     * memory) become `interrupted` as a crashed server's do at the next start, not `running` until
     * then. Returns how many.
     */
    async markGoneInterrupted (): Promise<number> {
      if (store.runs.unfinishedOfGone().length === 0) return 0
      return await store.write((w) => {
        const ids = w.runs.unfinishedOfGone()
        interruptRuns(w, ids, { command: 'killed' })
        return ids.length
      }, 'runs of a gone command interrupted')
    },

    isFinal: (state: RunState): boolean => FINAL_STATES.has(state),

    /**
     * Resolves when a run of this process has ended and every row of it is final, with its summary
     * record; undefined when its end could not be recorded (logged) or it is not a run of this process.
     */
    async finished (id: string): Promise<RunEnd | undefined> {
      const run = active.get(id)
      await run?.done
      return run?.ended
    }
  }
}
