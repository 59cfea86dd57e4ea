import type { EmapiHealth, Health } from '@em-console/shared/schemas'

/**
 * How soon the dashboard asks again: within seconds while a cluster's first probe has not
 * answered (the server says "checking" rather than hold the page for CUCM's time limit), else every half minute.
 */
export function healthPollMs (healths: ReadonlyArray<Pick<EmapiHealth, 'checking'> | null> | undefined): number {
  return healths?.some((health) => health?.checking === true) === true ? 2000 : 30_000
}

/**
 * What an EMAPI health probe that failed says, in a few words: CUCM answered and refused EM Console
 * (its application user, password or rights: the server says `refused`), answered with another
 * error, could not be reached, or was not asked: the cluster cannot be used.
 */
export function emapiProblem (emapi: Pick<Health['emapi'], 'error'>): 'refuses EM Console' | 'answers with an error' | 'not reachable' | 'cannot be used' {
  // Not asked at all: the cluster could not be opened (its stored password does not decrypt).
  if (emapi.error?.code === 'CLUSTER_UNAVAILABLE') return 'cannot be used'
  if (emapi.error?.code !== 'EMAPI_FAILURE') return 'not reachable'
  return emapi.error.refused === true ? 'refuses EM Console' : 'answers with an error'
}
