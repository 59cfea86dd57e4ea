import { useMutation, useQueryClient } from '@tanstack/react-query'
import { ApiError, apiRequest } from '../../../lib/api-client.ts'
import { replaceSession } from './get-session.ts'

/** Ends the session on the server, which also clears the cookie. */
export async function signOut (): Promise<void> {
  await apiRequest<undefined>('/api/session', { method: 'DELETE', allowUnauthenticated: true })
}

export function useSignOut () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => { replaceSession(queryClient, null) },
    // A session that had already ended is as good as signed out. Any other failure keeps the user
    // signed in and says so: showing the sign-in page while the cookie still works would mislead.
    onError: (error) => { if (error instanceof ApiError && error.status === 401) replaceSession(queryClient, null) }
  })
}
