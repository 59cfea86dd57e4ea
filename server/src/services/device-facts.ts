import { displayDeviceName, utcText } from '@em-console/shared/display'
import type { DeviceReport, DeviceStatus } from '@em-console/shared/schemas'

/** A look-up's answer with the cluster that gave it (null: on none of those asked). */
type LocatedStatus = DeviceStatus & { cluster: string | null }
import type { Store } from '../store/store.js'

/** How long CUCM's Extension Mobility status may lag a change (about two minutes, PROTOCOL.md §5), with a margin. */
const STATUS_LAG_MS = 150_000
/** That lag in words, for an answer that a change just made may not show yet. */
export const STATUS_LAG_WORDS = "CUCM's Extension Mobility status can lag a change by about two minutes"

/** A device's last change that EM Console had CUCM carry out (the audit trail's lastChange). */
type LastChange = { action: 'login' | 'logout', userId: string | null, at: string }

/**
 * True when `last` logged `user` (compared without case) out less than STATUS_LAG_MS before
 * `nowMs`, or logged out whoever was on the phone: CUCM's status may still show them there.
 */
export function loggedOutLately (last: LastChange | undefined, user: string, nowMs: number): last is LastChange {
  return last !== undefined && last.action === 'logout' && (last.userId === null || last.userId.toLowerCase() === user.toLowerCase()) && nowMs - Date.parse(last.at) < STATUS_LAG_MS
}

/** Devices whose inventory rows are remembered at most (a look-up of a whole site's phones fits). */
const INVENTORY_KEPT = 10_000
/**
 * Longer than any change's record stays open: a login, a logout or a logout-all is a few EMAPI
 * calls, each bound by CUCM_TIMEOUT_MS (5 minutes at most), retried a few times while CUCM is busy,
 * after a wait for a free slot; a record left open by a stopped process is marked interrupted at
 * the next start. A cluster's latest change is looked for among those started since (an index
 * range: a night's run of 5,000 logouts is read in about half a millisecond).
 */
const CHANGE_LONGEST_MS = 86_400_000
/** Clusters whose latest change is remembered at most (far more than one console holds). */
const CLUSTERS_KEPT = 1_000

export type DeviceFacts = ReturnType<typeof createDeviceFacts>

/** What the inventory holds of one device: its phone row and its session. */
type InventoryRows = ReturnType<Store['inventory']['device']>

/**
 * What EM Console knows of devices beyond a look-up: the AXL inventory's phone and session (EM
 * flag, login time, profile, pool, model) when it knows the device; else, for the EM flag, the
 * audit trail: EMAPI's look-up never says that Extension Mobility is disabled on a phone (it
 * shows as an empty phone), but CUCM's answer to the latest login or logout of it does (code 22 or 5).
 */
export function createDeviceFacts (store: Store, said: (cluster: string) => string = (cluster) => cluster) {
  /** Each device's inventory rows, by cluster and name, as long as the inventory holds them unchanged. */
  const remembered = store.remember<InventoryRows>(['inventory'], INVENTORY_KEPT)
  const inventoryOf = (name: string, cluster: string): InventoryRows => remembered.get(`${cluster}\n${name}`, () => store.inventory.device(name, cluster))
  /**
   * When each cluster's latest change ended, until the next change: a look-up needs the audit
   * trail only when one is younger than STATUS_LAG_MS (asked per device, the check cost a query
   * per look-up: issue #14, P1 at 1.29 × the bare proxy instead of ~1.06 ×).
   */
  const latestChanges = store.remember<string | undefined>(['audit'], CLUSTERS_KEPT, { committedOnly: true })
  const latestChangeOn = (cluster: string, nowMs: number): string | undefined => latestChanges.get(cluster, () => store.changes.lastChangeOn(cluster, new Date(nowMs - CHANGE_LONGEST_MS).toISOString()))
  /**
   * Words for a look-up that contradicts what EM Console had CUCM do here less than STATUS_LAG_MS
   * ago: CUCM carried it out, but its status may not show it yet. Null when nothing contradicts.
   */
  function mayLag (status: LocatedStatus, nowMs: number, lastLogoutAll: (cluster: string) => string | undefined): string | null {
    if (!status.exists || status.cluster === null) return null
    const recent = (at: string | undefined): boolean => at !== undefined && nowMs - Date.parse(at) < STATUS_LAG_MS
    if (!recent(latestChangeOn(status.cluster, nowMs))) return null
    const device = displayDeviceName(status.deviceName)
    const lag = `${STATUS_LAG_WORDS}: look it up again in a minute or two.`
    const last = store.changes.lastChange(status.deviceName, status.cluster)
    const current = status.currentUser?.toLowerCase()
    if (current !== undefined && loggedOutLately(last, current, nowMs)) return `EM Console logged ${last.userId ?? 'the user'} out of ${device} at ${utcText(last.at)}. ${lag}`
    if (last !== undefined && recent(last.at) && last.action === 'login' && current !== last.userId?.toLowerCase()) {
      return `EM Console logged ${last.userId ?? 'the user'} in on ${device} at ${utcText(last.at)}. ${lag}`
    }
    if (current === undefined) return null
    const logoutAll = lastLogoutAll(status.cluster)
    // A login of this device since the logout-all explains its user.
    if (recent(logoutAll) && logoutAll !== undefined && (last === undefined || last.at < logoutAll)) {
      return `EM Console logged out every user of cluster ${said(status.cluster)} at ${utcText(logoutAll)}; CUCM may take a few minutes to drop them all, and its status can lag by about two minutes: look it up again in a minute or two.`
    }
    return null
  }

  return {
    /** The look-ups with what is known besides, in their order. */
    of (statuses: readonly LocatedStatus[]): DeviceReport[] {
      // Logins' and logouts' answers: changes, read without committing the trailing look-up rows first.
      // Per cluster: a name on two clusters is two phones, and CUCM's answer for one says nothing of the other.
      const facts = new Map<string, ReturnType<Store['changes']['emFacts']>>()
      const empty = statuses.filter((s) => s.exists && s.currentUser === null && s.cluster !== null)
      for (const cluster of new Set(empty.map((s) => s.cluster ?? ''))) {
        facts.set(cluster, store.changes.emFacts(empty.filter((s) => s.cluster === cluster).map((s) => s.deviceName), cluster))
      }
      const nowMs = Date.now()
      // Asked once per cluster of the look-up, not once per device (5,000 devices, a few clusters).
      const logoutAlls = new Map<string, string | undefined>()
      const lastLogoutAll = (cluster: string): string | undefined => {
        if (!logoutAlls.has(cluster)) logoutAlls.set(cluster, store.changes.lastLogoutAll(cluster))
        return logoutAlls.get(cluster)
      }
      return statuses.map((status) => {
        const { phone, session } = status.exists && status.cluster !== null ? inventoryOf(status.deviceName, status.cluster) : { phone: undefined, session: undefined }
        // A session the inventory saw belongs to the user EMAPI reports now, or it has ended since.
        const current = session !== undefined && session.userId.toLowerCase() === status.currentUser?.toLowerCase() ? session : undefined
        return {
          ...status,
          // Someone logged in through EM right now: it is enabled, whatever an older answer said.
          emEnabled: !status.exists ? null : status.currentUser !== null ? true : phone?.emEnabled ?? facts.get(status.cluster ?? '')?.get(status.deviceName.toLowerCase())?.emEnabled ?? null,
          loginTime: current?.loginTime ?? null,
          profile: current?.profile ?? null,
          devicePool: phone?.devicePool ?? null,
          model: phone?.model ?? null,
          mayLag: mayLag(status, nowMs, lastLogoutAll)
        }
      })
    }
  }
}
