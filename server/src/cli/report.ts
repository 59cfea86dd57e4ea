import { EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import type { ClusterSource } from '@em-console/shared/schemas'
import { emapiAction, emapiProblem } from '../emapi/actions.js'
import { inSettingsWords } from '../setting-words.js'
import { ActionError, ClusterFailure, LogoutAllRunningError, sentence, sentences, ServiceError } from '../services/errors.js'
import { MAX_RESPONSE_BODY } from '../audit/audit-repository.js'
import { EXIT, type ExitCode } from './output.js'

/** A failed action as the CLI reports it: one human line, the JSON fields and the exit code. */
export interface FailureReport {
  exitCode: ExitCode
  /** As the audit record says: `unknown` and `interrupted` were sent, and may have happened. */
  outcome: 'failure' | 'error' | 'unknown' | 'interrupted'
  message: string
  emapiCode: number | null
  errorCode: string
  action: string | null
  auditId: number | null
  httpStatus: number | null
  responseBody: string | null
}

/** The lines of CUCM's answer a terminal shows: the start of it, saying how much is left out. */
const SHOWN_BODY_CHARS = 2000

export function shownBody (body: string): string {
  const trimmed = body.trim()
  if (trimmed.length <= SHOWN_BODY_CHARS) return trimmed
  return `${trimmed.slice(0, SHOWN_BODY_CHARS)}\n… (${(trimmed.length - SHOWN_BODY_CHARS).toLocaleString('en')} more characters of CUCM's answer; its audit record keeps the first ${MAX_RESPONSE_BODY / 1024} KiB)`
}

/** `source`: where the cluster's settings come from; what to do names its environment keys or its dashboard fields. */
function fromEmapi (error: EmapiError, auditId: number | null, source: ClusterSource = 'environment'): FailureReport {
  // As much of the answer as its audit record keeps: a proxy's or a broken CUCM's answer may be megabytes.
  const exchange = { auditId, httpStatus: error.httpStatus ?? null, responseBody: error.responseBody === undefined ? null : error.responseBody.slice(0, MAX_RESPONSE_BODY) }
  if (isEmapiFailure(error)) {
    return { ...exchange, exitCode: EXIT.failed, outcome: 'failure', message: error.message, emapiCode: error.emapiCode, errorCode: error.code, action: error.info.action }
  }
  // What to do about a transport failure (a 503, no answer in time, a refused certificate), as the
  // API says it (http-errors.ts): the problem in the message, its fix in `action`, said once.
  return { ...exchange, exitCode: EXIT.transport, outcome: 'error', message: emapiProblem(error), emapiCode: null, errorCode: error.code, action: inSettingsWords(emapiAction(error), source) }
}

/**
 * A service's words as the command line says them: the API names its field ('Invalid field
 * "cluster": …', '?cluster='), the command has an option of that name ("--cluster: …").
 */
function inCommandWords (text: string, field: string | undefined): string {
  const named = field === undefined ? text : text.replace(`Invalid field "${field}": `, `--${field}: `).replace(`field "${field}"`, `--${field}`)
  return named.replace(/\?cluster=/g, '--cluster')
}

/** What to do, said for a command line where the API's advice names an endpoint to call. */
const COMMAND_ACTIONS: Readonly<Record<string, string>> = {
  AUDIT_UNAVAILABLE: 'Free the database (DATABASE_PATH): end the other program that holds its lock (an sqlite3 shell, a backup), or free disk space; then try again.'
}

/**
 * The service's refusal of what the command line's --cluster said or left out (logout-all with two
 * clusters and no --cluster): a mistake in the command line, said as every other one is (stderr,
 * exit 3, USAGE). Undefined for anything else.
 */
export function usageOf (error: unknown): { exitCode: ExitCode, errorCode: string, message: string, hint: string } | undefined {
  if (!(error instanceof ServiceError) || error.kind !== 'bad-request' || error.field !== 'cluster') return undefined
  return { exitCode: EXIT.config, errorCode: 'USAGE', message: `${sentence(inCommandWords(error.message, error.field))} Nothing was sent.`, hint: 'Run "em-console help" for usage.' }
}

/** Turns what a service threw into a report; anything unexpected is rethrown. */
export function reportOf (error: unknown): FailureReport {
  if (error instanceof ClusterFailure) {
    const report = reportOf(error.cause)
    return { ...report, message: `${error.prefix}${report.message}` }
  }
  if (error instanceof ActionError) {
    const report = fromEmapi(error.error, error.auditId, error.source)
    // Sent without an answer that says what happened: it may have happened (the record says so too).
    // What to do is the ActionError's (none for one our own stop cut short: CUCM did not close the connection).
    if (error.outcome === 'unknown') return { ...report, outcome: error.outcome, message: error.message, action: error.action ?? null }
    // Our own stop cut it short, not CUCM: its transport error (the connection the command closed) would read as "CUCM unreachable".
    if (error.outcome === 'interrupted') return { ...report, outcome: error.outcome, message: error.message, errorCode: 'INTERRUPTED', action: error.action ?? null }
    // What the service adds to CUCM's words, as the API says it: a logout's look-up failed, so the logout was not sent.
    return error.detail === undefined ? report : { ...report, message: sentences(report.message, error.detail) }
  }
  if (error instanceof EmapiError) return fromEmapi(error, null)
  if (error instanceof LogoutAllRunningError) {
    // Its own record (the message names the running one's).
    return { exitCode: EXIT.failed, outcome: 'failure', message: error.message, emapiCode: null, errorCode: 'LOGOUT_ALL_RUNNING', action: null, auditId: error.refusedId, httpStatus: null, responseBody: null }
  }
  // The cluster rules (issue #17): a disabled or ambiguous cluster is refused as CUCM's refusals are
  // (a missing --cluster is a command-line mistake: usageOf).
  // A change refused because its record could not be written (AUDIT_UNAVAILABLE): nothing was sent.
  if (error instanceof ServiceError && ['bad-request', 'not-found', 'conflict', 'unavailable'].includes(error.kind)) {
    const message = inCommandWords(error.message, error.field)
    const action = COMMAND_ACTIONS[error.code] ?? (error.action === undefined ? null : inCommandWords(error.action, error.field))
    return { exitCode: error.kind === 'bad-request' ? EXIT.config : EXIT.failed, outcome: 'failure', message, emapiCode: null, errorCode: error.code, action, auditId: error.auditId ?? null, httpStatus: null, responseBody: null }
  }
  throw error
}

/**
 * How a line begins for an action that did not end well: as the audit record's outcome reads on the
 * dashboard. An interrupted record's message says whether CUCM may have carried it out (a change)
 * or nothing changed (a look-up cut short).
 */
export function failureHead (outcome: string): string {
  if (outcome === 'unknown') return 'Unknown (it may have happened)'
  if (outcome === 'interrupted') return 'Interrupted'
  return 'Failed'
}

/** "Failed: EMAPI error 3: Invalid application user… Check CUCM_APP_USER… (audit #12)" */
export function failureLine (report: FailureReport): string {
  const action = report.action === null ? '' : ` ${report.action}`
  const audit = report.auditId === null ? '' : ` (audit #${report.auditId})`
  return `${failureHead(report.outcome)}: ${sentence(report.message)}${action}${audit}`
}
