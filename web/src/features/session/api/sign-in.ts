import { useQueryClient } from '@tanstack/react-query'
import type { Session, SignInBody } from '@em-console/shared/schemas'
import { useActionMutation } from '../../../lib/action-mutation.ts'
import { apiRequest } from '../../../lib/api-client.ts'
import { replaceSession } from './get-session.ts'

/** Sets the httpOnly session cookie (the browser keeps it) and returns the user, role and CSRF token. */
export async function signIn (body: SignInBody): Promise<Session> {
  return await apiRequest<Session>('/api/session', { method: 'POST', body, allowUnauthenticated: true })
}

export function useSignIn () {
  const queryClient = useQueryClient()
  // A double click signed in twice: two sessions (the first left open), two sign-ins in the audit trail.
  return useActionMutation({
    mutationFn: signIn,
    onSuccess: (session) => { replaceSession(queryClient, session) }
  })
}
