import { useQueryClient } from '@tanstack/react-query'
import type { Account, UpdateAccountBody } from '@em-console/shared/schemas'
import { useActionMutation } from '../../../lib/action-mutation.ts'
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
  // A double click sent a change twice: two rows in the audit trail for one (the second "nothing changed" for a role or a state).
  return useActionMutation({
    mutationFn: updateAccount,
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: accountsQueryKey }) }
  })
}
