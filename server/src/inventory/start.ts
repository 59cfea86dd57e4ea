import type { ClusterRegistry, RegisteredCluster } from '../clusters/registry.js'
import { clusterKey } from '../clusters/definitions.js'
import type { Log } from '../log.js'
import type { ServiceError } from '../services/errors.js'
import type { Store } from '../store/store.js'
import { createInventory, type Inventory } from './inventory.js'
import { createInventoryService, type InventoryService } from './inventory-service.js'

export interface OpenInventoryOptions {
  clusters: ClusterRegistry
  store: Store
  log: Log
  /** INVENTORY_REFRESH_SECONDS (0: on demand only) and SESSION_HISTORY_DAYS. */
  refreshSeconds: number
  historyDays: number
  now?: () => Date
  batchSize?: number
  retryMinMs?: number
  settleMs?: number
  othersChangesMs?: number
}

export interface OpenedInventory {
  service: InventoryService
  /** Stops the timers and waits for the writes in flight (the registry closes the AXL clients). */
  close: () => Promise<void>
}

/**
 * One inventory per usable cluster, following the cluster registry: a cluster added, edited or
 * enabled gets a fresh inventory with its new AXL client (armed if the server armed the others),
 * one removed or disabled has its inventory stopped. A disabled one's stored rows stay, named by
 * its id; a deleted one's sessions went to the history when it was deleted (clusters service).
 * The server arms the timers (service.start()); the CLI refreshes on demand.
 */
export function openInventory (options: OpenInventoryOptions): OpenedInventory {
  const { clusters, store, log } = options
  const byKey = new Map<string, { inventory: Inventory, cluster: RegisteredCluster }>()
  let started = false
  let closed = false

  function create (cluster: RegisteredCluster): Inventory {
    return createInventory({
      clusterId: cluster.id,
      source: cluster.source,
      axl: cluster.axl,
      store,
      log,
      refreshSeconds: options.refreshSeconds,
      historyDays: options.historyDays,
      now: options.now,
      batchSize: options.batchSize,
      retryMinMs: options.retryMinMs,
      settleMs: options.settleMs
    })
  }

  function sync (): void {
    if (closed) return
    const live = new Map(clusters.list().map((cluster) => [clusterKey(cluster.id), cluster]))
    for (const [key, entry] of byKey) {
      if (live.get(key) === entry.cluster) continue
      byKey.delete(key)
      entry.inventory.stop().catch((error: unknown) => { log.error({ err: error, cluster: entry.cluster.id }, 'Inventory: stopping a replaced inventory failed') })
    }
    for (const [key, cluster] of live) {
      if (byKey.has(key)) continue
      const inventory = create(cluster)
      byKey.set(key, { inventory, cluster })
      if (started) inventory.start()
    }
  }

  sync()
  const unsubscribe = clusters.onChange(sync)
  const unsubscribeEm = clusters.onEmChange((clusterId) => { byKey.get(clusterKey(clusterId))?.inventory.changed() })
  const service = createInventoryService({
    inventories: () => [...byKey.values()].map((entry) => entry.inventory),
    store,
    historyDays: options.historyDays,
    log,
    now: options.now,
    othersChangesMs: options.othersChangesMs,
    unusable (id) {
      if (clusters.definition(id) === undefined) return undefined
      try {
        clusters.require(id)
        return undefined
      } catch (error) {
        return error as ServiceError
      }
    }
  })
  return {
    service: {
      ...service,
      start (): void {
        started = true
        service.start()
      }
    },
    close: async () => {
      closed = true
      unsubscribe()
      unsubscribeEm()
      await service.stop()
    }
  }
}
