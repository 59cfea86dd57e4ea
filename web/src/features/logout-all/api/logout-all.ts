import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ActionResult, LogoutAllBody } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'
import { LOGOUT_ALL_CONFIRMATION } from '../../../lib/logout-all-phrase.ts'

export async function logoutAll (): Promise<ActionResult> {
  const body: LogoutAllBody = { confirm: LOGOUT_ALL_CONFIRMATION }
  return await apiRequest<ActionResult>('/api/logout-all', { method: 'POST', body })
}

export function useLogoutAll () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationKey: ['logout-all'],
    mutationFn: logoutAll,
    onSettled: async () => { await invalidateAfterAction(queryClient) }
  })
}
