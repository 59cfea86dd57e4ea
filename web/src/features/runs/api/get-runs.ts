import { useInfiniteQuery, type QueryClient } from '@tanstack/react-query'
import type { RunSummary } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** Every query of this feature starts with it, so a change refreshes the list and the run pages. */
export const runsQueryKey = ['runs'] as const

export interface RunList {
  runs: RunSummary[]
  nextBefore: string | null
}

/** How many runs a page of the list shows: "Show older runs" brings the next. */
export const RECENT_RUNS = 20

/** A page of the runs, the latest first; `before`: the nextBefore of the page before. */
export async function getRuns (before: string | undefined, signal?: AbortSignal): Promise<RunList> {
  const query = new URLSearchParams({ limit: String(RECENT_RUNS), ...(before === undefined ? {} : { before }) })
  return await apiRequest<RunList>(`/api/runs?${query.toString()}`, { signal })
}

const recentRunsQueryKey = [...runsQueryKey, 'recent'] as const

/** The recent runs are read again: a run that ended since may be listed as still running. */
export async function invalidateRecentRuns (queryClient: QueryClient): Promise<void> {
  await queryClient.invalidateQueries({ queryKey: recentRunsQueryKey })
}

/** The runs, a page at a time: after a year of nightly runs, last month's is a few pages back. */
export function useRecentRuns () {
  return useInfiniteQuery({
    queryKey: recentRunsQueryKey,
    queryFn: async ({ pageParam, signal }) => await getRuns(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    refetchInterval: 15_000
  })
}
