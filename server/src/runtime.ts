import { readFileSync } from 'node:fs'
import type { Mode } from '@em-console/shared/schemas'
import { createAuditRepository, type AuditRepository } from './audit/audit-repository.js'
import { createAuthService, type AuthService } from './auth/auth-service.js'
import type { Config } from './config.js'
import { closeDatabase, openDatabase, type Db } from './db/database.js'
import { createEmapiClient, type EmapiClient } from './emapi/client.js'
import { systemTimeZone } from './schedules/cron.js'
import { createScheduleService, type ScheduleService } from './schedules/schedule-service.js'
import { createWebhookNotifier } from './schedules/webhook.js'
import { createRunService, type RunService } from './runs/run-service.js'
import { createSettingsService, type SettingsService } from './runs/settings-service.js'
import { createEmService, type EmService } from './services/em-service.js'
import type { Simulator } from './simulator/server.js'

/** Everything the server and the CLI share: the database, the EMAPI client and the services. */
export interface Runtime {
  config: Config
  mode: Mode
  cucm: { host: string, port: number }
  db: Db
  audit: AuditRepository
  client: EmapiClient
  em: EmService
  auth: AuthService
  settings: SettingsService
  runs: RunService
  /** Schedules: the CLI and the server share them, but only the server calls start() (timers). */
  schedules: ScheduleService
  simulator: Simulator | undefined
  /** Warnings to log once the logger exists (e.g. TLS verification off). */
  warnings: string[]
  close: () => Promise<void>
}

export interface RuntimeOptions {
  /** At server boot, pending rows are from a crash; the CLI must not touch a running server's rows. */
  markInterrupted: boolean
}

/**
 * With no CUCM_HOST the embedded simulator starts on loopback and the client trusts its
 * certificate through the ordinary CA option: demo mode exercises the same TLS path as production.
 */
export async function startRuntime (config: Config, options: RuntimeOptions): Promise<Runtime> {
  const warnings: string[] = []
  // Loaded only in demo mode: its certificate libraries are a large part of the start-up time.
  const simulator = config.CUCM_HOST === undefined
    ? await (await import('./simulator/server.js')).startSimulator({ port: config.SIMULATOR_PORT })
    : undefined
  const target = simulator === undefined
    ? {
        host: config.CUCM_HOST ?? '',
        port: config.CUCM_PORT,
        appUser: config.CUCM_APP_USER,
        appPassword: config.CUCM_APP_PASSWORD,
        ca: config.CUCM_CA_FILE === undefined ? undefined : readFileSync(config.CUCM_CA_FILE, 'utf8'),
        insecure: config.CUCM_TLS_INSECURE
      }
    : { host: simulator.host, port: simulator.port, ...simulator.credentials, ca: simulator.caPem, insecure: false }
  if (simulator !== undefined) {
    warnings.push(`Demo mode: no CUCM_HOST is set, so EM Console talks to its built-in CUCM simulator at ${simulator.origin}. Set CUCM_HOST to manage a real cluster.`)
  }
  if (target.insecure) {
    warnings.push('CUCM_TLS_INSECURE=true: the CUCM certificate is NOT verified. Anyone on the network path can read the application user password. Use CUCM_CA_FILE instead.')
  }
  const client = createEmapiClient({ ...target, timeoutMs: config.CUCM_TIMEOUT_MS, maxResponseBytes: config.EMAPI_MAX_RESPONSE_BYTES })
  const db = openDatabase(config.DATABASE_PATH)
  const audit = createAuditRepository(db)
  if (options.markInterrupted) {
    const interrupted = audit.markInterrupted()
    if (interrupted > 0) warnings.push(`${interrupted} action(s) were still running when the server last stopped; they are marked "interrupted" in the history.`)
  }
  const em = createEmService({ client, audit, maxConcurrency: config.EMAPI_MAX_CONCURRENCY, timeoutMs: config.CUCM_TIMEOUT_MS })
  const settings = createSettingsService(db, audit)
  const runs = createRunService({ db, em, audit, settings, concurrency: config.EMAPI_MAX_CONCURRENCY })
  if (options.markInterrupted) {
    const stopped = runs.markInterrupted()
    if (stopped > 0) warnings.push(`${stopped} bulk run(s) were still running when the server last stopped; they are marked "interrupted".`)
  }
  const mode = simulator === undefined ? 'cucm' : 'simulator'
  const auth = createAuthService({
    db,
    audit,
    mode,
    limits: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_MAX_HOURS * 3_600_000 },
    initialAdmin: config.ADMIN_USERNAME === undefined || config.ADMIN_PASSWORD === undefined ? undefined : { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD }
  })
  // Expired sessions are otherwise deleted only when their cookie comes back.
  if (options.markInterrupted) auth.sessions.purgeExpired()
  const schedules = createScheduleService({
    db,
    em,
    audit,
    defaultTimezone: config.SCHEDULE_TIMEZONE ?? systemTimeZone(),
    configSchedule: config.LOGOUT_ALL_SCHEDULE === undefined ? undefined : { cron: config.LOGOUT_ALL_SCHEDULE, timezone: config.SCHEDULE_TIMEZONE ?? systemTimeZone() },
    notify: config.NOTIFY_WEBHOOK_URL === undefined ? undefined : createWebhookNotifier({ url: config.NOTIFY_WEBHOOK_URL, timeoutMs: config.NOTIFY_WEBHOOK_TIMEOUT_MS, audit }),
    logoutSavedList: async (caller) => await runs.logoutSavedList(caller)
  })
  return {
    config,
    mode,
    cucm: { host: target.host, port: target.port },
    db,
    audit,
    client,
    em,
    auth,
    settings,
    runs,
    schedules,
    simulator,
    warnings,
    async close () {
      await schedules.stop()
      await client.close()
      await simulator?.close()
      closeDatabase(db)
    }
  }
}
