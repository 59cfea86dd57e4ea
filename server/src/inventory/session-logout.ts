import { asOfText, selectionWords } from '@em-console/shared/display'
import type { ActionResult, AsOf, SessionFilters } from '@em-console/shared/schemas'
import type { RunService } from '../runs/run-service.js'
import { clusterField, soleCluster } from '../runs/sole-cluster.js'
import type { Caller } from '../services/em-service.js'
import { BadRequestError, failedItemsAction, RunFailedError, ServiceError } from '../services/errors.js'
import { stoppedText, type Stopper } from '../services/stopper.js'
import { NOT_SENT } from '../audit/audit-repository.js'
import type { Store } from '../store/store.js'
import type { InventoryService, SessionSelection } from './inventory-service.js'

export interface SessionLogoutOptions {
  inventory: Pick<InventoryService, 'selectSessions' | 'clusters'>
  runs: Pick<RunService, 'start' | 'finished'>
  store: Store
  /** A cluster in words meant for a person (registry.said). */
  said: (cluster: string) => string
}

/** A selection by sessions in words, for the audit trail and the schedule's last run; `said` names a cluster (registry.said). */
export function describeSelection (filters: SessionFilters, said: (cluster: string) => string): string {
  const words = selectionWords(filters, said)
  return words === '' ? 'every session' : `the sessions ${words}`
}

/**
 * When the selection's inventory was read, and the sessions a selection by age left alone because
 * CUCM holds no login time for them: a nightly "older than 12 h" that says only "success" would
 * hide phones it can never log out.
 */
export function inventoryNote (selection: Pick<SessionSelection, 'asOf' | 'unknownAge'>, said: (cluster: string) => string): string {
  const unknown = selection.unknownAge ?? 0
  const left = unknown === 0 ? '' : `; ${unknown} session${unknown === 1 ? '' : 's'} whose login time CUCM does not hold left alone (age unknown)`
  return `inventory ${asOfText(selection.asOf, said)}${left}`
}

/**
 * The sessions the filters select, from a fresh inventory, within `clusters` when given (a
 * schedule's clusters: each is selected, and so refreshed, on its own). The one way runs, the CLI
 * and schedules select by sessions.
 */
export async function selectSessions (inventory: Pick<InventoryService, 'selectSessions'>, filters: SessionFilters, clusters?: readonly string[]): Promise<SessionSelection> {
  if (clusters === undefined) return await inventory.selectSessions(filters)
  const wanted = filters.cluster === undefined ? clusters : clusters.filter((c) => c.toLowerCase() === filters.cluster?.toLowerCase())
  if (wanted.length === 0) throw new BadRequestError('cluster', `Invalid field "cluster": the sessions' cluster ${filters.cluster ?? ''} is not one of the clusters asked (${clusters.join(', ')}).`)
  // A pool need only be on one of the clusters: a schedule of Oslo's and Chicago's pools runs on both.
  const parts = await Promise.all(wanted.map(async (cluster) => await inventory.selectSessions({ ...filters, cluster }, wanted)))
  const unknownAge = parts.reduce((sum, p) => sum + (p.unknownAge ?? 0), 0)
  return {
    devices: parts.flatMap((p) => p.devices),
    sessions: parts.flatMap((p) => p.sessions),
    asOf: Object.assign({}, ...parts.map((p) => p.asOf)) as AsOf,
    ...(unknownAge > 0 ? { unknownAge } : {})
  }
}

/**
 * The one cluster a selection made concerns, by the inventory's id (its filters' cluster, or the
 * one cluster whose inventory it read): what the records of its run, or of its refusal, name, so
 * History filtered by that cluster shows them. Undefined when it read several.
 */
export function selectionCluster (selection: SessionSelection): string | undefined {
  return soleCluster(Object.keys(selection.asOf))
}

/**
 * Logs out every session a selection finds, as one bulk run waited for to its end (the pattern of
 * list-run.ts): the selection reads a fresh inventory, the run looks each device up again with
 * EMAPI on its own cluster before its logout (the same user still there, exemptions kept), and its
 * one `bulk-run` summary record (the run service writes it as the run ends) names the selection. Failed items throw RunFailedError. POST /api/runs with
 * `sessions` takes the same path through the run service (selectSessions above).
 */
export function createSessionLogout ({ inventory, runs, store, said }: SessionLogoutOptions) {
  /** A selection that starts no run is recorded here, naming its cluster when it concerns one (`cluster`: its id as the inventory spells it), so History filtered by it shows it. */
  const summaryRow = async (caller: Caller, cluster: string | undefined, runId: string | undefined, outcome: 'success' | 'failure' | 'interrupted', message: string, errorCode?: string): Promise<number> =>
    await store.write((w) => w.audit.record({ ...caller, action: 'bulk-run', ...clusterField(cluster), ...(runId === undefined ? {} : { runId }) }, { outcome, errorCode, message }), 'bulk-run summary')

  /** The one cluster a selection not made (refused) asked, by the inventory's id; undefined when it asked several (or a cluster there is not). */
  function oneCluster (filters: SessionFilters, clusters: readonly string[] | undefined): string | undefined {
    const asked = filters.cluster ?? soleCluster(clusters) ?? soleCluster(inventory.clusters())
    return asked === undefined ? undefined : inventory.clusters().find((id) => id.toLowerCase() === asked.toLowerCase())
  }

  /** Logs out the devices of a selection made before (the CLI shows its count and asks first). */
  async function logoutSelected (caller: Caller, filters: SessionFilters, selection: SessionSelection): Promise<ActionResult> {
    const what = describeSelection(filters, said)
    if (selection.devices.length === 0) {
      const message = `Logout of ${what}: nobody to log out (${inventoryNote(selection, said)}).`
      return { outcome: 'success', message, auditId: await summaryRow(caller, selectionCluster(selection), undefined, 'success', message) }
    }
    // Each session's device on its cluster, logged out only if the same user is still there; the
    // run names the selection's cluster as a run by sessions of POST /api/runs does.
    const id = await runs.start(caller, { action: 'logout', sessions: filters, selection })
    const ended = await runs.finished(id)
    if (ended === undefined) throw new Error(`Run ${id} of ${what}: its end could not be recorded (see the server log).`)
    // Items that did not (surely) work, and items the run did not reach (as list-run.ts counts them).
    if (ended.failed > 0) throw new RunFailedError(ended.message, id, ended.auditId, { action: failedItemsAction(ended), interrupted: ended.interrupted })
    return { outcome: 'success', message: ended.message, auditId: ended.auditId, runId: id }
  }

  /** The selection, read fresh; a refusal (no AXL, a failed refresh) is recorded and thrown as RunFailedError. */
  async function select (caller: Caller, filters: SessionFilters, clusters?: readonly string[]): Promise<SessionSelection> {
    try {
      return await selectSessions(inventory, filters, clusters)
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error
      const message = `Logout of ${describeSelection(filters, said)}: nothing was sent. ${error.message}${error.action === undefined ? '' : ` ${error.action}`}`
      throw new RunFailedError(message, '', await summaryRow(caller, oneCluster(filters, clusters), undefined, 'failure', message, error.code))
    }
  }

  /**
   * A logout stopped before its run began (the em-console command's Ctrl-C or SIGTERM while it read
   * the inventory, cutting the read short: no selection, or while it asked): nothing was sent; its
   * record says so, interrupted, as a run stopped says it.
   */
  async function stoppedBefore (caller: Caller, filters: SessionFilters, selection: SessionSelection | undefined, by: Stopper): Promise<{ message: string, auditId: number }> {
    const count = selection?.devices.length ?? 0
    const when = selection === undefined
      ? 'while the inventory was read, before any session was selected'
      : `before the logout of ${count} session${count === 1 ? '' : 's'} began (inventory ${asOfText(selection.asOf, said)})`
    const message = `Logout of ${describeSelection(filters, said)}: nothing was sent. ${stoppedText(by)} ${when}.`
    const cluster = selection === undefined ? oneCluster(filters, undefined) : selectionCluster(selection)
    return { message, auditId: await summaryRow(caller, cluster, undefined, 'interrupted', message, NOT_SENT) }
  }

  return {
    select,
    logoutSelected,
    stoppedBefore,
    /** Select, then log out: what a schedule by sessions runs (within its clusters when it names some). */
    logoutSessions: async (caller: Caller, filters: SessionFilters, clusters?: readonly string[]): Promise<ActionResult> =>
      await logoutSelected(caller, filters, await select(caller, filters, clusters))
  }
}

export type SessionLogout = ReturnType<typeof createSessionLogout>
