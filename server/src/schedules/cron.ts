import { createRequire } from 'node:module'
import { formatInZone } from '@em-console/shared/display'
import { timeZoneProblem } from '@em-console/shared/field-rules'
import type { Cron } from 'croner'

const PREVIEW_RUNS = 5

/**
 * Every schedule acts on whole clusters, and CUCM feels each run (PROTOCOL.md §5: logoutAll's
 * change notifications; a run by sessions reads every cluster's inventory through AXL first), so
 * a schedule fires at most once per MIN_GAP_MINUTES.
 */
const MIN_GAP_MINUTES = 15
/** Fire times whose gaps are checked: enough to meet every gap a minute × hour × day pattern repeats. */
const GAP_CHECK_RUNS = 100
const CRON_FORM = '5 fields: minute hour day-of-month month day-of-week, e.g. "0 2 * * *" for 02:00 every day'

export interface CronProblem {
  field: 'cron' | 'timezone'
  message: string
}

/** The zone of this machine (TZ or /etc/localtime), UTC when it cannot be told. */
export function systemTimeZone (): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC'
}

/**
 * croner, loaded when a cron expression is first read: a CLI command that reads none, such as
 * the nightly `logout-all`, does not load it (issue #14, bench:cli).
 */
let croner: typeof import('croner') | undefined

/**
 * A paused job: only for computing fire times, it never runs anything. A list or range in the
 * minute or hour keeps fixed times across daylight saving, as cron does ("no-wildcard"): by
 * croner's default "0,30 2 * * *" ran no logout at all the night 02:00-02:59 does not exist, and
 * four the night it happens twice; a wildcard or a step still follows the wall clock.
 */
function pausedCron (cron: string, timezone: string): Cron {
  croner ??= createRequire(import.meta.url)('croner') as typeof import('croner')
  return new croner.Cron(cron, { timezone, paused: true, fixedTimeRule: 'no-wildcard' })
}

/** The first two consecutive fire times closer than MIN_GAP_MINUTES, if any. */
function tooClose (job: Cron): [Date, Date] | undefined {
  const runs = job.nextRuns(GAP_CHECK_RUNS)
  for (let i = 1; i < runs.length; i++) {
    const [before, after] = [runs[i - 1], runs[i]]
    if (before !== undefined && after !== undefined && after.getTime() - before.getTime() < MIN_GAP_MINUTES * 60_000) return [before, after]
  }
  return undefined
}

/**
 * Checks an expression and its zone with croner itself (no cron parsing here). An expression
 * that never fires (e.g. 30 February) is refused too: a schedule that never runs is a mistake.
 */
export function cronProblem (cron: string, timezone: string): CronProblem | undefined {
  return withJob(cron, timezone, () => undefined)
}

/**
 * What a schedule may use: a valid expression of the five classic fields only (croner also reads
 * a seconds field and a year, and "* * * * * *" once sent ten logoutAll in ten seconds), and at
 * least MIN_GAP_MINUTES between two fire times, in the schedule's zone (croner keeps DST in mind).
 */
export function scheduleProblem (cron: string, timezone: string): CronProblem | undefined {
  // Counted before croner reads it: its own words ("five, six or seven parts") would contradict ours.
  const fields = cron.trim() === '' ? 0 : cron.trim().split(/\s+/).length
  if (fields !== 5) {
    return { field: 'cron', message: `"${cron.slice(0, 120)}" has ${fields} field${fields === 1 ? '' : 's'}; only 5-field cron is accepted (${CRON_FORM}).` }
  }
  return withJob(cron, timezone, (job) => {
    const close = tooClose(job)
    if (close === undefined) return undefined
    return {
      field: 'cron',
      message: `"${cron}" fires at ${formatInZone(close[0].toISOString(), timezone, 'en-US')} and again at ${formatInZone(close[1].toISOString(), timezone, 'en-US')} (${timezone}); a schedule acts on whole clusters (and one by sessions reads their inventory first), so it may fire at most once every ${MIN_GAP_MINUTES} minutes, e.g. "*/${MIN_GAP_MINUTES} * * * *" or "0 2 * * *".`
    }
  })
}

/** Checks the zone, builds the job, refuses one that never fires, then asks `more`. */
function withJob (cron: string, timezone: string, more: (job: Cron) => CronProblem | undefined): CronProblem | undefined {
  const zoneProblem = timeZoneProblem(timezone)
  if (zoneProblem !== undefined) return { field: 'timezone', message: zoneProblem }
  let job: Cron
  try {
    job = pausedCron(cron, timezone)
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error)
    return { field: 'cron', message: `"${cron.slice(0, 120)}" is not a valid cron expression (${reason}); expected ${CRON_FORM}.` }
  }
  try {
    if (job.nextRun() === null) return { field: 'cron', message: `"${cron}" never fires: no date to come matches its day of the month, month and weekday (30 February, say).` }
    return more(job)
  } finally {
    job.stop()
  }
}

/**
 * A schedule's instant as its admin reads it: the wall clock of its zone first (a 02:30 Berlin
 * schedule's run is "02:30 Europe/Berlin", not the UTC 01:30 it is stored as), then the exact
 * instant, which also tells apart the two 02:30s of the night the clocks go back.
 */
export function inScheduleZone (when: Date | string, timezone: string): string {
  const iso = typeof when === 'string' ? when : when.toISOString()
  return `${formatInZone(iso, timezone, 'en-US')} ${timezone} (${iso})`
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

/** A fire time that is not the wall-clock time its expression names, and why. */
export interface ClockChange {
  run: string
  note: string
}

/** One formatter per zone and kind, made on first use: building one costs far more than using it. */
function zoneFormat (cache: Map<string, Intl.DateTimeFormat>, timezone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = cache.get(timezone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: timezone, hourCycle: 'h23' })
    cache.set(timezone, format)
  }
  return format
}

const wallClocks = new Map<string, Intl.DateTimeFormat>()
/** "02:30": the time on the wall in `timezone`. */
function wallClock (when: Date, timezone: string): string {
  return zoneFormat(wallClocks, timezone, { hour: '2-digit', minute: '2-digit' }).format(when)
}

const wallDates = new Map<string, Intl.DateTimeFormat>()
/** Minutes `timezone` is ahead of UTC at `when`: the wall clock read as if it were UTC, less the instant. */
function offsetMinutes (when: Date, timezone: string): number {
  const parts = Object.fromEntries(zoneFormat(wallDates, timezone, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(when).map((part) => [part.type, Number(part.value)]))
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day, parts.hour, parts.minute)
  return Math.round((wall - Math.floor(when.getTime() / 60_000) * 60_000) / 60_000)
}

const DAY_MS = 86_400_000

/**
 * The fire times of `runs` (ISO 8601) that a night of daylight saving moves, each with why, as
 * docs/operations.md tells the rule (croner keeps it): a time the clocks jump over (02:30 in
 * Europe/Berlin on the last Sunday of March) runs at the jump (03:00); one the night holds twice
 * (the last Sunday of October) runs once, at the first. The times skipped are found by croner
 * itself, the expression read in UTC over the wall-clock minutes that did not exist.
 */
export function clockChanges (cron: string, timezone: string, runs: readonly string[]): ClockChange[] {
  const job = pausedCron(cron, timezone)
  const onTheWall = pausedCron(cron, 'UTC')
  try {
    return runs.flatMap((iso): ClockChange[] => {
      const run = new Date(iso)
      const offset = offsetMinutes(run, timezone)
      const jumped = offset - offsetMinutes(new Date(run.getTime() - DAY_MS), timezone)
      if (jumped > 0 && !job.match(run)) {
        const wallAsUtc = run.getTime() + offset * 60_000
        const skipped = onTheWall.nextRuns(jumped, new Date(wallAsUtc - jumped * 60_000 - 1000))
          .filter((time) => time.getTime() < wallAsUtc).map((time) => wallClock(time, 'UTC'))
        if (skipped.length === 0) return []
        const names = skipped.length === 1 ? skipped[0] : `${skipped.slice(0, -1).join(', ')} and ${skipped.at(-1)}`
        return [{ run: iso, note: `${names} ${skipped.length === 1 ? 'does' : 'do'} not exist that night in ${timezone} (the clocks go forward): runs at ${wallClock(run, timezone)}` }]
      }
      const back = offset - offsetMinutes(new Date(run.getTime() + DAY_MS), timezone)
      const again = new Date(run.getTime() + back * 60_000)
      if (back > 0 && wallClock(again, timezone) === wallClock(run, timezone) && job.nextRun(new Date(again.getTime() - 1000))?.getTime() !== again.getTime()) {
        return [{ run: iso, note: `${wallClock(run, timezone)} happens twice that night in ${timezone} (the clocks go back): runs once, at the first` }]
      }
      return []
    })
  } finally {
    job.stop()
    onTheWall.stop()
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

/**
 * The fire times of `runsBetween`; past `limit` of them, the first `limit - 1` and the very last:
 * a record of the runs missed while the server was down says when they ended, not the limit-th.
 */
export function runsBetweenEnds (cron: string, timezone: string, since: Date, until: Date, limit: number): Date[] {
  const runs = runsBetween(cron, timezone, since, until, limit)
  if (runs.length < limit) return runs
  const job = pausedCron(cron, timezone)
  try {
    // croner counts a run in the reference's second, before it, as previous: so `until` is included.
    const last = job.previousRuns(1, new Date(until.getTime() + 1))[0]
    return last === undefined || last.getTime() <= (runs.at(-1)?.getTime() ?? 0) ? runs : [...runs.slice(0, -1), last]
  } finally {
    job.stop()
  }
}
