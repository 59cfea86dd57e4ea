import type { Config } from '../config.js'
import { nextRuns, runsBetween } from '../schedules/cron.js'
import { accountedUntil, describeAction, LATE_LIMIT_MS, type StoredSchedule } from '../schedules/schedule-repository.js'
import { existingStore } from '../store/database-path.js'
import { EXIT, printJson, shortTime, table, type ExitCode, type Io } from './output.js'

/** Last outcomes of an enabled schedule that a monitoring check should hear of (exit 1). */
const NOT_DONE = new Set(['failure', 'error', 'missed', 'interrupted'])

/** When an enabled schedule fires next; null when disabled, or when its expression can no longer be read. */
function nextRunOf (schedule: StoredSchedule, now: Date): string | null {
  if (!schedule.enabled) return null
  try {
    return nextRuns(schedule.cron, schedule.timezone, now, 1)[0] ?? null
  } catch {
    return null
  }
}

/**
 * The first fire time of an enabled schedule, due more than LATE_LIMIT_MS ago, that left no record
 * at all: no run, no skip, no miss (a server that is down records its misses only at its next
 * start). Null when there is none. A run of it said to be going (`runningSince`) accounts for the
 * fire times up to its start: a running server records each one after it as skipped, so one
 * passed without a record means the server stopped during that run and has not started since.
 */
function notRunOf (schedule: StoredSchedule, begun: string | undefined, runningSince: string | undefined, now: Date): string | null {
  if (!schedule.enabled) return null
  try {
    const latest = [begun, runningSince].reduce((a, b) => (b !== undefined && (a === undefined || b > a) ? b : a), undefined)
    return runsBetween(schedule.cron, schedule.timezone, accountedUntil(schedule, latest), new Date(now.getTime() - LATE_LIMIT_MS), 1)[0]?.toISOString() ?? null
  } catch {
    return null
  }
}

/**
 * `em-console schedules`: every schedule as the server last saved it, with its next fire time
 * and how its last run ended, read from the database (nothing is sent, no scheduler starts).
 * Exit 1 when the last run of an enabled schedule failed, was missed or was interrupted, or when
 * one of its fire times passed with no record (the server is down), so a monitoring check of
 * the nightly logout can run it.
 */
export async function schedules (config: Config, { json, io }: { json: boolean, io: Io }, now = new Date()): Promise<ExitCode> {
  const store = existingStore({ path: config.DATABASE_PATH })
  let stored: Array<StoredSchedule & { notRunAt: string | null }>
  try {
    // Schedules whose run began and has not ended: going now, or cut short by a server that stopped
    // during it (said at its next start). Not a reason to look no further: that run began then.
    const running = new Map(store.schedules.cutShort().map(({ schedule, since }) => [schedule.id, since]))
    stored = store.schedules.list().map((s) => ({ ...s, notRunAt: notRunOf(s, store.audit.lastStartedBy(`schedule:${s.name}`), running.get(s.id), now) }))
  } finally {
    await store.close()
  }
  const items = stored.map((s) => ({
    id: s.id,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    does: describeAction(s),
    enabled: s.enabled,
    nextRunAt: nextRunOf(s, now),
    lastRunAt: s.lastRunAt,
    lastOutcome: s.lastOutcome,
    lastMessage: s.lastMessage,
    lastAuditId: s.lastAuditId,
    notRunAt: s.notRunAt
  }))
  const exitCode = items.some((s) => s.enabled && ((s.lastOutcome !== null && NOT_DONE.has(s.lastOutcome)) || s.notRunAt !== null)) ? EXIT.failed : EXIT.ok
  if (json) {
    printJson(io, { command: 'schedules', ok: exitCode === EXIT.ok, exitCode, schedules: items })
    return exitCode
  }
  if (items.length === 0) {
    io.out('No schedules.')
    return exitCode
  }
  const rows = items.map((s) => [
    s.name,
    `${s.cron} ${s.timezone}`,
    s.does,
    s.enabled ? shortTime(s.nextRunAt) : 'disabled',
    shortTime(s.lastRunAt),
    s.lastOutcome === null ? '-' : s.lastOutcome + (s.lastAuditId === null ? '' : ` (audit #${s.lastAuditId})`),
    s.notRunAt === null ? s.lastMessage ?? '' : `Not run: due at ${shortTime(s.notRunAt)}, no record of it (is the server running?)`
  ])
  for (const line of table([['NAME', 'WHEN', 'DOES', 'NEXT RUN', 'LAST RUN', 'LAST OUTCOME', 'MESSAGE'], ...rows])) io.out(line)
  return exitCode
}
