import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ActionResult, LoginBody } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'

export interface LoginRequest {
  deviceName: string
  body: LoginBody
}

export async function loginDevice ({ deviceName, body }: LoginRequest): Promise<ActionResult> {
  return await apiRequest<ActionResult>(`/api/devices/${encodeURIComponent(deviceName)}/login`, { method: 'POST', body })
}

export function useLoginDevice () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: loginDevice,
    onSettled: async () => { await invalidateAfterAction(queryClient) }
  })
}
