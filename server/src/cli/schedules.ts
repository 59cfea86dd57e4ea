import type { Config } from '../config.js'
import { nextRuns } from '../schedules/cron.js'
import { describeAction, type StoredSchedule } from '../schedules/schedule-repository.js'
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
 * `em-console schedules`: every schedule as the server last saved it, with its next fire time
 * and how its last run ended, read from the database (nothing is sent, no scheduler starts).
 * Exit 1 when the last run of an enabled schedule failed, was missed or was interrupted, so a monitoring check of
 * the nightly logout can run it.
 */
export async function schedules (config: Config, { json, io }: { json: boolean, io: Io }, now = new Date()): Promise<ExitCode> {
  const store = existingStore({ path: config.DATABASE_PATH })
  let stored: StoredSchedule[]
  try {
    stored = store.schedules.list()
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
    lastAuditId: s.lastAuditId
  }))
  const exitCode = items.some((s) => s.enabled && s.lastOutcome !== null && NOT_DONE.has(s.lastOutcome)) ? EXIT.failed : EXIT.ok
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
    s.lastMessage ?? ''
  ])
  for (const line of table([['NAME', 'WHEN', 'DOES', 'NEXT RUN', 'LAST RUN', 'LAST OUTCOME', 'MESSAGE'], ...rows])) io.out(line)
  return exitCode
}
