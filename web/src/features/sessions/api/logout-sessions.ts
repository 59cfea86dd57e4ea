import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Preview, RunStarted } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/**
 * A logout of sessions goes through the bulk runs (issue #8): preview first (each device looked up
 * with EMAPI), then the run. The runs API takes a device list (at most MAX_RUN_ITEMS, 5,000).
 */
export const MAX_RUN_DEVICES = 5000

export function usePreviewLogout () {
  return useMutation({
    mutationFn: async (devices: string[]) => await apiRequest<Preview>('/api/runs/preview', { method: 'POST', body: { action: 'logout', devices } })
  })
}

export function useStartLogout () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (devices: string[]) => await apiRequest<RunStarted>('/api/runs', { method: 'POST', body: { action: 'logout', devices } }),
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: ['runs'] }) }
  })
}
