import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ChangePasswordBodySchema, ErrorBodySchema, SessionSchema, SetupBodySchema, SignInBodySchema, SignInInfoSchema, type Mode } from '@em-console/shared/schemas'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { AuthService } from '../../auth/auth-service.js'
import { ServiceError } from '../../services/errors.js'
import { callerOf } from '../caller.js'

export interface SessionRoutesOptions {
  auth: AuthService
  mode: Mode
  /** Sign-in attempts per client IP per minute. */
  signInPerMinute: number
  /** HOST is a loopback address: the server answers this machine only. */
  listensOnLoopback: boolean
}

/**
 * A name only this machine resolves to itself: localhost, *.localhost (browsers never ask DNS for
 * them), 127.x.x.x, ::1. Any other name in the Host header of a request to a server on loopback is
 * another site's, rebound in DNS to 127.0.0.1: its page reads this server's answers as its own.
 */
export function isLoopbackName (hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
}

/**
 * Whether a request is a page of this machine: the Host its connection carries is a loopback name,
 * and so is the host a trusted proxy forwards (request.hostname). The Host header alone, not
 * request.hostname alone: behind a proxy of this machine (TRUST_PROXY=127.0.0.1) the browser's own
 * connection comes from a trusted address too, and a rebound page may set X-Forwarded-Host.
 */
function isPageOfThisMachine (request: FastifyRequest): boolean {
  const host = (request.headers.host ?? '').replace(/:\d*$/, '')
  return isLoopbackName(host) && isLoopbackName(request.hostname)
}

const ERRORS = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 429: ErrorBodySchema }

const session: FastifyPluginAsyncTypebox<SessionRoutesOptions> = async (fastify, { auth, mode, signInPerMinute, listensOnLoopback }) => {
  fastify.get('/api/session/info', {
    config: { role: 'public' },
    schema: { tags: ['session'], summary: 'What the sign-in page needs: mode, whether setup is required, demo credentials (demo mode only)', response: { 200: SignInInfoSchema } }
  }, async (request) => {
    // Demo mode on loopback (its default) gives the demo admin's password to pages of this machine
    // only: any web page its user opens could otherwise read it by DNS rebinding, and act as admin.
    const demoCredentials = listensOnLoopback && !isPageOfThisMachine(request) ? undefined : auth.demoCredentials()
    return { mode, setupRequired: auth.setupRequired(), ...(demoCredentials === undefined ? {} : { demoCredentials }) }
  })

  fastify.post('/api/session', {
    config: { role: 'public', rateLimit: { max: signInPerMinute, timeWindow: '1 minute' } },
    schema: {
      tags: ['session'],
      summary: 'Sign in',
      description: 'Sets the httpOnly session cookie and returns the CSRF token that state-changing requests send in the x-csrf-token header. A sign-in the database will not record in time is a 503 AUDIT_UNAVAILABLE (no session is started).',
      body: SignInBodySchema,
      response: { 200: SessionSchema, ...ERRORS, 503: ErrorBodySchema }
    }
  }, async (request, reply) => {
    const { actor: _anonymous, ...caller } = callerOf(request)
    const signedIn = await auth.signIn(caller, request.body.username, request.body.password)
    reply.startSession(signedIn.token)
    return { user: signedIn.account.username, role: signedIn.account.role, csrfToken: signedIn.session.csrfToken }
  })

  fastify.get('/api/session', {
    config: { role: 'public' },
    schema: { tags: ['session'], summary: 'The signed-in user and a CSRF token, or 401', response: { 200: SessionSchema, 401: ErrorBodySchema } }
  }, async (request) => {
    if (request.account === null || request.session === null) throw new ServiceError('unauthenticated', 'UNAUTHENTICATED', 'Not signed in.', { action: 'Sign in with POST /api/session.' })
    return { user: request.account.username, role: request.account.role, csrfToken: request.session.csrfToken }
  })

  fastify.delete('/api/session', {
    config: { role: 'public', actsOnSession: true },
    schema: { tags: ['session'], summary: 'Sign out', response: { 204: Type.Null() } }
  }, async (request, reply) => {
    if (request.session !== null) await auth.signOut(callerOf(request), request.session.token)
    return await reply.endSession().code(204).send()
  })

  fastify.put('/api/session/password', {
    config: { role: 'viewer', rateLimit: { max: signInPerMinute, timeWindow: '1 minute' } },
    schema: {
      tags: ['session'],
      summary: 'Change your own password',
      description: 'Any signed-in account. A wrong currentPassword is 400 (code WRONG_PASSWORD, field currentPassword) and counts towards the sign-in lock. Every other session of the account ends; this one stays. A password set (by an admin, or by another change of one\'s own) while this one was checked stands: 409 CHANGED_SINCE_READ, or 401 when that change ended this session.',
      body: ChangePasswordBodySchema,
      response: { 204: Type.Null(), ...ERRORS, 409: ErrorBodySchema }
    }
  }, async (request, reply) => {
    const account = request.account as NonNullable<typeof request.account>
    const session = request.session as NonNullable<typeof request.session>
    await auth.changeOwnPassword(callerOf(request), account.id, session.token, request.body.currentPassword, request.body.newPassword)
    return await reply.code(204).send(null)
  })

  fastify.post('/api/setup', {
    config: { role: 'public', rateLimit: { max: signInPerMinute, timeWindow: '1 minute' } },
    schema: { tags: ['session'], summary: 'Create the first admin with the one-time token printed in the server log', body: SetupBodySchema, response: { 200: SessionSchema, ...ERRORS, 409: ErrorBodySchema } }
  }, async (request, reply) => {
    const { token, username, password } = request.body
    const signedIn = await auth.setup(callerOf(request), token, username, password)
    reply.startSession(signedIn.token)
    return { user: signedIn.account.username, role: signedIn.account.role, csrfToken: signedIn.session.csrfToken }
  })
}

export default session
