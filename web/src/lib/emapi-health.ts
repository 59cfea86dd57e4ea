import type { Health } from '@em-console/shared/schemas'

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
