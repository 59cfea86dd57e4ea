import { queryOptions, useQuery } from '@tanstack/react-query'
import type { RunSummary } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** Every query of this feature starts with it, so a change refreshes the list and the run pages. */
export const runsQueryKey = ['runs'] as const

export interface RunList {
  runs: RunSummary[]
}

export async function getRuns (signal?: AbortSignal): Promise<RunList> {
  return await apiRequest<RunList>('/api/runs?limit=20', { signal })
}

export function recentRunsQueryOptions () {
  return queryOptions({
    queryKey: [...runsQueryKey, 'recent'] as const,
    queryFn: async ({ signal }) => await getRuns(signal),
    refetchInterval: 15_000
  })
}

export function useRecentRuns () {
  return useQuery(recentRunsQueryOptions())
}
