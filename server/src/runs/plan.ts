import type { DeviceStatus, LoginItem, PreviewItem, RunAction, RunItemOutcome } from '@em-console/shared/schemas'
import { uniqueNames } from '../services/em-service.js'
import type { NewItem } from './run-repository.js'

/**
 * What a run is asked to do. A list of users is looked up first and becomes the devices they
 * are on (`resolved`), each remembering whom it is for.
 */
export type RunInput =
  | { action: 'logout', devices: readonly string[] }
  | { action: 'logout', users: readonly string[] }
  | { action: 'login', items: readonly LoginItem[] }

/** One device a run wants to act on. */
export interface Wanted {
  device: string
  /** Login: whom to log in. Logout of a user list: whom to log out (nobody else). */
  user: string | null
  profile?: string
  durationMinutes?: number
}

export type Exemption = (device: string, user: string | null) => boolean

export function countBy (outcomes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1
  return counts
}

/** Look-up answers by device name, as CUCM compares names: case-insensitively. */
export function byName (statuses: readonly DeviceStatus[]): (device: string) => DeviceStatus | undefined {
  const map = new Map(statuses.map((s) => [s.deviceName.toLowerCase(), s]))
  return (device) => map.get(device.toLowerCase())
}

/** The devices of a device list or a login list; a user list is resolved by the run service. */
export function wantedOf (input: Exclude<RunInput, { users: readonly string[] }>): Wanted[] {
  return input.action === 'logout'
    ? uniqueNames(input.devices).map((device) => ({ device, user: null }))
    : input.items.map((item) => ({ device: item.device, user: item.user, profile: item.profile, durationMinutes: item.durationMinutes }))
}

/** For each device, whether the same device (as CUCM compares names) came earlier in the list. */
export function repeats (wanted: readonly Wanted[]): boolean[] {
  const seen = new Set<string>()
  return wanted.map(({ device }) => {
    const key = device.toLowerCase()
    if (seen.has(key)) return true
    seen.add(key)
    return false
  })
}

export const DUPLICATE_REASON = 'Listed twice: only the first row is run'

/** The items a run starts with: pending, but for repeats, which are never sent. */
export function newItems (wanted: readonly Wanted[]): NewItem[] {
  const repeated = repeats(wanted)
  return wanted.map((w, i) => ({
    device: w.device,
    userId: w.user,
    profile: w.profile,
    durationMinutes: w.durationMinutes,
    ...(repeated[i] === true ? { outcome: 'duplicate', message: DUPLICATE_REASON } : { outcome: 'pending' })
  }))
}

/**
 * What a run would do with each device, given what its look-up found. Only the will- and
 * occupied devices are sent; a logout is never sent to a phone with nobody on it, nor to someone
 * other than the user a user list named (they may have moved since).
 */
export function classify (action: RunAction, wanted: readonly Wanted[], status: (device: string) => DeviceStatus | undefined, exempt: Exemption): PreviewItem[] {
  const repeated = repeats(wanted)
  return wanted.map(({ device, user }, i) => {
    const found = status(device)
    const currentUser = found?.currentUser ?? null
    const base = { device, currentUser, user }
    if (repeated[i] === true) return { ...base, category: 'duplicate', reason: DUPLICATE_REASON }
    if (found?.exists !== true) return { ...base, category: 'not-found', reason: 'CUCM does not know this device' }
    if (action === 'login') return currentUser === null ? { ...base, category: 'will-login' } : { ...base, category: 'occupied', reason: `${currentUser} is logged in here; the login will fail (code 18) unless they log out first` }
    if (exempt(device, currentUser)) return { ...base, category: 'excluded', reason: 'On the exemption list' }
    if (currentUser === null) return { ...base, category: 'empty', reason: 'Nobody is logged in: nothing to send' }
    if (user !== null && currentUser.toLowerCase() !== user.toLowerCase()) return { ...base, category: 'empty', reason: `${user} is no longer logged in here (${currentUser} is): not sent` }
    return { ...base, category: 'will-logout' }
  })
}

const NOT_SENT: Partial<Record<PreviewItem['category'], RunItemOutcome>> = { 'not-found': 'not-found', excluded: 'excluded', empty: 'empty', duplicate: 'duplicate' }

/** What a run does with a previewed item: a logout names whom the look-up found; some are not sent. */
export function planOf (action: RunAction, p: PreviewItem): { userId: string | null, outcome: RunItemOutcome, message: string | null } {
  const outcome = NOT_SENT[p.category] ?? 'pending'
  return { userId: action === 'login' ? p.user : p.currentUser, outcome, message: outcome === 'pending' ? null : p.reason ?? null }
}
