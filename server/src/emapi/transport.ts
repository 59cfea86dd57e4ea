import { EmapiError, maskPassword, pageTitle, toFormBody } from '@em-console/shared/emapi'
import type { Dispatcher } from 'undici'
import { GATEWAY_STATUSES, redirectTarget, TRANSPORT_ACTION } from './actions.js'
import { AdvisedEmapiError, tlsProblem, TlsError, withTrustedCaDates } from './tls-errors.js'
import { request } from './undici.js'
import { xmlText } from './xml-text.js'

const EMAPI_PATH = '/emservice/EMServiceServlet'

export interface Exchange {
  httpStatus: number
  body: string
}

/** What bounds one exchange: its whole duration, body included, and the size of the answer. */
export interface ExchangeLimits {
  timeoutMs: number
  maxResponseBytes: number
  /** The CA certificate trusted for CUCM, as given (none: the system's): its dates explain a refusal for dates. */
  trusted?: string
}

/** 4 MiB: a 50-device look-up answers about 10 KB; nothing EMAPI sends comes near. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** Failures to connect at all: no byte of the request reached CUCM. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL'])

function describeTransportError (error: unknown, origin: string, timeoutMs: number): EmapiError {
  const tls = tlsProblem(error)
  if (tls !== undefined) return tls
  const err = error as NodeJS.ErrnoException
  if (err.code === 'UND_ERR_CONNECT_TIMEOUT') {
    const timedOut = new EmapiError('EMAPI_TIMEOUT', `Could not connect to CUCM at ${origin} within ${Math.floor(timeoutMs / 2)} ms (half of CUCM_TIMEOUT_MS): nothing was sent.`, { cause: error })
    timedOut.requestSent = false
    return timedOut
  }
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || TIMEOUT_CODES.has(err.code ?? '')) {
    return new EmapiError('EMAPI_TIMEOUT', `CUCM at ${origin} did not answer within ${timeoutMs} ms (CUCM_TIMEOUT_MS).`, { cause: error })
  }
  const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.name
  // Dropped before TLS was up (Node says so), no request was sent either.
  if (NOT_CONNECTED_CODES.has(code) || /before secure TLS connection was established/.test(err.message)) {
    const unreachable = new AdvisedEmapiError('EMAPI_UNREACHABLE', `Cannot reach CUCM at ${origin} (${code}).`, TRANSPORT_ACTION.EMAPI_UNREACHABLE, err)
    unreachable.requestSent = false
    return unreachable
  }
  // Connected, then dropped (a reset, the other side closing): the request may have reached
  // CUCM, and a change in it may have been carried out (PROTOCOL.md §1: no answer is no outcome).
  return new EmapiError('EMAPI_UNREACHABLE', `CUCM at ${origin} closed the connection without answering (${code}).`, { cause: error })
}

/** The <title> of an HTML error page (Tomcat answers with one when the service is down), cut to a readable length. */
function titleOf (body: string): string {
  const title = pageTitle(body)
  return title === '' ? '' : `: ${title}`
}

function tooLarge (maxBytes: number, received: string): EmapiError {
  return new EmapiError('EMAPI_TOO_LARGE', `CUCM's answer is larger than ${maxBytes} bytes (EMAPI_MAX_RESPONSE_BYTES): the transfer was stopped.`, { responseBody: received })
}

/**
 * Reads the body as it arrives and stops past `maxBytes`: a huge answer is never held whole
 * (a 100 MB one once cost gigabytes and a minute of parsing). Leaving the loop early destroys
 * the body, so undici closes that connection instead of reusing it.
 */
async function readCapped (body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<{ text: string, complete: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size))
      return { text: xmlText(Buffer.concat(chunks)), complete: false }
    }
    chunks.push(chunk)
    size += chunk.length
  }
  return { text: xmlText(Buffer.concat(chunks, size)), complete: true }
}

/**
 * Sends one EMAPI document and reads the whole answer, within the time limit from connecting to
 * the last byte, and within the size cap. Every error that leaves here is an EmapiError carrying
 * the masked request, so the audit trail can record it. `stop`: the caller's own end of it (a
 * health probe no one will read, its cluster being closed), said as its reason.
 */
export async function exchange (dispatcher: Dispatcher, origin: string, limits: ExchangeLimits, xml: string, stop?: AbortSignal): Promise<Exchange> {
  const { timeoutMs, maxResponseBytes } = limits
  const form = toFormBody(xml)
  // A timer cleared when the exchange ends, not AbortSignal.timeout(): that one keeps its timer
  // (and the signal) alive for the whole timeout, so under load every request's leftovers pile
  // up in the old generation for CUCM_TIMEOUT_MS.
  const controller = new AbortController()
  const { signal } = controller
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
  const stopped = (): void => { controller.abort(stop?.reason) }
  stop?.addEventListener('abort', stopped, { once: true })
  if (stop?.aborted === true) stopped()
  try {
    const response = await request(dispatcher, {
      origin,
      path: EMAPI_PATH,
      method: 'POST',
      headers: {
        // As documented (PROTOCOL.md §1), with no charset: the form type defines no parameters,
        // and its percent-encoded bytes are UTF-8 (toFormBody).
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(form)),
        accept: 'text/xml, application/xml'
      },
      body: form,
      signal
    })
    // The body is read to the end (within the cap), so the pooled connection can be reused.
    const { text: body, complete } = await readCapped(response.body, maxResponseBytes)
    if (!complete) throw withExchange(tooLarge(maxResponseBytes, body), xml, response.statusCode)
    if (response.statusCode !== 200) {
      const location = redirectTarget(response.statusCode, response.headers.location)
      if (location !== undefined) {
        // Not followed: the document carries the application user's password, and goes to CUCM_HOST only.
        throw withExchange(new EmapiError('EMAPI_HTTP_STATUS', `CUCM answered HTTP ${response.statusCode}, a redirect to ${location}, which EM Console does not follow: the request carries the application user's password.`, { responseBody: body }), xml, response.statusCode)
      }
      const why = GATEWAY_STATUSES.has(response.statusCode) ? 'A proxy or load balancer in front of CUCM got no usable answer from it.' : 'The Extension Mobility service may be stopped or the URL wrong.'
      throw withExchange(new EmapiError('EMAPI_HTTP_STATUS', `CUCM answered HTTP ${response.statusCode}${titleOf(body)}. ${why}`, { responseBody: body }), xml, response.statusCode)
    }
    return { httpStatus: response.statusCode, body }
  } catch (error) {
    if (error instanceof EmapiError) throw error
    // A connection that timed out says so even when the whole-request timer has fired since.
    const cause = signal.aborted && (error as { code?: unknown }).code !== 'UND_ERR_CONNECT_TIMEOUT' ? signal.reason : error
    const described = describeTransportError(cause, origin, timeoutMs)
    throw withExchange(described instanceof TlsError ? withTrustedCaDates(described, limits.trusted) : described, xml)
  } finally {
    clearTimeout(timer)
    stop?.removeEventListener('abort', stopped)
  }
}

export function withExchange<E extends EmapiError> (error: E, xml: string, httpStatus?: number): E {
  error.requestXml = maskPassword(xml)
  error.httpStatus ??= httpStatus
  return error
}
