import { setImmediate as nextTurn } from 'node:timers/promises'
import { AXL_ERROR_ACTIONS, DEFAULT_AXL_VERSION, isAxlError, type AxlListing, type AxlPhone, type AxlSession } from '@em-console/shared/axl'
import { DEFAULT_VERIFY_AFTER_SECONDS } from '@em-console/shared/rules'
import type { ClusterSource, InventoryCluster, InventoryError, InventorySetup } from '@em-console/shared/schemas'
import { inSettingsWords } from '../setting-words.js'
import { silentLog, type Log } from '../log.js'
import type { Store, Writes } from '../store/store.js'
import { keyRanges } from './names.js'

/** What a refresh needs of an AXL client (server/src/axl/client.ts). */
export interface AxlSource {
  readonly version: string
  listPhones: (options: { signal: AbortSignal }) => Promise<AxlListing<AxlPhone>>
  listSessions: (options: { signal: AbortSignal }) => Promise<AxlListing<AxlSession>>
}

export interface InventoryOptions {
  clusterId: string
  /** Where the cluster's settings come from: its AXL setup names the environment's keys or the dashboard's fields. */
  source?: ClusterSource
  /** The cluster's AXL client; undefined when the cluster has no AXL settings. */
  axl: AxlSource | undefined
  store: Store
  log?: Log
  /** INVENTORY_REFRESH_SECONDS: the time between refreshes; 0 for no timer (refreshes on demand only). */
  refreshSeconds: number
  /** SESSION_HISTORY_DAYS: ended sessions older than this are deleted after each refresh. */
  historyDays: number
  now?: () => Date
  /** Rows per write transaction, phones and sessions: each is one short turn of the event loop (tests make it small). */
  batchSize?: number
  /** The first wait before retrying a failed refresh; doubled per failure up to refreshSeconds. */
  retryMinMs?: number
  /** How long after a change it is read once more, CUCM's lag passed (SETTLE_MS; tests make it short). */
  settleMs?: number
}

export type RefreshOutcome =
  | { ok: true, asOf: string, refreshMs: number, phones: number, sessions: number, started: number, ended: number }
  | { ok: false, error: InventoryError }

export type Inventory = ReturnType<typeof createInventory>

/** What the screens and the API say when a cluster has no AXL settings (the environment's cluster: its keys). */
export const AXL_SETUP: InventorySetup = {
  message: 'The inventory and live sessions need read-only AXL access to the publisher of the cluster. Create an application user in CUCM, put it in an access control group with the two roles below, and set the keys below (then restart EM Console). Without them EM Console works as before, with look-ups by name only.',
  keys: ['CUCM_AXL_USER', 'CUCM_AXL_PASSWORD', 'CUCM_AXL_HOST (default: CUCM_HOST)', 'CUCM_AXL_PORT (default: CUCM_PORT)', `CUCM_AXL_VERSION (default: ${DEFAULT_AXL_VERSION})`],
  roles: ['Standard AXL API Users', 'Standard AXL Read Only API Access']
}

/** The same for a cluster added in the dashboard: its fields in Settings, no restart. */
const AXL_SETUP_DASHBOARD: InventorySetup = {
  message: 'The inventory and live sessions need read-only AXL access to the publisher of the cluster. Create an application user in CUCM, put it in an access control group with the two roles below, and give it to the cluster in Settings → Clusters (Edit, the AXL fields below). Without them EM Console works as before, with look-ups by name only.',
  keys: ['AXL user', 'AXL password', 'AXL host (default: the cluster\'s host)', 'AXL port (default: the cluster\'s port)', `AXL version (default: ${DEFAULT_AXL_VERSION})`],
  roles: AXL_SETUP.roles
}

/**
 * Rows per write transaction, each its own hold of the write lock. A session that ended costs
 * ~10 times an unchanged phone (its history row and eight indexes, its audit look-ups, the login
 * that replaced it): 1,000 of them held the lock 100-250 ms on a busy 2-core machine, which a CLI
 * command's change beside the server waited out (bench:cli-beside).
 */
const PHONES_PER_WRITE = 1000
export const SESSIONS_PER_WRITE = 250
/** Failures whose own actions are kept (a few retries' worth). */
const OWN_ACTIONS_KEPT = 8
const DEFAULT_RETRY_MIN_MS = 10_000
/** Said with a refused AXL user's fix: why the timer no longer retries. */
const CREDENTIALS_PAUSED = 'EM Console sends them again only when a person refreshes, a logout selects by sessions or the settings change, not on its timer: CUCM\'s credential policy may lock a user after a few failed sign-ins, and an AXL user is often other tools\' too.'
/**
 * After EM Console changed who is logged in (a logout-all, a logout, a login), the inventory is
 * read again this soon, so the screens and the next logout-all's count see it; such refreshes
 * come at most once per spacing, so that a long bulk run does not keep AXL busy.
 */
const CHANGE_DELAY_MS = 2000
const CHANGE_SPACING_MS = 30_000
/**
 * CUCM's login state lags a change by about two minutes, and a logout-all's users may take a few
 * minutes to drop (../shared/emapi/PROTOCOL.md §5): the read seconds after a change may still list
 * some. A change is read once more this long after it, as a run's re-check looks again.
 */
const SETTLE_MS = DEFAULT_VERIFY_AFTER_SECONDS * 1000
const DAY = 86_400_000
/**
 * Ended sessions deleted per write. Each row leaves eight indexes, and the write holds the event
 * loop: 5,000 took 0.8-1.4 s on a year's history (3.65 million rows, a busy 2-core machine), and a
 * lowered SESSION_HISTORY_DAYS deletes millions, batch after batch.
 */
export const PURGE_BATCH = 500

/** A refresh cut short because its inventory was stopped (the server stopping, the cluster edited or removed): no failure of AXL's. */
export class Stopped extends Error {
  constructor () {
    super('The inventory was stopped while it was read: the server is stopping, or its cluster was edited or removed.')
    this.name = 'Stopped'
  }
}

function errorOf (error: unknown, at: Date): InventoryError {
  if (isAxlError(error)) return { code: error.code, message: error.message, action: error.action, at: at.toISOString() }
  return { code: 'INTERNAL', message: 'Internal error while refreshing the inventory: see the server log.', action: 'Try again; if it keeps failing, report it with the server log.', at: at.toISOString() }
}

/**
 * The inventory of one cluster: a refresh reads every phone and every current session from AXL
 * (reads only, one large query at a time), then replaces the stored inventory range by range,
 * each range its own short write, so look-ups and logouts never wait behind it. A failed refresh
 * keeps the last good inventory, records its error (the inventory is then "stale") and is retried
 * with backoff. The timer is armed by start() and ended by stop(); the runtime owns both calls.
 */
export function createInventory (options: InventoryOptions) {
  const { clusterId, axl, store } = options
  /** What to do, named as this cluster's settings are (the environment's keys, or its fields in Settings). */
  const said = (action: string): string => inSettingsWords(action, options.source ?? 'environment')
  const log = options.log ?? silentLog
  const now = options.now ?? (() => new Date())
  const phonesPerWrite = options.batchSize ?? PHONES_PER_WRITE
  const sessionsPerWrite = options.batchSize ?? SESSIONS_PER_WRITE
  const retryMinMs = options.retryMinMs ?? DEFAULT_RETRY_MIN_MS
  const settleMs = options.settleMs ?? SETTLE_MS
  const intervalMs = options.refreshSeconds * 1000
  let running: Promise<RefreshOutcome> | undefined
  /** The AXL read of the refresh in flight: stop() cuts it short, as a page may take up to the timeout. */
  let reading: AbortController | undefined
  /** The writes of the refresh in flight: stop() waits for them, never for AXL. */
  let writing: Promise<unknown> | undefined
  /** The deletion of old ended sessions that follows a good refresh (purgeAfterRefresh). */
  let purging: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  let nextAt: Date | undefined
  let failures = 0
  /**
   * The own actions of the last failures this process recorded, by code and time: the database
   * keeps only the code and message, and a TLS problem's fix (renew an expired certificate, name
   * the host it lists) is not its code's. Several: a retry may fail again before the failure
   * before it is on disk, and the status then reads that one (only the last was kept: its code's
   * generic fix showed, now and then).
   */
  const ownActions = new Map<string, string>()
  const failureKey = (failure: { code: string, at: string }): string => `${failure.code}\n${failure.at}`
  let started = false
  let stopped = false
  /** A change was made since the last refresh began: it may not have seen it. */
  let unread = false
  /** A run ended while a refresh was reading, after changes it may not have seen. */
  let endedDuringRefresh = false
  /** When the last refresh asked for by a change is (or was) due. */
  let lastChangeRefreshMs = Number.NEGATIVE_INFINITY
  /** When the last change has settled on CUCM: a refresh begun before then is followed by one at it. */
  let settledAtMs: number | undefined

  async function write<T> (change: (w: Writes) => T, label: string): Promise<T> {
    if (stopped) throw new Stopped()
    const pending = store.write(change, label)
    writing = pending
    try {
      return await pending
    } catch (error) {
      // Refused by the store closing after a stop that did not wait for it (store.writtenUnlessRefused),
      // which logged it lost: the stop's doing, not a failed refresh.
      if (stopped) throw new Stopped()
      throw error
    } finally {
      if (writing === pending) writing = undefined
    }
  }

  /**
   * The as-of of a refresh of this cluster that another process (a CLI command's selection beside
   * the server's timed refresh, or the other way round) read after `asOf` and has written: this
   * listing is older than the inventory then, and writing it would end sessions that began since
   * (a phantom end in the history, a user shown logged out) and bring back ones that ended. An
   * as-of still to come is no such reading but a clock moved back since: it holds nothing up.
   */
  function newerAsOf (w: Writes, asOf: Date): string | undefined {
    const stored = w.inventory.state(clusterId)?.asOf
    const at = stored == null ? Number.NaN : Date.parse(stored)
    return at > asOf.getTime() && at <= now().getTime() ? stored ?? undefined : undefined
  }

  /**
   * One batch per write, and a pause after each (store.betweenWrites: a turn of the event loop, or
   * a moment for another process writing beside it): a committed write resolves through
   * microtasks only, so without it the batches would run back to back and hold requests and
   * timers until the last one. Each write first checks that no newer listing was written
   * (newerAsOf): then nothing more is, and that listing's as-of is returned.
   */
  async function apply (phones: readonly AxlPhone[], sessions: readonly AxlSession[], asOf: Date): Promise<{ started: number, ended: number, newer?: string }> {
    for (const range of keyRanges(phones, (p) => p.name, phonesPerWrite)) {
      const newer = await write((w) => newerAsOf(w, asOf) ?? w.inventory.applyPhones(clusterId, range), 'inventory phones')
      if (typeof newer === 'string') return { started: 0, ended: 0, newer }
      await store.betweenWrites()
    }
    let startedCount = 0
    let ended = 0
    for (const range of keyRanges(sessions, (s) => s.deviceName, sessionsPerWrite)) {
      const changes = await write((w) => newerAsOf(w, asOf) ?? w.inventory.applySessions(clusterId, range, asOf), 'inventory sessions')
      if (typeof changes === 'string') return { started: startedCount, ended, newer: changes }
      await store.betweenWrites()
      startedCount += changes.started
      ended += changes.ended
    }
    return { started: startedCount, ended }
  }

  async function purgeHistory (): Promise<void> {
    const before = now().getTime() - options.historyDays * DAY
    for (;;) {
      const deleted = await write((w) => w.inventory.purgeHistory(before, PURGE_BATCH), 'session history purge')
      if (deleted < PURGE_BATCH) return
      await store.betweenWrites()
    }
  }

  /**
   * Deletes the ended sessions past SESSION_HISTORY_DAYS once the refresh has answered, not within
   * it: a lowered setting deletes a year's rows, minutes of writes (~5,000 rows/s on a busy 2-core
   * machine), and every caller of the refresh waited for them (a selection by sessions, the
   * Refresh button, a CLI command: em-console sessions took 110 s). One purge at a time; a stop
   * ends it after its write in flight (a CLI command's with the command), and the next refresh
   * goes on from there.
   */
  function purgeAfterRefresh (): void {
    purging ??= purgeHistory()
      .catch((error: unknown) => {
        if (!(error instanceof Stopped)) log.error({ err: error, cluster: clusterId }, `Inventory of cluster ${clusterId}: deleting the ended sessions past SESSION_HISTORY_DAYS failed; the next refresh tries again`)
      })
      .finally(() => { purging = undefined })
  }

  async function refreshOnce (source: AxlSource): Promise<RefreshOutcome> {
    const begun = performance.now()
    await write((w) => { w.inventory.recordAttempt(clusterId, now()) }, 'inventory attempt')
    const read = new AbortController()
    reading = read
    try {
      const phones = await source.listPhones({ signal: read.signal })
      if (stopped) throw new Stopped()
      // "As of" is when the sessions were read: every session shown was logged in then.
      const asOf = now()
      const sessions = await source.listSessions({ signal: read.signal })
      if (stopped) throw new Stopped()
      // A turn of the event loop between parsing the last AXL page and sorting what is to be
      // written: back to back, the two held requests ~100 ms (bench:inventory's loop block).
      await nextTurn()
      const { newer: newerApplied, ...changes } = await apply(phones.rows, sessions.rows, asOf)
      const refreshMs = performance.now() - begun
      const newer = newerApplied ?? await write((w) => {
        const written = newerAsOf(w, asOf)
        if (written === undefined) w.inventory.recordSuccess(clusterId, { asOf, refreshMs, axlVersion: source.version })
        return written
      }, 'inventory refreshed')
      if (newer !== undefined) {
        // AXL answered, and the inventory holds a newer reading than this one: the outcome is that one's.
        failures = 0
        log.info({ cluster: clusterId, asOf: newer }, `Inventory of cluster ${clusterId}: another process wrote a newer reading while this one was read; this one is not written.`)
        const counts = store.inventory.counts(clusterId)
        return { ok: true, asOf: newer, refreshMs: Math.round(refreshMs), phones: counts.phones, sessions: counts.sessions, started: 0, ended: 0 }
      }
      purgeAfterRefresh()
      if (failures > 0) log.info({ cluster: clusterId }, `Inventory of cluster ${clusterId}: AXL answers again.`)
      failures = 0
      log.info({ cluster: clusterId, phones: phones.rows.length, sessions: sessions.rows.length, ...changes, ms: Math.round(refreshMs) }, `Inventory of cluster ${clusterId} refreshed`)
      return { ok: true, asOf: asOf.toISOString(), refreshMs: Math.round(refreshMs), phones: phones.rows.length, sessions: sessions.rows.length, ...changes }
    } catch (error) {
      if (error instanceof Stopped || stopped) throw new Stopped()
      const found = errorOf(error, now())
      const paused = found.code === 'AXL_AUTH' ? ` ${CREDENTIALS_PAUSED}` : ''
      const failure = { ...found, message: said(found.message), action: said(found.action) + paused }
      failures++
      // Logged once per run of failures, then again only when it recovers.
      if (failures === 1) {
        if (isAxlError(error)) log.warn({ cluster: clusterId, code: failure.code }, `Inventory of cluster ${clusterId}: the refresh failed, the last good inventory is kept: ${failure.message} ${failure.action}`)
        else log.error({ err: error, cluster: clusterId }, `Inventory of cluster ${clusterId}: the refresh failed with an internal error`)
      }
      ownActions.set(failureKey(failure), failure.action)
      if (ownActions.size > OWN_ACTIONS_KEPT) ownActions.delete(ownActions.keys().next().value as string)
      await write((w) => { w.inventory.recordFailure(clusterId, failure) }, 'inventory refresh failed')
      return { ok: false, error: failure }
    } finally {
      if (reading === read) reading = undefined
    }
  }

  /** `delayMs` undefined: no timed refresh (CUCM refused the AXL user, delayAfter). */
  function arm (delayMs: number | undefined): void {
    clearTimeout(timer)
    timer = undefined
    nextAt = undefined
    if (!started || stopped || intervalMs === 0 || delayMs === undefined) return
    nextAt = new Date(now().getTime() + delayMs)
    timer = setTimeout(() => {
      timer = undefined
      refresh().catch((error: unknown) => {
        if (!(error instanceof Stopped)) log.error({ err: error, cluster: clusterId }, `Inventory of cluster ${clusterId}: the refresh could not be recorded; the next one comes as timed`)
      })
    }, delayMs)
  }

  /**
   * The wait before the next attempt: the interval after a success, a growing backoff after
   * failures, none after CUCM refused the AXL user (CREDENTIALS_PAUSED): the refreshes a person
   * or a selection asks for still go out, and one that answers arms the timer again.
   */
  function delayAfter (outcome: RefreshOutcome): number | undefined {
    if (outcome.ok) return intervalMs
    if (outcome.error.code === 'AXL_AUTH') return undefined
    return Math.min(intervalMs, retryMinMs * 2 ** Math.min(failures - 1, 16))
  }

  /**
   * Refreshes now; a refresh already under way is joined, not started twice, unless EM Console
   * changed who is logged in here since it began: it may have read before the change, so the
   * caller (an admin's Refresh right after a logout) gets the one that follows it.
   */
  async function refresh (): Promise<RefreshOutcome> {
    if (running !== undefined && unread) await running.catch(() => undefined)
    return await refreshNow()
  }

  async function refreshNow (): Promise<RefreshOutcome> {
    if (axl === undefined) return { ok: false, error: { code: 'AXL_NOT_CONFIGURED', message: `Cluster ${clusterId} has no AXL settings.`, action: AXL_SETUP.message, at: now().toISOString() } }
    if (stopped) throw new Stopped()
    running ??= (async () => {
      clearTimeout(timer)
      unread = false
      endedDuringRefresh = false
      const begunMs = now().getTime()
      try {
        const outcome = await refreshOnce(axl)
        arm(delayAfter(outcome))
        if (settledAtMs !== undefined && settledAtMs > begunMs) armForChanges(settledAtMs, false)
        else settledAtMs = undefined
        return outcome
      } catch (error) {
        // Not AXL's failure (refreshOnce records those) but its record's: the timer goes on all the same.
        if (!(error instanceof Stopped)) arm(intervalMs)
        throw error
      } finally {
        running = undefined
        if (endedDuringRefresh) changesEnded()
        else if (unread) changed()
      }
    })()
    return await running
  }

  /**
   * EM Console changed who is logged in on this cluster: with the timer armed (the server, a
   * refresh interval set) and AXL answering, the next refresh comes within CHANGE_DELAY_MS, or
   * CHANGE_SPACING_MS after the last one a change asked for. A change made while a refresh reads
   * asks again once it has ended. Once CUCM has settled (SETTLE_MS) it is read once more.
   */
  function changed (): void {
    unread = true
    settledAtMs = now().getTime() + settleMs
    if (running !== undefined) return
    armForChanges(Math.max(now().getTime() + CHANGE_DELAY_MS, lastChangeRefreshMs + CHANGE_SPACING_MS))
  }

  /**
   * A run that changed who is logged in here has ended: its last changes are read within
   * CHANGE_DELAY_MS, not spaced behind a refresh that began before them (the admin who just
   * logged people out would see them listed for up to 30 s more). Once per run, so it cannot
   * keep AXL busy; nothing when a refresh has begun since the last change.
   */
  function changesEnded (): void {
    if (!unread) return
    if (running !== undefined) endedDuringRefresh = true
    else armForChanges(now().getTime() + CHANGE_DELAY_MS)
  }

  /**
   * Arms the refresh that changes ask for at `due` (a time in ms), unless one comes sooner. The
   * read once CUCM has settled is not `spaced`: a change after it is still read within seconds.
   */
  function armForChanges (due: number, spaced = true): void {
    if (!started || stopped || intervalMs === 0 || failures > 0) return
    if (nextAt !== undefined && nextAt.getTime() <= due) return
    if (spaced) lastChangeRefreshMs = due
    arm(due - now().getTime())
  }

  return {
    clusterId,
    configured: axl !== undefined,
    refresh,
    changed,
    changesEnded,

    get refreshing (): boolean {
      return running !== undefined
    },

    /** The state the API reports (GET /api/inventory). */
    status (): InventoryCluster {
      const stored = store.inventory.state(clusterId)
      const counts = store.inventory.counts(clusterId)
      const base = {
        cluster: clusterId,
        asOf: stored?.asOf ?? null,
        counts,
        lastRefreshMs: stored?.refreshMs ?? null,
        axlVersion: stored?.axlVersion ?? null,
        nextRefreshAt: nextAt?.toISOString() ?? null
      }
      if (axl === undefined) return { ...base, state: 'not-configured', lastError: null, setup: options.source === 'database' ? AXL_SETUP_DASHBOARD : AXL_SETUP }
      const error = stored?.error
      const ownAction = error == null ? undefined : ownActions.get(failureKey(error))
      const lastError = error == null ? null : { ...error, action: ownAction ?? said(AXL_ERROR_ACTIONS[error.code as keyof typeof AXL_ERROR_ACTIONS] ?? 'Try again; if it keeps failing, see the server log.') }
      // Before the first refresh has ended there is nothing to show: the server says it is coming.
      const state = running !== undefined || (base.asOf === null && lastError === null && started)
        ? 'refreshing'
        : base.asOf === null ? (lastError === null ? 'stale' : 'error') : lastError === null ? 'ok' : 'stale'
      return { ...base, state, lastError, setup: null }
    },

    /** Server only: the first refresh now, then one every INVENTORY_REFRESH_SECONDS. */
    start (): void {
      if (started || axl === undefined) return
      started = true
      stopped = false
      arm(0)
    },

    /** Ends the timer and waits for the writes in flight (unless the database refuses them); an AXL read in flight is cut short, never written. */
    async stop (): Promise<void> {
      stopped = true
      started = false
      reading?.abort(new Stopped())
      clearTimeout(timer)
      timer = undefined
      nextAt = undefined
      if (writing !== undefined) await store.writtenUnlessRefused(writing)
      running?.catch(() => {})
    }
  }
}
