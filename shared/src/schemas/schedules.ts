import { Type, type Static } from 'typebox'
import { ActionResultSchema, LiteralUnion } from './common.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** What a schedule runs. A per-device run (issue #8) will be added here, with its target. */
/** `logout-saved-list`: a bulk run over the per-device logout list of Settings (with exemptions). */
/**
 * `logout-older-than` (with `hours`) and `logout-device-pools` (with `pools`): a bulk run over the
 * sessions the inventory finds, read fresh from AXL just before (issue #18).
 */
export const SCHEDULE_ACTIONS = ['logout-all', 'logout-saved-list', 'logout-older-than', 'logout-device-pools'] as const
export const ScheduleActionSchema = LiteralUnion(SCHEDULE_ACTIONS)
export type ScheduleAction = Static<typeof ScheduleActionSchema>

/** How the last run of a schedule ended: `skipped` when another logout-all was running, `missed` when the server was down. */
export const SCHEDULE_OUTCOMES = ['success', 'failure', 'error', 'skipped', 'missed'] as const
export const ScheduleOutcomeSchema = LiteralUnion(SCHEDULE_OUTCOMES)
export type ScheduleOutcome = Static<typeof ScheduleOutcomeSchema>

export const ScheduleNameSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$',
  description: 'Unique name: letters, digits, space, dot, dash and underscore (1-64 characters)'
})

export const CronExpressionSchema = Type.String({
  minLength: 1,
  maxLength: 120,
  description: 'Cron expression read by croner: 5 fields (minute hour day month weekday), or 6 with seconds first, e.g. "0 2 * * *"'
})

export const TimezoneSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone the cron expression is read in, e.g. "Europe/Paris" or "UTC"'
})

/** The parameters of the actions by sessions. */
export const ScheduleHoursSchema = Type.Integer({ minimum: 1, maximum: 8760, description: 'logout-older-than: log out sessions older than this many hours' })
export const SchedulePoolsSchema = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50, description: 'logout-device-pools: log out every session on these device pools' })

export const ScheduleSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  action: ScheduleActionSchema,
  hours: Nullable(Type.Integer({ description: 'logout-older-than: the age in hours; null for other actions' })),
  pools: Nullable(Type.Array(Type.String(), { description: 'logout-device-pools: the device pools; null for other actions' })),
  enabled: Type.Boolean(),
  managedByConfig: Type.Boolean({ description: 'Created from LOGOUT_ALL_SCHEDULE: the configuration wins at the next start' }),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  lastRunAt: Nullable(Type.String({ format: 'date-time' })),
  lastOutcome: Nullable(ScheduleOutcomeSchema),
  lastMessage: Nullable(Type.String()),
  lastAuditId: Nullable(Type.Integer()),
  nextRunAt: Nullable(Type.String({ format: 'date-time', description: 'The next fire time; null when disabled' })),
  nextRuns: Type.Array(Type.String({ format: 'date-time' }), { maxItems: 5, description: 'The next five fire times of the expression (ISO 8601, UTC), enabled or not' })
})
export type Schedule = Static<typeof ScheduleSchema>

export const ScheduleListSchema = Type.Object({ schedules: Type.Array(ScheduleSchema) })
export type ScheduleList = Static<typeof ScheduleListSchema>

export const ScheduleIdParamsSchema = Type.Object({ id: Type.Integer({ minimum: 1 }) })

export const ScheduleCreateBodySchema = Type.Object({
  name: ScheduleNameSchema,
  cron: CronExpressionSchema,
  timezone: Type.Optional(TimezoneSchema),
  action: Type.Optional(ScheduleActionSchema),
  hours: Type.Optional(ScheduleHoursSchema),
  pools: Type.Optional(SchedulePoolsSchema),
  enabled: Type.Optional(Type.Boolean())
}, { additionalProperties: false })
export type ScheduleCreateBody = Static<typeof ScheduleCreateBodySchema>

export const ScheduleUpdateBodySchema = Type.Object({
  name: Type.Optional(ScheduleNameSchema),
  cron: Type.Optional(CronExpressionSchema),
  timezone: Type.Optional(TimezoneSchema),
  action: Type.Optional(ScheduleActionSchema),
  hours: Type.Optional(ScheduleHoursSchema),
  pools: Type.Optional(SchedulePoolsSchema),
  enabled: Type.Optional(Type.Boolean())
}, { additionalProperties: false, minProperties: 1 })
export type ScheduleUpdateBody = Static<typeof ScheduleUpdateBodySchema>

/** Fire times of an expression before it is saved (the edit form's preview). */
export const SchedulePreviewQuerySchema = Type.Object({
  cron: CronExpressionSchema,
  timezone: Type.Optional(TimezoneSchema)
})
export type SchedulePreviewQuery = Static<typeof SchedulePreviewQuerySchema>

export const SchedulePreviewSchema = Type.Object({
  cron: Type.String(),
  timezone: Type.String(),
  nextRuns: Type.Array(Type.String({ format: 'date-time' }), { maxItems: 5 })
})
export type SchedulePreview = Static<typeof SchedulePreviewSchema>

export const ScheduleRunResultSchema = Type.Object({
  schedule: ScheduleSchema,
  result: ActionResultSchema
})
export type ScheduleRunResult = Static<typeof ScheduleRunResultSchema>

/** The JSON body POSTed to NOTIFY_WEBHOOK_URL when a scheduled run does not succeed. */
export const ScheduleNotificationSchema = Type.Object({
  source: Type.Literal('em-console'),
  schedule: Type.String(),
  action: ScheduleActionSchema,
  outcome: ScheduleOutcomeSchema,
  emapiCode: Nullable(Type.Integer()),
  errorCode: Nullable(Type.String()),
  message: Type.String(),
  auditId: Nullable(Type.Integer()),
  at: Type.String({ format: 'date-time' })
})
export type ScheduleNotification = Static<typeof ScheduleNotificationSchema>
