import { EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import { CA_PEM, problemSentence, ruleOfApiField, type RequestPart } from '@em-console/shared/field-rules'
import type { ClusterSource, ErrorBody, ErrorCode } from '@em-console/shared/schemas'
import type { FastifyError } from 'fastify'
import { emapiAction, emapiProblem } from './emapi/actions.js'
import { BODY_LIMIT_BYTES, inMebibytes, MAX_CSV_BYTES } from './request-limits.js'
import { inSettingsWords } from './setting-words.js'
import { ActionError, ClusterFailure, sentences, ServiceError, type RefusalKind } from './services/errors.js'

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
  failed: 502,
  unavailable: 503
}

/** Fastify's own refusals (body too large, wrong content type...) by status. */
const FASTIFY_CODES: Record<number, ErrorCode> = { 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' }
/** Fastify's refusals of a request's form, in the words of the rest of the API. */
const FASTIFY_WORDS: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request says it sends JSON (Content-Type: application/json) but its body is empty: send a JSON body, or no Content-Type.',
  FST_STATIC_FORBIDDEN_PATH: 'The path of this file is not in its own form (a doubled slash, a "." or ".." segment, a name too long): ask for the file by its own path.',
  FST_ERR_BAD_URL: 'A path parameter of the URL is not valid percent-encoding (each "%" begins two hexadecimal digits, and together they make UTF-8): encode each path parameter with encodeURIComponent.',
  // curl -d sends application/x-www-form-urlencoded unless told otherwise: a script's first mistake.
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The request body is of a content type the API does not read: send JSON with the header Content-Type: application/json (a bulk run also takes a CSV file as text/csv). curl -d sends a form (application/x-www-form-urlencoded) unless given -H \'content-type: application/json\'.'
}

/**
 * A body past the limit, in the words of what was sent to `route`: a run's list, a cluster's CA
 * certificate (its one large field, named: a pasted store read "split a longer list"), else the limit.
 */
function tooLargeBody (route: string | undefined): ErrorBody['error'] {
  const limit = `The request body is larger than the API takes: ${inMebibytes(BODY_LIMIT_BYTES)}`
  if (route?.startsWith('/api/runs') === true) return { code: 'PAYLOAD_TOO_LARGE', message: `${limit} (a CSV file of a bulk run: ${inMebibytes(MAX_CSV_BYTES)}). A run takes up to 5,000 devices: split a longer list.` }
  if (route?.startsWith('/api/clusters') === true) return { code: 'PAYLOAD_TOO_LARGE', field: 'caPem', message: `${limit}. ${CA_PEM.label}: ${CA_PEM.allowed}.` }
  return { code: 'PAYLOAD_TOO_LARGE', message: `${limit}.` }
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

const TRANSPORT_STATUS: Record<EmapiError['code'], number> = {
  EMAPI_UNREACHABLE: 504,
  EMAPI_TIMEOUT: 504,
  EMAPI_TLS: 502,
  EMAPI_HTTP_STATUS: 502,
  EMAPI_BAD_XML: 502,
  EMAPI_TOO_LARGE: 502,
  EMAPI_FAILURE: 502
}

/** `source`: where the cluster's settings come from; what to do names its environment keys or its dashboard fields. */
function fromEmapi (error: EmapiError, auditId?: number, detail?: string, source: ClusterSource = 'environment'): HttpError {
  const audit = auditId === undefined ? {} : { auditId }
  if (isEmapiFailure(error)) {
    const statusCode = CATEGORY_STATUS[error.info.category]
    return {
      statusCode,
      body: { error: { code: error.code, message: sentences(error.words, detail), emapiCode: error.emapiCode, action: inSettingsWords(emapiAction(error), source), ...audit } },
      ...(statusCode === 503 ? { headers: { 'retry-after': '5' } } : {})
    }
  }
  return { statusCode: TRANSPORT_STATUS[error.code], body: { error: { code: error.code, message: sentences(emapiProblem(error), detail), action: inSettingsWords(emapiAction(error), source), ...audit } } }
}

/** One problem the schema validator found (TypeBox's errors have Ajv's shape). */
interface SchemaProblem {
  keyword: string
  instancePath: string
  params?: Record<string, unknown>
  message?: string
}

/**
 * What a request carried, by the part validation names (`body`, `querystring`, `params`), and
 * the path of the route it went to (`/api/clusters/:id`): a field's rule may depend on it.
 */
export type RequestInput = Partial<Record<RequestPart, unknown>> & { route?: string }

const PART_WORDS: Record<string, string> = { body: 'body field', querystring: 'query parameter', params: 'path parameter', headers: 'header' }
const TYPE_WORDS: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object', null: 'null' }

/** The field a validation error names, e.g. `body/confirm` → `confirm`, `/devices/3` → `devices.3`. */
function validationField (problem: SchemaProblem): string | undefined {
  const params = problem.params as { missingProperty?: string, requiredProperties?: string[], additionalProperties?: string[] } | undefined
  const path = problem.instancePath.replace(/^\//, '').replace(/\//g, '.')
  const child = params?.missingProperty ?? params?.requiredProperties?.[0] ?? params?.additionalProperties?.[0]
  return [path, child].filter((p) => p !== undefined && p !== '').join('.') || undefined
}

/** The value at a validation error's path in what the request carried. */
function valueAt (input: unknown, instancePath: string): unknown {
  let value = input
  for (const key of instancePath.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return value
}

/** "Characters" as the schemas count them: one emoji is one. */
const lengthOf = (value: unknown): number | undefined => typeof value === 'string' ? [...value].length : undefined

/** What is wrong, in words, for the fields that have no rule of their own (numbers, choices, flags). */
function problemWords (problem: SchemaProblem, all: readonly SchemaProblem[], value: unknown): string {
  const params = problem.params ?? {}
  const limit = params.limit as number | undefined
  switch (problem.keyword) {
    case 'required': return 'is required'
    // An unknown field fails `additionalProperties: false` at its own path as "boolean" first.
    case 'additionalProperties': case 'boolean': return 'is not a field this request takes'
    case 'const': {
      // A choice of literals fails once per literal, then as a whole (anyOf): name them all.
      const choices = [...new Set(all.filter((p) => p.keyword === 'const' && p.instancePath === problem.instancePath).map((p) => JSON.stringify(p.params?.allowedValue)))]
      return choices.length > 1 ? `must be one of ${choices.join(', ')}` : `must be exactly ${choices[0] ?? ''}`
    }
    case 'type': return `must be ${TYPE_WORDS[String(params.type)] ?? String(params.type)}`
    case 'minimum': return `must be at least ${String(limit)}`
    case 'maximum': return `must be at most ${String(limit)}`
    case 'exclusiveMinimum': return `must be more than ${String(limit)}`
    case 'exclusiveMaximum': return `must be less than ${String(limit)}`
    case 'minLength': return limit === 1 ? 'must not be empty' : `must have at least ${String(limit)} characters`
    case 'maxLength': return `must have at most ${String(limit)} characters${lengthOf(value) === undefined ? '' : ` (this one has ${String(lengthOf(value))})`}`
    case 'minItems': return `must list at least ${String(limit)} item${limit === 1 ? '' : 's'}`
    case 'maxItems': return `must list at most ${String(limit)} items${Array.isArray(value) ? ` (this one has ${value.length})` : ''}`
    case 'minProperties': return 'must change at least one field'
    case 'format': return params.format === 'date-time' ? 'must be a date and time in ISO 8601, such as 2026-01-31T08:00:00Z' : `must be a valid ${String(params.format)}`
    case 'pattern': return 'holds characters that are not allowed'
    default: return problem.message ?? 'is not valid'
  }
}

/**
 * A schema refusal in words: which field, what it may hold, what was wrong with this one (the
 * rules of shared/src/field-rules.ts, the same words the dashboard's forms use); never the
 * validator's own text ("must match pattern ...").
 */
function fromValidation (error: FastifyError, input: RequestInput): HttpError {
  const problems = (error.validation ?? []) as SchemaProblem[]
  const first = problems[0]
  const where = (error.validationContext ?? 'body') as RequestPart
  const field = first === undefined ? undefined : validationField(first)
  const value = first === undefined ? undefined : valueAt(input[where], first.instancePath)
  const rule = field === undefined ? undefined : ruleOfApiField(where, field, input.route)
  const named = `${PART_WORDS[where] ?? where} "${field ?? ''}"`
  let message: string
  if (first === undefined) {
    message = `The request is not valid: ${error.message}.`
  } else if (field === undefined) {
    message = `The request ${where === 'body' ? 'body' : PART_WORDS[where] ?? where} ${problemWords(first, problems, value)}.`
  } else if (rule !== undefined && ['maxLength', 'minLength', 'pattern', 'required', 'type'].includes(first.keyword)) {
    const detail = first.keyword === 'required'
      ? 'It is missing.'
      : first.keyword === 'minLength' || value === ''
        ? 'It is empty.'
        : (typeof value === 'string' ? problemSentence(rule, value) : undefined) ?? `It ${problemWords(first, problems, value)}.`
    message = `${rule.label} (${named}): ${rule.allowed}. ${detail}`
  } else {
    message = `The ${named} ${problemWords(first, problems, value)}.`
  }
  return { statusCode: 400, body: { error: { code: 'VALIDATION', message, ...(field === undefined ? {} : { field }) } } }
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
  return { statusCode, body, ...(statusCode === 429 || statusCode === 503 ? { headers: { 'retry-after': String(retryAfterSeconds ?? (statusCode === 429 ? 60 : 5)) } } : {}) }
}

/**
 * A schema refusal found outside Fastify's own validation (a route checking a body against the
 * one form it is), answered as Fastify's are: `problems` as TypeBox reports them.
 */
export function validationError (problems: Iterable<unknown>, part: RequestPart = 'body'): Error {
  return Object.assign(new Error(`The ${part} is not valid.`), { statusCode: 400, validation: [...problems], validationContext: part })
}

/** A look-up's answer of several clusters: those it could not ask (`unavailable`), each in the words of its error answer. */
export function withUnavailable<T extends { unavailable: readonly Error[] }> (answer: T): Omit<T, 'unavailable'> & { unavailable: Array<ErrorBody['error']> } {
  return { ...answer, unavailable: answer.unavailable.map((failure) => toHttpError(failure).body.error) }
}

/**
 * Every error the API answers goes through here: one mapping from cause to HTTP status. `input` is
 * what the request carried, so a refusal can say what was wrong with the value (its length...).
 */
export function toHttpError (error: unknown, input: RequestInput = {}): HttpError {
  if (error instanceof ClusterFailure) {
    const mapped = toHttpError(error.cause, input)
    mapped.body.error.message = `${error.prefix}${mapped.body.error.message}`
    mapped.body.error.cluster = error.cluster
    return mapped
  }
  if (error instanceof ActionError) {
    const mapped = fromEmapi(error.error, error.auditId, error.detail, error.source)
    // Sent but not answered: the change may have happened, and the body says so.
    if (error.outcome === 'unknown' || error.outcome === 'interrupted') mapped.body.error.outcome = error.outcome
    // Cut short by a stop: the transport's words (CUCM closed the connection) are not what
    // happened, nor is its advice (the ActionError's action says none).
    if (error.outcome === 'interrupted') mapped.body.error.message = error.message
    if (error.action === undefined) delete mapped.body.error.action
    return mapped
  }
  if (error instanceof EmapiError) return fromEmapi(error)
  if (error instanceof ServiceError) return fromService(error)
  const fastifyError = error as FastifyError
  if (fastifyError.validation !== undefined) return fromValidation(fastifyError, input)
  const status = fastifyError.statusCode
  if (status === 429) {
    return { statusCode: 429, body: { error: { code: 'RATE_LIMITED', message: 'Too many requests: slow down and try again in a minute.' } }, headers: { 'retry-after': '60' } }
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { statusCode: 413, body: { error: tooLargeBody(input.route) } }
  if (status !== undefined && status >= 400 && status < 500) {
    return { statusCode: status, body: { error: { code: FASTIFY_CODES[status] ?? 'BAD_REQUEST', message: FASTIFY_WORDS[fastifyError.code] ?? fastifyError.message } } }
  }
  return { statusCode: 500, body: { error: { code: 'INTERNAL', message: 'Internal error: see the server log.' } } }
}
