import { CUCM_HTTPS_PORT, reservedClusterId, spelledTimeZone, timeZoneProblem } from '@em-console/shared/field-rules'
import { caPemDatesProblem, caPemProblem } from './ca-pem.js'
import type { Cluster, ClusterCheck, CreateClusterBody, UpdateClusterBody } from '@em-console/shared/schemas'
import type { Log } from '../log.js'
import type { Caller } from '../services/em-service.js'
import { BadRequestError, NotFoundError, ServiceError } from '../services/errors.js'
import type { Store } from '../store/store.js'
import type { StoredCluster } from './cluster-repository.js'
import { checkCluster, reworded } from './connection-check.js'
import { axlTarget, clusterKey, type AxlSettings, type ClusterDefinition, type ClusterSettings, defaultClusterName } from './definitions.js'
import type { ClusterRegistry, RegisteredCluster } from './registry.js'
import type { SecretBox } from './secrets.js'
import { definitionOf, fieldsOf } from './stored-clusters.js'
import { forClusterNotSaved } from '../setting-words.js'

export interface ClusterServiceOptions {
  store: Store
  registry: ClusterRegistry
  secrets: SecretBox
  log: Log
  /** For fields a new cluster leaves out: the environment's CUCM_TIMEOUT_MS and EMAPI_MAX_CONCURRENCY. */
  defaults: { timeoutMs: number, maxConcurrency: number }
  /** The server's time zone (for `effectiveTimezone`). */
  defaultTimezone: () => string
}

export type ClusterService = ReturnType<typeof createClusterService>

/** A CA field holds certificates only: a private key pasted by mistake is refused, never stored. */
function checkCaPem (pem: string): void {
  const problem = caPemProblem(pem)
  if (problem !== undefined) throw new BadRequestError('caPem', `CA certificate: ${problem}`)
}

type Changes = Omit<CreateClusterBody, 'id'> | UpdateClusterBody

/**
 * A CA certificate saved for a verified connection that none could use now (out of its dates) is
 * refused, its dates said, as is verification turned on with such a one kept; a check sends it,
 * and says what the connection met.
 */
function checkCaDates (settings: ClusterSettings, changes: Changes): void {
  const given = typeof changes.caPem === 'string' || changes.tlsInsecure === false
  const problem = settings.tlsInsecure || !given || settings.caPem === undefined ? undefined : caPemDatesProblem(settings.caPem)
  if (problem !== undefined) throw new BadRequestError('caPem', `CA certificate: ${problem}`)
}

/**
 * The settings after `changes`: a field left out keeps its value in `base`, null clears an
 * optional one. Every check that needs more than one field, or more than a pattern, is here,
 * each naming its field in plain words.
 */
function merge (base: ClusterSettings, changes: Changes): ClusterSettings {
  const pick = <K extends keyof Changes>(key: K, current: NonNullable<Changes[K]> | undefined): NonNullable<Changes[K]> | undefined => {
    const value = changes[key]
    return value === undefined ? current : value === null ? undefined : value as NonNullable<Changes[K]>
  }
  const given = pick('timezone', base.timezone)
  const zoneProblem = given === undefined ? undefined : timeZoneProblem(given)
  if (zoneProblem !== undefined) throw new BadRequestError('timezone', `Time zone: ${zoneProblem}`)
  const timezone = given === undefined ? undefined : spelledTimeZone(given)
  const caPem = pick('caPem', base.caPem)
  if (caPem !== undefined && changes.caPem !== undefined) checkCaPem(caPem)

  const axlUser = pick('axlUser', base.axl?.user)
  const axl = {
    host: pick('axlHost', base.axl?.host),
    port: pick('axlPort', base.axl?.port),
    password: pick('axlPassword', base.axl?.password),
    version: pick('axlVersion', base.axl?.version)
  }
  if (axlUser === undefined) {
    const stray = (['axlPassword', 'axlHost', 'axlPort', 'axlVersion'] as const).find((key) => changes[key] !== undefined && changes[key] !== null)
    if (stray !== undefined) throw new BadRequestError('axlUser', 'AXL user: give the AXL user too, or leave the AXL fields empty (AXL is used only with a user).')
  } else if (axl.password === undefined || axl.password === '') {
    if (base.axl === undefined || changes.axlPassword === null) throw new BadRequestError('axlPassword', 'AXL password: needed with an AXL user.')
  }
  const host = pick('host', base.host) ?? base.host
  const port = pick('port', base.port) ?? CUCM_HTTPS_PORT
  const after: ClusterSettings = {
    id: base.id,
    name: pick('name', base.name) ?? base.name,
    host,
    port,
    appUser: pick('appUser', base.appUser) ?? base.appUser,
    appPassword: pick('appPassword', base.appPassword) ?? base.appPassword,
    caPem,
    tlsInsecure: pick('tlsInsecure', base.tlsInsecure) ?? false,
    timeoutMs: pick('timeoutMs', base.timeoutMs) ?? base.timeoutMs,
    maxConcurrency: pick('maxConcurrency', base.maxConcurrency) ?? base.maxConcurrency,
    multipleLogins: pick('multipleLogins', base.multipleLogins) ?? base.multipleLogins,
    timezone,
    enabled: pick('enabled', base.enabled) ?? true,
    axl: axlUser === undefined ? undefined : { host: axl.host, port: axl.port, user: axlUser, password: axl.password ?? '', version: axl.version }
  }
  savedPasswordsStay(base, after, changes)
  return after
}

/**
 * A saved password is sent only where, and as, it was saved for: an edit or a check that moves a
 * cluster to another host or port, or changes how its certificate is trusted, must be given the
 * password again (else anyone with an admin's session could have CUCM's passwords sent to a
 * server of theirs). A new password is the admin's to send anywhere.
 */
function savedPasswordsStay (base: ClusterSettings, after: ClusterSettings, changes: Changes): void {
  // The same certificate sent again, with or without a final line break, changes nothing.
  const trust = after.tlsInsecure !== base.tlsInsecure || after.caPem?.trim() !== base.caPem?.trim()
  const why = 'a saved password is sent only to the host, port and certificate it was saved for'
  if (changes.appPassword === undefined && (trust || after.host !== base.host || after.port !== base.port)) {
    throw new BadRequestError('appPassword', `Application password: enter it again to change the host, port, CA certificate or TLS verification (${why}).`)
  }
  const where = (settings: ClusterSettings, axl: AxlSettings): string => Object.values(axlTarget(settings, axl)).join(':')
  if (base.axl !== undefined && after.axl !== undefined && typeof changes.axlPassword !== 'string' && (trust || where(after, after.axl) !== where(base, base.axl))) {
    throw new BadRequestError('axlPassword', `AXL password: enter it again to change the AXL host or port (or the host it defaults to), the CA certificate or TLS verification (${why}).`)
  }
}

/** What changed, in words, for the audit trail: names only for secrets, never values. */
function describeChanges (before: ClusterSettings, after: ClusterSettings, changes: UpdateClusterBody): string[] {
  const said: string[] = []
  const plain: Array<[keyof ClusterSettings, string]> = [['name', 'name'], ['host', 'host'], ['port', 'port'], ['appUser', 'application user'], ['timeoutMs', 'timeout'], ['maxConcurrency', 'maximum concurrency'], ['multipleLogins', 'multiple login behavior'], ['timezone', 'time zone']]
  for (const [key, words] of plain) {
    if (before[key] !== after[key]) said.push(`${words} ${String(before[key] ?? 'default')} → ${String(after[key] ?? 'default')}`)
  }
  if (changes.appPassword !== undefined) said.push('application password replaced')
  if (before.caPem !== after.caPem) said.push(after.caPem === undefined ? 'CA certificate removed' : 'CA certificate replaced')
  if (before.tlsInsecure !== after.tlsInsecure) said.push(after.tlsInsecure ? 'TLS verification turned OFF' : 'TLS verification turned on')
  if (before.enabled !== after.enabled) said.push(after.enabled ? 'enabled' : 'disabled')
  if ((before.axl === undefined) !== (after.axl === undefined)) said.push(after.axl === undefined ? 'AXL turned off' : `AXL turned on (user ${after.axl.user})`)
  else if (before.axl !== undefined && after.axl !== undefined) {
    for (const [key, words] of [['host', 'AXL host'], ['port', 'AXL port'], ['user', 'AXL user'], ['version', 'AXL version']] as const) {
      if (before.axl[key] !== after.axl[key]) said.push(`${words} ${String(before.axl[key] ?? 'default')} → ${String(after.axl[key] ?? 'default')}`)
    }
  }
  if (changes.axlPassword !== undefined && changes.axlPassword !== null && after.axl !== undefined) said.push('AXL password replaced')
  return said
}

function summary (settings: ClusterSettings): string {
  const axl = settings.axl === undefined ? 'AXL off' : `AXL user ${settings.axl.user}`
  return `CUCM ${settings.host}:${settings.port}, application user ${settings.appUser}, ${settings.caPem === undefined ? 'system CA store' : 'its own CA certificate'}${settings.tlsInsecure ? ', TLS verification OFF' : ''}, ${axl}${settings.enabled ? '' : ', disabled'}`
}

/**
 * Adds, edits, deletes and checks clusters, and shows them without their secrets. Every change
 * is one transaction with its audit record, then takes effect in the registry without a restart.
 * The environment's clusters are read-only here: they change in the environment.
 */
export function createClusterService (options: ClusterServiceOptions) {
  const { store, registry, secrets, log } = options
  // One change at a time, so the registry takes them in the order the database did.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = async <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task)
    queue = run.catch(() => {})
    return await run
  }

  /** What a new cluster is before its body's fields: the defaults (CUCM's own for multiple logins). */
  function newCluster (body: CreateClusterBody): ClusterSettings {
    const port = body.port ?? CUCM_HTTPS_PORT
    return { id: body.id, name: defaultClusterName(body.host, port), host: body.host, port, appUser: body.appUser, appPassword: body.appPassword, caPem: undefined, tlsInsecure: false, timeoutMs: options.defaults.timeoutMs, maxConcurrency: options.defaults.maxConcurrency, multipleLogins: 'not-allowed', timezone: undefined, enabled: true, axl: undefined }
  }

  async function view (definition: ClusterDefinition, live: RegisteredCluster | undefined): Promise<Cluster> {
    const { settings, source } = definition
    return {
      id: settings.id,
      name: settings.name,
      source,
      readOnly: source === 'environment',
      enabled: settings.enabled,
      host: settings.host,
      port: settings.port,
      appUser: settings.appUser,
      // A stored cluster always has one (sealed), even when this key cannot open it.
      appPasswordSet: source === 'database' || settings.appPassword !== '',
      caPem: settings.caPem ?? null,
      tlsInsecure: settings.tlsInsecure,
      timeoutMs: settings.timeoutMs,
      maxConcurrency: settings.maxConcurrency,
      multipleLogins: settings.multipleLogins,
      timezone: settings.timezone ?? null,
      effectiveTimezone: settings.timezone ?? options.defaultTimezone(),
      axlHost: settings.axl?.host ?? null,
      axlPort: settings.axl?.port ?? null,
      axlUser: settings.axl?.user ?? null,
      axlPasswordSet: settings.axl !== undefined,
      axlVersion: settings.axl?.version ?? null,
      createdAt: definition.createdAt ?? null,
      updatedAt: definition.updatedAt ?? null,
      problem: definition.problem ?? null,
      health: live === undefined ? null : await live.health()
    }
  }

  function known (id: string): ClusterDefinition {
    const definition = registry.definition(id)
    if (definition === undefined) throw new NotFoundError(`No cluster "${id}".`, 'GET /api/clusters lists the clusters.')
    return definition
  }

  function writable (id: string): ClusterDefinition {
    const definition = known(id)
    if (definition.source === 'environment') {
      throw new ServiceError('conflict', 'CLUSTER_READ_ONLY', `Cluster ${definition.settings.id} comes from the environment (CUCM_* settings) and is read-only here.`, { action: 'Change it in the environment or .env and restart EM Console.' })
    }
    return definition
  }

  /** The stored row of a database cluster, read inside the caller's transaction. */
  function stored (row: StoredCluster | undefined, id: string): StoredCluster {
    if (row === undefined) throw new NotFoundError(`No cluster "${id}".`)
    return row
  }

  async function applied (definition: ClusterDefinition): Promise<Cluster> {
    await registry.put(definition)
    return await view(definition, registry.get(definition.settings.id))
  }

  return {
    async list (): Promise<Cluster[]> {
      return await Promise.all(registry.definitions().map(async (d) => await view(d, registry.get(d.settings.id))))
    },

    async get (id: string): Promise<Cluster> {
      const definition = known(id)
      return await view(definition, registry.get(definition.settings.id))
    },

    async create (caller: Caller, body: CreateClusterBody): Promise<Cluster> {
      return await serial(async () => {
        const reserved = reservedClusterId(body.id)
        if (reserved !== undefined) throw new BadRequestError('id', `Id: ${reserved}.`)
        if (registry.definition(body.id) !== undefined) throw new ServiceError('conflict', 'CLUSTER_EXISTS', `A cluster with the id "${body.id}" exists already.`, { field: 'id', action: 'Choose another id, or edit that cluster.' })
        const { id, ...changes } = body
        const settings = merge(newCluster(body), changes)
        checkCaDates(settings, changes)
        const row = await store.write((w) => {
          if (w.clusters.get(id) !== undefined) throw new ServiceError('conflict', 'CLUSTER_EXISTS', `A cluster with the id "${id}" exists already.`, { field: 'id' })
          // Rows a refresh of the deleted cluster wrote after its deletion: not this cluster's state before.
          w.inventory.retire(id)
          const inserted = w.clusters.insert(fieldsOf(settings, secrets), caller.actor)
          w.audit.record({ ...caller, action: 'cluster-create', cluster: id }, { outcome: 'success', message: `Added cluster ${id} (${settings.name}): ${summary(settings)}.` })
          return inserted
        }, 'cluster-create')
        log.info({ cluster: id, actor: caller.actor }, `Cluster ${id} added by ${caller.actor}`)
        return await applied(definitionOf(row, secrets))
      })
    },

    async update (caller: Caller, id: string, changes: UpdateClusterBody): Promise<Cluster> {
      return await serial(async () => {
        const current = writable(id)
        const row = await store.write((w) => {
          const before = stored(w.clusters.get(current.settings.id), id)
          const beforeSettings = definitionOf(before, secrets).settings
          const settings = merge(beforeSettings, changes)
          checkCaDates(settings, changes)
          // A password left out keeps its ciphertext as it is (even one this key cannot open).
          const kept = {
            ...(changes.appPassword === undefined ? { appPasswordSealed: before.appPasswordSealed } : {}),
            ...(changes.axlPassword === undefined && before.axlPasswordSealed !== null ? { axlPasswordSealed: before.axlPasswordSealed } : {})
          }
          const updated = w.clusters.update(fieldsOf(settings, secrets, kept), caller.actor)
          const said = describeChanges(beforeSettings, settings, changes)
          w.audit.record({ ...caller, action: 'cluster-update', cluster: before.id }, { outcome: 'success', message: said.length === 0 ? `Saved cluster ${before.id} unchanged.` : `Changed cluster ${before.id}: ${said.join('; ')}.` })
          return stored(updated, id)
        }, 'cluster-update')
        log.info({ cluster: row.id, actor: caller.actor }, `Cluster ${row.id} changed by ${caller.actor}`)
        return await applied(definitionOf(row, secrets))
      })
    },

    async delete (caller: Caller, id: string): Promise<void> {
      await serial(async () => {
        const current = writable(id)
        await store.write((w) => {
          const before = stored(w.clusters.get(current.settings.id), id)
          // A schedule naming it would fail every night from now on, without a word until then.
          const using = w.schedules.list().filter((schedule) => schedule.clusters?.some((cluster) => clusterKey(cluster) === clusterKey(before.id)) === true)
          if (using.length > 0) {
            throw new ServiceError('conflict', 'CLUSTER_IN_USE', `Cluster ${before.id} is named by schedule${using.length === 1 ? '' : 's'} ${using.map((schedule) => `"${schedule.name}"`).join(', ')}: nothing was deleted.`,
              { action: 'Edit or delete those schedules first (Schedules), then delete the cluster. To stop using it for a while, disable it instead.' })
          }
          w.clusters.delete(before.id)
          w.inventory.retire(before.id)
          w.audit.record({ ...caller, action: 'cluster-delete', cluster: before.id }, { outcome: 'success', message: `Deleted cluster ${before.id} (${before.name}, ${before.host}:${before.port}). Its history stays.` })
        }, 'cluster-delete')
        await registry.remove(current.settings.id)
        log.info({ cluster: current.settings.id, actor: caller.actor }, `Cluster ${current.settings.id} deleted by ${caller.actor}`)
      })
    },

    /**
     * The connection checks of a known cluster, with `changes` applied first when given (the edit
     * dialog checks before saving; a password left out is the stored one). Changes nothing.
     */
    async check (id: string, changes?: UpdateClusterBody): Promise<ClusterCheck> {
      const definition = changes === undefined ? known(id) : writable(id)
      const live = registry.get(id)
      let settings = definition.settings
      if (changes !== undefined) {
        settings = merge(settings, changes)
      }
      const unreadable = definition.problem !== undefined && changes?.appPassword === undefined
      if (unreadable) throw new ServiceError('conflict', 'CLUSTER_UNAVAILABLE', `Cluster ${definition.settings.id} cannot be checked: ${definition.problem ?? ''}`)
      const reuse = changes === undefined && live !== undefined
      const result = await checkCluster({ source: definition.source, settings, client: reuse ? live.client : undefined })
      return { cluster: settings.id, ok: result.outcome === 'ok', steps: result.steps }
    },

    /** The checks of a cluster not saved yet (the add dialog's "Check connection"). */
    async checkNew (body: CreateClusterBody): Promise<ClusterCheck> {
      const { id, ...changes } = body
      const result = await checkCluster({ source: 'database', settings: merge(newCluster(body), changes) })
      return { cluster: id, ok: result.outcome === 'ok', steps: reworded(result.steps, forClusterNotSaved) }
    }
  }
}
