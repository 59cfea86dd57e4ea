import { SettingsSchema, type Settings } from '@em-console/shared/schemas'
import Value from 'typebox/value'
import type { Caller } from '../services/em-service.js'
import type { Store } from '../store/store.js'

const KEY = 'bulk_settings'
const EMPTY: Settings = { exemptions: { devices: [], users: [] }, logoutDeviceList: [] }

export type SettingsService = ReturnType<typeof createSettingsService>

export function createSettingsService (store: Store) {
  return {
    get (): Settings {
      const raw = store.settings.get(KEY)
      const parsed: unknown = raw === undefined ? EMPTY : JSON.parse(raw)
      return Value.Check(SettingsSchema, parsed) ? parsed : EMPTY
    },
    async update (caller: Caller, settings: Settings): Promise<Settings> {
      const { exemptions, logoutDeviceList } = settings
      await store.write((w) => {
        w.settings.set(KEY, JSON.stringify(settings))
        w.audit.record({ ...caller, action: 'settings-update' }, {
          outcome: 'success',
          message: `Settings saved: ${exemptions.devices.length} exempt devices, ${exemptions.users.length} exempt users, ${logoutDeviceList.length} devices in the per-device logout list.`
        })
      }, 'settings-update')
      return settings
    },
    /** A check of whether bulk logouts must leave a device (or the user on it) alone; names compare case-insensitively like CUCM's. */
    exemptionCheck (): (device: string, user: string | null) => boolean {
      const { exemptions } = this.get()
      const devices = new Set(exemptions.devices.map((d) => d.toLowerCase()))
      const users = new Set(exemptions.users.map((u) => u.toLowerCase()))
      return (device, user) => devices.has(device.toLowerCase()) || (user !== null && users.has(user.toLowerCase()))
    }
  }
}
