import type { SessionFilters, SessionSort, SortOrder } from '@em-console/shared/schemas'
import { filterParams, sessionsQueryString } from './query.ts'

/** The CSV export is a plain link (the browser downloads it): the filters and sort of the table. */
export function sessionsExportHref (filters: SessionFilters, sort: SessionSort, order: SortOrder): string {
  return `/api/sessions/export.csv${sessionsQueryString({ ...filterParams(filters), sort, order })}`
}
