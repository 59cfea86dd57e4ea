import { EmapiError, maskPassword, toFormBody } from '@em-console/shared/emapi'
import type { Dispatcher } from 'undici'
import { tlsProblem } from './tls-errors.js'
import { request } from './undici.js'

export const EMAPI_PATH = '/emservice/EMServiceServlet'

export interface Exchange {
  httpStatus: number
  body: string
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

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
  return new EmapiError('EMAPI_UNREACHABLE', `Cannot reach CUCM at ${origin} (${code}). Check CUCM_HOST, CUCM_PORT and that the Cisco Extension Mobility service is running.`, { cause: error })
}

/** The <title> of an HTML error page (Tomcat answers with one when the service is down). */
function pageTitle (body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim()
  return title === undefined || title === '' ? '' : `: ${title}`
}

/**
 * Sends one EMAPI document and reads the whole answer. Every error that leaves here is an
 * EmapiError carrying the masked request, so the audit trail can record it.
 */
export async function exchange (dispatcher: Dispatcher, origin: string, timeoutMs: number, xml: string): Promise<Exchange> {
  const form = toFormBody(xml)
  // A timer cleared when the exchange ends, not AbortSignal.timeout(): that one keeps its timer
  // (and the signal) alive for the whole timeout, so under load every request's leftovers pile
  // up in the old generation for CUCM_TIMEOUT_MS.
  const controller = new AbortController()
  const { signal } = controller
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
  try {
    const response = await request(dispatcher, {
      origin,
      path: EMAPI_PATH,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
        'content-length': String(Buffer.byteLength(form)),
        accept: 'text/xml, application/xml'
      },
      body: form,
      signal
    })
    // The body is always read to the end, so the pooled connection can be reused.
    const body = await response.body.text()
    if (response.statusCode !== 200) {
      throw withExchange(new EmapiError('EMAPI_HTTP_STATUS', `CUCM answered HTTP ${response.statusCode}${pageTitle(body)}. The Extension Mobility service may be stopped or the URL wrong.`, { responseBody: body }), xml, response.statusCode)
    }
    return { httpStatus: response.statusCode, body }
  } catch (error) {
    if (error instanceof EmapiError) throw error
    // A connection that timed out says so even when the whole-request timer has fired since.
    const cause = signal.aborted && (error as { code?: unknown }).code !== 'UND_ERR_CONNECT_TIMEOUT' ? signal.reason : error
    throw withExchange(describeTransportError(cause, origin, timeoutMs), xml)
  } finally {
    clearTimeout(timer)
  }
}

export function withExchange<E extends EmapiError> (error: E, xml: string, httpStatus?: number): E {
  error.requestXml = maskPassword(xml)
  error.httpStatus ??= httpStatus
  return error
}
