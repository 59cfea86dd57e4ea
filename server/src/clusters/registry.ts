import type { ClusterSource, EmapiHealth } from '@em-console/shared/schemas'
import { clusterText } from '@em-console/shared/display'
import type { Dispatcher } from 'undici'
import type { AxlClient } from '../axl/client.js'
import type { EmapiClient } from '../emapi/client.js'
import type { Log } from '../log.js'
import type { EmService, HealthAsk } from '../services/em-service.js'
import { NotFoundError, ServiceError } from '../services/errors.js'
import { AdaptiveLimiter } from '../services/limiter.js'
import type { Store } from '../store/store.js'
import { axlTarget, clusterKey, type ClusterDefinition, type ClusterSettings } from './definitions.js'

/**
 * One usable cluster: its own EMAPI client, its own EmService (and so its own limiter: CUCM's
 * throttle is per cluster, PROTOCOL.md §5) and, when configured, its AXL client.
 *
 * Hold one only for the operation at hand and ask the registry again for the next: an edit
 * replaces the entry, and the replaced one's client is closed once its requests have answered.
 */
export interface RegisteredCluster {
  readonly id: string
  readonly name: string
  readonly source: ClusterSource
  /** Secrets in clear: for building clients and checks, never for answers or logs. */
  readonly settings: Readonly<ClusterSettings>
  readonly client: EmapiClient
  readonly em: EmService
  readonly axl: AxlClient | undefined
  /** Its own IANA zone, else the server's. */
  readonly timezone: string
  /** Whether EMAPI answers (not audited; cached a few seconds by the EmService). */
  /** See em-service health and HealthAsk. */
  health: (options?: HealthAsk) => Promise<EmapiHealth>
}

export interface ClusterRegistry {
  /** Every usable cluster (enabled, no problem), the environment's first, then in creation order. */
  list: () => RegisteredCluster[]
  /** A usable cluster by id (any case), or undefined. */
  get: (id: string) => RegisteredCluster | undefined
  /** A usable cluster, or a refusal saying why not: unknown (404), disabled or unusable (409). */
  require: (id: string) => RegisteredCluster
  /** The first cluster: the environment's, always usable. Today's single-cluster routes use it. */
  default: () => RegisteredCluster
  /** Every known cluster, usable or not, in list order (for listings). */
  definitions: () => ClusterDefinition[]
  definition: (id: string) => ClusterDefinition | undefined
  /** A cluster in words meant for a person (clusterText): its name, with its id when another cluster has that name. */
  said: (id: string) => string
  /** Adds or replaces a cluster without a restart: the new entry is opened, then the old one closed. */
  put: (definition: ClusterDefinition) => Promise<void>
  /** Forgets a cluster and closes its clients; false if it was not known. */
  remove: (id: string) => Promise<boolean>
  /** Calls `listener` after every put and remove (the inventory follows the clusters); returns the unsubscribe. */
  onChange: (listener: () => void) => () => void
  /** Calls `listener` with a cluster's id after EM Console changed who is logged in there (its inventory reads it again); returns the unsubscribe. */
  onEmChange: (listener: (clusterId: string) => void) => () => void
  /** Closes every client (the runtime does, before the store). */
  close: () => Promise<void>
}

export interface RegistryOptions {
  store: Store
  log: Log
  busyRetries?: number
  busyBackoffMs?: number
  healthCacheMs?: number
  /** Where the FIRST cluster's EMAPI requests go instead of a pool of its own (tests, benches). */
  dispatcher?: Dispatcher
  /** The largest EMAPI answer read (EMAPI_MAX_RESPONSE_BYTES); the client's default without it. */
  maxResponseBytes?: number
  /** Build AXL clients: the server does; the CLI's commands never use AXL, and it is a heavy import. */
  axl: boolean
  /** The server's time zone, asked only when a cluster without one is asked its zone (it costs ~8 MB). */
  defaultTimezone: () => string
}

interface Entry {
  definition: ClusterDefinition
  live: RegisteredCluster | undefined
}

/**
 * What a cluster keeps across edits (while it is not deleted): its cap of changes at once (CUCM's
 * throttle is the cluster's, not one entry's) and the way to its client of the moment.
 */
interface Line {
  changes: AdaptiveLimiter
  removed: boolean
}

type Modules = [typeof import('../emapi/client.js'), typeof import('../services/em-service.js')]

/**
 * Owns every cluster's clients. Nothing else creates an EMAPI or AXL client for a cluster, so an
 * edit that replaces the entry here is seen by every caller that asks next (ARCHITECTURE.md).
 */
export async function createClusterRegistry (definitions: readonly ClusterDefinition[], options: RegistryOptions): Promise<ClusterRegistry> {
  const { log } = options
  const modules: Modules = await Promise.all([import('../emapi/client.js'), import('../services/em-service.js')])
  let axlModule: typeof import('../axl/client.js') | undefined
  const entries = new Map<string, Entry>()
  const lines = new Map<string, Line>()
  const firstKey = definitions[0] === undefined ? undefined : clusterKey(definitions[0].settings.id)
  let closed = false
  // Every cluster's background health probes, started one per turn (em-service.ts).
  const probes = modules[1].oneStartPerTurn()

  async function open (definition: ClusterDefinition): Promise<RegisteredCluster | undefined> {
    const { settings } = definition
    if (!settings.enabled || definition.problem !== undefined) return undefined
    const [{ createEmapiClient }, { createEmService }] = modules
    const key = clusterKey(settings.id)
    const line = lines.get(key) ?? { changes: new AdaptiveLimiter(settings.maxConcurrency), removed: false }
    line.changes.ceiling = settings.maxConcurrency
    lines.set(key, line)
    // The environment's cluster is warned about by the runtime, naming CUCM_TLS_INSECURE.
    if (settings.tlsInsecure && definition.source === 'database') {
      log.warn({ cluster: settings.id }, `Cluster ${settings.id}: TLS verification is OFF, so the CUCM certificate is NOT verified. Anyone on the network path can read the application user password. Give it a CA certificate instead.`)
    }
    const client = createEmapiClient({
      host: settings.host,
      port: settings.port,
      appUser: settings.appUser,
      appPassword: settings.appPassword,
      ca: settings.caPem,
      insecure: settings.tlsInsecure,
      timeoutMs: settings.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      dispatcher: clusterKey(settings.id) === firstKey ? options.dispatcher : undefined
    })
    const em = createEmService({
      client,
      store: options.store,
      log,
      maxConcurrency: settings.maxConcurrency,
      multipleLogins: settings.multipleLogins,
      timeoutMs: settings.timeoutMs,
      busyRetries: options.busyRetries,
      busyBackoffMs: options.busyBackoffMs,
      healthCacheMs: options.healthCacheMs,
      clusterId: settings.id,
      clusterSaid: () => said(settings.id),
      changed: () => { notify(emListeners, settings.id) },
      startProbe: probes.start,
      source: definition.source,
      // A change that waited for its slot while the cluster was edited goes out with the new
      // settings; once the cluster is deleted or disabled, it is not sent.
      line: {
        changes: line.changes,
        client: () => {
          if (line.removed) throw notFound(settings.id)
          return required(settings.id).client
        }
      }
    })
    let axl: AxlClient | undefined
    if (options.axl && settings.axl !== undefined) {
      axlModule ??= await import('../axl/client.js')
      axl = axlModule.createAxlClient({
        ...axlTarget(settings, settings.axl),
        user: settings.axl.user,
        password: settings.axl.password,
        version: settings.axl.version,
        ca: settings.caPem,
        insecure: settings.tlsInsecure,
        timeoutMs: settings.timeoutMs
      })
    }
    return {
      id: settings.id,
      name: settings.name,
      source: definition.source,
      settings,
      client,
      em,
      axl,
      get timezone () { return settings.timezone ?? options.defaultTimezone() },
      health: async (options?: HealthAsk) => await em.health(options)
    }
  }

  /**
   * undici's close() lets the requests already sent answer; only new ones are refused. A health
   * probe is ended instead (no one reads it now), and at shutdown (`dropReads`) an AXL read in
   * flight too: it is only a read, and its inventory has stopped, so waiting for either would only
   * hold the edit, the delete or the stop up to the timeout.
   */
  async function retire (live: RegisteredCluster | undefined, dropReads = false): Promise<void> {
    if (live === undefined) return
    live.em.dropProbes()
    const closeAxl = async (): Promise<void> => { await (dropReads ? live.axl?.destroy() : live.axl?.close()) }
    for (const [part, close] of [['EMAPI', async () => { await live.client.close() }], ['AXL', closeAxl]] as const) {
      try {
        await close()
      } catch (error) {
        log.error({ err: error, cluster: live.id }, `Closing the ${part} client of cluster ${live.id} failed`)
      }
    }
  }

  for (const definition of definitions) {
    const key = clusterKey(definition.settings.id)
    if (entries.has(key)) {
      // Only when CUCM_CLUSTER_ID was changed to the id of a stored cluster: the environment wins.
      log.warn({ cluster: definition.settings.id }, `The cluster ${definition.settings.id} stored in the database is not used: the environment's cluster has the same id (CUCM_CLUSTER_ID). Set CUCM_CLUSTER_ID to another id to use both.`)
      continue
    }
    if (definition.problem !== undefined) log.warn({ cluster: definition.settings.id }, `Cluster ${definition.settings.id} is not used: ${definition.problem}`)
    entries.set(key, { definition, live: await open(definition) })
  }

  const listeners = new Set<(clusterId: string) => void>()
  const emListeners = new Set<(clusterId: string) => void>()
  function notify (to: ReadonlySet<(clusterId: string) => void>, clusterId: string): void {
    for (const listener of to) {
      try {
        listener(clusterId)
      } catch (error) {
        log.error({ err: error, cluster: clusterId }, 'A listener of cluster changes failed')
      }
    }
  }

  const notFound = (id: string): NotFoundError => new NotFoundError(`No cluster "${id}".`, 'GET /api/clusters lists the clusters.')

  const said = (id: string): string => clusterText(id, [...entries.values()].map((e) => e.definition.settings))

  function required (id: string): RegisteredCluster {
    const entry = entries.get(clusterKey(id))
    if (entry === undefined) throw notFound(id)
    if (entry.live !== undefined) return entry.live
    const { settings, problem } = entry.definition
    if (problem !== undefined) throw new ServiceError('conflict', 'CLUSTER_UNAVAILABLE', `Cluster ${said(settings.id)} cannot be used: ${problem}`)
    throw new ServiceError('conflict', 'CLUSTER_DISABLED', `Cluster ${said(settings.id)} is disabled.`, { action: 'An admin enables it in Settings → Clusters.' })
  }

  const usable = (): RegisteredCluster[] => [...entries.values()].flatMap((e) => e.live === undefined ? [] : [e.live])

  return {
    list: usable,
    get: (id) => entries.get(clusterKey(id))?.live,
    require: required,
    default () {
      const first = firstKey === undefined ? undefined : entries.get(firstKey)?.live
      if (first === undefined) throw new Error('The registry has no usable first cluster')
      return first
    },
    definitions: () => [...entries.values()].map((e) => e.definition),
    said,
    definition: (id) => entries.get(clusterKey(id))?.definition,
    async put (definition) {
      if (closed) throw new Error('The cluster registry is closed')
      const key = clusterKey(definition.settings.id)
      const old = entries.get(key)
      if (old?.definition.source === 'environment' || (old === undefined && key === firstKey)) throw new Error(`Cluster ${definition.settings.id} comes from the environment: it cannot be replaced`)
      entries.set(key, { definition, live: await open(definition) })
      notify(listeners, definition.settings.id)
      await retire(old?.live)
    },
    async remove (id) {
      const key = clusterKey(id)
      const old = entries.get(key)
      if (old === undefined) return false
      if (old.definition.source === 'environment') throw new Error(`Cluster ${id} comes from the environment: it cannot be removed`)
      entries.delete(key)
      const line = lines.get(key)
      if (line !== undefined) line.removed = true
      lines.delete(key)
      notify(listeners, id)
      await retire(old.live)
      return true
    },
    onChange (listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    onEmChange (listener) {
      emListeners.add(listener)
      return () => { emListeners.delete(listener) }
    },
    async close () {
      closed = true
      probes.drop()
      const all = usable()
      entries.clear()
      for (const live of all) await retire(live, true)
    }
  }
}
