import { createRandom, maybeMaxDuration, seedScenario } from './seed.js'
import type { Scenario } from './state.js'

/**
 * The demo's second cluster (issue #17): a smaller branch site in another time zone, with its own
 * phones and users, and a few users who also exist at HQ (people who travel between sites), so
 * every multi-cluster screen has something to show. Deterministic like the seed.
 */
export const BRANCH_PHONE_COUNT = 200
const BRANCH_USER_COUNT = 120
const BRANCH_LOGIN_COUNT = 60
export const BRANCH_TIMEZONE = 'America/Chicago'
const BRANCH_DEVICE_POOL = { name: 'DP_CHICAGO', city: 'Chicago' } as const

/** Logged in on BRANCH_OCCUPIED_DEVICE. Exists only at the branch. */
export const BRANCH_USER = 'maria.lopez'
export const BRANCH_OCCUPIED_DEVICE = 'SEPB00000000001'
/** EM enabled, nobody logged in. */
export const BRANCH_EMPTY_DEVICE = 'SEPB00000000002'
/**
 * How many HQ users also exist at the branch: taken from the HQ seed's generated users (never its
 * well-known ones, whose look-ups the existing tests pin down). The first of them is logged in at
 * the branch (BRANCH_TRAVELLER_DEVICE); the others are logged in nowhere there.
 */
const BRANCH_SHARED_USER_COUNT = 4
const BRANCH_TRAVELLER_DEVICE = 'SEPB00000000003'

const FIRST = ['alba', 'bruno', 'chloe', 'dario', 'emma', 'felix', 'gina', 'henry', 'isla', 'jonas', 'kira', 'luca', 'mia', 'noah', 'omar', 'pia', 'rafael', 'sofia', 'theo', 'ula', 'victor', 'wanda', 'yara', 'zeno']
const LAST = ['brown', 'clark', 'davis', 'flores', 'gomez', 'hill', 'jones', 'kim', 'lewis', 'miller', 'moore', 'nelson', 'ortiz', 'perez', 'reed', 'scott', 'torres', 'walker', 'white', 'wright']
const MODELS = ['8865', '8845', '7841']
const PLACES = ['desk', 'hot desk', 'warehouse office', 'front desk', 'break room', 'shipping']
const HOUR = 3_600_000

/** The HQ users who also exist at the branch (see BRANCH_SHARED_USER_COUNT). */
export function branchSharedUsers (): string[] {
  // Past the seed's well-known users and the first generated ones that are soft-client owners.
  return seedScenario({ now: 0 }).users.slice(40, 40 + BRANCH_SHARED_USER_COUNT)
}

export function branchScenario (options: { now?: number } = {}): Scenario {
  const random = createRandom(20261117)
  const now = options.now ?? Date.now()
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const shared = branchSharedUsers()

  // First name dot last name, never with `@`: no branch-only user can share an id with an HQ one.
  const users = [BRANCH_USER, ...shared]
  const taken = new Set(users)
  while (users.length < BRANCH_USER_COUNT) {
    let id = `${pick(FIRST)}.${pick(LAST)}`
    for (let n = 2; taken.has(id); n++) id = `${id.replace(/\d+$/, '')}${n}`
    taken.add(id)
    users.push(id)
  }
  const profiles: Scenario['profiles'] = users.map((id) => ({ name: `${id.replace(/[^A-Za-z0-9._-]/g, 'x')}-BR-${pick(MODELS)}`, owners: [id], isDefault: true }))

  const attributes = (name: string): { model: string, description: string, devicePool: string } => ({
    model: `Cisco ${pick(MODELS)}`,
    description: `${BRANCH_DEVICE_POOL.city} ${pick(PLACES)} ${1 + Math.floor(random() * 30)}`,
    devicePool: BRANCH_DEVICE_POOL.name
  })
  const devices: Scenario['devices'] = [
    { name: BRANCH_OCCUPIED_DEVICE, currentUser: BRANCH_USER, lastUser: null, loginTime: now - 2 * HOUR, ...attributes(BRANCH_OCCUPIED_DEVICE) },
    { name: BRANCH_EMPTY_DEVICE, ...attributes(BRANCH_EMPTY_DEVICE) },
    { name: BRANCH_TRAVELLER_DEVICE, currentUser: shared[0] ?? null, loginTime: now - 5 * HOUR, ...attributes(BRANCH_TRAVELLER_DEVICE) }
  ]
  // SEPB0 + 10 hex digits: a MAC range of its own, so no branch phone shares a name with an HQ one.
  for (let i = devices.length + 1; devices.length < BRANCH_PHONE_COUNT; i++) {
    const name = `SEPB0${(0x1000 + i * 7919).toString(16).toUpperCase().padStart(10, '0')}`
    devices.push({ name, ...attributes(name), ...(random() < 0.05 ? { emEnabled: false } : {}) })
  }

  const candidates = devices.slice(3).filter((d) => d.emEnabled !== false)
  const loggedIn = users.slice(1 + BRANCH_SHARED_USER_COUNT).filter(() => random() < 0.7).slice(0, BRANCH_LOGIN_COUNT - 2)
  for (const userId of loggedIn) {
    const device = candidates.splice(Math.floor(random() * candidates.length), 1)[0]
    if (device === undefined) break
    device.currentUser = userId
    device.loginTime = now - Math.floor(random() * 2 * 24 * HOUR)
    const autoLogoutAt = maybeMaxDuration(random, device.loginTime, now)
    if (autoLogoutAt !== null) device.autoLogoutAt = autoLogoutAt
  }
  for (const device of candidates) {
    if (random() < 0.5) device.lastUser = pick(users)
  }
  return { users, profiles, devices }
}
