import { Type, type Static } from 'typebox'
import { CLUSTER_ID, patternOf } from '../field-rules.js'
import { LOGIN_MINUTES } from '../rules/logins.js'
import { ClusterIdSchema } from './clusters.js'
import { ActionOutcomeSchema, DeviceNameSchema, ErrorCodeSchema, ProfileNameSchema, UnavailableClustersSchema, UserIdSchema } from './common.js'

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
  model: Nullable(Type.String({ description: 'From the inventory, e.g. "Cisco 8865"' })),
  mayLag: Nullable(Type.String({ description: 'When the look-up contradicts a change EM Console had CUCM carry out here minutes ago (a logout, a login, a logout-all): says so in words, as CUCM\'s Extension Mobility status can lag a change by about two minutes (PROTOCOL.md §5); null otherwise' }))
})
export type DeviceFacts = Static<typeof DeviceFactsSchema>

/**
 * A device as the API answers it: the look-up, the facts, and the cluster that answered (null
 * for a device found on no cluster). A name found on several clusters has one entry per cluster.
 */
export const DeviceReportSchema = Type.Object({
  ...DeviceStatusSchema.properties,
  ...DeviceFactsSchema.properties,
  cluster: Nullable(Type.String({ description: 'The cluster where the device is; null when it is on none' }))
})
export type DeviceReport = Static<typeof DeviceReportSchema>

export const DeviceStatusListSchema = Type.Object({ devices: Type.Array(DeviceReportSchema), unavailable: UnavailableClustersSchema })
export type DeviceStatusList = Static<typeof DeviceStatusListSchema>

export const DeviceStatusQuerySchema = Type.Object({
  // What fits in Node's 16 KiB request head, with the session's cookie: ~700 device names. Longer
  // lists go in POST /api/devices/status's body (5,000 names).
  names: Type.String({ minLength: 1, maxLength: 12_000, description: 'Device names separated by commas (~700 names; more in POST /api/devices/status)' })
})

export const DeviceStatusBodySchema = Type.Object({
  names: Type.Array(DeviceNameSchema, { minItems: 1, maxItems: MAX_STATUS_NAMES })
}, { additionalProperties: false })
export type DeviceStatusBody = Static<typeof DeviceStatusBodySchema>

export const DeviceParamsSchema = Type.Object({ name: DeviceNameSchema })

/**
 * `?cluster=<id>` on every endpoint that talks to CUCM: only that cluster. Without it, look-ups ask
 * every enabled cluster and changes act where the look-up finds the device. No other parameter: a
 * misspelt one (?Cluster=, ?clusters=) ignored was a change sent to every cluster.
 */
export const ClusterQuerySchema = Type.Object({ cluster: Type.Optional(ClusterIdSchema) }, { additionalProperties: false })

/**
 * logout-all's `?cluster=`: one cluster, or `all` (required once there are two clusters or more).
 * One string of a cluster id's characters, which `all` is made of: a choice of `all` or an id
 * refused an empty or misspelt one as 'must be exactly "all"'.
 */
export const LogoutAllQuerySchema = Type.Object({
  cluster: Type.Optional(Type.String({ minLength: 1, maxLength: CLUSTER_ID.maxLength, pattern: patternOf(CLUSTER_ID), description: 'A cluster id, or "all"; required with two clusters or more' }))
}, { additionalProperties: false })
export type LogoutAllQuery = Static<typeof LogoutAllQuerySchema>

/**
 * One cluster's part of a logout-all: done (`success`, `already-logged-out`), refused by CUCM
 * (`failure`), surely not done (`error`), or sent without an answer (`unknown`, `interrupted`: CUCM
 * may have done it), as its audit record says.
 */
export const ClusterOutcomeSchema = Type.Object({
  cluster: Type.String(),
  outcome: Type.Union([ActionOutcomeSchema, Type.Literal('failure'), Type.Literal('error'), Type.Literal('unknown'), Type.Literal('interrupted')]),
  message: Type.String(),
  auditId: Nullable(Type.Integer()),
  code: Type.Optional(ErrorCodeSchema),
  action: Type.Optional(Type.String({ description: 'What to do, for a part that did not go through: as an error body\'s `action`' })),
  loggedOut: Nullable(Type.Integer({ description: 'Users the AXL inventory saw logged in on this cluster (as of `asOf`) just before: those it logged out; null without the inventory' })),
  asOf: Nullable(Type.String({ format: 'date-time' }))
})
export type ClusterOutcome = Static<typeof ClusterOutcomeSchema>

/**
 * A logout-all: `outcome` is `success` only when every cluster asked succeeded (`failure` when one
 * or more failed; each cluster's own outcome is in `clusters`). The rows of one logout-all of
 * several clusters share `runId`.
 */
export const LogoutAllResultSchema = Type.Object({
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  message: Type.String(),
  auditId: Type.Integer({ description: 'The audit row of the first cluster that did not go through, else of the first cluster' }),
  runId: Nullable(Type.String({ description: 'Shared by the audit rows of a logout-all of several clusters' })),
  loggedOut: Nullable(Type.Integer({ description: 'Users logged out, from the inventory, when every cluster that succeeded has one; null otherwise' })),
  clusters: Type.Array(ClusterOutcomeSchema)
})
export type LogoutAllResult = Static<typeof LogoutAllResultSchema>

export const LoginBodySchema = Type.Object({
  userId: UserIdSchema,
  deviceProfile: Type.Optional(ProfileNameSchema),
  durationMinutes: Type.Optional(Type.Integer({ minimum: LOGIN_MINUTES.minimum, maximum: LOGIN_MINUTES.maximum, description: 'Auto-logout after this many minutes (at most 168 hours)' })),
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
