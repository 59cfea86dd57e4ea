import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { SchedulePreview } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'

/** The next five fire times of an expression before it is saved; a bad cron or zone is a 400 naming the field. */
export async function getSchedulePreview (cron: string, timezone: string, signal?: AbortSignal): Promise<SchedulePreview> {
  return await apiRequest<SchedulePreview>(`/api/schedules/preview${toQueryString({ cron, timezone })}`, { signal })
}

export function schedulePreviewQueryOptions (cron: string, timezone: string) {
  return queryOptions({
    queryKey: ['schedules', 'preview', cron, timezone] as const,
    queryFn: async ({ signal }) => await getSchedulePreview(cron, timezone, signal),
    enabled: cron !== '',
    placeholderData: keepPreviousData,
    staleTime: 30_000
  })
}

export function useSchedulePreview (cron: string, timezone: string) {
  return useQuery(schedulePreviewQueryOptions(cron, timezone))
}
