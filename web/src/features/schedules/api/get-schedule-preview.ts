import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { SchedulePreview } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'

/**
 * The next five fire times of an expression before it is saved, in `timezone`, else in that of
 * the clusters it names (comma-separated) when they share one, else the server's default; a bad
 * cron or zone is a 400 naming the field.
 */
export async function getSchedulePreview (cron: string, timezone: string, clusters: string, signal?: AbortSignal): Promise<SchedulePreview> {
  return await apiRequest<SchedulePreview>(`/api/schedules/preview${toQueryString({ cron, timezone, clusters })}`, { signal })
}

export function schedulePreviewQueryOptions (cron: string, timezone: string, clusters: string) {
  return queryOptions({
    queryKey: ['schedules', 'preview', cron, timezone, clusters] as const,
    queryFn: async ({ signal }) => await getSchedulePreview(cron, timezone, clusters, signal),
    enabled: cron !== '',
    placeholderData: keepPreviousData,
    staleTime: 30_000
  })
}

export function useSchedulePreview (cron: string, timezone: string, clusters: string) {
  return useQuery(schedulePreviewQueryOptions(cron, timezone, clusters))
}
