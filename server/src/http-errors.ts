import { EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import type { ErrorBody, ErrorCode } from '@em-console/shared/schemas'
import type { FastifyError } from 'fastify'
import { ActionError, ServiceError, type RefusalKind } from './services/errors.js'

export interface HttpError {
  statusCode: number
  body: ErrorBody
  headers?: Record<string, string>
}

const KIND_STATUS: Record<RefusalKind, number> = {
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-many': 429,
  failed: 502
}

/** Fastify's own refusals (body too large, wrong content type...) by status. */
const FASTIFY_CODES: Record<number, ErrorCode> = { 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' }

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

function fromEmapi (error: EmapiError, auditId?: number, detail?: string): HttpError {
  const audit = auditId === undefined ? {} : { auditId }
  if (isEmapiFailure(error)) {
    const statusCode = CATEGORY_STATUS[error.info.category]
    return {
      statusCode,
      body: { error: { code: error.code, message: detail === undefined ? error.info.message : `${error.info.message} ${detail}`, emapiCode: error.emapiCode, action: error.info.action, ...audit } },
      ...(statusCode === 503 ? { headers: { 'retry-after': '5' } } : {})
    }
  }
  return { statusCode: TRANSPORT_STATUS[error.code], body: { error: { code: error.code, message: detail === undefined ? error.message : `${error.message} ${detail}`, action: TRANSPORT_ACTION[error.code], ...audit } } }
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

function fromService (error: ServiceError): HttpError {
  const { code, message, field, action, auditId, retryAfterSeconds } = error
  const statusCode = KIND_STATUS[error.kind]
  const body: ErrorBody = {
    error: {
      code,
      message,
      ...(action === undefined ? {} : { action }),
      ...(auditId === undefined ? {} : { auditId }),
      ...(field === undefined ? {} : { field })
    }
  }
  return { statusCode, body, ...(statusCode === 429 ? { headers: { 'retry-after': String(retryAfterSeconds ?? 60) } } : {}) }
}

/** Every error the API answers goes through here: one mapping from cause to HTTP status. */
export function toHttpError (error: unknown): HttpError {
  if (error instanceof ActionError) {
    const mapped = fromEmapi(error.error, error.auditId, error.detail)
    // Sent but not answered: the change may have happened, and the body says so.
    if (error.outcome === 'unknown' || error.outcome === 'interrupted') mapped.body.error.outcome = error.outcome
    return mapped
  }
  if (error instanceof EmapiError) return fromEmapi(error)
  if (error instanceof ServiceError) return fromService(error)
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
    return { statusCode: status, body: { error: { code: FASTIFY_CODES[status] ?? 'BAD_REQUEST', message: fastifyError.message } } }
  }
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: 'Internal error: see the server log.' } } }
}
