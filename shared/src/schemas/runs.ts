import { Type, type Static } from 'typebox'
import { FILE_NAME, patternOf } from '../field-rules.js'
import { LOGIN_MINUTES } from '../rules/logins.js'
import { MAX_RUN_ITEMS, MAX_VERIFY_AFTER_SECONDS, RETRY_SCOPES } from '../rules/runs.js'
import { ClusterIdSchema } from './clusters.js'
import { DeviceNameSchema, LiteralUnion, ProfileNameSchema, UserIdSchema } from './common.js'
import { AsOfSchema, SessionFiltersSchema } from './inventory.js'
import { DeviceListNameSchema } from './settings.js'

export { MAX_RUN_ITEMS, RETRY_FAILED_OUTCOMES, RETRY_SCOPES, RUN_THE_REST_OUTCOMES, type RetryScope } from '../rules/runs.js'

export const RunActionSchema = LiteralUnion(['logout', 'login'] as const)
export type RunAction = Static<typeof RunActionSchema>

export const RUN_STATES = ['previewing', 'running', 'cancelling', 'done', 'cancelled', 'interrupted'] as const
export const RunStateSchema = LiteralUnion(RUN_STATES)
export type RunState = Static<typeof RunStateSchema>

/**
 * How an item of a run ended.
 * Sent to CUCM: `success`, `already-logged-out` (code 19), `failure` (an EMAPI code), `error` (no
 * answer: unreachable, TLS, bad answer), `unknown` (sent, but CUCM did not answer in time: it may
 * have happened), `interrupted` (the server stopped while waiting for the answer: it may have happened).
 * Not sent, by the look-up before it: `not-found` (CUCM does not know the device), `empty` (nobody
 * to log out), `excluded` (exemption list), `duplicate` (the same device earlier in the run),
 * `ambiguous` (the device is on several clusters and the run named none: issue #17).
 * Not reached: `cancelled` (a person cancelled the run), `not-run` (the server stopped, or the
 * look-up before it failed). `pending` until one of these.
 */
export const RUN_ITEM_OUTCOMES = ['pending', 'success', 'already-logged-out', 'failure', 'error', 'unknown', 'interrupted', 'not-found', 'empty', 'excluded', 'duplicate', 'ambiguous', 'cancelled', 'not-run'] as const
export const RunItemOutcomeSchema = LiteralUnion(RUN_ITEM_OUTCOMES)
export type RunItemOutcome = Static<typeof RunItemOutcomeSchema>

export const RetryBodySchema = Type.Object({
  scope: Type.Optional(LiteralUnion(RETRY_SCOPES, { description: '"failed" (default): items that were sent and did not work; "rest": items the run never reached' }))
}, { additionalProperties: false })

export const LoginItemSchema = Type.Object({
  device: DeviceNameSchema,
  user: UserIdSchema,
  profile: Type.Optional(ProfileNameSchema),
  durationMinutes: Type.Optional(Type.Integer({ minimum: LOGIN_MINUTES.minimum, maximum: LOGIN_MINUTES.maximum, description: 'Automatic logout after this many minutes; without it (and without indefinite) the cluster\'s own maximum' })),
  indefinite: Type.Optional(Type.Boolean({ description: 'true: no automatic logout (not with durationMinutes)' }))
}, { additionalProperties: false })
export type LoginItem = Static<typeof LoginItemSchema>

const RunOptions = {
  /** Re-check every device this many seconds after the run (EM caches state about two minutes). */
  verifyAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_VERIFY_AFTER_SECONDS, description: 'Re-check the devices after this delay (0 = no re-check)' })),
  /** Only this cluster: look-ups ask it alone and every item goes there (issue #17). */
  cluster: Type.Optional(ClusterIdSchema)
}

/** A device on a named cluster, as a session picked on the Sessions screen names it. */
export const LocatedDeviceSchema = Type.Object({
  device: DeviceNameSchema,
  cluster: ClusterIdSchema,
  user: Type.Optional(UserIdSchema)
}, { additionalProperties: false })
export type LocatedDevice = Static<typeof LocatedDeviceSchema>

export const RunBodySchema = Type.Union([
  Type.Object({ action: Type.Literal('logout'), devices: Type.Array(DeviceNameSchema, { minItems: 1, maxItems: MAX_RUN_ITEMS }), ...RunOptions }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('logout'), list: DeviceListNameSchema, ...RunOptions }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('logout'), savedList: Type.Literal(true, { description: 'The first device list of Settings (before named lists: the one saved list)' }), ...RunOptions }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('logout'), users: Type.Array(UserIdSchema, { minItems: 1, maxItems: MAX_RUN_ITEMS, description: 'Log these users out wherever they are' }), ...RunOptions }, { additionalProperties: false }),
  Type.Object({
    action: Type.Literal('logout'),
    located: Type.Array(LocatedDeviceSchema, { minItems: 1, maxItems: MAX_RUN_ITEMS, description: 'Devices each on its own cluster (sessions picked on several clusters, a device name on two of them); `user`: only that user is logged out there' }),
    previewedFrom: Type.Optional(Type.Object(SessionFiltersSchema.properties, { additionalProperties: false, description: 'The filters these sessions were previewed from (the Sessions screen\'s "Log out all matching"): recorded with the run as its selection, not selected again' })),
    ...RunOptions
  }, { additionalProperties: false }),
  Type.Object({
    action: Type.Literal('logout'),
    sessions: Type.Object(SessionFiltersSchema.properties, { additionalProperties: false, description: 'The sessions a fresh inventory selects (as GET /api/sessions filters them), each on its own cluster (issue #18)' }),
    ...RunOptions
  }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('login'), items: Type.Array(LoginItemSchema, { minItems: 1, maxItems: MAX_RUN_ITEMS }), ...RunOptions }, { additionalProperties: false })
])
export type RunBody = Static<typeof RunBodySchema>

/** For a CSV body (Content-Type text/csv): which action its rows are for, and the file they are from. */
export const RunCsvQuerySchema = Type.Object({
  action: Type.Optional(RunActionSchema),
  file: Type.Optional(Type.String({ minLength: 1, maxLength: FILE_NAME.maxLength, pattern: patternOf(FILE_NAME), description: 'The name of the uploaded file the rows are from, said in the run\'s title: Logout of the devices in the uploaded file "office-3.csv"' })),
  verifyAfterSeconds: RunOptions.verifyAfterSeconds,
  cluster: RunOptions.cluster
}, { additionalProperties: false })

export const CsvProblemSchema = Type.Object({ line: Type.Integer(), message: Type.String() })
export type CsvProblem = Static<typeof CsvProblemSchema>

/**
 * What a run would do with each device; all but the will- and occupied ones are not sent.
 * `unavailable`: on none of the clusters that answered, and some cluster of the run could not be
 * asked: it may be there (not run).
 */
export const PREVIEW_CATEGORIES = ['will-logout', 'empty', 'not-found', 'excluded', 'duplicate', 'ambiguous', 'unavailable', 'will-login', 'occupied'] as const
export const PreviewItemSchema = Type.Object({
  device: Type.String(),
  cluster: Type.Union([Type.String(), Type.Null()], { description: 'The cluster the device is on; null when on none (or several: see category ambiguous)' }),
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
  problems: Type.Array(CsvProblemSchema),
  /** A selection by sessions: when each cluster's inventory was read. */
  asOf: Type.Optional(AsOfSchema),
  list: Type.Optional(Type.String({ description: 'The device list of Settings previewed (with savedList: the first, by name): start the run with { "list": this } to run the list previewed, whatever is first by then' }))
})
export type Preview = Static<typeof PreviewSchema>

export const RunItemSchema = Type.Object({
  seq: Type.Integer(),
  device: Type.String(),
  cluster: Type.Union([Type.String(), Type.Null()], { description: 'The cluster the item went to; null until looked up, or when on none' }),
  userId: Type.Union([Type.String(), Type.Null()]),
  profile: Type.Union([Type.String(), Type.Null()]),
  durationMinutes: Type.Union([Type.Integer(), Type.Null()]),
  indefinite: Type.Optional(Type.Literal(true, { description: 'login: no automatic logout' })),
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
  title: Type.String({ description: 'What the run was, in the words of its bulk-run summary record (Per-device logout of the list "Lobby"; Retry of the failed items of run 1a2b3c4d; Logout of 4 users (jdoe, asmith, bwayne and 1 more); Login of 3 users from the uploaded file "logins.csv"; Logout of sessions picked on the Sessions screen); "Bulk logout" or "Bulk login" for a run of devices or logins given in JSON, and for a run made before titles were kept' }),
  state: RunStateSchema,
  trigger: Type.String(),
  actor: Type.String(),
  parentRunId: Type.Union([Type.String(), Type.Null()]),
  selection: Type.Union([Type.String(), Type.Null()], { description: 'A run by sessions: what it selected by, in words (its filters, when the inventory was read); null for other runs' }),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  verifyAt: Type.Union([Type.String(), Type.Null()]),
  verifiedAt: Type.Union([Type.String(), Type.Null()]),
  verifyError: Type.Union([Type.String(), Type.Null()], { description: 'Why the re-check failed or did not happen; with verifiedAt, why some devices were not re-checked (their cluster could not be asked)' }),
  recheck: Type.Union([Type.Object({ checked: Type.Integer(), confirmed: Type.Integer() }), Type.Null()], { description: 'Once re-checked: how many devices were checked and how many confirmed' }),
  total: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer()),
  userCounts: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'A run of users: of `counts`, the items about a user (not-found: an unknown user; empty: logged in nowhere; not-run), by outcome; absent when no item is about a user' }))
})
export type RunSummary = Static<typeof RunSummarySchema>

/** Items of a run are read a page at a time: a run has up to MAX_RUN_ITEMS of them. */
export const RUN_ITEMS_PAGE = 200

/** No other parameter, as the audit trail's filters: a misspelt ?outcom=failed ignored answered every item as the failures. */
export const RunItemsQuerySchema = Type.Object({
  outcome: Type.Optional(LiteralUnion([...RUN_ITEM_OUTCOMES, ...RETRY_SCOPES], { description: 'One outcome, or "failed" / "rest" for the items "Retry failed" / "Run the rest" would send' })),
  after: Type.Optional(Type.Integer({ minimum: -1, description: 'The nextAfter of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 }))
}, { additionalProperties: false })
export type RunItemsQuery = Static<typeof RunItemsQuerySchema>

export const RunItemsPageSchema = Type.Object({
  items: Type.Array(RunItemSchema),
  /** Pass as `after` for the next page; null on the last one. */
  nextAfter: Type.Union([Type.Integer(), Type.Null()])
})
export type RunItemsPage = Static<typeof RunItemsPageSchema>

/** A run that took a run's items of one scope again ("Retry failed", "Run the rest"): each scope is taken once. */
export const RunRetrySchema = Type.Object({
  scope: LiteralUnion(RETRY_SCOPES),
  runId: Type.String(),
  actor: Type.String(),
  createdAt: Type.String()
})
export type RunRetry = Static<typeof RunRetrySchema>

/** A run with the first page of its items, and the runs that retried it. */
export const RunSchema = Type.Intersect([RunSummarySchema, RunItemsPageSchema, Type.Object({
  retries: Type.Array(RunRetrySchema, { description: 'The runs that took this run\'s failed items ("failed") or the items it did not reach ("rest") again, one a scope: a second retry of a scope is refused 409 naming it' })
})])
export type Run = Static<typeof RunSchema>

export const RunListSchema = Type.Object({
  runs: Type.Array(RunSummarySchema),
  nextBefore: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `before` for the runs started before these; null when there are none' })
})

/** The latest runs first, a page at a time. No other parameter: a misspelt one is refused. */
export const RunListQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  before: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The nextBefore of the page before: the runs started before that run' }))
}, { additionalProperties: false })
export type RunListQuery = Static<typeof RunListQuerySchema>

export const RunStartedSchema = Type.Object({ id: Type.String(), problems: Type.Array(CsvProblemSchema) })
export type RunStarted = Static<typeof RunStartedSchema>

export const RunParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

/** A Server-Sent Event of /api/runs/:id/events (event name `progress`). */
export interface RunProgressEvent {
  state: RunState
  total: number
  counts: Record<string, number>
  /** As RunSummary's: of `counts`, the items about a user, when some are. */
  userCounts?: Record<string, number>
  item?: RunItem
}
