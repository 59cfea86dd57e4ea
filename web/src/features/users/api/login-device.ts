import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { ActionResult, LoginBody } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'

export interface LoginRequest {
  deviceName: string
  /** Where the device is; without it the server finds it (409 when the name is on several clusters). */
  cluster?: string | undefined
  body: LoginBody
}

export async function loginDevice ({ deviceName, cluster, body }: LoginRequest): Promise<ActionResult> {
  return await apiRequest<ActionResult>(`/api/devices/${encodeURIComponent(deviceName)}/login${toQueryString({ cluster })}`, { method: 'POST', body })
}

export function useLoginDevice () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: loginDevice,
    onSettled: async (_data, error) => { await invalidateAfterAction(queryClient, error) }
  })
}
