import type { EmapiError } from '@em-console/shared/emapi'

/** An EMAPI call failed; the audit record of the attempt is `auditId`. */
export class ActionError extends Error {
  readonly error: EmapiError
  readonly auditId: number

  constructor (error: EmapiError, auditId: number) {
    super(error.message, { cause: error })
    this.name = 'ActionError'
    this.error = error
    this.auditId = auditId
  }
}

/** A logoutAll is already running; `auditId` is its record. */
export class LogoutAllRunningError extends Error {
  readonly auditId: number

  constructor (auditId: number) {
    super('A logout of all Extension Mobility users is already running. Wait for it to finish.')
    this.name = 'LogoutAllRunningError'
    this.auditId = auditId
  }
}

/** A bulk run finished with failed items; `auditId` is the record that sums it up. */
export class RunFailedError extends Error {
  readonly auditId: number
  readonly runId: string

  constructor (message: string, runId: string, auditId: number) {
    super(message)
    this.name = 'RunFailedError'
    this.runId = runId
    this.auditId = auditId
  }
}
