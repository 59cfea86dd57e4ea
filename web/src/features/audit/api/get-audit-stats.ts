import { queryOptions, useQuery } from '@tanstack/react-query'
import type { AuditStats } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export const ACTIVITY_DAYS = 30

export async function getAuditStats (days: number, signal?: AbortSignal): Promise<AuditStats> {
  return await apiRequest<AuditStats>(`/api/audit/stats?days=${days}`, { signal })
}

export function auditStatsQueryOptions (days = ACTIVITY_DAYS) {
  return queryOptions({
    queryKey: ['audit', 'stats', days] as const,
    queryFn: async ({ signal }) => await getAuditStats(days, signal),
    refetchInterval: 60_000
  })
}

export function useAuditStats (days = ACTIVITY_DAYS) {
  return useQuery(auditStatsQueryOptions(days))
}
