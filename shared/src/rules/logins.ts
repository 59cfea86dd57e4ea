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
