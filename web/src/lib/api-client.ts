import type { ErrorBody } from '@em-console/shared/schemas'

/** Every request from the web app says so: the server records these as trigger "ui". */
const CLIENT_HEADER = { 'x-requested-by': 'em-console-web' }

/** An API call that did not succeed, in the shape of the server's ErrorBody (or a network failure). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly emapiCode: number | undefined
  readonly action: string | undefined
  readonly auditId: number | undefined
  readonly field: string | undefined

  constructor (status: number, body: ErrorBody['error']) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.emapiCode = body.emapiCode
    this.action = body.action
    this.auditId = body.auditId
    this.field = body.field
  }
}

function isErrorBody (value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return typeof error === 'object' && error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { code?: unknown }).code === 'string'
}

async function readError (response: Response): Promise<ApiError> {
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  if (isErrorBody(body)) return new ApiError(response.status, body.error)
  return new ApiError(response.status, {
    code: `HTTP_${response.status}`,
    message: response.status >= 500
      ? `The EM Console server failed (HTTP ${response.status}).`
      : `The EM Console server refused the request (HTTP ${response.status}).`,
    action: response.status >= 500 ? 'Try again; if it keeps failing, check the server log.' : undefined
  })
}

export type QueryValue = string | number | boolean | null | undefined

/** A query string from an object; empty values are left out. */
export function toQueryString (params: Record<string, QueryValue>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue
    search.set(key, String(value))
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body?: unknown
  signal?: AbortSignal
}

/** Calls the EM Console REST API and returns its JSON; any failure becomes an ApiError. */
export async function apiRequest<T> (path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...CLIENT_HEADER, accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  let response: Response
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin'
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, {
      code: 'NETWORK',
      message: 'The EM Console server cannot be reached.',
      action: 'Check that the server is running and your network connection works, then try again.'
    })
  }
  if (!response.ok) throw await readError(response)
  return await response.json() as T
}
