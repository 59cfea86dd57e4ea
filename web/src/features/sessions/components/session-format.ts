import type { SessionEndReason } from '@em-console/shared/schemas'

const MINUTE = 60_000

/** "45 min", "3 h 12 min", "2 d 4 h": how long someone has been logged in. */
export function formatAge (ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  const minutes = Math.floor(ms / MINUTE)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
  const days = Math.floor(hours / 24)
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`
}

/**
 * The age of a login at `now`, or a dash when CUCM holds no login time. A login after `now` (CUCM's
 * clock ahead of this browser's) has just begun: 0 min, as the CLI counts it, not the dash of no time.
 */
export function ageOf (loginTime: string | null, now: number): string {
  return loginTime === null ? '—' : formatAge(Math.max(0, now - Date.parse(loginTime)))
}

export const END_REASON_LABELS: Record<SessionEndReason, string> = {
  'em-console': 'Logged out by EM Console',
  'auto-logout': "CUCM's maximum login time",
  replaced: 'Another login on the phone',
  'not-seen': 'Logged out (seen at a refresh)'
}

/** The quick age filters of the Sessions screen, in hours. */
export const AGE_CHIPS = [
  { hours: 8, label: 'Logged in > 8 h' },
  { hours: 24, label: '> 24 h' },
  { hours: 72, label: '> 3 days' }
] as const
