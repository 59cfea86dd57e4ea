import { ERROR_BODY_DESCRIPTION, ErrorBodySchema, type Role } from '@em-console/shared/schemas'
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import type { FastifyRequest, RouteOptions } from 'fastify'
import { Type } from 'typebox'
import { SAFE_METHODS, SESSION_COOKIE } from '../plugins/auth.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's body may be left out: no body is an empty one (`{}`), and the API document says the body is optional. */
    optionalBody?: boolean
  }
}

/** The operation key that tells servedDocument a request body is optional (@fastify/swagger copies `x-` keys of a route's schema to its operation). */
const OPTIONAL_BODY_KEY = 'x-body-optional'
/** The name of ErrorBody among the document's shared schemas. */
const ERROR_BODY = 'ErrorBody'

/** The error statuses every EMAPI-backed route may answer (see http-errors.ts). */
export const ERROR_RESPONSES = {
  400: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  500: ErrorBodySchema,
  502: ErrorBodySchema,
  503: ErrorBodySchema,
  504: ErrorBodySchema
}

/**
 * The refusals a route may answer before its handler runs, which its own schema need not list:
 * 400 when it validates a part of the request (the validator's refusal) or reads a body (JSON that
 * does not parse), 413 and 415 when it reads a body (too large, not a content type it reads),
 * 401 and 403 (role, CSRF token) when it needs a session, 403 (CSRF) when it is public but acts on
 * the session it carries (sign-out), 429 unless it is never rate limited. Fastify reads the body
 * of every method but GET and HEAD, that of a route that takes none too (a cancel, a sign-out).
 * The served OpenAPI document names them: a client generated from it expects no other status.
 */
function refusalsOf (route: Pick<RouteOptions, 'method' | 'schema' | 'config'>): number[] {
  const { schema, config } = route
  const readsBody = schema?.body !== undefined || [route.method].flat().some((method) => !SAFE_METHODS.has(method))
  const statuses: number[] = []
  if (readsBody || schema?.querystring !== undefined || schema?.params !== undefined || schema?.headers !== undefined) statuses.push(400)
  if (readsBody) statuses.push(413, 415)
  if (config?.role !== 'public') statuses.push(401, 403)
  else if (config.actsOnSession === true) statuses.push(403)
  if (config?.rateLimit !== false) statuses.push(429)
  return statuses
}

/**
 * The 200 of a route that answers text that is not JSON (a CSV file, an event stream), by its
 * content type: OpenAPI 3 has no `produces`, so without it the document named no content type at
 * all. Its refusals stay ErrorBody JSON. Fastify sends the route's text as it is.
 */
export function textAnswer (contentType: 'text/csv' | 'text/event-stream', description: string): { description: string, content: Record<string, { schema: ReturnType<typeof Type.String> }> } {
  return { description, content: { [contentType]: { schema: Type.String() } } }
}

/** How every CSV file the API answers is written. */
export const CSV_ANSWER = 'CSV in UTF-8 with a byte order mark (for spreadsheets), CRLF line ends, a header row first; sent as an attachment (Content-Disposition). Times are ISO 8601 in UTC, and each again in a `<column>_utc` column at the end of the row, as `2026-12-05 23:15:08` (UTC, to the second), which Excel and LibreOffice read as a date and time.'

/** Fastify checks a body that was not sent against the route's schema too: none is an empty one. */
async function emptyBodyIfNone (request: FastifyRequest): Promise<void> {
  request.body ??= {}
}

/** The OpenAPI document's head: what the API is, and how a script signs in (README "For scripts"). */
export function apiDocumentHead (version: string): NonNullable<FastifyDynamicSwaggerOptions['openapi']> {
  return {
    info: {
      title: 'EM Console API',
      version,
      description: 'Cisco Unified CM Extension Mobility: look-ups, logouts, logins and the audit trail. ' +
        'Sign in with POST /api/session and JSON { "username", "password" }: the answer sets the session cookie and returns { user, role, csrfToken }. ' +
        'Send the cookie with every request, and the token in the x-csrf-token header with every POST, PUT, PATCH and DELETE. ' +
        'Every error answers an ErrorBody; programs switch on its error.code.'
    },
    components: {
      securitySchemes: {
        session: { type: 'apiKey' as const, in: 'cookie', name: SESSION_COOKIE, description: 'The signed session cookie POST /api/session sets (httpOnly, SameSite=Strict)' },
        csrf: { type: 'apiKey' as const, in: 'header', name: 'x-csrf-token', description: 'The csrfToken of POST /api/session (or GET /api/session): every request that changes something sends it' }
      }
    }
  }
}

/**
 * Who may call a route, as the document says it: nobody signed in (public), the session cookie,
 * and with it the CSRF token for a method that changes something; sign-out takes a session when
 * there is one (then with its token).
 */
function securityOf (route: Pick<RouteOptions, 'method' | 'config'>): Array<Record<string, string[]>> {
  const changes = [route.method].flat().some((method) => !SAFE_METHODS.has(method))
  const signedIn: Record<string, string[]> = changes ? { session: [], csrf: [] } : { session: [] }
  if (route.config?.role !== 'public') return [signedIn]
  return route.config.actsOnSession === true ? [{}, signedIn] : []
}

/** Who may call a signed-in route, in its operation's description: the document said only "a session". */
const ROLE_NEEDED: Record<Role, string> = {
  viewer: 'Role needed: viewer (any signed-in account).',
  operator: 'Role needed: operator or admin.',
  admin: 'Role needed: admin.'
}

/** The query of a route that declares none: any parameter is refused, so a filter it does not take never lists everything. */
const NO_QUERY = Type.Object({}, { additionalProperties: false })

/**
 * What every /api route gets beyond its own declaration (an onRoute hook of the app, before any
 * route): its refusals among its documented responses, who may call it, an empty query where it
 * declares none (but the public ones, which a monitor may call with a cache-buster), the role it
 * needs in its description, and for
 * `config.optionalBody` the empty body and the document's word for it.
 */
export function completeRoute (route: RouteOptions): void {
  if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return
  const response = route.schema?.response as Record<string, unknown> | undefined
  if (response !== undefined) {
    for (const status of refusalsOf(route)) response[status] ??= ErrorBodySchema
  }
  if (route.schema !== undefined) Object.assign(route.schema, { security: securityOf(route) })
  const role = route.config?.role
  if (route.schema !== undefined && role !== undefined && role !== 'public') {
    route.schema.querystring ??= NO_QUERY
    route.schema.description = [route.schema.description, ROLE_NEEDED[role]].filter((part) => part !== undefined).join(' ')
  }
  if (route.config?.optionalBody === true && route.schema !== undefined) {
    route.preValidation = [...[route.preValidation ?? []].flat(), emptyBodyIfNone]
    Object.assign(route.schema, { [OPTIONAL_BODY_KEY]: true })
  }
}

interface OpenApiOperation {
  requestBody?: { required?: boolean }
  responses?: Record<string, { content?: Record<string, { schema?: { description?: string } | { $ref: string } }> }>
  [OPTIONAL_BODY_KEY]?: boolean
}

/**
 * The OpenAPI document as it is served (@fastify/swagger's transformObject).
 * - @fastify/swagger marks every request body required (a Fastify route with a body schema needs
 *   one): a body the route may leave out is marked optional.
 * - It writes ErrorBody out whole in every error response (some 280 copies, three quarters of the
 *   document): each becomes a reference to one `components.schemas.ErrorBody`, so a client
 *   generated from the document has one error type. ErrorBody is known by its description.
 */
export function servedDocument<T extends { paths?: object, components?: { schemas?: object } }> (document: T): T {
  let errorBody: object | undefined
  for (const methods of Object.values(document.paths ?? {}) as Array<Record<string, OpenApiOperation>>) {
    for (const operation of Object.values(methods)) {
      for (const response of Object.values(operation.responses ?? {})) {
        const media = response.content?.['application/json']
        if (media?.schema === undefined || !('description' in media.schema) || media.schema.description !== ERROR_BODY_DESCRIPTION) continue
        errorBody ??= media.schema
        media.schema = { $ref: `#/components/schemas/${ERROR_BODY}` }
      }
      if (operation[OPTIONAL_BODY_KEY] !== true) continue
      delete operation[OPTIONAL_BODY_KEY]
      if (operation.requestBody !== undefined) operation.requestBody.required = false
    }
  }
  if (errorBody !== undefined) document.components = { ...document.components, schemas: { ...document.components?.schemas, [ERROR_BODY]: errorBody } }
  return document
}
