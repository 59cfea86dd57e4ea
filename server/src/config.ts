import { existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { Type, type Static, type TSchema } from 'typebox'
import Value from 'typebox/value'
import { isTimeZone, scheduleProblem, systemTimeZone } from './schedules/cron.js'

const Port = (fallback: number, description: string) => Type.Integer({ minimum: 0, maximum: 65535, default: fallback, description })

/** Every setting EM Console reads, with its default; .env-sample documents each one. */
export const ConfigSchema = Type.Object({
  CUCM_HOST: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.:-]+$', description: 'CUCM publisher or subscriber running the Extension Mobility service; unset = demo mode' })),
  CUCM_PORT: Port(8443, 'HTTPS port of the EMAPI servlet'),
  CUCM_APP_USER: Type.String({ default: '', description: 'CUCM application user in "Standard EM Authentication Proxy Rights"' }),
  CUCM_APP_PASSWORD: Type.String({ default: '' }),
  CUCM_CA_FILE: Type.Optional(Type.String({ minLength: 1, description: 'PEM file of the CA (or the self-signed Tomcat certificate) to trust' })),
  CUCM_TLS_INSECURE: Type.Boolean({ default: false }),
  CUCM_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 300_000, default: 15_000 }),
  EMAPI_MAX_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 20, default: 4 }),
  EMAPI_MAX_RESPONSE_BYTES: Type.Integer({ minimum: 65_536, maximum: 268_435_456, default: 4_194_304, description: 'Largest EMAPI answer read; past it the transfer stops with EMAPI_TOO_LARGE' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  PORT: Port(3000, 'Port of the dashboard and REST API'),
  DATABASE_PATH: Type.String({ minLength: 1, default: './data/em-console.db' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  SIMULATOR_PORT: Port(0, 'Port of the embedded simulator in demo mode (0 = any free port)'),
  ADMIN_USERNAME: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._@-]{1,64}$', description: 'First admin, created when no account exists' })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12, maxLength: 256 })),
  SESSION_IDLE_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 30 }),
  SESSION_MAX_HOURS: Type.Integer({ minimum: 1, maximum: 168, default: 12 }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 1200, description: 'Requests per client IP per minute (0 = no limit)' }),
  SIGN_IN_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }),
  TLS_CERT_FILE: Type.Optional(Type.String({ minLength: 1, description: 'PEM certificate (chain) to serve the dashboard over HTTPS' })),
  TLS_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  LOGOUT_ALL_SCHEDULE: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'Cron expression of the "nightly" logout-all schedule, e.g. "0 2 * * *"' })),
  SCHEDULE_TIMEZONE: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone of schedules; default the server\'s zone' })),
  NOTIFY_WEBHOOK_URL: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL POSTed a JSON summary when a scheduled run fails' })),
  NOTIFY_WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 })
})
export type Config = Static<typeof ConfigSchema>

export class ConfigError extends Error {
  readonly key: string
  constructor (key: string, message: string) {
    super(`Configuration error in ${key}: ${message}`)
    this.name = 'ConfigError'
    this.key = key
  }
}

function schemaType (schema: TSchema): unknown {
  return (schema as { type?: unknown }).type
}

/**
 * Turns the environment's strings into typed values. Booleans are exactly "true" or "false":
 * a public EMAPI tool once read the string "false" as true (STYLE.md §3).
 */
function convert (key: string, raw: string, schema: TSchema): unknown {
  switch (schemaType(schema)) {
    case 'integer':
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(key, `expected a whole number, got "${raw}"`)
      return Number(raw.trim())
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new ConfigError(key, `expected "true" or "false", got "${raw}"`)
      return raw === 'true'
    default:
      return raw
  }
}

/** Reads .env (when present) under the environment, which wins. Empty values count as unset. */
export function readEnvironment (env: NodeJS.ProcessEnv, envFile = '.env'): Record<string, string> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {}
  const merged: Record<string, string> = {}
  for (const [key, value] of Object.entries({ ...fromFile, ...env })) {
    if (value !== undefined && value !== '') merged[key] = value
  }
  return merged
}

/** Validates every setting once; the first bad one stops the start with a message naming it. */
export function loadConfig (env: Record<string, string | undefined>): Config {
  const input: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
    const raw = env[key]
    if (raw !== undefined && raw !== '') input[key] = convert(key, raw, schema)
  }
  const config = Value.Default(ConfigSchema, input)
  const [first] = Value.Errors(ConfigSchema, config)
  if (first !== undefined) {
    const key = first.instancePath.split('/')[1] ?? first.schemaPath
    // The message never echoes the value: it may be the password.
    throw new ConfigError(key, first.message)
  }
  const valid = config as Config
  if (valid.CUCM_HOST !== undefined && (valid.CUCM_APP_USER === '' || valid.CUCM_APP_PASSWORD === '')) {
    throw new ConfigError(valid.CUCM_APP_USER === '' ? 'CUCM_APP_USER' : 'CUCM_APP_PASSWORD', 'required when CUCM_HOST is set')
  }
  for (const key of ['CUCM_CA_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE'] as const) {
    const file = valid[key]
    if (file !== undefined && !existsSync(file)) throw new ConfigError(key, `no such file: ${file}`)
  }
  if ((valid.TLS_CERT_FILE === undefined) !== (valid.TLS_KEY_FILE === undefined)) {
    throw new ConfigError(valid.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE', 'set both TLS_CERT_FILE and TLS_KEY_FILE, or neither')
  }
  if ((valid.ADMIN_USERNAME === undefined) !== (valid.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(valid.ADMIN_USERNAME === undefined ? 'ADMIN_USERNAME' : 'ADMIN_PASSWORD', 'set both ADMIN_USERNAME and ADMIN_PASSWORD, or neither')
  }
  checkScheduleSettings(valid)
  return valid
}

function checkScheduleSettings (config: Config): void {
  const timezone = config.SCHEDULE_TIMEZONE ?? systemTimeZone()
  if (config.SCHEDULE_TIMEZONE !== undefined && !isTimeZone(timezone)) throw new ConfigError('SCHEDULE_TIMEZONE', `"${timezone}" is not an IANA time zone (e.g. Europe/Paris, UTC)`)
  const problem = config.LOGOUT_ALL_SCHEDULE === undefined ? undefined : scheduleProblem(config.LOGOUT_ALL_SCHEDULE, timezone, 'logout-all')
  if (problem !== undefined) throw new ConfigError('LOGOUT_ALL_SCHEDULE', problem.message)
  if (config.NOTIFY_WEBHOOK_URL !== undefined && !isHttpUrl(config.NOTIFY_WEBHOOK_URL)) {
    // Not echoed: the URL may carry a token.
    throw new ConfigError('NOTIFY_WEBHOOK_URL', 'expected an http:// or https:// URL')
  }
}

function isHttpUrl (text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol)
  } catch {
    return false
  }
}
