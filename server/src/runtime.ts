import type { Mode } from '@em-console/shared/schemas'
import type { Dispatcher } from 'undici'
import type { AuthService } from './auth/auth-service.js'
import type { ClusterService } from './clusters/cluster-service.js'
import { environmentCluster, type ClusterDefinition } from './clusters/definitions.js'
import type { ClusterRegistry } from './clusters/registry.js'
import { createSecretBox, loadSecretKey, type SecretBox } from './clusters/secrets.js'
import { definitionOf, secretKeyFile } from './clusters/stored-clusters.js'
import type { Config } from './config.js'
import type { EmapiClient } from './emapi/client.js'
import type { InventoryService } from './inventory/inventory-service.js'
import { silentLog, type Log } from './log.js'
import { systemTimeZone } from './schedules/cron.js'
import type { RunService } from './runs/run-service.js'
import type { SettingsService } from './runs/settings-service.js'
import type { ScheduleService } from './schedules/schedule-service.js'
import { createClusterActions, type ClusterActions } from './clusters/cluster-actions.js'
import { createDeviceFacts } from './services/device-facts.js'
import type { EmService } from './services/em-service.js'
import type { Simulator } from './simulator/server.js'
import type { Store } from './store/store.js'
import { openedStore } from './store/database-path.js'
import { lockServer } from './store/server-lock.js'
import { readableByOthers } from './store/database.js'
import { VERSION } from './version.js'

/** Knobs that tests and benches turn; production uses the defaults. */
export interface Tuning {
  /** Retries of CUCM's busy answer (26) and the first backoff. */
  busyRetries: number
  busyBackoffMs: number
  /** How long a health probe's answer is reused. */
  healthCacheMs: number
  /** A bulk run's re-check delay when its request names none. */
  verifyAfterMs: number
  /** The first wait before a bulk run's failed look-up is tried again. */
  lookUpBackoffMs: number
  /** The clock of the audit trail and of schedules (when rows were written, when runs are due). */
  now: () => Date
  /** Tests only: accept any cron (seconds included, no 15-minute rule), so a schedule fires within a test. */
  allowAnyCron: boolean
  /** How long a schedule's timer sleeps at most before it reads `now` again (tests step that clock). */
  scheduleClockCheckMs: number
  /** Rows per inventory write, and the first wait before retrying a failed inventory refresh. */
  inventoryBatchSize: number
  inventoryRetryMs: number
  /** How long after a change the inventory reads it once more (CUCM's lag passed). */
  inventorySettleMs: number
  /** How often the server looks for the logins and logouts other processes recorded. */
  inventoryOthersChangesMs: number
  /** Look-ups whose records may wait for a database that refuses writes, before look-ups are refused. */
  deferredKept: number
  /** How often the server looks for work left pending by a CLI command that died. */
  goneProcessesMs: number
  /** How often a run's live stream without events says it is alive and checks its session. */
  streamKeepAliveMs: number
}

export interface RuntimeOptions {
  /**
   * `server`: owns the database: marks what a crash left pending and arms schedule timers.
   * `cli`: a command next to a running server: touches neither.
   */
  role: 'server' | 'cli'
  /** `em`: only what talking to CUCM needs (the light CLI commands); `all`: everything. */
  parts?: 'em' | 'all'
  /** With `parts: 'em'`: build the clusters' AXL clients too (the CLI's session commands). */
  axl?: boolean
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
  /** Every cluster: its settings, clients, EmService and health (clusters/registry.ts). */
  clusters: ClusterRegistry
  /** Encrypts the cluster passwords stored in the database. */
  secrets: SecretBox
  /** The FIRST cluster's (the environment's) client and EmService: today's single-cluster callers use these. */
  client: EmapiClient
  em: EmService
  /** Which cluster each action goes to: look-ups across clusters, changes where the device is (issue #17). */
  actions: ClusterActions
  /** The built-in CUCM simulator of the first cluster in demo mode. */
  simulator: Simulator | undefined
  /** In demo mode, the simulator of each demo cluster, by cluster id (empty otherwise). */
  simulators: ReadonlyMap<string, Simulator>
  /** Closes everything in order: runs, schedules, clusters' clients, simulators, store last. */
  close: () => Promise<void>
}

export interface Runtime extends CoreRuntime {
  auth: AuthService
  /** Adds, edits, deletes and checks clusters (the REST API's). */
  clusterService: ClusterService
  settings: SettingsService
  runs: RunService
  schedules: ScheduleService
  /** The AXL inventory and live sessions of every cluster (issue #18). */
  inventory: InventoryService
  /**
   * Server only: the first admin exists (from ADMIN_USERNAME, or the demo admin), or else the
   * one-time token of the link that creates it. Awaited before the server listens.
   */
  bootstrapped: Promise<{ setupToken: string | undefined }>
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
 * How long a CLI command waits at its end for a database that refuses writes (a backup, another
 * program's lock): a command run by cron can wait; its records are the audit trail.
 */
const CLI_CLOSE_DEADLINE_MS = 60_000

/**
 * A server's stop has 9.5 s before it is cut short (server.ts): runs end within 5 s (run-service's
 * stop), then the store has this long to commit what is queued, and logs, by label, each write it
 * could not (while another program holds the database's lock, the stop was cut short first and
 * what was lost went unsaid).
 */
const SERVER_CLOSE_DEADLINE_MS = 2_500

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
    // One server per database, taken before anything is read or recovered; released last.
    if (options.role === 'server' && config.DATABASE_PATH !== ':memory:') {
      const lock = lockServer(config.DATABASE_PATH)
      closers.add('the server lock', async () => { lock.release() })
    }
    // The light commands write a row or two; everything else may write thousands (StoreOptions).
    const store = openedStore({ path: config.DATABASE_PATH, log, now: tuning.now, checkpoints: options.parts === 'em' ? 'inline' : 'background', closeDeadlineMs: options.role === 'cli' ? CLI_CLOSE_DEADLINE_MS : SERVER_CLOSE_DEADLINE_MS, deferredKept: tuning.deferredKept })
    closers.add('the database', async () => { await store.close() })
    const exposed = options.role === 'server' ? readableByOthers(config.DATABASE_PATH) : undefined
    if (exposed !== undefined) log.warn({ key: 'DATABASE_PATH' }, exposed)

    // Loaded only in demo mode: its certificate library is a large part of the start-up time.
    const demo = config.CUCM_HOST === undefined ? await (await import('./clusters/demo.js')).startDemoClusters(config, store, options.role) : undefined
    if (demo !== undefined) {
      closers.add('the simulators', demo.close)
      log.warn({ mode: 'simulator' }, demo.note)
    } else if (config.CUCM_TLS_INSECURE) {
      log.warn({ key: 'CUCM_TLS_INSECURE' }, 'CUCM_TLS_INSECURE=true: the CUCM certificate is NOT verified. Anyone on the network path can read the application user password. Use CUCM_CA_FILE instead.')
    }
    // The server creates the key file at its first start; a CLI command beside it only reads it.
    const secrets = createSecretBox(loadSecretKey({ key: config.SECRET_KEY, file: secretKeyFile(config), create: options.role === 'server', log }))
    const environment = demo?.definitions ?? [environmentCluster(config)]
    const stored = store.clusters.list().map((row) => definitionOf(row, secrets))
    const { createClusterRegistry } = await import('./clusters/registry.js')
    const clusters = await createClusterRegistry([...environment, ...stored], {
      store,
      log,
      busyRetries: tuning.busyRetries,
      busyBackoffMs: tuning.busyBackoffMs,
      healthCacheMs: tuning.healthCacheMs,
      dispatcher: options.dispatcher,
      maxResponseBytes: config.EMAPI_MAX_RESPONSE_BYTES,
      axl: options.parts !== 'em' || options.axl === true,
      defaultTimezone: () => config.SCHEDULE_TIMEZONE ?? systemTimeZone()
    })
    closers.add('the clusters', async () => { await clusters.close() })
    const first = clusters.default()
    const mode: Mode = demo === undefined ? 'cucm' : 'simulator'
    const core: CoreRuntime = {
      config,
      mode,
      cucm: { host: first.settings.host, port: first.settings.port },
      log,
      store,
      clusters,
      secrets,
      client: first.client,
      em: first.em,
      simulator: demo?.simulators.get(first.id),
      simulators: demo?.simulators ?? new Map(),
      actions: createClusterActions({ clusters, facts: createDeviceFacts(store, clusters.said), store }),
      close: async () => { await closers.closeAll() }
    }
    if (options.parts === 'em') return core
    return { ...core, ...await startServices(core, options, closers) }
  } catch (error) {
    await closers.closeAll()
    throw error
  }
}

async function startServices (core: CoreRuntime, options: RuntimeOptions, closers: Closers): Promise<Omit<Runtime, keyof CoreRuntime>> {
  const { config, store, log, mode } = core
  const tuning = options.tuning ?? {}
  const [{ createAuthService }, { createSettingsService }, { createRunService }, { logoutDeviceList }, { createScheduleService }, { createWebhookNotifier }, { createClusterService }, { assignLegacyAuditRows }, { openInventory }, { createSessionLogout }] = await Promise.all([
    import('./auth/auth-service.js'),
    import('./runs/settings-service.js'),
    import('./runs/run-service.js'),
    import('./runs/list-run.js'),
    import('./schedules/schedule-service.js'),
    import('./schedules/webhook.js'),
    import('./clusters/cluster-service.js'),
    import('./clusters/legacy-audit.js'),
    import('./inventory/start.js'),
    import('./inventory/session-logout.js')
  ])
  // Closed after runs and schedules (closers run newest first): a schedule may be selecting sessions.
  const inventory = openInventory({ clusters: core.clusters, store, log, refreshSeconds: config.INVENTORY_REFRESH_SECONDS, historyDays: config.SESSION_HISTORY_DAYS, now: tuning.now, batchSize: tuning.inventoryBatchSize, retryMinMs: tuning.inventoryRetryMs, settleMs: tuning.inventorySettleMs, othersChangesMs: tuning.inventoryOthersChangesMs })
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
  const clusterService = createClusterService({
    store,
    registry: core.clusters,
    secrets: core.secrets,
    log,
    defaults: { timeoutMs: config.CUCM_TIMEOUT_MS, maxConcurrency: config.EMAPI_MAX_CONCURRENCY },
    defaultTimezone: () => config.SCHEDULE_TIMEZONE ?? systemTimeZone()
  })
  // Runs and schedules act on every cluster: each item, each logout-all, where it belongs (issue #17).
  const runs = createRunService({ store, clusters: core.clusters, actions: core.actions, inventory: inventory.service, settings, log, concurrency: config.EMAPI_MAX_CONCURRENCY, defaultVerifyAfterMs: tuning.verifyAfterMs, lookUpBackoffMs: tuning.lookUpBackoffMs, recordWaitMs: config.CUCM_TIMEOUT_MS })
  // Schedules without a time zone (naming no clusters that share one) take the first cluster's (SCHEDULE_TIMEZONE, else the server's),
  // asked when needed: the first use of Intl costs tens of milliseconds of the start.
  const timezone = (): string => core.clusters.default().timezone
  const schedules = createScheduleService({
    store,
    clusters: core.clusters,
    actions: core.actions,
    log,
    defaultTimezone: timezone,
    configSchedule: config.LOGOUT_ALL_SCHEDULE === undefined ? undefined : { cron: config.LOGOUT_ALL_SCHEDULE, timezone: timezone() },
    notify: config.NOTIFY_WEBHOOK_URL === undefined ? undefined : createWebhookNotifier({ url: config.NOTIFY_WEBHOOK_URL, timeoutMs: config.NOTIFY_WEBHOOK_TIMEOUT_MS, store, log }),
    logoutSavedList: async (caller, list, clusters) => await logoutDeviceList({ runs, settings, store }, caller, list, clusters),
    deviceList: (name) => settings.deviceList(name),
    logoutSessions: createSessionLogout({ inventory: inventory.service, runs, store, said: core.clusters.said }).logoutSessions,
    devicePools: inventory.service.devicePools,
    now: tuning.now,
    allowAnyCron: tuning.allowAnyCron,
    clockCheckMs: tuning.scheduleClockCheckMs
  })
  // Runs first: a schedule's per-device run must end before the schedule can.
  closers.add('runs and schedules', async () => {
    await runs.stop()
    await schedules.stop()
  })

  let bootstrapped: Promise<{ setupToken: string | undefined }> = Promise.resolve({ setupToken: undefined })
  if (options.role === 'server') {
    log.info({ version: VERSION, database: config.DATABASE_PATH, schema: store.schema }, startLine(config, store.schema, core.clusters.definitions()))
    // What a stopped or crashed server left behind, before anything new starts.
    await assignLegacyAuditRows(store, core.clusters.default().id, log)
    // Runs first: their items are matched with the audit rows still pending (sent, not answered).
    const stopped = await runs.markInterrupted()
    if (stopped.runs > 0) log.warn({ runs: stopped.runs }, `${stopped.runs} bulk run(s) were still running when the server last stopped; they are marked "interrupted".`)
    const interrupted = await store.write((w) => w.audit.markInterrupted(), 'interrupted actions')
    if (interrupted > 0) log.warn({ interrupted }, `${interrupted} action(s) were still running when the server last stopped; they are marked "interrupted" in the history.`)
    watchGoneProcesses(store, runs, log, tuning.goneProcessesMs ?? GONE_PROCESSES_MS, closers)
    await auth.purgeExpiredSessions()
    // The first admin's password hash (scrypt, ~100 ms on libuv's thread pool) is made while the
    // app registers its routes; the runtime plugin awaits it before the server listens (P5).
    bootstrapped = auth.bootstrap().then((boot) => {
      if (boot.created !== undefined) log.info({ account: boot.created }, `Created the first admin account: ${boot.created}`)
      return { setupToken: boot.setupToken }
    })
    // Its failure is the awaiting caller's to report; this only keeps it from counting as unhandled meanwhile.
    bootstrapped.catch(() => {})
  }
  return { auth, clusterService, settings, runs, schedules, inventory: inventory.service, bootstrapped }
}

/**
 * The journal's first word on a start: which release, on which database (and whether it was just
 * upgraded), talking to which clusters, and whether their certificates are verified.
 */
function startLine (config: Config, schema: Store['schema'], clusters: ClusterDefinition[]): string {
  const database = schema.before === schema.now ? `${config.DATABASE_PATH} (version ${schema.now})` : schema.before === 0 ? `${config.DATABASE_PATH}, new (version ${schema.now})` : `${config.DATABASE_PATH}, upgraded from version ${schema.before} to ${schema.now}`
  const each = clusters.map(({ source, settings, problem }) => {
    if (problem !== undefined) return `cluster ${settings.id}: not used`
    if (!settings.enabled) return `cluster ${settings.id}: disabled`
    const trust = settings.tlsInsecure
      ? 'its certificate NOT verified (TLS verification off)'
      : settings.caPem === undefined
        ? 'its certificate verified against the system\'s trusted CAs'
        : source === 'environment' && config.CUCM_CA_FILE !== undefined ? `its certificate verified against CUCM_CA_FILE (${config.CUCM_CA_FILE})` : 'its certificate verified against its own CA certificate'
    return `cluster ${settings.id}: https://${settings.host}:${settings.port}, ${trust}`
  })
  return `EM Console ${VERSION} started on the database ${database}; ${each.join('; ')}.`
}

/** How often the server looks for what a CLI command killed outright left pending. */
const GONE_PROCESSES_MS = 5_000

/**
 * A CLI command killed outright (kill -9, out of memory) ends nothing it began: while the server
 * runs, its pending records and its run are marked `interrupted` within seconds, as a crashed
 * server's are at the next start, rather than stay "pending" and "running" until then.
 */
function watchGoneProcesses (store: Store, runs: Runtime['runs'], log: Log, everyMs: number, closers: Closers): void {
  async function sweep (): Promise<void> {
    // Runs first: their items are matched with the audit rows still pending (sent, not answered).
    const stoppedRuns = await runs.markGoneInterrupted()
    const ids = store.audit.pendingOfGone()
    const interrupted = ids.length === 0 ? 0 : await store.write((w) => w.audit.markGoneInterrupted(ids), 'actions of a gone command interrupted')
    if (stoppedRuns + interrupted > 0) log.warn({ runs: stoppedRuns, interrupted }, `An em-console command was killed before it finished: ${interrupted} action(s) and ${stoppedRuns} bulk run(s) it left are marked "interrupted".`)
  }
  let sweeping: Promise<void> | undefined
  const timer = setInterval(() => {
    sweeping ??= sweep()
      .catch((error: unknown) => { log.error({ err: error }, 'Marking what a killed em-console command left as interrupted failed; it is tried again') })
      .finally(() => { sweeping = undefined })
  }, everyMs)
  timer.unref()
  closers.add('the watch of killed commands', async () => {
    clearInterval(timer)
    await sweeping
  })
}
