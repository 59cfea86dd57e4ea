import { Type, type Static, type TLiteral, type TUnion } from 'typebox'

/** A union of string literals from a constant list, keeping each literal in the static type. */
export function LiteralUnion<const T extends readonly string[]> (values: T, options: Record<string, unknown> = {}): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v)), options) as never
}

/**
 * CUCM device names: letters, digits, dot, dash and underscore, at most 50 characters
 * (phones are SEP + 12 hex digits; soft clients CSF…, TCT…, BOT…).
 */
export const DeviceNameSchema = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: '^[A-Za-z0-9._-]+$',
  description: 'A CUCM device name: letters, digits, dot, dash and underscore (1-50 characters)'
})

/** CUCM user IDs may hold almost anything (e-mail addresses, spaces, non-ASCII); no control characters. */
export const UserIdSchema = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
  description: 'A CUCM end-user ID (1-128 characters, no control characters)'
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

export const ProfileNameSchema = Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\u0000-\\u001f\\u007f]+$' })

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
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
