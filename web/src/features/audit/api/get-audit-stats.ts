import { queryOptions, useQuery } from '@tanstack/react-query'
import type { AuditStats } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export const ACTIVITY_DAYS = 30

/** The start of the browser's today: History's days are the browser's, so the Overview's "today" is too. */
export function startOfToday (now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate())
}

/** `cluster`: that cluster's actions only (the header's pick); every cluster's without. */
export async function getAuditStats (days: number, cluster: string | undefined, signal?: AbortSignal): Promise<AuditStats> {
  const todayFrom = encodeURIComponent(startOfToday().toISOString())
  return await apiRequest<AuditStats>(`/api/audit/stats?days=${days}&todayFrom=${todayFrom}${cluster === undefined ? '' : `&cluster=${encodeURIComponent(cluster)}`}`, { signal })
}

export function auditStatsQueryOptions (cluster: string | undefined, days = ACTIVITY_DAYS) {
  return queryOptions({
    queryKey: ['audit', 'stats', days, cluster ?? null] as const,
    queryFn: async ({ signal }) => await getAuditStats(days, cluster, signal),
    refetchInterval: 60_000
  })
}

export function useAuditStats (cluster: string | undefined, days = ACTIVITY_DAYS) {
  return useQuery(auditStatsQueryOptions(cluster, days))
}
