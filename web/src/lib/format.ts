import { ACTION_LABELS, formatInZone, OUTCOME_LABELS, TRIGGER_LABELS } from '@em-console/shared/display'
import type { AuditAction, AuditOutcome, Trigger } from '@em-console/shared/schemas'

// timeStyle 'long' names the zone ("6:46:11 AM UTC"): a full date and time always says whose clock it is.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' })
const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })
const shortDateTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
const shortDateTimeWithYear = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' })
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

export function formatDateTime (iso: string | null | undefined): string {
  if (iso == null) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}

/**
 * "Nov 22, 06:46:11": for table cells, where this year's year is noise; their headers say "(your
 * time)". A time of another year has it ("Nov 22, 2025, 06:46:11"): the audit trail is kept for
 * good and ended sessions 400 days, so last year's Nov 22 would read as this year's.
 */
export function formatShortDateTime (iso: string, now = new Date()): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return (date.getFullYear() === now.getFullYear() ? shortDateTime : shortDateTimeWithYear).format(date)
}

export function formatTime (iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : time.format(date)
}

/**
 * The browser's IANA time zone: "your time". A machine whose zone the browser cannot read (TZ
 * unset or wrong, as on some kiosks and containers) names it "Etc/Unknown", which no formatter or
 * server takes; its clock then reads UTC, and so does this.
 */
export function browserTimeZone (): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    return 'UTC'
  }
}

/** "2 minutes ago" style text, for recent events. */
export function formatRelative (iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  if (Number.isNaN(seconds)) return iso
  const abs = Math.abs(seconds)
  // A moment ago is "just now"; one to come counts its seconds ("in 20 seconds": a re-check, a schedule).
  if (abs < 45) return seconds > 0 ? relative.format(seconds, 'second') : 'just now'
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute')
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour')
  return relative.format(Math.round(seconds / 86_400), 'day')
}

/**
 * "2 minutes ago" for a moment that has passed (an inventory's as-of, a last check or run): one
 * the server stamped after this page's `now` (a clock renewed every 30 s, a browser clock behind
 * the server's) is "just now", never "in 3 seconds".
 */
export function formatAgo (iso: string, now = Date.now()): string {
  return formatRelative(iso, Math.max(now, new Date(iso).getTime()))
}

export function formatDuration (ms: number | null | undefined): string {
  if (ms == null) return '—'
  if (ms < 1000) return `${ms} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

// One name for each thing, shared with the server's CSV exports; a fire time as the server's messages write it.
export { ACTION_LABELS, formatInZone, OUTCOME_LABELS, TRIGGER_LABELS }

// The lists come from the label records (typed against the shared unions, so none is missing)
// rather than from @em-console/shared/schemas at run time, which would pull TypeBox into the bundle.
export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[]
export const AUDIT_OUTCOMES = Object.keys(OUTCOME_LABELS) as AuditOutcome[]
export const TRIGGERS = Object.keys(TRIGGER_LABELS) as Trigger[]

/** The tone a status badge uses for an outcome. */
export function outcomeTone (outcome: AuditOutcome): 'ok' | 'bad' | 'warn' | 'neutral' {
  switch (outcome) {
    case 'success': return 'ok'
    case 'already-logged-out': return 'neutral'
    case 'pending': return 'warn'
    default: return 'bad'
  }
}

/** "1,684": every count the dashboard shows has its thousands grouped, in a sentence or a badge alike. */
export function formatCount (count: number): string {
  return count.toLocaleString()
}

/** "1 device", "2 devices", "1,684 records". */
export function plural (count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`
}
