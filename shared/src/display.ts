/*
 * One name for each thing, as people read it: the dashboard shows these, and the server's CSV
 * exports write them next to the API value. Type imports only: the dashboard bundles this file.
 */
import type { AsOf, AuditAction, AuditOutcome, CheckStep, RunItemOutcome, SessionFilters, Trigger } from './schemas/index.js'

/**
 * A device name as every screen and export shows it: upper case, as CUCM lists phones (SEP + MAC,
 * CSF…, TCT…). CUCM compares names case-insensitively, so the case typed carries no meaning; one
 * way of writing each name keeps "sep00…" in a pasted list and "SEP00…" in the results recognisably the same.
 */
export function displayDeviceName (name: string): string {
  return name.toUpperCase()
}

/**
 * A MAC address as people write it: 12 hex digits bare, in pairs between colons or dashes, or in
 * Cisco's dotted groups of four. CUCM names a Cisco phone SEP and its MAC, and Extension Mobility
 * runs on Cisco phones only: such an entry means that phone, not a device named as typed.
 */
const MAC_ADDRESS = /^(?:[0-9a-f]{12}|[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})$/i

/** The phone a MAC address names (`00:11:22:33:44:55` → `SEP001122334455`), or undefined: the dashboard's lists and fields, and the CLI's device names. */
export function phoneOfMac (entry: string): string | undefined {
  return MAC_ADDRESS.test(entry) ? `SEP${entry.replace(/[:.-]/g, '').toUpperCase()}` : undefined
}

export const TRIGGER_LABELS: Record<Trigger, string> = {
  ui: 'Web',
  api: 'API',
  cli: 'CLI',
  schedule: 'Schedule'
}

export const ACTION_LABELS: Record<AuditAction, string> = {
  'logout-all': 'Log out all',
  logout: 'Log out',
  login: 'Log in',
  'device-query': 'Device look-up',
  'user-devices-query': 'User look-up',
  'device-profile-query': 'Profile look-up',
  'sign-in': 'Sign-in',
  'sign-out': 'Sign-out',
  setup: 'Setup',
  'account-create': 'Account created',
  'account-update': 'Account changed',
  'settings-update': 'Settings changed',
  'bulk-run': 'Bulk run',
  'schedule-create': 'Schedule created',
  'schedule-update': 'Schedule changed',
  'schedule-delete': 'Schedule deleted',
  'schedule-missed': 'Schedule missed',
  'schedule-run-now': 'Schedule run now',
  webhook: 'Webhook',
  'run-cancel': 'Run cancelled',
  'run-retry': 'Run retried',
  'cluster-create': 'Cluster added',
  'cluster-update': 'Cluster changed',
  'cluster-delete': 'Cluster deleted'
}

export const OUTCOME_LABELS: Record<AuditOutcome, string> = {
  pending: 'Running',
  success: 'Success',
  'already-logged-out': 'Already logged out',
  failure: 'Failed',
  error: 'Error',
  unknown: 'No answer (may have happened)',
  interrupted: 'Interrupted'
}

export const RUN_OUTCOME_LABELS: Record<RunItemOutcome, string> = {
  success: 'Success',
  'already-logged-out': 'Already logged out',
  failure: 'Failed',
  error: 'Error',
  unknown: 'No answer (may have happened)',
  interrupted: 'Interrupted (may have happened)',
  // Of a device or of a user (a run of users): outcomeLabel says which.
  'not-found': 'Not found',
  empty: 'Nobody to log out',
  excluded: 'Excluded',
  duplicate: 'Listed twice',
  ambiguous: 'On several clusters',
  cancelled: 'Cancelled',
  'not-run': 'Not run',
  pending: 'Waiting'
}

/**
 * A run's counts as its rows name them (outcomeLabel), outcomes in the labels' order, those of
 * items about devices before those about users: `userCounts` counts the items of a run of users
 * that are about a user (one it could not find, or found logged in nowhere), already in `counts`.
 */
export function outcomeCounts (run: { counts: Readonly<Record<string, number>>, userCounts?: Readonly<Record<string, number>> }): Array<{ outcome: string, label: string, count: number }> {
  const { counts, userCounts = {} } = run
  const known = Object.keys(RUN_OUTCOME_LABELS)
  const outcomes = [...known, ...Object.keys(counts).filter((outcome) => !known.includes(outcome))]
  return outcomes.flatMap((outcome) => {
    const users = userCounts[outcome] ?? 0
    return [{ count: (counts[outcome] ?? 0) - users, aboutUser: false }, { count: users, aboutUser: true }]
      .filter(({ count }) => count > 0)
      .map(({ count, aboutUser }) => ({ outcome, label: outcomeLabel(outcome, aboutUser), count }))
  })
}

/**
 * A run's counts in words: "2 success, 1 unknown device, 3 unknown users". Empty when it counts nothing. `format`
 * writes each number (the dashboard groups thousands, as its other counts).
 */
export function outcomeCountsText (run: Parameters<typeof outcomeCounts>[0], format: (count: number) => string = String): string {
  return outcomeCounts(run).map(({ label, count }) => `${format(count)} ${countedNoun(label.toLowerCase(), count)}`).join(', ')
}

/** A label that names a thing ("unknown device", "unknown user") counts them as things: "2 unknown devices". */
function countedNoun (label: string, count: number): string {
  return count !== 1 && /(?:device|user)$/.test(label) ? `${label}s` : label
}

/**
 * What a run's items are, one and several: devices; a run of users also holds an item about each
 * user it could not find or found logged in nowhere (counted in `userCounts`).
 */
export function runItemsNoun (run: { total: number, userCounts?: Readonly<Record<string, number>> }): { one: string, many: string } {
  const { total, userCounts = {} } = run
  const users = Object.values(userCounts).reduce((a, b) => a + b, 0)
  if (users === 0) return { one: 'device', many: 'devices' }
  if (users >= total) return { one: 'user', many: 'users' }
  return { one: 'device or user', many: 'devices and users' }
}

/** A run as people name it: the first 8 characters of its id. */
export function shortRunId (id: string): string {
  return id.slice(0, 8)
}

/** A time as a message of the audit trail says it: to the second, in UTC ("2026-12-03 17:00:45 UTC"). */
export function utcText (iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')
}

/**
 * When each cluster's inventory was read; one never read (no AXL settings) is said plainly: nobody there was selected.
 * `clusterName`: a cluster as people read it (clusterText; the id by default).
 */
export function asOfText (asOf: AsOf, clusterName: (id: string) => string = (id) => id): string {
  return Object.entries(asOf).map(([cluster, at]) => at === null ? `${clusterName(cluster)} not read: its sessions are not known (no AXL inventory), so nobody there was selected` : `${clusterName(cluster)} as of ${utcText(at)}`).join(', ')
}

/** What an item about a device is, where the outcome's own label speaks for devices and users alike. */
const DEVICE_ITEM_LABELS: Readonly<Record<string, string>> = { 'not-found': 'Unknown device' }

/** What an item of a run of users is when it has no device: a user unknown, or logged in nowhere (preview and run alike). */
export const USER_ITEM_LABELS: Readonly<Record<string, string>> = { 'not-found': 'Unknown user', empty: 'Logged in nowhere' }

/** An outcome in words, of an item about a device or about a user: its rows and its counts say the same. */
function outcomeLabel (outcome: string, aboutUser: boolean): string {
  return (aboutUser ? USER_ITEM_LABELS : DEVICE_ITEM_LABELS)[outcome] ?? labelOf(RUN_OUTCOME_LABELS, outcome)
}

/**
 * One item's outcome in words. A run of users has an item without a device for each user it could
 * not find, or found logged in nowhere: that one is about a user.
 */
export function runItemOutcomeLabel (item: { outcome: string, device: string }): string {
  return outcomeLabel(item.outcome, item.device === '')
}

/** A label of a table, or the value as sent when the table does not know it (a newer server). */
export function labelOf (labels: Readonly<Record<string, string>>, value: string): string {
  return labels[value] ?? value
}

/**
 * Whether a connection check found nothing wrong with a CUCM whose certificate nobody verified
 * (TLS verification off): its TLS step is then neither passed nor failed, as a step an earlier
 * failure left unchecked would be, but nothing failed. Such a check has not passed clean.
 */
export function passedUnverified (steps: readonly CheckStep[]): boolean {
  return steps.every((step) => step.ok !== false) && steps.some((step) => step.name === 'tls' && step.ok === null)
}

/** The dashboard's and the CLI's headline of a check that passed without verifying TLS. */
export const UNVERIFIED_HEADLINE = 'Every check passed, but CUCM\'s certificate was NOT verified: TLS verification is off.'

const zoneFormats = new Map<string, Intl.DateTimeFormat>()

/**
 * A schedule's fire time as its zone reads it ("Tue, Nov 24, 02:00"), in the dashboard's and in
 * the server's words alike; the local zone if that one is unknown here. `locale`: the browser's
 * when absent; the server's messages are English whatever the machine's LANG ("en-US").
 * `withYear`: "Sun, Mar 28, 2027, 03:00", for a time not in this year.
 */
export function formatInZone (iso: string, timezone: string, locale?: string, withYear = false): string {
  const key = `${locale ?? ''} ${timezone} ${withYear}`
  let format = zoneFormats.get(key)
  if (format === undefined) {
    const options: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', ...(withYear ? { year: 'numeric' } : {}), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: timezone })
    } catch {
      format = new Intl.DateTimeFormat(locale, options)
    }
    zoneFormats.set(key, format)
  }
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : format.format(date)
}

/**
 * An age in hours as people read it: "12 h", "1.5 h"; one the CLI took in minutes (--older-than
 * 4000m, 10m) in hours and minutes, "66 h 40 min", "10 min", not "66.66666666666667 h".
 */
function hoursText (hours: number): string {
  const minutes = Math.round(hours * 60)
  if (!/\.\d{3}/.test(String(hours)) || Math.abs(hours * 60 - minutes) > 1e-6 || minutes === 0) return `${hours} h`
  if (minutes < 60) return `${minutes} min`
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/**
 * What a selection by sessions chose, in words ("logged in for more than 12 h on DP_OSLO"), or ''
 * without filters: a run's title and the dashboard's confirmation of it say the same.
 * `clusterName`: a cluster as people read it (clusterText: the dashboard's names, the server's registry.said; the id by default).
 */
export function selectionWords (filters: SessionFilters, clusterName: (id: string) => string = (id) => id): string {
  const parts: string[] = []
  if (filters.olderThanHours !== undefined) parts.push(`logged in for more than ${hoursText(filters.olderThanHours)}`)
  if (filters.devicePool !== undefined && filters.devicePool.length > 0) parts.push(`on ${filters.devicePool.join(', ')}`)
  if (filters.cluster !== undefined) parts.push(`in cluster ${clusterName(filters.cluster)}`)
  if (filters.model !== undefined) parts.push(`on ${filters.model} phones`)
  if (filters.user !== undefined) parts.push(`users ${filters.user}…`)
  if (filters.device !== undefined) parts.push(`devices ${filters.device}…`)
  if (filters.q !== undefined) parts.push(`matching "${filters.q}"`)
  return parts.join(' ')
}

/**
 * A cluster in words meant for a person: its display name, with its id in brackets when another
 * cluster has the same name (names need not be unique; the default one is the host). An id no
 * cluster has (deleted since) is said as it is. Ids stay in JSON fields and CSV columns.
 */
export function clusterText (id: string, clusters: ReadonlyArray<{ id: string, name: string }>): string {
  const cluster = clusters.find((c) => c.id.toLowerCase() === id.toLowerCase())
  if (cluster === undefined) return id
  const shared = clusters.some((c) => c !== cluster && c.name.toLowerCase() === cluster.name.toLowerCase())
  return shared && cluster.name !== cluster.id ? `${cluster.name} (${cluster.id})` : cluster.name
}
