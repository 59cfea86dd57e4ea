import { Cron } from 'croner'

export const PREVIEW_RUNS = 5

export interface CronProblem {
  field: 'cron' | 'timezone'
  message: string
}

/** The zone of this machine (TZ or /etc/localtime), UTC when it cannot be told. */
export function systemTimeZone (): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC'
}

/** An IANA zone name Intl knows; offsets like "+02:00" are refused so DST is never silently lost. */
export function isTimeZone (timezone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timezone)) return false
  try {
    // eslint-disable-next-line no-new
    new Intl.DateTimeFormat('en', { timeZone: timezone })
    return true
  } catch {
    return false
  }
}

/** A paused job: only for computing fire times, it never runs anything. */
export function pausedCron (cron: string, timezone: string): Cron {
  return new Cron(cron, { timezone, paused: true })
}

/**
 * Checks an expression and its zone with croner itself (no cron parsing here). An expression
 * that never fires (e.g. 30 February) is refused too: a schedule that never runs is a mistake.
 */
export function cronProblem (cron: string, timezone: string): CronProblem | undefined {
  if (!isTimeZone(timezone)) {
    return { field: 'timezone', message: `"${timezone.slice(0, 64)}" is not an IANA time zone (for example "Europe/Paris", "America/New_York" or "UTC").` }
  }
  let job: Cron
  try {
    job = pausedCron(cron, timezone)
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)
    return { field: 'cron', message: `"${cron.slice(0, 120)}" is not a valid cron expression: ${reason}` }
  }
  try {
    if (job.nextRun() === null) return { field: 'cron', message: `"${cron}" never fires.` }
  } finally {
    job.stop()
  }
  return undefined
}

/** The next `count` fire times after `from`, as ISO 8601 UTC strings. */
export function nextRuns (cron: string, timezone: string, from: Date, count = PREVIEW_RUNS): string[] {
  const job = pausedCron(cron, timezone)
  try {
    return job.nextRuns(count, from).map((d) => d.toISOString())
  } finally {
    job.stop()
  }
}

/** Fire times strictly after `since` and at or before `until`, oldest first, at most `limit`. */
export function runsBetween (cron: string, timezone: string, since: Date, until: Date, limit: number): Date[] {
  const job = pausedCron(cron, timezone)
  try {
    return job.nextRuns(limit, since).filter((d) => d.getTime() <= until.getTime())
  } finally {
    job.stop()
  }
}
