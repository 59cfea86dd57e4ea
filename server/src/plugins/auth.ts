import fastifyCookie from '@fastify/cookie'
import { hasRole, UNATTENDED_HEADER } from '@em-console/shared/rules'
import type { Role } from '@em-console/shared/schemas'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { AuthService } from '../auth/auth-service.js'
import type { Session } from '../auth/sessions-repository.js'
import { ServiceError } from '../services/errors.js'

export type RouteRole = Role | 'public'

export interface RouteEntry {
  method: string
  url: string
  role: RouteRole
}

export interface SignedInAccount {
  id: number
  username: string
  role: Role
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must say (the access-matrix test reads it). */
    role?: RouteRole
    /** A public route that acts on the session it carries (sign-out): a change to it needs the CSRF token, as a signed-in route's does. */
    actsOnSession?: boolean
  }
  interface FastifyRequest {
    account: SignedInAccount | null
    session: (Session & { token: string }) | null
    /** Whether the request's session is still live (a progress stream asks at each event, without renewing its idle time): not signed out, expired, or its account disabled or changed since. */
    stillSignedIn: () => boolean
  }
  interface FastifyInstance {
    routeTable: RouteEntry[]
  }
}

export const SESSION_COOKIE = 'em_session'
/** The methods that change nothing: every other needs the session's CSRF token. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Verified cookie headers remembered at most (more than the people using one console). */
const KNOWN_COOKIE_HEADERS = 1000

export interface AuthPluginOptions {
  auth: AuthService
  /** Cookies get `Secure` when the request came over HTTPS: always, never, or as a trusted proxy says (reverse-proxy.ts's httpsOf). */
  secureCookies: boolean | ((request: FastifyRequest) => boolean)
}

async function authPlugin (fastify: FastifyInstance, { auth, secureCookies }: AuthPluginOptions): Promise<void> {
  // Only the session cookie is read, by loadSession: no request needs the others parsed.
  await fastify.register(fastifyCookie, { secret: await auth.cookieSecret(), hook: false })
  fastify.decorateRequest('account', null)
  fastify.decorateRequest('session', null)
  fastify.decorateRequest('stillSignedIn', function (this: FastifyRequest) {
    return this.session !== null && auth.useSession(this.session.token, false) !== undefined
  })
  fastify.decorate('routeTable', [])

  fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return
    const role = route.config?.role
    if (role === undefined) throw new Error(`Route ${String(route.method)} ${route.url} declares no role`)
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') fastify.routeTable.push({ method, url: route.url, role })
    }
  })

  /**
   * A request's session token, from its cookie header: each header is parsed and its signature
   * checked once (a cookie parse and an HMAC-SHA256 per request were ~6 % of the server's CPU
   * under P1; issue #14). Only headers that verified are remembered, and only a bounded number;
   * whether the session is still live is asked of the auth service every time.
   */
  const tokens = new Map<string, string>()
  function sessionToken (request: FastifyRequest): string | undefined {
    const header = request.headers.cookie
    if (header === undefined) return undefined
    const known = tokens.get(header)
    if (known !== undefined) return known
    const raw = fastify.parseCookie(header)[SESSION_COOKIE]
    if (raw === undefined) return undefined
    const { valid, value } = request.unsignCookie(raw)
    if (!valid || value === null) return undefined
    if (tokens.size >= KNOWN_COOKIE_HEADERS) tokens.clear()
    tokens.set(header, value)
    return value
  }

  /** Reads the signed session cookie; a tampered, unknown or expired one counts as none. */
  function loadSession (request: FastifyRequest): void {
    const value = sessionToken(request)
    if (value === undefined) return
    // A page's own poll while nobody uses it asks without renewing the idle time.
    const live = auth.useSession(value, request.headers[UNATTENDED_HEADER] !== '1')
    if (live === undefined) return
    const { session, account } = live
    request.session = { ...session, token: value }
    request.account = { id: account.id, username: account.username, role: account.role }
  }

  /** A change made with a session must show its CSRF token: another site's page cannot. */
  function checkCsrf (request: FastifyRequest, session: NonNullable<FastifyRequest['session']>): void {
    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new ServiceError('forbidden', 'CSRF', 'Missing or wrong x-csrf-token header.', { action: 'Reload the page; scripts send the csrfToken from GET /api/session in the x-csrf-token header.' })
    }
  }

  // onRequest runs before the body is read: a refused request costs no parsing.
  fastify.addHook('onRequest', async (request) => {
    loadSession(request)
    const role = request.routeOptions.config.role
    if (role === undefined || role === 'public') {
      // Signing out acts on the session the request carries; signing in starts another, whatever it carries.
      if (request.routeOptions.config.actsOnSession === true && request.session !== null) checkCsrf(request, request.session)
      return
    }
    if (request.account === null || request.session === null) {
      throw new ServiceError('unauthenticated', 'UNAUTHENTICATED', 'Sign in first.', { action: 'Sign in again: sessions end after a while without use.' })
    }
    if (!hasRole(request.account.role, role)) {
      throw new ServiceError('forbidden', 'FORBIDDEN', `This needs the ${role} role; ${request.account.username} is ${request.account.role}.`, { action: 'Ask an admin for that role.' })
    }
    checkCsrf(request, request.session)
  })

  fastify.decorateReply('startSession', function (this: FastifyReply, token: string) {
    const secure = typeof secureCookies === 'boolean' ? secureCookies : secureCookies(this.request)
    return this.setCookie(SESSION_COOKIE, token, { signed: true, httpOnly: true, sameSite: 'strict', secure, path: '/' })
  })
  fastify.decorateReply('endSession', function (this: FastifyReply) {
    return this.clearCookie(SESSION_COOKIE, { path: '/' })
  })
}

declare module 'fastify' {
  interface FastifyReply {
    startSession: (token: string) => FastifyReply
    endSession: () => FastifyReply
  }
}

export default fp(authPlugin, { name: 'auth', fastify: '5.x' })
