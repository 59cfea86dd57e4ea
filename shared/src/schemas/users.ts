import { Type, type Static } from 'typebox'
import { LiteralUnion, UnavailableClustersSchema, UserIdSchema } from './common.js'

export const UserParamsSchema = Type.Object({ userId: UserIdSchema })

export const UserDevicesSchema = Type.Object({
  userId: Type.String(),
  exists: Type.Boolean(),
  devices: Type.Array(Type.String()),
  located: Type.Array(Type.Object({
    deviceName: Type.String(),
    cluster: Type.String(),
    mayLag: Type.Optional(Type.String({ description: 'Set when EM Console logged the user out of this device lately: CUCM\'s status may lag the change' }))
  }), { description: 'Each device with the cluster it is on' }),
  unavailable: Type.Optional(UnavailableClustersSchema)
})
export type UserDevices = Static<typeof UserDevicesSchema>

export const UserDeviceProfilesSchema = Type.Object({
  userId: Type.String(),
  exists: Type.Boolean(),
  profiles: Type.Array(Type.Object({ name: Type.String(), isDefault: Type.Boolean(), cluster: Type.String() })),
  unavailable: Type.Optional(UnavailableClustersSchema)
})
export type UserDeviceProfiles = Static<typeof UserDeviceProfilesSchema>

export const DeviceLogoutResultSchema = Type.Object({
  deviceName: Type.String(),
  outcome: LiteralUnion(['success', 'already-logged-out', 'failure', 'error', 'unknown', 'interrupted'] as const, { description: 'unknown: sent, but CUCM did not answer in time (it may have happened)' }),
  message: Type.String(),
  emapiCode: Type.Optional(Type.Integer()),
  auditId: Type.Integer(),
  cluster: Type.String()
})
export type DeviceLogoutResult = Static<typeof DeviceLogoutResultSchema>

export const UserLogoutResultSchema = Type.Object({
  userId: Type.String(),
  /** Without it, a user ID no cluster knows (a typo) answered like a user logged in nowhere: `results` empty either way. */
  exists: Type.Boolean({ description: 'Whether a cluster asked knows the user; false: no cluster does (a typo?), and nothing was sent' }),
  results: Type.Array(DeviceLogoutResultSchema)
})
export type UserLogoutResult = Static<typeof UserLogoutResultSchema>
