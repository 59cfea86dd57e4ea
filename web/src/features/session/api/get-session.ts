import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { Session } from '@em-console/shared/schemas'
import { ApiError, apiRequest, setCsrfToken } from '../../../lib/api-client.ts'

export const sessionQueryKey = ['session'] as const

/** The signed-in user, or null when nobody is (401), as the server says now. */
async function readSession (signal?: AbortSignal): Promise<Session | null> {
  try {
    return await apiRequest<Session>('/api/session', { signal, allowUnauthenticated: true })
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    throw error
  }
}

/** The signed-in user, or null when nobody is (401). Keeps the session's CSRF token for later requests. */
export async function getSession (signal?: AbortSignal): Promise<Session | null> {
  const session = await readSession(signal)
  setCsrfToken(session?.csrfToken)
  return session
}

export function sessionQueryOptions () {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: async ({ signal }) => await getSession(signal),
    // The session changes only by signing in or out (or by a 401, which the app reports here).
    staleTime: Infinity
  })
}

export function useSession () {
  return useQuery(sessionQueryOptions())
}

/**
 * A new session (sign-in, setup) or none (sign-out, expiry): everything read under the previous
 * one is dropped, so a different user never sees the last user's data, even for a moment.
 */
export function replaceSession (queryClient: QueryClient, session: Session | null, { fromOtherTab = false } = {}): void {
  sessionVersion++
  setCsrfToken(session?.csrfToken)
  queryClient.cancelQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] })
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] })
  queryClient.setQueryData(sessionQueryKey, session)
  if (!fromOtherTab) tellOtherTabs()
}

/*
 * The tabs of one browser share the session cookie, but each keeps its own picture of the session
 * and its CSRF token. A tab signed out elsewhere went on showing what only a signed-in person may
 * see, and one signed in again elsewhere sent the old token, refused until reloaded. Each tab
 * therefore tells the others when its session changes, and they read theirs again.
 */
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('em-console-session') : undefined

/**
 * Counts this tab's session changes and its reads of another tab's news: a read whose answer
 * comes after a newer change or read (two pieces of news in a row, or a sign-in here meanwhile)
 * is dropped, token included, so a late "signed out" cannot undo a newer sign-in.
 */
let sessionVersion = 0

function tellOtherTabs (): void {
  channel?.postMessage('session-changed')
}

/** Follows the session changes of the browser's other tabs (a channel hears only the others). */
export function useSessionOfOtherTabs (): void {
  const queryClient = useQueryClient()
  useEffect(() => {
    if (channel === undefined) return
    channel.onmessage = () => {
      const asked = ++sessionVersion
      readSession()
        .then((session) => { if (asked === sessionVersion) replaceSession(queryClient, session, { fromOtherTab: true }) })
        // The server not answering: this tab finds out at its next request, as before.
        .catch(() => {})
    }
    return () => { channel.onmessage = null }
  }, [queryClient])
}
