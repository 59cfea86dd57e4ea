import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { UserLogoutResult } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'

/** Logs the user out of every device they are on ("Log out everywhere"). */
export async function logoutUser (userId: string): Promise<UserLogoutResult> {
  return await apiRequest<UserLogoutResult>(`/api/users/${encodeURIComponent(userId)}/logout`, { method: 'POST' })
}

export function useLogoutUser () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: logoutUser,
    onSettled: async () => { await invalidateAfterAction(queryClient) }
  })
}
