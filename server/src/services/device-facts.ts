import type { DeviceReport, DeviceStatus } from '@em-console/shared/schemas'
import type { Store } from '../store/store.js'

export type DeviceFacts = ReturnType<typeof createDeviceFacts>

/**
 * What EM Console knows of devices beyond a look-up, read from the audit trail: EMAPI's look-up
 * never says that Extension Mobility is disabled on a phone (it shows as an empty phone), but
 * CUCM's answer to the latest login or logout of it does (code 22 or 5). The AXL inventory (#18)
 * will fill the other facts (login time, profile, pool, model); until then they are null.
 */
export function createDeviceFacts (store: Store) {
  return {
    /** The look-ups with what is known besides, in their order. */
    of (statuses: readonly DeviceStatus[]): DeviceReport[] {
      const facts = store.audit.emFacts(statuses.filter((s) => s.exists && s.currentUser === null).map((s) => s.deviceName))
      return statuses.map((status) => ({
        ...status,
        // Someone logged in through EM right now: it is enabled, whatever an older answer said.
        emEnabled: !status.exists ? null : status.currentUser !== null ? true : facts.get(status.deviceName.toLowerCase())?.emEnabled ?? null,
        loginTime: null,
        profile: null,
        devicePool: null,
        model: null
      }))
    }
  }
}
