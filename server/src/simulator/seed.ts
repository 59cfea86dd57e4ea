import { readFileSync } from 'node:fs'
import { defaultModel, type Scenario } from './state.js'

/** Well-known entries of the seed that tests and e2e rely on. */
export const SEED_OCCUPIED_DEVICE = 'SEP001122334455'
/** Logged in on SEED_OCCUPIED_DEVICE with the first of SEED_USER_PROFILES (its default). */
export const SEED_USER = 'jdoe'
export const SEED_USER_PROFILES = ['jdoe-EM-8865', 'jdoe-EM-7841'] as const
/** EM enabled, nobody logged in, no last user. */
export const SEED_EMPTY_DEVICE = 'SEP00AABBCCDDEE'
export const SEED_EM_DISABLED_DEVICE = 'SEP00DEADBEEF00'
/** Logged in nowhere, one default profile. */
export const SEED_FREE_USER = 'asmith'
export const SEED_FREE_USER_PROFILE = 'asmith-EM-8865'
/** A user ID with `@`, logged in on SEED_EMAIL_USER_DEVICE. */
export const SEED_EMAIL_USER = 'jane.doe@example.com'
export const SEED_EMAIL_USER_DEVICE = 'SEP001122334466'
/** A non-ASCII user ID, logged in nowhere. */
export const SEED_NON_ASCII_USER = 'josé.garcía'

/** The sites of the seed: four device pools in three time zones (AXL shows the pool of each phone). */
export const SEED_DEVICE_POOLS = [
  { name: 'DP_OSLO', timeZone: 'Europe/Oslo', city: 'Oslo' },
  { name: 'DP_BERGEN', timeZone: 'Europe/Oslo', city: 'Bergen' },
  { name: 'DP_LONDON', timeZone: 'Europe/London', city: 'London' },
  { name: 'DP_NEWYORK', timeZone: 'America/New_York', city: 'New York' }
] as const

export const SEED_PHONE_COUNT = 500
const SEED_USER_COUNT = 400
export const SEED_LOGIN_COUNT = 150

/** mulberry32: a small seeded PRNG, so the same seed gives the same site on every machine. */
export function createRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST = ['anna', 'ben', 'carla', 'david', 'elena', 'frank', 'grace', 'hugo', 'irene', 'jack', 'karin', 'liam', 'maria', 'nils', 'olga', 'paul', 'quinn', 'rosa', 'sam', 'tina', 'umar', 'vera', 'will', 'xenia', 'yusuf', 'zoe']
const LAST = ['adams', 'baker', 'chen', 'diaz', 'evans', 'fischer', 'garcia', 'hansen', 'ito', 'jensen', 'khan', 'lopez', 'meyer', 'nguyen', 'owens', 'patel', 'quist', 'rossi', 'schmidt', 'tanaka', 'ueda', 'vogel', 'wagner', 'young', 'zimmer']
const NON_ASCII = ['zoë.müller', 'björn.ångström', 'françois.lefèvre', 'łukasz.wiśniewski', 'søren.kjær', 'çağla.öztürk', 'nuño.peña', 'ana.bärtschi', 'dvořák.jiří', '山田.太郎']
const MODELS = ['8865', '7841', '8845', '7821', '9861']
// Descriptions as admins write them, some with characters that need escaping on the way through XML.
const PLACES = ['desk', 'hot desk', 'meeting room', 'reception', 'lab', 'kitchen', 'møterom', 'R&D corner', "CEO's office", 'quiet room <2>']
const HOUR = 3_600_000
/** Maximum login times CUCM might enforce (exclusiveDuration or its service parameter). */
const MAX_DURATIONS = [8 * HOUR, 12 * HOUR, 24 * HOUR, 96 * HOUR]

/** The AXL-visible attributes of a phone: model, description, device pool. */
export function phoneAttributes (random: () => number, name: string): { model: string, description: string, devicePool: string } {
  const pool = SEED_DEVICE_POOLS[Math.floor(random() * SEED_DEVICE_POOLS.length)] ?? SEED_DEVICE_POOLS[0]
  const place = PLACES[Math.floor(random() * PLACES.length)] ?? 'desk'
  const model = /^(CSF|TCT|BOT)/.test(name) ? defaultModel(name) : `Cisco ${MODELS[Math.floor(random() * MODELS.length)] ?? '8865'}`
  return { model, description: `${pool.city} ${place} ${1 + Math.floor(random() * 40)}`, devicePool: pool.name }
}

/**
 * Gives some logins a maximum duration: CUCM's auto-logout time, always at least two hours
 * ahead of `now` so a fresh simulator keeps every seeded login for a while.
 */
export function maybeMaxDuration (random: () => number, loginTime: number, now: number): number | null {
  if (random() >= 0.25) return null
  const fits = MAX_DURATIONS.filter((d) => loginTime + d >= now + 2 * HOUR)
  const duration = fits[Math.floor(random() * fits.length)]
  return duration === undefined ? null : loginTime + duration
}

/** A device profile name CUCM would accept: ASCII letters, digits, dot, dash, underscore. */
function profileSlug (userId: string): string {
  return userId.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace('@', '_at_').replace(/[^A-Za-z0-9._-]/g, 'x')
}

function hex12 (random: () => number): string {
  let out = ''
  for (let i = 0; i < 12; i++) out += Math.floor(random() * 16).toString(16).toUpperCase()
  return out
}

/**
 * A realistic, deterministic site: 500 phones (mostly SEP, a few CSF/TCT/BOT soft clients, some
 * with EM disabled), 400 users (some with `@`, some non-ASCII), one or two profiles each, and 150
 * current logins spread over the last three days, a quarter of them with a maximum duration.
 * Phones sit in four device pools (SEED_DEVICE_POOLS). Login times are relative to `now`.
 * A second PRNG draws the AXL-visible attributes, so the first one (names, who is logged in
 * where) gives the same site as before they existed.
 */
export function seedScenario (options: { seed?: number, now?: number } = {}): Scenario {
  const random = createRandom(options.seed ?? 20261101)
  const attributes = createRandom((options.seed ?? 20261101) ^ 0x5a5a5a5a)
  const now = options.now ?? Date.now()
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T

  const users = [SEED_USER, SEED_FREE_USER, SEED_EMAIL_USER, SEED_NON_ASCII_USER, ...NON_ASCII]
  const taken = new Set(users)
  while (users.length < SEED_USER_COUNT) {
    const first = pick(FIRST)
    const last = pick(LAST)
    let id = random() < 0.15 ? `${first}.${last}@example.com` : `${first[0]}${last}`
    for (let n = 2; taken.has(id); n++) id = id.includes('@') ? `${first}.${last}${n}@example.com` : `${first[0]}${last}${n}`
    taken.add(id)
    users.push(id)
  }

  const profiles: Scenario['profiles'] = [
    { name: SEED_USER_PROFILES[0], owners: [SEED_USER], isDefault: true },
    { name: SEED_USER_PROFILES[1], owners: [SEED_USER], isDefault: false },
    { name: SEED_FREE_USER_PROFILE, owners: [SEED_FREE_USER], isDefault: true }
  ]
  for (const id of users.slice(2)) {
    const slug = profileSlug(id)
    const [model, second] = [pick(MODELS), pick(MODELS)]
    profiles.push({ name: `${slug}-EM-${model}`, owners: [id], isDefault: true })
    if (second !== model && random() < 0.3) profiles.push({ name: `${slug}-EM-${second}`, owners: [id], isDefault: false })
  }

  const devices: Scenario['devices'] = [
    { name: SEED_OCCUPIED_DEVICE, currentUser: SEED_USER, currentProfile: SEED_USER_PROFILES[0], lastUser: SEED_FREE_USER, loginTime: now - 3 * 3_600_000, model: 'Cisco 8865', description: 'Oslo reception 1', devicePool: 'DP_OSLO' },
    { name: SEED_EMPTY_DEVICE, model: 'Cisco 8845', description: 'London hot desk 7', devicePool: 'DP_LONDON' },
    { name: SEED_EM_DISABLED_DEVICE, emEnabled: false, model: 'Cisco 7841', description: 'New York lobby', devicePool: 'DP_NEWYORK' },
    { name: SEED_EMAIL_USER_DEVICE, currentUser: SEED_EMAIL_USER, loginTime: now - 45 * 60_000, model: 'Cisco 7841', description: 'Bergen desk 12', devicePool: 'DP_BERGEN' }
  ]
  const names = new Set(devices.map((d) => d.name))
  const softClients = users.slice(8, 26).map((id, i) => `${['CSF', 'TCT', 'BOT'][i % 3]}${profileSlug(id).replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 12)}`)
  for (const name of softClients) {
    if (names.has(name)) continue
    names.add(name)
    devices.push({ name })
  }
  while (devices.length < SEED_PHONE_COUNT) {
    const name = `SEP${hex12(random)}`
    if (names.has(name)) continue
    names.add(name)
    // Lobby and conference-room phones typically have EM turned off.
    devices.push(random() < 0.05 ? { name, emEnabled: false } : { name })
  }

  const fixed = new Set<string>([SEED_OCCUPIED_DEVICE, SEED_EMPTY_DEVICE, SEED_EM_DISABLED_DEVICE, SEED_EMAIL_USER_DEVICE])
  const candidates = devices.filter((d) => !fixed.has(d.name) && d.emEnabled !== false)
  const loginUsers = users.slice(8).filter(() => random() < 0.5).slice(0, SEED_LOGIN_COUNT - 2)
  for (const device of candidates) {
    if (random() < 0.6) device.lastUser = pick(users)
  }
  for (const userId of loginUsers) {
    const device = candidates.splice(Math.floor(random() * candidates.length), 1)[0]
    if (device === undefined) break
    device.currentUser = userId
    device.loginTime = now - Math.floor(random() * 3 * 24 * HOUR)
  }
  for (const device of devices) {
    if (device.model === undefined) Object.assign(device, phoneAttributes(attributes, device.name))
    if (fixed.has(device.name) || device.loginTime == null) continue
    const autoLogoutAt = maybeMaxDuration(attributes, device.loginTime, now)
    if (autoLogoutAt !== null) device.autoLogoutAt = autoLogoutAt
  }
  return { users, profiles, devices }
}

function fail (message: string): never {
  throw new Error(`Invalid simulator scenario: ${message}`)
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const IS_TYPE = {
  string: (value: unknown) => typeof value === 'string',
  number: (value: unknown) => typeof value === 'number',
  boolean: (value: unknown) => typeof value === 'boolean'
}

function optional (record: Record<string, unknown>, name: string, type: keyof typeof IS_TYPE, where: string): void {
  const value = record[name]
  if (value !== undefined && value !== null && !IS_TYPE[type](value)) fail(`${where}.${name} must be a ${type}`)
}

/** Validates a custom scenario (JSON text or an already parsed value); see Scenario for its shape. */
export function loadScenario (json: unknown): Scenario {
  const value: unknown = typeof json === 'string' ? JSON.parse(json) : json
  if (!isRecord(value)) fail('expected an object')
  const { users, profiles, devices, appUsers } = value
  if (!Array.isArray(users) || !users.every((u) => typeof u === 'string')) fail('users must be an array of strings')
  if (!Array.isArray(profiles)) fail('profiles must be an array')
  profiles.forEach((p: unknown, i) => {
    if (!isRecord(p) || typeof p.name !== 'string') fail(`profiles[${i}].name must be a string`)
    if (!Array.isArray(p.owners) || !p.owners.every((o) => typeof o === 'string')) fail(`profiles[${i}].owners must be an array of strings`)
    optional(p, 'isDefault', 'boolean', `profiles[${i}]`)
  })
  if (!Array.isArray(devices)) fail('devices must be an array')
  devices.forEach((d: unknown, i) => {
    if (!isRecord(d) || typeof d.name !== 'string') fail(`devices[${i}].name must be a string`)
    optional(d, 'emEnabled', 'boolean', `devices[${i}]`)
    for (const name of ['currentUser', 'currentProfile', 'lastUser', 'model', 'description', 'devicePool']) optional(d, name, 'string', `devices[${i}]`)
    for (const name of ['loginTime', 'autoLogoutAt']) optional(d, name, 'number', `devices[${i}]`)
  })
  if (appUsers !== undefined) {
    if (!Array.isArray(appUsers)) fail('appUsers must be an array')
    appUsers.forEach((a: unknown, i) => {
      if (!isRecord(a) || typeof a.id !== 'string' || typeof a.password !== 'string') fail(`appUsers[${i}] needs id and password strings`)
      optional(a, 'proxyRights', 'boolean', `appUsers[${i}]`)
    })
  }
  return value as unknown as Scenario
}

export function loadScenarioFile (path: string): Scenario {
  return loadScenario(readFileSync(path, 'utf8'))
}
