import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { SessionHistoryFilters, SessionHistoryPage } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { sessionsQueryString } from './query.ts'

export type HistorySubject = { device: string } | { user: string }

/** The last sessions of one device or one user (whole names), the latest end first. */
export async function getSessionHistory (subject: HistorySubject, signal?: AbortSignal): Promise<SessionHistoryPage> {
  return await apiRequest<SessionHistoryPage>(`/api/sessions/history${sessionsQueryString({ ...subject, exact: true, limit: 50 })}`, { signal })
}

export function useSessionHistory (subject: HistorySubject) {
  return useQuery({
    queryKey: ['sessions', 'history', subject] as const,
    queryFn: async ({ signal }) => await getSessionHistory(subject, signal)
  })
}

/** The Sessions screen's filters that ended sessions take (the history's own, shared/schemas). */
export type EndedFilters = Pick<SessionHistoryFilters, 'cluster' | 'devicePool' | 'user' | 'device' | 'q'>

/** Ended sessions matching the filters of the Sessions screen, a page of 50 at a time. */
export function useEndedSessions (filters: EndedFilters) {
  return useInfiniteQuery({
    queryKey: ['sessions', 'ended', filters] as const,
    queryFn: async ({ pageParam, signal }) => await apiRequest<SessionHistoryPage>(`/api/sessions/history${sessionsQueryString({ ...filters, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined
  })
}
