import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import type { SessionFilters, SessionPage, SessionSort, SortOrder } from '@em-console/shared/schemas'
import { MAX_SESSIONS_PAGE } from '@em-console/shared/field-rules'
import { apiRequest } from '../../../lib/api-client.ts'
import { filterParams, sessionsQueryString } from './query.ts'

/** The API's largest page (MAX_SESSIONS_PAGE): 20,000 sessions are 40 requests. The first is small: it is what shows first. */
const FIRST_PAGE = 100

export interface SessionsListQuery {
  filters: SessionFilters
  sort: SessionSort
  order: SortOrder
}

export async function getSessionsPage (query: SessionsListQuery, cursor: string | undefined, signal?: AbortSignal, limit = MAX_SESSIONS_PAGE): Promise<SessionPage> {
  return await apiRequest<SessionPage>(`/api/sessions${sessionsQueryString({ ...filterParams(query.filters), sort: query.sort, order: query.order, limit, cursor })}`, { signal })
}

/** The live sessions, page by page as the table scrolls (keyset pages: each follows the last). */
export function useSessionPages (query: SessionsListQuery) {
  return useInfiniteQuery({
    queryKey: ['sessions', 'list', query] as const,
    queryFn: async ({ pageParam, signal }) => await getSessionsPage(query, pageParam, signal, pageParam === undefined ? FIRST_PAGE : MAX_SESSIONS_PAGE),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData
  })
}
