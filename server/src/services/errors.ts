import { utcText } from '@em-console/shared/display'
import type { EmapiError } from '@em-console/shared/emapi'
import type { ClusterSource, ErrorCode } from '@em-console/shared/schemas'
import { emapiAction } from '../emapi/actions.js'
import { inSettingsWords } from '../setting-words.js'

/**
 * The kinds of refusal. Services and the auth plugin say which kind; the HTTP layer alone turns
 * each kind into a status (http-errors.ts), and the CLI into an exit code.
 */
export type RefusalKind = 'bad-request' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'too-many' | 'failed' | 'unavailable'

export interface RefusalDetails {
  /** The input field at fault, in the API's own words. */
  field?: string
  /** What the person should do about it. */
  action?: string
  /** The audit record of the attempt, when there is one. */
  auditId?: number
  /** For too-many: when to try again. */
  retryAfterSeconds?: number
}

/** A request EM Console refuses or could not carry out, explained in plain words with a stable code. */
export class ServiceError extends Error {
  readonly kind: RefusalKind
  readonly code: ErrorCode
  readonly field: string | undefined
  readonly action: string | undefined
  readonly auditId: number | undefined
  readonly retryAfterSeconds: number | undefined

  constructor (kind: RefusalKind, code: ErrorCode, message: string, details: RefusalDetails = {}) {
    super(message)
    this.name = 'ServiceError'
    this.kind = kind
    this.code = code
    this.field = details.field
    this.action = details.action
    this.auditId = details.auditId
    this.retryAfterSeconds = details.retryAfterSeconds
  }
}

/** Input that passed the schema but still cannot be used; names the field. */
export class BadRequestError extends ServiceError {
  constructor (field: string, message: string) {
    super('bad-request', 'VALIDATION', message, { field })
    this.name = 'BadRequestError'
  }
}

/**
 * A login given both an automatic logout after `durationMinutes` and none (`indefinite`) is refused:
 * one rule for a login and a login run's items. `field`: the duration's path in the body.
 */
export function refuseBothDurations (login: { durationMinutes?: number, indefinite?: boolean }, field = 'durationMinutes'): void {
  if (login.indefinite === true && login.durationMinutes !== undefined) {
    throw new BadRequestError(field, `Invalid body field "${field}": give a duration or indefinite, not both.`)
  }
}

/** A paging cursor this server did not give (every page's rule: said, never read as "the first page"). */
export function badCursor (): BadRequestError {
  return new BadRequestError('cursor', 'Invalid querystring field "cursor": it is not a cursor this server gave; start again from the first page.')
}

export class NotFoundError extends ServiceError {
  constructor (message: string, action?: string) {
    super('not-found', 'NOT_FOUND', message, { action })
    this.name = 'NotFoundError'
  }
}

/** `value`, or a not-found refusal saying what was missing. */
export function found<T> (value: T | undefined, message: string, action?: string): T {
  if (value === undefined) throw new NotFoundError(message, action)
  return value
}

/** What to do when the audit trail cannot be written (AUDIT_UNAVAILABLE), for the API's callers: `then`, once the database takes writes. */
export function freeTheDatabase (then: string): string {
  return `See GET /api/health (store) and the server log; free the database (end the other program, free disk space), then ${then}.`
}

/** `text` ending as a sentence does: a full stop unless it has one (or ! or ?). */
export function sentence (text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}

/** `first`, then `then` as a sentence of its own. */
export function sentences (first: string, then: string | undefined): string {
  return then === undefined ? first : `${sentence(first)} ${then}`
}

/**
 * An EMAPI call failed; the audit record of the attempt is `auditId`. `outcome`: `failure` (CUCM
 * answered with an EMAPI code), `error` (not sent, or an HTTP error page that turned it away),
 * `unknown` (sent, and no answer says what happened: none in time, the connection dropped, one
 * that cannot be read, an HTTP 500, 502 or 504 page; it may have happened), `interrupted` (the server stopped while waiting: it may have happened). `detail` says more than the code's meaning, e.g. who is on the phone (code 18).
 */
export class ActionError extends Error {
  readonly error: EmapiError
  readonly auditId: number
  readonly outcome: 'failure' | 'error' | 'unknown' | 'interrupted'
  readonly detail: string | undefined
  /** Where the cluster's settings come from: what to do names the environment's keys or the dashboard's fields. */
  readonly source: ClusterSource

  constructor (error: EmapiError, auditId: number, outcome: ActionError['outcome'], detail?: string, source: ClusterSource = 'environment') {
    // An interrupted change's error is the connection our own stop closed, not CUCM's doing: the detail alone says what happened.
    super(outcome === 'interrupted' && detail !== undefined ? detail : sentences(error.message, detail), { cause: error })
    this.name = 'ActionError'
    this.error = error
    this.auditId = auditId
    this.outcome = outcome
    this.detail = detail
    this.source = source
  }

  /**
   * What to do about it, as an error body says it (in the words of the cluster's settings); none
   * for a change our own stop cut short: CUCM did nothing to fix.
   */
  get action (): string | undefined {
    return this.outcome === 'interrupted' ? undefined : inSettingsWords(emapiAction(this.error), this.source)
  }
}

/**
 * A change was not sent: its run was cancelled or stopped while it waited for a free slot, or
 * (`refusal`) its cluster was deleted or disabled meanwhile, which is what its caller hears.
 */
export class NotSentError extends Error {
  readonly refusal: ServiceError | undefined
  constructor (message = 'Not sent: the run was cancelled or stopped before a slot to CUCM was free.', refusal?: ServiceError) {
    super(message)
    this.name = 'NotSentError'
    this.refusal = refusal
  }
}

/**
 * A change made from a copy read before someone else's change: saved, it would undo theirs
 * unseen (two admins with one form open). `field` is the version the caller sent.
 */
export class ChangedSinceReadError extends ServiceError {
  constructor (what: string, it: 'it' | 'them', field: string, by: string, at: string, refused = 'Your change was not saved.') {
    super('conflict', 'CHANGED_SINCE_READ', `${what} changed since you opened ${it}: ${by} saved ${it} at ${utcText(at)}. ${refused}`, {
      field,
      action: `Read ${it} again to see that change, then make yours again.`
    })
    this.name = 'ChangedSinceReadError'
  }
}

/**
 * A version later than any `what` had: never read, so nobody changed it since (forged or
 * mistyped). Refused as such, rather than as a change since read by someone who never saved it.
 */
export function neverHadVersion (what: string, field: string, sent: string | number, current: string | number, readWith: string): BadRequestError {
  return new BadRequestError(field, `${what} never had ${field} ${sent} (now ${current}): send the ${field} that ${readWith} answered.`)
}

/** A logoutAll is already running; `auditId` is its record. */
export class LogoutAllRunningError extends ServiceError {
  /** The record of the logout-all that runs. */
  declare readonly auditId: number
  /** The record of this refusal. */
  readonly refusedId: number
  /** The cluster it runs on (its id). */
  readonly cluster: string | undefined
  /** That cluster in words meant for a person (registry.said); its id by default. */
  readonly said: string | undefined

  constructor (auditId: number, refusedId: number, cluster?: string, said = cluster) {
    super('conflict', 'LOGOUT_ALL_RUNNING', `A logout of all Extension Mobility users is already running${said === undefined ? '' : ` on cluster ${said}`} (audit #${auditId}). Wait for it to finish.`, { auditId })
    this.name = 'LogoutAllRunningError'
    this.refusedId = refusedId
    this.cluster = cluster
    this.said = said
  }
}

/**
 * What to do about a bulk run that ended with failed items: its page names each device, and runs
 * again those sent that failed ("Retry failed") and those it never reached ("Run the rest").
 */
export function failedItemsAction (ended: { failed: number, notReached: number }): string {
  const again = ended.notReached === 0 ? '"retry failed"' : ended.notReached === ended.failed ? '"run the rest"' : '"retry failed" and "run the rest"'
  return `Open the run to see which devices failed and why; ${again} runs them again.`
}

/**
 * A run that failed; `auditId` is the record that sums it up. `action` only when there is a run
 * of devices to open: a selection refused before anything was sent, or a logout of all users,
 * has none (its message says why).
 */
export class RunFailedError extends ServiceError {
  declare readonly auditId: number
  readonly runId: string
  /** The server's stop cut it short (a schedule's run then ends interrupted, not failed). */
  readonly interrupted: boolean

  constructor (message: string, runId: string, auditId: number, options: { action?: string, interrupted?: boolean } = {}) {
    super('failed', 'RUN_FAILED', message, { auditId, action: options.action })
    this.name = 'RunFailedError'
    this.runId = runId
    this.interrupted = options.interrupted ?? false
  }
}

/**
 * A failure of one cluster in an action that asked several: the cause, as it is, with the cluster
 * it came from. The API answers the cause's status and code, naming the cluster (http-errors.ts).
 */
export class ClusterFailure extends Error {
  /** The cluster's id (the API's `cluster` field). */
  readonly cluster: string
  /** "Cluster <its name>: ", as a person reads it (registry.said). */
  readonly prefix: string

  constructor (cluster: string, said: string, cause: unknown) {
    super(`Cluster ${said}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'ClusterFailure'
    this.cluster = cluster
    this.prefix = `Cluster ${said}: `
  }
}
