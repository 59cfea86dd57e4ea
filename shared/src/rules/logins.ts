/*
 * A login's duration. Here, not in field-rules.ts, which the dashboard's first page loads: only the
 * login form and the server read it.
 */

/** How long a login lasts (EMAPI's `<exclusiveDuration><time>`, PROTOCOL.md §2), in minutes: at most a week. */
export const LOGIN_MINUTES = { minimum: 1, maximum: 10_080, allowed: 'whole minutes from 1 to 10080 (one week)' } as const

/** What is wrong with a login's duration in minutes, in words; undefined when it is one. */
export function loginMinutesProblem (minutes: number): string | undefined {
  return Number.isInteger(minutes) && minutes >= LOGIN_MINUTES.minimum && minutes <= LOGIN_MINUTES.maximum ? undefined : `Duration: ${LOGIN_MINUTES.allowed}.`
}

/** A login file's duration cell for a login without automatic logout (EMAPI's `<indefinite/>`), as people write it. */
const NO_TIME_LIMIT = /^(indefinite|never|none)$/i

/**
 * A login file's duration cell, read: empty is the cluster's own maximum (no duration sent, the
 * login form's "Cluster default"); "indefinite", "never" or "none", no automatic logout (the form's
 * "Never"); else whole minutes. Undefined when it is none of these.
 */
export function readLoginDuration (cell: string): { durationMinutes?: number, indefinite?: true } | undefined {
  if (cell === '') return {}
  if (NO_TIME_LIMIT.test(cell)) return { indefinite: true }
  return /^\d+$/.test(cell) ? { durationMinutes: Number(cell) } : undefined
}
