import { Type, type Static } from 'typebox'
import { DeviceNameSchema, UserIdSchema } from './common.js'

/** Devices and users that bulk logouts never touch, and the device list of the per-device logout-all. */
export const SettingsSchema = Type.Object({
  exemptions: Type.Object({
    devices: Type.Array(DeviceNameSchema, { maxItems: 5000 }),
    users: Type.Array(UserIdSchema, { maxItems: 5000 })
  }),
  logoutDeviceList: Type.Array(DeviceNameSchema, { maxItems: 5000, description: 'Devices the per-device "log out all" works through one by one' })
}, { additionalProperties: false })
export type Settings = Static<typeof SettingsSchema>
