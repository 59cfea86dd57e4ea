import { Type, type Static } from 'typebox'
import { PasswordSchema, RoleSchema, UsernameSchema } from './accounts.js'
import { ModeSchema } from './health.js'

export const SignInBodySchema = Type.Object({
  username: UsernameSchema,
  password: PasswordSchema
}, { additionalProperties: false })
export type SignInBody = Static<typeof SignInBodySchema>

/** The signed-in user. State-changing requests send `csrfToken` in the x-csrf-token header. */
export const SessionSchema = Type.Object({
  user: Type.String(),
  role: RoleSchema,
  csrfToken: Type.String()
})
export type Session = Static<typeof SessionSchema>

/** What the sign-in page may know before anyone signs in. */
export const SignInInfoSchema = Type.Object({
  mode: ModeSchema,
  setupRequired: Type.Boolean(),
  /** Only in demo mode (the simulator), where the demo admin's credentials are public by design. */
  demoCredentials: Type.Optional(Type.Object({ username: Type.String(), password: Type.String() }))
})
export type SignInInfo = Static<typeof SignInInfoSchema>

/** A signed-in person changes their own password; the current one proves it is them. */
export const ChangePasswordBodySchema = Type.Object({
  currentPassword: PasswordSchema,
  newPassword: PasswordSchema
}, { additionalProperties: false })
export type ChangePasswordBody = Static<typeof ChangePasswordBodySchema>

export const SetupBodySchema = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  username: UsernameSchema,
  password: PasswordSchema
}, { additionalProperties: false })
export type SetupBody = Static<typeof SetupBodySchema>
