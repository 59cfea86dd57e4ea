import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify'
import app from '../../src/app.ts'
import { createAuditRepository, type AuditRepository } from '../../src/audit/audit-repository.ts'
import { createAuthService } from '../../src/auth/auth-service.ts'
import { openDatabase, type Db } from '../../src/db/database.ts'
import { createEmapiClient } from '../../src/emapi/client.ts'
import { createScheduleService, type ScheduleService, type ScheduleServiceOptions } from '../../src/schedules/schedule-service.ts'
import { createWebhookNotifier } from '../../src/schedules/webhook.ts'
import { createEmService, type EmService } from '../../src/services/em-service.ts'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.ts'

export interface ScheduleHarness {
  app: FastifyInstance
  sim: Simulator
  db: Db
  dir: string
  audit: AuditRepository
  em: EmService
  schedules: ScheduleService
  /** A new schedule service on the same database (a "restart"), with other options. */
  restart: (options?: Partial<ScheduleServiceOptions>) => Promise<ScheduleService>
  /** app.inject as a signed-in admin (with the CSRF header), or as a viewer. */
  inject: (options: InjectOptions, as?: 'admin' | 'viewer') => Promise<LightMyRequestResponse>
  close: () => Promise<void>
}

export interface ScheduleHarnessOptions {
  simulator?: SimulatorOptions
  service?: Partial<ScheduleServiceOptions>
  webhookUrl?: string
  webhookTimeoutMs?: number
}

const PASSWORD = 'correct-horse-battery'

/** The real app with the schedules API, on a real SQLite file, against a real simulator. */
export async function buildScheduleHarness (options: ScheduleHarnessOptions = {}): Promise<ScheduleHarness> {
  const sim = await startSimulator(options.simulator)
  const dir = mkdtempSync(join(tmpdir(), 'em-console-schedules-'))
  const db = openDatabase(join(dir, 'audit.db'))
  const audit = createAuditRepository(db)
  const client = createEmapiClient({ host: sim.host, port: sim.port, ...sim.credentials, ca: sim.caPem, timeoutMs: 1500 })
  const em = createEmService({ client, audit, maxConcurrency: 4, timeoutMs: 1500, busyRetries: 1, busyBackoffMs: 5, healthCacheMs: 0 })
  const notify = options.webhookUrl === undefined ? undefined : createWebhookNotifier({ url: options.webhookUrl, timeoutMs: options.webhookTimeoutMs ?? 2000, audit })
  const base = { db, em, audit, defaultTimezone: 'UTC', notify }
  let schedules = createScheduleService({ ...base, ...options.service })
  const auth = createAuthService({ db, audit, mode: 'cucm', limits: { idleMs: 3_600_000, absoluteMs: 86_400_000 } })
  const fastify = Fastify({ logger: false })
  await fastify.register(app, { runtime: { em, audit, auth, mode: 'simulator', cucm: { host: sim.host, port: sim.port } }, version: '0.0.0-test', webRoot: join(dir, 'no-web'), rateLimitPerMinute: 0, signInPerMinute: 1000, schedules })
  await fastify.ready()

  const sessions = new Map<string, { cookie: string, csrf: string }>()
  for (const role of ['viewer', 'admin'] as const) {
    await auth.createAccount({ actor: 'test', trigger: 'api' }, `test-${role}`, PASSWORD, role)
    const res = await fastify.inject({ method: 'POST', url: '/api/session', payload: { username: `test-${role}`, password: PASSWORD } })
    const cookie = res.cookies.find((c) => c.name === 'em_session')
    if (res.statusCode !== 200 || cookie === undefined) throw new Error(`sign-in as ${role} failed: ${res.body}`)
    sessions.set(role, { cookie: `em_session=${cookie.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken })
  }

  return {
    app: fastify,
    sim,
    db,
    dir,
    audit,
    em,
    get schedules () { return schedules },
    async restart (more = {}) {
      await schedules.stop()
      schedules = createScheduleService({ ...base, ...options.service, ...more })
      return schedules
    },
    async inject (request, as = 'admin') {
      const session = sessions.get(as)
      const headers = session === undefined ? {} : { cookie: session.cookie, 'x-csrf-token': session.csrf }
      return await fastify.inject({ ...request, headers: { ...headers, ...request.headers } })
    },
    async close () {
      await schedules.stop()
      await fastify.close()
      await client.close()
      await sim.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export interface WebhookReceiver {
  url: string
  received: Array<{ headers: IncomingMessage['headers'], body: unknown }>
  /** Resolves with the next notification (or the first one already received). */
  next: (timeoutMs?: number) => Promise<unknown>
  close: () => Promise<void>
}

/** A local HTTP server standing in for a chat or paging webhook; `hang` never answers. */
export async function startWebhookReceiver (behaviour: 'ok' | 'hang' = 'ok'): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = []
  const waiters: Array<(body: unknown) => void> = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => { text += chunk.toString() })
    req.on('end', () => {
      const body: unknown = JSON.parse(text)
      received.push({ headers: req.headers, body })
      waiters.shift()?.(body)
      if (behaviour === 'ok') res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/secret-token?key=abc`,
    received,
    async next (timeoutMs = 5000) {
      if (received.length > 0) return received[0]?.body
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no webhook call')), timeoutMs)
        waiters.push((body) => { clearTimeout(timer); resolve(body) })
      })
    },
    async close () {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T> (check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
