import type { ActionResult } from '@em-console/shared/schemas'
import type { Caller } from '../services/em-service.js'
import { failedItemsAction, RunFailedError } from '../services/errors.js'
import type { Store } from '../store/store.js'
import type { RunService } from './run-service.js'
import type { SettingsService } from './settings-service.js'
import { clusterField, soleCluster } from './sole-cluster.js'

export interface ListRunDeps {
  runs: Pick<RunService, 'start' | 'finished'>
  settings: Pick<SettingsService, 'deviceList'>
  store: Store
}

/**
 * A device list of Settings logged out one by one, run to its end, as a schedule runs it: the
 * run's summary record (the run service writes it as the run ends) names the list. A run with
 * failed items (or no such list, or an empty one: recorded here, no run starts) throws
 * RunFailedError, which the schedule records. Without a name, the first list (before #16 the one
 * saved list). `clusters`: only these are asked and acted on; absent: every usable one.
 */
export async function logoutDeviceList ({ runs, settings, store }: ListRunDeps, caller: Caller, name?: string, clusters?: readonly string[]): Promise<ActionResult> {
  const list = settings.deviceList(name)
  // Named by its one cluster, as the run's summary would be, so History filtered by it shows the refusal.
  const cluster = clusterField(soleCluster(clusters))
  const refuse = async (message: string): Promise<never> => {
    const auditId = await store.write((w) => w.audit.record({ ...caller, action: 'bulk-run', ...cluster }, { outcome: 'failure', errorCode: 'EMPTY_LIST', message }), 'bulk-run summary')
    throw new RunFailedError(message, '', auditId)
  }
  if (list === undefined) {
    return await refuse(name === undefined ? 'There is no device list: add one in Settings.' : `No device list is named "${name}" any more: pick one of Settings' lists for this schedule.`)
  }
  if (list.devices.length === 0) return await refuse(`The device list "${list.name}" is empty: add devices to it in Settings.`)
  // Within the schedule's clusters when it names some; a device found on several of them is not guessed at.
  const id = await runs.start(caller, { action: 'logout', devices: list.devices, list: list.name, ...(clusters === undefined ? {} : { clusters }) })
  const ended = await runs.finished(id)
  if (ended === undefined) throw new Error(`Run ${id} of the device list "${list.name}": its end could not be recorded (see the server log).`)
  // Items that did not (surely) work, and items the run did not reach: either fails the schedule's run.
  if (ended.failed > 0) throw new RunFailedError(ended.message, id, ended.auditId, { action: failedItemsAction(ended), interrupted: ended.interrupted })
  return { outcome: 'success', message: ended.message, auditId: ended.auditId, runId: id }
}
