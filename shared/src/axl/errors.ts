import { ADD_TO_CA_FILE } from '../emapi/errors.js'

/**
 * The AXL error codes (../../../../shared/axl/PROTOCOL.md §1, §4). A closed list: callers switch
 * on the code, never on CUCM's text; each code carries what the admin should do about it.
 */
export type AxlErrorCode =
  | 'AXL_UNREACHABLE'
  | 'AXL_TLS'
  | 'AXL_TIMEOUT'
  | 'AXL_AUTH'
  | 'AXL_FORBIDDEN'
  | 'AXL_VERSION'
  | 'AXL_THROTTLED'
  | 'AXL_TOO_LARGE'
  | 'AXL_CHANGING'
  | 'AXL_FAULT'
  | 'AXL_BAD_XML'

export const AXL_ERROR_ACTIONS: Readonly<Record<AxlErrorCode, string>> = {
  AXL_UNREACHABLE: 'Check CUCM_AXL_HOST and CUCM_AXL_PORT (the publisher of the cluster, port 8443) and that the "Cisco AXL Web Service" is activated on it (Cisco Unified Serviceability > Tools > Service Activation).',
  AXL_TLS: `Export the Tomcat certificate (or its CA) of the publisher from CUCM OS Administration > Security > Certificate Management and ${ADD_TO_CA_FILE}; the host name must be one the certificate lists.`,
  AXL_TIMEOUT: 'CUCM did not answer in time: check the load of the publisher and the network path to it; raise CUCM_TIMEOUT_MS if CUCM is only slow.',
  AXL_AUTH: 'Check CUCM_AXL_USER and CUCM_AXL_PASSWORD: the user ID and password of a CUCM application user with AXL access.',
  AXL_FORBIDDEN: 'Put the AXL application user in an access control group that has the roles "Standard AXL API Users" and "Standard AXL Read Only API Access" (CUCM Administration > User Management > User Settings > Access Control Group; before 11.5, which has no read-only role, "Standard AXL API Access").',
  AXL_VERSION: 'CUCM accepts none of the AXL versions EM Console tried (the message names each): set CUCM_AXL_VERSION to the cluster\'s own release, major.minor, as Cisco Unified CM Administration\'s About names it (such as 9.1 on an old release).',
  AXL_THROTTLED: 'CUCM is throttling AXL requests (HTTP 503, or its AXL memory is used up): try again in a few minutes, and avoid running other AXL tools against the publisher at the same time.',
  AXL_TOO_LARGE: 'CUCM refused the answer as too large even for the smallest page: report this to the EM Console maintainers with the message.',
  AXL_CHANGING: 'Logins and logouts changed the listing faster than EM Console could page through it: the inventory keeps what it had, and the next refresh tries again.',
  AXL_FAULT: 'CUCM refused the query; the message says why. If it names a column or a table, the database schema of this CUCM release differs from what EM Console expects: report it with the message.',
  AXL_BAD_XML: 'CUCM answered with something that is not an AXL answer: check that CUCM_AXL_HOST and CUCM_AXL_PORT point at the publisher and that no proxy rewrites the answer.'
}

export const AXL_ERROR_CODES = Object.keys(AXL_ERROR_ACTIONS) as AxlErrorCode[]

/**
 * The codes that are CUCM's answer, a refusal (the AXL user or its password, its roles, the AXL
 * version, the query): fixed by a setting or in CUCM, not by trying again. The others are no AXL
 * answer (unreachable, TLS, timeout, throttled, not an AXL answer, a listing that kept changing).
 */
export const AXL_REFUSALS: ReadonlySet<string> = new Set<AxlErrorCode>(['AXL_AUTH', 'AXL_FORBIDDEN', 'AXL_VERSION', 'AXL_FAULT', 'AXL_TOO_LARGE'])

/** What a SOAP fault said (PROTOCOL.md §4); the message is the useful part. */
export interface AxlFault {
  faultCode: string
  faultString: string
  /** `detail > axlError > axlcode`, often negative; null when absent or not a number. */
  axlCode: number | null
  axlMessage: string
}

export interface AxlErrorDetails {
  cause?: unknown
  httpStatus?: number
  fault?: AxlFault
  /** From a "Query request too large" fault: the rows the query matched, and the fetch it suggests. */
  totalRows?: number
  suggestedRows?: number
  /** The versions tried, in order (AXL_VERSION). */
  triedVersions?: readonly string[]
  /** What to do about this very failure, where it knows better than its code's (a TLS problem's own fix). */
  action?: string
}

export class AxlError extends Error {
  readonly code: AxlErrorCode
  /** What the admin should do, for people. */
  readonly action: string
  readonly httpStatus: number | undefined
  readonly fault: AxlFault | undefined
  readonly totalRows: number | undefined
  readonly suggestedRows: number | undefined
  readonly triedVersions: readonly string[] | undefined
  /** The SQL that was sent (it holds only numbers EM Console computed, never a secret). */
  sql: string | undefined

  constructor (code: AxlErrorCode, message: string, details: AxlErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'AxlError'
    this.code = code
    this.action = details.action ?? AXL_ERROR_ACTIONS[code]
    this.httpStatus = details.httpStatus
    this.fault = details.fault
    this.totalRows = details.totalRows
    this.suggestedRows = details.suggestedRows
    this.triedVersions = details.triedVersions
    this.sql = undefined
  }
}

export function isAxlError (error: unknown, code?: AxlErrorCode): error is AxlError {
  return error instanceof AxlError && (code === undefined || error.code === code)
}
