import type { ChangePasswordBody } from '@em-console/shared/schemas'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import { apiRequest } from '../../../lib/api-client.ts'

/** Changes the signed-in person's own password; the server ends their other sessions, this one stays. */
export async function changePassword (body: ChangePasswordBody): Promise<void> {
  await apiRequest<undefined>('/api/session/password', { method: 'PUT', body })
}

export function useChangePassword () {
  // Sent once however often it is clicked: a second copy asks with the password just replaced,
  // and its refusal ("the current password is not right") would hide the change just made.
  return useActionMutation({ mutationFn: changePassword })
}
