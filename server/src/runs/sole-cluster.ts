/**
 * The cluster a scope of one cluster names (a run's, a schedule's, a selection's): the one its
 * records name, so History filtered by that cluster shows them. Undefined for several clusters,
 * or none given (every usable one): their messages say which then.
 */
export function soleCluster (scope: readonly string[] | null | undefined): string | undefined {
  return scope?.length === 1 ? scope[0] : undefined
}

/** A record's or a summary's `cluster` field, to spread: none when it names no cluster. */
export function clusterField (cluster: string | undefined): { cluster?: string } {
  return cluster === undefined ? {} : { cluster }
}
