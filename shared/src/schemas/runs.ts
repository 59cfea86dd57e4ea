import { Type, type Static } from 'typebox'
import { DeviceNameSchema, LiteralUnion, ProfileNameSchema, UserIdSchema } from './common.js'
import { DeviceListNameSchema } from './settings.js'

export const MAX_RUN_ITEMS = 5000

export const RunActionSchema = LiteralUnion(['logout', 'login'] as const)
export type RunAction = Static<typeof RunActionSchema>

export const RUN_STATES = ['previewing', 'running', 'cancelling', 'done', 'cancelled', 'interrupted'] as const
export const RunStateSchema = LiteralUnion(RUN_STATES)
export type RunState = Static<typeof RunStateSchema>

/** pending until run; `excluded` by the exemption list; `unknown` devices are not sent. */
/** `interrupted`: the server stopped before (or while) the item ran; `cancelled`: a person cancelled the run. */
export const RUN_ITEM_OUTCOMES = ['pending', 'success', 'already-logged-out', 'failure', 'error', 'excluded', 'unknown', 'cancelled', 'interrupted'] as const
export const RunItemOutcomeSchema = LiteralUnion(RUN_ITEM_OUTCOMES)
export type RunItemOutcome = Static<typeof RunItemOutcomeSchema>

export const LoginItemSchema = Type.Object({
  device: DeviceNameSchema,
  user: UserIdSchema,
  profile: Type.Optional(ProfileNameSchema),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080 }))
}, { additionalProperties: false })
export type LoginItem = Static<typeof LoginItemSchema>

const RunOptions = {
  /** Re-check every device this many seconds after the run (EM caches state about two minutes). */
  verifyAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'Re-check the devices after this delay (0 = no re-check)' }))
}

export const RunBodySchema = Type.Union([
  Type.Object({ action: Type.Literal('logout'), devices: Type.Array(DeviceNameSchema, { minItems: 1, maxItems: MAX_RUN_ITEMS }), ...RunOptions }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('logout'), list: DeviceListNameSchema, ...RunOptions }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('logout'), savedList: Type.Literal(true, { description: 'The first device list of Settings (before named lists: the one saved list)' }), ...RunOptions }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('login'), items: Type.Array(LoginItemSchema, { minItems: 1, maxItems: MAX_RUN_ITEMS }), ...RunOptions }, { additionalProperties: false })
])
export type RunBody = Static<typeof RunBodySchema>

/** For a CSV body (Content-Type text/csv): which action its rows are for. */
export const RunCsvQuerySchema = Type.Object({
  action: Type.Optional(RunActionSchema),
  verifyAfterSeconds: RunOptions.verifyAfterSeconds
})

export const CsvProblemSchema = Type.Object({ line: Type.Integer(), message: Type.String() })
export type CsvProblem = Static<typeof CsvProblemSchema>

export const PREVIEW_CATEGORIES = ['will-logout', 'empty', 'unknown', 'excluded', 'will-login', 'occupied'] as const
export const PreviewItemSchema = Type.Object({
  device: Type.String(),
  currentUser: Type.Union([Type.String(), Type.Null()]),
  user: Type.Union([Type.String(), Type.Null()], { description: 'login: the user to log in' }),
  category: LiteralUnion(PREVIEW_CATEGORIES),
  reason: Type.Optional(Type.String())
})
export type PreviewItem = Static<typeof PreviewItemSchema>

export const PreviewSchema = Type.Object({
  action: RunActionSchema,
  items: Type.Array(PreviewItemSchema),
  counts: Type.Record(Type.String(), Type.Integer()),
  problems: Type.Array(CsvProblemSchema)
})
export type Preview = Static<typeof PreviewSchema>

export const RunItemSchema = Type.Object({
  seq: Type.Integer(),
  device: Type.String(),
  userId: Type.Union([Type.String(), Type.Null()]),
  profile: Type.Union([Type.String(), Type.Null()]),
  durationMinutes: Type.Union([Type.Integer(), Type.Null()]),
  outcome: RunItemOutcomeSchema,
  emapiCode: Type.Union([Type.Integer(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
  auditId: Type.Union([Type.Integer(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  verified: Type.Union([Type.Boolean(), Type.Null()])
})
export type RunItem = Static<typeof RunItemSchema>

export const RunSummarySchema = Type.Object({
  id: Type.String(),
  action: RunActionSchema,
  state: RunStateSchema,
  trigger: Type.String(),
  actor: Type.String(),
  parentRunId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  verifyAt: Type.Union([Type.String(), Type.Null()]),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
  verifyError: Type.Union([Type.String(), Type.Null()], { description: 'Why the re-check failed or did not happen' }),
  total: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer())
})
export type RunSummary = Static<typeof RunSummarySchema>

export const RunSchema = Type.Intersect([RunSummarySchema, Type.Object({ items: Type.Array(RunItemSchema) })])
export type Run = Static<typeof RunSchema>

export const RunListSchema = Type.Object({ runs: Type.Array(RunSummarySchema) })

export const RunStartedSchema = Type.Object({ id: Type.String(), problems: Type.Array(CsvProblemSchema) })
export type RunStarted = Static<typeof RunStartedSchema>

export const RunParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

/** A Server-Sent Event of /api/runs/:id/events (event name `progress`). */
export interface RunProgressEvent {
  state: RunState
  total: number
  counts: Record<string, number>
  item?: RunItem
}
