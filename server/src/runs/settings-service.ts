import { LEGACY_LIST_NAME, type DeviceList, type Settings, type SettingsUpdate } from '@em-console/shared/schemas'
import type { Caller } from '../services/em-service.js'
import { BadRequestError, ChangedSinceReadError, neverHadVersion } from '../services/errors.js'
import type { Store } from '../store/store.js'

const KEY = 'bulk_settings'

/**
 * What is stored: exemptions and named lists, and who saved them last, when, and how many times
 * (`revision`: 0 before the first save). Before #16 one `logoutDeviceList` took the lists' place.
 */
interface Stored {
  exemptions: Settings['exemptions']
  deviceLists: DeviceList[]
  revision: number
  savedBy?: string
  savedAt?: string
}

const EMPTY: Stored = { exemptions: { devices: [], users: [] }, deviceLists: [], revision: 0 }

const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string')

/**
 * The stored settings, of either generation: an old single list becomes the list "Saved list", so
 * an upgrade keeps it (and a schedule or script that ran "the saved list" runs the same devices).
 * Written only by update(), after the schema checked it; anything unreadable counts as empty.
 */
function read (raw: string | undefined): Stored {
  if (raw === undefined) return EMPTY
  const parsed = JSON.parse(raw) as { exemptions?: { devices?: unknown, users?: unknown }, deviceLists?: unknown, logoutDeviceList?: unknown, revision?: unknown, savedBy?: unknown, savedAt?: unknown }
  const exemptions = strings(parsed.exemptions?.devices) && strings(parsed.exemptions.users) ? { devices: parsed.exemptions.devices, users: parsed.exemptions.users } : EMPTY.exemptions
  const lists = Array.isArray(parsed.deviceLists)
    ? (parsed.deviceLists as Array<{ name?: unknown, devices?: unknown }>).filter((l): l is DeviceList => typeof l.name === 'string' && strings(l.devices))
    : strings(parsed.logoutDeviceList) && parsed.logoutDeviceList.length > 0 ? [{ name: LEGACY_LIST_NAME, devices: parsed.logoutDeviceList }] : []
  const saved = typeof parsed.savedBy === 'string' && typeof parsed.savedAt === 'string' ? { savedBy: parsed.savedBy, savedAt: parsed.savedAt } : {}
  return { exemptions, deviceLists: lists, revision: Number.isSafeInteger(parsed.revision) ? parsed.revision as number : 0, ...saved }
}

/** The answer of GET /api/settings: `logoutDeviceList` mirrors the first list for older clients. */
function view ({ exemptions, deviceLists, revision }: Stored): Settings {
  return { exemptions, deviceLists, logoutDeviceList: deviceLists[0]?.devices ?? [], revision }
}

function checkNames (lists: readonly DeviceList[]): void {
  const seen = new Set<string>()
  lists.forEach((list, i) => {
    if (seen.has(list.name.toLowerCase())) throw new BadRequestError(`deviceLists.${i}.name`, `Two device lists are named "${list.name}": give each list its own name.`)
    seen.add(list.name.toLowerCase())
  })
}

export type SettingsService = ReturnType<typeof createSettingsService>

export function createSettingsService (store: Store) {
  // The last text read and what it reads as: the device lists are read once per schedule listed
  // (its standing problem), each run and each look-up, and 20 lists of 1,000 devices are 300 KB of
  // JSON, ~3 ms a parse (30 schedules: 50 ms of the event loop for each GET /api/schedules). Kept
  // by its text, so a save by this process or another (the CLI) is read as soon as it is stored.
  let last: { raw: string, stored: Stored } | undefined
  const stored = (): Stored => {
    const raw = store.settings.get(KEY)
    if (raw === undefined) return EMPTY
    if (last?.raw !== raw) last = { raw, stored: read(raw) }
    return last.stored
  }

  return {
    get: (): Settings => view(stored()),

    /**
     * Replaces the exemptions and the lists. An older client's `logoutDeviceList` alone replaces
     * the first list's devices; next to `deviceLists` it is the mirror it read, and ignored.
     * With `revision` (the one read), a save made since refuses the change rather than undo it.
     */
    async update (caller: Caller, change: SettingsUpdate): Promise<Settings> {
      const current = stored()
      let deviceLists = change.deviceLists ?? current.deviceLists
      if (change.deviceLists === undefined && change.logoutDeviceList !== undefined) {
        const [first, ...rest] = current.deviceLists
        deviceLists = [{ name: first?.name ?? LEGACY_LIST_NAME, devices: change.logoutDeviceList }, ...rest]
      }
      checkNames(deviceLists)
      const { exemptions } = change
      const next = await store.write((w) => {
        // Read again inside the write: another save may have been queued before this one.
        const latest = read(w.settings.get(KEY))
        if (change.revision !== undefined && change.revision > latest.revision) {
          throw neverHadVersion('The settings', 'revision', change.revision, latest.revision, 'GET /api/settings')
        }
        if (change.revision !== undefined && change.revision !== latest.revision) {
          throw new ChangedSinceReadError('The settings', 'them', 'revision', latest.savedBy ?? 'someone', latest.savedAt ?? new Date().toISOString())
        }
        const saved: Stored = { exemptions, deviceLists, revision: latest.revision + 1, savedBy: caller.actor, savedAt: new Date().toISOString() }
        w.settings.set(KEY, JSON.stringify(saved))
        w.audit.record({ ...caller, action: 'settings-update' }, {
          outcome: 'success',
          message: `Settings saved: ${exemptions.devices.length} exempt devices, ${exemptions.users.length} exempt users, ` +
            (deviceLists.length === 0 ? 'no device list.' : `device lists ${deviceLists.map((l) => `"${l.name}" (${l.devices.length})`).join(', ')}.`)
        })
        return saved
      }, 'settings-update')
      return view(next)
    },

    /** The named list (names compare case-insensitively), or without a name the first one; undefined when there is none. */
    deviceList (name?: string): DeviceList | undefined {
      const { deviceLists } = stored()
      return name === undefined ? deviceLists[0] : deviceLists.find((l) => l.name.toLowerCase() === name.toLowerCase())
    },

    /** A check of whether bulk logouts must leave a device (or the user on it) alone; names compare case-insensitively like CUCM's. */
    exemptionCheck (): (device: string, user: string | null) => boolean {
      const { exemptions } = stored()
      const devices = new Set(exemptions.devices.map((d) => d.toLowerCase()))
      const users = new Set(exemptions.users.map((u) => u.toLowerCase()))
      return (device, user) => devices.has(device.toLowerCase()) || (user !== null && users.has(user.toLowerCase()))
    }
  }
}
