import { existsSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { join } from 'node:path'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { registerAjvFormats } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler, HTTPMethods } from 'fastify'
import fastJsonStringify from 'fast-json-stringify'
import fp from 'fastify-plugin'
import helmet from 'helmet'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import Format from 'typebox/format'
import { Settings } from 'typebox/system'
import Value from 'typebox/value'
import type { Dispatcher } from 'undici'
import { EmapiError } from '@em-console/shared/emapi'
import type { ErrorBody } from '@em-console/shared/schemas'
import type { Config } from './config.js'
import { toHttpError, validationError } from './http-errors.js'
import { parseJsonBodies } from './json-body.js'
import { BODY_LIMIT_BYTES } from './request-limits.js'
import { httpsOf, proxyEntries } from './reverse-proxy.js'
import { ActionError, ClusterFailure, NotFoundError } from './services/errors.js'
import { DEFAULT_WEB_ROOT, swaggerUiStatic } from './paths.js'
import authPlugin from './plugins/auth.js'
import runtimePlugin from './plugins/runtime.js'
import { apiDocumentHead, completeRoute, servedDocument } from './routes/responses.js'
import accounts from './routes/api/accounts.js'
import audit from './routes/api/audit.js'
import clusters from './routes/api/clusters.js'
import devices from './routes/api/devices.js'
import health from './routes/api/health.js'
import inventory from './routes/api/inventory.js'
import logoutAll from './routes/api/logout-all.js'
import runs from './routes/api/runs.js'
import session, { isLoopbackName } from './routes/api/session.js'
import settings from './routes/api/settings.js'
import schedules from './routes/api/schedules.js'
import users from './routes/api/users.js'
import type { Tuning } from './runtime.js'
import { VERSION } from './version.js'

export interface AppOptions {
  config: Config
  version?: string
  /** The built dashboard; not served when missing (API-only tests). */
  webRoot?: string
  /** Where EMAPI requests go instead of the client's own pool (tests, benches). */
  dispatcher?: Dispatcher
  tuning?: Partial<Tuning>
}

/** Time to receive a whole request, body included (a 5 MiB CSV upload at 400 kbit/s fits). */
export const REQUEST_TIMEOUT_MS = 120_000

/**
 * The most characters the router reads in one path parameter. Fastify's default (100) answered a
 * bare 414 to user IDs the API accepts: an ID holds up to 128 characters, up to 12 each once
 * percent-encoded (four UTF-8 bytes), 1,536 in all. The limit leaves room above that, so an ID a
 * little too long gets the schema's 400 in words; one longer still, routerRefusal's.
 */
const MAX_PARAM_LENGTH = 4096

/** A path parameter as the router reads it: decoded. */
function decodedSegment (segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** The 404 of a path no route serves. A long path is said in part: a 404 need not echo a client's 16 KB back. */
function noRoute (method: string, path: string): NotFoundError {
  return new NotFoundError(`No route ${method} ${path.length > 120 ? `${path.slice(0, 100)}…` : path}`)
}

/**
 * What the router refused before any route was found, as the API refuses: a path parameter over
 * MAX_PARAM_LENGTH is the 400 its route's schema gives one a little too long (naming the
 * parameter and its rule; the route is found again with a stand-in for it), a path with no such
 * route a 404. Either way the URL is not echoed (Fastify's own 414 held it whole).
 */
function routerRefusal (error: FastifyError, request: FastifyRequest): Error {
  if (error.code !== 'FST_ERR_MAX_PARAM_LENGTH') return error
  const segments = (request.url.split('?')[0] ?? '').split('/')
  const long = segments.findIndex((segment) => decodedSegment(segment).length > MAX_PARAM_LENGTH)
  const STAND_IN = '-'
  const route = long === -1 ? null : request.server.findRoute({ method: request.method as HTTPMethods, url: segments.with(long, STAND_IN).join('/') }) as { params: Record<string, string | undefined> } | null
  const name = Object.entries(route?.params ?? {}).find(([, value]) => value === STAND_IN)?.[0]
  if (name === undefined) return noRoute(request.method, segments.with(long, '…').join('/'))
  request.params = { [name]: decodedSegment(segments[long] ?? '') }
  return validationError([{ keyword: 'maxLength', instancePath: `/${name}`, params: { limit: MAX_PARAM_LENGTH } }], 'params')
}

/**
 * A request Node's HTTP parser refused before Fastify saw it, answered as every refusal is (an
 * ErrorBody): Fastify's own body had `error` as a string where scripts read `error.code`. A
 * request line and headers past Node's 16 KiB (a GET of ~1,000 device names in ?names=) are
 * refused there, naming the POST that takes long lists; the limit stays (each connection may
 * hold that much before it is refused).
 */
function refuseUnreadRequest (this: { log: { trace: (context: object, message: string) => void } }, error: Error & { code?: string }, socket: Duplex): void {
  // A connection reset: nothing is left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  this.log.trace({ err: error }, 'a request Node could not read')
  const [status, message, action] = error.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'The request line and headers are longer than the server reads (16 KiB).', 'Send long lists of device names in a POST body: POST /api/devices/status takes up to 5,000.']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'The request did not arrive whole in time.', 'Send it again.']
      : [400, 'The request could not be read as HTTP.', 'Check the client that sent it.']
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message, action } } satisfies ErrorBody)
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`)
  socket.destroy(error)
}

/**
 * How the Fastify instance around the app must be built (fastifyOptions).
 * A request must arrive whole within REQUEST_TIMEOUT_MS: Fastify's default (none) let a client
 * that sends its body a byte at a time hold a connection for ever, before any sign-in.
 * The router's refusals (a path parameter too long, a broken percent-encoding) go to the app's
 * one error handler: Fastify's own bodies were not ErrorBody (FST_ codes, the whole URL echoed).
 * The start waits for the database as long as another program holds its write lock (the store
 * says so in the log): Fastify's 10 s for a plugin ended it with "Plugin did not start in time:
 * 'runtime'", exit 1, and a stack trace.
 */
const FASTIFY_OPTIONS = {
  bodyLimit: BODY_LIMIT_BYTES,
  clientErrorHandler: refuseUnreadRequest,
  pluginTimeout: 0,
  routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  requestTimeout: REQUEST_TIMEOUT_MS,
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    request.server.errorHandler(routerRefusal(error, request), request, reply)
  }
} as const

/**
 * The options of the Fastify instance around the app, from the settings: server.ts and the tests
 * use this. Behind reverse proxies (TRUST_PROXY) request.ip is the client a trusted proxy names in
 * X-Forwarded-For, so the audit trail, the rate limits and the refusal log see each client, not
 * the proxy; unset, Fastify builds its plain request, with nothing more to do per request.
 */
export function fastifyOptions (config: Config): typeof FASTIFY_OPTIONS & { trustProxy: false | string[] } {
  return { ...FASTIFY_OPTIONS, trustProxy: config.TRUST_PROXY === undefined ? false : proxyEntries(config.TRUST_PROXY) }
}

registerAjvFormats()
// ajv-formats' date-time also takes a leap second ('23:59:60Z') and an offset of hours alone
// ('+01', as PostgreSQL prints it), which Date.parse reads as NaN: the routes then compared
// NaN (History's range answered 500, ended sessions an empty page). Such a time is refused as
// any other that is not one, naming its field.
const ajvDateTime = Format.Get('date-time')
Format.Set('date-time', (value) => ajvDateTime?.(value) === true && Number.isFinite(Date.parse(value)))

// TypeBox reports at most 8 problems of a value by default, and a value outside a choice of
// literals is one problem per literal: a refusal of ?action= on History named its first 8 of 24
// actions as all it "must be one of" (a run's item outcomes: 8 of 16). Enough for every choice the
// API takes, still a bound on what a refused request makes the server collect.
Settings.Set({ maxErrors: 64 })

const REFUSAL_LOG_MS = 60_000
const REFUSAL_LOG_IPS = 10_000

/**
 * Decides which of a repeated event are logged: the first per key (a 429's IP, a CUCM failure's
 * words) each minute, with how many went unlogged before it. Under load every refusal was a log
 * line (43,744 in 20 s). Bounded: stale keys are dropped when the map fills, and a flood of more
 * keys than that starts it over.
 */
export function createRefusalLog (now = Date.now): (key: string) => number | undefined {
  const seen = new Map<string, { at: number, unlogged: number }>()
  return (key) => {
    const at = now()
    const entry = seen.get(key)
    if (entry !== undefined && at - entry.at < REFUSAL_LOG_MS) {
      entry.unlogged++
      return undefined
    }
    if (seen.size >= REFUSAL_LOG_IPS) {
      for (const [key, old] of seen) if (at - old.at >= REFUSAL_LOG_MS) seen.delete(key)
      if (seen.size >= REFUSAL_LOG_IPS) seen.clear()
    }
    seen.set(key, { at, unlogged: 0 })
    return entry?.unlogged ?? 0
  }
}

type Validate = ReturnType<FastifySchemaCompiler<TSchema>>

/** How long after listening the background compile of every route's schemas begins. */
const WARM_UP_AFTER_MS = 500

/**
 * TypeBox's check of a request part, as @fastify/type-provider-typebox's compiler does it, but a
 * query string or params object is converted (text to numbers, booleans...) only when it fails as
 * sent: most are text already, and Value.Convert walks the schema and copies the value on every
 * request (~45 µs for one device name: 2.5 % of the server's CPU under P1; issue #14).
 */
function typeBoxValidator (schema: TSchema, httpPart: string | undefined): Validate {
  const check = Compile(schema)
  return (data) => {
    if (check.Check(data)) return { value: data }
    const converted = httpPart === 'body' ? data : convertedAsSent(schema, data)
    return check.Check(converted) ? { value: converted } : { error: check.Errors(converted) }
  }
}

/**
 * TypeBox also converts to a number text that says none: '' to 0, 'true' to 1, and to a whole
 * number '1.5' as 1, so ?olderThanHours=true listed the sessions older than an hour, ?limit=1.5 a
 * page of one and a CSV run's ?verifyAfterSeconds= re-checked nothing. Such a value stays as sent,
 * and is refused naming its field.
 */
function convertedAsSent (schema: TSchema, sent: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties
  if (properties === undefined || typeof sent !== 'object' || sent === null) return Value.Convert(schema, sent)
  // Value.Convert converts the object it is given in place: a copy, to compare with what was sent.
  const converted = Value.Convert(schema, { ...sent }) as Record<string, unknown>
  for (const [key, value] of Object.entries(sent)) {
    const type = properties[key]?.type
    if ((type === 'number' || type === 'integer') && typeof value === 'string' && (value.trim() === '' || Number(value) !== converted[key])) converted[key] = value
  }
  return converted
}

/**
 * The headers a helmet middleware sets, worked out once: this policy is the same for every
 * request, and running helmet's thirteen middlewares per request was ~5 % of the server's CPU
 * under P1 (issue #14). Each header's value is what helmet itself makes of the options.
 */
function headersOf (middleware: ReturnType<typeof helmet>): Array<[string, string]> {
  const headers: Array<[string, string]> = []
  const response = { setHeader: (name: string, value: string) => { headers.push([name, value]) }, removeHeader: () => {} }
  let done = false
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error !== undefined && error !== null) throw error instanceof Error ? error : new Error(String(error))
    done = true
  })
  if (!done) throw new Error('helmet set its headers asynchronously: they cannot be worked out once')
  return headers
}

/**
 * TypeBox checks bodies as sent ("5" is not 5) and converts only query strings and params.
 * Validators and serializers are compiled when a route is first used, not at start: compiling
 * every schema of every route up front was most of the start-up time (issue #14, P5).
 * Once the server listens they are compiled in the background, one per turn of the event loop,
 * so the first request of a route does not hold every other request while its schemas compile
 * (~150 ms for the runs route: issue #15's stall at the limits). They begin a moment after the
 * server listens: its first answers come first (begun at once, they delayed them ~50 ms, P5).
 * The log says when they are done (about 560 steps, 0.5 s of work, none over ~45 ms).
 */
function compileSchemasOnDemand (fastify: FastifyInstance): void {
  const warmUps: Array<() => unknown> = []
  fastify.setValidatorCompiler((route) => {
    let validate: Validate | undefined
    const compiled = (): Validate => (validate ??= typeBoxValidator(route.schema as TSchema, route.httpPart))
    warmUps.push(compiled)
    return (data) => compiled()(data)
  })
  // Every route shares the same few response schemas (ErrorBody on several statuses of each
  // route): one serializer per schema object, not one per route and status.
  const serializers = new WeakMap<object, (data: unknown) => string>()
  fastify.setSerializerCompiler(({ schema }) => {
    const compiled = (): ((data: unknown) => string) => {
      let serialize = serializers.get(schema)
      if (serialize === undefined) {
        // The validators it picks a union's branch with are compiled now, in the warm-up, not by
        // the first answer that needs one: a run's first detail held the server ~70 ms (limits).
        serialize = fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0], { compileValidators: true })
        serializers.set(schema, serialize)
      }
      return serialize
    }
    warmUps.push(compiled)
    return (data: unknown) => compiled()(data)
  })
  fastify.addHook('onListen', async () => {
    const steps = warmUps.length
    let busyMs = 0
    let longestMs = 0
    const next = (): void => {
      const warmUp = warmUps.shift()
      if (warmUp === undefined) {
        fastify.log.info({ steps, busyMs: Math.round(busyMs), longestMs: Math.round(longestMs) }, 'Compiled the schemas of every route in the background')
        return
      }
      const started = performance.now()
      warmUp()
      const ms = performance.now() - started
      busyMs += ms
      longestMs = Math.max(longestMs, ms)
      setImmediate(next)
    }
    setTimeout(next, WARM_UP_AFTER_MS).unref()
  })
}

/**
 * The one error handler: every error becomes its status and ErrorBody (toHttpError), logged by
 * what it is (CUCM's answer, a fault of ours, a refusal).
 */
function handleErrors (fastify: FastifyInstance): void {
  const refusalToLog = createRefusalLog()
  // Keyed by the words: an outage fails every look-up the same way (a line per poll, per client).
  const cucmFailureToLog = createRefusalLog()
  fastify.setErrorHandler((error, request, reply) => {
    const { statusCode, body, headers } = toHttpError(error, { body: request.body, querystring: request.query, params: request.params, route: request.routeOptions.url })
    // Of one cluster among several, the failure wraps what that cluster's CUCM answered.
    const cause = error instanceof ClusterFailure ? error.cause : error
    if (cause instanceof ActionError || cause instanceof EmapiError) {
      // What CUCM answered (or did not): not a fault of EM Console's, and its audit record holds
      // the exchange. One line, without a stack (codes 1 and 8, a bug of ours, are logged as errors
      // where they are recorded), once a minute for the same words: each look-up and change is in
      // the audit trail, and each change a log line of its own (logChange).
      const unlogged = cucmFailureToLog(body.error.message)
      if (unlogged !== undefined) request.log.warn({ code: body.error.code, emapiCode: body.error.emapiCode, auditId: body.error.auditId, unloggedBefore: unlogged }, `${body.error.message} (the same failure is logged at most once a minute; every request is in the audit trail)`)
    } else if (statusCode >= 500) {
      request.log.error({ err: error, code: body.error.code }, body.error.message)
    } else if (statusCode === 429) {
      const unlogged = refusalToLog(request.ip)
      if (unlogged !== undefined) request.log.info({ code: body.error.code, ip: request.ip, refusedUnloggedBefore: unlogged }, `${body.error.message} (further refusals of ${request.ip} are logged at most once a minute)`)
    } else {
      // The caller's address: what an operator's fail2ban or SIEM matches a failed sign-in by.
      request.log.info({ code: body.error.code, ip: request.ip }, body.error.message)
    }
    // A header already set wins: the rate limiter's Retry-After is the exact time left.
    for (const [name, value] of Object.entries(headers ?? {})) if (!reply.hasHeader(name)) reply.header(name, value)
    // toHttpError builds exactly an ErrorBody: sent as JSON text, it skips the route's compiled
    // serializer, whose first compile held a fresh server's first answer (a 401) ~60 ms (P5).
    return reply.code(statusCode).type('application/json; charset=utf-8').send(JSON.stringify(body))
  })
}

/** The headers of every answer. The dashboard is built without inline scripts or styles, so the policy can stay strict. */
function securityHeadersOf (https: boolean): Array<[string, string]> {
  return headersOf(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {})
      }
    },
    // As frame-ancestors 'none', for browsers that read only this header.
    frameguard: { action: 'deny' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false
  }))
}

/**
 * Whether an answer is the API's (`Cache-Control: no-store`): the accounts, the audit trail and its
 * CSV, who is logged in where, the session's CSRF token, in demo mode the demo admin's password.
 * Without the header a browser kept them in its disk cache, for the next person at a shared desk
 * to read after the sign-out. A route's own cache-control (the progress stream's) still wins. The
 * API's routes are those that declare a role (the router finds /%61pi/accounts too: the URL's text
 * would miss it); the API's documentation holds no data, and is cached as any page.
 */
const isDataAnswer = (request: FastifyRequest): boolean => request.routeOptions.config.role !== undefined

/**
 * The built dashboard: index.html (and any other file beside it) by a route each, never cached;
 * the assets below /assets/ by one wildcard route, cached for a year (Vite puts a content hash in
 * every asset name, so they never change). A route per asset, found by a glob of the whole folder
 * at start, cost ~30 ms of CPU before the first answer (some 180 routes; P5, issue #14).
 * The build writes each text file beside itself as .br and .gz (web/vite.config.ts): sent to a
 * browser that accepts one, with `Vary: accept-encoding`; the file itself to any other.
 * Dotfiles are never served (no build writes one; one left in the folder may hold a secret).
 */
async function serveDashboard (fastify: FastifyInstance, webRoot: string): Promise<void> {
  await fastify.register(fastifyStatic, { root: webRoot, serve: false, preCompressed: true, setHeaders: (reply) => { reply.header('cache-control', 'no-cache') } })
  await fastify.register(fastifyStatic, {
    root: join(webRoot, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    dotfiles: 'ignore',
    preCompressed: true,
    setHeaders: (reply) => { reply.header('cache-control', 'public, max-age=31536000, immutable') }
  })
  const files = readdirSync(webRoot, { withFileTypes: true }).filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => entry.name)
  for (const file of files) {
    const page = file === 'index.html' ? ['/', '/index.html'] : [`/${file}`]
    for (const url of page) fastify.route({ method: ['GET', 'HEAD'], url, schema: { hide: true }, handler: async (request, reply) => await reply.sendFile(file) })
  }
}

async function app (fastify: FastifyInstance, options: AppOptions): Promise<void> {
  const { config, version = VERSION, webRoot = DEFAULT_WEB_ROOT } = options
  // Over HTTPS (the dashboard's own TLS, or a trusted proxy's), cookies get Secure, browsers get HSTS.
  const https = httpsOf(config)
  const rateLimitPerMinute = config.RATE_LIMIT_PER_MINUTE
  compileSchemasOnDemand(fastify)
  // The access log is at debug level: below it, no request pays for the hook.
  if (['debug', 'trace'].includes(fastify.log.level)) {
    fastify.addHook('onResponse', async (request, reply) => {
      request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request')
    })
  }

  handleErrors(fastify)
  parseJsonBodies(fastify)
  if (typeof https === 'boolean') {
    const securityHeaders = securityHeadersOf(https)
    fastify.addHook('onRequest', (request, reply, done) => {
      for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value)
      if (isDataAnswer(request)) reply.raw.setHeader('cache-control', 'no-store')
      done()
    })
  } else {
    const [overHttps, overHttp] = [securityHeadersOf(true), securityHeadersOf(false)]
    fastify.addHook('onRequest', (request, reply, done) => {
      for (const [name, value] of https(request) ? overHttps : overHttp) reply.raw.setHeader(name, value)
      if (isDataAnswer(request)) reply.raw.setHeader('cache-control', 'no-store')
      done()
    })
  }
  await fastify.register(runtimePlugin, { config, dispatcher: options.dispatcher, tuning: options.tuning })
  const { runtime } = fastify
  await fastify.register(fastifyRateLimit, { global: rateLimitPerMinute > 0, max: rateLimitPerMinute > 0 ? rateLimitPerMinute : 1, timeWindow: '1 minute' })
  await fastify.register(authPlugin, { auth: runtime.auth, secureCookies: https })

  fastify.addHook('onRoute', completeRoute)
  await fastify.register(fastifySwagger, {
    openapi: apiDocumentHead(version),
    transformObject: (documents) => 'openapiObject' in documents ? servedDocument(documents.openapiObject) : documents.swaggerObject
  })
  // Bundled (bundle.mjs), the plugin cannot find its files from its own folder: it is told where.
  const swaggerUiFiles = swaggerUiStatic()
  // The docs page gets the app's own policy (every answer's, above): the plugin's staticCSP replaced
  // it with one that upgrades every request to HTTPS (over plain HTTP, by a host name, the page
  // loaded nothing) and lets in swagger.io's validator badge, which sends it this server's address.
  await fastify.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: false,
    uiConfig: { validatorUrl: null },
    baseDir: swaggerUiFiles,
    logo: { type: 'image/svg+xml', content: await readFile(join(swaggerUiFiles, 'logo.svg')) }
  })

  const { mode } = runtime
  await fastify.register(session, { auth: runtime.auth, mode, signInPerMinute: config.SIGN_IN_PER_MINUTE, listensOnLoopback: isLoopbackName(config.HOST) })
  await fastify.register(accounts, { auth: runtime.auth })
  await fastify.register(health, { clusters: runtime.clusters, version, mode, store: runtime.store, simulatorPorts: new Map([...runtime.simulators].map(([id, sim]) => [id, sim.port])) })
  await fastify.register(clusters, { clusters: runtime.clusterService })
  await fastify.register(logoutAll, { actions: runtime.actions })
  await fastify.register(devices, { actions: runtime.actions })
  await fastify.register(users, { actions: runtime.actions })
  await fastify.register(audit, { store: runtime.store })
  await fastify.register(runs, { runs: runtime.runs, settings: runtime.settings, keepAliveMs: options.tuning?.streamKeepAliveMs })
  await fastify.register(settings, { settings: runtime.settings })
  await fastify.register(schedules, { schedules: runtime.schedules })
  await fastify.register(inventory, { inventory: runtime.inventory })

  const serveWeb = existsSync(webRoot)
  if (serveWeb) await serveDashboard(fastify, webRoot)

  fastify.setNotFoundHandler(async (request, reply) => {
    // Only page routes fall back to the app; a missing asset or API path is a real 404.
    const path = request.url.split('?')[0] ?? ''
    if (serveWeb && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/assets/') && !/\.[a-z0-9]+$/i.test(path)) {
      return await reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    throw noRoute(request.method, path)
  })
}

export default fp(app, { name: 'em-console', fastify: '5.x' })
