import { useQuery } from '@tanstack/react-query'
import type { SessionHistoryPage } from '@em-console/shared/schemas'
import { apiRequest } from '../../../lib/api-client.ts'

/** Sessions of a record shown at most in its detail; the CSV has every one. */
export const ENDED_SHOWN = 20

/** What selects the sessions a record ended: the record, and the user filter History has (a prefix), if any. */
function endedQuery (auditId: number, user: string | undefined, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ auditId: String(auditId), ...(user === undefined ? {} : { user }), ...extra }).toString()
}

/**
 * The sessions the inventory saw an audit record end (a logout of all users names no one: these
 * are whom it logged out), of users starting `user` when History is filtered by one.
 */
export function useSessionsEndedBy (auditId: number, user: string | undefined) {
  return useQuery({
    queryKey: ['sessions', 'ended-by', auditId, user] as const,
    queryFn: async ({ signal }) => await apiRequest<SessionHistoryPage>(`/api/sessions/history?${endedQuery(auditId, user, { limit: String(ENDED_SHOWN) })}`, { signal })
  })
}

/** Every one of them as CSV: a plain link (the browser downloads it). */
export function endedByRecordCsvHref (auditId: number, user: string | undefined): string {
  return `/api/sessions/history.csv?${endedQuery(auditId, user)}`
}
