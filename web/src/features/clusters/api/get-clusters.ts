import { queryOptions, useQuery } from '@tanstack/react-query'
import type { ClusterList } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { healthPollMs } from '../../../lib/emapi-health.ts'

export const clustersQueryKey = ['clusters'] as const

export async function getClusters (signal?: AbortSignal): Promise<ClusterList> {
  return await apiRequest<ClusterList>('/api/clusters', { signal })
}

/** Every cluster with its health; re-read now and then, as the Overview's connection card is. */
export function clustersQueryOptions () {
  return queryOptions({
    queryKey: clustersQueryKey,
    queryFn: async ({ signal }) => await getClusters(signal),
    refetchInterval: (query) => healthPollMs(query.state.data?.clusters.map((cluster) => cluster.health))
  })
}

export function useClusters () {
  return useQuery(clustersQueryOptions())
}
