/**
 * A realistic audit trail for P3: about 90 days of a site with ~500 phones and ~400 EM users,
 * written straight into a database that openDatabase created (so the schema, its indexes and
 * the full-text triggers are the product's). Deterministic: the same seed gives the same rows.
 * The nightly logout-all of the cluster's 5,000 phones ends sessions the inventory records with
 * it (session_history.audit_id), which History finds by user and by device.
 */
import { buildDeviceProfileQuery, buildDeviceUserQuery, buildLogin, buildLogout, buildLogoutAll, buildUserDevicesQuery, describeEmapiCode, maskPassword } from '@em-console/shared/emapi'
import type { Db } from '../server/src/store/database.ts'
import { createRandom } from '../server/src/simulator/seed.ts'
import { DEFAULT_VARIANTS, renderDeviceProfileResults, renderDeviceUserResults, renderFailure, renderSuccess, renderUserDevicesResults } from '../server/src/simulator/xml.ts'

/** Bump when the rows generated change, so cached databases are rebuilt. */
export const AUDIT_DATA_VERSION = 4 // 2: whole-word full-text index; 3: the sessions a logout-all ended; 4: one a user a night

const DAYS = 90
const CREDENTIALS = { appUser: 'emconsole-app', appPassword: 'not-the-real-one' }
const CUCM = 'https://cucm-pub.corp.example:8443'

const FIRST = ['anna', 'ben', 'carla', 'david', 'elena', 'felix', 'gina', 'hugo', 'ines', 'jonas', 'karin', 'luca', 'maria', 'nils', 'olga', 'paul', 'rosa', 'sven', 'tara', 'uwe', 'vera', 'walter', 'yara', 'zoe']
const LAST = ['schmidt', 'rossi', 'dubois', 'novak', 'garcia', 'jensen', 'meyer', 'kowalski', 'silva', 'berg', 'weber', 'moreau', 'fischer', 'conti', 'lindqvist', 'horvat', 'keller', 'brandt']
const ACCOUNTS = ['admin', 'helpdesk.anna', 'helpdesk.ben', 'helpdesk.carla', 'noc.david', 'noc.elena', 'ops.felix', 'ops.gina', 'viewer.hugo', 'svc-provisioning', 'svc-reports', 'it.ines']
const SCHEDULES = ['nightly', 'weekend-reset', 'ward-b-shift-end']
/** The cluster's phones beyond the site's, whose sessions the nightly logout-all ends too. */
const CLUSTER_PHONES = 5000

export interface AuditData {
  devices: string[]
  users: string[]
  /** Words that occur in messages, for free-text queries. */
  words: string[]
}

/** The device names and user IDs the rows use (also what the queries pick from). */
export function auditPopulation (): AuditData {
  const random = createRandom(9)
  const devices = new Set<string>()
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789ABCDEF'[Math.floor(random() * 16)]).join('')
  while (devices.size < 470) devices.add(`SEP${hex(12)}`)
  const users = new Set<string>()
  while (users.size < 400) {
    const first = FIRST[Math.floor(random() * FIRST.length)] ?? 'anna'
    const last = LAST[Math.floor(random() * LAST.length)] ?? 'meyer'
    const n = random()
    users.add(n < 0.6 ? `${first}.${last}` : n < 0.85 ? `${first[0]}${last}${Math.floor(random() * 90) + 10}` : `${first}.${last}@corp.example`)
  }
  for (const user of [...users].slice(0, 30)) devices.add(`CSF${user.replace(/[^a-z0-9]/gi, '').toUpperCase().slice(0, 12)}`)
  return {
    devices: [...devices],
    users: [...users],
    words: ['looked', 'logged', 'nobody', 'busy', 'timeout', 'profile', 'signed', 'failed', 'exist', 'cluster', 'answer', 'devices', 'Extension', 'enabled']
  }
}

interface Row {
  run_id: string | null
  started_at: string
  finished_at: string
  duration_ms: number
  actor: string
  client_ip: string | null
  trigger: string
  action: string
  devices: string
  user_id: string | null
  outcome: string
  emapi_code: number | null
  error_code: string | null
  message: string
  http_status: number | null
  request_xml: string | null
  response_body: string | null
}

/**
 * Row i of n gets a time from a working-week profile: quieter nights and weekends, busy shift
 * changes. Times grow with i, as they do with id in the product (audit-repository.ts relies on it).
 */
function timeline (total: number, end: number): (i: number) => number {
  const hours = DAYS * 24
  const start = end - hours * 3_600_000
  const weights = Array.from({ length: hours }, (_, h) => {
    const at = new Date(start + h * 3_600_000)
    const day = at.getUTCDay()
    const hour = at.getUTCHours()
    const weekday = day === 0 || day === 6 ? 0.2 : 1
    const shift = hour === 6 || hour === 14 || hour === 22 ? 3 : hour >= 7 && hour <= 18 ? 1.5 : 0.3
    return weekday * shift
  })
  const cumulative: number[] = []
  let sum = 0
  for (const w of weights) cumulative.push(sum += w)
  return (i: number) => {
    const q = ((i + 0.5) / total) * sum
    let lo = 0
    let hi = hours - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((cumulative[mid] ?? 0) < q) lo = mid + 1
      else hi = mid
    }
    const before = lo === 0 ? 0 : cumulative[lo - 1] ?? 0
    const fraction = (q - before) / (weights[lo] ?? 1)
    return start + (lo + fraction) * 3_600_000
  }
}

/** Writes `total` rows (audit + audit_devices; audit_text through the product's trigger). */
export function generateAuditRows (db: Db, total: number, progress?: (done: number) => void): void {
  const { devices, users } = auditPopulation()
  const random = createRandom(20261122)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const chance = (p: number): boolean => random() < p
  const timeAt = timeline(total, Date.parse('2026-11-20T18:00:00.000Z'))
  const uuid = (): string => {
    const h = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('')
    return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`
  }
  const ipOf = new Map(ACCOUNTS.map((a, i) => [a, `10.20.${30 + i}.${10 + i * 7}`]))

  const insert = db.prepare(`INSERT INTO audit (run_id, started_at, finished_at, duration_ms, actor, client_ip, trigger, action, devices, user_id, outcome, emapi_code, error_code, message, http_status, request_xml, response_body)
    VALUES (@run_id, @started_at, @finished_at, @duration_ms, @actor, @client_ip, @trigger, @action, @devices, @user_id, @outcome, @emapi_code, @error_code, @message, @http_status, @request_xml, @response_body)`)
  const insertDevice = db.prepare('INSERT OR IGNORE INTO audit_devices (device, audit_id) VALUES (?, ?)')
  const insertEnded = db.prepare(`INSERT INTO session_history (cluster, device, user_id, ended_ms, ended_by, actor, audit_id)
    VALUES ('default', ?, ?, ?, 'em-console', 'schedule:nightly', ?)`)
  const hex12 = (n: number): string => n.toString(16).toUpperCase().padStart(12, '0')
  const sitePhones = devices.filter((d) => d.startsWith('SEP'))
  const otherPhones = Array.from({ length: CLUSTER_PHONES - devices.length }, (_, i) => `SEP${hex12(0xF00000000000 + i * 7919)}`)

  const count = { written: 0 }
  /** Writes a row; returns its id and when it ended (undefined once `total` are written). */
  const write = (row: Omit<Row, 'started_at' | 'finished_at' | 'duration_ms'>, names: readonly string[], durationMs: number): { id: number, endedMs: number } | undefined => {
    if (count.written >= total) return undefined
    const started = timeAt(count.written)
    const id = Number(insert.run({
      ...row,
      started_at: new Date(started).toISOString(),
      finished_at: new Date(started + durationMs).toISOString(),
      duration_ms: Math.round(durationMs)
    }).lastInsertRowid)
    for (const name of names) insertDevice.run(name, id)
    count.written++
    return { id, endedMs: Math.round(started + durationMs) }
  }

  const who = (): { actor: string, client_ip: string | null, trigger: string } => {
    const r = random()
    if (r < 0.62) { const actor = pick(ACCOUNTS.slice(0, 9)); return { actor, client_ip: ipOf.get(actor) ?? null, trigger: 'ui' } }
    if (r < 0.9) { const actor = pick(ACCOUNTS.slice(9)); return { actor, client_ip: ipOf.get(actor) ?? null, trigger: 'api' } }
    return { actor: pick(['root', 'emadmin']), client_ip: null, trigger: 'cli' }
  }
  const emapiLatency = (): number => 25 + random() * 60 + (chance(0.02) ? random() * 900 : 0)

  /** An EMAPI call's outcome: success, or a failure/error with the product's message. */
  const failure = (codes: readonly number[], kind: 'action' | 'query'): Pick<Row, 'outcome' | 'emapi_code' | 'error_code' | 'message' | 'http_status' | 'response_body'> => {
    const code = pick(codes)
    return { outcome: 'failure', emapi_code: code, error_code: 'EMAPI_FAILURE', message: `EMAPI error ${code}: ${describeEmapiCode(code).message}`, http_status: 200, response_body: renderFailure(code, DEFAULT_VARIANTS, kind) }
  }
  const transportError = (): Pick<Row, 'outcome' | 'emapi_code' | 'error_code' | 'message' | 'http_status' | 'response_body'> => chance(0.7)
    ? { outcome: 'error', emapi_code: null, error_code: 'EMAPI_TIMEOUT', message: `CUCM at ${CUCM} did not answer within 15000 ms (CUCM_TIMEOUT_MS).`, http_status: null, response_body: null }
    : { outcome: 'error', emapi_code: null, error_code: 'EMAPI_UNREACHABLE', message: `Cannot reach CUCM at ${CUCM} (ECONNREFUSED). Check CUCM_HOST, CUCM_PORT and that the Cisco Extension Mobility service is running.`, http_status: null, response_body: null }

  function deviceQuery (caller: ReturnType<typeof who>, names: string[], runId: string | null): void {
    const requestXml = maskPassword(buildDeviceUserQuery(CREDENTIALS, names))
    const base = { ...caller, run_id: runId, action: 'device-query', devices: JSON.stringify(names), user_id: null, request_xml: requestXml }
    if (chance(0.985)) {
      const results = names.map((name) => ({ name, exists: chance(0.97), currentUser: chance(0.55) ? pick(users) : null, lastUser: chance(0.8) ? pick(users) : null }))
      write({ ...base, outcome: 'success', emapi_code: null, error_code: null, message: `Looked up ${names.length} device${names.length === 1 ? '' : 's'}.`, http_status: 200, response_body: renderDeviceUserResults(results, DEFAULT_VARIANTS) }, names, emapiLatency())
    } else {
      const error = transportError()
      write({ ...base, ...error }, names, error.error_code === 'EMAPI_TIMEOUT' ? 15_000 : 3)
    }
  }

  function logout (caller: ReturnType<typeof who>, device: string, runId: string | null): void {
    const userId = chance(0.85) ? pick(users) : null
    const base = { ...caller, run_id: runId, action: 'logout', devices: JSON.stringify([device]), user_id: userId, request_xml: maskPassword(buildLogout(CREDENTIALS, device)) }
    const r = random()
    if (r < 0.8) write({ ...base, outcome: 'success', emapi_code: null, error_code: null, message: `Logged out ${userId ?? 'the user'} from ${device}.`, http_status: 200, response_body: renderSuccess(DEFAULT_VARIANTS) }, [device], emapiLatency())
    else if (r < 0.94) write({ ...base, outcome: 'already-logged-out', emapi_code: 19, error_code: 'EMAPI_FAILURE', message: 'Nobody was logged in on this device: nothing to do.', http_status: 200, response_body: renderFailure(19, DEFAULT_VARIANTS, 'action') }, [device], emapiLatency())
    else if (r < 0.985) write({ ...base, ...failure([26, 26, 26, 11, 22, 6], 'action') }, [device], emapiLatency())
    else write({ ...base, ...transportError() }, [device], 15_000)
  }

  function login (caller: ReturnType<typeof who>, runId: string | null): void {
    const device = pick(devices)
    const userId = pick(users)
    const profile = chance(0.3) ? `${userId.split('@')[0]?.replace(/[^A-Za-z0-9._-]/g, '')}-EM-8845` : undefined
    const base = { ...caller, run_id: runId, action: 'login', devices: JSON.stringify([device]), user_id: userId, request_xml: maskPassword(buildLogin(CREDENTIALS, { deviceName: device, userId, deviceProfile: profile })) }
    const r = random()
    if (r < 0.88) write({ ...base, outcome: 'success', emapi_code: null, error_code: null, message: `Logged ${userId} in on ${device}${profile === undefined ? '' : ` with profile ${profile}`}.`, http_status: 200, response_body: renderSuccess(DEFAULT_VARIANTS) }, [device], emapiLatency())
    else if (r < 0.98) write({ ...base, ...failure([18, 25, 12, 23, 26], 'action') }, [device], emapiLatency())
    else write({ ...base, ...transportError() }, [device], 15_000)
  }

  function userQuery (caller: ReturnType<typeof who>, action: 'user-devices-query' | 'device-profile-query'): void {
    const userId = pick(users)
    const requestXml = maskPassword(action === 'user-devices-query' ? buildUserDevicesQuery(CREDENTIALS, [userId]) : buildDeviceProfileQuery(CREDENTIALS, [userId]))
    const responseBody = action === 'user-devices-query'
      ? renderUserDevicesResults([{ id: userId, exists: true, devices: chance(0.6) ? [pick(devices)] : [] }], DEFAULT_VARIANTS)
      : renderDeviceProfileResults([{ id: userId, exists: true, profiles: [{ name: `${userId.split('@')[0] ?? userId}-EM-8845`, isDefault: true }] }], DEFAULT_VARIANTS)
    const message = action === 'user-devices-query' ? `Looked up the devices of ${userId}.` : `Looked up the device profiles of ${userId}.`
    const base = { ...caller, run_id: null, action, devices: '[]', user_id: userId, request_xml: requestXml }
    if (chance(0.97)) write({ ...base, outcome: 'success', emapi_code: null, error_code: null, message, http_status: 200, response_body: responseBody }, [], emapiLatency())
    else write({ ...base, ...failure([23, 9], 'query') }, [], emapiLatency())
  }

  function bulkRun (caller: ReturnType<typeof who>): void {
    const runId = uuid()
    const size = Math.floor(10 + random() * (chance(0.2) ? 400 : 60))
    const first = Math.floor(random() * devices.length)
    const list = Array.from({ length: size }, (_, i) => devices[(first + i) % devices.length] ?? '')
    // The preview looks the devices up in chunks of 50, then each device is logged out.
    for (let i = 0; i < list.length; i += 50) deviceQuery(caller, list.slice(i, i + 50), runId)
    for (const device of list) logout(caller, device, runId)
    write({ ...caller, run_id: runId, action: 'bulk-run', devices: '[]', user_id: null, outcome: 'success', emapi_code: null, error_code: null, message: `Per-device logout of ${size} devices (run ${runId}): ${size} success.`, http_status: null, request_xml: null, response_body: null }, [], 2000 + size * 40)
  }

  function account (caller: ReturnType<typeof who>): void {
    const r = random()
    const target = pick(ACCOUNTS)
    if (r < 0.75) {
      const ok = chance(0.93)
      write({ actor: target, client_ip: ipOf.get(target) ?? null, trigger: 'ui', run_id: null, action: 'sign-in', devices: '[]', user_id: target, outcome: ok ? 'success' : 'failure', emapi_code: null, error_code: ok ? null : 'BAD_CREDENTIALS', message: ok ? `${target} signed in.` : 'Sign-in failed: wrong user name or password, or the account is disabled.', http_status: null, request_xml: null, response_body: null }, [], 60 + random() * 40)
    } else if (r < 0.95) {
      write({ actor: target, client_ip: ipOf.get(target) ?? null, trigger: 'ui', run_id: null, action: 'sign-out', devices: '[]', user_id: target, outcome: 'success', emapi_code: null, error_code: null, message: `${target} signed out.`, http_status: null, request_xml: null, response_body: null }, [], 1)
    } else {
      const action = pick(['account-update', 'account-create', 'settings-update', 'schedule-update'])
      const message = action === 'account-update' ? `Updated ${target}: ${pick(['role', 'password', 'enabled'])}.` : action === 'account-create' ? `Created viewer account ${target}.` : action === 'settings-update' ? 'Updated the exemption list: 3 devices.' : `Updated schedule ${pick(SCHEDULES)}.`
      write({ ...caller, run_id: null, action, devices: '[]', user_id: action.startsWith('account') ? target : null, outcome: 'success', emapi_code: null, error_code: null, message, http_status: null, request_xml: null, response_body: null }, [], 2)
    }
  }

  let lastDay = -1
  const batch = db.transaction((until: number) => {
    while (count.written < until) {
      // Once a day the nightly schedule logs everybody out.
      const day = Math.floor(timeAt(count.written) / 86_400_000)
      if (day !== lastDay) {
        lastDay = day
        const ok = chance(0.97)
        const logoutAll = write({ actor: 'schedule:nightly', client_ip: null, trigger: 'schedule', run_id: null, action: 'logout-all', devices: '[]', user_id: null, request_xml: maskPassword(buildLogoutAll(CREDENTIALS)), ...(ok ? { outcome: 'success', emapi_code: null, error_code: null, message: 'Logged out every Extension Mobility user on the cluster.', http_status: 200, response_body: renderSuccess(DEFAULT_VARIANTS) } : failure([26], 'action')) }, [], 400 + random() * 2000)
        // The sessions it ended: most phones of the cluster had a user logged in, each user on one
        // phone (CUCM's default Multiple Login Behavior): the site's users on the site's phones
        // (the few past their number on a second one), the cluster's other users on its others.
        if (ok && logoutAll !== undefined) {
          sitePhones.forEach((device, i) => { if (chance(0.7)) insertEnded.run(device, users[(day + i) % users.length], logoutAll.endedMs, logoutAll.id) })
          otherPhones.forEach((device, i) => { if (chance(0.7)) insertEnded.run(device, `cluster.user${i}`, logoutAll.endedMs, logoutAll.id) })
        }
      }
      const caller = who()
      const r = random()
      if (r < 0.50) deviceQuery(caller, [pick(devices)], null)
      else if (r < 0.56) deviceQuery(caller, Array.from({ length: 2 + Math.floor(random() * 30) }, () => pick(devices)).filter((d, i, all) => all.indexOf(d) === i), null)
      else if (r < 0.66) userQuery(caller, 'user-devices-query')
      else if (r < 0.69) userQuery(caller, 'device-profile-query')
      else if (r < 0.80) logout(caller, pick(devices), null)
      else if (r < 0.89) login(caller, null)
      else if (r < 0.893) bulkRun(chance(0.3) ? { actor: `schedule:${pick(SCHEDULES)}`, client_ip: null, trigger: 'schedule' } : caller)
      else account(caller)
    }
  })
  const STEP = 50_000
  for (let until = STEP; count.written < total; until += STEP) {
    batch(Math.min(until, total))
    progress?.(count.written)
  }
}
