import { EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import type { ErrorBody } from '@em-console/shared/schemas'
import type { FastifyError } from 'fastify'
import { AuthError } from './auth/auth-service.js'
import { ActionError, LogoutAllRunningError, RunFailedError } from './services/errors.js'

/** Input that passed the schema but still cannot be used; names the field. */
export class BadRequestError extends Error {
  readonly field: string

  constructor (field: string, message: string) {
    super(message)
    this.name = 'BadRequestError'
    this.field = field
  }
}

export interface HttpError {
  statusCode: number
  body: ErrorBody
  headers?: Record<string, string>
}

const CATEGORY_STATUS = {
  'not-found': 404,
  conflict: 409,
  busy: 503,
  configuration: 502,
  'cucm-side': 502,
  bug: 502,
  'already-done': 409
} as const

/** What an admin should do about each transport-level failure. */
const TRANSPORT_ACTION: Record<EmapiError['code'], string> = {
  EMAPI_UNREACHABLE: 'Check CUCM_HOST and CUCM_PORT, that this server reaches CUCM on TCP 8443, and that the Cisco Extension Mobility service is running.',
  EMAPI_TIMEOUT: 'CUCM did not answer in time: check its load and the network path; raise CUCM_TIMEOUT_MS if CUCM is only slow.',
  EMAPI_TLS: 'Set CUCM_CA_FILE to the CUCM Tomcat certificate (or its CA) as PEM, and CUCM_HOST to a name that certificate lists.',
  EMAPI_HTTP_STATUS: 'Check in Cisco Unified Serviceability that the Cisco Extension Mobility service is activated and running on that node.',
  EMAPI_BAD_XML: 'CUCM answered with something that is not an EMAPI document: check that CUCM_HOST and CUCM_PORT point at CUCM itself, not a proxy.',
  EMAPI_TOO_LARGE: 'CUCM\'s answer was far larger than any EMAPI answer: check that CUCM_HOST and CUCM_PORT point at CUCM itself, not a proxy; raise EMAPI_MAX_RESPONSE_BYTES only if CUCM truly answers that much.',
  EMAPI_FAILURE: 'See the EMAPI error code.'
}

const TRANSPORT_STATUS: Record<EmapiError['code'], number> = {
  EMAPI_UNREACHABLE: 504,
  EMAPI_TIMEOUT: 504,
  EMAPI_TLS: 502,
  EMAPI_HTTP_STATUS: 502,
  EMAPI_BAD_XML: 502,
  EMAPI_TOO_LARGE: 502,
  EMAPI_FAILURE: 502
}

function fromEmapi (error: EmapiError, auditId?: number): HttpError {
  const audit = auditId === undefined ? {} : { auditId }
  if (isEmapiFailure(error)) {
    const statusCode = CATEGORY_STATUS[error.info.category]
    return {
      statusCode,
      body: { error: { code: error.code, message: error.info.message, emapiCode: error.emapiCode, action: error.info.action, ...audit } },
      ...(statusCode === 503 ? { headers: { 'retry-after': '5' } } : {})
    }
  }
  return { statusCode: TRANSPORT_STATUS[error.code], body: { error: { code: error.code, message: error.message, action: TRANSPORT_ACTION[error.code], ...audit } } }
}

/** The field a validation error names, e.g. `body/confirm` → `confirm`. */
function validationField (error: FastifyError): string | undefined {
  const first = error.validation?.[0]
  if (first === undefined) return undefined
  const missing = first.params as { missingProperty?: string, requiredProperties?: string[] } | undefined
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.')
  const child = missing?.missingProperty ?? missing?.requiredProperties?.[0]
  return [path, child].filter((p) => p !== undefined && p !== '').join('.') || undefined
}

/** Every error the API answers goes through here: one mapping from cause to HTTP status. */
export function toHttpError (error: unknown): HttpError {
  if (error instanceof ActionError) return fromEmapi(error.error, error.auditId)
  if (error instanceof EmapiError) return fromEmapi(error)
  if (error instanceof LogoutAllRunningError) {
    return { statusCode: 409, body: { error: { code: 'LOGOUT_ALL_RUNNING', message: error.message, auditId: error.auditId } } }
  }
  if (error instanceof RunFailedError) {
    return { statusCode: 502, body: { error: { code: 'RUN_FAILED', message: error.message, action: 'Open the run to see which devices failed and why; "retry failed" runs them again.', auditId: error.auditId } } }
  }
  if (error instanceof AuthError) {
    const headers = error.retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(error.retryAfterSeconds) } }
    return { statusCode: error.statusCode, body: { error: { code: error.code, message: error.message, action: error.action, ...(error.field === undefined ? {} : { field: error.field }) } }, ...headers }
  }
  if (error instanceof BadRequestError) {
    return { statusCode: 400, body: { error: { code: 'VALIDATION', message: error.message, field: error.field } } }
  }
  const fastifyError = error as FastifyError
  if (fastifyError.validation !== undefined) {
    const field = validationField(fastifyError)
    const where = fastifyError.validationContext ?? 'request'
    const first = fastifyError.validation[0]
    const allowed = (first?.params as { allowedValue?: unknown } | undefined)?.allowedValue
    const problem = allowed === undefined ? first?.message ?? fastifyError.message : `must be exactly ${JSON.stringify(allowed)}`
    return { statusCode: 400, body: { error: { code: 'VALIDATION', message: `Invalid ${where}${field === undefined ? '' : ` field "${field}"`}: ${problem}`, ...(field === undefined ? {} : { field }) } } }
  }
  const status = fastifyError.statusCode
  if (status === 429) {
    return { statusCode: 429, body: { error: { code: 'RATE_LIMITED', message: 'Too many requests: slow down and try again in a minute.' } }, headers: { 'retry-after': '60' } }
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return { statusCode: status, body: { error: { code: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message } } }
  }
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: 'Internal error: see the server log.' } } }
}
