import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { registerAjvFormats, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import fastJsonStringify from 'fast-json-stringify'
import fp from 'fastify-plugin'
import type { Dispatcher } from 'undici'
import type { Config } from './config.js'
import { toHttpError } from './http-errors.js'
import { NotFoundError } from './services/errors.js'
import authPlugin from './plugins/auth.js'
import runtimePlugin from './plugins/runtime.js'
import accounts from './routes/api/accounts.js'
import audit from './routes/api/audit.js'
import devices from './routes/api/devices.js'
import health from './routes/api/health.js'
import inventory from './routes/api/inventory.js'
import logoutAll from './routes/api/logout-all.js'
import runs from './routes/api/runs.js'
import session from './routes/api/session.js'
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

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url))

registerAjvFormats()

async function app (fastify: FastifyInstance, options: AppOptions): Promise<void> {
  const { config, version = VERSION, webRoot = DEFAULT_WEB_ROOT } = options
  // The dashboard is served over HTTPS: cookies get Secure, browsers get HSTS.
  const https = config.TLS_CERT_FILE !== undefined
  const rateLimitPerMinute = config.RATE_LIMIT_PER_MINUTE
  // TypeBox checks bodies as sent ("5" is not 5) and converts only query strings and params.
  fastify.setValidatorCompiler(TypeBoxValidatorCompiler)
  // Every route shares the same few response schemas (ErrorBody on seven statuses of each route):
  // one serializer per schema object instead of one per route and status keeps the start fast.
  const serializers = new WeakMap<object, (data: unknown) => string>()
  fastify.setSerializerCompiler(({ schema }) => {
    let serialize = serializers.get(schema)
    if (serialize === undefined) {
      serialize = fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0])
      serializers.set(schema, serialize)
    }
    return serialize
  })

  fastify.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request')
  })

  fastify.setErrorHandler((error, request, reply) => {
    const { statusCode, body, headers } = toHttpError(error)
    if (statusCode >= 500) request.log.error({ err: error, code: body.error.code }, body.error.message)
    else request.log.info({ code: body.error.code }, body.error.message)
    return reply.code(statusCode).headers(headers ?? {}).send(body)
  })

  // The dashboard is built without inline scripts or styles, so the policy can stay strict.
  await fastify.register(fastifyHelmet, {
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
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false
  })
  await fastify.register(runtimePlugin, { config, dispatcher: options.dispatcher, tuning: options.tuning })
  const { runtime } = fastify
  await fastify.register(fastifyRateLimit, { global: rateLimitPerMinute > 0, max: rateLimitPerMinute > 0 ? rateLimitPerMinute : 1, timeWindow: '1 minute' })
  await fastify.register(authPlugin, { auth: runtime.auth, secureCookies: https })

  await fastify.register(fastifySwagger, {
    openapi: {
      info: { title: 'EM Console API', version, description: 'Cisco Unified CM Extension Mobility: look-ups, logouts, logins and the audit trail.' }
    }
  })
  await fastify.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true })

  const { em, mode, cucm } = runtime
  await fastify.register(session, { auth: runtime.auth, mode, signInPerMinute: config.SIGN_IN_PER_MINUTE })
  await fastify.register(accounts, { auth: runtime.auth })
  await fastify.register(health, { em, version, mode, cucm })
  await fastify.register(logoutAll, { em })
  await fastify.register(devices, { em, inventory: runtime.inventory })
  await fastify.register(users, { em })
  await fastify.register(audit, { store: runtime.store })
  await fastify.register(runs, { runs: runtime.runs, settings: runtime.settings })
  await fastify.register(settings, { settings: runtime.settings })
  await fastify.register(schedules, { schedules: runtime.schedules })
  await fastify.register(inventory, { inventory: runtime.inventory })

  const serveWeb = existsSync(webRoot)
  if (serveWeb) {
    await fastify.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      // Vite puts a content hash in every asset name, so they never change; index.html always may.
      setHeaders (reply, path) {
        reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      }
    })
  }

  fastify.setNotFoundHandler(async (request, reply) => {
    // Only page routes fall back to the app; a missing asset or API path is a real 404.
    const path = request.url.split('?')[0] ?? ''
    if (serveWeb && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/assets/') && !/\.[a-z0-9]+$/i.test(path)) {
      return await reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    throw new NotFoundError(`No route ${request.method} ${path}`)
  })
}

export default fp(app, { name: 'em-console', fastify: '5.x' })
