import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { RunStarted } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'
import { runQueryKey } from './get-run.ts'
import { runsQueryKey } from './get-runs.ts'

/** Stops taking new items; the ones in flight finish. 409 once the run is over. */
export async function cancelRun (id: string): Promise<{ state: string }> {
  return await apiRequest<{ state: string }>(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST' })
}

/**
 * `failed`: the items that failed or errored ("Retry failed"); `rest`: those the run never reached
 * (cancelled, or stopped by a server restart: "Run the rest").
 */
export type RetryScope = 'failed' | 'rest'

export interface RetryRequest {
  id: string
  scope: RetryScope
}

/** A new run of some items of this one, linked to it by parentRunId. */
export async function retryRun ({ id, scope }: RetryRequest): Promise<RunStarted> {
  return await apiRequest<RunStarted>(`/api/runs/${encodeURIComponent(id)}/retry`, { method: 'POST', body: { scope } })
}

export function useCancelRun () {
  return useActionMutation({ mutationFn: cancelRun })
}

export function useRetryRun () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: retryRun,
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: runsQueryKey }), invalidateAfterAction(queryClient)])
    },
    // Refused because another admin retried it since the page read it (409): the run read again shows that retry.
    onError: async (_error, { id }) => { await queryClient.invalidateQueries({ queryKey: runQueryKey(id) }) }
  })
}
