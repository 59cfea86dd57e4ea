import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Schedule, ScheduleList } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** Shared with the schedules feature's own read of GET /api/schedules: one cache entry, one request. */
const schedulesQueryKey = ['schedules', 'list'] as const

/** A schedule that logs out a device list of Settings: its name, and its list (null: the first list). */
export type ListSchedule = Pick<Schedule, 'name' | 'list'>

/** The schedules that log out a device list: what a list renamed or removed here leaves without one. */
export function listSchedulesQueryOptions () {
  return queryOptions({
    queryKey: schedulesQueryKey,
    queryFn: async ({ signal }) => await apiRequest<ScheduleList>('/api/schedules', { signal }),
    select: (list: ScheduleList): ListSchedule[] => list.schedules.filter((s) => s.action === 'logout-saved-list').map((s) => ({ name: s.name, list: s.list }))
  })
}

export function useListSchedules () {
  return useQuery(listSchedulesQueryOptions())
}
