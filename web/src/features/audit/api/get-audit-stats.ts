import { queryOptions, useQuery } from '@tanstack/react-query'
import type { AuditStats } from '@em-console/shared/schemas'
import { ApiError, apiRequest } from '../../../lib/api-client.ts'
import { browserTimeZone } from '../../../lib/format.ts'

export const ACTIVITY_DAYS = 30

/** The start of the browser's today: History's days are the browser's, so the Overview's "today" is too. */
export function startOfToday (now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate())
}

/** The counts and the zone whose days they are: the browser's, or UTC when the server does not know the browser's (`unknownZone`). */
export interface ActivityStats {
  stats: AuditStats
  timeZone: string
  unknownZone?: string
}

/**
 * `cluster`: that cluster's actions only (the header's pick); every cluster's without. The days
 * and today are those of `timeZone` (the browser's, as History's days are).
 */
export async function getAuditStats (days: number, cluster: string | undefined, timeZone: string, signal?: AbortSignal): Promise<AuditStats> {
  const query = new URLSearchParams({ days: String(days), timezone: timeZone, ...(cluster === undefined ? {} : { cluster }) })
  return await apiRequest<AuditStats>(`/api/audit/stats?${query.toString()}`, { signal })
}

/**
 * A browser's zone may be newer than the server's time zone data, which then refuses it (400 on
 * the field timezone): the counts come in UTC, and the card says so, rather than none at all.
 */
async function getActivityStats (days: number, cluster: string | undefined, timeZone: string, signal?: AbortSignal): Promise<ActivityStats> {
  try {
    return { stats: await getAuditStats(days, cluster, timeZone, signal), timeZone }
  } catch (error) {
    if (!(error instanceof ApiError) || error.field !== 'timezone' || timeZone === 'UTC') throw error
    return { stats: await getAuditStats(days, cluster, 'UTC', signal), timeZone: 'UTC', unknownZone: timeZone }
  }
}

/** The zone is in the key: a browser's zone can change while the page is open (a laptop that travels). */
export function auditStatsQueryOptions (cluster: string | undefined, days = ACTIVITY_DAYS, timeZone = browserTimeZone()) {
  return queryOptions({
    queryKey: ['audit', 'stats', days, cluster ?? null, timeZone] as const,
    queryFn: async ({ signal }) => await getActivityStats(days, cluster, timeZone, signal),
    refetchInterval: 60_000
  })
}

export function useAuditStats (cluster: string | undefined, days = ACTIVITY_DAYS) {
  return useQuery(auditStatsQueryOptions(cluster, days))
}
