import type {
  AsOf, EndedSession, InventoryError, InventoryStatus, LiveSession, PhonePage, PhonesQuery, SessionFilters, SessionHistoryFilters, SessionHistoryPage, SessionHistoryQuery,
  SessionPage, SessionsExportQuery, SessionsQuery, SessionSummary
} from '@em-console/shared/schemas'
import { silentLog, type Log } from '../log.js'
import { BadRequestError, badCursor, ServiceError } from '../services/errors.js'
import type { Store } from '../store/store.js'
import { decodeKeyset, type InUse } from './inventory-repository.js'
import { AXL_SETUP, Stopped, type Inventory } from './inventory.js'
import { nocaseKey } from './names.js'

export interface InventoryServiceOptions {
  /** One inventory per usable cluster, as of now (clusters come and go without a restart). */
  inventories: () => readonly Inventory[]
  store: Store
  /** SESSION_HISTORY_DAYS, reported with the history. */
  historyDays: number
  log?: Log
  now?: () => Date
  /** How often other processes' logins and logouts are looked for (tests shorten it). */
  othersChangesMs?: number
  /** Why a cluster that exists has no inventory (disabled, its passwords unreadable), or undefined. */
  unusable?: (cluster: string) => { message: string, action?: string } | undefined
}

/** A selection by sessions, as a run uses it: every matching device, and when the inventory was read. */
export interface SessionSelection {
  devices: string[]
  sessions: Array<{ cluster: string, deviceName: string, userId: string }>
  asOf: AsOf
  /** A selection by age: the sessions it left out, though they match the other filters, because CUCM holds no login time for them (their age is unknown). */
  unknownAge?: number
  /** `partial` only: the clusters whose refresh failed, left out of `sessions` (and why). */
  unavailable?: Array<{ cluster: string, error: InventoryError }>
}

export type InventoryService = ReturnType<typeof createInventoryService>

/** Summaries kept (oldest dropped first). */
const SUMMARY_CACHE = 32

/** How often the server looks for logins and logouts another process (a CLI command) recorded. */
const OTHERS_CHANGES_MS = 5_000
/** Another process's changes still pending that are followed to their end (a CLI run's, at most). */
const OTHERS_PENDING_KEPT = 1000

function checkCursor (cursor: string | undefined, length: number): void {
  if (cursor !== undefined && decodeKeyset(cursor, length) === undefined) throw badCursor()
}

/**
 * A device pool no phone of the inventory (of `among`, the clusters asked; all when undefined) is
 * in, in words, or undefined when each of `asked` is one of `known`. Compared as the selection's
 * SQL compares them (NOCASE: ASCII letters without case, others exactly), so a pool this lets
 * through is one the selection finds, never an empty selection that "succeeds".
 */
export function unknownPools (asked: readonly string[], known: readonly string[], among: readonly string[] | undefined): string | undefined {
  const keys = new Set(known.map(nocaseKey))
  const unknown = asked.filter((pool) => !keys.has(nocaseKey(pool)))
  if (unknown.length === 0) return undefined
  const shown = known.length > 20 ? `${known.slice(0, 20).join(', ')}…` : known.join(', ')
  return `No phone of the inventory${among === undefined ? '' : ` of ${among.length === 1 ? 'cluster' : 'clusters'} ${among.join(', ')}`} is in the device pool${unknown.length === 1 ? '' : 's'} ${unknown.map((p) => `"${p.slice(0, 100)}"`).join(', ')}: check the name. ${known.length === 0 ? 'The inventory knows no device pool yet.' : `Its pools: ${shown}.`}`
}

/**
 * The inventories of every cluster behind one face: the API's reads (from SQLite, never live from
 * AXL), on-demand refreshes, and the selection by sessions that runs and schedules use.
 */
export function createInventoryService (options: InventoryServiceOptions) {
  const { store } = options
  const log = options.log ?? silentLog
  const now = options.now ?? (() => new Date())
  let watch: NodeJS.Timeout | undefined
  /** The inventories by cluster id, in the registry's order. */
  const current = (): Map<string, Inventory> => new Map(options.inventories().map((inventory) => [inventory.clusterId, inventory]))
  const summaries = new Map<string, SessionSummary>()

  function known (cluster: string | undefined): Inventory[] {
    const byId = current()
    if (cluster === undefined) return [...byId.values()]
    const inventory = byId.get(cluster) ?? [...byId.values()].find((i) => i.clusterId.toLowerCase() === cluster.toLowerCase())
    if (inventory !== undefined) return [inventory]
    // A disabled cluster is no typo: said as its look-ups say it, not "there is no cluster".
    const unusable = options.unusable?.(cluster)
    if (unusable !== undefined) throw new ServiceError('bad-request', 'VALIDATION', `Invalid field "cluster": ${unusable.message}`, { field: 'cluster', action: unusable.action })
    throw new BadRequestError('cluster', `Invalid field "cluster": there is no cluster "${cluster.slice(0, 64)}" (known: ${[...byId.keys()].join(', ')}).`)
  }

  function asOf (cluster?: string): AsOf {
    return Object.fromEntries(known(cluster).map((inventory) => [inventory.clusterId, store.inventory.state(inventory.clusterId)?.asOf ?? null]))
  }

  /**
   * The filters with their cluster as the inventory spells it: a cluster is accepted in any case
   * (as everywhere), and the stored rows, compared exactly, must then be asked for by its own id,
   * or a selection of "HQ" would find nobody and a logout of it "succeed".
   */
  function checkFilters<F extends { cluster?: string }> (filters: F): F {
    if (filters.cluster === undefined) return filters
    const [inventory] = known(filters.cluster)
    return { ...filters, cluster: inventory?.clusterId ?? filters.cluster }
  }

  /**
   * checkFilters, and without a cluster the clusters whose inventory is read now (`among`, by
   * default every one in use): the rows of a cluster deleted or disabled stay, named by its id, but
   * are nobody's current session (its ?cluster= is refused, asOf leaves it out), nor a run's.
   */
  function inUse<F extends { cluster?: string }> (filters: F, among: readonly Inventory[] = known(undefined)): InUse<F> {
    const checked = checkFilters(filters)
    return checked.cluster === undefined ? { ...checked, inUse: among.map((inventory) => inventory.clusterId) } : checked
  }

  /**
   * checkFilters, but a cluster deleted or disabled is read by its id when the history holds its
   * sessions (its history stays, as History's records do): only a name it never held is refused.
   */
  function checkHistoryFilters (asked: SessionHistoryFilters): SessionHistoryFilters {
    const filters = asked.cluster !== undefined && !current().has(asked.cluster) && store.inventory.hasHistory(asked.cluster) ? asked : checkFilters(asked)
    if (filters.from !== undefined && filters.to !== undefined && Date.parse(filters.from) > Date.parse(filters.to)) {
      throw new BadRequestError('from', 'Invalid querystring field "from": it is after "to".')
    }
    return filters
  }

  async function refreshAll (inventories: readonly Inventory[]): Promise<void> {
    await Promise.all(inventories.filter((i) => i.configured).map(async (inventory) => await inventory.refresh()))
  }

  /**
   * The device pools the phones of `among` (cluster ids) are in; without clusters named, those of
   * the clusters in use: a pool only a deleted or disabled cluster had selects nobody.
   */
  function devicePools (among: readonly string[] | undefined): string[] {
    return store.inventory.devicePools(among ?? known(undefined).map((inventory) => inventory.clusterId))
  }

  /**
   * A device pool no phone of the inventory is in is a typo, not an empty pool: a nightly logout
   * of it would do nothing every night, saying it succeeded.
   */
  function checkPools (filters: SessionFilters, among: readonly string[] | undefined): void {
    const problem = unknownPools(filters.devicePool ?? [], devicePools(among), among)
    if (problem !== undefined) throw new BadRequestError('devicePool', problem)
  }

  /** A run that changed who is logged in on `clusters` (ids, any case) has ended: their inventories read its last changes soon. */
  function changesEnded (clusters: readonly string[]): void {
    const ended = new Set(clusters.map((id) => id.toLowerCase()))
    for (const inventory of options.inventories()) if (ended.has(inventory.clusterId.toLowerCase())) inventory.changesEnded()
  }

  return {
    clusters: (): string[] => [...current().keys()],
    devicePools,
    configured: (): boolean => options.inventories().some((i) => i.configured),

    status: (): InventoryStatus => ({ clusters: options.inventories().map((inventory) => inventory.status()) }),

    /** Refreshes one cluster or all; with `wait` the answer comes once every refresh ended. */
    async refresh (cluster: string | undefined, wait: boolean): Promise<InventoryStatus> {
      const inventories = known(cluster)
      const done = refreshAll(inventories)
      if (wait) await done
      else {
        done.catch((error: unknown) => {
          // Cut short by a stop: nothing went wrong.
          if (!(error instanceof Stopped)) log.error({ err: error }, 'Inventory: an on-demand refresh failed with an internal error')
        })
      }
      return { clusters: inventories.map((inventory) => inventory.status()) }
    },

    sessions (query: SessionsQuery): SessionPage {
      const { sort = 'loginTime', order = 'asc', limit = 100, cursor, ...asked } = query
      const filters = inUse(asked)
      checkCursor(cursor, 3)
      return { ...store.inventory.sessionsPage(filters, sort, order, limit, cursor, now().getTime()), asOf: asOf(filters.cluster) }
    },

    /** Every matching session, in batches (the CSV export streams them). */
    exportSessions (query: SessionsExportQuery): Generator<LiveSession[]> {
      const { sort = 'loginTime', order = 'asc', ...asked } = query
      const filters = inUse(asked)
      return store.inventory.iterateSessions(filters, sort, order, now().getTime())
    },

    /**
     * Aggregates over every matching session (tens of ms at 20,000): kept per filter until the
     * inventory changes or a minute passes (the ages move on), so screens that poll it cost nothing.
     */
    summary (asked: SessionFilters): SessionSummary {
      const filters = inUse(asked)
      const at = now().getTime()
      const stamp = asOf(filters.cluster)
      const key = JSON.stringify([filters, stamp, Math.floor(at / 60_000)])
      const cached = summaries.get(key)
      if (cached !== undefined) return cached
      const summary = { ...store.inventory.summary(filters, at), asOf: stamp }
      if (summaries.size >= SUMMARY_CACHE) summaries.delete(summaries.keys().next().value as string)
      summaries.set(key, summary)
      return summary
    },

    history (query: SessionHistoryQuery): SessionHistoryPage {
      const { limit = 100, cursor, ...asked } = query
      const filters = checkHistoryFilters(asked)
      checkCursor(cursor, 2)
      return { ...store.inventory.historyPage(filters, limit, cursor), keptDays: options.historyDays }
    },

    /** Every matching ended session, the latest end first, in batches (the CSV export streams them). */
    exportHistory (asked: SessionHistoryFilters): Generator<EndedSession[]> {
      const filters = checkHistoryFilters(asked)
      return store.inventory.iterateHistory(filters)
    },

    phones (query: PhonesQuery): PhonePage {
      const { limit = 100, cursor, ...asked } = query
      const filters = inUse(asked)
      checkCursor(cursor, 2)
      return { ...store.inventory.phonesPage(filters, limit, cursor), asOf: asOf(filters.cluster) }
    },

    /**
     * The devices of every session matching the filters, read after a fresh refresh of the
     * clusters concerned: what a run or schedule "by sessions" logs out. A refresh that fails
     * refuses the selection rather than act on an old inventory. The device pools named must be on
     * a phone of `poolsAmong` (a selection made cluster by cluster checks them against all of its
     * clusters), by default of the filters' cluster, or of any. `partial` (a listing, which logs
     * nobody out): the clusters that were refreshed, naming those that failed, every one when none
     * could be read (then nothing is selected, and no pool is checked against rows not read now).
     */
    async selectSessions (asked: SessionFilters, poolsAmongAsked?: readonly string[], { partial = false }: { partial?: boolean } = {}): Promise<SessionSelection> {
      const filters = checkFilters(asked)
      const poolsAmong = poolsAmongAsked?.map((cluster) => known(cluster)[0]?.clusterId ?? cluster) ?? (filters.cluster === undefined ? undefined : [filters.cluster])
      const inventories = known(filters.cluster).filter((i) => i.configured)
      if (inventories.length === 0) {
        throw new ServiceError('conflict', 'INVENTORY_NOT_CONFIGURED', 'A selection by sessions needs the inventory, and no cluster has AXL settings.', { action: `${AXL_SETUP.message} Keys: ${AXL_SETUP.keys.join(', ')}. Roles: ${AXL_SETUP.roles.join(' + ')}.` })
      }
      const outcomes = await Promise.all(inventories.map(async (inventory) => ({ inventory, outcome: await inventory.refresh() })))
      const unavailable = outcomes.flatMap((o) => o.outcome.ok ? [] : [{ cluster: o.inventory.clusterId, error: o.outcome.error }])
      const failed = unavailable[0]
      if (failed !== undefined && !partial) {
        throw new ServiceError('failed', 'INVENTORY_STALE', `The inventory of cluster ${failed.cluster} could not be refreshed, so nothing was selected: ${failed.error.message}`, { action: failed.error.action })
      }
      if (unavailable.length === outcomes.length) return { devices: [], sessions: [], asOf: asOf(filters.cluster), unavailable }
      checkPools(filters, poolsAmong)
      // Only what was just read: never another cluster's rows, left as they were.
      const refreshed = outcomes.flatMap((o) => o.outcome.ok ? [o.inventory] : [])
      const at = now().getTime()
      const sessions = store.inventory.selectDevices(inUse(filters, refreshed), at)
      const unknownAge = filters.olderThanHours === undefined ? 0 : store.inventory.countUnknownAge(inUse(filters, refreshed), at)
      return { devices: sessions.map((s) => s.deviceName), sessions, asOf: asOf(filters.cluster), ...(unknownAge > 0 ? { unknownAge } : {}), ...(partial ? { unavailable } : {}) }
    },

    changesEnded,

    /**
     * Server only: arms every cluster's refresh timer, and has the inventory follow the logins and
     * logouts of other processes as it follows its own: a CLI command's logouts are read back
     * within seconds, not at the next timed refresh (a logout-all's count would tell them).
     */
    start (): void {
      for (const inventory of options.inventories()) inventory.start()
      let seen = store.audit.changesMark()
      /** Another process's changes seen pending: their end is a change too (a long logout-all ends well after it began). */
      let waiting: number[] = []
      watch = setInterval(() => {
        try {
          const mark = store.audit.changesMark()
          // The version moves only for other connections' commits: this process's own changes
          // ask for a refresh themselves (em-service), and are not read here.
          if (mark.version === seen.version) {
            seen = mark
            return
          }
          const changes = store.audit.changesIn(seen.lastId, mark.lastId)
          const finished = waiting.length === 0 ? [] : store.audit.finishedAmong(waiting)
          seen = mark
          const ended = new Set(finished.map((row) => row.id))
          waiting = [...waiting.filter((id) => !ended.has(id)), ...changes.filter((row) => row.pending).map((row) => row.id)].slice(-OTHERS_PENDING_KEPT)
          const runEnds = changes.filter((row) => row.runEnd)
          const clusters = new Set([...changes.filter((row) => !row.runEnd), ...finished].map((row) => row.cluster))
          for (const inventory of options.inventories()) if (clusters.has(inventory.clusterId)) inventory.changed()
          // Another process's run has ended (its summary; one of several clusters names none): its
          // last changes are read soon, as the server's own runs' are (changesEnded does nothing where nothing changed).
          if (runEnds.length > 0) changesEnded(runEnds.some((row) => row.cluster === null) ? options.inventories().map((i) => i.clusterId) : runEnds.map((row) => row.cluster ?? ''))
        } catch (error) {
          log.error({ err: error }, 'Inventory: reading the changes of other processes failed')
        }
      }, options.othersChangesMs ?? OTHERS_CHANGES_MS)
      watch.unref()
    },

    async stop (): Promise<void> {
      clearInterval(watch)
      await Promise.all(options.inventories().map(async (inventory) => { await inventory.stop() }))
    }
  }
}
