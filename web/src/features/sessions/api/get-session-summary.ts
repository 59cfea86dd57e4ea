import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { SessionFilters, SessionSummary } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { filterParams, sessionsQueryString } from './query.ts'

export async function getSessionSummary (filters: SessionFilters, signal?: AbortSignal): Promise<SessionSummary> {
  return await apiRequest<SessionSummary>(`/api/sessions/summary${sessionsQueryString(filterParams(filters))}`, { signal })
}

export function sessionSummaryQueryOptions (filters: SessionFilters) {
  return queryOptions({
    queryKey: ['sessions', 'summary', filters] as const,
    queryFn: async ({ signal }) => await getSessionSummary(filters, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000
  })
}

/** Counts per cluster and device pool, the oldest session, the ages. */
export function useSessionSummary (filters: SessionFilters) {
  return useQuery(sessionSummaryQueryOptions(filters))
}
