/**
 * The simulated CUCM: who exists, who is logged in where, and the EMAPI rules that decide each
 * login and logout (PROTOCOL.md §4, §5). Pure in-memory logic; the HTTPS side is in server.ts.
 */
import type { MULTIPLE_LOGINS } from '@em-console/shared/field-rules'

/** The "Multiple Login Behavior" service parameter. */
export type MultipleLoginPolicy = typeof MULTIPLE_LOGINS[number]

export interface AppUser {
  id: string
  password: string
  /** Member of "Standard EM Authentication Proxy Rights". */
  proxyRights: boolean
}

export interface ProfileRecord {
  name: string
  /** The users the profile is associated with. */
  owners: string[]
  /** The default profile of its owners: used when a login names no profile. */
  isDefault: boolean
}

export interface DeviceRecord {
  name: string
  emEnabled: boolean
  currentUser: string | null
  currentProfile: string | null
  lastUser: string | null
  /** Epoch milliseconds. */
  loginTime: number | null
  /** Epoch milliseconds of the exclusiveDuration auto-logout, null for none. */
  autoLogoutAt: number | null
  /** What AXL shows of the phone (PROTOCOL.md of AXL §3): its model's name, description, device pool. */
  model: string
  description: string
  devicePool: string
  /** Epoch milliseconds of the last login or logout (AXL's datetimestamp). */
  changedAt: number
  /** Epoch milliseconds at which a logoutAll still under way drops this device's user, null for none. */
  dropAt: number | null
}

/**
 * A scenario: the data a simulator starts from, and the shape of a custom scenario JSON file.
 * Users and profiles are referenced by ID/name, case-insensitively. Example:
 * {
 *   "users": ["jdoe", "jane.doe@example.com"],
 *   "profiles": [{ "name": "jdoe-EM-8865", "owners": ["jdoe"], "isDefault": true }],
 *   "devices": [
 *     { "name": "SEP001122334455", "currentUser": "jdoe", "currentProfile": "jdoe-EM-8865" },
 *     { "name": "SEP00AABBCCDDEE", "lastUser": "jdoe" },
 *     { "name": "SEP0000000000AA", "emEnabled": false }
 *   ],
 *   "appUsers": [{ "id": "emapi-app", "password": "secret", "proxyRights": true }]
 * }
 * `emEnabled` defaults to true; `loginTime` (epoch ms) to the load time; `currentProfile` to the
 * user's default profile; `autoLogoutAt` to none; `model` to one that fits the name's prefix;
 * `description` to ''; `devicePool` to "Default".
 */
export interface Scenario {
  users: string[]
  profiles: Array<{ name: string, owners: string[], isDefault?: boolean }>
  devices: Array<{
    name: string
    emEnabled?: boolean
    currentUser?: string | null
    currentProfile?: string | null
    lastUser?: string | null
    loginTime?: number | null
    autoLogoutAt?: number | null
    model?: string
    description?: string
    devicePool?: string
  }>
  appUsers?: Array<{ id: string, password: string, proxyRights?: boolean }>
}

export type Outcome = { ok: true } | { ok: false, code: number }

export interface LoginInput {
  deviceName: string
  userId: string
  deviceProfile?: string | undefined
  /** Minutes until auto-logout; undefined or null for none (indefinite). */
  exclusiveMinutes?: number | null | undefined
}

export interface DeviceUserResult {
  /** The stored name when the device exists, else the name asked. */
  name: string
  exists: boolean
  currentUser: string | null
  lastUser: string | null
}

export interface UserDevicesResult {
  id: string
  exists: boolean
  devices: string[]
}

export interface UserProfilesResult {
  id: string
  exists: boolean
  profiles: Array<{ name: string, isDefault: boolean }>
}

/**
 * CUCM's lag (PROTOCOL.md §5), off (0) by default. `statusCacheSeconds`: EM caches login state, so
 * a look-up answers a device or user as it was read up to that long ago. `logoutAllSeconds`:
 * a logoutAll's users drop one by one over that long rather than at once (AXL's database too).
 */
export interface Lag {
  statusCacheSeconds: number
  logoutAllSeconds: number
}

export const NO_LAG: Lag = { statusCacheSeconds: 0, logoutAllSeconds: 0 }

export interface StateOptions {
  now?: (() => number) | undefined
  multipleLogins?: MultipleLoginPolicy | undefined
  lag?: Partial<Lag> | undefined
}

interface Cached<T> {
  result: T
  readAt: number
}

/**
 * The look-ups EM's status cache holds at most, of devices and of users each. The stand-in runs for
 * weeks in demo mode, asked names it never saw: past the bound the oldest read is forgotten (read
 * live again), as one past statusCacheSeconds is.
 */
export const STATUS_CACHE_MAX = 10_000

const OK: Outcome = { ok: true }

function fail (code: number): Outcome {
  return { ok: false, code }
}

// CUCM compares device names and user IDs case-insensitively (PROTOCOL.md §3).
function key (name: string): string {
  return name.toLowerCase()
}

const DEFAULT_DEVICE_POOL = 'Default'

/** CUCM's model names for the device name prefixes of its soft clients; other phones default to an 8865. */
export function defaultModel (deviceName: string): string {
  const prefix = deviceName.slice(0, 3).toUpperCase()
  if (prefix === 'CSF') return 'Cisco Unified Client Services Framework'
  if (prefix === 'TCT') return 'Cisco Dual Mode for iPhone'
  if (prefix === 'BOT') return 'Cisco Dual Mode for Android'
  return 'Cisco 8865'
}

export class SimulatorState {
  readonly now: () => number
  multipleLogins: MultipleLoginPolicy
  #lag: Lag
  private appUsers = new Map<string, AppUser>()
  private users = new Map<string, string>()
  private profiles = new Map<string, ProfileRecord>()
  private devices = new Map<string, DeviceRecord>()
  #revision = 0
  // EM's status cache, by device name and by user ID (key()); emptied when the lag changes.
  private deviceCache = new Map<string, Cached<DeviceUserResult>>()
  private userCache = new Map<string, Cached<UserDevicesResult>>()

  constructor (scenario: Scenario, options: StateOptions = {}) {
    this.now = options.now ?? Date.now
    this.multipleLogins = options.multipleLogins ?? 'not-allowed'
    this.#lag = NO_LAG
    this.setLag(options.lag ?? {})
    this.load(scenario)
  }

  /** Replaces everything with the scenario; app users are kept unless the scenario names some. */
  load (scenario: Scenario): void {
    this.#revision++
    this.forgetCached()
    this.users.clear()
    this.profiles.clear()
    this.devices.clear()
    for (const id of scenario.users) this.users.set(key(id), id)
    for (const p of scenario.profiles) {
      this.profiles.set(key(p.name), { name: p.name, owners: p.owners.map((o) => this.canonicalUser(o, `profile ${p.name}`)), isDefault: p.isDefault ?? false })
    }
    const loadedAt = this.now()
    for (const d of scenario.devices) {
      const currentUser = d.currentUser == null ? null : this.canonicalUser(d.currentUser, `device ${d.name}`)
      let currentProfile: string | null = null
      if (currentUser !== null) {
        const profile = d.currentProfile == null ? this.defaultProfileOf(currentUser) : this.profiles.get(key(d.currentProfile))
        if (profile === undefined) throw new Error(`Scenario: device ${d.name} has no profile for ${currentUser}`)
        currentProfile = profile.name
      }
      this.devices.set(key(d.name), {
        name: d.name,
        emEnabled: d.emEnabled ?? true,
        currentUser,
        currentProfile,
        lastUser: d.lastUser == null ? null : this.canonicalUser(d.lastUser, `device ${d.name}`),
        loginTime: currentUser === null ? null : d.loginTime ?? loadedAt,
        autoLogoutAt: currentUser === null ? null : d.autoLogoutAt ?? null,
        model: d.model ?? defaultModel(d.name),
        description: d.description ?? '',
        devicePool: d.devicePool ?? DEFAULT_DEVICE_POOL,
        changedAt: currentUser === null ? loadedAt : d.loginTime ?? loadedAt,
        dropAt: null
      })
    }
    if (scenario.appUsers !== undefined) {
      this.appUsers.clear()
      for (const a of scenario.appUsers) this.setAppUser({ id: a.id, password: a.password, proxyRights: a.proxyRights ?? true })
    }
  }

  setAppUser (appUser: AppUser): void {
    this.appUsers.set(key(appUser.id), { ...appUser })
  }

  /** Checks appInfo: 2 blank, 3 unknown user or wrong password, 10 no proxy rights. */
  authorize (appId: string, password: string): Outcome {
    if (appId === '' || password === '') return fail(2)
    const appUser = this.appUsers.get(key(appId))
    if (appUser === undefined || appUser.password !== password) return fail(3)
    if (!appUser.proxyRights) return fail(10)
    return OK
  }

  login (input: LoginInput): Outcome {
    this.expireDue()
    const device = this.devices.get(key(input.deviceName))
    if (device === undefined) return fail(11)
    if (!device.emEnabled) return fail(22)
    const userId = this.users.get(key(input.userId))
    if (userId === undefined) return fail(23)
    const profile = input.deviceProfile === undefined || input.deviceProfile === ''
      ? this.defaultProfileOf(userId)
      : this.profiles.get(key(input.deviceProfile))
    if (profile === undefined || !profile.owners.includes(userId)) return fail(12)
    // EMAPI never displaces the current user, not even the same one (PROTOCOL.md §5).
    if (device.currentUser !== null) return fail(18)
    const elsewhere = this.devicesOf(userId)
    if (elsewhere.length > 0) {
      if (this.multipleLogins === 'not-allowed') return fail(25)
      if (this.multipleLogins === 'auto-logout') for (const other of elsewhere) this.clear(other)
    }
    const now = this.now()
    device.currentUser = userId
    device.currentProfile = profile.name
    device.loginTime = now
    device.changedAt = now
    this.#revision++
    device.autoLogoutAt = input.exclusiveMinutes != null && input.exclusiveMinutes > 0 ? now + input.exclusiveMinutes * 60_000 : null
    return OK
  }

  logout (deviceName: string): Outcome {
    this.expireDue()
    const device = this.devices.get(key(deviceName))
    if (device === undefined) return fail(11)
    if (!device.emEnabled) return fail(22)
    if (device.currentUser === null) return fail(19)
    this.clear(device)
    return OK
  }

  /**
   * Logs out every EM user; success even when nobody was logged in (PROTOCOL.md §5). With
   * lag.logoutAllSeconds the users drop in name order, evenly over that time, the last at its end.
   */
  logoutAll (): Outcome {
    this.expireDue()
    const loggedIn = [...this.devices.values()].filter((d) => d.currentUser !== null)
    const spreadMs = this.#lag.logoutAllSeconds * 1000
    if (spreadMs === 0) {
      for (const device of loggedIn) this.clear(device)
      return OK
    }
    // A user already dropping keeps its time; a second logoutAll does not delay it.
    const waiting = loggedIn.filter((d) => d.dropAt === null).sort((a, b) => (a.name < b.name ? -1 : 1))
    const now = this.now()
    waiting.forEach((device, i) => { device.dropAt = now + Math.round(spreadMs * (i + 1) / waiting.length) })
    return OK
  }

  get lag (): Readonly<Lag> {
    return this.#lag
  }

  /** Changes the lag; what the status cache holds is forgotten. Drops under way keep their times. */
  setLag (lag: Partial<Lag>): void {
    this.#lag = {
      statusCacheSeconds: lag.statusCacheSeconds ?? this.#lag.statusCacheSeconds,
      logoutAllSeconds: lag.logoutAllSeconds ?? this.#lag.logoutAllSeconds
    }
    this.forgetCached()
  }

  deviceUserQuery (deviceNames: readonly string[]): DeviceUserResult[] {
    this.expireDue()
    return deviceNames.map((asked) => this.cached(this.deviceCache, asked, () => {
      const device = this.devices.get(key(asked))
      if (device === undefined) return { name: asked, exists: false, currentUser: null, lastUser: null }
      return { name: device.name, exists: true, currentUser: device.currentUser, lastUser: device.lastUser }
    }))
  }

  userDevicesQuery (userIds: readonly string[]): UserDevicesResult[] {
    this.expireDue()
    return userIds.map((asked) => this.cached(this.userCache, asked, () => {
      const id = this.users.get(key(asked))
      if (id === undefined) return { id: asked, exists: false, devices: [] }
      return { id, exists: true, devices: this.devicesOf(id).map((d) => d.name) }
    }))
  }

  deviceProfileQuery (userIds: readonly string[]): UserProfilesResult[] {
    return userIds.map((asked) => {
      const id = this.users.get(key(asked))
      if (id === undefined) return { id: asked, exists: false, profiles: [] }
      const profiles = [...this.profiles.values()].filter((p) => p.owners.includes(id)).map((p) => ({ name: p.name, isDefault: p.isDefault }))
      return { id, exists: true, profiles }
    })
  }

  /** Ends every login whose exclusiveDuration has run out or whose logoutAll drop is due; called on each access and by a timer. */
  expireDue (): number {
    const now = this.now()
    let expired = 0
    for (const device of this.devices.values()) {
      if ((device.autoLogoutAt !== null && device.autoLogoutAt <= now) || (device.dropAt !== null && device.dropAt <= now)) {
        this.clear(device)
        expired++
      }
    }
    return expired
  }

  getDevice (name: string): Readonly<DeviceRecord> | undefined {
    this.expireDue()
    return this.devices.get(key(name))
  }

  counts (): { appUsers: number, users: number, profiles: number, devices: number, loggedIn: number, emDisabled: number } {
    this.expireDue()
    const devices = [...this.devices.values()]
    return {
      appUsers: this.appUsers.size,
      users: this.users.size,
      profiles: this.profiles.size,
      devices: devices.length,
      loggedIn: devices.filter((d) => d.currentUser !== null).length,
      emDisabled: devices.filter((d) => !d.emEnabled).length
    }
  }

  /** Grows with every change of who is logged in where: lets readers cache what they derive. */
  get revision (): number {
    return this.#revision
  }

  /** Every device, user and profile, for the AXL tables; the records are live, do not change them. */
  snapshot (): { devices: readonly DeviceRecord[], users: readonly string[], profiles: readonly ProfileRecord[] } {
    this.expireDue()
    return { devices: [...this.devices.values()], users: [...this.users.values()], profiles: [...this.profiles.values()] }
  }

  private clear (device: DeviceRecord): void {
    this.#revision++
    device.changedAt = this.now()
    device.lastUser = device.currentUser
    device.currentUser = null
    device.currentProfile = null
    device.loginTime = null
    device.autoLogoutAt = null
    device.dropAt = null
  }

  /** The look-up of `asked` as the status cache holds it when read less than statusCacheSeconds ago, else read now. */
  private cached<T> (cache: Map<string, Cached<T>>, asked: string, read: () => T): T {
    const maxAgeMs = this.#lag.statusCacheSeconds * 1000
    if (maxAgeMs === 0) return read()
    const now = this.now()
    const name = key(asked)
    const held = cache.get(name)
    if (held !== undefined && now - held.readAt < maxAgeMs) return held.result
    // Each read goes in at the end (deleted first), so the oldest are first: what expired, and what
    // is past the bound, is dropped from the front.
    for (const [oldest, entry] of cache) {
      if (now - entry.readAt < maxAgeMs && cache.size < STATUS_CACHE_MAX) break
      cache.delete(oldest)
    }
    const result = read()
    cache.delete(name)
    cache.set(name, { result, readAt: now })
    return result
  }

  /** The look-ups the status cache holds, of devices and users together (it is bounded: STATUS_CACHE_MAX each). */
  get statusCacheSize (): number {
    return this.deviceCache.size + this.userCache.size
  }

  private forgetCached (): void {
    this.deviceCache.clear()
    this.userCache.clear()
  }

  private devicesOf (userId: string): DeviceRecord[] {
    return [...this.devices.values()].filter((d) => d.currentUser === userId)
  }

  private defaultProfileOf (userId: string): ProfileRecord | undefined {
    const owned = [...this.profiles.values()].filter((p) => p.owners.includes(userId))
    return owned.find((p) => p.isDefault) ?? (owned.length === 1 ? owned[0] : undefined)
  }

  private canonicalUser (id: string, where: string): string {
    const found = this.users.get(key(id))
    if (found === undefined) throw new Error(`Scenario: ${where} names unknown user ${id}`)
    return found
  }
}
