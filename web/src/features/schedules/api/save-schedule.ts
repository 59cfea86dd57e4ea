import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { Schedule, ScheduleCreateBody, ScheduleUpdateBody } from '@em-console/shared/schemas'
import { ApiError, apiRequest } from '../../../lib/api-client.ts'
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

/** `updatedAt`: the version the admin saw; a change saved since refuses the delete (CHANGED_SINCE_READ). */
export async function deleteSchedule ({ id, updatedAt }: Pick<Schedule, 'id' | 'updatedAt'>): Promise<void> {
  await apiRequest<undefined>(`/api/schedules/${id}?updatedAt=${encodeURIComponent(updatedAt)}`, { method: 'DELETE' })
}

/** Whether the server refused a change made from a copy read before another admin's change. */
export function isChangedSinceRead (error: unknown): boolean {
  return error instanceof ApiError && error.code === 'CHANGED_SINCE_READ'
}

function useInvalidateSchedules () {
  const queryClient = useQueryClient()
  return {
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: schedulesQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['audit'] })
      ])
    },
    // Refused as made from an old copy: the list is read again, so it shows the change that refused it.
    onError: async (error: unknown) => {
      if (isChangedSinceRead(error)) await queryClient.invalidateQueries({ queryKey: schedulesQueryKey })
    }
  }
}

// A double click sent a save twice: the second was refused ("already exists", or changed since
// read) under a form whose save had been made.
export function useCreateSchedule () {
  return useActionMutation({ mutationFn: createSchedule, ...useInvalidateSchedules() })
}

export function useUpdateSchedule () {
  return useActionMutation({ mutationFn: updateSchedule, ...useInvalidateSchedules() })
}

export function useDeleteSchedule () {
  return useMutation({ mutationFn: deleteSchedule, ...useInvalidateSchedules() })
}
