import { Type, type Static } from 'typebox'
import { DeviceNameSchema, ProfileNameSchema, UserIdSchema } from './common.js'

export const MAX_STATUS_NAMES = 5000

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** What EMAPI's look-up (deviceUserQuery) says of a device. */
export const DeviceStatusSchema = Type.Object({
  deviceName: Type.String(),
  exists: Type.Boolean(),
  currentUser: Nullable(Type.String()),
  lastUser: Nullable(Type.String()),
  emcc: Nullable(Type.Boolean())
})
export type DeviceStatus = Static<typeof DeviceStatusSchema>

/**
 * What EM Console knows of a device besides the look-up; null when it does not know. EMAPI's
 * look-up never says whether Extension Mobility is enabled on a phone, but CUCM's answer to a
 * login or logout does (code 22 or 5: disabled); the AXL inventory (#18) adds the rest.
 */
export const DeviceFactsSchema = Type.Object({
  emEnabled: Nullable(Type.Boolean({ description: 'false: CUCM answered code 22 (or 5) to the latest login or logout of this device; true: it carried one out, or someone is logged in now' })),
  loginTime: Nullable(Type.String({ format: 'date-time', description: 'Since when the current user is logged in (from the inventory)' })),
  profile: Nullable(Type.String({ description: 'The device profile in use (from the inventory)' })),
  devicePool: Nullable(Type.String({ description: 'From the inventory' })),
  model: Nullable(Type.String({ description: 'From the inventory, e.g. "Cisco 8865"' }))
})
export type DeviceFacts = Static<typeof DeviceFactsSchema>

/** A device as the API answers it: the look-up and the facts. */
export const DeviceReportSchema = Type.Object({ ...DeviceStatusSchema.properties, ...DeviceFactsSchema.properties })
export type DeviceReport = Static<typeof DeviceReportSchema>

export const DeviceStatusListSchema = Type.Object({ devices: Type.Array(DeviceReportSchema) })
export type DeviceStatusList = Static<typeof DeviceStatusListSchema>

export const DeviceStatusQuerySchema = Type.Object({
  names: Type.String({ minLength: 1, maxLength: 300_000, description: 'Device names separated by commas' })
})

export const DeviceStatusBodySchema = Type.Object({
  names: Type.Array(DeviceNameSchema, { minItems: 1, maxItems: MAX_STATUS_NAMES })
}, { additionalProperties: false })
export type DeviceStatusBody = Static<typeof DeviceStatusBodySchema>

export const DeviceParamsSchema = Type.Object({ name: DeviceNameSchema })

export const LoginBodySchema = Type.Object({
  userId: UserIdSchema,
  deviceProfile: Type.Optional(ProfileNameSchema),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080, description: 'Auto-logout after this many minutes (at most 168 hours)' })),
  indefinite: Type.Optional(Type.Boolean({ description: 'No auto-logout' })),
  force: Type.Optional(Type.Boolean({ description: 'Log out whoever is on the device first' }))
}, { additionalProperties: false })
export type LoginBody = Static<typeof LoginBodySchema>

/** The words every path to a cluster-wide logout requires, typed by a person. */
export const LOGOUT_ALL_CONFIRMATION = 'LOG OUT ALL'

export const LogoutAllBodySchema = Type.Object({
  confirm: Type.Literal(LOGOUT_ALL_CONFIRMATION, { description: 'Must be exactly "LOG OUT ALL"' })
}, { additionalProperties: false })
export type LogoutAllBody = Static<typeof LogoutAllBodySchema>
