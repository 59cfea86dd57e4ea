import { useMutation } from '@tanstack/react-query'
import type { ChangePasswordBody } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** Changes the signed-in person's own password; the server ends their other sessions, this one stays. */
export async function changePassword (body: ChangePasswordBody): Promise<void> {
  await apiRequest<undefined>('/api/session/password', { method: 'PUT', body })
}

export function useChangePassword () {
  return useMutation({ mutationFn: changePassword })
}
