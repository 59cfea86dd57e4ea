import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Account, CreateAccountBody } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { accountsQueryKey } from './get-accounts.ts'

export async function createAccount (body: CreateAccountBody): Promise<Account> {
  return await apiRequest<Account>('/api/accounts', { method: 'POST', body })
}

export function useCreateAccount () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: createAccount,
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: accountsQueryKey }) }
  })
}
