import type { ErrorBody } from '@em-console/shared/schemas'
import { UNATTENDED_HEADER } from '@em-console/shared/rules'
import { pageUnattended } from './person-activity.ts'

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
  /** A change sent without an answer that says what happened: it may have happened. */
  readonly outcome: 'unknown' | 'interrupted' | undefined
  /** The EM Console server said this (its ErrorBody), not the network or a proxy in between. */
  readonly fromServer: boolean

  /** The server's ErrorBody, or one the client makes for a network failure or a body that is not one. */
  constructor (status: number, body: Omit<ErrorBody['error'], 'code'> & { code: string }, fromServer = false) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.emapiCode = body.emapiCode
    this.action = body.action
    this.auditId = body.auditId
    this.field = body.field
    this.outcome = body.outcome
    this.fromServer = fromServer
  }

  /**
   * The message as said under its field, whose label names it already: 'Invalid field "cron":
   * "0 2 30 2 *" never fires…' reads '"0 2 30 2 *" never fires…'.
   */
  get fieldMessage (): string {
    const words = this.field === undefined ? this.message : this.message.replace(`Invalid field "${this.field}": `, '')
    return words.replace(/^./, (first) => first.toUpperCase())
  }
}

/** The server's verdict on one field of a form, as it said it; undefined when the error is about something else. */
export function errorOnField (error: unknown, field: string): string | undefined {
  return error instanceof ApiError && error.field === field ? error.message : undefined
}

function isErrorBody (value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return typeof error === 'object' && error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { code?: unknown }).code === 'string'
}

/** Statuses that are not the EM Console's own answers, in words (a proxy's or Node's limits). */
const STATUS_MESSAGES: Record<number, { message: string, action: string }> = {
  // Node refuses a path parameter longer than its limit before the API sees it.
  414: { message: 'A name or ID in this request is longer than the server accepts.', action: 'Check what was typed: CUCM names and IDs are short.' },
  413: { message: 'The request is larger than the server accepts.', action: 'Send a shorter list, or split it in parts.' }
}

async function readError (response: Response): Promise<ApiError> {
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  const known = STATUS_MESSAGES[response.status]
  if (response.status === 414 && known !== undefined) return new ApiError(414, { code: 'URI_TOO_LONG', ...known })
  // The server words its refusals for people (the field, what it may hold: shared/src/field-rules.ts).
  if (isErrorBody(body)) return new ApiError(response.status, body.error, true)
  if (known !== undefined) return new ApiError(response.status, { code: `HTTP_${response.status}`, ...known })
  return new ApiError(response.status, {
    code: `HTTP_${response.status}`,
    message: response.status >= 500
      ? `The EM Console server failed (HTTP ${response.status}).`
      : 'The EM Console server refused the request.',
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
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  /** Sent as is with this content type instead of `body` as JSON (a CSV upload). */
  text?: { body: string, contentType: string }
  signal?: AbortSignal
  /**
   * For the sign-in calls themselves: their 401 means "wrong password" or "not signed in yet",
   * not "the session ended", so it must not send the user back to the sign-in page.
   */
  allowUnauthenticated?: boolean
}

/*
 * The CSRF token of the current session. The session feature keeps it here from every session it
 * reads (sign-in, setup, GET /api/session), so every state-changing request can send it; it lives in
 * memory only, never in storage, because a token another script could read defeats its purpose.
 */
let csrfToken: string | undefined

export function setCsrfToken (token: string | undefined): void {
  csrfToken = token
}

type SessionEndedListener = (error: ApiError) => void
const sessionEndedListeners = new Set<SessionEndedListener>()

/**
 * Calls `listener` when an API call answers 401: the session expired (idle or absolute limit) or
 * was ended elsewhere. Returns the unsubscribe function.
 */
export function onSessionEnded (listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener)
  return () => { sessionEndedListeners.delete(listener) }
}

const SAFE_METHODS = new Set(['GET', 'HEAD'])

/** Calls the EM Console REST API and returns its JSON; any failure becomes an ApiError. */
export async function apiRequest<T> (path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { ...CLIENT_HEADER, accept: 'application/json' }
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  if (options.text !== undefined) headers['content-type'] = options.text.contentType
  // The server refuses every state-changing request without the session's token (403 CSRF).
  if (!SAFE_METHODS.has(method) && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken
  // Asked while nobody uses the page: it does not renew the session's idle time (person-activity.ts).
  if (pageUnattended()) headers[UNATTENDED_HEADER] = '1'
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.text?.body ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
      credentials: 'same-origin'
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    // A change whose answer never came may have been made all the same (the connection dropped
    // after it was sent): "try again" would make it twice (a second bulk run). The session's own
    // calls (sign-in, sign-out) are harmless to send again.
    if (!SAFE_METHODS.has(method) && options.allowUnauthenticated !== true) {
      throw new ApiError(0, {
        code: 'NETWORK',
        message: 'No answer came from the EM Console server: the change may have been made, or may not have reached it.',
        action: 'Check that the server is running and your network connection works; before sending it again, look whether it was made (History lists every change).',
        outcome: 'unknown'
      })
    }
    throw new ApiError(0, {
      code: 'NETWORK',
      message: 'The EM Console server cannot be reached.',
      action: 'Check that the server is running and your network connection works, then try again.'
    })
  }
  if (!response.ok) {
    const error = await readError(response)
    if (error.status === 401 && options.allowUnauthenticated !== true) {
      csrfToken = undefined
      for (const listener of sessionEndedListeners) listener(error)
    }
    throw error
  }
  // 204 No Content (sign-out) has no JSON to read.
  if (response.status === 204) return undefined as T
  return await response.json() as T
}
