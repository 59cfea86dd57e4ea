import assert from 'node:assert/strict'
import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, test } from 'node:test'
import type { ErrorBody, Preview, PreviewItem } from '@em-console/shared/schemas'
import { SEED_EMAIL_USER, SEED_EMAIL_USER_DEVICE, SEED_EMPTY_DEVICE, SEED_EM_DISABLED_DEVICE, SEED_FREE_USER, SEED_FREE_USER_PROFILE, SEED_NON_ASCII_USER, SEED_OCCUPIED_DEVICE, SEED_USER, SEED_USER_PROFILES } from '../src/simulator/seed.ts'
import { buildTestApp, receivedOf, TEST_PASSWORD, type TestApp } from './helpers/app.ts'
import { makeCertificate, startHttpsServer } from './helpers/https-server.ts'

let t: TestApp

before(async () => { t = await buildTestApp() })
after(async () => await t.close())

async function post (url: string, payload?: object) {
  return await t.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }) })
}

/**
 * A CUCM stand-in for answers the simulator does not give: `answer` gets each request's EMAPI
 * document; the app talks to it over real HTTPS.
 */
async function withStandIn (answer: (xml: string, res: ServerResponse) => void, use: (app: TestApp) => Promise<void>, appPassword?: string, timeoutMs?: number): Promise<void> {
  const certificate = await makeCertificate()
  const server = await startHttpsServer(certificate, (req, res) => { answer(new URLSearchParams(req.body.toString()).get('xml') ?? '', res) })
  const app = await buildTestApp({ client: { port: server.port, ca: certificate.cert, appPassword, timeoutMs } })
  try {
    await use(app)
  } finally {
    await app.close()
    await server.close()
  }
}

describe('device look-ups', () => {
  beforeEach(() => { t.sim.reset() })

  test('GET /api/devices/:name tells who is on the device and audits the query', async () => {
    const res = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE.toLowerCase()}`, headers: { 'x-requested-by': 'em-console-web' } })
    assert.equal(res.statusCode, 200)
    const body = res.json()
    assert.equal(body.deviceName, SEED_OCCUPIED_DEVICE)
    assert.equal(body.currentUser, SEED_USER)
    assert.equal(body.exists, true)
    const [row] = t.audit.page({ action: 'device-query' }, 1).items
    assert.equal(row?.outcome, 'success')
    assert.equal(row?.trigger, 'ui')
    assert.deepEqual(row?.devices, [SEED_OCCUPIED_DEVICE.toLowerCase()])
  })

  test('an unknown device is reported as such, not as an error', async () => {
    const res = await t.inject({ url: '/api/devices/SEPFFFFFFFFFFFF' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().exists, false)
  })

  test('GET /api/devices/status takes a comma list and keeps its order', async () => {
    const res = await t.inject({ url: `/api/devices/status?names=${SEED_EMPTY_DEVICE},${SEED_OCCUPIED_DEVICE},SEPFFFFFFFFFFFF` })
    assert.equal(res.statusCode, 200)
    const devices = res.json().devices as Array<{ deviceName: string, exists: boolean, currentUser: string | null }>
    assert.deepEqual(devices.map((d) => [d.deviceName, d.exists, d.currentUser]), [
      [SEED_EMPTY_DEVICE, true, null], [SEED_OCCUPIED_DEVICE, true, SEED_USER], ['SEPFFFFFFFFFFFF', false, null]
    ])
  })

  test('GET /api/devices/status over a socket: the names its schema takes pass Node\'s 16 KiB request head; past it, an ErrorBody naming the POST, not Fastify\'s bare 431', async () => {
    // inject skips Node's HTTP parser, whose limit on a request's head (16 KiB) refused ~1,000
    // names with {"error":"Request Header Fields Too Large"}: a string where scripts read error.code.
    const app = await buildTestApp({ accounts: false })
    try {
      await app.auth.createAccount({ actor: 'test', trigger: 'api' }, 'socket-viewer', TEST_PASSWORD, 'viewer')
      await app.app.listen({ port: 0, host: '127.0.0.1' })
      const origin = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`
      const signIn = await fetch(`${origin}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'socket-viewer', password: TEST_PASSWORD }) })
      assert.equal(signIn.status, 200)
      const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
      const names = (count: number): string => [SEED_OCCUPIED_DEVICE, ...Array.from({ length: count - 1 }, (_, i) => `SEP${i.toString(16).toUpperCase().padStart(12, '0')}`)].join(',')
      // As many names as the schema takes (12,000 characters), their commas percent-encoded as a browser's URLSearchParams does.
      const most = names(750)
      assert.ok(most.length <= 12_000)
      const res = await fetch(`${origin}/api/devices/status?${new URLSearchParams({ names: most }).toString()}`, { headers: { cookie } })
      assert.equal(res.status, 200, (await res.clone().text()).slice(0, 200))
      assert.equal((await res.json() as { devices: unknown[] }).devices.length, 750)
      const tooLong = await fetch(`${origin}/api/devices/status?names=${names(1500)}`, { headers: { cookie } })
      assert.equal(tooLong.status, 431)
      const body = await tooLong.json() as ErrorBody
      assert.equal(body.error.code, 'BAD_REQUEST')
      assert.match(body.error.action ?? '', /POST \/api\/devices\/status takes up to 5,000/)
    } finally {
      await app.close()
    }
  })

  test('POST /api/devices/status chunks long lists into queries of at most 50 names', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `SEPAA${String(i).padStart(10, '0')}`)
    const res = await post('/api/devices/status', { names })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().devices.length, 120)
    const queries = receivedOf(t.sim, 'deviceUserQuery')
    assert.equal(queries.length, 3)
    for (const xml of queries) assert.ok((xml.match(/<deviceName>/g) ?? []).length <= 50)
    const runId = t.audit.page({ action: 'device-query' }, 1).items[0]?.runId
    assert.ok(runId !== null && runId !== undefined, 'a chunked look-up has a run id')
    assert.equal(t.audit.page({ runId }, 10).items.length, 3, 'the three chunks share it')
  })

  test('long look-ups sent together share four queries at a time on the cluster; a one-query look-up waits for none', async () => {
    t.sim.setFaults({ latencyMs: 40 })
    t.sim.resetStats()
    try {
      const names = (n: number): string[] => Array.from({ length: 500 }, (_, i) => `SEPA${n}${String(i).padStart(10, '0')}`)
      let longDone = 0
      const long = [1, 2, 3].map(async (n) => await post('/api/devices/status', { names: names(n) }).finally(() => { longDone++ }))
      // While their thirty queries go four at a time, a single look-up is not queued behind them.
      const single = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
      const doneBeforeSingle = longDone
      for (const res of await Promise.all(long)) assert.equal(res.statusCode, 200, res.body)
      assert.equal(single.statusCode, 200)
      assert.equal(doneBeforeSingle, 0, 'the single look-up waited for the long ones')
      assert.ok(t.sim.stats.peakQueriesInFlight <= 5, `peak ${t.sim.stats.peakQueriesInFlight} queries at once (4 shared, plus the single one)`)
      assert.ok(t.sim.stats.peakQueriesInFlight >= 4, `peak ${t.sim.stats.peakQueriesInFlight}`)
    } finally {
      t.sim.setFaults({ latencyMs: 0 })
    }
  })

  test('a bad device name is refused with the field named, and CUCM is not called', async () => {
    const before = t.sim.stats.requests
    const res = await t.inject({ url: '/api/devices/status?names=SEP1,<logoutAll/>' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().error.field, 'names')
    const single = await post('/api/devices/SEP%3C1%3E/logout')
    assert.equal(single.statusCode, 400)
    assert.match(single.json().error.message, /name/)
    const tooMany = await post('/api/devices/status', { names: Array.from({ length: 5001 }, () => 'SEP1') })
    assert.equal(tooMany.statusCode, 400)
    assert.equal(t.sim.stats.requests, before)
  })
})

describe('logout and login', () => {
  beforeEach(() => { t.sim.reset() })

  test('logout succeeds, then reports already-logged-out (code 19) as HTTP 200', async () => {
    // Typed in lower case: the message names the device as every screen shows it.
    const first = await post(`/api/devices/${SEED_OCCUPIED_DEVICE.toLowerCase()}/logout`)
    assert.equal(first.statusCode, 200)
    assert.equal(first.json().outcome, 'success')
    assert.equal(first.json().message, `Logged out ${SEED_USER} from ${SEED_OCCUPIED_DEVICE}.`)
    const second = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/logout`)
    assert.equal(second.statusCode, 200)
    assert.equal(second.json().outcome, 'already-logged-out')
    assert.equal(t.audit.get(first.json().auditId as number)?.userId, SEED_USER, 'the history says whom it logged out')
    const record = t.audit.get(second.json().auditId as number)
    assert.equal(record?.outcome, 'already-logged-out')
    assert.equal(record?.emapiCode, 19)
    const status = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    assert.equal(status.json().currentUser, null)
  })

  test('each change sent to CUCM is one log line saying who changed what, where and how it ended; a look-up is none', async () => {
    const before = t.logs.length
    const done = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/logout`)
    const again = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/logout`)
    await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    const lines = t.logs.slice(before).map((line) => JSON.parse(line) as { level: number, msg: string, auditId?: number, action?: string, actor?: string, outcome?: string })
    const changes = lines.filter((line) => line.auditId !== undefined && line.action !== undefined)
    assert.deepEqual(changes.map((line) => [line.level, line.auditId, line.action, line.outcome]), [
      [30, done.json().auditId, 'logout', 'success'],
      [30, again.json().auditId, 'logout', 'already-logged-out']
    ])
    const actor = changes[0]?.actor ?? ''
    assert.equal(changes[0]?.msg, `logout ${SEED_OCCUPIED_DEVICE} (user ${SEED_USER}) by ${actor} via api on cluster default: success, audit record #${String(done.json().auditId)}`)
    assert.equal(changes[1]?.msg, `logout ${SEED_OCCUPIED_DEVICE} by ${actor} via api on cluster default: already-logged-out (EMAPI 19), audit record #${String(again.json().auditId)}`)
    assert.ok(!t.logs.slice(before).join('').includes(t.sim.credentials.appPassword))
  })

  test('answers with whitespace before the prologue are read: a look-up, a logout CUCM carried out, a failure', async () => {
    t.sim.setVariants({ leadingWhitespace: true, queryPrologue: true })
    const status = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    assert.equal(status.statusCode, 200)
    assert.equal(status.json().currentUser, SEED_USER)
    const logout = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/logout`)
    assert.equal(logout.statusCode, 200)
    assert.equal(logout.json().outcome, 'success')
    assert.equal(t.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, null)
    const again = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/logout`)
    assert.equal(again.json().outcome, 'already-logged-out')
  })

  test('unknown device → 404 with the EMAPI code and the audit id of the failure', async () => {
    const res = await post('/api/devices/SEPFFFFFFFFFFFF/logout')
    assert.equal(res.statusCode, 404)
    const { error } = res.json()
    assert.equal(error.emapiCode, 11)
    assert.equal(t.audit.get(error.auditId as number)?.outcome, 'failure')
  })

  test('a profile that is not the user\'s (code 12) is answered with the user\'s profiles, looked up', async () => {
    const res = await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, { userId: SEED_FREE_USER, deviceProfile: SEED_USER_PROFILES[1] })
    assert.equal(res.json().error.emapiCode, 12, res.body)
    assert.equal(res.json().error.message, `Device profile not found or not associated with the user. ${SEED_USER_PROFILES[1]} is not one of ${SEED_FREE_USER}'s device profiles: ${SEED_FREE_USER_PROFILE} (default).`)
  })

  test('a login naming no profile, of a user with several and no default (code 12), names those to pick from', async () => {
    const app = await buildTestApp({ simulator: { scenario: { users: ['pat'], profiles: [{ name: 'pat-8865', owners: ['pat'] }, { name: 'pat-7841', owners: ['pat'] }], devices: [{ name: 'SEP00000000AB01' }] } } })
    try {
      const res = await app.inject({ method: 'POST', url: '/api/devices/SEP00000000AB01/login', payload: { userId: 'pat' } })
      assert.equal(res.json().error.emapiCode, 12, res.body)
      assert.match(res.json().error.message, /\. pat has no default device profile: name one of pat-8865, pat-7841\.$/)
    } finally {
      await app.close()
    }
  })

  test('EM disabled on the device → 502 with what to do', async () => {
    const res = await post(`/api/devices/${SEED_EM_DISABLED_DEVICE}/login`, { userId: SEED_FREE_USER })
    assert.equal(res.statusCode, 502)
    assert.equal(res.json().error.emapiCode, 22)
    assert.match(res.json().error.action, /Enable Extension Mobility/)
  })

  test('a bulk run\'s preview says a phone is empty because Extension Mobility is off there, once CUCM has said so', async () => {
    const preview = async (action: 'logout' | 'login'): Promise<PreviewItem | undefined> => {
      const payload = action === 'logout' ? { action, devices: [SEED_EM_DISABLED_DEVICE] } : { action, items: [{ device: SEED_EM_DISABLED_DEVICE, user: SEED_FREE_USER }] }
      const res = await t.inject({ method: 'POST', url: '/api/runs/preview', payload })
      assert.equal(res.statusCode, 200, res.body)
      return res.json<Preview>().items[0]
    }
    assert.equal((await post(`/api/devices/${SEED_EM_DISABLED_DEVICE}/login`, { userId: SEED_FREE_USER })).json().error.emapiCode, 22)
    const logout = await preview('logout')
    assert.equal(logout?.category, 'empty')
    assert.match(logout?.reason ?? '', /Extension Mobility is turned off on this phone/)
    const login = await preview('login')
    assert.equal(login?.category, 'will-login')
    assert.match(login?.reason ?? '', /Extension Mobility is turned off on this phone: CUCM will refuse the login \(code 22\)/)
    // A phone nobody is on, with Extension Mobility on, is only empty.
    const [empty] = (await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', devices: [SEED_EMPTY_DEVICE] } })).json<Preview>().items
    assert.equal(empty?.reason, 'Nobody is logged in: nothing to send')
  })

  test('a login run\'s preview says that a user listed on two phones gets the second refused (code 25) where CUCM allows one login', async () => {
    const free = t.sim.state.snapshot().devices.find((d) => d.currentUser === null && d.emEnabled && d.name !== SEED_EMPTY_DEVICE)?.name ?? ''
    const res = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login', items: [{ device: SEED_EMPTY_DEVICE, user: SEED_FREE_USER }, { device: free, user: SEED_FREE_USER.toUpperCase() }] } })
    assert.equal(res.statusCode, 200, res.body)
    const [first, second] = res.json<Preview>().items
    assert.equal(first?.reason, undefined)
    assert.equal(second?.category, 'will-login')
    assert.equal(second?.reason, `CUCM will refuse this login (code 25): ${SEED_FREE_USER.toUpperCase()} is also listed for ${SEED_EMPTY_DEVICE}, and this cluster's Multiple Login Behavior is "not allowed"`)
  })

  test('a login run\'s preview says that a user logged in on another phone gets refused (code 25) where CUCM allows one login', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login', items: [{ device: SEED_EMPTY_DEVICE, user: SEED_USER }, { device: SEED_OCCUPIED_DEVICE, user: SEED_FREE_USER }] } })
    assert.equal(res.statusCode, 200, res.body)
    const [elsewhere, occupied] = res.json<Preview>().items
    assert.equal(elsewhere?.category, 'will-login')
    assert.equal(elsewhere?.reason, `CUCM will refuse this login (code 25): ${SEED_USER} is logged in on ${SEED_OCCUPIED_DEVICE}, and this cluster's Multiple Login Behavior is "not allowed"`)
    assert.equal(occupied?.category, 'occupied')
  })

  test('login with a profile and a duration, then it shows on the device', async () => {
    const res = await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, { userId: SEED_FREE_USER, deviceProfile: SEED_FREE_USER_PROFILE, durationMinutes: 60 })
    assert.equal(res.statusCode, 200, res.body)
    const xml = receivedOf(t.sim, 'login').at(-1) ?? ''
    assert.match(xml, /<exclusiveDuration><time>60<\/time><\/exclusiveDuration>/)
    const status = await t.inject({ url: `/api/devices/${SEED_EMPTY_DEVICE}` })
    assert.equal(status.json().currentUser, SEED_FREE_USER)
  })

  test('login on an occupied device → 409; with force the current user is logged out first', async () => {
    const conflict = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_FREE_USER })
    assert.equal(conflict.statusCode, 409)
    assert.equal(conflict.json().error.emapiCode, 18)
    // The code's meaning and who is in the way, as two sentences.
    assert.match(conflict.json().error.message, new RegExp(`a user logged in\\. ${SEED_USER} is logged in on ${SEED_OCCUPIED_DEVICE}\\.$`))
    const forced = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_FREE_USER, indefinite: true, force: true })
    assert.equal(forced.statusCode, 200, forced.body)
    assert.match(receivedOf(t.sim, 'login').at(-1) ?? '', /<exclusiveDuration><indefinite\/><\/exclusiveDuration>/)
    const status = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    assert.equal(status.json().currentUser, SEED_FREE_USER)
    const logoutRow = t.audit.page({ action: 'logout' }, 1).items[0]
    assert.equal(logoutRow?.outcome, 'success')
    assert.equal(logoutRow?.runId, t.audit.get(forced.json().auditId as number)?.runId)
  })

  test('a refused login whose look-up of who is in the way fails says it could not be looked up, in its answer and its record', async () => {
    // CUCM answers the logins (18, 25) but not the look-ups that follow them.
    t.sim.setFaults({ mode: 'http-503', faultOn: 'queries' })
    const taken = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_FREE_USER })
    assert.equal(taken.statusCode, 409, taken.body)
    assert.equal(taken.json().error.emapiCode, 18)
    const lookUp = t.audit.page({ action: 'device-query' }, 1).items[0]
    assert.equal(lookUp?.outcome, 'error')
    const said = taken.json().error.message as string
    assert.match(said, new RegExp(`a user logged in\\. Who is logged in on ${SEED_OCCUPIED_DEVICE} could not be looked up \\(audit record #${lookUp?.id ?? 0}\\): .*503`))
    assert.equal(t.audit.get(taken.json().error.auditId as number)?.message, `EMAPI error 18: ${said}`)

    const elsewhere = await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, { userId: SEED_EMAIL_USER })
    assert.equal(elsewhere.json().error.emapiCode, 25, elsewhere.body)
    assert.match(elsewhere.json().error.message as string, new RegExp(`\\. Where ${SEED_EMAIL_USER} is logged in could not be looked up \\(audit record #\\d+\\): `))
  })

  test('with force, a user logged in on another phone is refused before anyone is logged out (CUCM would refuse the login: 25)', async () => {
    const forced = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_EMAIL_USER, force: true })
    assert.equal(forced.statusCode, 409, forced.body)
    const { error } = forced.json()
    assert.equal(error.code, 'USER_LOGGED_IN_ELSEWHERE')
    assert.equal(error.message, `${SEED_EMAIL_USER} is logged in on ${SEED_EMAIL_USER_DEVICE}: nobody was logged out of ${SEED_OCCUPIED_DEVICE}, where ${SEED_USER} stays logged in.`)
    assert.match(error.action, /Multiple Login Behavior/)
    assert.equal(receivedOf(t.sim, 'logout').length, 0)
    assert.equal(receivedOf(t.sim, 'login').length, 0)
    const status = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    assert.equal(status.json().currentUser, SEED_USER)
  })

  test('with force, on a cluster whose Multiple Login Behavior allows a second login (CUCM_MULTIPLE_LOGINS), the user logged in elsewhere is logged in here too', async () => {
    const app = await buildTestApp({ simulator: { multipleLogins: 'allowed' }, env: { CUCM_MULTIPLE_LOGINS: 'allowed' } })
    try {
      const forced = await app.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/login`, payload: { userId: SEED_EMAIL_USER, force: true } })
      assert.equal(forced.statusCode, 200, forced.body)
      const devices = await app.inject({ url: `/api/users/${SEED_EMAIL_USER}/devices` })
      assert.deepEqual([...devices.json().devices].sort(), [SEED_EMAIL_USER_DEVICE, SEED_OCCUPIED_DEVICE].sort())
      assert.equal(app.audit.page({ action: 'logout' }, 1).items[0]?.message, `Logged out ${SEED_USER} from ${SEED_OCCUPIED_DEVICE}.`)
    } finally {
      await app.close()
    }
  })

  test('with force, on a cluster set to auto-logout, the user is logged in here and the record says CUCM ends the other login', async () => {
    const app = await buildTestApp({ simulator: { multipleLogins: 'auto-logout' }, env: { CUCM_MULTIPLE_LOGINS: 'auto-logout' } })
    try {
      const forced = await app.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/login`, payload: { userId: SEED_EMAIL_USER, force: true } })
      assert.equal(forced.statusCode, 200, forced.body)
      assert.match(app.audit.get(forced.json().auditId as number)?.message ?? '', new RegExp(`auto-logout: CUCM ends ${SEED_EMAIL_USER}'s login on any other phone\\.$`))
      const devices = await app.inject({ url: `/api/users/${SEED_EMAIL_USER}/devices` })
      assert.deepEqual(devices.json().devices, [SEED_OCCUPIED_DEVICE])
    } finally {
      await app.close()
    }
  })

  test('a cluster set as allowing a second login where CUCM answers 25 says the setting is wrong', async () => {
    const app = await buildTestApp({ env: { CUCM_MULTIPLE_LOGINS: 'allowed' } })
    try {
      const forced = await app.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/login`, payload: { userId: SEED_EMAIL_USER, force: true } })
      assert.equal(forced.statusCode, 409, forced.body)
      assert.equal(forced.json().error.emapiCode, 25)
      // The phone's user was logged out first, as the setting said CUCM would take the login: the message says both.
      assert.match(forced.json().error.message, new RegExp(`Multiple Login Behavior is "not allowed", not "allowed" as set in EM Console\\. Correct the cluster's setting\\. ${SEED_USER} was logged out of ${SEED_OCCUPIED_DEVICE} first`))
    } finally {
      await app.close()
    }
  })

  test('with force, a user CUCM still lists on a phone EM Console just logged them out of is told that CUCM\'s status lags', async () => {
    // CUCM's status may lag a change by about two minutes (PROTOCOL.md §5): the simulator answers
    // at once, so the lag is a logout in the audit trail that CUCM does not show yet.
    const loggedOut = async (cluster: string): Promise<void> => await t.store.write((w) => {
      w.audit.record({ actor: 'test-operator', trigger: 'ui', action: 'logout', devices: [SEED_EMAIL_USER_DEVICE], userId: SEED_EMAIL_USER, cluster }, { outcome: 'success', message: 'Logged out.' })
    }, 'test')
    // A phone of that name on another cluster is another phone.
    await loggedOut('elsewhere')
    const other = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_EMAIL_USER, force: true })
    assert.match(other.json().error.action, /^CUCM refuses a second login/)
    await loggedOut('default')
    const forced = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_EMAIL_USER, force: true })
    assert.equal(forced.statusCode, 409, forced.body)
    const { error } = forced.json()
    assert.equal(error.code, 'USER_LOGGED_IN_ELSEWHERE')
    assert.match(error.action, new RegExp(`^EM Console logged ${SEED_EMAIL_USER} out of ${SEED_EMAIL_USER_DEVICE} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; CUCM's Extension Mobility status can lag`))
    assert.equal(receivedOf(t.sim, 'logout').length, 0)
  })

  test('a forced login CUCM refuses after the logout says the phone\'s user was logged out first', async () => {
    const forced = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_FREE_USER, deviceProfile: 'not-a-profile', force: true })
    assert.equal(forced.statusCode, 404, forced.body)
    assert.equal(forced.json().error.emapiCode, 12)
    assert.match(forced.json().error.message, new RegExp(`${SEED_USER} was logged out of ${SEED_OCCUPIED_DEVICE} first: the phone has nobody logged in now\\.$`))
    assert.equal(receivedOf(t.sim, 'logout').length, 1)
  })

  test('with force, the user already on the device is logged out and in again (with the new duration), not refused with code 18', async () => {
    const forced = await post(`/api/devices/${SEED_OCCUPIED_DEVICE}/login`, { userId: SEED_USER, durationMinutes: 30, force: true })
    assert.equal(forced.statusCode, 200, forced.body)
    assert.equal(forced.json().outcome, 'success')
    assert.match(receivedOf(t.sim, 'login').at(-1) ?? '', /<exclusiveDuration><time>30<\/time><\/exclusiveDuration>/)
    assert.equal(receivedOf(t.sim, 'logout').length, 1)
    const status = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    assert.equal(status.json().currentUser, SEED_USER)
  })

  test('unknown user (23) and unassociated profile (12) → 404', async () => {
    const user = await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, { userId: 'nobody-here' })
    assert.equal(user.statusCode, 404)
    assert.equal(user.json().error.emapiCode, 23)
    // CUCM's "User does not exist" names nobody: the user ID asked is said, so a typo shows.
    assert.equal(user.json().error.message, 'User does not exist. CUCM has no user nobody-here.')
    const profile = await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, { userId: SEED_FREE_USER, deviceProfile: 'not-a-profile' })
    assert.equal(profile.statusCode, 404)
    assert.equal(profile.json().error.emapiCode, 12)
  })

  test('bad login bodies are refused naming the field', async () => {
    const cases: Array<[object, string]> = [
      [{}, 'userId'],
      [{ userId: SEED_FREE_USER, durationMinutes: '60' }, 'durationMinutes'],
      [{ userId: SEED_FREE_USER, durationMinutes: 0 }, 'durationMinutes'],
      [{ userId: SEED_FREE_USER, durationMinutes: 30, indefinite: true }, 'durationMinutes'],
      [{ userId: SEED_FREE_USER, extra: 1 }, 'extra']
    ]
    for (const [payload, field] of cases) {
      const res = await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, payload)
      assert.equal(res.statusCode, 400, JSON.stringify(payload))
      assert.match(res.json().error.message, new RegExp(field), JSON.stringify(payload))
    }
  })
})

describe('users', () => {
  beforeEach(() => { t.sim.reset() })

  test('devices and device profiles of a user', async () => {
    const devices = await t.inject({ url: `/api/users/${SEED_USER}/devices` })
    assert.equal(devices.statusCode, 200)
    assert.ok((devices.json().devices as string[]).includes(SEED_OCCUPIED_DEVICE))
    const profiles = await t.inject({ url: `/api/users/${SEED_USER}/device-profiles` })
    assert.equal(profiles.statusCode, 200)
    assert.deepEqual((profiles.json().profiles as Array<{ name: string }>).map((p) => p.name).sort(), [...SEED_USER_PROFILES].sort())
    assert.equal(t.audit.page({ action: 'device-profile-query', user: SEED_USER }, 5).items.length, 1)
  })

  test('log a user out everywhere, one result per device', async () => {
    await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, { userId: SEED_FREE_USER })
    const res = await post(`/api/users/${SEED_FREE_USER}/logout`)
    assert.equal(res.statusCode, 200)
    const { exists, results } = res.json()
    assert.equal(exists, true)
    assert.deepEqual(results.map((r: { deviceName: string, outcome: string }) => [r.deviceName, r.outcome]), [[SEED_EMPTY_DEVICE, 'success']])
    const after = await t.inject({ url: `/api/users/${SEED_FREE_USER}/devices` })
    assert.deepEqual(after.json().devices, [])
    // Logged in nowhere now: known, nothing to do.
    assert.deepEqual((await post(`/api/users/${SEED_FREE_USER}/logout`)).json(), { userId: SEED_FREE_USER, exists: true, results: [] })
  })

  test('a user typed in another case is logged out, and recorded, as CUCM spells them: History by user finds the logout', async () => {
    await post(`/api/devices/${SEED_EMPTY_DEVICE}/login`, { userId: SEED_NON_ASCII_USER })
    const res = await post(`/api/users/${encodeURIComponent(SEED_NON_ASCII_USER.toUpperCase())}/logout`)
    assert.equal(res.statusCode, 200, res.body)
    const [result] = res.json().results as Array<{ outcome: string, message: string, auditId: number }>
    assert.equal(result?.outcome, 'success')
    assert.equal(result?.message, `Logged out ${SEED_NON_ASCII_USER} from ${SEED_EMPTY_DEVICE}.`)
    // SQLite's LIKE folds ASCII letters only: a row of 'JOSÉ.GARCÍA' is not found by 'josé'.
    const found = t.audit.page({ action: 'logout', user: SEED_NON_ASCII_USER }, 5).items
    assert.deepEqual(found.map((r) => [r.id, r.userId]), [[result?.auditId, SEED_NON_ASCII_USER]])
  })

  test('a user ID no cluster knows (a typo) says so, not like a user logged in nowhere', async () => {
    const res = await post('/api/users/no-such-user/logout')
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { userId: 'no-such-user', exists: false, results: [] })
  })

  test('a user ID with XML in it is escaped and arrives as literal text', async () => {
    const evil = 'a</userID><logoutAll/><userID>b'
    const res = await t.inject({ url: `/api/users/${encodeURIComponent(evil)}/devices` })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().exists, false)
    assert.equal(receivedOf(t.sim, 'logoutAll').length, 0)
    assert.ok((t.sim.received.at(-1) ?? '').includes('a&lt;/userID&gt;&lt;logoutAll/&gt;&lt;userID&gt;b'))
  })
})

describe('a CUCM that sends user IDs back without encoding them', () => {
  test('a user whose ID has a + is found, with their devices, and logged out of them', async () => {
    await withStandIn((xml, res) => {
      if (xml.includes('<userDevicesQuery>')) {
        res.end('<response><userDevicesResults><user id="a+b"><deviceName>SEP00000000AB01</deviceName></user></userDevicesResults></response>')
      } else if (xml.includes('<deviceUserQuery>')) {
        res.end('<response><deviceUserResults><device name="SEP00000000AB01"><userID>a+b</userID><none/></device></deviceUserResults></response>')
      } else {
        res.end('<?xml version="1.0"?>\n<response>\n<success/>\n</response>\n')
      }
    }, async (app) => {
      const devices = await app.inject('/api/users/a%2Bb/devices')
      assert.equal(devices.statusCode, 200)
      assert.equal(devices.json().exists, true)
      assert.deepEqual(devices.json().devices, ['SEP00000000AB01'])
      const logout = await app.inject({ method: 'POST', url: '/api/users/a%2Bb/logout' })
      assert.equal(logout.statusCode, 200)
      assert.deepEqual(logout.json().results.map((r: { deviceName: string, outcome: string }) => [r.deviceName, r.outcome]), [['SEP00000000AB01', 'success']])
    })
  })
})

describe('a far end that echoes the request (a proxy\'s error page, a broken CUCM)', () => {
  // Its first word is in no other text: wherever it shows, in any encoding, the password leaked.
  const password = 'EchoSecret<pw>&"é 21'
  test('the application password is masked in what it sent back: the audit record, the API\'s answer and the logs', async () => {
    const answers = [
      // Plain text quoting the document as CUCM read it (the password XML-escaped).
      (xml: string, res: ServerResponse) => { res.writeHead(200, { 'content-type': 'text/plain' }).end(`ERROR ${xml}`) },
      // CUCM's failure quoting the password it read, escaped by number as some XML writers do.
      (xml: string, res: ServerResponse) => {
        const sent = (/<appCertificate>([^<]*)<\/appCertificate>/.exec(xml)?.[1] ?? '').replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[name] ?? '')
        res.writeHead(200, { 'content-type': 'text/xml' }).end(`<response><failure><error code="0">Bad certificate ${sent.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</error></failure></response>`)
      },
      // A servlet's error page quoting the form it was sent (percent-encoded).
      (xml: string, res: ServerResponse) => { res.writeHead(500, { 'content-type': 'text/html' }).end(`<html><head><title>Error ${new URLSearchParams({ xml }).toString().slice(0, 300)}</title></head><body>${new URLSearchParams({ xml }).toString()} ${encodeURIComponent(xml)}</body></html>`) }
    ]
    for (const answer of answers) {
      await withStandIn(answer, async (app) => {
        const res = await app.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
        assert.ok(res.statusCode >= 500, res.body)
        const record = await app.inject({ url: `/api/audit/${(res.json() as { error: { auditId: number } }).error.auditId}` })
        assert.equal(record.statusCode, 200, record.body)
        assert.match(record.json().responseBody, /\*{8}/, 'what was echoed is kept, masked')
        for (const [what, text] of [['answer', res.body], ['audit record', record.body], ['log', app.logs.join('')]] as const) assert.ok(!text.includes('EchoSecret'), `the password is in the ${what}: ${text.slice(0, 2000)}`)
      }, password)
    }
  })

  test('an answer that holds the password\'s letters is read as it came: only what is kept of it is masked', async () => {
    // A user ID that begins with the password: the look-up says who is there, whatever the password.
    await withStandIn((_xml, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' }).end(`<response><deviceUserResults><device name="${SEED_OCCUPIED_DEVICE}"><userID>cisco12.admin</userID><none/><emccDevice>no</emccDevice></device></deviceUserResults></response>`)
    }, async (app) => {
      const res = await app.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().currentUser, 'cisco12.admin')
      const [row] = app.audit.page({ action: 'device-query' }, 1).items
      assert.match(app.audit.get(row?.id ?? 0)?.responseBody ?? '', /<userID>\*{8}\.admin<\/userID>/, 'the record keeps the answer masked')
    }, 'cisco12')
  })
})

describe('a CUCM that cannot read what EM Console sent (codes 1 and 8)', () => {
  test('is a bug of ours: each one is logged loudly, with the audit record that holds the request', async () => {
    await withStandIn((xml, res) => {
      if (xml.includes('SEP0000000000BD')) res.end('<response><failure><error code="8">Query type undetermined</error></failure></response>')
      else if (xml.startsWith('<query>')) res.end('<response><deviceUserResults><device name="SEP001122334455"><userID>jdoe</userID><none/></device></deviceUserResults></response>')
      else res.end('<?xml version="1.0"?>\n<response>\n<failure>\n<error code="1">Unable to parse the request</error>\n</failure>\n</response>\n')
    }, async (app) => {
      const lookUp = await app.inject('/api/devices/SEP0000000000BD?cluster=default')
      assert.equal(lookUp.json().error.emapiCode, 8)
      const logout = await app.inject({ method: 'POST', url: '/api/devices/SEP001122334455/logout?cluster=default' })
      assert.equal(logout.json().error.emapiCode, 1)
      const loud = app.logs.map((line) => JSON.parse(line) as { level: number, msg: string, auditId?: number, emapiCode?: number }).filter((l) => l.level >= 50 && /bug in EM Console/.test(l.msg))
      assert.deepEqual(loud.map((l) => [l.emapiCode, l.auditId]), [[8, lookUp.json().error.auditId], [1, logout.json().error.auditId]])
    })
  })
})

describe('concurrency of look-ups', () => {
  test('separate look-ups do not queue behind each other; one long look-up fans out at most 4 chunks at a time', async () => {
    let inFlight = 0
    let peak = 0
    // Answers are held until `expected` queries are in flight (or 5 s have passed), then 300 ms more:
    // what may arrive together does, however busy the machine, and a limit lower than expected
    // shows as a peak below it. A time, as no more must arrive: 300 ms is far past the spread of
    // requests sent in one turn of the event loop over loopback (a few milliseconds).
    let expected = 10
    let allIn = (): void => {}
    let arrived = new Promise<void>((resolve) => { allIn = resolve })
    await withStandIn((xml, res) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      if (inFlight >= expected) allIn()
      const names = [...xml.matchAll(/<deviceName>([^<]*)<\/deviceName>/g)].map((m) => m[1] ?? '')
      const answer = (): void => {
        inFlight--
        res.end(`<response><deviceUserResults>${names.map((n) => `<device name="${n}"><none/><none/></device>`).join('')}</deviceUserResults></response>`)
      }
      Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 5000))]).then(() => setTimeout(answer, 300), answer)
    }, async (app) => {
      await Promise.all(Array.from({ length: 10 }, async (_, i) => await app.inject(`/api/devices/SEP00000000000${i}`)))
      assert.ok(peak > 4, `ten callers had ${peak} queries in flight: they queued behind a server-wide limit`)
      peak = 0
      expected = 4
      arrived = new Promise<void>((resolve) => { allIn = resolve })
      const names = Array.from({ length: 500 }, (_, i) => `SEPC${String(i).padStart(11, '0')}`)
      assert.equal((await app.inject({ method: 'POST', url: '/api/devices/status', payload: { names } })).statusCode, 200)
      assert.equal(peak, 4, '500 names: 10 chunks, 4 at a time')
    }, undefined, 15_000)
  })
})

describe('answers PROTOCOL.md leaves open, from a strict reading of it', () => {
  test('the simulator refusing a look-up that names an unknown name whole (11 a device, 23 a user), as <doesNotExist/> would say: each look-up reads the others and the unknown one as not found', async () => {
    t.sim.reset()
    for (const failureForm of ['error-code', 'errorMessage'] as const) {
      t.sim.setVariants({ unknownAs: 'failure', failureForm })
      const devices = await t.inject(`/api/devices/status?names=${SEED_OCCUPIED_DEVICE},SEP0000000000FF,${SEED_EMPTY_DEVICE}`)
      assert.equal(devices.statusCode, 200, devices.body)
      assert.deepEqual((devices.json().devices as Array<{ deviceName: string, exists: boolean, currentUser: string | null }>).map((d) => [d.deviceName, d.exists, d.currentUser]),
        [[SEED_OCCUPIED_DEVICE, true, SEED_USER], ['SEP0000000000FF', false, null], [SEED_EMPTY_DEVICE, true, null]], failureForm)
      // One name refused without a code (the DTD's form) cannot be told from a refused password: its failure is the answer (inHalves).
      if (failureForm === 'errorMessage') continue
      const where = await t.inject('/api/users/nobody-here/devices')
      assert.equal(where.statusCode, 200, where.body)
      assert.equal(where.json().exists, false)
      const profiles = await t.inject('/api/users/nobody-here/device-profiles')
      assert.equal(profiles.statusCode, 200, profiles.body)
      assert.deepEqual([profiles.json().exists, profiles.json().profiles], [false, []])
      const known = await t.inject(`/api/users/${SEED_USER}/device-profiles`)
      assert.deepEqual((known.json().profiles as Array<{ name: string }>).map((p) => p.name).sort(), [...SEED_USER_PROFILES].sort())
    }
    t.sim.reset()
  })

  const empty = (names: string[]): string => `<response><deviceUserResults>${names.map((n) => `<device name="${n}"><none/><none/></device>`).join('')}</deviceUserResults></response>`
  const namesIn = (xml: string): string[] => [...xml.matchAll(/<deviceName>([^<]*)<\/deviceName>/g)].map((m) => m[1] ?? '')

  test('a busy answer (26) to a look-up is tried again, as a change\'s is (whether queries count against the cap is not documented)', async () => {
    let busy = 2
    let asked = 0
    await withStandIn((xml, res) => {
      asked++
      if (busy-- > 0) res.end('<response><failure><error code="26">Maximum concurrent requests</error></failure></response>')
      else res.end(empty(namesIn(xml)))
    }, async (app) => {
      const res = await app.inject('/api/devices/SEP00000000BB01?cluster=default')
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().exists, true)
      assert.equal(asked, 3, 'two busy answers, then the answer')
    })
  })

  test('"device does not exist" (11) to a query of several: asked again in halves, down to the unknown device; health and the check call CUCM reachable', async () => {
    const sizes: number[] = []
    await withStandIn((xml, res) => {
      const names = namesIn(xml)
      sizes.push(names.length)
      if (xml.includes('<logout>')) res.end('<response><failure><error code="11">Device does not exist</error></failure></response>')
      else if (names.some((n) => n !== 'SEP00000000BB01' && n !== 'SEP00000000BB02' && n !== 'SEP00000000BB03')) res.end('<response><failure><error code="11">Device does not exist</error></failure></response>')
      else res.end(empty(names))
    }, async (app) => {
      const res = await app.inject('/api/devices/status?names=SEP00000000BB01,SEP00000000BB02,SEP0000000000FF,SEP00000000BB03&cluster=default')
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual((res.json().devices as Array<{ deviceName: string, exists: boolean }>).map((d) => [d.deviceName, d.exists]),
        [['SEP00000000BB01', true], ['SEP00000000BB02', true], ['SEP0000000000FF', false], ['SEP00000000BB03', true]])
      assert.deepEqual(sizes, [4, 2, 2, 1, 1])

      const health = await app.inject('/api/health')
      assert.equal(health.json().emapi.reachable, true, health.body)
      const check = await app.inject({ method: 'POST', url: '/api/clusters/default/check' })
      const steps = (check.json() as { steps: Array<{ name: string, ok: boolean | null }> }).steps
      assert.equal(steps.find((s) => s.name === 'credentials')?.ok, true, check.body)
      assert.equal(steps.find((s) => s.name === 'proxy-rights')?.ok, true, check.body)
    })
  })

  test('a query failure without a code (the DTD\'s <errorMessage> form: 0) to a query of several is halved too, two unknown names as one; a query no half or quarter of which is answered is the look-up\'s failure', async () => {
    const sizes: number[] = []
    let everyQueryFails = false
    await withStandIn((xml, res) => {
      const names = namesIn(xml)
      sizes.push(names.length)
      const unknown = names.find((n) => !n.startsWith('SEP00000000BB'))
      if (everyQueryFails || unknown !== undefined) res.end(`<response><failure><errorMessage>Device ${unknown ?? names[0] ?? ''} does not exist</errorMessage></failure></response>`)
      else res.end(empty(names))
    }, async (app) => {
      const res = await app.inject('/api/devices/status?names=SEP00000000BB01,SEP00000000BB02,TYPO0001,SEP00000000BB03&cluster=default')
      assert.equal(res.statusCode, 200, res.body)
      assert.deepEqual((res.json().devices as Array<{ deviceName: string, exists: boolean }>).map((d) => [d.deviceName, d.exists]),
        [['SEP00000000BB01', true], ['SEP00000000BB02', true], ['TYPO0001', false], ['SEP00000000BB03', true]])
      assert.deepEqual(sizes, [4, 2, 2, 1, 1])
      // The audit keeps what CUCM said of the device it refused.
      const refused = app.audit.page({ action: 'device-query', device: 'TYPO0001' }, 10).items.filter((row) => row.devices.length === 1)
      assert.equal(refused[0]?.outcome, 'failure')
      assert.match(refused[0]?.message ?? '', /Device TYPO0001 does not exist/)

      // Two unknown names, one in each half: the quarters find what CUCM answers, then each name.
      sizes.length = 0
      const two = await app.inject('/api/devices/status?names=SEP00000000BB01,TYPO0001,SEP00000000BB02,TYPO0002&cluster=default')
      assert.equal(two.statusCode, 200, two.body)
      assert.deepEqual((two.json().devices as Array<{ deviceName: string, exists: boolean }>).map((d) => [d.deviceName, d.exists]),
        [['SEP00000000BB01', true], ['TYPO0001', false], ['SEP00000000BB02', true], ['TYPO0002', false]])

      // Halves and quarters refused too: not about names (a wrong password in that form, say), and
      // found so in seven queries, not one per name.
      everyQueryFails = true
      sizes.length = 0
      const failing = await app.inject('/api/devices/status?names=SEP00000000BB01,SEP00000000BB02,SEP00000000BB03,SEP00000000BB04,SEP00000000BB05,SEP00000000BB06,SEP00000000BB07,SEP00000000BB08,SEP00000000BB09,SEP00000000BB10&cluster=default')
      assert.equal(failing.statusCode, 502, failing.body)
      assert.equal(failing.json().error.emapiCode, 0)
      assert.deepEqual(sizes, [10, 5, 5, 3, 2, 3, 2])
    })
  })

  test('"user does not exist" (23) to a users query: the known users are found, the unknown one is one, as <doesNotExist/> would say', async () => {
    const usersIn = (xml: string): string[] => [...xml.matchAll(/<userID>([^<]*)<\/userID>/g)].map((m) => m[1] ?? '')
    await withStandIn((xml, res) => {
      const users = usersIn(xml)
      const phones: Record<string, string> = { jdoe: 'SEP00000000BB01', asmith: 'SEP00000000BB02' }
      if (users.length === 0) res.end(`<response><deviceUserResults>${namesIn(xml).map((n) => `<device name="${n}"><userID>${Object.keys(phones).find((u) => phones[u] === n) ?? ''}</userID><none/></device>`).join('')}</deviceUserResults></response>`)
      else if (users.includes('nobody')) res.end('<response><failure><error code="23">User does not exist</error></failure></response>')
      else res.end(`<response><userDevicesResults>${users.map((u) => `<user id="${u}"><deviceName>${phones[u] ?? ''}</deviceName></user>`).join('')}</userDevicesResults></response>`)
    }, async (app) => {
      const alone = await app.inject('/api/users/nobody/devices?cluster=default')
      assert.equal(alone.statusCode, 200, alone.body)
      assert.equal(alone.json().exists, false)
      const preview = await app.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', users: ['jdoe', 'nobody', 'asmith'] } })
      assert.equal(preview.statusCode, 200, preview.body)
      const items = preview.json().items as Array<{ user: string, category: string }>
      assert.deepEqual(items.map((i) => [i.user, i.category]).sort(), [['asmith', 'will-logout'], ['jdoe', 'will-logout'], ['nobody', 'not-found']])
    })
  })

  test('logoutAll answered 19 (nobody logged in) is done, not failed', async () => {
    await withStandIn((_xml, res) => {
      res.end('<response><failure><error code="19">No user logged in</error></failure></response>')
    }, async (app) => {
      const res = await app.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } })
      assert.equal(res.statusCode, 200, res.body)
      const [row] = app.audit.page({ action: 'logout-all' }, 1).items
      assert.equal(row?.outcome, 'success')
      assert.equal(row?.emapiCode, 19)
    })
  })

  test('an answer in ISO-8859-1, as its declaration says, is read in it (the charset is not documented)', async () => {
    await withStandIn((xml, res) => {
      const body = `<?xml version="1.0" encoding="ISO-8859-1"?><response><deviceUserResults><device name="${namesIn(xml)[0] ?? ''}"><userID>jos\u00e9</userID><none/></device></deviceUserResults></response>`
      res.setHeader('content-type', 'text/xml; charset=ISO-8859-1')
      res.end(Buffer.from(body, 'latin1'))
    }, async (app) => {
      const res = await app.inject('/api/devices/SEP00000000BB01?cluster=default')
      assert.equal(res.json().currentUser, 'jos\u00e9', res.body)
    })
  })
})

test('a login of the user who is already on the phone says so, not "another user"', async () => {
  t.sim.reset()
  const res = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/login`, payload: { userId: SEED_USER } })
  assert.equal(res.statusCode, 409, res.body)
  assert.match(res.json().error.message, new RegExp(`${SEED_USER} is already logged in on ${SEED_OCCUPIED_DEVICE}\\.$`))
  // Code 18's own words must not contradict the explanation: the user on the phone is not "another" one.
  assert.doesNotMatch(res.json().error.message, /another user/i)
})
