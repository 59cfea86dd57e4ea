import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Health } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export async function getHealth (signal?: AbortSignal): Promise<Health> {
  return await apiRequest<Health>('/api/health', { signal })
}

export const healthQueryKey = ['health'] as const

export function healthQueryOptions () {
  return queryOptions({
    queryKey: healthQueryKey,
    queryFn: async ({ signal }) => await getHealth(signal),
    refetchInterval: 30_000
  })
}

export function useHealth () {
  return useQuery(healthQueryOptions())
}
