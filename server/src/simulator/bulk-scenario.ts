import type { Scenario } from './state.js'

export const bulkDeviceName = (i: number): string => `SEPB${i.toString(16).toUpperCase().padStart(11, '0')}`

/** `count` phones, each with its own user logged in: the shape of a bulk-logout test or benchmark. */
export function bulkScenario (count: number, empty = 0): Scenario {
  const users = Array.from({ length: count + empty }, (_, i) => `bulk.user${i}`)
  return {
    users,
    profiles: users.map((u) => ({ name: `${u}-profile`, owners: [u], isDefault: true })),
    devices: users.map((u, i) => ({ name: bulkDeviceName(i), currentUser: i < count ? u : null }))
  }
}
