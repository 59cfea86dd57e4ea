import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { EmapiCredentials } from '@em-console/shared/emapi'
import { MULTIPLE_LOGINS } from '@em-console/shared/field-rules'
import { createCertificate } from './certificate.js'
import { BadInput, Holds, answerControl, counts, flags, oneOf, readBody, settings } from './control.js'
import { AXL_ADMIN_PREFIX, AXL_PATH, createAxlSimulator, type AxlSimulator, type AxlSimulatorOptions } from './axl.js'
import { createRandom, seedScenario } from './seed.js'
import { NO_LAG, SimulatorState, type Lag, type MultipleLoginPolicy, type Outcome, type Scenario } from './state.js'
import {
  answerBytes, DEFAULT_VARIANTS, parseDocument, renderDeviceProfileResults, renderDeviceUserResults, renderFailure,
  renderSuccess, renderUserDevicesResults, type ParsedDocument, type ResponseVariants
} from './xml.js'

export const SERVLET_PATH = '/emservice/EMServiceServlet'
export const ADMIN_PREFIX = '/__simulator/'
export const DEFAULT_APP_USER = 'emapi-app'
export const DEFAULT_APP_PASSWORD = 'Demo-Passw0rd!'

/**
 * `reset`: the connection is destroyed once the request is read, nothing done; `reset-after`: the
 * request is carried out, then the connection is destroyed without an answer (a node restarting
 * mid-answer); `huge`: an answer of `answerBytes`; `endless`: one that never ends; `trickle`: one
 * piece every 100 ms, forever; `failure`: the EMAPI failure `failureCode`, whatever was asked, so
 * every code of PROTOCOL.md §4 can be met (28 untrusted IP, 30 proxy, 6 database, 29 RIS, EMCC…).
 */
export type FaultMode = 'none' | 'http-503' | 'http-504' | 'reset' | 'reset-after' | 'hang' | 'malformed' | 'empty' | 'huge' | 'endless' | 'trickle' | 'failure'

export interface Faults {
  latencyMs: number
  jitterMs: number
  mode: FaultMode
  /** The next N requests the cap counts answer code 26: logins and logouts, look-ups too when queriesThrottled. */
  busyBurst: number
  /** With a fault mode: only the next N requests get it, then the mode is back to none (0 = until changed). */
  faultTimes: number
  /** Which requests a fault mode hits: `all`, or only `queries` (look-ups; logins and logouts are answered as usual). */
  faultOn: 'all' | 'queries'
  /** Size of the `huge` answer, in bytes (10 MB when unset). */
  answerBytes?: number
  /** The code the `failure` mode answers (0 when unset). */
  failureCode?: number
  /**
   * Which answers, once their latency is over, wait until this is set to `none` again (or the
   * simulator is reset, which drops the changes among them unanswered): `all`, `changes` (logins
   * and logouts) or `queries` (look-ups). A test keeps requests in flight for as long as it needs,
   * not for a time it hopes is long enough.
   */
  hold: 'none' | 'all' | 'changes' | 'queries'
}

export interface SimulatorOptions {
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** Where the CA PEM is written; by default a file in os.tmpdir(), removed on close. */
  caFile?: string
  /** Present a certificate that expired a year ago, as a CUCM whose Tomcat certificate nobody renewed. */
  expiredCertificate?: boolean
  appUser?: string
  appPassword?: string
  proxyRights?: boolean
  /** Defaults to seedScenario(). */
  scenario?: Scenario
  multipleLogins?: MultipleLoginPolicy
  /** The "Maximum Concurrent Requests" service parameter: in-flight login/logout requests. */
  maxConcurrent?: number
  /** Whether look-ups count against maxConcurrent too: not documented (PROTOCOL.md §5); default no. */
  queriesThrottled?: boolean
  /** EM's status cache (PROTOCOL.md §5): look-ups answer what was read up to this long ago; 0 (default) = none. */
  statusCacheSeconds?: number
  /** A logoutAll's users drop over this long rather than at once (PROTOCOL.md §5); 0 (default) = at once. */
  logoutAllSeconds?: number
  faults?: Partial<Faults>
  variants?: Partial<ResponseVariants>
  now?: () => number
  /** How often the auto-logout timer runs; expiry is also checked on every access. */
  expiryCheckMs?: number
  /** The AXL side (POST /axl/): its user, accepted versions and faults. */
  axl?: AxlSimulatorOptions
}

export interface SimulatorStats {
  requests: number
  /** Logins and logouts (CUCM's throttle counts those). */
  peakInFlight: number
  inFlight: number
  /** Queries (look-ups), which the throttle does not count. */
  peakQueriesInFlight: number
  queriesInFlight: number
}

export interface Simulator {
  origin: string
  host: string
  port: number
  caPem: string
  caFile: string
  credentials: EmapiCredentials
  state: SimulatorState
  /** AXL over the same state: POST /axl/, faults under /__simulator/axl/. */
  axl: AxlSimulator
  faults: Readonly<Faults>
  variants: Readonly<ResponseVariants>
  maxConcurrent: number
  queriesThrottled: boolean
  setFaults: (faults: Partial<Faults>) => void
  setVariants: (variants: Partial<ResponseVariants>) => void
  stats: SimulatorStats
  /** Raw XML of the last RECEIVED_LIMIT requests, oldest first. */
  received: string[]
  resetStats: () => void
  /** Restores the start scenario (a session ended or changed since logged in again, as long ago as it was at the start), faults, variants and policy, and resets the stats. A change still waiting (its latency, a hold) is dropped unanswered, never carried out. */
  reset: () => void
  close: () => Promise<void>
}

export const RECEIVED_LIMIT = 200

/** A change a reset overtook: its connection is destroyed without an answer, as a CUCM restarting would. */
class Dropped extends Error {}

/** A year: an expired certificate is one issued two years ago for one. */
const YEAR_MS = 365 * 86_400_000
const DEFAULT_FAULTS: Faults = { latencyMs: 0, jitterMs: 0, mode: 'none', busyBurst: 0, faultTimes: 0, faultOn: 'all', hold: 'none' }
const FAULT_MODES: readonly FaultMode[] = ['none', 'http-503', 'http-504', 'reset', 'reset-after', 'hang', 'malformed', 'empty', 'huge', 'endless', 'trickle', 'failure']
const FAILURE_FORMS: ReadonlyArray<ResponseVariants['failureForm']> = ['error-code', 'errorMessage']
const DEVICE_FORMS: ReadonlyArray<ResponseVariants['deviceForm']> = ['three-child', 'two-child']

const TOMCAT_503 = '<!doctype html><html lang="en"><head><title>HTTP Status 503 – Service Unavailable</title></head>' +
  '<body><h1>HTTP Status 503 – Service Unavailable</h1><hr class="line" /><p><b>Type</b> Status Report</p>' +
  '<p><b>Message</b> Servlet EMServiceServlet is currently unavailable</p>' +
  '<p><b>Description</b> The server is currently unable to handle the request due to a temporary overload or scheduled maintenance.</p>' +
  '<hr class="line" /><h3>Apache Tomcat</h3></body></html>'

const GATEWAY_TIMEOUT = '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>'

function checkFaults (input: unknown): Partial<Faults> {
  const faults = settings(input, 'faults')
  const out: Partial<Faults> = counts(faults, ['latencyMs', 'jitterMs', 'busyBurst', 'faultTimes', 'answerBytes', 'failureCode'])
  const mode = oneOf(faults, 'mode', FAULT_MODES)
  if (mode !== undefined) out.mode = mode
  const faultOn = oneOf(faults, 'faultOn', ['all', 'queries'] as const)
  if (faultOn !== undefined) out.faultOn = faultOn
  const hold = oneOf(faults, 'hold', ['none', 'all', 'changes', 'queries'] as const)
  if (hold !== undefined) out.hold = hold
  return out
}

function checkVariants (input: unknown): Partial<ResponseVariants> {
  const variants = settings(input, 'variants')
  const out: Partial<ResponseVariants> = flags(variants, ['queryPrologue', 'actionPrologue', 'leadingWhitespace', 'indented'])
  const failureForm = oneOf(variants, 'failureForm', FAILURE_FORMS)
  if (failureForm !== undefined) out.failureForm = failureForm
  const deviceForm = oneOf(variants, 'deviceForm', DEVICE_FORMS)
  if (deviceForm !== undefined) out.deviceForm = deviceForm
  const resultOrder = oneOf(variants, 'resultOrder', ['asked', 'reversed'] as const)
  if (resultOrder !== undefined) out.resultOrder = resultOrder
  const emccDevice = oneOf(variants, 'emccDevice', ['no', 'yes'] as const)
  if (emccDevice !== undefined) out.emccDevice = emccDevice
  const userIdEncoding = oneOf(variants, 'userIdEncoding', ['java', 'uri', 'none'] as const)
  if (userIdEncoding !== undefined) out.userIdEncoding = userIdEncoding
  const unknownAs = oneOf(variants, 'unknownAs', ['doesNotExist', 'failure'] as const)
  if (unknownAs !== undefined) out.unknownAs = unknownAs
  const bodyCharset = oneOf(variants, 'bodyCharset', ['utf-8', 'iso-8859-1'] as const)
  if (bodyCharset !== undefined) out.bodyCharset = bodyCharset
  if (variants.contentType !== undefined) {
    if (typeof variants.contentType !== 'string' || variants.contentType === '') throw new BadInput('contentType must be a non-empty string')
    out.contentType = variants.contentType
  }
  return out
}

interface Policy extends Lag {
  multipleLogins: MultipleLoginPolicy
  maxConcurrent: number
  queriesThrottled: boolean
}

const LAG_NAMES = ['statusCacheSeconds', 'logoutAllSeconds'] as const

function checkPolicy (input: unknown): Partial<Policy> {
  const policy = settings(input, 'policy')
  const out: Partial<Policy> = {}
  const multipleLogins = oneOf(policy, 'multipleLogins', MULTIPLE_LOGINS)
  if (multipleLogins !== undefined) out.multipleLogins = multipleLogins
  if (policy.maxConcurrent !== undefined) {
    if (typeof policy.maxConcurrent !== 'number' || !Number.isInteger(policy.maxConcurrent) || policy.maxConcurrent < 1) throw new BadInput('maxConcurrent must be a positive integer')
    out.maxConcurrent = policy.maxConcurrent
  }
  return { ...out, ...flags(policy, ['queriesThrottled']), ...counts(policy, LAG_NAMES) }
}

/**
 * A deviceUserResults answer of `bytes` (Infinity: never ending), written as fast as the client
 * reads it, or one device every `gapMs`. Stops when the client goes away. Large in bytes more than
 * in elements: a kilobyte of whitespace after each (PROTOCOL.md §1: "any whitespace"), so that one
 * within the size cap is read and parsed; the client refuses one of more tags than any EMAPI
 * answer holds (parse.ts: MAX_TAGS, 50,000: 4 MiB of these hold 27,000).
 */
async function streamAnswer (res: ServerResponse, contentType: string, bytes: number, gapMs: number): Promise<void> {
  const device = '<device name="SEP000000000000"><none/><none/><emccDevice>no</emccDevice></device>\n'
  const piece = gapMs > 0 ? device : (device + ' '.repeat(1000)).repeat(64)
  const gone = new Promise<void>((resolve) => res.once('close', resolve))
  res.writeHead(200, { 'content-type': contentType }).write('<?xml version="1.0"?>\n<response><deviceUserResults>')
  for (let sent = 0; sent < bytes && !res.destroyed; sent += piece.length) {
    if (!res.write(piece)) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), gone])
    if (gapMs > 0) await Promise.race([sleep(gapMs), gone])
  }
  if (!res.destroyed) res.end('</deviceUserResults></response>')
}

/** Starts the CUCM EMAPI simulator on HTTPS; see ../../../../shared/emapi/PROTOCOL.md. */
export async function startSimulator (options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1'
  const credentials: EmapiCredentials = {
    appUser: options.appUser ?? DEFAULT_APP_USER,
    appPassword: options.appPassword ?? DEFAULT_APP_PASSWORD
  }
  const initialScenario = options.scenario ?? seedScenario()
  const initialFaults: Faults = { ...DEFAULT_FAULTS, ...checkFaults(options.faults ?? {}) }
  const initialVariants: ResponseVariants = { ...DEFAULT_VARIANTS, ...checkVariants(options.variants ?? {}) }
  const initialPolicy: Policy = {
    multipleLogins: options.multipleLogins ?? 'not-allowed',
    maxConcurrent: options.maxConcurrent ?? 5,
    queriesThrottled: options.queriesThrottled ?? false,
    ...NO_LAG,
    ...checkPolicy({ statusCacheSeconds: options.statusCacheSeconds, logoutAllSeconds: options.logoutAllSeconds })
  }
  const state = new SimulatorState(initialScenario, { now: options.now, multipleLogins: initialPolicy.multipleLogins, lag: initialPolicy })
  const startedAt = state.now()
  /** Each phone's session now, by its name. */
  const sessionsNow = (): Map<string, { user: string | null, loginTime: number | null }> =>
    new Map(state.snapshot().devices.map((d) => [d.name, { user: d.currentUser, loginTime: d.loginTime }]))
  const atStart = sessionsNow()
  // Each phone's session as the last reset (or the start) left it.
  let loaded = atStart
  /**
   * The start scenario as a reset brings it back: a session still as the last reset left it is kept;
   * one ended or changed since begins again, as long ago as it was at the start (a new login has a
   * new time, in CUCM as here).
   */
  const loggedInAgain = (): Scenario => {
    const now = sessionsNow()
    return {
      ...initialScenario,
      devices: initialScenario.devices.map((d) => {
        const start = atStart.get(d.name)?.loginTime
        const last = loaded.get(d.name)
        if (start == null || last?.loginTime == null) return d
        const kept = now.get(d.name)?.user === last.user && now.get(d.name)?.loginTime === last.loginTime
        const moved = kept ? last.loginTime - start : state.now() - startedAt
        return { ...d, loginTime: start + moved, autoLogoutAt: d.autoLogoutAt == null ? d.autoLogoutAt : d.autoLogoutAt + moved }
      })
    }
  }
  const addAppUser = (): void => state.setAppUser({ id: credentials.appUser, password: credentials.appPassword, proxyRights: options.proxyRights ?? true })
  addAppUser()

  const random = createRandom(0x5eed)
  const sockets = new Set<Socket>()
  const { key, cert } = await createCertificate(host, options.expiredCertificate === true ? new Date(Date.now() - 2 * YEAR_MS) : undefined)

  const sim: Simulator = {
    origin: '',
    host,
    port: 0,
    caPem: cert,
    caFile: '',
    credentials,
    state,
    axl: createAxlSimulator(state, options.axl),
    faults: { ...initialFaults },
    variants: { ...initialVariants },
    maxConcurrent: initialPolicy.maxConcurrent,
    queriesThrottled: initialPolicy.queriesThrottled,
    setFaults (faults) {
      putFaults({ ...sim.faults, ...checkFaults(faults) })
    },
    setVariants (variants) {
      sim.variants = { ...sim.variants, ...checkVariants(variants) }
    },
    stats: { requests: 0, peakInFlight: 0, inFlight: 0, peakQueriesInFlight: 0, queriesInFlight: 0 },
    received: [],
    resetStats () {
      sim.stats.requests = 0
      sim.stats.peakInFlight = sim.stats.inFlight
      sim.stats.peakQueriesInFlight = sim.stats.queriesInFlight
      sim.received.length = 0
    },
    reset () {
      resets++
      state.load(loggedInAgain())
      loaded = sessionsNow()
      addAppUser()
      state.multipleLogins = initialPolicy.multipleLogins
      state.setLag(initialPolicy)
      sim.maxConcurrent = initialPolicy.maxConcurrent
      sim.queriesThrottled = initialPolicy.queriesThrottled
      putFaults({ ...initialFaults })
      sim.variants = { ...initialVariants }
      sim.resetStats()
      sim.axl.reset()
    },
    close: async () => {
      clearInterval(expiryTimer)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Hung requests and idle keep-alive sockets would keep close() waiting forever.
      for (const socket of sockets) socket.destroy()
      await closed
      if (options.caFile === undefined) await rm(sim.caFile, { force: true })
    }
  }

  const holds = new Holds()
  // Resets so far: a change waiting (its latency, a hold) when one comes is dropped, not carried
  // out on the start scenario it brought back (a test's leftovers in the next test's CUCM).
  let resets = 0
  function putFaults (faults: Faults): void {
    sim.faults = faults
    holds.changed()
  }

  /** Waits the latency, then for as long as answers of this kind are held. */
  async function latency (query: boolean): Promise<void> {
    const { latencyMs, jitterMs } = sim.faults
    const ms = latencyMs + (jitterMs > 0 ? Math.floor(random() * (jitterMs + 1)) : 0)
    if (ms > 0) await sleep(ms)
    await holds.whileHeld(() => sim.faults.hold === 'all' || sim.faults.hold === (query ? 'queries' : 'changes'))
  }

  function outcome (result: Outcome, kind: 'action' | 'query'): string {
    return result.ok ? renderSuccess(sim.variants) : renderFailure(result.code, sim.variants, kind)
  }

  function execute (doc: ParsedDocument): string {
    if (doc.kind === 'error') return renderFailure(doc.code, sim.variants, doc.query ? 'query' : 'action')
    const kind = doc.kind === 'login' || doc.kind === 'logout' || doc.kind === 'logoutAll' ? 'action' : 'query'
    const auth = state.authorize(doc.app.appId, doc.app.password)
    if (!auth.ok) return outcome(auth, kind)
    switch (doc.kind) {
      case 'login':
        return outcome(state.login({ deviceName: doc.deviceName, userId: doc.userId, deviceProfile: doc.deviceProfile, exclusiveMinutes: doc.exclusiveMinutes }), kind)
      case 'logout':
        return outcome(state.logout(doc.deviceName), kind)
      case 'logoutAll':
        return outcome(state.logoutAll(), kind)
      case 'deviceUserQuery':
        return results(state.deviceUserQuery(doc.deviceNames), 11, renderDeviceUserResults)
      case 'userDevicesQuery':
        return results(state.userDevicesQuery(doc.userIds), 23, renderUserDevicesResults)
      case 'deviceProfileQuery':
        return results(state.deviceProfileQuery(doc.userIds), 23, renderDeviceProfileResults)
    }
  }

  /** A look-up's answer; refused whole with `unknownCode` when it names one CUCM does not know and the variant says so (unknownAs). */
  function results<T extends { exists: boolean }> (found: T[], unknownCode: number, render: (found: T[], variants: ResponseVariants) => string): string {
    if (sim.variants.unknownAs === 'failure' && found.some((r) => !r.exists)) return renderFailure(unknownCode, sim.variants, 'query')
    return render(found, sim.variants)
  }

  /** Answers `doc` after the latency, counted among those of its kind in flight meanwhile. */
  async function inFlight (doc: ParsedDocument, count: 'inFlight' | 'queriesInFlight', peak: 'peakInFlight' | 'peakQueriesInFlight'): Promise<string> {
    sim.stats[count]++
    sim.stats[peak] = Math.max(sim.stats[peak], sim.stats[count])
    const resetsBefore = resets
    try {
      await latency(count === 'queriesInFlight')
      if (count === 'inFlight' && resets !== resetsBefore) throw new Dropped()
      return execute(doc)
    } finally {
      sim.stats[count]--
    }
  }

  async function answer (doc: ParsedDocument): Promise<string> {
    const change = doc.kind === 'login' || doc.kind === 'logout' || doc.kind === 'logoutAll'
    const kind = change ? 'action' : 'query'
    if (!change && !sim.queriesThrottled) return await inFlight(doc, 'queriesInFlight', 'peakQueriesInFlight')
    if (sim.faults.busyBurst > 0) {
      sim.faults = { ...sim.faults, busyBurst: sim.faults.busyBurst - 1 }
      return renderFailure(26, sim.variants, kind)
    }
    // Past the cap CUCM refuses at once rather than queueing (PROTOCOL.md §5).
    const busy = sim.stats.inFlight + (sim.queriesThrottled ? sim.stats.queriesInFlight : 0)
    if (busy >= sim.maxConcurrent) return renderFailure(26, sim.variants, kind)
    return change ? await inFlight(doc, 'inFlight', 'peakInFlight') : await inFlight(doc, 'queriesInFlight', 'peakQueriesInFlight')
  }

  async function servlet (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let xml: string | null
    if (req.method === 'GET') {
      xml = url.searchParams.get('xml')
    } else if (req.method === 'POST') {
      const body = await readBody(req)
      if (body === null) {
        res.writeHead(413).end()
        return
      }
      xml = new URLSearchParams(body).get('xml')
    } else {
      res.writeHead(405, { allow: 'GET, POST' }).end()
      return
    }
    sim.stats.requests++
    sim.received.push(xml ?? '')
    if (sim.received.length > RECEIVED_LIMIT) sim.received.splice(0, sim.received.length - RECEIVED_LIMIT)

    const doc: ParsedDocument = xml === null ? { kind: 'error', code: 1, query: false } : parseDocument(xml)
    const query = doc.kind === 'error' ? doc.query : doc.kind.endsWith('Query')
    const mode = sim.faults.faultOn === 'queries' && !query ? 'none' : sim.faults.mode
    if (mode !== 'none' && sim.faults.faultTimes > 0) {
      sim.faults = { ...sim.faults, faultTimes: sim.faults.faultTimes - 1, ...(sim.faults.faultTimes === 1 ? { mode: 'none' } : {}) }
    }
    switch (mode) {
      case 'hang':
        return
      case 'reset':
        req.socket.destroy()
        return
      case 'reset-after':
        await answer(doc)
        req.socket.destroy()
        return
      case 'http-503':
        await latency(query)
        res.writeHead(503, { 'content-type': 'text/html;charset=utf-8' }).end(TOMCAT_503)
        return
      case 'http-504':
        // A proxy in front of CUCM that gave up waiting: CUCM carried the request out all the same.
        await answer(doc)
        res.writeHead(504, { 'content-type': 'text/html' }).end(GATEWAY_TIMEOUT)
        return
      case 'malformed':
        await latency(query)
        res.writeHead(200, { 'content-type': sim.variants.contentType }).end('<?xml version="1.0"?>\n<response>\n<success>\n</respons')
        return
      case 'failure':
        await latency(query)
        res.writeHead(200, { 'content-type': sim.variants.contentType }).end(answerBytes(renderFailure(sim.faults.failureCode ?? 0, sim.variants, query ? 'query' : 'action'), sim.variants))
        return
      case 'empty':
        await latency(query)
        res.writeHead(200, { 'content-type': sim.variants.contentType }).end()
        return
      case 'huge':
      case 'endless':
      case 'trickle':
        await streamAnswer(res, sim.variants.contentType, mode === 'huge' ? sim.faults.answerBytes ?? 10_000_000 : Infinity, mode === 'trickle' ? 100 : 0)
        return
    }
    const body = await answer(doc)
    res.writeHead(200, { 'content-type': sim.variants.contentType }).end(answerBytes(sim.variants.leadingWhitespace ? `\r\n  ${body}` : body, sim.variants))
  }

  function policyNow (): Policy {
    return { multipleLogins: state.multipleLogins, maxConcurrent: sim.maxConcurrent, queriesThrottled: sim.queriesThrottled, ...state.lag }
  }

  async function admin (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const snapshot = (): unknown => ({
      counts: state.counts(),
      stats: { ...sim.stats, received: sim.received.length },
      faults: sim.faults,
      variants: sim.variants,
      policy: policyNow()
    })
    await answerControl(req, res, `${req.method ?? ''} ${path.slice(ADMIN_PREFIX.length)}`, {
      'GET state': snapshot,
      'PUT faults': async (readJson) => { sim.setFaults(checkFaults(await readJson())); return sim.faults },
      'PUT variants': async (readJson) => { sim.setVariants(checkVariants(await readJson())); return sim.variants },
      'PUT policy': async (readJson) => {
        const policy = checkPolicy(await readJson())
        if (policy.multipleLogins !== undefined) state.multipleLogins = policy.multipleLogins
        if (policy.maxConcurrent !== undefined) sim.maxConcurrent = policy.maxConcurrent
        if (policy.queriesThrottled !== undefined) sim.queriesThrottled = policy.queriesThrottled
        state.setLag(policy)
        return policyNow()
      },
      'POST reset': () => { sim.reset(); return snapshot() }
    })
  }

  async function route (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://simulator')
    if (url.pathname === SERVLET_PATH) return await servlet(req, res, url)
    if (url.pathname === AXL_PATH) return await sim.axl.handle(req, res)
    if (url.pathname.startsWith(AXL_ADMIN_PREFIX)) return await sim.axl.admin(req, res, url.pathname)
    if (url.pathname.startsWith(ADMIN_PREFIX)) return await admin(req, res, url.pathname)
    res.writeHead(404, { 'content-type': 'text/html;charset=utf-8' }).end('<html><body><h1>HTTP Status 404 – Not Found</h1></body></html>')
  }

  const server: Server = createServer({ key, cert }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof Dropped) {
        req.socket.destroy()
        return
      }
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // A client that gives up during a TLS handshake must not crash the simulator.
  server.on('tlsClientError', () => {})

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  sim.port = typeof address === 'object' && address !== null ? address.port : 0
  const urlHost = host.includes(':') ? `[${host}]` : host
  sim.origin = `https://${urlHost === '0.0.0.0' || urlHost === '[::]' ? '127.0.0.1' : urlHost}:${sim.port}`
  sim.caFile = options.caFile ?? join(tmpdir(), `em-console-simulator-ca-${process.pid}-${sim.port}.pem`)
  await writeFile(sim.caFile, cert)

  const expiryTimer = setInterval(() => state.expireDue(), options.expiryCheckMs ?? 1000)
  expiryTimer.unref()
  return sim
}
