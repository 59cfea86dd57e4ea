import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { AuditPage, AuditQuery } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'

export async function getAuditPage (query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> {
  return await apiRequest<AuditPage>(`/api/audit${toQueryString({ ...query })}`, { signal })
}

export function auditPageQueryOptions (query: AuditQuery, refetchInterval: number | false = false) {
  return queryOptions({
    queryKey: ['audit', 'page', query] as const,
    queryFn: async ({ signal }) => await getAuditPage(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval
  })
}

export function useAuditPage (query: AuditQuery, refetchInterval: number | false = false) {
  return useQuery(auditPageQueryOptions(query, refetchInterval))
}
