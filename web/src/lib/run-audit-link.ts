/**
 * The History screen with the records of one run: a bulk run's, or any run id that groups records.
 * Its own module, not audit-link.ts: that one is in the first page's JavaScript, this is read only
 * by screens loaded later (a run's page, an audit record).
 */
export function runAuditHref (runId: string): string {
  return `#/history?${new URLSearchParams({ run: runId }).toString()}`
}
