import { queryOptions, useQuery } from '@tanstack/react-query'
import type { ScheduleList } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export const schedulesQueryKey = ['schedules', 'list'] as const

export async function getSchedules (signal?: AbortSignal): Promise<ScheduleList> {
  return await apiRequest<ScheduleList>('/api/schedules', { signal })
}

export function schedulesQueryOptions () {
  return queryOptions({
    queryKey: schedulesQueryKey,
    queryFn: async ({ signal }) => await getSchedules(signal),
    // Next fire times move on as the clock does, and a schedule may have just run.
    refetchInterval: 60_000
  })
}

export function useSchedules () {
  return useQuery(schedulesQueryOptions())
}
