import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { Role, Run } from '@em-console/shared/schemas'
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify'
import app, { fastifyOptions } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import type { Runtime, Tuning } from '../../src/runtime.ts'
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.ts'
import { eventually } from './eventually.ts'

export interface TestApp {
  app: FastifyInstance
  /** The simulator the app talks to (in demo mode, the one the runtime started). */
  sim: Simulator
  runtime: Runtime
  store: Runtime['store']
  audit: Runtime['store']['audit']
  em: Runtime['em']
  auth: Runtime['auth']
  runs: Runtime['runs']
  settings: Runtime['settings']
  schedules: Runtime['schedules']
  config: Config
  /** The test's temporary folder (database, web root). */
  dir: string
  databasePath: string
  /** Every log line the app wrote. */
  logs: string[]
  /** app.inject as a signed-in user of that role (admin unless said), with the CSRF header; 'none' sends no session. */
  inject: (options: InjectOptions | string, as?: Role | 'none') => Promise<LightMyRequestResponse>
  /** Closes this app (not the simulator) and starts a new one on the same database: a server restart. */
  restart: (options?: Pick<TestAppOptions, 'env' | 'tuning'>) => Promise<TestApp>
  close: () => Promise<void>
}

export const TEST_PASSWORD = 'correct-horse-battery'

export interface TestAppOptions {
  simulator?: SimulatorOptions
  /** Where the client goes instead of the test simulator (a CA PEM is written to a file). */
  client?: { host?: string, port?: number, ca?: string, appPassword?: string, timeoutMs?: number }
  /** Settings as the environment gives them, over the test defaults. */
  env?: Record<string, string>
  tuning?: Partial<Tuning>
  busyRetries?: number
  maxConcurrency?: number
  rateLimitPerMinute?: number
  signInPerMinute?: number
  /** false: no test accounts (for first-start tests). */
  accounts?: boolean
  /** 'simulator': demo mode (no CUCM_HOST), the runtime starts its own simulator. */
  mode?: 'simulator' | 'cucm'
  /** A built dashboard to serve; none by default. */
  webRoot?: string
  webhookUrl?: string
  webhookTimeoutMs?: number
  /** Give the cluster AXL settings: the test simulator's AXL side (issue #18's inventory). */
  axl?: boolean
}

interface Shared {
  sim: Simulator
  ownSim: boolean
  dir: string
}

/**
 * The real app, built as production builds it (app.ts and its runtime plugin, from a Config), on a
 * real SQLite file, talking HTTPS to a real simulator.
 */
export async function buildTestApp (options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-test-'))
  const demo = options.mode === 'simulator'
  const sim = demo ? undefined : await startSimulator(options.simulator)
  return await start({ sim: sim as Simulator, ownSim: !demo, dir }, options)
}

function environment (shared: Shared, options: TestAppOptions): Record<string, string> {
  const { sim, dir } = shared
  const env: Record<string, string> = {
    DATABASE_PATH: join(dir, 'audit.db'),
    CUCM_TIMEOUT_MS: String(options.client?.timeoutMs ?? 1500),
    EMAPI_MAX_CONCURRENCY: String(options.maxConcurrency ?? 4),
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 0),
    SIGN_IN_PER_MINUTE: String(options.signInPerMinute ?? 1000),
    SCHEDULE_TIMEZONE: 'UTC',
    SESSION_IDLE_MINUTES: '60',
    SESSION_MAX_HOURS: '24'
  }
  if (options.mode !== 'simulator') {
    Object.assign(env, { CUCM_HOST: options.client?.host ?? sim.host, CUCM_PORT: String(options.client?.port ?? sim.port), CUCM_APP_USER: sim.credentials.appUser, CUCM_APP_PASSWORD: options.client?.appPassword ?? sim.credentials.appPassword })
    const ca = options.client !== undefined && 'ca' in options.client ? options.client.ca : sim.caPem
    if (ca !== undefined) {
      const caFile = join(dir, 'ca.pem')
      writeFileSync(caFile, ca)
      env.CUCM_CA_FILE = caFile
    }
  }
  if (options.axl === true && options.mode !== 'simulator') {
    Object.assign(env, { CUCM_AXL_PORT: String(sim.port), CUCM_AXL_USER: sim.axl.credentials.user, CUCM_AXL_PASSWORD: sim.axl.credentials.password })
  }
  if (options.webhookUrl !== undefined) env.NOTIFY_WEBHOOK_URL = options.webhookUrl
  if (options.webhookTimeoutMs !== undefined) env.NOTIFY_WEBHOOK_TIMEOUT_MS = String(options.webhookTimeoutMs)
  return { ...env, ...options.env }
}

async function start (shared: Shared, options: TestAppOptions): Promise<TestApp> {
  const config = loadConfig(environment(shared, options))
  const logs: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { logs.push(chunk.toString()); done() } })
  const fastify = Fastify({ ...fastifyOptions(config), logger: { level: 'trace', stream } })
  await fastify.register(app, {
    config,
    version: '0.0.0-test',
    webRoot: options.webRoot ?? join(shared.dir, 'no-web'),
    tuning: { busyRetries: options.busyRetries ?? 2, busyBackoffMs: 5, healthCacheMs: 0, verifyAfterMs: 0, lookUpBackoffMs: 20, ...options.tuning }
  })
  await fastify.ready()
  const { runtime } = fastify
  const sim = runtime.simulator ?? shared.sim

  // One real sign-in per role, through the API, so every test request carries a real session.
  const sessions = new Map<Role, { cookie: string, csrf: string }>()
  for (const role of options.accounts === false ? [] : ['viewer', 'operator', 'admin'] as const) {
    if (runtime.auth.accountByName(`test-${role}`) === undefined) await runtime.auth.createAccount({ actor: 'test', trigger: 'api' }, `test-${role}`, TEST_PASSWORD, role)
    const res = await fastify.inject({ method: 'POST', url: '/api/session', payload: { username: `test-${role}`, password: TEST_PASSWORD } })
    const cookie = res.cookies.find((c) => c.name === 'em_session')
    if (res.statusCode !== 200 || cookie === undefined) throw new Error(`sign-in as ${role} failed: ${res.body}`)
    sessions.set(role, { cookie: `em_session=${cookie.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken })
  }

  let closed = false
  const closeApp = async (): Promise<void> => {
    if (closed) return
    closed = true
    await fastify.close()
  }
  return {
    app: fastify,
    sim,
    runtime,
    store: runtime.store,
    audit: runtime.store.audit,
    em: runtime.em,
    auth: runtime.auth,
    runs: runtime.runs,
    settings: runtime.settings,
    schedules: runtime.schedules,
    config,
    dir: shared.dir,
    databasePath: config.DATABASE_PATH,
    logs,
    async inject (request, as = 'admin') {
      const options = typeof request === 'string' ? { url: request } : request
      const session = as === 'none' ? undefined : sessions.get(as)
      const headers = session === undefined ? {} : { cookie: session.cookie, 'x-csrf-token': session.csrf }
      return await fastify.inject({ ...options, headers: { ...headers, ...options.headers } })
    },
    async restart (more = {}) {
      await closeApp()
      return await start(shared, { ...options, ...more, env: { ...options.env, ...more.env }, tuning: { ...options.tuning, ...more.tuning } })
    },
    async close () {
      await closeApp()
      if (shared.ownSim) await sim.close()
      rmSync(shared.dir, { recursive: true, force: true })
    }
  }
}

/**
 * A cluster added to the database at `databasePath` as the dashboard adds one (a server on that
 * database, POST /api/clusters), that server then stopped: what a CLI command on it then finds.
 */
export async function addDashboardCluster (databasePath: string, body: Record<string, unknown>): Promise<void> {
  const server = await buildTestApp({ env: { DATABASE_PATH: databasePath } })
  try {
    const added = await server.inject({ method: 'POST', url: '/api/clusters', payload: body })
    assert.equal(added.statusCode, 201, added.body)
  } finally {
    await server.close()
  }
}

/** The raw XML documents the simulator received whose root body element is `name`. */
export function receivedOf (sim: Simulator, name: string): string[] {
  return sim.received.filter((xml) => xml.includes(`<${name}>`) || xml.includes(`<${name}/>`))
}

/** A run of the test app once it has ended: done, cancelled or interrupted. */
export async function runEnded (t: TestApp, id: string, timeoutMs = 30_000): Promise<Run> {
  return await eventually(() => {
    const run = t.runs.get(id)
    return run !== undefined && t.runs.isFinal(run.state) ? run as Run : undefined
  }, timeoutMs)
}
