import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { Role } from '@em-console/shared/schemas'
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify'
import app from '../../src/app.ts'
import { createAuditRepository, type AuditRepository } from '../../src/audit/audit-repository.ts'
import { createAuthService, type AuthService } from '../../src/auth/auth-service.ts'
import { closeDatabase, openDatabase, type Db } from '../../src/db/database.ts'
import { createEmapiClient, type EmapiClientOptions } from '../../src/emapi/client.ts'
import { createRunService, type RunService } from '../../src/runs/run-service.ts'
import { createSettingsService, type SettingsService } from '../../src/runs/settings-service.ts'
import { createScheduleService, type ScheduleService, type ScheduleServiceOptions } from '../../src/schedules/schedule-service.ts'
import { createWebhookNotifier } from '../../src/schedules/webhook.ts'
import { createEmService, type Caller, type EmService } from '../../src/services/em-service.ts'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.ts'

export interface TestApp {
  app: FastifyInstance
  sim: Simulator
  db: Db
  audit: AuditRepository
  em: EmService
  auth: AuthService
  runs: RunService
  settings: SettingsService
  schedules: ScheduleService
  /** A new schedule service on the same database (a "restart"), with other options. */
  restartSchedules: (options?: Partial<ScheduleServiceOptions>) => Promise<ScheduleService>
  /** The test's temporary folder (database, web root). */
  dir: string
  /** Every log line the app wrote. */
  logs: string[]
  /** app.inject as a signed-in user of that role (admin unless said), with the CSRF header; 'none' sends no session. */
  inject: (options: InjectOptions | string, as?: Role | 'none') => Promise<LightMyRequestResponse>
  close: () => Promise<void>
}

export const TEST_PASSWORD = 'correct-horse-battery'

export interface TestAppOptions {
  simulator?: SimulatorOptions
  client?: Partial<EmapiClientOptions>
  busyRetries?: number
  maxConcurrency?: number
  rateLimitPerMinute?: number
  signInPerMinute?: number
  /** false: no test accounts (for first-start tests). */
  accounts?: boolean
  mode?: 'simulator' | 'cucm'
  /** A built dashboard to serve; none by default. */
  webRoot?: string
  schedules?: Partial<ScheduleServiceOptions>
  webhookUrl?: string
  webhookTimeoutMs?: number
}

/** The real app on a real SQLite file, talking HTTPS to a real simulator. */
export async function buildTestApp (options: TestAppOptions = {}): Promise<TestApp> {
  const sim = await startSimulator(options.simulator)
  const dir = mkdtempSync(join(tmpdir(), 'em-console-test-'))
  const db = openDatabase(join(dir, 'audit.db'))
  const audit = createAuditRepository(db)
  const client = createEmapiClient({ host: sim.host, port: sim.port, ...sim.credentials, ca: sim.caPem, timeoutMs: 1500, ...options.client })
  const em = createEmService({ client, audit, maxConcurrency: options.maxConcurrency ?? 4, timeoutMs: 1500, busyRetries: options.busyRetries ?? 2, busyBackoffMs: 5, healthCacheMs: 0 })
  const settings = createSettingsService(db, audit)
  const runs = createRunService({ db, em, audit, settings, concurrency: options.maxConcurrency ?? 4, defaultVerifyAfterMs: 0 })
  const notify = options.webhookUrl === undefined ? undefined : createWebhookNotifier({ url: options.webhookUrl, timeoutMs: options.webhookTimeoutMs ?? 2000, audit })
  const scheduleBase = { db, em, audit, defaultTimezone: 'UTC', notify, logoutSavedList: async (caller: Caller) => await runs.logoutSavedList(caller), ...options.schedules }
  let schedules = createScheduleService(scheduleBase)
  const logs: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { logs.push(chunk.toString()); done() } })
  const fastify = Fastify({ logger: { level: 'trace', stream } })
  const auth = createAuthService({ db, audit, mode: options.mode ?? 'cucm', limits: { idleMs: 3_600_000, absoluteMs: 86_400_000 } })
  await fastify.register(app, {
    runtime: { em, audit, auth, runs, settings, schedules, mode: 'simulator', cucm: { host: sim.host, port: sim.port } },
    version: '0.0.0-test',
    webRoot: options.webRoot ?? join(dir, 'no-web'),
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    signInPerMinute: options.signInPerMinute ?? 1000
  })
  await fastify.ready()

  // One real sign-in per role, through the API, so every test request carries a real session.
  const sessions = new Map<Role, { cookie: string, csrf: string }>()
  for (const role of options.accounts === false ? [] : ['viewer', 'operator', 'admin'] as const) {
    await auth.createAccount({ actor: 'test', trigger: 'api' }, `test-${role}`, TEST_PASSWORD, role)
    const res = await fastify.inject({ method: 'POST', url: '/api/session', payload: { username: `test-${role}`, password: TEST_PASSWORD } })
    const cookie = res.cookies.find((c) => c.name === 'em_session')
    if (res.statusCode !== 200 || cookie === undefined) throw new Error(`sign-in as ${role} failed: ${res.body}`)
    sessions.set(role, { cookie: `em_session=${cookie.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken })
  }

  return {
    app: fastify,
    sim,
    db,
    audit,
    em,
    auth,
    runs,
    settings,
    get schedules () { return schedules },
    async restartSchedules (more = {}) {
      await schedules.stop()
      schedules = createScheduleService({ ...scheduleBase, ...more })
      return schedules
    },
    dir,
    logs,
    async inject (request, as = 'admin') {
      const options = typeof request === 'string' ? { url: request } : request
      const session = as === 'none' ? undefined : sessions.get(as)
      const headers = session === undefined ? {} : { cookie: session.cookie, 'x-csrf-token': session.csrf }
      return await fastify.inject({ ...options, headers: { ...headers, ...options.headers } })
    },
    async close () {
      await schedules.stop()
      await fastify.close()
      await client.close()
      await sim.close()
      closeDatabase(db)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The raw XML documents the simulator received whose root body element is `name`. */
export function receivedOf (sim: Simulator, name: string): string[] {
  return sim.received.filter((xml) => xml.includes(`<${name}>`) || xml.includes(`<${name}/>`))
}
