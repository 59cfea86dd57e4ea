import { Type, type Static } from 'typebox'
import { ACCOUNT_NAME, PASSWORD, patternOf } from '../field-rules.js'
import { IdSchema, LiteralUnion } from './common.js'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export const RoleSchema = LiteralUnion(ROLES, { description: 'viewer: look-ups and history; operator: + logins and logouts; admin: + schedules, accounts and settings' })
export type Role = Static<typeof RoleSchema>

export const UsernameSchema = Type.String({ minLength: 1, maxLength: ACCOUNT_NAME.maxLength, pattern: patternOf(ACCOUNT_NAME), description: `User name: ${ACCOUNT_NAME.allowed}` })
export const PasswordSchema = Type.String({ minLength: 1, maxLength: PASSWORD.maxLength })

export const AccountSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  lastSignInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lockedUntil: Type.Optional(Type.String({ format: 'date-time', description: 'In the account list: failed sign-ins lock the account until then; a new password set by an admin unlocks it' }))
})
export type Account = Static<typeof AccountSchema>

export const AccountListSchema = Type.Object({ accounts: Type.Array(AccountSchema) })
export type AccountList = Static<typeof AccountListSchema>

export const CreateAccountBodySchema = Type.Object({
  username: UsernameSchema,
  password: PasswordSchema,
  role: RoleSchema
}, { additionalProperties: false })
export type CreateAccountBody = Static<typeof CreateAccountBodySchema>

export const UpdateAccountBodySchema = Type.Object({
  role: Type.Optional(RoleSchema),
  disabled: Type.Optional(Type.Boolean()),
  password: Type.Optional(PasswordSchema)
}, { additionalProperties: false, minProperties: 1 })
export type UpdateAccountBody = Static<typeof UpdateAccountBodySchema>

export const AccountParamsSchema = Type.Object({ id: IdSchema })
