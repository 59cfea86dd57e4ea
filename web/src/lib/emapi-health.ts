import type { Health } from '@em-console/shared/schemas'

/**
 * What an EMAPI health probe that failed says, in a few words: CUCM answered and refused EM Console
 * (its application user, password or rights: the server says `refused`), answered with another
 * error, or could not be reached.
 */
export function emapiProblem (emapi: Pick<Health['emapi'], 'error'>): 'refuses EM Console' | 'answers with an error' | 'not reachable' {
  if (emapi.error?.code !== 'EMAPI_FAILURE') return 'not reachable'
  return emapi.error.refused === true ? 'refuses EM Console' : 'answers with an error'
}
