import { Type, type Static } from 'typebox'
import { DEVICE_FILTER, SEARCH, USER_FILTER } from '../field-rules.js'
import { IdSchema, LiteralUnion } from './common.js'
import { ClusterIdSchema } from './clusters.js'

export const AUDIT_ACTIONS = [
  'logout-all', 'logout', 'login', 'device-query', 'user-devices-query', 'device-profile-query',
  'sign-in', 'sign-out', 'setup', 'account-create', 'account-update', 'settings-update', 'bulk-run',
  'schedule-create', 'schedule-update', 'schedule-delete', 'schedule-missed', 'schedule-run-now', 'webhook', 'run-cancel', 'run-retry',
  'cluster-create', 'cluster-update', 'cluster-delete'
] as const
export const AuditActionSchema = LiteralUnion(AUDIT_ACTIONS)
export type AuditAction = Static<typeof AuditActionSchema>

/** `unknown`: sent, but CUCM did not answer in time, so it may have happened; `interrupted`: the server stopped while it ran. */
export const AUDIT_OUTCOMES = ['pending', 'success', 'already-logged-out', 'failure', 'error', 'unknown', 'interrupted'] as const
export const AuditOutcomeSchema = LiteralUnion(AUDIT_OUTCOMES)
export type AuditOutcome = Static<typeof AuditOutcomeSchema>

export const TRIGGERS = ['ui', 'api', 'cli', 'schedule'] as const
export const TriggerSchema = LiteralUnion(TRIGGERS)
export type Trigger = Static<typeof TriggerSchema>

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const AuditSummarySchema = Type.Object({
  id: Type.Integer(),
  runId: Nullable(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  durationMs: Nullable(Type.Integer()),
  actor: Type.String(),
  clientIp: Nullable(Type.String()),
  trigger: TriggerSchema,
  action: AuditActionSchema,
  devices: Type.Array(Type.String()),
  userId: Nullable(Type.String()),
  outcome: AuditOutcomeSchema,
  emapiCode: Nullable(Type.Integer()),
  errorCode: Nullable(Type.String()),
  message: Nullable(Type.String()),
  httpStatus: Nullable(Type.Integer()),
  /** The cluster the action concerned; null for actions that concern none (sign-ins, accounts...). */
  cluster: Nullable(Type.String())
})
export type AuditSummary = Static<typeof AuditSummarySchema>

export const AuditRecordSchema = Type.Intersect([AuditSummarySchema, Type.Object({
  requestXml: Nullable(Type.String()),
  responseBody: Nullable(Type.String()),
  bulkRun: Type.Boolean({ description: '`runId` names a bulk run, which has a page of its own (`GET /api/runs/{runId}`); other run ids only group records (a logout-all of several clusters, a look-up in chunks)' })
})])
export type AuditRecord = Static<typeof AuditRecordSchema>

/**
 * Filter text as typed in a search box: control characters have no business there (a NUL broke
 * the full-text query), so they are refused with a message a person can act on.
 */
const FilterText = (maxLength: number, options: { description?: string } = {}) => Type.Refine(
  Type.String({ maxLength, ...options }),
  (text) => !/\p{Cc}/u.test(text),
  () => 'must not contain control characters (NUL, tab, line break...)'
)

export const AuditFilterSchema = Type.Object({
  action: Type.Optional(AuditActionSchema),
  outcome: Type.Optional(AuditOutcomeSchema),
  device: Type.Optional(FilterText(DEVICE_FILTER.maxLength)),
  user: Type.Optional(FilterText(USER_FILTER.maxLength)),
  actor: Type.Optional(FilterText(USER_FILTER.maxLength)),
  trigger: Type.Optional(TriggerSchema),
  runId: Type.Optional(FilterText(64)),
  cluster: Type.Optional(ClusterIdSchema),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive lower bound of startedAt (ISO 8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive upper bound of startedAt (ISO 8601)' })),
  q: Type.Optional(FilterText(SEARCH.maxLength, { description: 'Free text searched in devices, user, actor and message' })),
  failed: Type.Optional(Type.Boolean({ description: 'Only the failures the activity counts (GET /api/audit/stats: failure of a day, failures of today), whatever their outcome' }))
  // A filter it does not take (a typo: ?outcom=failure) is refused, as the sessions' are: ignored,
  // it answered (and exported) every record as the filtered ones.
}, { additionalProperties: false })
export type AuditFilter = Static<typeof AuditFilterSchema>

export const AuditQuerySchema = Type.Object({
  ...AuditFilterSchema.properties,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(FilterText(100, { description: 'nextCursor of the previous page' }))
}, { additionalProperties: false })
export type AuditQuery = Static<typeof AuditQuerySchema>

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditSummarySchema),
  nextCursor: Nullable(Type.String()),
  total: Type.Integer({ description: 'How many records match the filter in all (every page); counted up to 10,000' }),
  totalIsLowerBound: Type.Boolean({ description: 'true when more records match than were counted: read total as "10,000 or more"' })
})
export type AuditPage = Static<typeof AuditPageSchema>

export const AuditIdParamsSchema = Type.Object({ id: IdSchema })

/** Actions per day for the Overview chart, and today's counts. */
export const AuditStatsSchema = Type.Object({
  days: Type.Array(Type.Object({
    date: Type.String({ description: 'YYYY-MM-DD: a day of the time zone asked (`timezone`; UTC without), from its first instant to the next day\'s' }),
    success: Type.Integer({ description: 'Logins, logouts and logouts of all that changed something (a logout that found nobody is not counted)' }),
    failure: Type.Integer({ description: 'Actions that failed, were not answered or were interrupted; a look-up answered "does not exist" (11, 23), or cut short by a stop of EM Console, is not counted' }),
    lookups: Type.Integer()
  })),
  today: Type.Object({
    logouts: Type.Integer({ description: 'Logouts that ended a login (outcome success), logouts of all included' }),
    logoutAlls: Type.Integer({ description: 'Of those, the logouts of all users (outcome success): each counts once, however many users it logged out (EMAPI does not say how many) and however many clusters it acted on (one record each, under one run id)' }),
    alreadyLoggedOut: Type.Integer({ description: 'Logouts that found nobody logged in (EMAPI code 19): nothing changed' }),
    failures: Type.Integer({ description: 'As failure of each day' }),
    lookups: Type.Integer()
  })
})
export type AuditStats = Static<typeof AuditStatsSchema>
