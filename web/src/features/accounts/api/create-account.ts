import { useQueryClient } from '@tanstack/react-query'
import type { Account, CreateAccountBody } from '@em-console/shared/schemas'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import { apiRequest } from '../../../lib/api-client.ts'
import { accountsQueryKey } from './get-accounts.ts'

export async function createAccount (body: CreateAccountBody): Promise<Account> {
  return await apiRequest<Account>('/api/accounts', { method: 'POST', body })
}

export function useCreateAccount () {
  const queryClient = useQueryClient()
  // Sent once however often it is clicked: a second copy is refused (the name is taken) and its
  // error would hide the account just made.
  return useActionMutation({
    mutationFn: createAccount,
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: accountsQueryKey }) }
  })
}
