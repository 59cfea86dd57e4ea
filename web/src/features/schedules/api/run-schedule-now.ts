import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { ScheduleRunResult } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'
import { LOGOUT_ALL_CONFIRMATION } from '../../../lib/logout-all-phrase.ts'
import { schedulesQueryKey } from './get-schedules.ts'

/**
 * Runs a schedule's action at once, audited as the caller; 409 while another logout-all runs.
 * The page asks for the typed words first (schedules-table.tsx) and sends them, as POST
 * /api/logout-all requires them, for the day this route checks them too.
 */
export async function runScheduleNow (id: number): Promise<ScheduleRunResult> {
  return await apiRequest<ScheduleRunResult>(`/api/schedules/${id}/run-now`, { method: 'POST', body: { confirm: LOGOUT_ALL_CONFIRMATION } })
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
