import { useMutationState } from '@tanstack/react-query'
import type { LogoutAllResult } from '@em-console/shared/schemas'

/** The logout-all mutation's key: the logout-all feature sends it, the sessions overview reads its last success. */
export const logoutAllKey = ['logout-all'] as const

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
