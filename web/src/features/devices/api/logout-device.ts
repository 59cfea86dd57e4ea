import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { ActionResult } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'

export interface DeviceLogoutRequest {
  deviceName: string
  /** The cluster the device was found on; without it the server acts where the device is. */
  cluster?: string | undefined
}

export async function logoutDevice ({ deviceName, cluster }: DeviceLogoutRequest): Promise<ActionResult> {
  return await apiRequest<ActionResult>(`/api/devices/${encodeURIComponent(deviceName)}/logout${toQueryString({ cluster })}`, { method: 'POST' })
}

export function useLogoutDevice () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: logoutDevice,
    onSettled: async (_data, error) => { await invalidateAfterAction(queryClient, error) }
  })
}
