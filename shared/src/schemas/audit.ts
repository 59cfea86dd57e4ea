import { Type, type Static } from 'typebox'
import { ClusterIdSchema } from './clusters.js'
import { LiteralUnion } from './common.js'

export const AUDIT_ACTIONS = [
  'logout-all', 'logout', 'login', 'device-query', 'user-devices-query', 'device-profile-query',
  'sign-in', 'sign-out', 'setup', 'account-create', 'account-update', 'settings-update', 'bulk-run',
  'schedule-create', 'schedule-update', 'schedule-delete', 'schedule-missed', 'webhook',
  'cluster-create', 'cluster-update', 'cluster-delete'
] as const
export const AuditActionSchema = LiteralUnion(AUDIT_ACTIONS)
export type AuditAction = Static<typeof AuditActionSchema>

export const AUDIT_OUTCOMES = ['pending', 'success', 'already-logged-out', 'failure', 'error', 'interrupted'] as const
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
  responseBody: Nullable(Type.String())
})])
export type AuditRecord = Static<typeof AuditRecordSchema>

export const AuditFilterSchema = Type.Object({
  action: Type.Optional(AuditActionSchema),
  outcome: Type.Optional(AuditOutcomeSchema),
  device: Type.Optional(Type.String({ maxLength: 100 })),
  user: Type.Optional(Type.String({ maxLength: 128 })),
  actor: Type.Optional(Type.String({ maxLength: 128 })),
  trigger: Type.Optional(TriggerSchema),
  runId: Type.Optional(Type.String({ maxLength: 64 })),
  cluster: Type.Optional(ClusterIdSchema),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive lower bound of startedAt (ISO 8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive upper bound of startedAt (ISO 8601)' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Free text searched in devices, user, actor and message' }))
})
export type AuditFilter = Static<typeof AuditFilterSchema>

export const AuditQuerySchema = Type.Intersect([AuditFilterSchema, Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 100, description: 'nextCursor of the previous page' }))
})])
export type AuditQuery = Static<typeof AuditQuerySchema>

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditSummarySchema),
  nextCursor: Nullable(Type.String())
})
export type AuditPage = Static<typeof AuditPageSchema>

export const AuditIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) })

/** Actions per day for the Overview chart, and today's counts. */
export const AuditStatsSchema = Type.Object({
  days: Type.Array(Type.Object({
    date: Type.String({ description: 'YYYY-MM-DD (UTC)' }),
    success: Type.Integer(),
    failure: Type.Integer(),
    lookups: Type.Integer()
  })),
  today: Type.Object({ logouts: Type.Integer(), failures: Type.Integer(), lookups: Type.Integer() })
})
export type AuditStats = Static<typeof AuditStatsSchema>
