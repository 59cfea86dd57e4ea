import { Type, type Static, type TLiteral, type TUnion } from 'typebox'
import { EMAPI_ERROR_CODES } from '../emapi/errors.js'
import { DEVICE_NAME_RULE, USER_ID_RULE } from '../emapi/names.js'
import { patternOf, PROFILE_NAME } from '../field-rules.js'

/** A union of string literals from a constant list, keeping each literal in the static type. */
export function LiteralUnion<const T extends readonly string[]> (values: T, options: Record<string, unknown> = {}): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v)), options) as never
}

/** A CUCM device name (emapi/names.ts holds the rule). */
export const DeviceNameSchema = Type.String({
  minLength: 1,
  maxLength: DEVICE_NAME_RULE.maxLength,
  pattern: DEVICE_NAME_RULE.pattern,
  description: `A CUCM device name: ${DEVICE_NAME_RULE.words}`
})

/** A CUCM end-user ID (emapi/names.ts holds the rule). */
export const UserIdSchema = Type.String({
  minLength: 1,
  maxLength: USER_ID_RULE.maxLength,
  pattern: USER_ID_RULE.pattern,
  description: `A CUCM end-user ID: ${USER_ID_RULE.words}`
})

/**
 * A record id in the path: a positive whole number. A Number refined, not an Integer: the
 * query-string conversion truncates an Integer ("1.5" became 1 and picked another record).
 */
export const IdSchema = Type.Refine(
  Type.Number({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'A positive whole number' }),
  (id) => Number.isInteger(id),
  () => 'must be a whole number (1, 2, 3...)'
)

export const ProfileNameSchema = Type.String({ minLength: 1, maxLength: PROFILE_NAME.maxLength, pattern: patternOf(PROFILE_NAME), description: `A device profile: ${PROFILE_NAME.allowed}` })

/** Every code an error body can carry: clients switch on these, never on the message. */
export const ERROR_CODES = [
  ...EMAPI_ERROR_CODES,
  'VALIDATION', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'NOT_FOUND',
  'UNAUTHENTICATED', 'FORBIDDEN', 'CSRF', 'RATE_LIMITED',
  'BAD_CREDENTIALS', 'WRONG_PASSWORD', 'ACCOUNT_LOCKED', 'ACCOUNT_EXISTS', 'LAST_ADMIN', 'SETUP_CLOSED',
  'CHANGED_SINCE_READ', 'SCHEDULE_EXISTS', 'SCHEDULE_RUNNING', 'LOGOUT_ALL_RUNNING', 'USER_LOGGED_IN_ELSEWHERE', 'AUDIT_UNAVAILABLE', 'RUN_FAILED', 'RUN_FINISHED', 'RUN_OF_COMMAND', 'NOTHING_TO_RETRY',
  'CLUSTER_EXISTS', 'CLUSTER_IN_USE', 'CLUSTER_READ_ONLY', 'CLUSTER_DISABLED', 'CLUSTER_UNAVAILABLE', 'CLUSTER_AMBIGUOUS',
  'INVENTORY_NOT_CONFIGURED', 'INVENTORY_STALE',
  'INTERNAL'
] as const
export type ErrorCode = typeof ERROR_CODES[number]
export const ErrorCodeSchema = LiteralUnion(ERROR_CODES)

/** What every error answer is, in the API document (which also knows ErrorBody by it). */
export const ERROR_BODY_DESCRIPTION = 'Refused or failed: `error.code` (one of a closed list) says what happened, for a program to switch on; `message` says it in words, `action` what to do'

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: ErrorCodeSchema,
    message: Type.String(),
    emapiCode: Type.Optional(Type.Integer()),
    action: Type.Optional(Type.String()),
    auditId: Type.Optional(Type.Integer()),
    field: Type.Optional(Type.String()),
    cluster: Type.Optional(Type.String({ description: 'The cluster that failed, when several were asked' })),
    /** A change sent without an answer that says what happened: `unknown` (none in time, the connection dropped, or one that cannot be read) or `interrupted` (the server stopped); it may have happened. */
    outcome: Type.Optional(LiteralUnion(['unknown', 'interrupted'] as const))
  })
}, { $id: 'ErrorBody', description: ERROR_BODY_DESCRIPTION })
export type ErrorBody = Static<typeof ErrorBodySchema>

/** A cluster that could not answer a look-up asked of several: why, in the words of an error answer (its `cluster` named). */
export const UnavailableClusterSchema = Type.Object(ErrorBodySchema.properties.error.properties, { description: 'A cluster that could not be asked, and why' })
export const UnavailableClustersSchema = Type.Array(UnavailableClusterSchema, { description: 'The clusters that could not be asked (a look-up of several shows what the others answered); empty when every cluster answered' })

/** How an action that changed state on CUCM ended, as the API reports it. */
export const ActionOutcomeSchema = Type.Union([Type.Literal('success'), Type.Literal('already-logged-out')])
export type ActionOutcome = Static<typeof ActionOutcomeSchema>

export const ActionResultSchema = Type.Object({
  outcome: ActionOutcomeSchema,
  message: Type.String(),
  auditId: Type.Integer(),
  cluster: Type.Optional(Type.String({ description: 'The cluster that carried it out' })),
  runId: Type.Optional(Type.String({ description: 'The bulk run it went through, when it was one (a schedule of a device list or of sessions)' }))
})
export type ActionResult = Static<typeof ActionResultSchema>
