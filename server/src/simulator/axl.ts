/**
 * The simulator's AXL side: `POST /axl/` answers executeSQLQuery from the same SimulatorState
 * the EMAPI side changes (../../../../shared/axl/PROTOCOL.md), with Basic auth, version checks
 * (599), and faults on demand under /__simulator/axl/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { isAxlVersion } from '@em-console/shared/axl'
import { escapeXml } from '@em-console/shared/emapi'
import { buildAxlTables } from './axl-tables.js'
import { BadInput, Holds, answerControl, counts, flags, oneOf, readBody, settings } from './control.js'
import { SqlError, evaluate, parseStatement, slice, type Database, type ResultSet, type Statement } from './axl-sql.js'
import type { SimulatorState } from './state.js'

export const AXL_PATH = '/axl/'
export const AXL_ADMIN_PREFIX = '/__simulator/axl/'
export const DEFAULT_AXL_USER = 'axl-reader'
export const DEFAULT_AXL_PASSWORD = 'Axl-Demo-Passw0rd!'
/** What a 14.0 publisher accepts: its own schema and the older ones (PROTOCOL.md §1). */
const DEFAULT_AXL_VERSIONS: readonly string[] = ['14.0', '12.5', '12.0', '11.5', '11.0', '10.5']

export type AxlFaultMode = 'none' | 'unauthorized' | 'forbidden' | 'malformed'

export interface AxlFaults {
  /** unauthorized: 401 whatever the credentials; forbidden: 403 (no AXL role); malformed: a broken answer. */
  mode: AxlFaultMode
  /** The next N requests are refused as throttled, the way `throttleAs` says. */
  throttle: number
  /**
   * How: HTTP 503, or the fault of a publisher whose AXL memory is used up by reads at once,
   * "Maximum AXL Memory Allocation Consumed" (HTTP 500, PROTOCOL.md §2).
   */
  throttleAs: '503' | 'memory'
  latencyMs: number
  /** Answers, once their latency is over, wait until this is set false again (or the simulator is reset). */
  hold: boolean
  /** Answers of more rows get the "Query request too large" fault; 0 for no limit. */
  maxRows: number
  /** That many executeSQLQuery answers pass before maxRows applies: a fault part-way through paging. */
  maxRowsGrace: number
  /**
   * How an answer over maxRows is refused: the "too large" fault, a connection dropped mid-answer
   * (some 12.5 nodes, PROTOCOL.md §2), or one dropped before any answer at all (`reset`).
   */
  overMaxRows: 'fault' | 'drop' | 'reset'
  /**
   * After that many more pages of EM logins (statements on extensionmobilitydynamic with SKIP above
   * 0), the first user logged in (in device name order) logs out, as someone at a phone would while
   * the sessions are paged: every later one moves up a place in the next page (PROTOCOL.md §2, §3).
   * 0: never.
   */
  logoutAfterPages: number
  /**
   * What a request whose session cookie names no live session (ended by 30 idle minutes or a
   * restart) gets; PROTOCOL.md §1 does not say: signed in by its credentials, as Tomcat does
   * (`sign-in`), or refused with 401 (`refuse`).
   */
  staleCookie: 'sign-in' | 'refuse'
  /** The wording of the too-large fault: "Suggestive Row Fetch" (the guide's) or "Suggested row fetch" (PROTOCOL.md §2). */
  tooLargeWording: 'suggestive' | 'suggested'
  /** What `loginduration` holds for a login without a maximum: not known (PROTOCOL.md §3), 0 or NULL. */
  noMaximumAs: 'zero' | 'null'
  /**
   * Columns this release does not have (the schema is not a contract, PROTOCOL.md §2): a statement
   * naming one fails as Informix says, "Column (x) not found in any table in the query".
   */
  missingColumns: string[]
}

export interface AxlSimulatorOptions {
  user?: string
  password?: string
  /** The versions accepted; any other gets HTTP 599. */
  versions?: readonly string[]
  faults?: Partial<AxlFaults>
}

export interface AxlReceived {
  soapAction: string
  sql: string | null
  status: number
  /** How the request was signed in: by its credentials, or by the session cookie an earlier answer set. */
  signedInBy?: 'password' | 'session'
}

export interface AxlSimulator {
  credentials: { user: string, password: string }
  faults: Readonly<AxlFaults>
  versions: readonly string[]
  setFaults: (faults: Partial<AxlFaults>) => void
  setVersions: (versions: readonly string[]) => void
  /** The last RECEIVED_LIMIT requests, oldest first. */
  received: AxlReceived[]
  /** Requests being answered now, and the most at once since the last reset. */
  stats: { inFlight: number, peakInFlight: number }
  /** Ends every session, as 30 idle minutes or a restart of CUCM would: the next request signs in again. */
  endSessions: () => void
  /** Restores the start faults and versions and forgets what was received and every session. */
  reset: () => void
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>
  admin: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>
}

const RECEIVED_LIMIT = 200
/** CUCM's session cookie (PROTOCOL.md §1) and how long an idle session lasts. */
const SESSION_COOKIE = 'JSESSIONIDSSO'
const SESSION_IDLE_MS = 30 * 60_000
const DEFAULT_FAULTS: AxlFaults = { mode: 'none', throttle: 0, throttleAs: '503', latencyMs: 0, hold: false, maxRows: 0, maxRowsGrace: 0, overMaxRows: 'fault', logoutAfterPages: 0, staleCookie: 'sign-in', tooLargeWording: 'suggestive', noMaximumAs: 'zero', missingColumns: [] }
const FAULT_MODES: readonly AxlFaultMode[] = ['none', 'unauthorized', 'forbidden', 'malformed']
const OVER_MAX_ROWS: ReadonlyArray<AxlFaults['overMaxRows']> = ['fault', 'drop', 'reset']
const STALE_COOKIE: ReadonlyArray<AxlFaults['staleCookie']> = ['sign-in', 'refuse']
const THROTTLE_AS: ReadonlyArray<AxlFaults['throttleAs']> = ['503', 'memory']
const XML_TYPE = 'text/xml; charset=utf-8'
const PROLOGUE = "<?xml version='1.0' encoding='UTF-8'?>"
const ENVELOPE_OPEN = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>'

function checkFaults (input: unknown): Partial<AxlFaults> {
  const faults = settings(input, 'faults')
  const out: Partial<AxlFaults> = { ...counts(faults, ['throttle', 'latencyMs', 'maxRows', 'maxRowsGrace', 'logoutAfterPages']), ...flags(faults, ['hold']) }
  const mode = oneOf(faults, 'mode', FAULT_MODES)
  if (mode !== undefined) out.mode = mode
  const overMaxRows = oneOf(faults, 'overMaxRows', OVER_MAX_ROWS)
  if (overMaxRows !== undefined) out.overMaxRows = overMaxRows
  const staleCookie = oneOf(faults, 'staleCookie', STALE_COOKIE)
  if (staleCookie !== undefined) out.staleCookie = staleCookie
  const throttleAs = oneOf(faults, 'throttleAs', THROTTLE_AS)
  if (throttleAs !== undefined) out.throttleAs = throttleAs
  const tooLargeWording = oneOf(faults, 'tooLargeWording', ['suggestive', 'suggested'] as const)
  if (tooLargeWording !== undefined) out.tooLargeWording = tooLargeWording
  const noMaximumAs = oneOf(faults, 'noMaximumAs', ['zero', 'null'] as const)
  if (noMaximumAs !== undefined) out.noMaximumAs = noMaximumAs
  const missing = faults.missingColumns
  if (missing !== undefined) {
    if (!Array.isArray(missing) || !missing.every((c) => typeof c === 'string' && /^[a-z_]{1,64}$/.test(c))) throw new BadInput('missingColumns must be an array of column names in lower case')
    out.missingColumns = [...missing] as string[]
  }
  return out
}

function checkVersions (input: unknown): string[] {
  if (!Array.isArray(input) || !input.every((v) => typeof v === 'string' && isAxlVersion(v))) {
    throw new BadInput('versions must be an array of versions like "14.0"')
  }
  return [...input] as string[]
}

function htmlPage (title: string): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`
}

/** A SOAP fault as CUCM shapes it (PROTOCOL.md §4). */
function renderAxlFault (message: string, axlCode: number, faultCode = 'soapenv:Server'): string {
  const text = escapeXml(message)
  return PROLOGUE + ENVELOPE_OPEN + `<soapenv:Fault><faultcode>${faultCode}</faultcode><faultstring>${text}</faultstring>` +
    `<detail><axlError><axlcode>${axlCode}</axlcode><axlmessage>${text}</axlmessage><request>executeSQLQuery</request></axlError></detail>` +
    '</soapenv:Fault>' + ENVELOPE_CLOSE
}

/** Rows by column name; NULL is an empty element (PROTOCOL.md §2). */
function renderAxlRows (result: ResultSet, version: string): string {
  const rows = result.rows.map((row) => '<row>' + result.columns.map((column, i) => {
    const value = row[i] ?? null
    return value === null ? `<${column}/>` : `<${column}>${escapeXml(String(value))}</${column}>`
  }).join('') + '</row>')
  const body = rows.length === 0 ? '<return/>' : `<return>${rows.join('')}</return>`
  return PROLOGUE + ENVELOPE_OPEN + `<ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/${version}">${body}</ns:executeSQLQueryResponse>` + ENVELOPE_CLOSE
}

/** The too-large fault, in the wording of the AXL developer guide or the other one seen. */
function tooLargeMessage (totalRows: number, suggestedRows: number, wording: AxlFaults['tooLargeWording']): string {
  const fetch = wording === 'suggestive' ? 'Suggestive Row Fetch' : 'Suggested row fetch'
  return `Query request too large. Total rows matched: ${totalRows} rows. ${fetch}: less than ${suggestedRows} rows`
}

// The SQL arrives exactly as sent: not trimmed, entities and CDATA decoded once.
const requestParser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false })

/** The SQL of an executeSQLQuery envelope, or a fault text for anything else. */
function sqlOf (xml: string): { sql: string } | { fault: string } {
  if (XMLValidator.validate(xml) !== true) return { fault: 'Unable to parse the request: it is not well-formed XML.' }
  const doc = requestParser.parse(xml) as Record<string, any>
  const body = doc?.Envelope?.Body
  if (typeof body !== 'object' || body === null) return { fault: 'The request is not a SOAP envelope with a Body.' }
  const operation = body.executeSQLQuery
  if (operation === undefined) return { fault: `The simulator answers executeSQLQuery only, not ${Object.keys(body).join(', ') || 'an empty Body'}.` }
  const sql: unknown = typeof operation === 'object' && operation !== null ? operation.sql : undefined
  if (typeof sql !== 'string' || sql.trim() === '') return { fault: 'executeSQLQuery needs a sql element.' }
  return { sql }
}

/** What a request is answered: status, body, headers, or a connection dropped. */
interface AxlReply {
  status: number
  body: string
  headers?: Record<string, string>
  drop?: 'mid-answer' | 'before-answer'
}

/** One cookie's value from a Cookie header. */
function cookieOf (header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=')
    if (key === name) return value.join('=')
  }
  return undefined
}

const SOAP_ACTION = /^"?CUCM:DB ver=(\d{1,2}\.\d)(?: (\w+))?"?$/
const NAMESPACE = /http:\/\/www\.cisco\.com\/AXL\/API\/(\d{1,2}\.\d)/g

export function createAxlSimulator (state: SimulatorState, options: AxlSimulatorOptions = {}): AxlSimulator {
  const initialFaults: AxlFaults = { ...DEFAULT_FAULTS, ...checkFaults(options.faults ?? {}) }
  const initialVersions = checkVersions(options.versions ?? DEFAULT_AXL_VERSIONS)
  const credentials = { user: options.user ?? DEFAULT_AXL_USER, password: options.password ?? DEFAULT_AXL_PASSWORD }
  const expected = 'Basic ' + Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')

  // Tables and full results are rebuilt only when a login or logout changed the state, so
  // paging a 20,000-row listing costs one evaluation, not one per page.
  let cached: { revision: number, schema: string, db: Database, results: Map<string, ResultSet> } | undefined
  function run (statement: Statement): ResultSet {
    // An auto-logout that fell due since the last request changes the answer like any logout.
    state.expireDue()
    const { noMaximumAs, missingColumns } = axl.faults
    const schema = JSON.stringify({ noMaximumAs, missingColumns })
    if (cached?.revision !== state.revision || cached.schema !== schema) {
      const db = buildAxlTables(state, { noMaximumAs, missingColumns })
      cached = { revision: state.revision, schema, db, results: new Map() }
    }
    const key = JSON.stringify({ ...statement, skip: 0, first: null })
    let result = cached.results.get(key)
    if (result === undefined) {
      result = evaluate(cached.db, statement)
      if (cached.results.size > 16) cached.results.clear()
      cached.results.set(key, result)
    }
    return slice(result, statement)
  }

  /** Open sessions: cookie value to when last used. */
  const sessions = new Map<string, number>()
  const holds = new Holds()

  const axl: AxlSimulator = {
    credentials,
    faults: { ...initialFaults },
    versions: [...initialVersions],
    setFaults (faults) {
      axl.faults = { ...axl.faults, ...checkFaults(faults) }
      holds.changed()
    },
    setVersions (versions) {
      axl.versions = checkVersions(versions)
    },
    received: [],
    stats: { inFlight: 0, peakInFlight: 0 },
    endSessions () {
      sessions.clear()
    },
    reset () {
      sessions.clear()
      axl.faults = { ...initialFaults }
      holds.changed()
      axl.versions = [...initialVersions]
      axl.received.length = 0
      axl.stats.peakInFlight = axl.stats.inFlight
    },
    handle,
    admin
  }

  /** The first user logged in, in device name order, logs out (the `logoutAfterPages` fault). */
  function logOutFirst (): void {
    const first = state.snapshot().devices.filter((d) => d.currentUser !== null).map((d) => d.name).sort()[0]
    if (first !== undefined) state.logout(first)
  }

  /**
   * Signs a request in as CUCM's Tomcat does: a live session cookie first, else the Basic
   * credentials, which open a session whose cookie the answer sets (a stale cookie: see staleCookie).
   */
  function signIn (req: IncomingMessage, record: AxlReceived): { setCookie?: string } | undefined {
    if (axl.faults.mode === 'unauthorized') return undefined
    const now = Date.now()
    const cookie = cookieOf(req.headers.cookie, SESSION_COOKIE)
    const lastUsed = cookie === undefined ? undefined : sessions.get(cookie)
    if (cookie !== undefined && lastUsed !== undefined && now - lastUsed < SESSION_IDLE_MS) {
      sessions.set(cookie, now)
      record.signedInBy = 'session'
      return {}
    }
    if (cookie !== undefined && axl.faults.staleCookie === 'refuse') return undefined
    if (req.headers.authorization !== expected) return undefined
    // Sessions of clients that never send their cookie back go once idle, as CUCM's do.
    if (sessions.size >= 1000) for (const [id, used] of sessions) if (now - used >= SESSION_IDLE_MS) sessions.delete(id)
    const id = randomBytes(16).toString('hex').toUpperCase()
    sessions.set(id, now)
    record.signedInBy = 'password'
    return { setCookie: `${SESSION_COOKIE}=${id}; Path=/; Secure; HttpOnly` }
  }

  /** Checks and answers one request; returns the status and body to send. */
  function answer (req: IncomingMessage, xml: string, record: AxlReceived): AxlReply {
    const faults = axl.faults
    if (faults.throttle > 0) {
      axl.faults = { ...faults, throttle: faults.throttle - 1 }
      if (faults.throttleAs === 'memory') return { status: 500, body: renderAxlFault('Maximum AXL Memory Allocation Consumed', -1) }
      return { status: 503, body: htmlPage('HTTP Status 503 – Service Unavailable') }
    }
    const signedIn = signIn(req, record)
    if (signedIn === undefined) {
      return { status: 401, body: htmlPage('HTTP Status 401 – Unauthorized'), headers: { 'www-authenticate': 'Basic realm="Cisco Unified Communications Manager"' } }
    }
    const answered = answerSignedIn(xml, record)
    return signedIn.setCookie === undefined ? answered : { ...answered, headers: { ...answered.headers, 'set-cookie': signedIn.setCookie } }
  }

  function answerSignedIn (xml: string, record: AxlReceived): AxlReply {
    const faults = axl.faults
    if (faults.mode === 'forbidden') return { status: 403, body: htmlPage('HTTP Status 403 – Forbidden') }

    const action = SOAP_ACTION.exec(record.soapAction)
    const namespaces = new Set([...xml.matchAll(NAMESPACE)].map((m) => m[1]))
    const [namespace, ...others] = namespaces
    if (action === null || namespace === undefined || others.length > 0) {
      return { status: 500, body: renderAxlFault('The request needs a SOAPAction "CUCM:DB ver=<version> <operation>" and one AXL namespace http://www.cisco.com/AXL/API/<version>.', -1, 'soapenv:Client') }
    }
    const version = action[1] as string
    if (!axl.versions.includes(version) || !axl.versions.includes(namespace)) return { status: 599, body: '' }
    if (namespace !== version) {
      return { status: 500, body: renderAxlFault(`The SOAPAction names version ${version} but the namespace names ${namespace}: they must agree.`, -1, 'soapenv:Client') }
    }

    const parsed = sqlOf(xml)
    if ('fault' in parsed) return { status: 500, body: renderAxlFault(parsed.fault, -1, 'soapenv:Client') }
    record.sql = parsed.sql
    let result: ResultSet
    let statement: Statement
    try {
      statement = parseStatement(parsed.sql)
      result = run(statement)
    } catch (error) {
      if (error instanceof SqlError) return { status: 500, body: renderAxlFault(error.message, error.code, 'soapenv:Client') }
      throw error
    }
    if (axl.faults.maxRowsGrace > 0) {
      axl.faults = { ...axl.faults, maxRowsGrace: axl.faults.maxRowsGrace - 1 }
    } else if (axl.faults.maxRows > 0 && result.rows.length > axl.faults.maxRows) {
      if (axl.faults.overMaxRows === 'drop') return { status: 200, body: renderAxlRows(result, version), drop: 'mid-answer' }
      if (axl.faults.overMaxRows === 'reset') return { status: 200, body: '', drop: 'before-answer' }
      return { status: 500, body: renderAxlFault(tooLargeMessage(result.rows.length, axl.faults.maxRows, axl.faults.tooLargeWording), -1) }
    }
    const body = renderAxlRows(result, version)
    if (axl.faults.logoutAfterPages > 0 && statement.skip > 0 && statement.tables.some((t) => t.table === 'extensionmobilitydynamic')) {
      axl.faults = { ...axl.faults, logoutAfterPages: axl.faults.logoutAfterPages - 1 }
      if (axl.faults.logoutAfterPages === 0) logOutFirst()
    }
    // The answer breaks off mid-row, as a dropped connection or a broken proxy would leave it.
    if (faults.mode === 'malformed') return { status: 200, body: body.slice(0, Math.max(40, Math.floor(body.length / 2))) }
    return { status: 200, body }
  }

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET') {
      // With good credentials CUCM answers a page naming the service: a credentials check (PROTOCOL.md §1).
      const ok = req.headers.authorization === expected && axl.faults.mode === 'none'
      res.writeHead(ok ? 200 : 401, { 'content-type': 'text/html; charset=utf-8' }).end(htmlPage(ok ? 'Cisco CallManager: AXL Web Service' : 'HTTP Status 401 – Unauthorized'))
      return
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end()
      return
    }
    const xml = await readBody(req)
    if (xml === null) {
      res.writeHead(413).end()
      return
    }
    const record: AxlReceived = { soapAction: String(req.headers.soapaction ?? ''), sql: null, status: 0 }
    axl.received.push(record)
    if (axl.received.length > RECEIVED_LIMIT) axl.received.splice(0, axl.received.length - RECEIVED_LIMIT)
    axl.stats.inFlight++
    axl.stats.peakInFlight = Math.max(axl.stats.peakInFlight, axl.stats.inFlight)
    try {
      if (axl.faults.latencyMs > 0) await sleep(axl.faults.latencyMs)
      await holds.whileHeld(() => axl.faults.hold)
    } finally {
      axl.stats.inFlight--
    }
    const { status, body, headers, drop } = answer(req, xml, record)
    record.status = status
    if (drop === 'before-answer') {
      // Not a byte of an answer: the connection is gone.
      res.socket?.destroy()
      return
    }
    res.writeHead(status, { 'content-type': status === 200 || status === 500 ? XML_TYPE : 'text/html; charset=utf-8', ...headers })
    if (drop === 'mid-answer') {
      // The first part of the answer, then the connection is gone.
      res.write(body.slice(0, Math.floor(body.length / 2)), () => { res.destroy() })
      return
    }
    res.end(body)
  }

  async function admin (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const snapshot = (): unknown => ({ user: credentials.user, faults: axl.faults, versions: axl.versions, received: axl.received.length })
    await answerControl(req, res, `${req.method ?? ''} ${path.slice(AXL_ADMIN_PREFIX.length)}`, {
      'GET state': snapshot,
      'PUT faults': async (readJson) => { axl.setFaults(checkFaults(await readJson())); return axl.faults },
      'PUT versions': async (readJson) => { axl.setVersions(checkVersions(await readJson())); return axl.versions },
      'POST sessions/end': () => { axl.endSessions(); return snapshot() },
      'POST reset': () => { axl.reset(); return snapshot() }
    })
  }

  return axl
}
