import type { DeviceReport, LoginItem, MultipleLogins, PreviewItem, RunAction, RunItemOutcome, SessionFilters } from '@em-console/shared/schemas'
import type { SessionSelection } from '../inventory/inventory-service.js'
import type { NewItem } from './run-repository.js'

/**
 * What a run is asked to do. A list of users is looked up first and becomes the devices they
 * are on; a selection by sessions (issue #18) becomes the devices of those sessions, each on its
 * cluster; `located` items already know their cluster (a retry, a selection made before).
 * `clusters`: only these clusters are asked and acted on (issue #17); absent: every usable one.
 */
export type RunInput = (
  | { action: 'logout', devices: readonly string[], /** The device list of Settings they are from, by name. */ list?: string, csv?: CsvSource }
  | { action: 'logout', users: readonly string[] }
  | { action: 'logout', sessions: SessionFilters, selection?: SessionSelection }
  | { action: 'login', items: readonly LoginItem[], csv?: CsvSource }
  | { action: RunAction, located: readonly Wanted[], previewedFrom?: SessionFilters }
) & { clusters?: readonly string[] }

/**
 * The items came as the rows of a CSV body; `file`: the name of the uploaded file, when the client
 * said it; `leftOut`: how many of its rows were refused (each said by line at preview), not run.
 */
export interface CsvSource {
  file?: string
  leftOut?: number
}

/** One device a run wants to act on. */
export interface Wanted {
  device: string
  /** Login: whom to log in. Logout of a user list or of sessions: whom to log out (nobody else). */
  user: string | null
  profile?: string
  durationMinutes?: number
  /** Login: no automatic logout. */
  indefinite?: true
  /** Known before the look-up (a user's device, a session, a retry): only that cluster is asked. */
  cluster?: string
}

export type Exemption = (device: string, user: string | null) => boolean

/**
 * What a look-up found of the wanted devices: the clusters each is on (only its own cluster when
 * it names one), and the clusters that could not be asked where it was looked for, in words
 * (undefined when every one answered).
 */
export interface Found {
  on: (wanted: Wanted) => readonly DeviceReport[]
  silent: (wanted: Wanted) => string | undefined
}

export const NOTHING_FOUND: Found = { on: () => [], silent: () => undefined }

export function countBy (outcomes: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1
  return counts
}

/**
 * The devices of a device list or a login list; users and sessions are resolved by the run
 * service. A device listed twice stays in the list, so that its preview and its run say so
 * (`repeats`): a CSV of 8 rows previewed as 6 devices without a word looked like lost rows.
 */
export function wantedOf (input: Extract<RunInput, { devices: readonly string[] } | { items: readonly LoginItem[] }>): Wanted[] {
  return 'devices' in input
    ? input.devices.map((device) => ({ device, user: null }))
    : input.items.map((item) => ({ device: item.device, user: item.user, profile: item.profile, durationMinutes: item.durationMinutes, ...(item.indefinite === true ? { indefinite: true as const } : {}) }))
}

/** The sessions of a selection, each device with its user and cluster: only that user is logged out there. */
export function wantedOfSelection (selection: SessionSelection): Wanted[] {
  return selection.sessions.map((s) => ({ device: s.deviceName, user: s.userId, cluster: s.cluster }))
}

/** For each device, whether the same device (as CUCM compares names, on the same cluster) came earlier in the list. */
export function repeats (wanted: readonly Wanted[]): boolean[] {
  const seen = new Set<string>()
  return wanted.map(({ device, cluster }) => {
    const key = `${cluster?.toLowerCase() ?? ''}/${device.toLowerCase()}`
    if (seen.has(key)) return true
    seen.add(key)
    return false
  })
}

const DUPLICATE_REASON = 'Listed twice: only the first row is run'

/** A device on several clusters is never guessed at: the person names the cluster (issue #17). */
function ambiguousReason (clusters: readonly string[]): string {
  return `On several clusters (${clusters.join(', ')}): not sent. Name the cluster: run it again for one cluster.`
}

/**
 * A login of a user who is on another phone of the cluster, or listed for one above: the second
 * login is CUCM's Multiple Login Behavior's to decide (PROTOCOL.md §5), refused (25) where it is
 * "not allowed", ending the other where it is auto-logout. Said of the later row; only rows that
 * will be sent count. `loggedInOn`: the phones a user is on now (a look-up), per cluster.
 */
export function withSecondLogins (items: readonly PreviewItem[], multipleLoginsOf: (cluster: string) => MultipleLogins | undefined,
  loggedInOn: (cluster: string, user: string) => readonly string[] = () => []): PreviewItem[] {
  const firstDevice = new Map<string, string>()
  return items.map((item) => {
    if (item.category !== 'will-login' || item.cluster === null || item.user === null) return item
    const key = `${item.cluster.toLowerCase()}/${item.user.toLowerCase()}`
    const earlier = firstDevice.get(key)
    if (earlier === undefined) firstDevice.set(key, item.device)
    const others = loggedInOn(item.cluster, item.user).filter((device) => device.toLowerCase() !== item.device.toLowerCase())
    const where = [...(others.length === 0 ? [] : [`logged in on ${others.join(', ')}`]), ...(earlier === undefined ? [] : [`also listed for ${earlier}`])]
    if (where.length === 0) return item
    const who = `${item.user} is ${where.join(' and ')}`
    const behavior = multipleLoginsOf(item.cluster)
    const said = behavior === 'not-allowed'
      ? `CUCM will refuse this login (code 25): ${who}, and this cluster's Multiple Login Behavior is "not allowed"`
      : behavior === 'auto-logout' ? `${who}: this cluster's Multiple Login Behavior is auto-logout, so this login ends the other` : undefined
    if (said === undefined) return item
    return { ...item, reason: item.reason === undefined ? said : `${item.reason}; ${said}` }
  })
}

/** The items a run starts with: pending, but for repeats, which are never sent. */
export function newItems (wanted: readonly Wanted[]): NewItem[] {
  const repeated = repeats(wanted)
  return wanted.map((w, i) => ({
    device: w.device,
    userId: w.user,
    profile: w.profile,
    durationMinutes: w.durationMinutes,
    indefinite: w.indefinite,
    cluster: w.cluster ?? null,
    ...(repeated[i] === true ? { outcome: 'duplicate', message: DUPLICATE_REASON } : { outcome: 'pending' })
  }))
}

/** Why a phone is shown empty when what EM Console knows of it says so (its inventory row, or CUCM's answer to its last login or logout). */
const EM_DISABLED = 'Extension Mobility is turned off on this phone'

/**
 * What a run would do with each device, given where its look-up found it. Only the will- and
 * occupied devices are sent; a logout is never sent to a phone with nobody on it, nor to someone
 * other than the user a user list or a session named (they may have moved since), nor to a device
 * found on several clusters.
 */
export function classify (action: RunAction, wanted: readonly Wanted[], found: Found, exempt: Exemption): PreviewItem[] {
  const repeated = repeats(wanted)
  return wanted.map((w, i): PreviewItem => {
    const { device, user } = w
    const on = found.on(w)
    const only = on.length === 1 ? on[0] : undefined
    const currentUser = only?.currentUser ?? null
    const base = { device, cluster: only?.cluster ?? w.cluster ?? null, currentUser, user }
    if (repeated[i] === true) return { ...base, category: 'duplicate', reason: DUPLICATE_REASON }
    if (on.length > 1) return { ...base, cluster: null, category: 'ambiguous', reason: ambiguousReason(on.map((s) => s.cluster ?? '')) }
    const silent = found.silent(w)
    if (only === undefined && silent !== undefined) {
      // A device that names its cluster was asked there alone: that one cluster is what failed.
      const reason = w.cluster === undefined ? `Not on the clusters that answered, and it may be on one that could not be asked: ${silent}` : `Not sent: its cluster could not be asked. ${silent}`
      return { ...base, category: 'unavailable', reason }
    }
    if (only === undefined) return { ...base, category: 'not-found', reason: w.cluster === undefined ? 'CUCM does not know this device' : `Cluster ${w.cluster} does not know this device` }
    // EMAPI's look-up shows a phone without Extension Mobility as empty; the inventory or CUCM's last answer knows.
    const emDisabled = currentUser === null && only.emEnabled === false
    if (action === 'login') {
      if (currentUser !== null) return { ...base, category: 'occupied', reason: `${currentUser} is logged in here; the login will fail (code 18) unless they log out first` }
      return emDisabled ? { ...base, category: 'will-login', reason: `${EM_DISABLED}: CUCM will refuse the login (code 22) unless it is turned on` } : { ...base, category: 'will-login' }
    }
    if (exempt(device, currentUser)) return { ...base, category: 'excluded', reason: 'On the exemption list' }
    if (currentUser === null) return { ...base, category: 'empty', reason: emDisabled ? `${EM_DISABLED}: nobody can be logged in, nothing to send` : 'Nobody is logged in: nothing to send' }
    if (user !== null && currentUser.toLowerCase() !== user.toLowerCase()) return { ...base, category: 'empty', reason: `${user} is no longer logged in here (${currentUser} is): not sent` }
    // Found where it was asked; a cluster that could not be asked may have it too (not run there).
    return { ...base, category: 'will-logout', ...(silent === undefined ? {} : { reason: `Not asked on a cluster that could not be asked: ${silent}` }) }
  })
}

const NOT_SENT: Partial<Record<PreviewItem['category'], RunItemOutcome>> = { 'not-found': 'not-found', excluded: 'excluded', empty: 'empty', duplicate: 'duplicate', ambiguous: 'ambiguous', unavailable: 'not-run' }

/** What a run does with a previewed item: a logout names whom the look-up found; some are not sent. */
export function planOf (action: RunAction, p: PreviewItem): { userId: string | null, cluster: string | null, outcome: RunItemOutcome, message: string | null } {
  const outcome = NOT_SENT[p.category] ?? 'pending'
  return { userId: action === 'login' ? p.user : p.currentUser, cluster: p.cluster, outcome, message: outcome === 'pending' ? null : p.reason ?? null }
}
