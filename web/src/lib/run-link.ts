/** The page of one bulk run. Kept here so every feature can link to it. */
export function runHref (runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}`
}
