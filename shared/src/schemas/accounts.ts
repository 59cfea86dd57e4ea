import { Type, type Static } from 'typebox'
import { IdSchema, LiteralUnion } from './common.js'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export const RoleSchema = LiteralUnion(ROLES, { description: 'viewer: look-ups and history; operator: + logins and logouts; admin: + schedules, accounts and settings' })
export type Role = Static<typeof RoleSchema>

export const UsernameSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$', description: 'Letters, digits, dot, dash, underscore and @ (1-64 characters)' })
export const PasswordSchema = Type.String({ minLength: 1, maxLength: 256 })

export const AccountSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  lastSignInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
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
