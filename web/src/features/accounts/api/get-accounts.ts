import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Account } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

export interface AccountList {
  accounts: Account[]
}

export const accountsQueryKey = ['accounts'] as const

export async function getAccounts (signal?: AbortSignal): Promise<AccountList> {
  return await apiRequest<AccountList>('/api/accounts', { signal })
}

export function accountsQueryOptions () {
  return queryOptions({
    queryKey: accountsQueryKey,
    queryFn: async ({ signal }) => await getAccounts(signal)
  })
}

export function useAccounts () {
  return useQuery(accountsQueryOptions())
}
