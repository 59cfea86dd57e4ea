import { describeEmapiCode, type EmapiCodeInfo } from './catalogue.js'

/**
 * Stable codes that callers switch on; the message is for people. EMAPI_TOO_LARGE: the answer was
 * larger than the client's cap (EMAPI_MAX_RESPONSE_BYTES): the transfer was stopped.
 */
export const EMAPI_ERROR_CODES = ['EMAPI_UNREACHABLE', 'EMAPI_TLS', 'EMAPI_TIMEOUT', 'EMAPI_HTTP_STATUS', 'EMAPI_BAD_XML', 'EMAPI_TOO_LARGE', 'EMAPI_FAILURE'] as const
export type EmapiErrorCode = typeof EMAPI_ERROR_CODES[number]

/**
 * Where a certificate to trust goes: EMAPI and AXL trust the one CA file, and the publisher may be
 * another node with a certificate of its own, so one is added to the file, never put in place of
 * what the other needs. The server reads the file when it starts: `em-console check` trusts the
 * new certificate at once, the running server only once restarted.
 */
export const ADD_TO_CA_FILE = 'add it to the PEM file CUCM_CA_FILE names (point CUCM_CA_FILE at it if none), keeping the certificates already in it: EMAPI and AXL trust the same file; then restart the server (it reads the file when it starts)'

export class EmapiError extends Error {
  readonly code: EmapiErrorCode
  /** The body CUCM answered, when it answered (kept for the audit trail). */
  responseBody: string | undefined
  /** The HTTP status CUCM answered with, when it answered. */
  httpStatus: number | undefined
  /** The request document with the password masked, set by the client that sent it. */
  requestXml: string | undefined
  /** false when the request surely never reached CUCM (e.g. no connection); otherwise it may have. */
  requestSent: boolean | undefined

  constructor (code: EmapiErrorCode, message: string, options?: { cause?: unknown, responseBody?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'EmapiError'
    this.code = code
    this.responseBody = options?.responseBody
    this.httpStatus = undefined
    this.requestXml = undefined
    this.requestSent = undefined
  }
}

/** CUCM's own text of a failure is shown up to this many characters (the whole stays in the audit record's answer). */
const CUCM_TEXT_SHOWN = 200

/** CUCM answered with <failure>: the numeric code and what it means. */
export class EmapiFailureError extends EmapiError {
  readonly emapiCode: number
  /** The catalogue's entry; its action is said in a dashboard cluster's words by the EmService that met it. */
  info: EmapiCodeInfo
  /** CUCM's own text, which varies between releases. */
  readonly cucmText: string
  /**
   * The failure in words: the code's meaning, and CUCM's own text when the code tells nothing
   * (0, as in the <errorMessage> form, or an undocumented code).
   */
  readonly words: string

  constructor (emapiCode: number, cucmText: string, responseBody?: string) {
    const info = describeEmapiCode(emapiCode)
    const said = cucmText.replace(/\s+/g, ' ').trim()
    const words = info.telling || said === '' ? info.message : `${info.message}: CUCM said "${said.length > CUCM_TEXT_SHOWN ? `${said.slice(0, CUCM_TEXT_SHOWN)}…` : said}"`
    super('EMAPI_FAILURE', `EMAPI error ${emapiCode}: ${words}`, responseBody === undefined ? undefined : { responseBody })
    this.name = 'EmapiFailureError'
    this.emapiCode = emapiCode
    this.info = info
    this.cucmText = cucmText
    this.words = words
  }
}

export function isEmapiFailure (error: unknown, code?: number): error is EmapiFailureError {
  return error instanceof EmapiFailureError && (code === undefined || error.emapiCode === code)
}

/**
 * Whether CUCM accepted the application user and looked, when a probe's query about a device that
 * cannot exist fails: "device does not exist" (code 11; how a query says so is not known,
 * PROTOCOL.md §3) or busy (26). Anything else is a problem the probe reports.
 */
export function answeredTheProbe (error: unknown): boolean {
  return isEmapiFailure(error, 11) || isEmapiFailure(error, 26)
}
