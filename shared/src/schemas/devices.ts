import { Type, type Static } from 'typebox'
import { DeviceNameSchema, ProfileNameSchema, UserIdSchema } from './common.js'

export const MAX_STATUS_NAMES = 5000

export const DeviceStatusSchema = Type.Object({
  deviceName: Type.String(),
  exists: Type.Boolean(),
  currentUser: Type.Union([Type.String(), Type.Null()]),
  lastUser: Type.Union([Type.String(), Type.Null()]),
  emcc: Type.Union([Type.Boolean(), Type.Null()]),
  // What the AXL inventory knows of the device (issue #18); null when it knows nothing.
  emEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  loginTime: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  profile: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  devicePool: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  model: Type.Optional(Type.Union([Type.String(), Type.Null()]))
})
export type DeviceStatus = Static<typeof DeviceStatusSchema>

export const DeviceStatusListSchema = Type.Object({ devices: Type.Array(DeviceStatusSchema) })
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

export const LogoutAllBodySchema = Type.Object({
  confirm: Type.Literal('LOG OUT ALL', { description: 'Must be exactly "LOG OUT ALL"' })
}, { additionalProperties: false })
export type LogoutAllBody = Static<typeof LogoutAllBodySchema>
