import { setTimeout as sleep } from 'node:timers/promises'
import { pageTitle, secretRedactor } from '@em-console/shared/emapi'
import {
  AXL_VERSIONS, AxlError, axlSoapAction, buildExecuteSqlQuery, faultError, parseFault, parseSqlQueryResponse, type AxlFault, type AxlRow
} from '@em-console/shared/axl'
import type { Dispatcher } from 'undici'
import { Limiter } from '../services/limiter.js'
import type { SqlQuery } from './queries.js'
import { AXL_PATH, SESSION_COOKIE, exchange, type AxlAnswer } from './transport.js'

export interface AxlContextOptions {
  dispatcher: Dispatcher
  origin: string
  /** The whole Authorization header; kept here only, never put in an error or a log. */
  authorization: string
  /** Masks the credentials in a refusal CUCM answered (a fault or a page that echoes the request): secretRedactor. */
  redact: (text: string) => string
  version: string
  timeoutMs: number
  maxResponseBytes: number
  /** Waits before each retry of an HTTP 503; its length is the number of retries. */
  retryDelaysMs: readonly number[]
  /** The CA certificate trusted for CUCM, as given (none: the system's): its dates explain a refusal for dates. */
  trusted?: string
}

export interface AxlContext {
  /** The version in use: the configured one, or the one that answered after an HTTP 599. */
  readonly version: string
  /** `signal`: the caller's stop, which cuts the request (or the wait before a retry) short. */
  executeSqlQuery: (query: SqlQuery, signal?: AbortSignal) => Promise<AxlRow[]>
}

/** The <title> of an HTML error page, cut to a readable length. */
function titleOf (body: string): string {
  const title = pageTitle(body)
  return title === '' ? '' : ` (${title})`
}

/**
 * What an HTTP status other than 599 and 503 means (PROTOCOL.md §1, §4). A refusal is read with
 * `redact` (the credentials masked): a fault or a page may echo what was sent, in any encoding.
 */
function interpret (answer: AxlAnswer, columns: readonly string[], origin: string, redact: (text: string) => string): AxlRow[] {
  const { status } = answer
  // A fault's words are masked once parsed too: character references are decoded by then.
  const refused = (fault: AxlFault): AxlError => faultError({ ...fault, faultString: redact(fault.faultString), axlMessage: redact(fault.axlMessage) }, status)
  if (status === 200) {
    try {
      return parseSqlQueryResponse(answer.body, columns)
    } catch (error) {
      // A fault in a 200 answer: not documented, read as one all the same.
      if (error instanceof AxlError && error.fault !== undefined) throw refused(error.fault)
      throw error
    }
  }
  const body = redact(answer.body)
  const httpStatus = { httpStatus: status }
  if (status === 401) throw new AxlError('AXL_AUTH', 'CUCM refused the AXL user ID or password (HTTP 401).', httpStatus)
  if (status === 403) throw new AxlError('AXL_FORBIDDEN', 'CUCM accepted the AXL user but it has no AXL role (HTTP 403).', httpStatus)
  const fault = parseFault(body)
  if (fault !== undefined) throw refused(fault)
  // Not followed, as EMAPI's are not: the request carries the AXL user's password.
  if (answer.redirect !== undefined) throw new AxlError('AXL_BAD_XML', `CUCM answered HTTP ${status}, a redirect to ${redact(answer.redirect)}, which EM Console does not follow: the request carries the AXL user's password.`, httpStatus)
  if (status === 404 || status === 502 || status === 504) {
    throw new AxlError('AXL_UNREACHABLE', `There is no AXL service at ${origin}${AXL_PATH} (HTTP ${status}${titleOf(body)}).`, httpStatus)
  }
  throw new AxlError('AXL_BAD_XML', `CUCM answered HTTP ${status}${titleOf(body)} without a SOAP fault.`, httpStatus)
}

/**
 * The fault of a publisher whose AXL memory is used up by reads at once, ours or other tools'
 * (PROTOCOL.md §2): it passes, as a 503 does.
 */
const MEMORY_USED_UP = /Maximum AXL Memory Allocation Consumed/i

/** CUCM ends a session after 30 idle minutes (PROTOCOL.md §1): a cookie idle that long is not sent. */
export const SESSION_IDLE_MS = 30 * 60_000

/**
 * Sends executeSQLQuery one at a time, with version fallback on 599 and backoff on 503 (or AXL
 * memory used up). CUCM's session cookie is sent back with the credentials, so it signs the user
 * in once, not on every page (PROTOCOL.md §1); once the session has expired it signs in again by
 * the credentials, which go with every request. What CUCM answers a cookie of an ended session
 * is not documented: a 401 to a request that carried one is asked again by the credentials
 * alone, once. The cookie is a secret like them.
 */
export function createAxlContext (options: AxlContextOptions): AxlContext {
  const { dispatcher, origin, timeoutMs, maxResponseBytes, retryDelaysMs, trusted } = options
  // One AXL request at a time per client: CUCM refuses concurrent large reads (PROTOCOL.md §2).
  const limiter = new Limiter(1)
  let current = options.version
  // usedAt: when the last request that carried the cookie went out (CUCM's idle time starts no earlier).
  let session: { cookie: string, redact: (text: string) => string, usedAt: number } | undefined
  // The cookie the last request carried: its answer may echo it even when it ended the session.
  let sentWith: typeof session
  const redact = (text: string): string => options.redact(sentWith?.redact(text) ?? text)

  function keep (answer: AxlAnswer, sentAt: number): void {
    // A refused sign-in ends the session too: the next request is signed in by the credentials alone.
    if (answer.status === 401 || answer.session === null) session = undefined
    else if (answer.session !== undefined) session = { cookie: answer.session, redact: secretRedactor([answer.session]), usedAt: sentAt }
    else if (session !== undefined) session.usedAt = sentAt
  }

  async function send (sql: string, version: string, signal: AbortSignal | undefined): Promise<AxlAnswer> {
    const body = buildExecuteSqlQuery(sql, version)
    for (let retry = 0; ;) {
      const sentAt = Date.now()
      if (session !== undefined && sentAt - session.usedAt >= SESSION_IDLE_MS) session = undefined
      sentWith = session
      const answer = await exchange(dispatcher, {
        origin,
        timeoutMs,
        maxResponseBytes,
        body,
        signal,
        trusted,
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          accept: 'text/xml',
          soapaction: axlSoapAction(version),
          authorization: options.authorization,
          ...(session === undefined ? {} : { cookie: `${SESSION_COOKIE}=${session.cookie}` })
        }
      })
      keep(answer, sentAt)
      // Refused with the cookie of a session CUCM ended: once more with the credentials alone (keep() dropped it).
      if (answer.status === 401 && sentWith !== undefined) continue
      const busy = answer.status === 503 ? 'HTTP 503' : answer.status === 500 && MEMORY_USED_UP.test(answer.body) ? '"Maximum AXL Memory Allocation Consumed"' : undefined
      if (busy === undefined) return answer
      const delay = retryDelaysMs[retry]
      if (delay === undefined) throw new AxlError('AXL_THROTTLED', `CUCM answered ${busy} to ${retry + 1} tries in a row.`, { httpStatus: answer.status })
      retry++
      await sleep(delay, undefined, { signal })
    }
  }

  async function execute (query: SqlQuery, signal: AbortSignal | undefined): Promise<AxlRow[]> {
    const candidates = [current, ...AXL_VERSIONS.filter((v) => v !== current)]
    const tried: string[] = []
    for (const version of candidates) {
      tried.push(version)
      const answer = await send(query.sql, version, signal)
      // 599: this release does not accept the version; public tools try another (PROTOCOL.md §1).
      if (answer.status === 599) continue
      current = version
      return interpret(answer, query.columns, origin, redact)
    }
    throw new AxlError('AXL_VERSION', `CUCM refused every AXL version EM Console knows with HTTP 599 (tried ${tried.join(', ')}).`, { httpStatus: 599, triedVersions: tried })
  }

  return {
    get version () {
      return current
    },
    executeSqlQuery: async (query, signal) => await limiter.run(async () => {
      try {
        return await execute(query, signal)
      } catch (error) {
        if (error instanceof AxlError) error.sql = query.sql
        throw error
      }
    })
  }
}
