import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query'
import type { Health } from '@em-console/shared/schemas'
import { apiRequest } from './api-client.ts'
import { healthPollMs } from './emapi-health.ts'

/** `fresh`: a new probe when the last is past the server's cache time, not the last one while it runs. */
export async function getHealth (signal?: AbortSignal, fresh = false): Promise<Health> {
  return await apiRequest<Health>(fresh ? '/api/health?fresh=true' : '/api/health', { signal })
}

// Here and not in the health feature: the logout-all dialog and the clusters card read it too.
export const healthQueryKey = ['health'] as const

export function healthQueryOptions () {
  return queryOptions({
    queryKey: healthQueryKey,
    queryFn: async ({ signal }) => await getHealth(signal),
    refetchInterval: (query) => healthPollMs(query.state.data?.clusters.map((cluster) => cluster.emapi))
  })
}

/** "Check now": CUCM asked again, so a setting just mended does not read as still failing until the next poll. */
export async function checkHealthNow (queryClient: QueryClient): Promise<void> {
  await queryClient.fetchQuery({ queryKey: healthQueryKey, queryFn: async ({ signal }) => await getHealth(signal, true), staleTime: 0 })
}

export function useHealth () {
  return useQuery(healthQueryOptions())
}
