import { AxlError, isAxlError } from '@em-console/shared/axl'
import type { Dispatcher } from 'undici'
import { redirectTarget } from '../emapi/actions.js'
import { tlsProblem, withTrustedCaDates } from '../emapi/tls-errors.js'
import { request as send } from '../emapi/undici.js'
import { xmlText } from '../emapi/xml-text.js'

/** The trailing slash matters (PROTOCOL.md §1). */
export const AXL_PATH = '/axl/'

export interface AxlRequest {
  origin: string
  headers: Record<string, string>
  body: string
  timeoutMs: number
  maxResponseBytes: number
  /** The caller's stop: the exchange is cut short and rejects with its reason. */
  signal?: AbortSignal
  /** The CA certificate trusted for CUCM, as given (none: the system's): its dates explain a refusal for dates. */
  trusted?: string
}

export interface AxlAnswer {
  status: number
  body: string
  /** CUCM's session cookie if the answer set one, null if it cleared it (see sessionCookie). */
  session?: string | null
  /** Where a redirect (3xx) leads, cut (see redirectTarget). */
  redirect?: string
}

/** The cookie CUCM sets on an AXL answer; sent back, it spares a sign-in per call (PROTOCOL.md §1). */
export const SESSION_COOKIE = 'JSESSIONIDSSO'
/** A cookie value as RFC 6265 allows it, bounded: anything else is not sent back. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]{1,512}$/

/**
 * The session cookie a Set-Cookie header sets: its value, null when it clears it (no value or
 * Max-Age=0), undefined when the answer does not name it or its value is not one to send back.
 */
export function sessionCookie (setCookie: string | string[] | undefined): string | null | undefined {
  const prefix = `${SESSION_COOKIE}=`
  const header = [setCookie ?? []].flat().find((line) => line.startsWith(prefix))
  if (header === undefined) return undefined
  const [value = '', ...attributes] = header.slice(prefix.length).split(';')
  if (value === '' || attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))) return null
  return COOKIE_VALUE.test(value) ? value : undefined
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

function describeTransportError (error: unknown, origin: string, timeoutMs: number, trusted: string | undefined): AxlError {
  const refused = tlsProblem(error)
  if (refused !== undefined) {
    const tls = withTrustedCaDates(refused, trusted)
    // The problem with its own fix (renew, trust the CA, the HTTPS port), in the AXL settings' words;
    // with AXL's origin, as every other AXL failure: the publisher may be another node with a
    // certificate of its own, while EMAPI's passed.
    const said = (text: string): string => text.replaceAll('CUCM_PORT', 'CUCM_AXL_PORT').replaceAll('CUCM_HOST', 'CUCM_AXL_HOST')
    return new AxlError('AXL_TLS', `AXL at ${origin}: ${said(tls.problem)}`, { cause: tls.cause, action: said(tls.action) })
  }
  const err = error as NodeJS.ErrnoException
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || TIMEOUT_CODES.has(err.code ?? '')) {
    return new AxlError('AXL_TIMEOUT', `AXL at ${origin} did not answer within ${timeoutMs} ms.`, { cause: error })
  }
  const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.name
  return new AxlError('AXL_UNREACHABLE', `Cannot reach AXL at ${origin} (${code}).`, { cause: error })
}

/** Codes of a connection that closed once open, before an answer began. */
const DROPPED_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'])

/** Whether AXL was reached and the connection then closed without a byte of an answer. */
export function droppedBeforeAnswer (error: unknown): boolean {
  if (!isAxlError(error, 'AXL_UNREACHABLE')) return false
  const cause = error.cause as NodeJS.ErrnoException | undefined
  return DROPPED_CODES.has(cause?.code ?? '') || DROPPED_CODES.has((cause?.cause as NodeJS.ErrnoException | undefined)?.code ?? '')
}

function tooLarge (maxResponseBytes: number): AxlError {
  return new AxlError('AXL_TOO_LARGE', `CUCM's answer is larger than ${maxResponseBytes} bytes, the most EM Console reads in one answer.`)
}

/**
 * One HTTP exchange with AXL. The timeout covers everything up to the last byte of the body, and
 * the body is read only up to maxResponseBytes: past that the connection is dropped, never buffered.
 */
export async function exchange (dispatcher: Dispatcher, request: AxlRequest): Promise<AxlAnswer> {
  const { origin, timeoutMs, maxResponseBytes } = request
  request.signal?.throwIfAborted()
  // A timer cleared when the exchange ends (see emapi/transport.ts for why not AbortSignal.timeout).
  const controller = new AbortController()
  const { signal } = controller
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
  const stop = (): void => { controller.abort(request.signal?.reason) }
  request.signal?.addEventListener('abort', stop, { once: true })
  let answering: number | undefined
  try {
    const response = await send(dispatcher, {
      origin,
      path: AXL_PATH,
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      body: request.body,
      signal
    })
    answering = response.statusCode
    const declared = Number(response.headers['content-length'])
    if (declared > maxResponseBytes) {
      response.body.destroy()
      throw tooLarge(maxResponseBytes)
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length
      if (size > maxResponseBytes) {
        response.body.destroy()
        throw tooLarge(maxResponseBytes)
      }
      chunks.push(chunk as Buffer)
    }
    // Decoded once at the end, so a character split across chunks stays whole; in the encoding it declares.
    return { status: response.statusCode, body: xmlText(Buffer.concat(chunks, size)), session: sessionCookie(response.headers['set-cookie']), redirect: redirectTarget(response.statusCode, response.headers.location) }
  } catch (error) {
    if (error instanceof AxlError) throw error
    // Stopped by the caller: its own reason, no failure of AXL's.
    request.signal?.throwIfAborted()
    // Some CUCM 12.5 nodes break off an answer too large for them instead of faulting (PROTOCOL.md
    // §2): the caller's paging then asks for a smaller page, as after the fault.
    if (answering !== undefined && !signal.aborted) {
      throw new AxlError('AXL_TOO_LARGE', `CUCM broke the connection in the middle of its answer (HTTP ${answering}), as some CUCM 12.5 nodes do with an answer too large for them.`, { cause: error })
    }
    throw describeTransportError(signal.aborted ? signal.reason : error, origin, timeoutMs, request.trusted)
  } finally {
    clearTimeout(timer)
    request.signal?.removeEventListener('abort', stop)
  }
}
