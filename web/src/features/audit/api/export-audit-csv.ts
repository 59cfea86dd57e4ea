import type { AuditFilter } from '@em-console/shared/schemas'
import { toQueryString } from '../../../lib/api-client.ts'

/**
 * The CSV export is a plain link (the browser downloads it), so it cannot carry the
 * x-requested-by header; it only reads, so the trigger does not matter.
 */
export function auditExportHref (filter: AuditFilter): string {
  return `/api/audit/export.csv${toQueryString({ ...filter })}`
}
