import { Type, type Static } from 'typebox'
import { CRON, patternOf, SCHEDULE_NAME, TIMEZONE } from '../field-rules.js'
import { MAX_SCHEDULE_AGE_HOURS } from '../rules/sessions.js'
import { ClusterIdSchema } from './clusters.js'
import { ActionResultSchema, IdSchema, LiteralUnion } from './common.js'
import { DeviceListNameSchema } from './settings.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/**
 * What a schedule runs. `logout-saved-list`: a bulk run over a device list of Settings (`list`;
 * with exemptions). `logout-older-than` (with `hours`) and `logout-device-pools` (with `pools`): a
 * bulk run over the sessions the inventory finds, read fresh from AXL just before (issue #18).
 */
export const SCHEDULE_ACTIONS = ['logout-all', 'logout-saved-list', 'logout-older-than', 'logout-device-pools'] as const
export const ScheduleActionSchema = LiteralUnion(SCHEDULE_ACTIONS)
export type ScheduleAction = Static<typeof ScheduleActionSchema>

/**
 * How the last run of a schedule ended: `skipped` when another logout-all was running, `missed`
 * when the server was down, `interrupted` when the server stopped (a crash, a kill) during it.
 */
export const SCHEDULE_OUTCOMES = ['success', 'failure', 'error', 'skipped', 'missed', 'interrupted'] as const
export const ScheduleOutcomeSchema = LiteralUnion(SCHEDULE_OUTCOMES)
export type ScheduleOutcome = Static<typeof ScheduleOutcomeSchema>

export const ScheduleNameSchema = Type.String({
  minLength: 1,
  maxLength: SCHEDULE_NAME.maxLength,
  pattern: patternOf(SCHEDULE_NAME),
  description: `Unique name: ${SCHEDULE_NAME.allowed}`
})

export const CronExpressionSchema = Type.String({
  minLength: 1,
  maxLength: CRON.maxLength,
  description: 'Cron expression of 5 fields (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"; a CUCM-wide action fires at most once every 15 minutes'
})

export const TimezoneSchema = Type.String({
  minLength: 1,
  maxLength: TIMEZONE.maxLength,
  description: 'IANA time zone the cron expression is read in, e.g. "Europe/Paris" or "UTC"'
})

/** The parameters of the actions by sessions. */
export const ScheduleHoursSchema = Type.Integer({ minimum: 1, maximum: MAX_SCHEDULE_AGE_HOURS, description: 'logout-older-than: log out sessions older than this many hours' })
/** The clusters a schedule acts on (issue #17); null or absent: every enabled cluster at the time it runs. */
export const ScheduleClustersSchema = Type.Union([
  Type.Array(ClusterIdSchema, { minItems: 1, maxItems: 100, description: 'The ids of the clusters it acts on' }),
  Type.Null()
], { description: 'The clusters it acts on; null or absent: every enabled cluster' })
export const SchedulePoolsSchema = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50, description: 'logout-device-pools: log out every session on these device pools' })

export const ScheduleSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  action: ScheduleActionSchema,
  list: Nullable(Type.String({ description: 'logout-saved-list: the device list of Settings it runs, by name; null: the first list' })),
  hours: Nullable(Type.Integer({ description: 'logout-older-than: the age in hours; null for other actions' })),
  pools: Nullable(Type.Array(Type.String(), { description: 'logout-device-pools: the device pools; null for other actions' })),
  clusters: Nullable(Type.Array(Type.String(), { description: 'The clusters it acts on; null: every enabled cluster' })),
  enabled: Type.Boolean(),
  managedByConfig: Type.Boolean({ description: 'Created from LOGOUT_ALL_SCHEDULE: the configuration wins at the next start' }),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Nullable(Type.String({ description: 'Who saved its last change; null when nobody has since it was created (or the configuration did, or it was before this was kept)' })),
  lastRunAt: Nullable(Type.String({ format: 'date-time' })),
  lastOutcome: Nullable(ScheduleOutcomeSchema),
  lastMessage: Nullable(Type.String()),
  lastAuditId: Nullable(Type.Integer()),
  nextRunAt: Nullable(Type.String({ format: 'date-time', description: 'The next fire time; null when disabled' })),
  nextRuns: Type.Array(Type.String({ format: 'date-time' }), { maxItems: 5, description: 'The next five fire times of the expression (ISO 8601, UTC), enabled or not' }),
  problem: Nullable(Type.String({ description: 'Why its run would fail as things stand now (a device list it names is gone or empty, or none is left for the first list; a device pool it names no phone of its clusters is in any more, renamed or removed in CUCM; a cluster it names is gone or cannot be used); null when nothing stands in its way' }))
})
export type Schedule = Static<typeof ScheduleSchema>

export const ScheduleListSchema = Type.Object({ schedules: Type.Array(ScheduleSchema) })
export type ScheduleList = Static<typeof ScheduleListSchema>

export const ScheduleIdParamsSchema = Type.Object({ id: IdSchema })

const ScheduleDeviceListSchema = Type.Union([DeviceListNameSchema, Type.Null()], { description: 'Only for logout-saved-list: the device list of Settings to run (400 naming list when there is none by that name); null or absent: the first list' })

export const ScheduleCreateBodySchema = Type.Object({
  name: ScheduleNameSchema,
  cron: CronExpressionSchema,
  timezone: Type.Optional(TimezoneSchema),
  action: Type.Optional(ScheduleActionSchema),
  list: Type.Optional(ScheduleDeviceListSchema),
  hours: Type.Optional(ScheduleHoursSchema),
  pools: Type.Optional(SchedulePoolsSchema),
  clusters: Type.Optional(ScheduleClustersSchema),
  enabled: Type.Optional(Type.Boolean())
}, { additionalProperties: false })
export type ScheduleCreateBody = Static<typeof ScheduleCreateBodySchema>

/** The version a change, delete or run-now was based on: one rule for PATCH, DELETE and run-now. */
const ScheduleVersionSchema = Type.String({ format: 'date-time', maxLength: 40, description: 'The schedule\'s updatedAt as read: when it was changed since, 409 CHANGED_SINCE_READ (naming who changed it and when) and nothing changes; absent: no such check' })

/**
 * The create body's fields, each optional, at least one: PATCH changes what it names. With
 * `updatedAt` (the one read), a change saved since refuses it rather than be undone unseen.
 */
export const ScheduleUpdateBodySchema = Type.Partial(Type.Object({
  ...ScheduleCreateBodySchema.properties,
  updatedAt: ScheduleVersionSchema
}), { additionalProperties: false, minProperties: 1 })
export type ScheduleUpdateBody = Static<typeof ScheduleUpdateBodySchema>

/**
 * DELETE /api/schedules/:id?updatedAt=…: with the version read, a change saved since refuses the
 * delete. No other parameter: a misspelt one (?updatedat=) would delete without the check.
 */
export const ScheduleDeleteQuerySchema = Type.Object({
  updatedAt: Type.Optional(ScheduleVersionSchema)
}, { additionalProperties: false })
export type ScheduleDeleteQuery = Static<typeof ScheduleDeleteQuerySchema>

/** Fire times of an expression before it is saved (the edit form's preview). */
export const SchedulePreviewQuerySchema = Type.Object({
  cron: CronExpressionSchema,
  timezone: Type.Optional(TimezoneSchema),
  clusters: Type.Optional(Type.String({ maxLength: 2000, description: 'The cluster ids the schedule names, comma-separated: without a time zone, the preview is in theirs when they share one' }))
}, { additionalProperties: false })
export type SchedulePreviewQuery = Static<typeof SchedulePreviewQuerySchema>

export const SchedulePreviewSchema = Type.Object({
  cron: Type.String(),
  timezone: Type.String(),
  nextRuns: Type.Array(Type.String({ format: 'date-time' }), { maxItems: 5 }),
  clockChanges: Type.Array(Type.Object({
    run: Type.String({ format: 'date-time', description: 'One of nextRuns' }),
    note: Type.String({ description: 'Why it is not the time the expression names: "02:30 does not exist that night in Europe/Berlin (the clocks go forward): runs at 03:00"' })
  }), { maxItems: 5, description: 'The fire times a night of daylight saving moves (docs/operations.md), each with why' })
})
export type SchedulePreview = Static<typeof SchedulePreviewSchema>

/**
 * Run now: a cluster-wide action (logout-all) needs the same typed words as POST /api/logout-all.
 * With `updatedAt` (the one read), a schedule changed since is not run: what runs is what was confirmed.
 */
export const ScheduleRunNowBodySchema = Type.Object({
  confirm: Type.Optional(Type.String({ maxLength: 100, description: 'Exactly "LOG OUT ALL" when the schedule logs out all users; not needed otherwise' })),
  updatedAt: Type.Optional(ScheduleVersionSchema)
}, { additionalProperties: false })
export type ScheduleRunNowBody = Static<typeof ScheduleRunNowBodySchema>

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
