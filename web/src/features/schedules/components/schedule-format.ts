import type { Schedule, ScheduleAction, ScheduleOutcome } from '@em-console/shared/schemas'
import { formatInZone } from '../../../lib/format.ts'

export const SCHEDULE_ACTION_LABELS: Record<ScheduleAction, string> = {
  'logout-all': 'Log out all (cluster-wide)',
  'logout-saved-list': 'Log out a device list',
  'logout-older-than': 'Log out sessions older than…',
  'logout-device-pools': 'Log out the sessions on device pools…'
}
export const SCHEDULE_ACTIONS = Object.keys(SCHEDULE_ACTION_LABELS) as ScheduleAction[]

/** What a schedule does, with its parameters: "Log out a device list: Ward B", "Log out sessions older than 12 h". */
export function describeScheduleAction (schedule: Pick<Schedule, 'action' | 'list' | 'hours' | 'pools'>): string {
  if (schedule.action === 'logout-saved-list') return `${SCHEDULE_ACTION_LABELS[schedule.action]}: ${schedule.list ?? 'the first list'}`
  if (schedule.action === 'logout-older-than') return `Log out sessions older than ${schedule.hours ?? '?'} h`
  if (schedule.action === 'logout-device-pools') return `Log out the sessions on ${(schedule.pools ?? []).join(', ')}`
  return SCHEDULE_ACTION_LABELS[schedule.action]
}

/**
 * What running a schedule now does, before it is confirmed (a logout-all has its own words,
 * LogoutAllConsequences): the devices it picks, how, and on which clusters.
 */
export function runNowConsequence (schedule: Pick<Schedule, 'action' | 'list' | 'hours' | 'pools' | 'clusters'>, clusterName: (id: string) => string): string {
  const where = schedule.clusters === null ? 'on every enabled cluster' : `on ${schedule.clusters.map(clusterName).join(', ')}`
  const how = 'one request per device, each looked up first, exemptions applied, with a result per phone'
  if (schedule.action === 'logout-older-than') return `Reads who is logged in from CUCM (AXL) now and logs out every session older than ${schedule.hours ?? '?'} h ${where}, ${how}.`
  if (schedule.action === 'logout-device-pools') return `Reads who is logged in from CUCM (AXL) now and logs out every session on ${(schedule.pools ?? []).join(', ')} ${where}, ${how}.`
  return `Logs out each device of ${schedule.list === null ? 'the first device list' : `the device list "${schedule.list}"`} (Settings) ${where}, ${how}.`
}

export const SCHEDULE_OUTCOME_LABELS: Record<ScheduleOutcome, string> = {
  success: 'Success',
  failure: 'Failed',
  error: 'Error',
  skipped: 'Skipped',
  missed: 'Missed',
  interrupted: 'Interrupted'
}

export function scheduleOutcomeTone (outcome: ScheduleOutcome): 'ok' | 'bad' | 'warn' {
  if (outcome === 'success') return 'ok'
  if (outcome === 'skipped' || outcome === 'missed') return 'warn'
  return 'bad'
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const DAY_ALIASES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }
const NICKNAMES: Record<string, string> = {
  '@yearly': 'Every year on 1 January at 00:00',
  '@annually': 'Every year on 1 January at 00:00',
  '@monthly': 'On day 1 of every month at 00:00',
  '@weekly': 'Every Sunday at 00:00',
  '@daily': 'Every day at 00:00',
  '@midnight': 'Every day at 00:00',
  '@hourly': 'Every hour, on the hour'
}

const isNumber = (value: string): boolean => /^\d{1,2}$/.test(value)
const pad = (value: string): string => value.padStart(2, '0')

function dayOf (value: string): number | undefined {
  if (/^[0-7]$/.test(value)) return Number(value) % 7
  return DAY_ALIASES[value.toLowerCase()]
}

function describeDays (field: string): string | undefined {
  if (field === '*' || field === '?') return 'Every day'
  if (field === '1-5' || field.toLowerCase() === 'mon-fri') return 'Weekdays'
  const days = field.split(',').map(dayOf)
  if (days.some((day) => day === undefined)) return undefined
  const sorted = [...new Set(days as number[])].sort((a, b) => a - b)
  if (sorted.join(',') === '0,6') return 'Weekends'
  if (sorted.length === 1) return `Every ${DAY_NAMES[sorted[0] ?? 0]}`
  return `Every ${sorted.map((day) => DAY_NAMES[day]?.slice(0, 3)).join(', ')}`
}

/**
 * The common shapes of a cron expression in words ("Weekdays at 02:00"); undefined for anything
 * else, where the screen shows the expression itself. croner reads it either way.
 */
export function describeCron (cron: string): string | undefined {
  const trimmed = cron.trim()
  const nickname = NICKNAMES[trimmed.toLowerCase()]
  if (nickname !== undefined) return nickname
  let fields = trimmed.split(/\s+/)
  // Six fields start with seconds; only a fixed second 0 reads naturally.
  if (fields.length === 6) {
    if (fields[0] !== '0') return undefined
    fields = fields.slice(1)
  }
  if (fields.length !== 5) return undefined
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = fields
  if (month !== '*') return undefined
  if (minute === '*' && hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') return 'Every minute'
  const everyMinutes = /^\*\/(\d+)$/.exec(minute)
  if (everyMinutes !== null && hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') return `Every ${everyMinutes[1]} minutes`
  if (!isNumber(minute)) return undefined
  if (hour === '*' && dayOfMonth === '*' && dayOfWeek === '*') return minute === '0' ? 'Every hour, on the hour' : `Every hour at minute ${Number(minute)}`
  const everyHours = /^\*\/(\d+)$/.exec(hour)
  if (everyHours !== null && dayOfMonth === '*' && dayOfWeek === '*') return `Every ${everyHours[1]} hours at minute ${Number(minute)}`
  if (!isNumber(hour)) return undefined
  const at = `at ${pad(hour)}:${pad(minute)}`
  if (dayOfMonth === '*') {
    const days = describeDays(dayOfWeek)
    return days === undefined ? undefined : `${days} ${at}`
  }
  if (isNumber(dayOfMonth) && dayOfWeek === '*') return `On day ${Number(dayOfMonth)} of every month ${at}`
  return undefined
}

/**
 * A fire time as the schedule's zone reads it, with its year when that is not this one: a yearly
 * schedule's next five runs are five years, not five "Mar 28"s that read as one month.
 */
export function fireTimeText (iso: string, timezone: string, now = new Date()): string {
  return formatInZone(iso, timezone, undefined, new Date(iso).getUTCFullYear() !== now.getUTCFullYear())
}

const FIELD_LABELS = { name: 'name', cron: 'cron expression', timezone: 'time zone', action: 'action', list: 'device list', hours: 'hours', pools: 'device pools', clusters: 'clusters', enabled: 'enabled' } as const

/** What changed between two versions of a schedule, field by field: 'cron expression "0 2 * * *" → "0 3 * * *"'. */
export function scheduleChanges (before: Schedule, after: Schedule): string[] {
  return Object.entries(FIELD_LABELS).flatMap(([key, label]) => {
    const field = key as keyof typeof FIELD_LABELS
    const [was, now] = [JSON.stringify(before[field]), JSON.stringify(after[field])]
    return was === now ? [] : [`${label} ${was} → ${now}`]
  })
}
