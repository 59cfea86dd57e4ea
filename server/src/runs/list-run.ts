import type { ActionResult } from '@em-console/shared/schemas'
import type { Caller } from '../services/em-service.js'
import { RunFailedError } from '../services/errors.js'
import type { Store } from '../store/store.js'
import type { RunService } from './run-service.js'
import type { SettingsService } from './settings-service.js'

export interface ListRunDeps {
  runs: Pick<RunService, 'start' | 'subscribe' | 'isFinal' | 'summary'>
  settings: Pick<SettingsService, 'deviceList'>
  store: Store
}

/**
 * A device list of Settings logged out one by one, run to its end, as a schedule runs it: one
 * audit row sums it up; a run with failed items (or no such list, or an empty one) throws
 * RunFailedError, which the schedule records. Without a name, the first list (before #16 the
 * one saved list). The same as RunService.logoutSavedList, for a list picked by name.
 */
export async function logoutDeviceList ({ runs, settings, store }: ListRunDeps, caller: Caller, name?: string): Promise<ActionResult> {
  const list = settings.deviceList(name)
  const refuse = async (message: string): Promise<never> => {
    const auditId = await store.write((w) => w.audit.record({ ...caller, action: 'bulk-run' }, { outcome: 'failure', errorCode: 'EMPTY_LIST', message }), 'bulk-run summary')
    throw new RunFailedError(message, '', auditId)
  }
  if (list === undefined) {
    return await refuse(name === undefined ? 'There is no device list: add one in Settings.' : `No device list is named "${name}" any more: pick one of Settings' lists for this schedule.`)
  }
  if (list.devices.length === 0) return await refuse(`The device list "${list.name}" is empty: add devices to it in Settings.`)
  const id = await runs.start(caller, { action: 'logout', devices: list.devices })
  await ended(runs, id)
  const summary = store.runs.summary(id)
  const counts = summary?.counts ?? {}
  const failed = (counts.failure ?? 0) + (counts.error ?? 0) + (counts.cancelled ?? 0) + (counts.interrupted ?? 0)
  const message = `Per-device logout of the list "${list.name}", ${summary?.total ?? 0} devices (run ${id}): ${Object.entries(counts).map(([o, n]) => `${n} ${o}`).join(', ')}.`
  const auditId = await store.write((w) => w.audit.record({ ...caller, action: 'bulk-run', runId: id }, { outcome: failed > 0 ? 'failure' : 'success', errorCode: failed > 0 ? 'RUN_FAILED' : undefined, message }), 'bulk-run summary')
  if (failed > 0) throw new RunFailedError(message, id, auditId)
  return { outcome: 'success', message, auditId }
}

/** Resolves when the run has ended (its final state, or the server stopping it). */
async function ended (runs: ListRunDeps['runs'], id: string): Promise<void> {
  await new Promise<void>((resolve) => {
    // Set once subscribed: subscribe() tells the current state at once, which may be the end already.
    const subscription: { stop?: () => void, over?: boolean } = {}
    const finish = (): void => {
      if (subscription.over === true) return
      subscription.over = true
      subscription.stop?.()
      resolve()
    }
    subscription.stop = runs.subscribe(id, (event) => { if (runs.isFinal(event.state) && event.item === undefined) finish() }, finish)
    // Not live in this process: it ended long ago.
    if (subscription.stop === undefined) resolve()
    else if (subscription.over === true) subscription.stop()
  })
}
