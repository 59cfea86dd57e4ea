import { Type, type Static, type TLiteral, type TUnion } from 'typebox'
import { EMAPI_ERROR_CODES } from '../emapi/errors.js'
import { DEVICE_NAME_RULE, USER_ID_RULE } from '../emapi/names.js'

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

export const ProfileNameSchema = Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\u0000-\\u001f\\u007f]+$' })

/** Every code an error body can carry: clients switch on these, never on the message. */
export const ERROR_CODES = [
  ...EMAPI_ERROR_CODES,
  'VALIDATION', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'NOT_FOUND',
  'UNAUTHENTICATED', 'FORBIDDEN', 'CSRF', 'RATE_LIMITED',
  'BAD_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_EXISTS', 'LAST_ADMIN', 'SETUP_CLOSED',
  'SCHEDULE_EXISTS', 'LOGOUT_ALL_RUNNING', 'RUN_FAILED', 'RUN_FINISHED', 'NOTHING_TO_RETRY',
  'INVENTORY_NOT_CONFIGURED', 'INVENTORY_STALE',
  'INTERNAL'
] as const
export type ErrorCode = typeof ERROR_CODES[number]

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: LiteralUnion(ERROR_CODES),
    message: Type.String(),
    emapiCode: Type.Optional(Type.Integer()),
    action: Type.Optional(Type.String()),
    auditId: Type.Optional(Type.Integer()),
    field: Type.Optional(Type.String())
  })
}, { $id: 'ErrorBody' })
export type ErrorBody = Static<typeof ErrorBodySchema>

/** How an action that changed state on CUCM ended, as the API reports it. */
export const ActionOutcomeSchema = Type.Union([Type.Literal('success'), Type.Literal('already-logged-out')])
export type ActionOutcome = Static<typeof ActionOutcomeSchema>

export const ActionResultSchema = Type.Object({
  outcome: ActionOutcomeSchema,
  message: Type.String(),
  auditId: Type.Integer()
})
export type ActionResult = Static<typeof ActionResultSchema>
