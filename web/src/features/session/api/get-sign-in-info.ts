import { queryOptions, useQuery } from '@tanstack/react-query'
import type { SignInInfo } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export async function getSignInInfo (signal?: AbortSignal): Promise<SignInInfo> {
  return await apiRequest<SignInInfo>('/api/session/info', { signal, allowUnauthenticated: true })
}

export function signInInfoQueryOptions () {
  return queryOptions({
    queryKey: ['session', 'info'] as const,
    queryFn: async ({ signal }) => await getSignInInfo(signal),
    staleTime: 0
  })
}

export function useSignInInfo () {
  return useQuery(signInInfoQueryOptions())
}
