import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ActionResult } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'

export async function logoutDevice (deviceName: string): Promise<ActionResult> {
  return await apiRequest<ActionResult>(`/api/devices/${encodeURIComponent(deviceName)}/logout`, { method: 'POST' })
}

export function useLogoutDevice () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: logoutDevice,
    onSettled: async () => { await invalidateAfterAction(queryClient) }
  })
}
