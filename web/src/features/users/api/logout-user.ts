import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { UserLogoutResult } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'

export interface UserLogoutRequest {
  userId: string
  /** One cluster; without it, every device the user is on, on every cluster. */
  cluster?: string | undefined
}

/** Logs the user out of every device they are on ("Log out everywhere"). */
export async function logoutUser ({ userId, cluster }: UserLogoutRequest): Promise<UserLogoutResult> {
  return await apiRequest<UserLogoutResult>(`/api/users/${encodeURIComponent(userId)}/logout${toQueryString({ cluster })}`, { method: 'POST' })
}

export function useLogoutUser () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationFn: logoutUser,
    onSettled: async (_data, error) => { await invalidateAfterAction(queryClient, error) }
  })
}
