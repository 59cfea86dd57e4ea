import { randomUUID } from 'node:crypto'
import { EVERY_CLUSTER } from '@em-console/shared/field-rules'
import type {
  ActionResult, ClusterOutcome, DeviceReport, DeviceStatus, LogoutAllResult, UserDeviceProfiles, UserDevices, UserLogoutResult
} from '@em-console/shared/schemas'
import type { DeviceFacts } from '../services/device-facts.js'
import type { Store } from '../store/store.js'
import type { Caller } from '../services/em-service.js'
import { ActionError, BadRequestError, ClusterFailure, LogoutAllRunningError, NotFoundError, sentences, ServiceError } from '../services/errors.js'
import type { ClusterRegistry, RegisteredCluster } from './registry.js'

/** A look-up's answer with the cluster that gave it (null: the device is on none of those asked). */
export type LocatedStatus = DeviceStatus & { cluster: string | null }

export type ClusterActions = ReturnType<typeof createClusterActions>

export interface LoginRequest {
  userId: string
  deviceProfile?: string
  durationMinutes?: number
  indefinite?: boolean
  force?: boolean
}

/** The words of `?cluster=all` (no cluster may have them as its id). */
export const ALL_CLUSTERS = EVERY_CLUSTER

/** A cluster's part of a logout-all that went through. */
const DONE: ReadonlySet<ClusterOutcome['outcome']> = new Set(['success', 'already-logged-out'])

/**
 * The one place that decides which cluster an action goes to (issue #17), for the API, the CLI,
 * runs and schedules alike:
 * - `cluster` named: that cluster only (404 unknown, 409 disabled);
 * - look-ups without it ask every usable cluster in parallel and tag each answer with its cluster;
 * - a change to one device without it acts where a look-up finds the device (404 on none, 409
 *   naming the clusters when on several); with one cluster it goes there without a look-up;
 * - logout-all without it is refused once there are two clusters; `all` runs on each in parallel.
 */
export function createClusterActions (options: { clusters: ClusterRegistry, facts: DeviceFacts, store: Store }) {
  const { clusters, facts, store } = options

  /**
   * Who a logout-all of this cluster ends, as far as its AXL inventory knows (issue #16.6); no
   * number when a logout-all ended after the inventory was read (its users are gone, and who
   * logged in since is not known yet): two in a row said the second had logged out everyone again.
   */
  function loggedIn (cluster: RegisteredCluster): Pick<ClusterOutcome, 'loggedOut' | 'asOf'> {
    const asOf = cluster.axl === undefined ? null : store.inventory.state(cluster.id)?.asOf ?? null
    if (asOf === null) return { loggedOut: null, asOf: null }
    const lastLogoutAll = store.audit.lastLogoutAll(cluster.id)
    return { loggedOut: lastLogoutAll !== undefined && lastLogoutAll > asOf ? null : store.inventory.counts(cluster.id).users, asOf }
  }

  /** The clusters an action may ask: the named one, or every usable one. */
  function scope (cluster: string | undefined): RegisteredCluster[] {
    return cluster === undefined ? clusters.list() : [clusters.require(cluster)]
  }

  /**
   * Each cluster's answer, and the failures of those that could not give one (CUCM's refusals and
   * silences; a fault of EM Console's is thrown). Asked of several, each failure names its cluster.
   */
  async function askAll<T> (targets: readonly RegisteredCluster[], ask: (cluster: RegisteredCluster) => Promise<T>): Promise<{ answers: Array<{ cluster: RegisteredCluster, value: T }>, failures: Error[] }> {
    const settled = await Promise.allSettled(targets.map(async (cluster) => ({ cluster, value: await ask(cluster) })))
    const answers: Array<{ cluster: RegisteredCluster, value: T }> = []
    const failures: Error[] = []
    settled.forEach((result, i) => {
      if (result.status === 'fulfilled') answers.push(result.value)
      else if (!(result.reason instanceof ActionError || result.reason instanceof ServiceError)) throw result.reason
      else failures.push(targets.length > 1 ? new ClusterFailure(targets[i]?.id ?? '?', clusters.said(targets[i]?.id ?? '?'), result.reason) : result.reason)
    })
    return { answers, failures }
  }

  /**
   * Every cluster's answer, or the first failure: a look-up that missed a cluster would say "on
   * none" wrongly. Asked of several, the failure says which cluster failed (?cluster= asks the others).
   */
  async function askEach<T> (targets: readonly RegisteredCluster[], ask: (cluster: RegisteredCluster) => Promise<T>): Promise<Array<{ cluster: RegisteredCluster, value: T }>> {
    const { answers, failures } = await askAll(targets, ask)
    if (failures[0] !== undefined) throw failures[0]
    return answers
  }

  /**
   * A user asked of every cluster: found where some answered, the answer names those that could
   * not be asked (`unavailable`); found on none of those that answered, a failure is the answer
   * (the user may be on a silent one). `found`: the user ID as CUCM spells it, and whether it exists.
   */
  async function askForUser<T extends { exists: boolean, userId: string }> (userId: string, cluster: string | undefined, ask: (cluster: RegisteredCluster) => Promise<T>): Promise<{ found: { userId: string, exists: boolean }, values: T[], unavailable: Error[] }> {
    const { answers, failures } = await askAll(scope(cluster), ask)
    const values = answers.map((a) => a.value)
    const exists = values.some((v) => v.exists)
    if (!exists && failures[0] !== undefined) throw failures[0]
    return { found: { userId: values.find((v) => v.exists)?.userId ?? userId, exists }, values, unavailable: failures }
  }

  async function deviceStatus (caller: Caller, names: readonly string[], within: { cluster?: string, runId?: string } = {}): Promise<LocatedStatus[]> {
    return statusesOf(names, await askEach(scope(within.cluster), askDevices(caller, names, within.runId)))
  }

  /**
   * A look-up that shows what the clusters that answered said, and which could not be asked
   * (`unavailable`): a device on none of those that answered (cluster null) may be on these. When
   * none answered, their failure is the answer.
   */
  async function deviceLookUp (caller: Caller, names: readonly string[], cluster?: string, runId?: string): Promise<{ devices: LocatedStatus[], unavailable: Error[] }> {
    const { answers, failures } = await askAll(scope(cluster), askDevices(caller, names, runId))
    if (answers.length === 0 && failures[0] !== undefined) throw failures[0]
    return { devices: statusesOf(names, answers), unavailable: failures }
  }

  function askDevices (caller: Caller, names: readonly string[], runId?: string) {
    return async (c: RegisteredCluster): Promise<Map<string, DeviceStatus>> => {
      const statuses = await c.em.deviceStatus(caller, names, { runId })
      return new Map(statuses.map((status) => [status.deviceName.toLowerCase(), status]))
    }
  }

  /** Each name asked, once, with every cluster it is on (or none, cluster null). */
  function statusesOf (names: readonly string[], answers: ReadonlyArray<{ cluster: RegisteredCluster, value: Map<string, DeviceStatus> }>): LocatedStatus[] {
    const seen = new Set<string>()
    return names.flatMap((name): LocatedStatus[] => {
      const key = name.toLowerCase()
      if (seen.has(key)) return []
      seen.add(key)
      const found = answers.flatMap(({ cluster, value }) => {
        const status = value.get(key)
        return status?.exists === true ? [{ ...status, cluster: cluster.id }] : []
      })
      if (found.length > 0) return found
      const none = answers[0]?.value.get(key) ?? { deviceName: name, exists: false, currentUser: null, lastUser: null, emcc: null }
      return [{ ...none, cluster: null }]
    })
  }

  /**
   * The cluster a change to one device goes to, and what a look-up there found. With one cluster
   * to ask, a device not found is still sent there, so CUCM's own answer (and its audit row) says so.
   */
  async function locate (caller: Caller, deviceName: string, cluster: string | undefined, change: 'logout' | 'login'): Promise<{ target: RegisteredCluster, status: LocatedStatus | undefined }> {
    const asked = scope(cluster)
    const found = (await deviceStatus(caller, [deviceName], { cluster }).catch((error: unknown) => { throw notSentAfter(error, change) })).filter((s) => s.cluster !== null)
    return targetOf(deviceName, asked, found)
  }

  /** Where a change to one device goes, from what a look-up of the clusters `asked` found of it (see locate). */
  function targetOf (deviceName: string, asked: readonly RegisteredCluster[], found: readonly LocatedStatus[]): { target: RegisteredCluster, status: LocatedStatus | undefined } {
    const [only] = asked
    if (asked.length === 1 && only !== undefined) return { target: only, status: found[0] }
    if (found.length === 0) throw new NotFoundError(`Device ${deviceName} is on none of the clusters (${asked.map((c) => c.id).join(', ')}).`, 'Check the name, or name the cluster with ?cluster=.')
    if (found.length > 1) {
      const ids = found.map((s) => s.cluster).join(', ')
      throw new ServiceError('conflict', 'CLUSTER_AMBIGUOUS', `Device ${deviceName} is on several clusters (${ids}).`, { action: `Name the cluster with ?cluster= (one of ${ids}).` })
    }
    return { target: clusters.require(found[0]?.cluster ?? ''), status: found[0] }
  }

  /** A look-up asked before a change failed: the person hears that the change itself was not sent. */
  function notSentAfter (error: unknown, change: 'logout' | 'login'): unknown {
    // Asked of several clusters, the failure names its cluster: the note goes on the cluster's own failure.
    if (error instanceof ClusterFailure) return new ClusterFailure(error.cluster, clusters.said(error.cluster), notSentAfter(error.cause, change))
    if (!(error instanceof ActionError)) return error
    const note = `The ${change} was not sent: this look-up, asked first, failed.`
    return new ActionError(error.error, error.auditId, error.outcome, error.detail === undefined ? note : sentences(error.detail, note), error.source)
  }

  /** The part of one cluster in a logout-all of several. */
  function outcomeOf (cluster: RegisteredCluster, settled: PromiseSettledResult<ActionResult>, before: Pick<ClusterOutcome, 'loggedOut' | 'asOf'>): ClusterOutcome {
    if (settled.status === 'fulfilled') return { cluster: cluster.id, outcome: settled.value.outcome, message: settled.value.message, auditId: settled.value.auditId, ...before }
    const error: unknown = settled.reason
    const none = { loggedOut: null, asOf: null }
    const action = error instanceof ActionError || error instanceof ServiceError ? error.action : undefined
    const advice = action === undefined ? {} : { action }
    if (error instanceof ActionError) return { cluster: cluster.id, outcome: error.outcome, message: error.message, auditId: error.auditId, code: error.error.code, ...none, ...advice }
    // Another logout-all running there: its part is the refusal's own record, a failure (nothing sent), as that record says.
    if (error instanceof LogoutAllRunningError) return { cluster: cluster.id, outcome: 'failure', message: error.message, auditId: error.refusedId, code: error.code, ...none }
    if (error instanceof ServiceError) return { cluster: cluster.id, outcome: 'error', message: error.message, auditId: error.auditId ?? null, code: error.code, ...none, ...advice }
    throw error
  }

  /** The part of a cluster that cannot be used in a logout-all of every cluster: not sent, and recorded so. */
  async function notSent (caller: Caller, id: string, runId: string): Promise<ClusterOutcome> {
    const message = `Not sent: cluster ${clusters.said(id)} cannot be used: ${clusters.definition(id)?.problem ?? 'it could not be opened'}`
    const entry = { ...caller, action: 'logout-all', runId, cluster: id } as const
    const auditId = await store.write((w) => w.audit.record(entry, { outcome: 'failure', errorCode: 'CLUSTER_UNAVAILABLE', message }), 'logout-all not sent')
    return { cluster: id, outcome: 'failure', message, auditId, code: 'CLUSTER_UNAVAILABLE', loggedOut: null, asOf: null }
  }

  /**
   * The users logged out in all, when every cluster that did it knows them: each user once, as
   * the dashboard counts them before (a user logged in on two clusters is one person logged out).
   * `users`: each part's user ids as its inventory knew them before, undefined when not known.
   */
  function total (parts: readonly ClusterOutcome[], users: ReadonlyArray<readonly string[] | undefined>): number | null {
    const done = parts.flatMap((p, i) => p.outcome === 'success' ? [users[i]] : [])
    if (done.length === 0 || done.some((ids) => ids === undefined)) return null
    return new Set(done.flatMap((ids) => ids ?? [])).size
  }

  /**
   * The clusters a logout-all of `cluster` acts on, or its refusal: none named while there are two
   * or more, one unknown or disabled. A command that asks "yes" first checks this before it asks.
   */
  function logoutAllTargets (cluster: string | readonly string[] | undefined): RegisteredCluster[] {
    const usable = clusters.list()
    // An enabled cluster that cannot be used counts: left out, a logout-all without ?cluster=
    // logged out the one usable cluster and said success, as if there were no other.
    const enabled = clusters.definitions().filter((d) => d.settings.enabled).map((d) => d.settings.id)
    if (cluster === undefined && enabled.length > 1) {
      throw new BadRequestError('cluster', `Invalid field "cluster": there are ${enabled.length} clusters (${enabled.join(', ')}); name one, or "all" to log out every one of them.`)
    }
    // One id, `all`, or (schedules) some of them.
    return cluster === ALL_CLUSTERS
      ? usable
      : cluster === undefined ? usable.slice(0, 1) : (typeof cluster === 'string' ? [cluster] : cluster).map((id) => clusters.require(id))
  }

  return {
    scope,

    /** Look-ups with what EM Console knows besides (inventory, EM flag), as the API and runs use them; see deviceLookUp. */
    async deviceReports (caller: Caller, names: readonly string[], cluster?: string, runId?: string): Promise<{ devices: DeviceReport[], unavailable: Error[] }> {
      const { devices, unavailable } = await deviceLookUp(caller, names, cluster, runId)
      return { devices: facts.of(devices), unavailable }
    },

    /** A look-up first, so the audit trail records whom the logout removed (EMAPI's logout names only the device). */
    async logoutDevice (caller: Caller, deviceName: string, cluster?: string): Promise<ActionResult> {
      const { target, status } = await locate(caller, deviceName, cluster, 'logout')
      return await target.em.logoutDevice(caller, deviceName, { userId: status?.currentUser })
    },

    /**
     * logoutDevice of each name, with one look-up for them all (chunked as every look-up of many
     * names is, QUERY_CHUNK a query) rather than one a device: each device still has its own result
     * and its own logout record, a look-up that failed failing each (not sent).
     */
    async logoutDevices (caller: Caller, deviceNames: readonly string[], cluster?: string): Promise<Array<PromiseSettledResult<ActionResult>>> {
      const asked = scope(cluster)
      let found: LocatedStatus[]
      try {
        found = await deviceStatus(caller, deviceNames, { cluster })
      } catch (error) {
        const reason = notSentAfter(error, 'logout')
        return deviceNames.map(() => ({ status: 'rejected', reason }))
      }
      const on = new Map<string, LocatedStatus[]>()
      for (const status of found) {
        if (status.cluster === null) continue
        const key = status.deviceName.toLowerCase()
        on.set(key, [...on.get(key) ?? [], status])
      }
      return await Promise.allSettled(deviceNames.map(async (deviceName) => {
        const { target, status } = targetOf(deviceName, asked, on.get(deviceName.toLowerCase()) ?? [])
        return await target.em.logoutDevice(caller, deviceName, { userId: status?.currentUser })
      }))
    },

    async loginDevice (caller: Caller, deviceName: string, login: LoginRequest, cluster?: string): Promise<ActionResult> {
      // With one cluster the EmService looks the device up itself when it must (force).
      const { target } = clusters.list().length === 1 && cluster === undefined ? { target: clusters.default() } : await locate(caller, deviceName, cluster, 'login')
      return await target.em.loginDevice(caller, deviceName, login)
    },

    /** A user's devices on every cluster asked, each tagged with its cluster (see askForUser). */
    async userDevices (caller: Caller, userId: string, cluster?: string): Promise<Omit<UserDevices, 'unavailable'> & { unavailable: Error[] }> {
      const { found, values, unavailable } = await askForUser(userId, cluster, async (c) => await c.em.userDevices(caller, userId))
      const located = values.flatMap((v) => v.located)
      // A phone CUCM still lists right after EM Console logged the user out of it says so, as its own look-up does.
      const reports = facts.of(located.map((d) => ({ deviceName: d.deviceName, exists: true, currentUser: found.userId, lastUser: null, emcc: null, cluster: d.cluster })))
      return {
        ...found,
        devices: values.flatMap((v) => v.devices),
        located: located.map((d, i) => {
          const mayLag = reports[i]?.mayLag ?? null
          return mayLag === null ? d : { ...d, mayLag }
        }),
        unavailable
      }
    },

    /** A user's device profiles on every cluster asked (see askForUser). */
    async userProfiles (caller: Caller, userId: string, cluster?: string): Promise<Omit<UserDeviceProfiles, 'unavailable'> & { unavailable: Error[] }> {
      const { found, values, unavailable } = await askForUser(userId, cluster, async (c) => await c.em.userProfiles(caller, userId))
      return { ...found, profiles: values.flatMap((v) => v.profiles), unavailable }
    },

    /**
     * Logs a user out of every device they are on, on every cluster asked; one result per device.
     * Every cluster is looked up before any logout is sent, as a change to one device needs: a
     * cluster that cannot be asked failed the request after the others had logged the user out.
     */
    async logoutUser (caller: Caller, userId: string, cluster?: string): Promise<UserLogoutResult> {
      const found = await askEach(scope(cluster), async (c) => await c.em.userDevices(caller, userId)).catch((error: unknown) => { throw notSentAfter(error, 'logout') })
      // One run for every cluster's logouts, as a logout-all of several: History's run shows them all.
      const runId = randomUUID()
      const answers = await askEach(found.map((f) => f.cluster), async (c) => await c.em.logoutUser(caller, userId, { found: found.find((f) => f.cluster === c)?.value, runId }))
      return { userId, exists: answers.some((a) => a.value.exists), results: answers.flatMap((a) => a.value.results) }
    },

    logoutAllTargets,

    /**
     * logoutAll on one cluster, on several, or on every usable one (`all`) in parallel under one run id: one
     * audit row per cluster, and one cluster's failure does not stop the others. Single-flight
     * holds per cluster: a busy one is an error part naming LOGOUT_ALL_RUNNING (409 when all are).
     */
    async logoutAll (caller: Caller, cluster: string | readonly string[] | undefined): Promise<LogoutAllResult> {
      const targets = logoutAllTargets(cluster)
      // An enabled cluster that cannot be used (its stored password does not decrypt with this
      // key) is one of "every cluster": left out, a nightly `all` said success without it.
      const unusable = cluster === ALL_CLUSTERS
        ? clusters.definitions().filter((d) => d.settings.enabled && clusters.get(d.settings.id) === undefined).map((d) => d.settings.id)
        : []
      const before = targets.map(loggedIn)
      if (targets.length === 1 && targets[0] !== undefined && unusable.length === 0) {
        const only = targets[0]
        const result = await only.em.logoutAll(caller)
        const parts = [{ cluster: only.id, outcome: result.outcome, message: result.message, auditId: result.auditId, ...before[0] ?? loggedIn(only) }]
        return { outcome: 'success', message: result.message, auditId: result.auditId, runId: null, loggedOut: result.outcome === 'success' ? parts[0]?.loggedOut ?? null : null, clusters: parts }
      }
      const users = targets.map((target, i) => before[i]?.loggedOut === null ? undefined : store.inventory.userIds(target.id))
      const runId = randomUUID()
      const settled = await Promise.allSettled(targets.map(async (target) => await target.em.logoutAll(caller, { runId })))
      if (unusable.length === 0 && settled.every((s) => s.status === 'rejected' && s.reason instanceof LogoutAllRunningError)) {
        const first = settled[0]
        throw first?.status === 'rejected' ? first.reason : new Error('logout-all: no cluster answered')
      }
      const parts = [
        ...targets.map((target, i) => outcomeOf(target, settled[i] as PromiseSettledResult<ActionResult>, before[i] ?? loggedIn(target))),
        ...await Promise.all(unusable.map(async (id) => await notSent(caller, id, runId)))
      ]
      const named = (list: readonly ClusterOutcome[]): string => list.map((p) => clusters.said(p.cluster)).join(', ')
      // Sent and not answered: CUCM's silence, or our own stop's (a cluster it cut short did not fail to answer).
      const silent = parts.filter((p) => p.outcome === 'unknown')
      const cutShort = parts.filter((p) => p.outcome === 'interrupted')
      const failed = parts.filter((p) => !DONE.has(p.outcome) && !silent.includes(p) && !cutShort.includes(p))
      const done = parts.length - silent.length - cutShort.length - failed.length
      const message = done === parts.length
        ? `Logged out every Extension Mobility user on ${parts.length} clusters (${named(parts)}).`
        : `Logged out every Extension Mobility user on ${done} of ${parts.length} clusters` +
          (silent.length === 0 ? '' : `; no answer from ${named(silent)} (CUCM may have done it: look a device up to be sure)`) +
          (cutShort.length === 0 ? '' : `; EM Console stopped before ${named(cutShort)} answered (CUCM may have done it: look a device up to be sure)`) +
          (failed.length === 0 ? '' : `; failed on ${named(failed)}`) + '.'
      // The record to open: the first cluster's that did not go through, else the first one's.
      const firstAudit = [...silent, ...cutShort, ...failed].find((p) => p.auditId !== null)?.auditId ?? parts.find((p) => p.auditId !== null)?.auditId ?? 0
      return { outcome: done === parts.length ? 'success' : 'failure', message, auditId: firstAudit, runId, loggedOut: total(parts, users), clusters: parts }
    }
  }
}
