import { Type, type Static } from 'typebox'
import { LIST_NAME, MAX_DEVICE_LISTS, MAX_LIST_ENTRIES, patternOf } from '../field-rules.js'
import { DeviceNameSchema, UserIdSchema } from './common.js'

export { MAX_DEVICE_LISTS }
/** The name an old single saved list (logoutDeviceList) takes among the named lists. */
export const LEGACY_LIST_NAME = 'Saved list'

export const DeviceListNameSchema = Type.String({
  minLength: 1,
  maxLength: LIST_NAME.maxLength,
  pattern: patternOf(LIST_NAME),
  description: `A device list of Settings: ${LIST_NAME.allowed}`
})

/** A named list of devices that a bulk run or a schedule logs out one by one. */
export const DeviceListSchema = Type.Object({
  name: DeviceListNameSchema,
  devices: Type.Array(DeviceNameSchema, { maxItems: MAX_LIST_ENTRIES })
}, { additionalProperties: false })
export type DeviceList = Static<typeof DeviceListSchema>

const ExemptionsSchema = Type.Object({
  devices: Type.Array(DeviceNameSchema, { maxItems: MAX_LIST_ENTRIES }),
  users: Type.Array(UserIdSchema, { maxItems: MAX_LIST_ENTRIES })
}, { additionalProperties: false })

const DeviceListsSchema = Type.Array(DeviceListSchema, { maxItems: MAX_DEVICE_LISTS, description: 'Named device lists, names unique (compared case-insensitively); the first is the one `savedList: true` runs' })
const LegacyListSchema = Type.Array(DeviceNameSchema, { maxItems: MAX_LIST_ENTRIES, description: 'Deprecated: the devices of the first list. Sent alone, it replaces the first list (made "Saved list" when there is none); ignored next to deviceLists' })

const RevisionSchema = Type.Integer({ minimum: 0, description: 'How many times the settings were saved: sent back with a change, a 409 CHANGED_SINCE_READ refuses it when someone saved them since' })

/** Devices and users that bulk logouts never touch, and the device lists logged out one by one. */
export const SettingsSchema = Type.Object({
  exemptions: ExemptionsSchema,
  deviceLists: DeviceListsSchema,
  logoutDeviceList: LegacyListSchema,
  revision: RevisionSchema
}, { additionalProperties: false })
export type Settings = Static<typeof SettingsSchema>

/** PUT /api/settings: exemptions, and the lists (or, from older clients, the one saved list). */
export const SettingsUpdateSchema = Type.Object({
  exemptions: ExemptionsSchema,
  deviceLists: Type.Optional(DeviceListsSchema),
  logoutDeviceList: Type.Optional(LegacyListSchema),
  revision: Type.Optional(RevisionSchema)
}, { additionalProperties: false })
export type SettingsUpdate = Static<typeof SettingsUpdateSchema>
