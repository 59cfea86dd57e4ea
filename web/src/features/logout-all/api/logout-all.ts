import { useMutationState, useQueryClient } from '@tanstack/react-query'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import type { LogoutAllBody, LogoutAllResult } from '@em-console/shared/schemas'
import { apiRequest, toQueryString } from '../../../lib/api-client.ts'
import { invalidateAfterAction } from '../../../lib/invalidate.ts'
import { LOGOUT_ALL_CONFIRMATION } from '../../../lib/logout-all-phrase.ts'

/**
 * `cluster`: a cluster id, `all`, or undefined with one cluster (the server requires it once
 * there are two or more, so that nobody logs out every cluster by leaving it out).
 */
export async function logoutAll (cluster?: string): Promise<LogoutAllResult> {
  const body: LogoutAllBody = { confirm: LOGOUT_ALL_CONFIRMATION }
  return await apiRequest<LogoutAllResult>(`/api/logout-all${toQueryString({ cluster })}`, { method: 'POST', body })
}

const logoutAllKey = ['logout-all'] as const

export function useLogoutAll () {
  const queryClient = useQueryClient()
  return useActionMutation({
    mutationKey: logoutAllKey,
    mutationFn: logoutAll,
    onSettled: async () => { await invalidateAfterAction(queryClient) }
  })
}

/** A logout-all this page saw succeed on a cluster: when it was sent, for counts read before it. */
export interface LogoutAllDone {
  at: number
  clusters: string[]
}

/** The last logout-all of this page that ended users somewhere (the clusters it succeeded on), if any. */
export function useLastLogoutAll (): LogoutAllDone | undefined {
  const done = useMutationState({
    filters: { mutationKey: logoutAllKey, status: 'success' },
    select: (mutation): LogoutAllDone => ({
      at: mutation.state.submittedAt,
      clusters: ((mutation.state.data as LogoutAllResult | undefined)?.clusters ?? []).filter((c) => c.outcome === 'success').map((c) => c.cluster.toLowerCase())
    })
  })
  return done.at(-1)
}
