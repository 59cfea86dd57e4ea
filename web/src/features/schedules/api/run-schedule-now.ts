import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { ScheduleRunResult } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'
import { schedulesQueryKey } from './get-schedules.ts'

/**
 * Runs a schedule's action at once, audited as the caller; 409 while another logout-all runs.
 * `confirm`: the words typed in the dialog, asked when the page's copy says the schedule logs out
 * all users (schedules-table.tsx); none otherwise. Sent always, they let a schedule changed into a
 * logout-all since the list was read run on one click, the server's check answered for the person.
 * `updatedAt`: the version the person confirmed; a schedule changed since is refused (CHANGED_SINCE_READ), not run.
 */
export async function runScheduleNow ({ id, confirm, updatedAt }: { id: number, confirm?: string, updatedAt: string }): Promise<ScheduleRunResult> {
  return await apiRequest<ScheduleRunResult>(`/api/schedules/${id}/run-now`, { method: 'POST', body: confirm === undefined ? { updatedAt } : { confirm, updatedAt } })
}

export function useRunScheduleNow () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: runScheduleNow,
    // A failed run is recorded as the schedule's last run too.
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: schedulesQueryKey }),
        invalidateAfterAction(queryClient)
      ])
    }
  })
}
