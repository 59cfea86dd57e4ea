import { randomUUID } from 'node:crypto'
import { answeredTheProbe, EmapiError, isEmapiFailure, type ExclusiveDuration } from '@em-console/shared/emapi'
import { displayDeviceName, utcText } from '@em-console/shared/display'
import { uniqueNames } from '@em-console/shared/rules'
import { NOT_SENT, type FinishedEntry } from '../audit/audit-repository.js'
import type { ActionResult, AuditAction, ClusterSource, DeviceLogoutResult, DeviceStatus, Health, MultipleLogins, Trigger, UserDeviceProfiles, UserDevices, UserLogoutResult } from '@em-console/shared/schemas'
import type { EmapiCall } from '../emapi/context.js'
import type { EmapiClient } from '../emapi/client.js'
import { silentLog, type Log } from '../log.js'
import type { Store, Writes } from '../store/store.js'
import { inSettingsWords } from '../setting-words.js'
import { emapiAction, emapiProblem, GATEWAY_STATUSES } from '../emapi/actions.js'
import { ActionError, freeTheDatabase, LogoutAllRunningError, NotSentError, sentence, sentences, ServiceError } from './errors.js'
import { AdaptiveLimiter, backoff, chunk, Limiter, mapLimited, RAISE_AFTER_MS, within } from './limiter.js'
import { stoppedText, type Stopper } from './stopper.js'
import { loggedOutLately, STATUS_LAG_WORDS } from './device-facts.js'

/**
 * How many halvings a query refused without a code is split into before any part of it is
 * answered (quarters): past them, the refusal is taken to be the whole query's.
 */
const UNANSWERED_DEPTH = 2

/** Who asked for an action and how; every audit row carries it. */
export interface Caller {
  actor: string
  trigger: Trigger
  clientIp?: string
}

export interface EmServiceOptions {
  client: EmapiClient
  store: Store
  log?: Log
  /** Login/logout requests in flight at once, across the whole server (CUCM's throttle, PROTOCOL.md §5). */
  maxConcurrency: number
  /** CUCM's Multiple Login Behavior on this cluster, as the admin says it is set (default: CUCM's, not-allowed). */
  multipleLogins?: MultipleLogins
  timeoutMs: number
  /** Retries of code 26 (busy) and the first backoff; doubled each time, with jitter. */
  busyRetries?: number
  busyBackoffMs?: number
  healthCacheMs?: number
  /** The cluster this service talks to; every audit row it writes and every answer names it (issue #17). */
  clusterId: string
  /** The cluster in words meant for a person (registry.said): its name, as of the moment asked; its id by default. */
  clusterSaid?: () => string
  /** Told after a change that CUCM carried out or may have (its inventory reads the cluster again); must not throw. */
  changed?: () => void
  /** Where the cluster's settings come from: its errors name the environment's keys, or the dashboard's fields. */
  source?: ClusterSource
  /**
   * The cluster's slots and its client of the moment, shared by every EmService the cluster has
   * had (registry.ts): an edit replaces the service, and a change that waited for a slot is sent
   * with the settings in force when its turn comes, within the one cap (`client` throws a
   * ServiceError once the cluster is deleted or disabled: the change is not sent, and is refused
   * with that error's code, its record `interrupted` NOT_SENT). Without it:
   * a limiter of its own and `client`.
   */
  line?: { changes: AdaptiveLimiter, client: () => EmapiClient }
  /** Starts a background health probe (the registry's `oneStartPerTurn`, shared by its clusters); by default in the next turn. */
  startProbe?: (start: () => void) => void
}

/**
 * The client, its errors said in the words of the cluster's settings (setting-words.ts): their
 * message, and for CUCM's failures what to do (the catalogue names the environment's keys). Said
 * here once, so whoever reports the error (the API, the CLI, a schedule's record) has them.
 */
function inOwnWords (client: EmapiClient, source: ClusterSource): EmapiClient {
  if (source === 'environment') return client
  const said = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await call(...args)
    } catch (error) {
      if (error instanceof EmapiError) error.message = inSettingsWords(error.message, source)
      // A copy: the catalogue's entry is every cluster's.
      if (isEmapiFailure(error)) error.info = { ...error.info, action: inSettingsWords(error.info.action, source) }
      throw error
    }
  }
  // Every call of the client, whichever are added later.
  return Object.fromEntries(Object.entries(client).map(([name, value]) => [name, typeof value === 'function' ? said(value as (...args: unknown[]) => Promise<unknown>) : value])) as EmapiClient
}

/** Device names per deviceUserQuery: the limit is undocumented, so long look-ups are chunked. */
export const QUERY_CHUNK = 50
const QUERY_CONCURRENCY = 4
const HEALTH_PROBE_DEVICE = 'EMConsoleHealthProbe'
/**
 * How long an ask waits for a cluster's first probe before it answers "checking": a CUCM that does
 * not answer held the dashboard's first look after a start, and the Add dialog, for the cluster's
 * whole time limit (15 s by default). A healthy CUCM answers within a second, TLS handshake included.
 */
const HEALTH_FIRST_WAIT_MS = 2000
/** Said with a refused application user's fix: why the dashboard and monitoring no longer probe. */
const CREDENTIALS_PAUSED = 'EM Console sends them again only when a person checks (Check now) or the settings change, not on its own (health polls, monitoring checks): CUCM\'s credential policy may lock a user after a few failed sign-ins.'

/**
 * Starts what it is given one per event-loop turn, in the order given (the registry's background
 * health probes: a poll past the cache time sets every cluster probing, and 30 clusters' new TLS
 * connections started in one turn held the loop ~30 ms after the health answer; between two
 * starts, the requests that arrived meanwhile are served). `drop` forgets what has not started.
 */
export function oneStartPerTurn (): { start: (start: () => void) => void, drop: () => void } {
  const waiting: Array<() => void> = []
  let turnAsked = false
  const next = (): void => {
    waiting.shift()?.()
    turnAsked = waiting.length > 0
    if (turnAsked) setImmediate(next)
  }
  return {
    start: (start) => {
      waiting.push(start)
      if (!turnAsked) setImmediate(next)
      turnAsked = true
    },
    drop: () => { waiting.length = 0 }
  }
}

/** What to look up to learn what a change sent without an answer did: a logout of all users has no device of its own. */
function lookUp (target: Target): string {
  if (target.action === 'logout-all') return 'look up who is still logged in'
  return `look the device${target.devices?.length === 1 ? '' : 's'} up`
}

/** How long a record's write is waited for once a stop aborted what is in flight: a database that takes writes commits it well within. */
const STOPPED_RECORD_WAIT_MS = 250

/**
 * What an exchange cut short by our own stop says: the process that stopped (stopper.ts), then what
 * that means: a change may have been carried out (look it up to be sure); a look-up changed nothing
 * and CUCM did not fail it.
 */
function interruptedMessage (by: Stopper, cut: Target | 'look-up'): string {
  const meaning = cut === 'look-up' ? 'the look-up was cut short. It changes nothing on CUCM.' : `CUCM may have carried this out; ${lookUp(cut)} to be sure.`
  return `${stoppedText(by)} while waiting for CUCM's answer: ${meaning}`
}

interface Target {
  action: AuditAction
  devices?: readonly string[]
  userId?: string
  runId?: string
}

export type EmService = ReturnType<typeof createEmService>

/** Writes committed with a change's outcome, in its transaction: a run's item result (issue #14, P2). */
export type Alongside = (w: Writes, came: ActionResult | ActionError) => void

/** A user ID CUCM does not know, as every refusal of it says. */
function unknownUser (userId: string): string {
  return `CUCM has no user ${userId}.`
}

function describe (error: EmapiError): { outcome: 'failure' | 'error', emapiCode?: number, message: string } {
  if (isEmapiFailure(error)) return { outcome: 'failure', emapiCode: error.emapiCode, message: error.message }
  return { outcome: 'error', message: error.message }
}

/**
 * Failures after which a change may have been carried out: the request may have reached the
 * service, and no answer says what it did (none in time, the connection dropped, or one that
 * cannot be read). A refused connection, a certificate or CUCM's own <failure> say it was not.
 */
const WITHOUT_OUTCOME: ReadonlySet<EmapiError['code']> = new Set(['EMAPI_TIMEOUT', 'EMAPI_UNREACHABLE', 'EMAPI_BAD_XML', 'EMAPI_TOO_LARGE'])
/** How a health answer is asked for: `fresh`, never one past the probes' cache time; `asked`, a person's check, sent even after CUCM refused the credentials. */
export interface HealthAsk { fresh?: boolean, asked?: boolean }

/**
 * HTTP error pages that say no more than the above (PROTOCOL.md §1 calls every status but 200 a
 * transport failure): the service failed part-way (500), or a proxy in front of CUCM lost its
 * answer (502, 504). The others refuse the request before it is carried out (4xx, 501, 503, 505).
 */
const WITHOUT_OUTCOME_STATUSES: ReadonlySet<number> = new Set([500, ...GATEWAY_STATUSES])

function mayHaveHappened (error: EmapiError): boolean {
  if (error.requestSent === false) return false
  return WITHOUT_OUTCOME.has(error.code) || (error.code === 'EMAPI_HTTP_STATUS' && WITHOUT_OUTCOME_STATUSES.has(error.httpStatus ?? 0))
}

export function createEmService (options: EmServiceOptions) {
  const { store } = options
  const source = options.source ?? 'environment'
  const client = inOwnWords(options.client, source)
  const cluster = options.clusterId
  const said = options.clusterSaid ?? (() => cluster)
  const multipleLogins = options.multipleLogins ?? 'not-allowed'
  const log = options.log ?? silentLog
  const changes = options.line?.changes ?? new AdaptiveLimiter(options.maxConcurrency)
  const startProbe = options.startProbe ?? ((start: () => void) => { setImmediate(start) })
  /**
   * The queries of look-ups of many names (a bulk preview, a pasted list), together on this
   * cluster: each such request used to have four at a time of its own, so requests sent together
   * (5,000 names is 100 queries) multiplied what CUCM was asked at once.
   * A look-up of one query waits for none (CUCM's throttle counts logins and logouts, PROTOCOL.md
   * §5, and ten people's look-ups must not queue behind each other).
   */
  const bulkQueries = new Limiter(QUERY_CONCURRENCY)
  const queriesOf = (chunks: readonly unknown[]): Limiter => chunks.length > 1 ? bulkQueries : new Limiter(1)
  const busyRetries = options.busyRetries ?? 4
  const busyBackoffMs = options.busyBackoffMs ?? 250
  let health: { at: number, value: Health['emapi'] } | undefined
  let probing: Promise<Health['emapi']> | undefined
  /**
   * The first probe an ask waited HEALTH_FIRST_WAIT_MS for and answered "checking": the asks after
   * it do not wait for it again. A later first probe (the last answer forgotten: CUCM took a refused
   * application user) is waited for anew.
   */
  let waitedFor: Promise<Health['emapi']> | undefined
  /** Ends the probe on its way once this service's cluster is closed (dropProbes): no one reads its answer. */
  const probesDropped = new AbortController()
  /**
   * The last probe's application user was refused (code 2 or 3): no poll or monitoring check
   * sends it again, only a person's check (`asked`). CUCM's credential policy may lock a user
   * after a few failed sign-ins and keep it locked while they go on. An edit of the cluster
   * makes a new service, a restart a new process: new settings are tried at once.
   */
  let credentialsRefused = false
  /** Set by abortInFlight(), naming the stop: the answers that will never come are recorded as interrupted by it. */
  let aborted: Stopper | undefined
  /**
   * The records waiting for the database, each told when abortInFlight() is called: it waits no
   * longer. A set each leaves once written (a promise of the stop, never settled until then, kept
   * every record's wait it was given for the life of the process).
   */
  const waitingRecords = new Set<() => void>()

  /**
   * Sends one change (login, logout, logoutAll) with its audit record. The record is written
   * `pending` first, so a crash leaves evidence; then the change waits for a slot within the
   * server-wide cap (CUCM's throttle, PROTOCOL.md §5) and holds it only while its request is out
   * (a slot that waited for a database commit would idle CUCM's capacity: issue #14, P2). Retried
   * with backoff while CUCM says busy (26). The outcome is on disk before the caller hears it,
   * with `alongside`'s writes in the same transaction. Code 19 on a logout is the goal met, not an
   * error. `skip` is asked once a slot is free: a cancelled run sends nothing more, and its record
   * says the change was not sent.
   */
  async function audited (caller: Caller, target: Target, send: (to: EmapiClient) => Promise<EmapiCall<void>>, successMessage: string,
    change: { claimedId?: number, skip?: () => boolean, explain?: (error: EmapiError) => Promise<string | undefined>, alongside?: Alongside } = {}): Promise<ActionResult> {
    const skipped = (): boolean => change.skip?.() === true
    if (change.claimedId === undefined && skipped()) throw new NotSentError()
    // If this write fails, nothing was recorded, so nothing is sent.
    const entry = { ...caller, ...target, cluster }
    const auditId = change.claimedId ?? await recordedInTime(target.action, async (notSent) => await store.write((w) => {
      const late = notSent()
      return late === undefined ? w.audit.insertPending(entry) : w.audit.record(entry, late)
    }, `pending ${target.action}`))
    const finish = async (entry: FinishedEntry, came?: ActionResult | ActionError): Promise<void> => {
      const alongsideFailed = await store.write((w) => {
        w.audit.finish(auditId, entry)
        if (came === undefined || change.alongside === undefined) return undefined
        // The record of what CUCM was asked comes first: a failing neighbour (SQLite undoes its
        // statement) does not take the record back with it; its caller hears of it after the commit.
        try {
          change.alongside(w, came)
        } catch (error) {
          return { error }
        }
        return undefined
      }, `finished ${target.action}`)
      logChange(caller, target, auditId, entry)
      if (entry.outcome === 'success' || entry.outcome === 'unknown') options.changed?.()
      if (alongsideFailed !== undefined) throw alongsideFailed.error
    }
    const failed = async (entry: FinishedEntry, error: ActionError): Promise<never> => {
      await finish(entry, error)
      throw error
    }
    try {
      const result = await withBusyRetries(async () => await changes.run(async () => {
        if (skipped()) throw new NotSentError()
        return await send(sendingClient())
      }), lowerCap)
      const done: ActionResult = { auditId, outcome: 'success', message: successMessage, cluster }
      await finish({ outcome: 'success', message: successMessage, httpStatus: result.httpStatus, requestXml: result.requestXml, responseBody: result.responseBody }, done)
      return done
    } catch (error) {
      if (error instanceof NotSentError) {
        await finish({ outcome: 'interrupted', errorCode: NOT_SENT, message: error.message })
        // Its cluster deleted or disabled meanwhile: refused as the cluster is now, naming the record.
        if (error.refusal !== undefined) throw new ServiceError(error.refusal.kind, error.refusal.code, error.message, { action: error.refusal.action, auditId })
        throw error
      }
      if (!(error instanceof EmapiError)) {
        log.error({ err: error, auditId, action: target.action }, 'EMAPI call failed with an internal error')
        await finish({ outcome: 'error', errorCode: 'INTERNAL', message: 'Internal error' })
        throw error
      }
      const exchange = { httpStatus: error.httpStatus, requestXml: error.requestXml, responseBody: error.responseBody, errorCode: error.code }
      if (target.action === 'logout' && isEmapiFailure(error, 19)) {
        const done: ActionResult = { auditId, outcome: 'already-logged-out', message: 'Nobody was logged in on this device: nothing to do.', cluster }
        await finish({ ...exchange, outcome: 'already-logged-out', emapiCode: 19, message: done.message }, done)
        return done
      }
      // What logoutAll answers with nobody logged in is not documented (PROTOCOL.md §5): 19 there
      // says the goal is met, as it does for one device (§4).
      if (target.action === 'logout-all' && isEmapiFailure(error, 19)) {
        const done: ActionResult = { auditId, outcome: 'success', message: 'CUCM says nobody was logged in (code 19): nothing to do.', cluster }
        await finish({ ...exchange, outcome: 'success', emapiCode: 19, message: done.message }, done)
        return done
      }
      if (aborted !== undefined) {
        // The connection was closed by our own stop, not by CUCM: no transport error code (as a crash's interrupted record has none).
        const message = interruptedMessage(aborted, target)
        return await failed({ ...exchange, errorCode: undefined, outcome: 'interrupted', message }, new ActionError(error, auditId, 'interrupted', message, source))
      }
      if (mayHaveHappened(error)) {
        const detail = `The request was sent, so CUCM may have carried it out: ${lookUp(target)} to be sure.`
        return await failed({ ...exchange, outcome: 'unknown', message: sentences(error.message, detail) }, new ActionError(error, auditId, 'unknown', detail, source))
      }
      reportOurBug(error, target.action, auditId)
      // The refusal is recorded and answered even if its explanation fails (explainLogin says its own failures).
      const detail = await change.explain?.(error).catch((failure: unknown) => { log.error({ err: failure, auditId, action: target.action }, 'Explaining a refused change failed'); return undefined })
      const described = describe(error)
      return await failed({ ...exchange, ...described, message: sentences(described.message, detail) }, new ActionError(error, auditId, described.outcome, detail, source))
    }
  }

  /**
   * One log line per change sent to CUCM (or stopped before it was), once its record is final: the
   * journal, and a SIEM reading it, see who changed whom, where, and how it ended, as the audit
   * trail does. Look-ups are not logged (at the rate of the proxy's look-ups a line each costs more
   * than the rest of their work: issue #14, P1).
   */
  function logChange (caller: Caller, target: Target, auditId: number, entry: FinishedEntry): void {
    const what = [target.action, ...(target.devices ?? []), ...(target.userId === undefined ? [] : [`(user ${target.userId})`])].join(' ')
    const code = entry.emapiCode === undefined ? entry.errorCode : `EMAPI ${entry.emapiCode}`
    log.info({ auditId, action: target.action, cluster, actor: caller.actor, trigger: caller.trigger, clientIp: caller.clientIp, devices: target.devices, userId: target.userId, runId: target.runId, outcome: entry.outcome, emapiCode: entry.emapiCode, errorCode: entry.errorCode },
      `${what} by ${caller.actor} via ${caller.trigger} on cluster ${cluster}: ${entry.outcome}${code === undefined ? '' : ` (${code})`}, audit record #${auditId}`)
  }

  /** The client a change whose turn has come is sent with: the cluster's of the moment (see `line`). */
  function sendingClient (): EmapiClient {
    if (options.line === undefined) return client
    let now: EmapiClient
    try {
      now = options.line.client()
    } catch (error) {
      if (error instanceof ServiceError) throw new NotSentError(`Not sent: ${error.message}`, error)
      throw error
    }
    return now === options.client ? client : inOwnWords(now, source)
  }

  /**
   * A change's pending record, written before the change is sent. While the database refuses
   * writes (a long lock, a full disk) the record waits in the store's queue, and the change with
   * it: past the EMAPI time limit it is not sent at all, rather than minutes later, when whoever
   * asked has given up and someone else may be on the phone. It is refused (503), and `write`,
   * when the database takes it, writes the record finished as never sent (`notSent()` says how;
   * undefined while in time): one transaction, so no crash or close can leave it pending.
   */
  async function recordedInTime<T> (action: string, write: (notSent: () => FinishedEntry | undefined) => Promise<T>): Promise<T> {
    const given: { late?: FinishedEntry } = {}
    return await committedInTime(write(() => given.late), action, (seconds) => {
      given.late = { outcome: 'interrupted', errorCode: NOT_SENT, message: `Not sent: its audit record could not be written within ${seconds} s (the database refused writes), so the ${action} was not sent to CUCM.` }
      return {
        logLine: 'Audit trail: a change held back by the database could not be recorded as not sent',
        message: `The audit trail could not be written within ${seconds} s, so nothing was sent to CUCM: the database refuses writes (another program holds its lock, or the disk is full).`,
        then: 'try again'
      }
    })
  }

  /**
   * A record's write, waited for at most the EMAPI time limit, or STOPPED_RECORD_WAIT_MS once a
   * stop aborts what is in flight. Past it the write stays queued (its failure, if it comes, is
   * logged) and the caller is refused 503 in `givenUp`'s words, said once the wait has passed
   * (`seconds`).
   */
  async function committedInTime<T> (written: Promise<T>, action: string, givenUp: (seconds: number) => { logLine: string, message: string, then: string }): Promise<T> {
    const began = Date.now()
    // A stop that aborts what is in flight ends the wait too, but for a moment: the HTTP server
    // waits for this request before the store can close, and the stop's deadline (9.5 s) would
    // cut it short, with the writes the store could not save unsaid.
    let stopped!: () => void
    const stopping = new Promise<void>((resolve) => { stopped = resolve })
    if (aborted === undefined) waitingRecords.add(stopped)
    else stopped()
    let first: { value: T } | undefined
    try {
      first = await Promise.race([within(written, options.timeoutMs), stopping.then(async () => await within(written, STOPPED_RECORD_WAIT_MS))])
    } finally {
      waitingRecords.delete(stopped)
    }
    if (first !== undefined) return first.value
    // The time limit, as a person set it; what was waited only when a stop cut the wait short
    // (the time waited up to the limit read "1 s" or "2 s" of a 1.5 s limit by a millisecond).
    const waited = aborted === undefined ? options.timeoutMs : Math.min(Date.now() - began, options.timeoutMs)
    const { logLine, message, then } = givenUp(Math.max(1, Math.round(waited / 1000)))
    written.catch((error: unknown) => { log.error({ err: error, action }, logLine) })
    throw new ServiceError('unavailable', 'AUDIT_UNAVAILABLE', message, { action: freeTheDatabase(then) })
  }

  /**
   * A look-up changes nothing on CUCM, so it needs no pending row as crash evidence: its record
   * is written once, after the answer; a successful one may trail by a few milliseconds, or wait
   * in the store's queue while the database refuses writes, until the queue is full: then
   * look-ups are refused (503) rather than sent without a record.
   */
  async function lookedUp<T> (caller: Caller, target: Target, call: () => Promise<EmapiCall<T>>, successMessage: string): Promise<T> {
    if (store.backlogged()) {
      throw new ServiceError('unavailable', 'AUDIT_UNAVAILABLE', 'The audit trail is not being written, so nothing was sent to CUCM: the database refuses writes (another program holds its lock, or the disk is full), and the records of the look-ups made since wait for it, as many as are kept.',
        { action: freeTheDatabase('try again') })
    }
    const entry = { ...caller, ...target, cluster, startedAt: new Date() }
    /**
     * A failed look-up's answer names its record, so it is committed first; while the database
     * refuses writes past the EMAPI time limit, the answer is the failure and that (503), and the
     * record, still queued, is written once the database takes writes.
     */
    const recordNow = async (result: FinishedEntry, failure: string): Promise<number> =>
      await committedInTime(store.write((w) => w.audit.record(entry, result), `failed ${target.action}`), target.action, (seconds) => ({
        logLine: 'Audit trail: the record of a failed look-up could not be written',
        message: `${sentence(failure)} Its audit record could not be written within ${seconds} s: the database refuses writes (another program holds its lock, or the disk is full); it is written once the database takes writes.`,
        then: 'look it up again'
      }))
    try {
      // Whether look-ups count against CUCM's cap of concurrent requests is not documented
      // (PROTOCOL.md §5): a busy answer to one is tried again as a change's is.
      const result = await withBusyRetries(call)
      store.later('audit', (w) => { w.record(entry, { outcome: 'success', message: successMessage, httpStatus: result.httpStatus, requestXml: result.requestXml, responseBody: result.responseBody }) }, target.action)
      return result.value
    } catch (error) {
      if (!(error instanceof EmapiError)) {
        log.error({ err: error, action: target.action }, 'EMAPI look-up failed with an internal error')
        await recordNow({ outcome: 'error', errorCode: 'INTERNAL', message: 'Internal error' }, 'The look-up failed with an internal error (see the server log).')
        throw error
      }
      const exchange = { httpStatus: error.httpStatus, requestXml: error.requestXml, responseBody: error.responseBody, errorCode: error.code }
      if (aborted !== undefined) {
        // Cut short by our own stop, as a change is (see audited): not CUCM's failure.
        const message = interruptedMessage(aborted, 'look-up')
        const auditId = await recordNow({ ...exchange, errorCode: undefined, outcome: 'interrupted', message }, message)
        throw new ActionError(error, auditId, 'interrupted', message, source)
      }
      const described = describe(error)
      const auditId = await recordNow({ ...exchange, ...described }, `The look-up failed: ${error.message}`)
      reportOurBug(error, target.action, auditId)
      throw new ActionError(error, auditId, described.outcome, undefined, source)
    }
  }

  /**
   * CUCM could not read what EM Console sent (codes 1 and 8, category `bug`): a fault of ours, said
   * loudly in the server log (PROTOCOL.md §4), pointing at the audit record that holds the request.
   */
  function reportOurBug (error: EmapiError, action: AuditAction, auditId: number): void {
    if (!isEmapiFailure(error) || error.info.category !== 'bug') return
    log.error({ emapiCode: error.emapiCode, action, auditId, cluster }, `CUCM could not read EM Console's ${action} request (EMAPI error ${error.emapiCode}): this is a bug in EM Console. Audit record #${auditId} holds the request (password masked); please report it.`)
  }

  /**
   * Tries again with backoff and jitter while CUCM answers busy (26), telling `busy` of each such
   * answer. An answer shows CUCM took the application user: a refusal that paused the probes is
   * over, and the next health ask probes (the dashboard said "refused" until a person's Check now).
   */
  async function withBusyRetries<T> (send: () => Promise<T>, busy?: () => void): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await send()
        if (credentialsRefused) {
          credentialsRefused = false
          health = undefined
        }
        return answer
      } catch (error) {
        if (!isEmapiFailure(error, 26)) throw error
        busy?.()
        if (attempt >= busyRetries || aborted !== undefined) throw error
        await backoff(busyBackoffMs, attempt)
      }
    }
  }

  /**
   * A busy answer to a change lowers the cluster's cap of changes in flight (AdaptiveLimiter),
   * said in the log when it falls below the setting, at most once in 10 minutes (a run that goes
   * on at a cap above CUCM's finds CUCM's again after each RAISE_AFTER_MS).
   */
  let capWarnedMs = Number.NEGATIVE_INFINITY
  function lowerCap (): void {
    const from = changes.max
    const lowered = changes.busy()
    if (lowered === undefined || from !== changes.ceiling || Date.now() - capWarnedMs < 600_000) return
    capWarnedMs = Date.now()
    log.warn({ cluster, cap: lowered, ceiling: from }, inSettingsWords(`Cluster ${said()} answered busy (EMAPI code 26): sending at most ${lowered} of its logins and logouts at once for now, not ${from}. CUCM's "Maximum Concurrent Requests" (3 on older releases, 5 by default) is below EMAPI_MAX_CONCURRENCY, or other tools take its slots; it is raised again by one after each ${RAISE_AFTER_MS / 1000} s without a busy answer.`, source))
  }

  /** `known.userId` is who a look-up found on the device, so the history says whom this logged out. */
  async function logoutDevice (caller: Caller, deviceName: string, known: { runId?: string, userId?: string | null, skip?: () => boolean, alongside?: Alongside } = {}): Promise<ActionResult> {
    const userId = known.userId ?? undefined
    return await audited(caller, { action: 'logout', devices: [deviceName], runId: known.runId, userId },
      async (to) => await to.logout(deviceName), `Logged out ${userId ?? 'the user'} from ${displayDeviceName(deviceName)}.`, { skip: known.skip, alongside: known.alongside })
  }

  /** `runId` files the look-ups under a run; a look-up of several chunks gets one of its own otherwise. */
  async function deviceStatus (caller: Caller, names: readonly string[], within: { runId?: string } = {}): Promise<DeviceStatus[]> {
    const chunks = chunk(uniqueNames(names), QUERY_CHUNK)
    const runId = within.runId ?? (chunks.length > 1 ? randomUUID() : undefined)
    const results = await mapLimited(chunks, queriesOf(chunks), async (part) => await statusOf(caller, part, runId))
    return results.flat()
  }

  /**
   * One deviceUserQuery. How a query says a device does not exist is not known (PROTOCOL.md §3:
   * `<doesNotExist/>` in its place, or perhaps "device does not exist", code 11, for the whole
   * query; and a query failure in the DTD's `<errorMessage>` form carries no code: 0).
   */
  async function statusOf (caller: Caller, part: readonly string[], runId: string | undefined): Promise<DeviceStatus[]> {
    return await inHalves(part, 11, async (names) => await lookedUp(caller, { action: 'device-query', devices: names, runId },
      async () => await client.deviceUserQuery(names), `Looked up ${names.length} device${names.length === 1 ? '' : 's'}.`),
    (deviceName) => ({ deviceName, exists: false, currentUser: null, lastUser: null, emcc: null }))
  }

  /**
   * `ask` of `part`. A query of several refused with `missingCode` ("does not exist") or 0 (no
   * code: the DTD's `<errorMessage>` form) may be refused for names in it: it is asked again in
   * halves, down to the names it is about. A name refused alone with `missingCode` does not exist;
   * one refused alone with 0 is taken not to exist once CUCM has answered some part of the query
   * (it refused those names, not every query; its words are in the look-ups' audit records).
   * Until some part is answered, a refusal without a code is split into halves, then quarters
   * (UNANSWERED_DEPTH): when none of those is answered either, the refusal is not about names (a
   * wrong password in that form, say) and is the answer, after seven queries, not one per name.
   */
  async function inHalves<T> (part: readonly string[], missingCode: number, ask: (names: readonly string[]) => Promise<T[]>, missing: (name: string) => T): Promise<T[]> {
    type Tried = { names: readonly string[] } & ({ answer: T[] } | { refusal: ActionError })
    let answeredAny = false
    // One query at a time, as before the refusal: halving does not add to what CUCM is asked at once.
    const attempt = async (names: readonly string[]): Promise<Tried> => {
      try {
        const answer = await ask(names)
        answeredAny = true
        return { names, answer }
      } catch (error) {
        if (error instanceof ActionError && (isEmapiFailure(error.error, missingCode) || isEmapiFailure(error.error, 0))) return { names, refusal: error }
        throw error
      }
    }
    const halves = (names: readonly string[]): Array<readonly string[]> => [names.slice(0, Math.ceil(names.length / 2)), names.slice(Math.ceil(names.length / 2))]
    /** Names refused together, when refusals are known to be about names: down to each one. */
    const narrowed = async (tried: Tried): Promise<T[]> => {
      if ('answer' in tried) return tried.answer
      if (tried.names.length === 1) return tried.names.map(missing)
      const found: T[] = []
      for (const names of halves(tried.names)) found.push(...await narrowed(await attempt(names)))
      return found
    }
    const first = await attempt(part)
    if ('answer' in first) return first.answer
    let parts: Tried[] = [first]
    for (let depth = 0; depth < UNANSWERED_DEPTH; depth++) {
      // Once CUCM answers a part, every refusal is about names: narrowed below.
      if (answeredAny) break
      const next: Tried[] = []
      for (const tried of parts) {
        if ('answer' in tried || tried.names.length === 1) next.push(tried)
        else for (const names of halves(tried.names)) next.push(await attempt(names))
      }
      parts = next
    }
    if (!answeredAny && !isEmapiFailure(first.refusal.error, missingCode)) throw first.refusal
    const found: T[] = []
    for (const tried of parts) found.push(...await narrowed(tried))
    return found
  }

  async function userDevices (caller: Caller, userId: string): Promise<UserDevices> {
    const [found] = await usersDevices(caller, [userId])
    return found ?? { userId, exists: false, devices: [], located: [] }
  }

  /** The devices of many users (50 per query, a few queries at once), in the order asked. */
  async function usersDevices (caller: Caller, userIds: readonly string[], within: { runId?: string } = {}): Promise<UserDevices[]> {
    const chunks = chunk(uniqueNames(userIds), QUERY_CHUNK)
    const results = await mapLimited(chunks, queriesOf(chunks), async (part) => {
      // A user unknown to CUCM: `<doesNotExist/>` in its place, or perhaps 23 ("user does not exist") for the whole query.
      const found = await inHalves(part, 23, async (names) => {
        const [only] = names
        const answer = await lookedUp(caller, { action: 'user-devices-query', userId: names.length === 1 ? only : undefined, runId: within.runId },
          async () => await client.userDevicesQuery(names), names.length === 1 ? `Looked up the devices of ${only ?? ''}.` : `Looked up the devices of ${names.length} users.`)
        // The client's answer has one entry per id asked, in the order asked (it matched them).
        return names.map((userId, i) => answer[i] ?? { userId, exists: false, devices: [] })
      }, (userId) => ({ userId, exists: false, devices: [] }))
      return found.map((user): UserDevices => ({ ...user, located: user.devices.map((deviceName) => ({ deviceName, cluster })) }))
    })
    return results.flat()
  }

  async function userProfiles (caller: Caller, userId: string): Promise<UserDeviceProfiles> {
    // A user unknown to CUCM: `<doesNotExist/>` in its place, or perhaps 23 for the whole query, as usersDevices reads it.
    const [found] = await inHalves([userId], 23, async (names) => await lookedUp(caller, { action: 'device-profile-query', userId },
      async () => await client.deviceProfileQuery(names), `Looked up the device profiles of ${userId}.`), (id) => ({ userId: id, exists: false, profiles: [] }))
    return found === undefined ? { userId, exists: false, profiles: [] } : { ...found, profiles: found.profiles.map((profile) => ({ ...profile, cluster })) }
  }

  /**
   * Which profiles a login refused with code 12 could have named: the one asked is not the user's,
   * or none was asked and the user has no default for CUCM to take (PROTOCOL.md §2).
   */
  async function explainProfile (caller: Caller, userId: string, profile: string | undefined): Promise<string> {
    const found = await userProfiles(caller, userId)
    if (!found.exists) return unknownUser(userId)
    if (found.profiles.length === 0) return `${userId} has no device profiles: associate one with them in CUCM.`
    const list = found.profiles.map((p) => p.isDefault ? `${p.name} (default)` : p.name).join(', ')
    if (profile !== undefined) return `${profile} is not one of ${userId}'s device profiles: ${list}.`
    return found.profiles.some((p) => p.isDefault) ? `${userId}'s device profiles: ${list}.` : `${userId} has no default device profile: name one of ${list}.`
  }

  /**
   * Who is in the way of a refused login, in plain words: the user on the phone (code 18) or the
   * phones the user is already on (code 25); or the profiles the user has (code 12). EMAPI's
   * refusal does not say; a look-up does. "User does not exist" (23) names nobody: the user ID
   * asked is said, so a typo shows.
   */
  async function explainLogin (caller: Caller, deviceName: string, userId: string, profile: string | undefined, error: EmapiError): Promise<string | undefined> {
    if (isEmapiFailure(error, 23)) return unknownUser(userId)
    if (isEmapiFailure(error, 12)) return await explainProfile(caller, userId, profile).catch((failure: unknown) => notLookedUp(`The device profiles of ${userId}`, failure))
    if (isEmapiFailure(error, 18)) {
      return await deviceStatus(caller, [deviceName]).then(([status]) => {
        if (status?.currentUser == null) return undefined
        // The one asked for already is: CUCM still answers "another user" (18).
        return status.currentUser.toLowerCase() === userId.toLowerCase() ? `${status.currentUser} is already logged in on ${displayDeviceName(deviceName)}.` : `${status.currentUser} is logged in on ${displayDeviceName(deviceName)}.`
      }, (failure: unknown) => notLookedUp(`Who is logged in on ${displayDeviceName(deviceName)}`, failure))
    }
    if (isEmapiFailure(error, 25)) {
      const where = await userDevices(caller, userId).then(
        (found) => found.devices.length === 0 ? undefined : `${userId} is logged in on ${found.devices.join(', ')}.`,
        (failure: unknown) => notLookedUp(`Where ${userId} is logged in`, failure))
      // CUCM said "not allowed" of a cluster set here as allowing a second login: the setting is wrong.
      if (multipleLogins === 'not-allowed') return where
      const wrong = `CUCM refuses a second login on this cluster: its Multiple Login Behavior is "not allowed", not "${multipleLogins}" as set in EM Console. Correct the cluster's setting.`
      return where === undefined ? wrong : sentences(where, wrong)
    }
    return undefined
  }

  /**
   * The look-up that explains a refusal failed: said in the refusal's words, not dropped (the
   * refusal alone reads as if nobody were in the way). A failed look-up has its own audit record.
   */
  function notLookedUp (what: string, failure: unknown): string {
    if (failure instanceof ActionError) return `${what} could not be looked up (audit record #${failure.auditId}): ${sentence(failure.message)}`
    if (failure instanceof ServiceError) return `${what} could not be looked up: ${sentence(failure.message)}`
    log.error({ err: failure, cluster }, `${what} could not be looked up, to explain a refused login`)
    return `${what} could not be looked up: internal error (see the server log).`
  }

  /**
   * A forced login logs out whoever is on the phone, then logs the user in. Where the user is
   * logged in on another phone, CUCM refuses that login by default (Multiple Login Behavior "not
   * allowed": code 25, PROTOCOL.md §5), and the phone's user would be logged out for nothing:
   * refused before anyone is. Clusters set as allowing a second login (or ending the first) are not asked.
   */
  async function refuseIfLoggedInElsewhere (caller: Caller, deviceName: string, userId: string, current: string): Promise<void> {
    const elsewhere = (await userDevices(caller, userId)).devices.filter((device) => device.toLowerCase() !== deviceName.toLowerCase())
    if (elsewhere.length === 0) return
    const refused = `${userId} is logged in on ${elsewhere.join(', ')}: nobody was logged out of ${displayDeviceName(deviceName)}, where ${current} stays logged in.`
    // CUCM's status can lag a logout by about two minutes (PROTOCOL.md §5): one just sent is said, not asked for again.
    const lagging = elsewhere.flatMap((device) => {
      const last = store.changes.lastChange(device, cluster)
      return loggedOutLately(last, userId, Date.now()) ? [`${displayDeviceName(device)} at ${utcText(last.at)}`] : []
    })
    const action = lagging.length === elsewhere.length
      ? `EM Console logged ${userId} out of ${lagging.join(', ')}; ${STATUS_LAG_WORDS}. Try again in a minute or two.`
      : `CUCM refuses a second login unless its Multiple Login Behavior allows one (by default it does not). Log ${userId} out of ${elsewhere.length === 1 ? 'that phone' : 'those phones'} first, then log in again. If this cluster allows multiple logins, say so ${source === 'environment' ? 'with CUCM_MULTIPLE_LOGINS' : 'in its settings (Multiple Login Behavior)'}.`
    throw new ServiceError('conflict', 'USER_LOGGED_IN_ELSEWHERE', refused, { action })
  }

  /** One health probe; its answer is kept for health(). Never throws. */
  async function probe (): Promise<Health['emapi']> {
    const started = performance.now()
    const failure = await client.deviceUserQuery([HEALTH_PROBE_DEVICE], probesDropped.signal).then(() => undefined, (error: unknown) => error)
    const value: Health['emapi'] = failure === undefined || answeredTheProbe(failure)
      ? { reachable: true, latencyMs: Math.round(performance.now() - started), checkedAt: new Date().toISOString() }
      : { reachable: false, latencyMs: null, checkedAt: new Date().toISOString(), error: probeError(failure) }
    credentialsRefused = isEmapiFailure(failure, 2) || isEmapiFailure(failure, 3)
    health = { at: Date.now(), value }
    return value
  }

  const checkingNow = (): Health['emapi'] => ({ reachable: false, latencyMs: null, checkedAt: new Date().toISOString(), checking: true })

  /**
   * The first probe's answer if it comes within HEALTH_FIRST_WAIT_MS, else "checking" (as of then).
   * Once an ask has waited that long, the asks after it answer "checking" at once: a dashboard
   * asking every 2 s held each request 2 s, and its Check now buttons read "Checking…", disabled,
   * half the time.
   */
  async function firstAnswer (probed: Promise<Health['emapi']>): Promise<Health['emapi']> {
    if (waitedFor === probed) return checkingNow()
    let timer: NodeJS.Timeout | undefined
    const checking = new Promise<Health['emapi']>((resolve) => {
      timer = setTimeout(() => {
        waitedFor = probed
        resolve(checkingNow())
      }, HEALTH_FIRST_WAIT_MS)
    })
    try {
      return await Promise.race([probed, checking])
    } finally {
      clearTimeout(timer)
    }
  }

  function probeError (error: unknown): NonNullable<Health['emapi']['error']> {
    if (!(error instanceof EmapiError)) log.error({ err: error }, 'EMAPI health check failed with an internal error')
    const e = error instanceof EmapiError ? error : new EmapiError('EMAPI_UNREACHABLE', 'Health check failed')
    const paused = isEmapiFailure(e, 2) || isEmapiFailure(e, 3) ? ` ${CREDENTIALS_PAUSED}` : ''
    return { code: e.code, message: emapiProblem(e), ...(isEmapiFailure(e) ? { emapiCode: e.emapiCode, refused: e.info.category === 'configuration' } : {}), action: inSettingsWords(emapiAction(e), source) + paused }
  }

  return {
    logoutDevice,
    deviceStatus,
    userDevices,
    usersDevices,
    userProfiles,

    /**
     * This service's cluster is being closed (an edit, a delete, a stop): a health probe on its way
     * is ended, not waited for (a silent CUCM's held the close for its time limit). Changes and
     * look-ups in flight are left to answer.
     */
    dropProbes (): void {
      probesDropped.abort(new Error('The cluster was closed'))
    },

    /**
     * A stop that cannot wait any longer: aborts every EMAPI request in flight; the changes among
     * them end `interrupted` (CUCM may have carried them out), the look-ups too (cut short, not
     * failed), each record naming `by`; busy answers are not retried.
     */
    async abortInFlight (by: Stopper): Promise<void> {
      aborted = by
      for (const stopped of waitingRecords) stopped()
      await client.destroy()
    },

    /**
     * One logoutAll at a time, across processes (server, CLI, schedule): the pending audit row
     * is the lock. A pending row older than the timeout is stale (its process died).
     */
    async logoutAll (caller: Caller, within: { runId?: string } = {}): Promise<ActionResult> {
      const target = { action: 'logout-all', runId: within.runId } as const
      const entry = { ...caller, ...target, cluster }
      const claim = await recordedInTime(target.action, async (notSent) => await store.write((w) => {
        const late = notSent()
        // Too late to run: recorded as not sent, without claiming the lock.
        if (late !== undefined) return { id: w.audit.record(entry, late) }
        const claimed = w.audit.insertPendingIfIdle(entry, options.timeoutMs * (busyRetries + 1) + 60_000)
        // Refused while another runs: recorded too (the CLI's refusal was nowhere in the history).
        if (!('runningId' in claimed)) return claimed
        const message = `Not sent: a logout of all Extension Mobility users (audit #${claimed.runningId}) was already running on cluster ${said()}.`
        return { ...claimed, refusedId: w.audit.record(entry, { outcome: 'failure', errorCode: 'LOGOUT_ALL_RUNNING', message }) }
      }, 'pending logout-all'))
      if ('runningId' in claim) throw new LogoutAllRunningError(claim.runningId, claim.refusedId, cluster, said())
      return await audited(caller, target, async (to) => await to.logoutAll(), 'Logged out every Extension Mobility user on the cluster.', { claimedId: claim.id })
    },

    async loginDevice (caller: Caller, deviceName: string, login: { userId: string, deviceProfile?: string, durationMinutes?: number, indefinite?: boolean, force?: boolean, runId?: string, skip?: () => boolean, alongside?: Alongside }): Promise<ActionResult> {
      const runId = login.runId ?? (login.force === true ? randomUUID() : undefined)
      /** Who a forced login logged out of the device first, if anyone. */
      let displaced: string | undefined
      if (login.force === true) {
        const [status] = await deviceStatus(caller, [deviceName])
        const current = status?.currentUser ?? null
        if (current !== null && current.toLowerCase() !== login.userId.toLowerCase() && multipleLogins === 'not-allowed') await refuseIfLoggedInElsewhere(caller, deviceName, login.userId, current)
        // Whoever it is, the user being logged in too: CUCM refuses a login on a taken phone (code 18).
        if (current !== null) {
          await logoutDevice(caller, deviceName, { runId, userId: current })
          displaced = current
        }
      }
      const exclusiveDuration: ExclusiveDuration | undefined = login.indefinite === true
        ? 'indefinite'
        : login.durationMinutes === undefined ? undefined : { minutes: login.durationMinutes }
      const request = { deviceName, userId: login.userId, deviceProfile: login.deviceProfile, exclusiveDuration }
      return await audited(caller, { action: 'login', devices: [deviceName], userId: login.userId, runId },
        async (to) => await to.login(request),
        sentences(`Logged ${login.userId} in on ${displayDeviceName(deviceName)}${login.deviceProfile === undefined ? '' : ` with profile ${login.deviceProfile}`}.`,
          multipleLogins === 'auto-logout' ? `This cluster's Multiple Login Behavior is auto-logout: CUCM ends ${login.userId}'s login on any other phone.` : undefined),
        {
          skip: login.skip,
          alongside: login.alongside,
          explain: async (error) => {
            const why = await explainLogin(caller, deviceName, login.userId, login.deviceProfile, error)
            const before = displaced === undefined ? undefined : `${displaced} was logged out of ${displayDeviceName(deviceName)} first: the phone has nobody logged in now.`
            return why === undefined ? before : sentences(why, before)
          }
        })
    },

    /**
     * Logs a user out of every device they are on; one result (and audit row) per device.
     * `found`: this cluster's answer to the look-up, when the caller asked it already; `runId`:
     * the run of a logout of several clusters (one of its own otherwise).
     */
    async logoutUser (caller: Caller, userId: string, known: { found?: UserDevices, runId?: string } = {}): Promise<UserLogoutResult> {
      const { exists, devices, userId: spelled } = known.found ?? await userDevices(caller, userId)
      const runId = known.runId ?? randomUUID()
      const results = await Promise.all(devices.map(async (deviceName): Promise<DeviceLogoutResult> => {
        try {
          // Recorded as CUCM spells the user, as a logout of the device records them: History's
          // user filter folds the case of ASCII letters only, so a typed 'JOSÉ.GARCÍA' hid the row from 'josé'.
          return { deviceName, cluster, ...await logoutDevice(caller, deviceName, { runId, userId: spelled }) }
        } catch (error) {
          if (!(error instanceof ActionError)) throw error
          const { emapiCode } = describe(error.error)
          return { deviceName, outcome: error.outcome, message: error.message, auditId: error.auditId, cluster, ...(emapiCode === undefined ? {} : { emapiCode }) }
        }
      }))
      return { userId, exists, results }
    },

    /**
     * Whether EMAPI answers, by a cheap query that is not audited. Within the cache time the last
     * answer is given; after it, the last answer is still given at once (its checkedAt says when)
     * while one probe refreshes it, so a dashboard polling 30 clusters never waits on 30 probes.
     * Only the first ask waits, for up to HEALTH_FIRST_WAIT_MS: then it answers "checking" while
     * the probe goes on (so do the asks after it, at once, until the probe answers). A cache time
     * of 0 probes every time. `fresh`: an answer past the cache time is not given, nor "checking";
     * the ask waits for the probe (a monitor polling once a minute would otherwise always read the
     * state of its poll before). Once CUCM refused the application user, its answer is given until
     * a person asks (`asked`: "Check now"), not a new probe.
     */
    async health ({ fresh = false, asked = false }: HealthAsk = {}): Promise<Health['emapi']> {
      const cacheMs = options.healthCacheMs ?? 5000
      if (health !== undefined && credentialsRefused && !asked) return health.value
      if (health !== undefined && Date.now() - health.at < cacheMs) return health.value
      if (health !== undefined && cacheMs > 0 && !fresh) {
        // The probe starts once this answer is on its way: its TLS handshake would delay it.
        if (probing === undefined) startProbe(() => { probing ??= probe().finally(() => { probing = undefined }) })
        return health.value
      }
      probing ??= probe().finally(() => { probing = undefined })
      if (health !== undefined || fresh || cacheMs === 0) return await probing
      return await firstAnswer(probing)
    }
  }
}
