import { createRandom, maybeMaxDuration, phoneAttributes } from './seed.js'
import type { Scenario } from './state.js'

const scaleDeviceName = (i: number): string => `SEPC${i.toString(16).toUpperCase().padStart(11, '0')}`

export interface ScaleOptions {
  phones: number
  sessions: number
  seed?: number
  now?: number
}

/**
 * A large site for benchmarks of the AXL inventory (e.g. 20,000 phones and 8,000 sessions): one
 * user and one profile per session, phones in the seed's four device pools, logins spread over the
 * last three days, a quarter with a maximum duration, one phone in twenty with EM disabled.
 */
export function scaleScenario (options: ScaleOptions): Scenario {
  const { phones, sessions } = options
  if (!Number.isSafeInteger(phones) || !Number.isSafeInteger(sessions) || phones < 1 || sessions < 0) {
    throw new RangeError('phones must be a positive integer and sessions a non-negative one')
  }
  const random = createRandom(options.seed ?? 20261202)
  const now = options.now ?? Date.now()
  const users = Array.from({ length: sessions }, (_, i) => `scale.user${i}`)
  const devices: Scenario['devices'] = Array.from({ length: phones }, (_, i) => {
    const name = scaleDeviceName(i)
    return { name, ...phoneAttributes(random, name), emEnabled: random() >= 0.05 }
  })
  const enabled = devices.filter((d) => d.emEnabled === true)
  if (enabled.length < sessions) throw new RangeError(`${sessions} sessions need as many EM-enabled phones; the scenario has ${enabled.length}`)
  users.forEach((userId, i) => {
    // Spread over the phones: every k-th EM-enabled phone holds a login.
    const device = enabled[Math.floor(i * enabled.length / sessions)]
    if (device === undefined) return
    device.currentUser = userId
    device.loginTime = now - Math.floor(random() * 3 * 24 * 3_600_000)
    const autoLogoutAt = maybeMaxDuration(random, device.loginTime, now)
    if (autoLogoutAt !== null) device.autoLogoutAt = autoLogoutAt
  })
  return {
    users,
    profiles: users.map((u) => ({ name: `${u}-profile`, owners: [u], isDefault: true })),
    devices
  }
}
