import type { Health } from '@em-console/shared/schemas'

/**
 * What an EMAPI health probe that failed says, in a few words: CUCM answered and refused EM Console
 * (wrong application user or password, no proxy rights: an EMAPI code), or it could not be reached.
 */
export function emapiProblem (emapi: Pick<Health['emapi'], 'error'>): 'refuses EM Console' | 'not reachable' {
  return emapi.error?.code === 'EMAPI_FAILURE' ? 'refuses EM Console' : 'not reachable'
}
