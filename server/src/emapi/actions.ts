import { EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import { AdvisedEmapiError } from './tls-errors.js'

/** What an admin should do about each transport-level failure (in the environment's keys). */
export const TRANSPORT_ACTION: Record<EmapiError['code'], string> = {
  EMAPI_UNREACHABLE: 'Check CUCM_HOST and CUCM_PORT, that this server reaches CUCM on that port, and that the Cisco Extension Mobility service is running.',
  EMAPI_TIMEOUT: 'CUCM did not answer in time: check its load and the network path; raise CUCM_TIMEOUT_MS if CUCM is only slow.',
  EMAPI_TLS: 'Set CUCM_CA_FILE to the CUCM Tomcat certificate (or its CA) as PEM, and CUCM_HOST to a name that certificate lists.',
  EMAPI_HTTP_STATUS: 'Check in Cisco Unified Serviceability that the Cisco Extension Mobility service is activated and running on that node.',
  EMAPI_BAD_XML: 'CUCM answered with something that is not an EMAPI document: check that CUCM_HOST and CUCM_PORT point at CUCM itself, not a proxy.',
  EMAPI_TOO_LARGE: 'CUCM\'s answer was far larger than any EMAPI answer: check that CUCM_HOST and CUCM_PORT point at CUCM itself, not a proxy; raise EMAPI_MAX_RESPONSE_BYTES only if CUCM truly answers that much.',
  EMAPI_FAILURE: 'See the EMAPI error code.'
}

/**
 * The connection was made, then dropped before an answer: not a question of host or port. What to
 * look up after a change sent so is in its message (a device, or who is still logged in after a
 * logout of all); a look-up changed nothing.
 */
const DROPPED_ACTION = 'CUCM closed the connection without answering: the Extension Mobility service may have restarted, or a proxy or firewall cut it. Try again once CUCM answers.'

/** HTTP statuses of a proxy or load balancer in front of CUCM that got no usable answer from it. */
export const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 504])

const GATEWAY_ACTION = 'Something between EM Console and CUCM (a proxy or load balancer) got no answer from CUCM in time: check CUCM\'s load and that device\'s time limit, or point CUCM_HOST and CUCM_PORT at CUCM itself.'

/** A redirect: the servlet answers where it is asked (PROTOCOL.md §1), so one comes from something else at CUCM_HOST. */
export function isRedirect (status: number): boolean {
  return status >= 300 && status < 400
}

/** Where a redirect (3xx with a Location) leads, cut to a readable length; undefined for any other answer. EMAPI's and AXL's alike. */
export function redirectTarget (status: number, location: string | string[] | undefined): string | undefined {
  const target = (Array.isArray(location) ? location[0] : location)?.trim()
  if (!isRedirect(status) || target === undefined || target === '') return undefined
  return target.length > 200 ? `${target.slice(0, 200)}…` : target
}

const REDIRECT_ACTION = 'Point CUCM_HOST and CUCM_PORT at the CUCM node itself, where the Extension Mobility service answers without a redirect (port 8443 by default), not at a name, proxy or port that sends requests elsewhere.'

/**
 * What to do about `error`, in the environment's keys (inSettingsWords says it for a dashboard
 * cluster): the EMAPI code's own action, the one an advised error carries (a TLS problem's, a
 * closed port's), or that of the transport failure.
 */
export function emapiAction (error: EmapiError): string {
  if (isEmapiFailure(error)) return error.info.action
  if (error instanceof AdvisedEmapiError) return error.action
  if (error.code === 'EMAPI_UNREACHABLE' && error.requestSent !== false) return DROPPED_ACTION
  if (error.code === 'EMAPI_HTTP_STATUS' && GATEWAY_STATUSES.has(error.httpStatus ?? 0)) return GATEWAY_ACTION
  if (error.code === 'EMAPI_HTTP_STATUS' && isRedirect(error.httpStatus ?? 0)) return REDIRECT_ACTION
  return TRANSPORT_ACTION[error.code]
}

/** What is wrong, without what to do: for an answer that says that beside it (emapiAction), once. */
export function emapiProblem (error: EmapiError): string {
  return error instanceof AdvisedEmapiError ? error.problem : error.message
}
