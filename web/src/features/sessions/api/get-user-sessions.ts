import { useQuery } from '@tanstack/react-query'
import type { LiveSession, SessionPage } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'
import { sessionsQueryString } from './query.ts'

/** The current sessions of one user, as the inventory knows them (the API filters by prefix; whole IDs are kept). */
export async function getUserSessions (userId: string, signal?: AbortSignal): Promise<{ sessions: LiveSession[], asOf: SessionPage['asOf'] }> {
  const page = await apiRequest<SessionPage>(`/api/sessions${sessionsQueryString({ user: userId, limit: 100 })}`, { signal })
  return { sessions: page.sessions.filter((s) => s.userId.toLowerCase() === userId.toLowerCase()), asOf: page.asOf }
}

export function useUserSessions (userId: string) {
  return useQuery({
    queryKey: ['sessions', 'user', userId] as const,
    queryFn: async ({ signal }) => await getUserSessions(userId, signal),
    enabled: userId !== ''
  })
}
