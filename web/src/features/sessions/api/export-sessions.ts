import type { SessionFilters, SessionSort, SortOrder } from '@em-console/shared/schemas'
import type { EndedFilters } from './get-session-history.ts'
import { filterParams, sessionsQueryString } from './query.ts'

/** The CSV export is a plain link (the browser downloads it): the filters and sort of the table. */
export function sessionsExportHref (filters: SessionFilters, sort: SessionSort, order: SortOrder): string {
  return `/api/sessions/export.csv${sessionsQueryString({ ...filterParams(filters), sort, order })}`
}

/** The ended sessions the card shows, every one of them, as CSV: a plain link too. */
export function endedSessionsExportHref (filters: EndedFilters): string {
  return `/api/sessions/history.csv${sessionsQueryString({ ...filters })}`
}
