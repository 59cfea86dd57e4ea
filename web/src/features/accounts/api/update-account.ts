import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Account, UpdateAccountBody } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { accountsQueryKey } from './get-accounts.ts'

export interface UpdateAccountRequest {
  id: number
  body: UpdateAccountBody
}

/** A new role, disabled or enabled, or a new password; the server ends the account's sessions on the last two. */
export async function updateAccount ({ id, body }: UpdateAccountRequest): Promise<Account> {
  return await apiRequest<Account>(`/api/accounts/${id}`, { method: 'PATCH', body })
}

export function useUpdateAccount () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: updateAccount,
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: accountsQueryKey }) }
  })
}
