import { useEffect } from 'react'
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Run, RunState } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateRecentRuns, runsQueryKey } from './get-runs.ts'

const FINAL_STATES: ReadonlySet<RunState> = new Set(['done', 'cancelled', 'interrupted'])

export function isFinalState (state: RunState): boolean {
  return FINAL_STATES.has(state)
}

export function runQueryKey (id: string) {
  return [...runsQueryKey, 'detail', id] as const
}

export async function getRun (id: string, signal?: AbortSignal): Promise<Run> {
  return await apiRequest<Run>(`/api/runs/${encodeURIComponent(id)}`, { signal })
}

/** The CSV of a run's items is a plain link: the browser downloads it with the session cookie. */
export function runResultsHref (id: string): string {
  return `/api/runs/${encodeURIComponent(id)}/results.csv`
}

/**
 * While a run goes on, its event stream brings the news (run-events.ts). After it, the only news
 * is the re-check: read the run again shortly after the time it is due, and stop once it is done,
 * failed or will not happen (nothing is left to wait for).
 */
export function untilVerified (run: Run | undefined): number | false {
  if (run === undefined || !isFinalState(run.state) || run.verifyAt === null || run.verifiedAt !== null || run.verifyError !== null) return false
  const wait = Date.parse(run.verifyAt) - Date.now() + 1500
  return Math.min(Math.max(wait, 2000), 15_000)
}

export function runQueryOptions (id: string) {
  return queryOptions({
    queryKey: runQueryKey(id),
    queryFn: async ({ signal }) => await getRun(id, signal),
    refetchInterval: (query) => untilVerified(query.state.data)
  })
}

export function useRun (id: string) {
  const queryClient = useQueryClient()
  const run = useQuery(runQueryOptions(id))
  const ended = run.data !== undefined && isFinalState(run.data.state)
  // A run that ended before its page followed it (a short one) sends no end event: the recent runs
  // read while it ran would list it as running for up to their next poll.
  useEffect(() => {
    if (ended) invalidateRecentRuns(queryClient).catch(() => {})
  }, [ended, queryClient])
  return run
}
