import { readFileSync } from 'node:fs'
import type { Mode } from '@em-console/shared/schemas'
import type { Dispatcher } from 'undici'
import type { AuthService } from './auth/auth-service.js'
import type { Config } from './config.js'
import type { EmapiClient } from './emapi/client.js'
import type { InventoryService } from './inventory/inventory-service.js'
import { silentLog, type Log } from './log.js'
import { systemTimeZone } from './schedules/cron.js'
import type { RunService } from './runs/run-service.js'
import type { SettingsService } from './runs/settings-service.js'
import type { ScheduleService } from './schedules/schedule-service.js'
import type { EmService } from './services/em-service.js'
import type { Simulator } from './simulator/server.js'
import { openStore, type Store } from './store/store.js'

/** Knobs that tests and benches turn; production uses the defaults. */
export interface Tuning {
  /** Retries of CUCM's busy answer (26) and the first backoff. */
  busyRetries: number
  busyBackoffMs: number
  /** How long a health probe's answer is reused. */
  healthCacheMs: number
  /** A bulk run's re-check delay when its request names none. */
  verifyAfterMs: number
  /** The clock of the audit trail and of schedules (when rows were written, when runs are due). */
  now: () => Date
  /** Rows per inventory write, and the first wait before retrying a failed inventory refresh. */
  inventoryBatchSize: number
  inventoryRetryMs: number
}

export interface RuntimeOptions {
  /**
   * `server`: owns the database: marks what a crash left pending and arms schedule timers.
   * `cli`: a command next to a running server: touches neither.
   */
  role: 'server' | 'cli'
  /** `em`: only what talking to CUCM needs (the light CLI commands); `all`: everything. */
  parts?: 'em' | 'all'
  log?: Log
  /** Where EMAPI requests go instead of a pool of our own (tests, benches). */
  dispatcher?: Dispatcher
  tuning?: Partial<Tuning>
}

/** The parts every use of EM Console needs: the store and CUCM. */
export interface CoreRuntime {
  config: Config
  mode: Mode
  cucm: { host: string, port: number }
  log: Log
  store: Store
  client: EmapiClient
  em: EmService
  /** The built-in CUCM simulator in demo mode. */
  simulator: Simulator | undefined
  /** Closes everything in order: runs, schedules, EMAPI client, simulator, store last. */
  close: () => Promise<void>
}

export interface Runtime extends CoreRuntime {
  auth: AuthService
  settings: SettingsService
  runs: RunService
  schedules: ScheduleService
  /** The AXL inventory and live sessions of every cluster (issue #18). */
  inventory: InventoryService
  /** Server only: the one-time link to create the first admin, when no admin exists. */
  setupToken: string | undefined
}

/** Closes what was opened, newest first; every closer runs even when an earlier one fails. */
class Closers {
  readonly #list: Array<{ name: string, close: () => Promise<void> | void }> = []
  constructor (private readonly log: Log) {}

  add (name: string, close: () => Promise<void> | void): void {
    this.#list.push({ name, close })
  }

  async closeAll (): Promise<void> {
    for (const { name, close } of this.#list.splice(0).reverse()) {
      try {
        await close()
      } catch (error) {
        this.log.error({ err: error, part: name }, `Closing ${name} failed`)
      }
    }
  }
}

/**
 * Builds EM Console from its configuration: the store first, then CUCM (the built-in simulator in
 * demo mode, whose certificate the client trusts through the ordinary CA option, so demo mode
 * exercises the same TLS path as production), then the services. The server, the CLI and the
 * tests all start here; each part is closed by `close()` in the reverse order.
 */
export async function startRuntime (config: Config, options: RuntimeOptions & { parts: 'em' }): Promise<CoreRuntime>
export async function startRuntime (config: Config, options: RuntimeOptions): Promise<Runtime>
export async function startRuntime (config: Config, options: RuntimeOptions): Promise<CoreRuntime | Runtime> {
  const log = options.log ?? silentLog
  const tuning = options.tuning ?? {}
  const closers = new Closers(log)
  try {
    const store = openStore({ path: config.DATABASE_PATH, log, now: tuning.now })
    closers.add('the database', async () => { await store.close() })

    // Loaded only in demo mode: its certificate library is a large part of the start-up time.
    const simulator = config.CUCM_HOST === undefined
      ? await (await import('./simulator/server.js')).startSimulator({ port: config.SIMULATOR_PORT })
      : undefined
    if (simulator !== undefined) {
      closers.add('the simulator', async () => { await simulator.close() })
      log.warn({ simulator: simulator.origin }, `Demo mode: no CUCM_HOST is set, so EM Console talks to its built-in CUCM simulator at ${simulator.origin}. Set CUCM_HOST to manage a real cluster.`)
    }
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
    if (target.insecure) {
      log.warn({ key: 'CUCM_TLS_INSECURE' }, 'CUCM_TLS_INSECURE=true: the CUCM certificate is NOT verified. Anyone on the network path can read the application user password. Use CUCM_CA_FILE instead.')
    }
    const { createEmapiClient } = await import('./emapi/client.js')
    const client = createEmapiClient({ ...target, timeoutMs: config.CUCM_TIMEOUT_MS, dispatcher: options.dispatcher })
    closers.add('the EMAPI client', async () => { await client.close() })
    const { createEmService } = await import('./services/em-service.js')
    const em = createEmService({
      client,
      store,
      log,
      maxConcurrency: config.EMAPI_MAX_CONCURRENCY,
      timeoutMs: config.CUCM_TIMEOUT_MS,
      busyRetries: tuning.busyRetries,
      busyBackoffMs: tuning.busyBackoffMs,
      healthCacheMs: tuning.healthCacheMs
    })
    const mode: Mode = simulator === undefined ? 'cucm' : 'simulator'
    const core: CoreRuntime = { config, mode, cucm: { host: target.host, port: target.port }, log, store, client, em, simulator, close: async () => { await closers.closeAll() } }
    if (options.parts === 'em') return core
    return { ...core, ...await startServices(core, options, closers) }
  } catch (error) {
    await closers.closeAll()
    throw error
  }
}

async function startServices (core: CoreRuntime, options: RuntimeOptions, closers: Closers): Promise<Omit<Runtime, keyof CoreRuntime>> {
  const { config, store, em, log, mode } = core
  const tuning = options.tuning ?? {}
  const [{ createAuthService }, { createSettingsService }, { createRunService }, { createScheduleService }, { createWebhookNotifier }, { openInventory }, { createSessionLogout }] = await Promise.all([
    import('./auth/auth-service.js'),
    import('./runs/settings-service.js'),
    import('./runs/run-service.js'),
    import('./schedules/schedule-service.js'),
    import('./schedules/webhook.js'),
    import('./inventory/start.js'),
    import('./inventory/session-logout.js')
  ])
  // Closed after runs and schedules (closers run newest first): a schedule may be selecting sessions.
  const inventory = await openInventory({ config, store, simulator: core.simulator, log, now: tuning.now, batchSize: tuning.inventoryBatchSize, retryMinMs: tuning.inventoryRetryMs })
  closers.add('the inventory', inventory.close)
  const auth = createAuthService({
    store,
    mode,
    log,
    limits: { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_MAX_HOURS * 3_600_000 },
    now: tuning.now === undefined ? undefined : () => (tuning.now as () => Date)().getTime(),
    initialAdmin: config.ADMIN_USERNAME === undefined || config.ADMIN_PASSWORD === undefined ? undefined : { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD }
  })
  const settings = createSettingsService(store)
  const runs = createRunService({ store, em, settings, log, concurrency: config.EMAPI_MAX_CONCURRENCY, defaultVerifyAfterMs: tuning.verifyAfterMs })
  const timezone = config.SCHEDULE_TIMEZONE ?? systemTimeZone()
  const schedules = createScheduleService({
    store,
    em,
    log,
    defaultTimezone: timezone,
    configSchedule: config.LOGOUT_ALL_SCHEDULE === undefined ? undefined : { cron: config.LOGOUT_ALL_SCHEDULE, timezone },
    notify: config.NOTIFY_WEBHOOK_URL === undefined ? undefined : createWebhookNotifier({ url: config.NOTIFY_WEBHOOK_URL, timeoutMs: config.NOTIFY_WEBHOOK_TIMEOUT_MS, store }),
    logoutSavedList: async (caller) => await runs.logoutSavedList(caller),
    logoutSessions: createSessionLogout({ inventory: inventory.service, runs, store }).logoutSessions,
    now: tuning.now
  })
  // Runs first: a schedule's per-device run must end before the schedule can.
  closers.add('runs and schedules', async () => {
    await runs.stop()
    await schedules.stop()
  })

  let setupToken: string | undefined
  if (options.role === 'server') {
    // What a stopped or crashed server left behind, before anything new starts.
    const interrupted = await store.write((w) => w.audit.markInterrupted(), 'interrupted actions')
    if (interrupted > 0) log.warn({ interrupted }, `${interrupted} action(s) were still running when the server last stopped; they are marked "interrupted" in the history.`)
    const stopped = await runs.markInterrupted()
    if (stopped.runs > 0) log.warn({ runs: stopped.runs }, `${stopped.runs} bulk run(s) were still running when the server last stopped; they are marked "interrupted".`)
    await auth.purgeExpiredSessions()
    const boot = await auth.bootstrap()
    if (boot.created !== undefined) log.info({ account: boot.created }, `Created the first admin account: ${boot.created}`)
    setupToken = boot.setupToken
  }
  return { auth, settings, runs, schedules, inventory: inventory.service, setupToken }
}
