import { queryOptions, useQuery } from '@tanstack/react-query'
import type { AuditStats } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { browserTimeZone } from '../../../lib/format.ts'

export const ACTIVITY_DAYS = 30

/** The start of the browser's today: History's days are the browser's, so the Overview's "today" is too. */
export function startOfToday (now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate())
}

/**
 * `cluster`: that cluster's actions only (the header's pick); every cluster's without. The days
 * and today are the browser's (its time zone's), as History's days are.
 */
export async function getAuditStats (days: number, cluster: string | undefined, signal?: AbortSignal): Promise<AuditStats> {
  const query = new URLSearchParams({ days: String(days), timezone: browserTimeZone(), ...(cluster === undefined ? {} : { cluster }) })
  return await apiRequest<AuditStats>(`/api/audit/stats?${query.toString()}`, { signal })
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
