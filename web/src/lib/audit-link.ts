/** The History screen with one audit record open. Kept here so every feature can link to it. */
export function auditHref (auditId: number): string {
  return `#/history?id=${auditId}`
}

/** The History screen with the records of one run: a bulk run's, or any run id that groups records. */
export function runAuditHref (runId: string): string {
  return `#/history?${new URLSearchParams({ run: runId }).toString()}`
}
