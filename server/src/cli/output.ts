import { EmapiError, isEmapiFailure } from '@em-console/shared/emapi'
import { ActionError, LogoutAllRunningError } from '../services/errors.js'

/** The exit codes scripts and the OS scheduler can rely on (docs/operations.md). */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** CUCM answered with an EMAPI error, another logout-all was running, or the user said no. */
  failed: 1,
  /** CUCM could not be reached or did not speak EMAPI: connection, TLS, timeout, HTTP status, bad XML. */
  transport: 2,
  /** EM Console's configuration or the command line is wrong: nothing was sent. */
  config: 3
} as const
export type ExitCode = typeof EXIT[keyof typeof EXIT]

export interface Io {
  out: (line: string) => void
  err: (line: string) => void
}

export const processIo: Io = {
  out: (line) => { process.stdout.write(line + '\n') },
  err: (line) => { process.stderr.write(line + '\n') }
}

/** A failed action as the CLI reports it: one human line, the JSON fields and the exit code. */
export interface FailureReport {
  exitCode: ExitCode
  outcome: 'failure' | 'error'
  message: string
  emapiCode: number | null
  errorCode: string
  action: string | null
  auditId: number | null
  httpStatus: number | null
  responseBody: string | null
}

function fromEmapi (error: EmapiError, auditId: number | null): FailureReport {
  const exchange = { auditId, httpStatus: error.httpStatus ?? null, responseBody: error.responseBody ?? null }
  if (isEmapiFailure(error)) {
    return { ...exchange, exitCode: EXIT.failed, outcome: 'failure', message: error.message, emapiCode: error.emapiCode, errorCode: error.code, action: error.info.action }
  }
  return { ...exchange, exitCode: EXIT.transport, outcome: 'error', message: error.message, emapiCode: null, errorCode: error.code, action: null }
}

/** Turns what a service threw into a report; anything unexpected is rethrown. */
export function reportOf (error: unknown): FailureReport {
  if (error instanceof ActionError) return fromEmapi(error.error, error.auditId)
  if (error instanceof EmapiError) return fromEmapi(error, null)
  if (error instanceof LogoutAllRunningError) {
    return { exitCode: EXIT.failed, outcome: 'failure', message: error.message, emapiCode: null, errorCode: 'LOGOUT_ALL_RUNNING', action: null, auditId: error.auditId, httpStatus: null, responseBody: null }
  }
  throw error
}

/** "Failed: EMAPI error 3: Invalid application user… Check CUCM_APP_USER… (audit #12)" */
export function failureLine (report: FailureReport): string {
  const action = report.action === null ? '' : ` ${report.action}`
  const audit = report.auditId === null ? '' : ` (audit #${report.auditId})`
  const sentence = /[.!?]$/.test(report.message) ? report.message : `${report.message}.`
  return `Failed: ${sentence}${action}${audit}`
}

/** Fixed-width columns for a terminal; the last column is not padded. */
export function table (rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length) })
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd())
}

/** 2026-11-22T06:43:33.123Z → 2026-11-22 06:43:33Z */
export function shortTime (iso: string | null): string {
  return iso === null ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}
