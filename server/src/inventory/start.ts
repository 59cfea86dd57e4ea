import { readFileSync } from 'node:fs'
import type { Config } from '../config.js'
import type { AxlClientOptions } from '../axl/client.js'
import type { Log } from '../log.js'
import type { Simulator } from '../simulator/server.js'
import type { Store } from '../store/store.js'
import { createInventory } from './inventory.js'
import { createInventoryService, type InventoryService } from './inventory-service.js'

/**
 * The id of the cluster the environment's CUCM_* keys describe. Issue #17's registry names it from
 * CUCM_CLUSTER_ID (default "default"); demo mode's simulator is "hq". Until the registry lands, the
 * inventory runs for this one cluster, keyed by this id everywhere.
 */
export function environmentClusterId (demo: boolean): string {
  return demo ? 'hq' : 'default'
}

/**
 * The AXL settings of the environment's cluster, or undefined when it has none (the inventory is
 * then "not configured" and everything else works as before). Demo mode reads the built-in
 * simulator's AXL side with its own credentials and certificate.
 */
export function environmentAxlSettings (config: Config, simulator: Simulator | undefined): AxlClientOptions | undefined {
  const common = { version: config.CUCM_AXL_VERSION, timeoutMs: config.CUCM_TIMEOUT_MS }
  if (simulator !== undefined) {
    return { ...common, host: simulator.host, port: simulator.port, user: simulator.axl.credentials.user, password: simulator.axl.credentials.password, ca: simulator.caPem }
  }
  if (config.CUCM_AXL_USER === undefined || config.CUCM_AXL_PASSWORD === undefined) return undefined
  return {
    ...common,
    host: config.CUCM_AXL_HOST ?? config.CUCM_HOST ?? '',
    port: config.CUCM_AXL_PORT,
    user: config.CUCM_AXL_USER,
    password: config.CUCM_AXL_PASSWORD,
    ca: config.CUCM_CA_FILE === undefined ? undefined : readFileSync(config.CUCM_CA_FILE, 'utf8'),
    insecure: config.CUCM_TLS_INSECURE
  }
}

export interface OpenInventoryOptions {
  config: Config
  store: Store
  simulator: Simulator | undefined
  log: Log
  now?: () => Date
  batchSize?: number
  retryMinMs?: number
}

export interface OpenedInventory {
  service: InventoryService
  /** Stops the timers and writes, then drops any AXL read in flight. */
  close: () => Promise<void>
}

/**
 * Builds the inventory of the environment's cluster: its AXL client (loaded only when configured)
 * and its refresher. The server arms the timer (service.start()); the CLI refreshes on demand.
 */
export async function openInventory (options: OpenInventoryOptions): Promise<OpenedInventory> {
  const { config, store, simulator, log } = options
  const settings = environmentAxlSettings(config, simulator)
  const axl = settings === undefined ? undefined : (await import('../axl/client.js')).createAxlClient(settings)
  const clusterId = environmentClusterId(simulator !== undefined)
  const inventory = createInventory({
    clusterId,
    axl,
    store,
    log,
    refreshSeconds: config.INVENTORY_REFRESH_SECONDS,
    historyDays: config.SESSION_HISTORY_DAYS,
    now: options.now,
    batchSize: options.batchSize,
    retryMinMs: options.retryMinMs
  })
  const service = createInventoryService({ inventories: [inventory], store, historyDays: config.SESSION_HISTORY_DAYS, log, now: options.now })
  return {
    service,
    close: async () => {
      await service.stop()
      // Reads only: an answer still on its way is of no use once the inventory stopped.
      await axl?.destroy()
    }
  }
}
