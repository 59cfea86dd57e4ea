import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { LocatedDevice, Preview, RunStarted, SessionFilters } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/**
 * A logout of sessions goes through the bulk runs (issue #8): preview first (each device looked
 * up with EMAPI on its own cluster), then the run. Rows picked are devices each on its cluster (`located`); "all matching"
 * is the selection by sessions itself (issue #18), which the server reads from a fresh inventory.
 * A run takes at most MAX_RUN_ITEMS devices.
 */

export type LogoutBody =
  | { action: 'logout', located: LocatedDevice[], previewedFrom?: SessionFilters }
  | { action: 'logout', sessions: SessionFilters }

export function usePreviewLogout () {
  return useMutation({
    mutationFn: async (body: LogoutBody) => await apiRequest<Preview>('/api/runs/preview', { method: 'POST', body })
  })
}

export function useStartLogout () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: async (body: LogoutBody) => await apiRequest<RunStarted>('/api/runs', { method: 'POST', body }),
    // A start whose answer was lost may have started the run: the list shows it if so.
    onSettled: async () => { await queryClient.invalidateQueries({ queryKey: ['runs'] }) }
  })
}
