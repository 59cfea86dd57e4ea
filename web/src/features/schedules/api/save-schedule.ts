import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Schedule, ScheduleCreateBody, ScheduleUpdateBody } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { schedulesQueryKey } from './get-schedules.ts'

export async function createSchedule (body: ScheduleCreateBody): Promise<Schedule> {
  return await apiRequest<Schedule>('/api/schedules', { method: 'POST', body })
}

export interface UpdateScheduleRequest {
  id: number
  body: ScheduleUpdateBody
}

export async function updateSchedule ({ id, body }: UpdateScheduleRequest): Promise<Schedule> {
  return await apiRequest<Schedule>(`/api/schedules/${id}`, { method: 'PATCH', body })
}

export async function deleteSchedule (id: number): Promise<void> {
  await apiRequest<undefined>(`/api/schedules/${id}`, { method: 'DELETE' })
}

function useInvalidateSchedules () {
  const queryClient = useQueryClient()
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: schedulesQueryKey }),
      queryClient.invalidateQueries({ queryKey: ['audit'] })
    ])
  }
}

export function useCreateSchedule () {
  const invalidate = useInvalidateSchedules()
  return useMutation({ mutationFn: createSchedule, onSuccess: invalidate })
}

export function useUpdateSchedule () {
  const invalidate = useInvalidateSchedules()
  return useMutation({ mutationFn: updateSchedule, onSuccess: invalidate })
}

export function useDeleteSchedule () {
  const invalidate = useInvalidateSchedules()
  return useMutation({ mutationFn: deleteSchedule, onSuccess: invalidate })
}
