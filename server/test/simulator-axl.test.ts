import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { Agent, request } from 'undici'
import { AxlError, axlSoapAction, buildExecuteSqlQuery, parseFault, parseSqlQueryResponse } from '@em-console/shared/axl'
import { AXL_TABLE_COLUMNS } from '../src/simulator/axl-tables.ts'
import { DEFAULT_AXL_PASSWORD, DEFAULT_AXL_USER } from '../src/simulator/axl.ts'
import { scaleScenario } from '../src/simulator/scale-scenario.ts'
import {
  SEED_DEVICE_POOLS, SEED_EM_DISABLED_DEVICE, SEED_LOGIN_COUNT, SEED_OCCUPIED_DEVICE, SEED_PHONE_COUNT, SEED_USER, seedScenario
} from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { SimulatorState } from '../src/simulator/state.ts'
import { eventually } from './helpers/eventually.ts'

let sim: Simulator
let agent: Agent

interface Answer { status: number, headers: Record<string, unknown>, body: string }

async function post (sql: string, options: { version?: string, soapAction?: string | null, auth?: string | null, body?: string, cookie?: string } = {}): Promise<Answer> {
  const version = options.version ?? '14.0'
  const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8' }
  if (options.cookie !== undefined) headers.cookie = options.cookie
  const soapAction = options.soapAction === undefined ? axlSoapAction(version) : options.soapAction
  if (soapAction !== null) headers.soapaction = soapAction
  const auth = options.auth === undefined ? `${DEFAULT_AXL_USER}:${DEFAULT_AXL_PASSWORD}` : options.auth
  if (auth !== null) headers.authorization = 'Basic ' + Buffer.from(auth).toString('base64')
  const res = await request(`${sim.origin}/axl/`, { method: 'POST', dispatcher: agent, headers, body: options.body ?? buildExecuteSqlQuery(sql, version) })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

async function rows (sql: string, columns: readonly string[]): Promise<Array<Record<string, string>>> {
  const answer = await post(sql)
  assert.equal(answer.status, 200, answer.body)
  return parseSqlQueryResponse(answer.body, columns)
}

/** The fault the simulator answered, read by the product's own parser. */
async function fault (sql: string): Promise<AxlError> {
  const answer = await post(sql)
  assert.equal(answer.status, 500, answer.body)
  try {
    parseSqlQueryResponse(answer.body, ['x'])
  } catch (error) {
    assert.ok(error instanceof AxlError)
    return error
  }
  assert.fail('expected a SOAP fault')
}

async function admin (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<{ status: number, json: any }> {
  const res = await request(`${sim.origin}/__simulator/${path}`, {
    method,
    dispatcher: agent,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  })
  return { status: res.statusCode, json: await res.body.json() }
}

before(async () => {
  sim = await startSimulator()
  agent = new Agent({ connect: { ca: sim.caPem } })
})

beforeEach(() => sim.reset())

after(async () => {
  await agent.close()
  await sim.close()
})

describe('simulator AXL: the SQL it understands, over CUCM tables only', () => {
  test('the sessions query public scripts write (PROTOCOL.md §3) answers from the EMAPI state', async () => {
    const sql = `SELECT d.name AS device, dp.name AS devicepool, tm.name AS model, d.description,
       eu.userid, eu.firstname, eu.lastname, p.name AS profile, emd.logintime, emd.loginduration
      FROM extensionmobilitydynamic emd
        JOIN device d ON d.pkid = emd.fkdevice
        JOIN enduser eu ON eu.pkid = emd.fkenduser
        LEFT JOIN device p ON p.pkid = emd.fkdevice_currentloginprofile
        JOIN devicepool dp ON dp.pkid = d.fkdevicepool
        JOIN typemodel tm ON tm.enum = d.tkmodel
      ORDER BY d.name`
    const columns = ['device', 'devicepool', 'model', 'description', 'userid', 'firstname', 'lastname', 'profile', 'logintime', 'loginduration']
    const answer = await rows(sql, columns)
    assert.equal(answer.length, SEED_LOGIN_COUNT)
    const occupied = answer.find((r) => r.device === SEED_OCCUPIED_DEVICE)
    assert.equal(occupied?.userid, SEED_USER)
    assert.equal(occupied?.firstname, '', 'NULL comes back as an empty element')
    assert.equal(occupied?.logintime, String(Math.floor((sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.loginTime ?? 0) / 1000)))
    assert.deepEqual(answer.map((r) => r.device), answer.map((r) => r.device).sort())
  })

  test('WHERE, string literals, IS NULL, ORDER BY DESC, SKIP and LIMIT, unqualified columns', async () => {
    const disabled = await rows("SELECT name, allowhotelingflag FROM device WHERE tkclass = 1 AND allowhotelingflag = 'f' ORDER BY name DESC", ['name', 'allowhotelingflag'])
    assert.equal(disabled.length, sim.state.counts().emDisabled)
    assert.ok(disabled.some((r) => r.name === SEED_EM_DISABLED_DEVICE))
    assert.deepEqual(disabled.map((r) => r.name), disabled.map((r) => r.name).sort().reverse())
    const loggedOut = await rows('SELECT COUNT(*) AS n FROM extensionmobilitydynamic WHERE fkenduser IS NULL', ['n'])
    assert.equal(Number(loggedOut[0]?.n), SEED_PHONE_COUNT - sim.state.counts().emDisabled - SEED_LOGIN_COUNT)
    const all = await rows('SELECT d.name FROM device d WHERE d.tkclass = 1 ORDER BY d.name', ['name'])
    const page = await rows('select skip 10 limit 5 d.name from device d where d.tkclass = 1 order by d.name', ['name'])
    assert.deepEqual(page, all.slice(10, 15))
    const profiles = await rows('SELECT COUNT(*) AS n FROM device WHERE tkclass = 254', ['n'])
    assert.equal(Number(profiles[0]?.n), sim.state.counts().profiles)
  })

  test('an unknown column or table fails loudly with Informix\'s text, even on an empty table', async () => {
    assert.match((await fault('SELECT d.nonexistent FROM device d')).message, /AXL code -217.*Column \(nonexistent\) not found in any table in the query/)
    assert.match((await fault('SELECT emd.logintimex FROM extensionmobilitydynamic emd')).message, /Column \(logintimex\) not found/)
    assert.match((await fault('SELECT remoteuserid, bogus FROM emremotedynamic')).message, /Column \(bogus\) not found/)
    assert.match((await fault('SELECT x.name FROM device d')).message, /Column \(name\) not found/)
    assert.match((await fault('SELECT d.name FROM device d WHERE d.isactive = 1')).message, /Column \(isactive\) not found/)
    assert.match((await fault('SELECT d.name FROM device d ORDER BY d.created')).message, /Column \(created\) not found/)
    assert.match((await fault('SELECT d.name FROM phone d')).message, /AXL code -206.*The specified table \(phone\) is not in the database/)
    assert.match((await fault('SELECT name FROM device d JOIN typemodel tm ON tm.enum = d.tkmodel')).message, /-324.*Ambiguous column \(name\)/)
    assert.match((await fault('SELECT COUNT(*), name FROM device')).message, /-294/)
    assert.match((await fault('SELECT * FROM device')).message, /name each column/)
    assert.match((await fault('SELECT d.name FROM device d WHERE')).message, /-201.*A syntax error has occurred/)
    assert.match((await fault('DROP TABLE device')).message, /syntax error/)
  })

  test('every table has exactly the columns PROTOCOL.md names', () => {
    assert.deepEqual(AXL_TABLE_COLUMNS, {
      device: ['pkid', 'name', 'description', 'tkclass', 'tkmodel', 'fkdevicepool', 'allowhotelingflag'],
      enduser: ['pkid', 'userid', 'firstname', 'lastname', 'displayname'],
      extensionmobilitydynamic: ['pkid', 'fkdevice', 'fkenduser', 'fkenduser_lastlogin', 'fkdevice_currentloginprofile', 'logintime', 'loginduration', 'datetimestamp'],
      typemodel: ['enum', 'name'],
      devicepool: ['pkid', 'name'],
      emremotedynamic: ['remoteuserid', 'logintime']
    })
  })

  test('a logout keeps the row and sets the last user, as CUCM does', async () => {
    const sql = 'SELECT emd.fkenduser, emd.logintime, lu.userid AS lastuser FROM extensionmobilitydynamic emd JOIN device d ON d.pkid = emd.fkdevice ' +
      `LEFT JOIN enduser lu ON lu.pkid = emd.fkenduser_lastlogin WHERE d.name = '${SEED_OCCUPIED_DEVICE}'`
    sim.state.logout(SEED_OCCUPIED_DEVICE)
    assert.deepEqual(await rows(sql, ['fkenduser', 'logintime', 'lastuser']), [{ fkenduser: '', logintime: '', lastuser: SEED_USER }])
  })
})

test('a login whose maximum duration ran out is gone from the next answer, without waiting for the timer', async () => {
  let clock = Date.now()
  const timed = await startSimulator({ now: () => clock, expiryCheckMs: 3_600_000 })
  const trusting = new Agent({ connect: { ca: timed.caPem } })
  try {
    const count = async (): Promise<number> => {
      const res = await request(`${timed.origin}/axl/`, {
        method: 'POST',
        dispatcher: trusting,
        headers: { soapaction: axlSoapAction('14.0'), authorization: 'Basic ' + Buffer.from(`${DEFAULT_AXL_USER}:${DEFAULT_AXL_PASSWORD}`).toString('base64') },
        body: buildExecuteSqlQuery('SELECT COUNT(*) AS n FROM extensionmobilitydynamic emd WHERE emd.fkenduser IS NOT NULL', '14.0')
      })
      return Number(parseSqlQueryResponse(await res.body.text(), ['n'])[0]?.n)
    }
    timed.state.logout(SEED_OCCUPIED_DEVICE)
    assert.deepEqual(timed.state.login({ deviceName: SEED_OCCUPIED_DEVICE, userId: SEED_USER, exclusiveMinutes: 30 }), { ok: true })
    const before = await count()
    clock += 31 * 60_000
    assert.equal(await count(), before - 1)
  } finally {
    await trusting.close()
    await timed.close()
  }
})

describe('simulator AXL: transport, versions and faults', () => {
  test('Basic auth: 401 with a challenge without it or with a wrong password; GET /axl/ names the service', async () => {
    const none = await post('SELECT d.name FROM device d', { auth: null })
    assert.equal(none.status, 401)
    assert.match(String(none.headers['www-authenticate']), /^Basic realm=/)
    assert.equal((await post('SELECT d.name FROM device d', { auth: `${DEFAULT_AXL_USER}:wrong` })).status, 401)
    const page = await request(`${sim.origin}/axl/`, { dispatcher: agent, headers: { authorization: 'Basic ' + Buffer.from(`${DEFAULT_AXL_USER}:${DEFAULT_AXL_PASSWORD}`).toString('base64') } })
    assert.equal(page.statusCode, 200)
    assert.match(await page.body.text(), /AXL Web Service/)
    const noSlash = await request(`${sim.origin}/axl`, { method: 'POST', dispatcher: agent, body: '' })
    assert.equal(noSlash.statusCode, 404)
    await noSlash.body.dump()
  })

  test('versions: 599 for one it does not accept; SOAPAction and namespace must agree', async () => {
    assert.equal((await post('SELECT d.name FROM device d', { version: '13.0' })).status, 599)
    assert.equal((await post('SELECT d.name FROM device d', { version: '15.0' })).status, 599)
    const mismatch = await post('SELECT d.name FROM device d', { version: '12.5', soapAction: axlSoapAction('14.0') })
    assert.equal(mismatch.status, 500)
    assert.match(mismatch.body, /must agree/)
    assert.match((await post('SELECT d.name FROM device d', { soapAction: null })).body, /needs a SOAPAction/)
    const old = await post('SELECT COUNT(*) AS n FROM device d WHERE d.tkclass = 1', { version: '11.5' })
    assert.equal(old.status, 200)
    assert.match(old.body, /xmlns:ns="http:\/\/www.cisco.com\/AXL\/API\/11.5"/)
    assert.equal((await admin('PUT', 'axl/versions', ['11.5'])).status, 200)
    assert.equal((await post('SELECT COUNT(*) AS n FROM device d')).status, 599)
  })

  test('faults on demand through the admin API: 401, 403, 503 n times, latency, malformed, too large', async () => {
    const sql = 'SELECT d.name FROM device d WHERE d.tkclass = 1 ORDER BY d.name'
    await admin('PUT', 'axl/faults', { mode: 'unauthorized' })
    assert.equal((await post(sql)).status, 401)
    await admin('PUT', 'axl/faults', { mode: 'forbidden' })
    assert.equal((await post(sql)).status, 403)
    await admin('PUT', 'axl/faults', { mode: 'none', throttle: 2 })
    assert.deepEqual([(await post(sql)).status, (await post(sql)).status, (await post(sql)).status], [503, 503, 200])
    await admin('PUT', 'axl/faults', { throttle: 1, throttleAs: 'memory' })
    const memory = await post(sql)
    assert.equal(memory.status, 500)
    assert.equal(parseFault(memory.body)?.faultString, 'Maximum AXL Memory Allocation Consumed')
    await admin('PUT', 'axl/faults', { throttleAs: '503' })
    await admin('PUT', 'axl/faults', { mode: 'malformed' })
    const broken = await post(sql)
    assert.equal(broken.status, 200)
    assert.throws(() => parseSqlQueryResponse(broken.body, ['name']), (e: unknown) => e instanceof AxlError && e.code === 'AXL_BAD_XML')
    await admin('PUT', 'axl/faults', { mode: 'none', maxRows: 100 })
    const tooLarge = await fault(sql)
    assert.equal(tooLarge.code, 'AXL_TOO_LARGE')
    assert.equal(tooLarge.totalRows, SEED_PHONE_COUNT)
    assert.equal(tooLarge.suggestedRows, 100)
    assert.equal((await post(sql.replace('SELECT', 'SELECT FIRST 100'))).status, 200)
    await admin('PUT', 'axl/faults', { tooLargeWording: 'suggested' })
    const suggested = await fault(sql)
    assert.match(suggested.fault?.faultString ?? '', /Suggested row fetch: less than 100 rows$/)
    assert.equal(suggested.suggestedRows, 100)
    assert.match((await admin('PUT', 'axl/faults', { missingColumns: ['Name;'] })).json.error, /^missingColumns must be/)
    await admin('PUT', 'axl/faults', { maxRows: 0, latencyMs: 150 })
    const started = Date.now()
    assert.equal((await post(sql)).status, 200)
    assert.ok(Date.now() - started >= 150)
    const state = await admin('GET', 'axl/state')
    assert.equal(state.json.faults.latencyMs, 150)
    assert.equal(state.json.user, DEFAULT_AXL_USER)
    assert.ok(!JSON.stringify(state.json).includes(DEFAULT_AXL_PASSWORD))
    // Held: the answer waits in flight until the hold ends.
    await admin('PUT', 'axl/faults', { latencyMs: 0, hold: true })
    const held = post(sql)
    await eventually(() => sim.axl.stats.inFlight === 1 ? true : undefined, 10_000)
    assert.equal((await admin('GET', 'axl/state')).json.faults.hold, true)
    assert.equal(sim.axl.stats.inFlight, 1)
    await admin('PUT', 'axl/faults', { hold: false })
    assert.equal((await held).status, 200)
    await admin('POST', 'reset')
    assert.deepEqual(sim.axl.faults, { mode: 'none', throttle: 0, throttleAs: '503', latencyMs: 0, hold: false, maxRows: 0, maxRowsGrace: 0, overMaxRows: 'fault', logoutAfterPages: 0, staleCookie: 'sign-in', tooLargeWording: 'suggestive', noMaximumAs: 'zero', missingColumns: [] })
  })

  test('a sign-in by password sets JSESSIONIDSSO; the cookie alone then signs in, until the session is ended', async () => {
    const sql = 'SELECT COUNT(*) AS total FROM device d'
    const first = await post(sql)
    assert.equal(first.status, 200)
    const cookie = /^(JSESSIONIDSSO=[0-9A-F]{32});/.exec(String(first.headers['set-cookie']))?.[1]
    assert.ok(cookie !== undefined, String(first.headers['set-cookie']))
    const bySession = async (): Promise<Answer> => {
      const res = await request(`${sim.origin}/axl/`, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: axlSoapAction('14.0'), cookie }, body: buildExecuteSqlQuery(sql, '14.0') })
      return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
    }
    const again = await bySession()
    assert.equal(again.status, 200)
    assert.equal(again.headers['set-cookie'], undefined, 'a live session is not replaced')
    assert.deepEqual(sim.axl.received.slice(-2).map((r) => r.signedInBy), ['password', 'session'])
    assert.equal((await admin('POST', 'axl/sessions/end')).status, 200)
    assert.equal((await bySession()).status, 401)
    // An ended session's cookie beside good credentials: signed in by them, or refused (staleCookie).
    const withBoth = async (): Promise<number> => (await post(sql, { cookie })).status
    assert.equal(await withBoth(), 200)
    assert.equal((await admin('PUT', 'axl/faults', { staleCookie: 'refuse' })).status, 200)
    assert.equal(await withBoth(), 401)
  })

  test('bad admin input gets a 400 naming the field', async () => {
    assert.deepEqual(await admin('PUT', 'axl/faults', { throttle: -1 }), { status: 400, json: { error: 'throttle must be a non-negative integer' } })
    assert.match((await admin('PUT', 'axl/faults', { mode: 'sometimes' })).json.error, /^mode must be one of/)
    assert.deepEqual(await admin('PUT', 'axl/faults', { hold: 'yes' }), { status: 400, json: { error: 'hold must be a boolean' } })
    assert.deepEqual(await admin('PUT', 'axl/faults', { overMaxRows: 'explode' }), { status: 400, json: { error: 'overMaxRows must be one of fault, drop, reset' } })
    assert.match((await admin('PUT', 'axl/versions', ['14'])).json.error, /versions must be/)
  })

  test('anything but executeSQLQuery is a fault, and the request\'s escaped SQL is read like CDATA', async () => {
    const envelope = (inner: string): string => '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="http://www.cisco.com/AXL/API/14.0"><soapenv:Body>' + inner + '</soapenv:Body></soapenv:Envelope>'
    const other = await post('', { body: envelope('<ns:listPhone><searchCriteria><name>%</name></searchCriteria></ns:listPhone>') })
    assert.equal(other.status, 500)
    assert.match(other.body, /executeSQLQuery only/)
    const escaped = await post('', { body: envelope(`<ns:executeSQLQuery><sql>SELECT d.name FROM device d WHERE d.name = '${SEED_OCCUPIED_DEVICE}' AND d.tkclass &lt;&gt; 254</sql></ns:executeSQLQuery>`) })
    assert.deepEqual(parseSqlQueryResponse(escaped.body, ['name']), [{ name: SEED_OCCUPIED_DEVICE }])
  })
})

describe('seed and scale scenarios for AXL', () => {
  const now = Date.UTC(2026, 10, 1, 8, 0)

  test('the seed has four device pools in three time zones, models, descriptions and logins over three days', () => {
    assert.equal(SEED_DEVICE_POOLS.length, 4)
    assert.equal(new Set(SEED_DEVICE_POOLS.map((p) => p.timeZone)).size, 3)
    const scenario = seedScenario({ now })
    const pools = new Set<string>(SEED_DEVICE_POOLS.map((p) => p.name))
    for (const device of scenario.devices) {
      assert.ok(pools.has(device.devicePool ?? ''), device.name)
      assert.match(device.model ?? '', /^Cisco /)
      assert.ok((device.description ?? '') !== '', device.name)
    }
    for (const pool of pools) assert.ok(scenario.devices.filter((d) => d.devicePool === pool).length > 50, pool)
    const logins = scenario.devices.filter((d) => d.currentUser != null)
    const ages = logins.map((d) => now - (d.loginTime ?? now))
    assert.ok(ages.every((a) => a >= 0 && a <= 3 * 86_400_000))
    assert.ok(ages.filter((a) => a > 2 * 86_400_000).length >= 20, 'some logins are more than two days old')
    const limited = logins.filter((d) => d.autoLogoutAt != null)
    assert.ok(limited.length >= 20 && limited.length <= 60, `${limited.length} logins with a maximum duration`)
    assert.ok(limited.every((d) => (d.autoLogoutAt ?? 0) >= now + 2 * 3_600_000), 'no seeded login expires within two hours')
    assert.equal(new SimulatorState(scenario, { now: () => now }).counts().loggedIn, SEED_LOGIN_COUNT)
  })

  test('the scale scenario: the phones and sessions asked, deterministic, sessions only on EM-enabled phones', () => {
    const scenario = scaleScenario({ phones: 20_000, sessions: 8_000, now })
    assert.deepEqual(scaleScenario({ phones: 20_000, sessions: 8_000, now }), scenario)
    const state = new SimulatorState(scenario, { now: () => now })
    const counts = state.counts()
    assert.equal(counts.devices, 20_000)
    assert.equal(counts.loggedIn, 8_000)
    assert.ok(counts.emDisabled > 500 && counts.emDisabled < 1500)
    assert.ok(scenario.devices.every((d) => d.currentUser == null || d.emEnabled === true))
    assert.throws(() => scaleScenario({ phones: 10, sessions: 11 }), /EM-enabled phones/)
  })
})
