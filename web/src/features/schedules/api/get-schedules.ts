import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
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
    refetchInterval: 60_000,
    // Read afresh whenever the screen opens: Settings reads the list too (the schedules that log
    // out its device lists), and the screen opened seconds later showed that reading, without a
    // schedule another admin or a script had saved since, for up to a minute.
    refetchOnMount: 'always'
  })
}

export function useSchedules () {
  return useQuery(schedulesQueryOptions())
}

/** Reads the list again now, not from the cache: answers schedule `id` as saved, undefined when it was deleted. */
export function useReadScheduleAgain () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (id: number) => (await queryClient.fetchQuery({ ...schedulesQueryOptions(), staleTime: 0 })).schedules.find((schedule) => schedule.id === id)
  })
}
