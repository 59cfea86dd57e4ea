import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { RetryScope } from '@em-console/shared/rules'
import type { RunItemOutcome, RunItemsPage } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { runQueryKey } from './get-run.ts'

/** Rows of a run's table per page: the server pages a run's items (up to 5,000). */
export const RUN_ITEMS_PAGE_SIZE = 100

export interface RunItemsRequest {
  /** One outcome, or the items a retry scope would take ("failed", "rest"). */
  outcome?: RunItemOutcome | RetryScope
  /** The seq after which the page starts (-1: the first page). */
  after: number
}

export async function getRunItems (id: string, { outcome, after }: RunItemsRequest, signal?: AbortSignal): Promise<RunItemsPage> {
  const query = new URLSearchParams({ after: String(after), limit: String(RUN_ITEMS_PAGE_SIZE) })
  if (outcome !== undefined) query.set('outcome', outcome)
  return await apiRequest<RunItemsPage>(`/api/runs/${encodeURIComponent(id)}/items?${query.toString()}`, { signal })
}

/**
 * One page of a run's items. `progress` (how many items have finished, and when they were
 * re-checked) is part of the key, so the page is read again as the run moves on; the previous
 * page stays shown meanwhile.
 */
export function useRunItems (id: string, request: RunItemsRequest, progress: string) {
  return useQuery(queryOptions({
    queryKey: [...runQueryKey(id), 'items', request.outcome ?? 'all', request.after, progress] as const,
    queryFn: async ({ signal }) => await getRunItems(id, request, signal),
    placeholderData: keepPreviousData
  }))
}
