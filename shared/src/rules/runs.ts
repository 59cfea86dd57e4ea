/**
 * Which run items each follow-up run takes, in one place for the server and the dashboard (no
 * TypeBox here: the web bundle imports this module at run time).
 */
/** Names without repeats, compared case-insensitively as CUCM compares them; first spelling kept. */
export function uniqueNames (names: readonly string[]): string[] {
  const seen = new Map<string, string>()
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name)
  return [...seen.values()]
}

/** The most items a run takes, however they arrive (a JSON list, a pasted list, a CSV, a selection). */
export const MAX_RUN_ITEMS = 5000

/**
 * A run looks its devices up again this long after it ends, unless its request says otherwise: CUCM's
 * Extension Mobility status lags a change by about two minutes (PROTOCOL.md §5). 0: no re-check.
 */
export const DEFAULT_VERIFY_AFTER_SECONDS = 120
/** The longest wait before a run's re-check that a request may ask for. */
export const MAX_VERIFY_AFTER_SECONDS = 3600

/** What "Retry failed" runs again: items that were sent and did not (surely) work. */
export const RETRY_FAILED_OUTCOMES = ['failure', 'error', 'unknown', 'interrupted'] as const
/** What "Run the rest" sends: items the run never reached. */
export const RUN_THE_REST_OUTCOMES = ['cancelled', 'not-run'] as const
export const RETRY_SCOPES = ['failed', 'rest'] as const
export type RetryScope = typeof RETRY_SCOPES[number]

/** How many items of a run have an outcome a retry of `scope` takes, from the run's counts per outcome. */
export function retryCount (counts: Readonly<Record<string, number>>, scope: RetryScope): number {
  const outcomes: readonly string[] = scope === 'failed' ? RETRY_FAILED_OUTCOMES : RUN_THE_REST_OUTCOMES
  return outcomes.reduce((n, outcome) => n + (counts[outcome] ?? 0), 0)
}

/**
 * How many items a retry of `scope` sends again: an item about a user (`userCounts`: a user not
 * found while a cluster could not be asked) has no device to send to, and is left out.
 */
export function resendCount (run: { counts: Readonly<Record<string, number>>, userCounts?: Readonly<Record<string, number>> }, scope: RetryScope): number {
  return retryCount(run.counts, scope) - retryCount(run.userCounts ?? {}, scope)
}
