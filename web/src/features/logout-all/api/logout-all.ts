import { useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { LogoutAllBody, LogoutAllResult } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'
import { LOGOUT_ALL_CONFIRMATION } from '../../../lib/logout-all-phrase.ts'
import { logoutAllKey } from '../../../lib/last-logout-all.ts'

/**
 * `cluster`: a cluster id, `all`, or undefined with one cluster (the server requires it once
 * there are two or more, so that nobody logs out every cluster by leaving it out).
 */
export async function logoutAll (cluster?: string): Promise<LogoutAllResult> {
  const body: LogoutAllBody = { confirm: LOGOUT_ALL_CONFIRMATION }
  return await apiRequest<LogoutAllResult>(`/api/logout-all${toQueryString({ cluster })}`, { method: 'POST', body })
}

export function useLogoutAll () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationKey: logoutAllKey,
    mutationFn: logoutAll,
    onSettled: async () => { await invalidateAfterAction(queryClient) }
  })
}
