import type { DeviceReport, DeviceStatus } from '@em-console/shared/schemas'

/** A look-up's answer with the cluster that gave it (null: on none of those asked). */
type LocatedStatus = DeviceStatus & { cluster: string | null }
import type { Store } from '../store/store.js'

/** Devices whose inventory rows are remembered at most (a look-up of a whole site's phones fits). */
const INVENTORY_KEPT = 10_000

export type DeviceFacts = ReturnType<typeof createDeviceFacts>

/** What the inventory holds of one device: its phone row and its session. */
type InventoryRows = ReturnType<Store['inventory']['device']>

/**
 * What EM Console knows of devices beyond a look-up: the AXL inventory's phone and session (EM
 * flag, login time, profile, pool, model) when it knows the device; else, for the EM flag, the
 * audit trail: EMAPI's look-up never says that Extension Mobility is disabled on a phone (it
 * shows as an empty phone), but CUCM's answer to the latest login or logout of it does (code 22 or 5).
 */
export function createDeviceFacts (store: Store) {
  /** Each device's inventory rows, by cluster and name, as long as the inventory holds them unchanged. */
  const remembered = store.remember<InventoryRows>(['inventory'], INVENTORY_KEPT)
  const inventoryOf = (name: string, cluster: string): InventoryRows => remembered.get(`${cluster}\n${name}`, () => store.inventory.device(name, cluster))
  return {
    /** The look-ups with what is known besides, in their order. */
    of (statuses: readonly LocatedStatus[]): DeviceReport[] {
      const empty = statuses.filter((s) => s.exists && s.currentUser === null).map((s) => s.deviceName)
      // Not asked for none: a read of the audit trail commits its trailing look-up rows first.
      const facts = empty.length === 0 ? new Map<string, never>() : store.audit.emFacts(empty)
      return statuses.map((status) => {
        const { phone, session } = status.exists && status.cluster !== null ? inventoryOf(status.deviceName, status.cluster) : { phone: undefined, session: undefined }
        // A session the inventory saw belongs to the user EMAPI reports now, or it has ended since.
        const current = session !== undefined && session.userId.toLowerCase() === status.currentUser?.toLowerCase() ? session : undefined
        return {
          ...status,
          // Someone logged in through EM right now: it is enabled, whatever an older answer said.
          emEnabled: !status.exists ? null : status.currentUser !== null ? true : phone?.emEnabled ?? facts.get(status.deviceName.toLowerCase())?.emEnabled ?? null,
          loginTime: current?.loginTime ?? null,
          profile: current?.profile ?? null,
          devicePool: phone?.devicePool ?? null,
          model: phone?.model ?? null
        }
      })
    }
  }
}
