/** The History screen with one audit record open. Kept here so every feature can link to it. */
export function auditHref (auditId: number): string {
  return `#/history?id=${auditId}`
}
