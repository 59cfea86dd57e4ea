import { useQueryClient } from '@tanstack/react-query'
import type { Session, SetupBody } from '@em-console/shared/schemas'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import { apiRequest } from '../../../lib/api-client.ts'
import { replaceSession } from './get-session.ts'

/** Creates the first admin with the one-time token from the server log, and signs them in. */
export async function setup (body: SetupBody): Promise<Session> {
  return await apiRequest<Session>('/api/setup', { method: 'POST', body, allowUnauthenticated: true })
}

export function useSetup () {
  const queryClient = useQueryClient()
  // A double click sent the token twice: the second, refused (the token spent), kept the new admin on #/setup.
  return useActionMutation({
    mutationFn: setup,
    onSuccess: (session) => { replaceSession(queryClient, session) }
  })
}
