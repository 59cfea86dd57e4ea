import { Type, type Static } from 'typebox'
import { UserIdSchema } from './common.js'

export const UserParamsSchema = Type.Object({ userId: UserIdSchema })

export const UserDevicesSchema = Type.Object({
  userId: Type.String(),
  exists: Type.Boolean(),
  devices: Type.Array(Type.String())
})
export type UserDevices = Static<typeof UserDevicesSchema>

export const UserDeviceProfilesSchema = Type.Object({
  userId: Type.String(),
  exists: Type.Boolean(),
  profiles: Type.Array(Type.Object({ name: Type.String(), isDefault: Type.Boolean() }))
})
export type UserDeviceProfiles = Static<typeof UserDeviceProfilesSchema>

export const DeviceLogoutResultSchema = Type.Object({
  deviceName: Type.String(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('already-logged-out'), Type.Literal('failure'), Type.Literal('error')]),
  message: Type.String(),
  emapiCode: Type.Optional(Type.Integer()),
  auditId: Type.Integer()
})
export type DeviceLogoutResult = Static<typeof DeviceLogoutResultSchema>

export const UserLogoutResultSchema = Type.Object({
  userId: Type.String(),
  results: Type.Array(DeviceLogoutResultSchema)
})
export type UserLogoutResult = Static<typeof UserLogoutResultSchema>
