import { Type, type Static } from 'typebox'
import { LiteralUnion } from './common.js'
import { ClusterIdSchema } from './clusters.js'
import { INVENTORY_DEVICE_FILTER, MAX_SESSIONS_PAGE, SEARCH, USER_FILTER } from '../field-rules.js'
import { MAX_SESSION_AGE_HOURS } from '../rules/sessions.js'

/**
 * The EM inventory and live sessions read from AXL (issue #18). Every view names its cluster and
 * says "as of" when the inventory was read; times are ISO 8601 (UTC).
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const Time = Type.String({ format: 'date-time' })

/**
 * `ok`: the last refresh succeeded; `stale`: the last one failed, the inventory shown is an older
 * good one; `error`: no refresh ever succeeded; `not-configured`: no AXL settings; `refreshing`:
 * a refresh is under way (what is shown is the last good one).
 */
export const INVENTORY_STATES = ['ok', 'stale', 'error', 'not-configured', 'refreshing'] as const
export const InventoryStateSchema = LiteralUnion(INVENTORY_STATES)
export type InventoryState = Static<typeof InventoryStateSchema>

export const InventoryErrorSchema = Type.Object({
  code: Type.String({ description: 'An AXL error code, e.g. AXL_AUTH, AXL_FORBIDDEN, AXL_UNREACHABLE' }),
  message: Type.String(),
  action: Type.String({ description: 'What the admin should do about it' }),
  at: Time
})
export type InventoryError = Static<typeof InventoryErrorSchema>

/** What to configure when a cluster has no AXL settings. */
export const InventorySetupSchema = Type.Object({
  message: Type.String(),
  keys: Type.Array(Type.String(), { description: 'The settings to set' }),
  roles: Type.Array(Type.String(), { description: 'The CUCM roles the AXL application user needs' })
})
export type InventorySetup = Static<typeof InventorySetupSchema>

export const InventoryClusterSchema = Type.Object({
  cluster: Type.String(),
  state: InventoryStateSchema,
  asOf: Nullable(Time),
  counts: Type.Object({
    phones: Type.Integer(),
    emEnabledPhones: Type.Integer(),
    sessions: Type.Integer(),
    /** Distinct users logged in now (a user may be on several phones). */
    users: Type.Integer()
  }),
  lastError: Nullable(InventoryErrorSchema),
  lastRefreshMs: Nullable(Type.Integer({ description: 'How long the last good refresh took' })),
  axlVersion: Nullable(Type.String()),
  nextRefreshAt: Nullable(Time),
  setup: Nullable(InventorySetupSchema)
})
export type InventoryCluster = Static<typeof InventoryClusterSchema>

export const InventoryStatusSchema = Type.Object({ clusters: Type.Array(InventoryClusterSchema) })
export type InventoryStatus = Static<typeof InventoryStatusSchema>

/**
 * No other parameter, as every route that takes ?cluster=: a misspelt ?clustr= ignored read every
 * cluster from AXL, a misspelt ?wiat= answered before the refresh was done.
 */
export const InventoryRefreshQuerySchema = Type.Object({
  cluster: Type.Optional(ClusterIdSchema),
  wait: Type.Optional(Type.Boolean({ description: 'Answer 200 once the refresh is done, instead of 202 at once' }))
}, { additionalProperties: false })
export type InventoryRefreshQuery = Static<typeof InventoryRefreshQuerySchema>

export { MAX_SESSIONS_PAGE }
export const MAX_POOL_FILTERS = 50

/** The filters of a selection by sessions: the API's query and a run's `{ "sessions": { ... } }`. */
export const SessionFiltersSchema = Type.Object({
  cluster: Type.Optional(ClusterIdSchema),
  devicePool: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: MAX_POOL_FILTERS, description: 'Device pools (repeatable): any of them' })),
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  user: Type.Optional(Type.String({ minLength: 1, maxLength: USER_FILTER.maxLength, description: 'User ID prefix' })),
  device: Type.Optional(Type.String({ minLength: 1, maxLength: INVENTORY_DEVICE_FILTER.maxLength, description: 'Device name prefix' })),
  olderThanHours: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_SESSION_AGE_HOURS, description: 'Logged in for more than this many hours' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: SEARCH.maxLength, description: 'Free text over device, user, profile and description' }))
}, { additionalProperties: false })
export type SessionFilters = Static<typeof SessionFiltersSchema>

export const SESSION_SORTS = ['loginTime', 'device', 'user', 'devicePool', 'model', 'profile', 'autoLogoutAt', 'description'] as const
export const SessionSortSchema = LiteralUnion(SESSION_SORTS)
export type SessionSort = Static<typeof SessionSortSchema>

export const SortOrderSchema = LiteralUnion(['asc', 'desc'] as const)
export type SortOrder = Static<typeof SortOrderSchema>

export const SessionsQuerySchema = Type.Object({
  ...SessionFiltersSchema.properties,
  sort: Type.Optional(SessionSortSchema),
  order: Type.Optional(SortOrderSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SESSIONS_PAGE })),
  cursor: Type.Optional(Type.String({ maxLength: 1000 }))
}, { additionalProperties: false })
export type SessionsQuery = Static<typeof SessionsQuerySchema>

export const SessionsExportQuerySchema = Type.Object({
  ...SessionFiltersSchema.properties,
  sort: Type.Optional(SessionSortSchema),
  order: Type.Optional(SortOrderSchema)
}, { additionalProperties: false })
export type SessionsExportQuery = Static<typeof SessionsExportQuerySchema>

export const LiveSessionSchema = Type.Object({
  cluster: Type.String(),
  deviceName: Type.String(),
  userId: Type.String(),
  profile: Nullable(Type.String()),
  loginTime: Nullable(Time),
  autoLogoutAt: Nullable(Type.String({ format: 'date-time', description: 'When CUCM itself will log the user out; null for no maximum' })),
  devicePool: Nullable(Type.String()),
  model: Nullable(Type.String()),
  description: Type.String()
})
export type LiveSession = Static<typeof LiveSessionSchema>

/** "As of" per cluster: when its inventory was read (null: never). */
export const AsOfSchema = Type.Record(Type.String(), Nullable(Time))
export type AsOf = Static<typeof AsOfSchema>

export const SessionPageSchema = Type.Object({
  sessions: Type.Array(LiveSessionSchema),
  total: Type.Integer({ description: 'Every session matching the filters' }),
  asOf: AsOfSchema,
  nextCursor: Nullable(Type.String())
})
export type SessionPage = Static<typeof SessionPageSchema>

export const SessionSummaryQuerySchema = Type.Object({
  ...SessionFiltersSchema.properties
}, { additionalProperties: false })

export { SESSION_AGE_BUCKETS } from '../rules/sessions.js'

export const SessionSummarySchema = Type.Object({
  total: Type.Integer(),
  users: Type.Integer({ description: 'Distinct users' }),
  phones: Type.Integer({ description: 'Distinct phones' }),
  asOf: AsOfSchema,
  clusters: Type.Array(Type.Object({ cluster: Type.String(), sessions: Type.Integer() })),
  devicePools: Type.Array(Type.Object({ cluster: Type.String(), devicePool: Nullable(Type.String()), sessions: Type.Integer() })),
  oldest: Nullable(LiveSessionSchema),
  ages: Type.Array(Type.Object({
    label: Type.String(),
    fromHours: Type.Number(),
    toHours: Nullable(Type.Number()),
    sessions: Type.Integer()
  }), { description: 'A histogram of how long the sessions have been logged in' }),
  unknownAge: Type.Integer({ description: 'Sessions whose login time CUCM does not hold: their age is unknown, so they are in no bar of `ages` (which with them add up to `total`)' })
})
export type SessionSummary = Static<typeof SessionSummarySchema>

/**
 * How a session ended: `em-console`: an EM Console logout (with who did it; a logout of all users
 * sent without an answer, for the sessions gone within CUCM's lag after it); `auto-logout`: CUCM's
 * own at the session's maximum duration; `replaced`: another login on the phone; `not-seen`: a
 * refresh no longer saw it (logged out on the phone, by another tool or by CUCM).
 */
export const SESSION_END_REASONS = ['em-console', 'auto-logout', 'replaced', 'not-seen'] as const
export const SessionEndReasonSchema = LiteralUnion(SESSION_END_REASONS)
export type SessionEndReason = Static<typeof SessionEndReasonSchema>

/** What selects ended sessions: the history's page and its CSV export take the same. */
const SESSION_HISTORY_FILTERS = {
  cluster: Type.Optional(ClusterIdSchema),
  devicePool: SessionFiltersSchema.properties.devicePool,
  model: SessionFiltersSchema.properties.model,
  user: Type.Optional(Type.String({ minLength: 1, maxLength: USER_FILTER.maxLength, description: 'User ID prefix (exact with exact=true)' })),
  device: Type.Optional(Type.String({ minLength: 1, maxLength: INVENTORY_DEVICE_FILTER.maxLength, description: 'Device name prefix (exact with exact=true)' })),
  exact: Type.Optional(Type.Boolean({ description: 'user and device match whole names' })),
  endedBy: Type.Optional(SessionEndReasonSchema),
  auditId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Ended by this audit record (an EM Console logout of all users names no one: these are whom it logged out)' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Ended at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Ended before' })),
  q: SessionFiltersSchema.properties.q
}

export const SessionHistoryFiltersSchema = Type.Object(SESSION_HISTORY_FILTERS, { additionalProperties: false })
export type SessionHistoryFilters = Static<typeof SessionHistoryFiltersSchema>

export const SessionHistoryQuerySchema = Type.Object({
  ...SESSION_HISTORY_FILTERS,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SESSIONS_PAGE })),
  cursor: Type.Optional(Type.String({ maxLength: 200 }))
}, { additionalProperties: false })
export type SessionHistoryQuery = Static<typeof SessionHistoryQuerySchema>

export const EndedSessionSchema = Type.Object({
  id: Type.Integer(),
  cluster: Type.String(),
  deviceName: Type.String(),
  userId: Type.String(),
  profile: Nullable(Type.String()),
  devicePool: Nullable(Type.String()),
  model: Nullable(Type.String()),
  description: Type.String(),
  loginTime: Nullable(Time),
  endedAt: Time,
  durationSeconds: Nullable(Type.Integer()),
  endedBy: SessionEndReasonSchema,
  actor: Nullable(Type.String({ description: 'em-console: who logged the user out' })),
  auditId: Nullable(Type.Integer())
})
export type EndedSession = Static<typeof EndedSessionSchema>

export const SessionHistoryPageSchema = Type.Object({
  sessions: Type.Array(EndedSessionSchema),
  nextCursor: Nullable(Type.String()),
  keptDays: Type.Integer({ description: 'SESSION_HISTORY_DAYS: how long ended sessions are kept' })
})
export type SessionHistoryPage = Static<typeof SessionHistoryPageSchema>

export const PhonesQuerySchema = Type.Object({
  cluster: Type.Optional(ClusterIdSchema),
  devicePool: SessionFiltersSchema.properties.devicePool,
  model: SessionFiltersSchema.properties.model,
  device: Type.Optional(Type.String({ minLength: 1, maxLength: INVENTORY_DEVICE_FILTER.maxLength, description: 'Device name prefix' })),
  emEnabled: Type.Optional(Type.Boolean()),
  loggedIn: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SESSIONS_PAGE })),
  cursor: Type.Optional(Type.String({ maxLength: 300 }))
}, { additionalProperties: false })
export type PhonesQuery = Static<typeof PhonesQuerySchema>

export const InventoryPhoneSchema = Type.Object({
  cluster: Type.String(),
  name: Type.String(),
  model: Nullable(Type.String()),
  description: Type.String(),
  devicePool: Nullable(Type.String()),
  emEnabled: Type.Boolean(),
  /** Who is logged in, as of the inventory. */
  userId: Nullable(Type.String()),
  loginTime: Nullable(Time)
})
export type InventoryPhone = Static<typeof InventoryPhoneSchema>

export const PhonePageSchema = Type.Object({
  phones: Type.Array(InventoryPhoneSchema),
  total: Type.Integer(),
  asOf: AsOfSchema,
  nextCursor: Nullable(Type.String())
})
export type PhonePage = Static<typeof PhonePageSchema>
