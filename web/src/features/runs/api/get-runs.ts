import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query'
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

const recentRunsQueryKey = [...runsQueryKey, 'recent'] as const

/** The recent runs are read again: a run that ended since may be listed as still running. */
export async function invalidateRecentRuns (queryClient: QueryClient): Promise<void> {
  await queryClient.invalidateQueries({ queryKey: recentRunsQueryKey })
}

export function recentRunsQueryOptions () {
  return queryOptions({
    queryKey: recentRunsQueryKey,
    queryFn: async ({ signal }) => await getRuns(signal),
    refetchInterval: 15_000
  })
}

export function useRecentRuns () {
  return useQuery(recentRunsQueryOptions())
}
