import { randomUUID } from 'node:crypto'
import { EmapiError, isEmapiFailure, type ExclusiveDuration } from '@em-console/shared/emapi'
import type { ActionResult, AuditAction, DeviceLogoutResult, DeviceStatus, Health, Trigger, UserDeviceProfiles, UserDevices, UserLogoutResult } from '@em-console/shared/schemas'
import type { AuditRepository } from '../audit/audit-repository.js'
import type { EmapiCall } from '../emapi/context.js'
import type { EmapiClient } from '../emapi/client.js'
import { ActionError, LogoutAllRunningError } from './errors.js'
import { chunk, Limiter, mapLimited } from './limiter.js'

/** Who asked for an action and how; every audit row carries it. */
export interface Caller {
  actor: string
  trigger: Trigger
  clientIp?: string
}

export interface EmServiceOptions {
  client: EmapiClient
  audit: AuditRepository
  /** Login/logout requests in flight at once, across the whole server (CUCM's throttle, PROTOCOL.md §5). */
  maxConcurrency: number
  timeoutMs: number
  /** Retries of code 26 (busy) and the first backoff; doubled each time, with jitter. */
  busyRetries?: number
  busyBackoffMs?: number
  healthCacheMs?: number
}

/** Device names per deviceUserQuery: the limit is undocumented, so long look-ups are chunked. */
export const QUERY_CHUNK = 50
const QUERY_CONCURRENCY = 4
const HEALTH_PROBE_DEVICE = 'EMConsoleHealthProbe'

interface Target {
  action: AuditAction
  devices?: readonly string[]
  userId?: string
  runId?: string
}

export type EmService = ReturnType<typeof createEmService>

const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

/** Names without repeats, compared case-insensitively as CUCM compares them; first spelling kept. */
export function uniqueNames (names: readonly string[]): string[] {
  const seen = new Map<string, string>()
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name)
  return [...seen.values()]
}

function describe (error: EmapiError): { outcome: 'failure' | 'error', emapiCode?: number, message: string } {
  if (isEmapiFailure(error)) return { outcome: 'failure', emapiCode: error.emapiCode, message: error.message }
  return { outcome: 'error', message: error.message }
}

export function createEmService (options: EmServiceOptions) {
  const { client, audit } = options
  const changes = new Limiter(options.maxConcurrency)
  const busyRetries = options.busyRetries ?? 4
  const busyBackoffMs = options.busyBackoffMs ?? 250
  let health: { at: number, value: Health['emapi'] } | undefined

  /**
   * Runs one EMAPI call with its audit record: written `pending` first, so a crash leaves
   * evidence, and finished with the outcome. Code 19 on a logout is the goal met, not an error.
   */
  async function audited (caller: Caller, target: Target, call: () => Promise<EmapiCall<void>>, successMessage: string,
    auditId = audit.insertPending({ ...caller, ...target })): Promise<ActionResult> {
    try {
      const result = await call()
      audit.finish(auditId, { outcome: 'success', message: successMessage, httpStatus: result.httpStatus, requestXml: result.requestXml, responseBody: result.responseBody })
      return { auditId, outcome: 'success', message: successMessage }
    } catch (error) {
      if (!(error instanceof EmapiError)) {
        audit.finish(auditId, { outcome: 'error', errorCode: 'INTERNAL', message: 'Internal error' })
        throw error
      }
      const exchange = { httpStatus: error.httpStatus, requestXml: error.requestXml, responseBody: error.responseBody, errorCode: error.code }
      if (target.action === 'logout' && isEmapiFailure(error, 19)) {
        const message = 'Nobody was logged in on this device: nothing to do.'
        audit.finish(auditId, { ...exchange, outcome: 'already-logged-out', emapiCode: 19, message })
        return { auditId, outcome: 'already-logged-out', message }
      }
      audit.finish(auditId, { ...exchange, ...describe(error) })
      throw new ActionError(error, auditId)
    }
  }

  /**
   * A look-up changes nothing on CUCM, so it needs no pending row as crash evidence: its record
   * is written once, after the answer; a successful one trails with the write-behind queue.
   */
  async function lookedUp<T> (caller: Caller, target: Target, call: () => Promise<EmapiCall<T>>, successMessage: string): Promise<T> {
    const entry = { ...caller, ...target, startedAt: new Date() }
    try {
      const result = await call()
      audit.recordLater(entry, { outcome: 'success', message: successMessage, httpStatus: result.httpStatus, requestXml: result.requestXml, responseBody: result.responseBody })
      return result.value
    } catch (error) {
      if (!(error instanceof EmapiError)) {
        audit.record(entry, { outcome: 'error', errorCode: 'INTERNAL', message: 'Internal error' })
        throw error
      }
      const exchange = { httpStatus: error.httpStatus, requestXml: error.requestXml, responseBody: error.responseBody, errorCode: error.code }
      throw new ActionError(error, audit.record(entry, { ...exchange, ...describe(error) }))
    }
  }

  /** A login or logout: within the server-wide cap, and retried with backoff while CUCM says busy (26). */
  async function change<T> (call: () => Promise<EmapiCall<T>>): Promise<EmapiCall<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await changes.run(call)
      } catch (error) {
        if (!isEmapiFailure(error, 26) || attempt >= busyRetries) throw error
        await sleep(busyBackoffMs * 2 ** attempt * (0.5 + Math.random()))
      }
    }
  }

  /** `known.userId` is who a look-up found on the device, so the history says whom this logged out. */
  async function logoutDevice (caller: Caller, deviceName: string, known: { runId?: string, userId?: string | null } = {}): Promise<ActionResult> {
    const userId = known.userId ?? undefined
    return await audited(caller, { action: 'logout', devices: [deviceName], runId: known.runId, userId },
      async () => await change(async () => await client.logout(deviceName)), `Logged out ${userId ?? 'the user'} from ${deviceName}.`)
  }

  /** `runId` files the look-ups under a run; a look-up of several chunks gets one of its own otherwise. */
  async function deviceStatus (caller: Caller, names: readonly string[], within: { runId?: string } = {}): Promise<DeviceStatus[]> {
    const chunks = chunk(uniqueNames(names), QUERY_CHUNK)
    const runId = within.runId ?? (chunks.length > 1 ? randomUUID() : undefined)
    // Only this look-up's own chunks are limited: CUCM's throttle counts logins and logouts
    // (PROTOCOL.md §5), and a server-wide queue would make ten look-ups wait on each other.
    const results = await mapLimited(chunks, new Limiter(QUERY_CONCURRENCY), async (part) => {
      return await lookedUp(caller, { action: 'device-query', devices: part, runId },
        async () => await client.deviceUserQuery(part), `Looked up ${part.length} device${part.length === 1 ? '' : 's'}.`)
    })
    return results.flat()
  }

  async function userDevices (caller: Caller, userId: string): Promise<UserDevices> {
    const [found] = await lookedUp(caller, { action: 'user-devices-query', userId },
      async () => await client.userDevicesQuery([userId]), `Looked up the devices of ${userId}.`)
    return found ?? { userId, exists: false, devices: [] }
  }

  return {
    logoutDevice,
    deviceStatus,
    userDevices,

    /**
     * One logoutAll at a time, across processes (server, CLI, schedule): the pending audit row
     * is the lock. A pending row older than the timeout is stale (its process died).
     */
    async logoutAll (caller: Caller): Promise<ActionResult> {
      const target = { action: 'logout-all' } as const
      const claim = audit.insertPendingIfIdle({ ...caller, ...target }, options.timeoutMs * (busyRetries + 1) + 60_000)
      if ('runningId' in claim) throw new LogoutAllRunningError(claim.runningId)
      return await audited(caller, target,
        async () => await change(async () => await client.logoutAll()), 'Logged out every Extension Mobility user on the cluster.', claim.id)
    },

    async loginDevice (caller: Caller, deviceName: string, login: { userId: string, deviceProfile?: string, durationMinutes?: number, indefinite?: boolean, force?: boolean, runId?: string }): Promise<ActionResult> {
      const runId = login.runId ?? (login.force === true ? randomUUID() : undefined)
      if (login.force === true) {
        const [status] = await deviceStatus(caller, [deviceName])
        if (status?.currentUser != null && status.currentUser.toLowerCase() !== login.userId.toLowerCase()) {
          await logoutDevice(caller, deviceName, { runId, userId: status.currentUser })
        }
      }
      const exclusiveDuration: ExclusiveDuration | undefined = login.indefinite === true
        ? 'indefinite'
        : login.durationMinutes === undefined ? undefined : { minutes: login.durationMinutes }
      const request = { deviceName, userId: login.userId, deviceProfile: login.deviceProfile, exclusiveDuration }
      return await audited(caller, { action: 'login', devices: [deviceName], userId: login.userId, runId },
        async () => await change(async () => await client.login(request)),
        `Logged ${login.userId} in on ${deviceName}${login.deviceProfile === undefined ? '' : ` with profile ${login.deviceProfile}`}.`)
    },

    async userProfiles (caller: Caller, userId: string): Promise<UserDeviceProfiles> {
      const [found] = await lookedUp(caller, { action: 'device-profile-query', userId },
        async () => await client.deviceProfileQuery([userId]), `Looked up the device profiles of ${userId}.`)
      return found ?? { userId, exists: false, profiles: [] }
    },

    /** Logs a user out of every device they are on; one result (and audit row) per device. */
    async logoutUser (caller: Caller, userId: string): Promise<UserLogoutResult> {
      const { devices } = await userDevices(caller, userId)
      const runId = randomUUID()
      const results = await Promise.all(devices.map(async (deviceName): Promise<DeviceLogoutResult> => {
        try {
          return { deviceName, ...await logoutDevice(caller, deviceName, { runId, userId }) }
        } catch (error) {
          if (!(error instanceof ActionError)) throw error
          const { outcome, emapiCode, message } = describe(error.error)
          return { deviceName, outcome, message, auditId: error.auditId, ...(emapiCode === undefined ? {} : { emapiCode }) }
        }
      }))
      return { userId, results }
    },

    /** Whether EMAPI answers, by a cheap query that is not audited; cached for a few seconds. */
    async health (): Promise<Health['emapi']> {
      const cacheMs = options.healthCacheMs ?? 5000
      if (health !== undefined && Date.now() - health.at < cacheMs) return health.value
      const started = performance.now()
      let value: Health['emapi']
      try {
        await client.deviceUserQuery([HEALTH_PROBE_DEVICE])
        value = { reachable: true, latencyMs: Math.round(performance.now() - started), checkedAt: new Date().toISOString() }
      } catch (error) {
        const e = error instanceof EmapiError ? error : new EmapiError('EMAPI_UNREACHABLE', 'Health check failed')
        value = {
          reachable: false,
          latencyMs: null,
          checkedAt: new Date().toISOString(),
          error: { code: e.code, message: e.message, ...(isEmapiFailure(e) ? { emapiCode: e.emapiCode } : {}) }
        }
      }
      health = { at: Date.now(), value }
      return value
    }
  }
}
