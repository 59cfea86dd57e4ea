import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { after, afterEach, before, beforeEach, describe, test } from 'node:test'
import { AXL_ERROR_ACTIONS, AXL_VERSIONS, AxlError, type AxlErrorCode } from '@em-console/shared/axl'
import type { CheckStep } from '@em-console/shared/schemas'
import { createAxlClient, GROW_AFTER_LISTINGS, type AxlClient, type AxlClientOptions } from '../src/axl/client.ts'
import { countPhonesQuery, countSessionsQuery, phonesPageQuery, sessionsPageQuery } from '../src/axl/queries.ts'
import { sessionCookie } from '../src/axl/transport.ts'
import { createEmapiClient } from '../src/emapi/client.ts'
import { inSettingsWords } from '../src/setting-words.ts'
import { checkCluster } from '../src/clusters/connection-check.ts'
import type { ClusterSettings } from '../src/clusters/definitions.ts'
import {
  SEED_DEVICE_POOLS, SEED_EM_DISABLED_DEVICE, SEED_EMAIL_USER, SEED_EMAIL_USER_DEVICE, SEED_LOGIN_COUNT, SEED_OCCUPIED_DEVICE,
  SEED_PHONE_COUNT, SEED_USER, SEED_USER_PROFILES
} from '../src/simulator/seed.ts'
import { buildAxlTables } from '../src/simulator/axl-tables.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { eventually } from './helpers/eventually.ts'
import { makeCertificate, startHttpsServer } from './helpers/https-server.ts'

const PASSWORD = 'Axl-p&ss<w>rd"\'é'

let sim: Simulator
const clients: AxlClient[] = []

function client (overrides: Partial<AxlClientOptions> = {}): AxlClient {
  const created = createAxlClient({
    host: '127.0.0.1',
    port: sim.port,
    user: sim.axl.credentials.user,
    password: PASSWORD,
    ca: sim.caPem,
    timeoutMs: 10_000,
    retryDelaysMs: [10, 10],
    ...overrides
  })
  clients.push(created)
  return created
}

/** The SQL the simulator received, with SKIP/FIRST pairs read out. */
function pagesAsked (): Array<[number, number]> {
  return sim.axl.received.flatMap((r) => {
    const m = /^SELECT SKIP (\d+) FIRST (\d+) /.exec(r.sql ?? '')
    return m === null ? [] : [[Number(m[1]), Number(m[2])] as [number, number]]
  })
}

async function caught (promise: Promise<unknown>, code: AxlErrorCode): Promise<AxlError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  assert.ok(error instanceof AxlError, `expected an AxlError, got ${String(error)}`)
  assert.equal(error.code, code, error.message)
  // A TLS problem carries its own fix (tlsProblem's); every other failure its code's.
  if (code !== 'AXL_TLS') assert.equal(error.action, AXL_ERROR_ACTIONS[code])
  // Neither the password nor the Basic credentials, anywhere in the error or its causes.
  const basic = Buffer.from(`${sim.axl.credentials.user}:${PASSWORD}`).toString('base64')
  const everything = inspect(error, { depth: null, showHidden: true })
  assert.ok(!everything.includes(PASSWORD) && !everything.includes(basic), 'the password must not appear in an error')
  return error
}

before(async () => {
  sim = await startSimulator({ axl: { password: PASSWORD } })
})

beforeEach(() => sim.reset())

afterEach(async () => {
  await Promise.all(clients.splice(0).map(async (c) => await c.close()))
})

after(async () => await sim.close())

describe('AXL client against the simulator over HTTPS', () => {
  test('lists every phone with model, description, pool and EM flag, ordered by name', async () => {
    const listing = await client().listPhones()
    assert.equal(listing.counted, SEED_PHONE_COUNT)
    assert.equal(listing.rows.length, SEED_PHONE_COUNT)
    assert.equal(listing.version, '14.0')
    assert.equal(listing.requests, 2)
    const names = listing.rows.map((p) => p.name)
    assert.deepEqual(names, [...names].sort())
    const disabled = listing.rows.find((p) => p.name === SEED_EM_DISABLED_DEVICE)
    assert.deepEqual(disabled, { name: SEED_EM_DISABLED_DEVICE, model: 'Cisco 7841', description: 'New York lobby', devicePool: 'DP_NEWYORK', emEnabled: false })
    assert.equal(listing.rows.filter((p) => !p.emEnabled).length, sim.state.counts().emDisabled)
    assert.deepEqual(new Set(listing.rows.map((p) => p.devicePool)), new Set(SEED_DEVICE_POOLS.map((p) => p.name)))
    assert.ok(listing.rows.every((p) => p.model?.startsWith('Cisco ')))
  })

  test('lists the current sessions with profile, login time, duration, pool and model', async () => {
    const listing = await client().listSessions()
    assert.equal(listing.counted, SEED_LOGIN_COUNT)
    assert.equal(listing.rows.length, SEED_LOGIN_COUNT)
    const occupied = listing.rows.find((s) => s.deviceName === SEED_OCCUPIED_DEVICE)
    const loginTime = sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.loginTime ?? 0
    assert.deepEqual(occupied, {
      deviceName: SEED_OCCUPIED_DEVICE,
      userId: SEED_USER,
      profile: SEED_USER_PROFILES[0],
      loginTime: new Date(Math.floor(loginTime / 1000) * 1000).toISOString(),
      loginDurationSeconds: null,
      devicePool: 'DP_OSLO',
      model: 'Cisco 8865',
      description: 'Oslo reception 1'
    })
    assert.equal(listing.rows.find((s) => s.deviceName === SEED_EMAIL_USER_DEVICE)?.userId, SEED_EMAIL_USER)
    const now = Date.now()
    for (const session of listing.rows) {
      const age = now - Date.parse(session.loginTime ?? '')
      assert.ok(age >= 0 && age <= 3 * 86_400_000 + 60_000, `${session.deviceName} logged in ${age} ms ago`)
    }
    const limited = listing.rows.filter((s) => s.loginDurationSeconds !== null)
    assert.ok(limited.length >= 10, `${limited.length} sessions with a maximum duration`)
    for (const s of limited) {
      const device = sim.state.getDevice(s.deviceName)
      assert.equal(s.loginDurationSeconds, Math.round(((device?.autoLogoutAt ?? 0) - (device?.loginTime ?? 0)) / 1000))
    }
  })

  test('a logout through EMAPI is gone from the next AXL answer; a login shows up', async () => {
    const axl = client()
    const emapi = createEmapiClient({ host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, ca: sim.caPem, timeoutMs: 10_000 })
    try {
      assert.ok((await axl.listSessions()).rows.some((s) => s.deviceName === SEED_OCCUPIED_DEVICE))
      await emapi.logout(SEED_OCCUPIED_DEVICE)
      const after = await axl.listSessions()
      assert.equal(after.counted, SEED_LOGIN_COUNT - 1)
      assert.ok(!after.rows.some((s) => s.deviceName === SEED_OCCUPIED_DEVICE))
      assert.equal(await axl.countSessions(), SEED_LOGIN_COUNT - 1)
      await emapi.login({ deviceName: SEED_OCCUPIED_DEVICE, userId: SEED_USER, deviceProfile: SEED_USER_PROFILES[1], exclusiveDuration: { minutes: 90 } })
      const again = (await axl.listSessions()).rows.find((s) => s.deviceName === SEED_OCCUPIED_DEVICE)
      assert.equal(again?.profile, SEED_USER_PROFILES[1])
      assert.equal(again?.loginDurationSeconds, 90 * 60)
    } finally {
      await emapi.close()
    }
  })

  test('pages with SKIP/FIRST after a count, in a stable order, at the page size asked, each page beginning with the last row of the one before', async () => {
    const whole = await client().listPhones()
    sim.axl.received.length = 0
    const paged = await client({ pageSize: 120 }).listPhones()
    assert.deepEqual(paged.rows, whole.rows)
    assert.equal(paged.requests, 6)
    assert.equal(sim.axl.received[0]?.sql, countPhonesQuery().sql)
    assert.deepEqual(pagesAsked(), [[0, 120], [119, 120], [238, 120], [357, 120], [476, 120]])
  })

  for (const wording of ['suggestive', 'suggested'] as const) {
    test(`a too-large fault mid-way ("${wording} row fetch") shrinks the page below the suggested size and continues from the same offset`, async () => {
      const whole = await client().listSessions()
      sim.axl.received.length = 0
      // The count and the first two pages pass; from the third page on, answers over 36 rows fault.
      sim.axl.setFaults({ maxRows: 36, maxRowsGrace: 3, tooLargeWording: wording })
      const paged = await client({ pageSize: 50 }).listSessions()
      assert.deepEqual(paged.rows, whole.rows)
      assert.deepEqual(pagesAsked(), [[0, 50], [49, 50], [98, 50], [98, 18], [115, 18], [132, 18], [149, 18]])
      assert.equal(sim.axl.received[3]?.status, 500)
      assert.equal(paged.pageSize, 18)
      assert.equal(paged.requests, 8)
    })
  }

  test('the next listing starts at the page size that answered, not with a page CUCM already found too large', async () => {
    const whole = await client().listSessions()
    sim.axl.setFaults({ maxRows: 36 })
    const same = client({ pageSize: 50 })
    const first = await same.listSessions()
    assert.equal(first.pageSize, 18)
    sim.axl.received.length = 0
    const next = await same.listSessions()
    assert.deepEqual(next.rows, whole.rows)
    assert.equal(sim.axl.received.filter((r) => r.status !== 200).length, 0, 'no page was too large')
    assert.deepEqual(pagesAsked()[0], [0, 18])
    // Its phones are another listing, with a size of their own.
    sim.axl.received.length = 0
    await same.listPhones()
    assert.deepEqual(pagesAsked()[0], [0, 50])
  })

  test('a page size cut by a drop grows back after enough listings at the smaller size, up to the size configured; a limit that holds costs one refused page each time', async () => {
    const axl = client({ pageSize: 50 })
    /** Lists the sessions; returns the page sizes asked, in order, once each. */
    const sizesAsked = async (): Promise<number[]> => {
      sim.axl.received.length = 0
      await axl.listSessions()
      return [...new Set(pagesAsked().map(([, first]) => first))]
    }
    sim.axl.setFaults({ maxRows: 36, overMaxRows: 'reset' })
    assert.deepEqual(await sizesAsked(), [50, 25])
    for (let i = 0; i < GROW_AFTER_LISTINGS; i++) assert.deepEqual(await sizesAsked(), [25])
    // The limit still holds: one refused page, then the size that answered again.
    assert.deepEqual(await sizesAsked(), [50, 25])
    // The drop was a passing fault: the size grows back, and not past the one configured.
    sim.axl.setFaults({ maxRows: 0 })
    for (let i = 0; i < GROW_AFTER_LISTINGS; i++) assert.deepEqual(await sizesAsked(), [25])
    for (let i = 0; i < GROW_AFTER_LISTINGS + 2; i++) assert.deepEqual(await sizesAsked(), [50])
  })

  test('a node that drops the connection before any answer to a page (12.5): the page is halved and the same offset asked again', async () => {
    const whole = await client().listSessions()
    sim.axl.received.length = 0
    sim.axl.setFaults({ maxRows: 36, maxRowsGrace: 3, overMaxRows: 'reset' })
    const paged = await client({ pageSize: 50 }).listSessions()
    assert.deepEqual(paged.rows, whole.rows)
    assert.deepEqual(pagesAsked(), [[0, 50], [49, 50], [98, 50], [98, 25], [122, 25], [146, 25]])
    assert.equal(paged.pageSize, 25)
  })

  test('a node that drops the connection mid-answer instead of faulting (12.5): the page is halved and the same offset asked again', async () => {
    const whole = await client().listSessions()
    sim.axl.received.length = 0
    sim.axl.setFaults({ maxRows: 36, maxRowsGrace: 3, overMaxRows: 'drop' })
    const paged = await client({ pageSize: 50 }).listSessions()
    assert.deepEqual(paged.rows, whole.rows)
    assert.deepEqual(pagesAsked(), [[0, 50], [49, 50], [98, 50], [98, 25], [122, 25], [146, 25]])
    assert.equal(paged.pageSize, 25)
    assert.equal(sim.axl.received.filter((r) => r.status === 200).length, 7, 'the count and six pages, one of them broken off')
  })

  test('answers over maxResponseBytes are dropped and the page halved; AXL_TOO_LARGE only when nothing helps', async () => {
    const whole = await client().listPhones()
    sim.axl.received.length = 0
    const small = await client({ maxResponseBytes: 16 * 1024, pageSize: 500 }).listPhones()
    assert.deepEqual(small.rows, whole.rows)
    assert.ok(small.pageSize < 125 && small.pageSize >= 31, `page size ${small.pageSize}`)
    const error = await caught(client({ maxResponseBytes: 100 }).listPhones(), 'AXL_TOO_LARGE')
    assert.match(error.message, /larger than 100 bytes/)
  })

  test('a user who logs out while the sessions are paged moves every later row up: no session still there is missed', async () => {
    const whole = await client().listSessions()
    sim.axl.received.length = 0
    // After the second page the first session in name order ends: the third page, asked where the
    // second ended, begins one row further on.
    sim.axl.setFaults({ logoutAfterPages: 1 })
    const paged = await client({ pageSize: 40 }).listSessions()
    const asked = pagesAsked()
    const gone = whole.rows[0]?.deviceName
    const now = await client().listSessions()
    assert.equal(now.rows.length, whole.rows.length - 1)
    assert.ok(!now.rows.some((s) => s.deviceName === gone))
    assert.deepEqual(paged.rows.filter((s) => s.deviceName !== gone), now.rows)
    // The third page began with a row not read yet: it was asked again two rows back, not a page back.
    assert.deepEqual(asked, [[0, 40], [39, 40], [78, 40], [76, 40], [115, 40]])
  })

  test('HTTP 599: tries the other known versions once each and keeps the one that works', async () => {
    sim.axl.setVersions(['12.5'])
    const axl = client()
    const listing = await axl.listSessions()
    assert.equal(listing.version, '12.5')
    assert.equal(axl.version, '12.5')
    const actions = sim.axl.received.map((r) => r.soapAction)
    assert.deepEqual(actions.slice(0, 3), ['"CUCM:DB ver=14.0 executeSQLQuery"', '"CUCM:DB ver=15.0 executeSQLQuery"', '"CUCM:DB ver=12.5 executeSQLQuery"'])
    assert.ok(actions.slice(3).every((a) => a === '"CUCM:DB ver=12.5 executeSQLQuery"'), 'later requests use the version that worked')
  })

  test('AXL_VERSION when no known version is accepted, naming each one tried', async () => {
    sim.axl.setVersions(['9.1'])
    const error = await caught(client({ version: '12.0' }).countPhones(), 'AXL_VERSION')
    assert.deepEqual(error.triedVersions, ['12.0', ...AXL_VERSIONS.filter((v) => v !== '12.0')])
    assert.equal(sim.axl.received.length, AXL_VERSIONS.length)
    assert.equal(error.httpStatus, 599)
    // The advice names no version just refused: the cluster's own release is what to set.
    for (const tried of error.triedVersions ?? []) assert.ok(!error.action.includes(tried), `${error.action} suggests ${tried}`)
    assert.match(error.action, /CUCM_AXL_VERSION to the cluster's own release/)
  })

  test('AXL_AUTH on 401 and AXL_FORBIDDEN on 403, with the roles to add', async () => {
    const auth = await caught(client({ password: PASSWORD + 'x' }).listPhones(), 'AXL_AUTH')
    assert.equal(auth.httpStatus, 401)
    sim.axl.setFaults({ mode: 'forbidden' })
    const forbidden = await caught(client().listPhones(), 'AXL_FORBIDDEN')
    assert.equal(forbidden.httpStatus, 403)
    assert.match(forbidden.action, /Standard AXL API Users.*Standard AXL Read Only API Access/)
  })

  test('HTTP 503 is retried with backoff, then AXL_THROTTLED', async () => {
    sim.axl.setFaults({ throttle: 2 })
    assert.equal(await client().countPhones(), SEED_PHONE_COUNT)
    assert.equal(sim.axl.received.length, 3)
    sim.axl.setFaults({ throttle: 5 })
    const error = await caught(client().countPhones(), 'AXL_THROTTLED')
    assert.equal(error.httpStatus, 503)
    assert.equal(sim.axl.faults.throttle, 2, 'one try and two retries')
  })

  test('"Maximum AXL Memory Allocation Consumed" passes as a 503 does: retried with backoff, then AXL_THROTTLED', async () => {
    const axl = client()
    sim.axl.setFaults({ throttle: 2, throttleAs: 'memory' })
    assert.equal(await axl.countPhones(), SEED_PHONE_COUNT)
    assert.deepEqual(sim.axl.received.map((r) => r.status), [500, 500, 200])
    sim.axl.setFaults({ throttle: 5 })
    const error = await caught(axl.countPhones(), 'AXL_THROTTLED')
    assert.match(error.message, /Maximum AXL Memory Allocation Consumed" to 3 tries in a row/)
    assert.equal(sim.axl.received.length, 6)
  })

  test('AXL_TIMEOUT bounds the whole request', async () => {
    sim.axl.setFaults({ hold: true })
    // The answer is let go at 1.8 s: a client without a time limit then has it, not AXL_TIMEOUT (held
    // for ever, it would wait for ever).
    const letGo = setTimeout(() => { sim.axl.setFaults({ hold: false }) }, 1800)
    const started = Date.now()
    const error = await caught(client({ timeoutMs: 300 }).countPhones(), 'AXL_TIMEOUT').finally(() => { clearTimeout(letGo) })
    assert.ok(Date.now() - started < 1800)
    sim.axl.setFaults({ hold: false })
    // What to do names the setting that bounds it: the key, or a dashboard cluster's field.
    assert.match(error.action, /raise CUCM_TIMEOUT_MS if CUCM is only slow/)
    assert.match(inSettingsWords(error.action, 'database'), /raise the cluster's time limit if CUCM is only slow/)
  })

  test('AXL_BAD_XML on a broken answer', async () => {
    sim.axl.setFaults({ mode: 'malformed' })
    const error = await caught(client().listPhones(), 'AXL_BAD_XML')
    assert.equal(error.sql, countPhonesQuery().sql)
  })

  test('AXL_TLS without the CA, AXL_UNREACHABLE on a closed port', async () => {
    const tls = await caught(client({ ca: undefined }).countPhones(), 'AXL_TLS')
    assert.match(tls.message, /self-signed|not trust/)
    // Which node refused: AXL may be asked of the publisher, another node than EMAPI's, with a certificate of its own.
    assert.match(tls.message, new RegExp(`^AXL at https://127\\.0\\.0\\.1:${sim.port}: TLS verification failed \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)`))
    // Its own fix once, not followed by the general advice of every TLS failure again.
    assert.match(tls.action, /CUCM_CA_FILE/)
    assert.equal(`${tls.message} ${tls.action}`.match(/Export/g)?.length, 1, `${tls.message} ${tls.action}`)
    // EMAPI trusts the same CA file, and the publisher may be another node with its own certificate:
    // the publisher's is added to the file, never put in place of what EMAPI needs.
    assert.match(tls.action, /add it to the PEM file CUCM_CA_FILE names \(point CUCM_CA_FILE at it if none\), keeping the certificates already in it: EMAPI and AXL trust the same file/)
    assert.doesNotMatch(tls.action, /and point CUCM_CA_FILE at the PEM file/)
    assert.match(inSettingsWords(tls.action, 'database'), /add it to the cluster's CA certificate \(Settings → Clusters, Edit\), keeping the certificates already there: EMAPI and AXL trust the same ones/)
    // The server reads CUCM_CA_FILE when it starts: added to while it runs, the file changes nothing
    // until a restart (em-console check, a process of its own, trusts it at once). A dashboard
    // cluster's certificate is used as soon as it is saved.
    assert.match(tls.action, /EMAPI and AXL trust the same file; then restart the server \(it reads the file when it starts\)/)
    assert.doesNotMatch(inSettingsWords(tls.action, 'database'), /restart/)
    const closed = await startHttpsServer(await makeCertificate(), () => {})
    await closed.close()
    await caught(client({ port: closed.port, timeoutMs: 3000 }).countPhones(), 'AXL_UNREACHABLE')
  })

  test('one request at a time per client, whatever the callers do', async () => {
    // A request another test gave up on may still be in the simulator: wait until none is.
    await eventually(() => sim.axl.stats.inFlight === 0 || undefined, 10_000).catch(() => assert.fail('the simulator still answers an earlier request'))
    sim.axl.setFaults({ latencyMs: 30 })
    sim.axl.stats.peakInFlight = 0
    const axl = client({ pageSize: 100 })
    const [phones, sessions] = await Promise.all([axl.listPhones(), axl.listSessions()])
    assert.equal(phones.rows.length, SEED_PHONE_COUNT)
    assert.equal(sessions.rows.length, SEED_LOGIN_COUNT)
    assert.equal(sim.axl.stats.peakInFlight, 1)
  })
})

describe('what AXL\'s PROTOCOL.md leaves open, produced by the simulator', () => {
  test('loginduration NULL for a login without a maximum reads as 0 does: no maximum', async () => {
    const withZero = await client().listSessions()
    sim.axl.setFaults({ noMaximumAs: 'null' })
    const [row] = buildAxlTables(sim.state, sim.axl.faults).get('extensionmobilitydynamic')?.rows.filter((r) => r.fkenduser !== null && r.loginduration === null) ?? []
    assert.ok(row !== undefined, 'the simulator holds NULL for a login without a maximum')
    const withNull = await client().listSessions()
    assert.deepEqual(withNull.rows, withZero.rows)
    assert.equal(withNull.rows.find((s) => s.deviceName === SEED_OCCUPIED_DEVICE)?.loginDurationSeconds, null)
  })

  test('a release without a column EM Console reads: the listing fails naming the column, as Informix does; the rest still reads', async () => {
    sim.axl.setFaults({ missingColumns: ['loginduration'] })
    const error = await caught(client().listSessions(), 'AXL_FAULT')
    assert.match(error.message, /AXL code -217.*Column \(loginduration\) not found/)
    assert.equal(error.httpStatus, 500)
    assert.equal((await client().listPhones()).rows.length, SEED_PHONE_COUNT)
  })

  test('the connection check fails on a release without a column the inventory reads, naming it, rather than pass on a count of phones', async () => {
    const axl = { host: undefined, port: undefined, user: sim.axl.credentials.user, password: PASSWORD, version: undefined }
    const cucm = { id: 'default', name: 'sim', host: '127.0.0.1', port: sim.port, ...sim.credentials, caPem: sim.caPem, tlsInsecure: false, timeoutMs: 10_000 }
    const settings = { ...cucm, maxConcurrency: 4, multipleLogins: 'not-allowed', timezone: undefined, enabled: true, axl } satisfies ClusterSettings
    const axlStep = async (): Promise<CheckStep | undefined> => (await checkCluster({ source: 'environment', settings })).steps.find((s) => s.name === 'axl')
    assert.equal((await axlStep())?.ok, true)
    for (const column of ['logintime', 'allowhotelingflag']) {
      sim.axl.setFaults({ missingColumns: [column] })
      const step = await axlStep()
      assert.equal(step?.ok, false, column)
      assert.match(step?.message ?? '', new RegExp(`Column \\(${column}\\) not found`))
    }
  })
})

describe('CUCM\'s session cookie (JSESSIONIDSSO)', () => {
  const signedInBy = (): Array<string | undefined> => sim.axl.received.map((r) => r.signedInBy)

  test('a listing of several pages signs in by its password once, then by the cookie CUCM set', async () => {
    const axl = client({ pageSize: 120 })
    await axl.listPhones()
    assert.deepEqual(signedInBy(), ['password', 'session', 'session', 'session', 'session', 'session'])
    // The client's next listing, minutes later, still goes on the same session.
    sim.axl.received.length = 0
    await axl.countSessions()
    assert.deepEqual(signedInBy(), ['session'])
  })

  test('a session CUCM ended (30 idle minutes, a restart) or a refused sign-in: the next call signs in by the password again, then goes on with the new cookie', async () => {
    const axl = client()
    await axl.countPhones()
    sim.axl.endSessions()
    assert.equal(await axl.countPhones(), SEED_PHONE_COUNT)
    await axl.countPhones()
    assert.deepEqual(signedInBy(), ['password', 'password', 'session'])
    sim.axl.setFaults({ mode: 'unauthorized' })
    await caught(axl.countPhones(), 'AXL_AUTH')
    sim.axl.setFaults({ mode: 'none' })
    sim.axl.received.length = 0
    await axl.countPhones()
    assert.deepEqual(signedInBy(), ['password'], 'the cookie of a session before a 401 is not sent again')
  })

  const answered = (): Array<[number, string | undefined]> => sim.axl.received.map((r) => [r.status, r.signedInBy])

  test('a CUCM that refuses a cookie whose session ended (a restart) with 401, not a sign-in by the credentials: the call is made once more by the credentials alone', async () => {
    sim.axl.setFaults({ staleCookie: 'refuse' })
    const axl = client()
    await axl.countPhones()
    sim.axl.endSessions()
    assert.equal(await axl.countPhones(), SEED_PHONE_COUNT)
    await axl.countPhones()
    assert.deepEqual(answered(), [[200, 'password'], [401, undefined], [200, 'password'], [200, 'session']])
    // Credentials CUCM refuses are not sent twice.
    sim.axl.received.length = 0
    const wrong = client({ password: 'not-the-password' })
    await caught(wrong.countPhones(), 'AXL_AUTH')
    assert.deepEqual(answered(), [[401, undefined]])
  })

  test('a cookie idle for 30 minutes, when CUCM ends its session, is not sent again: the call signs in by the credentials', async (t) => {
    sim.axl.setFaults({ staleCookie: 'refuse' })
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() })
    const axl = client()
    await axl.countPhones()
    t.mock.timers.tick(29 * 60_000)
    await axl.countPhones()
    t.mock.timers.tick(30 * 60_000)
    assert.equal(await axl.countPhones(), SEED_PHONE_COUNT)
    assert.deepEqual(answered(), [[200, 'password'], [200, 'session'], [200, 'password']])
  })

  test('the cookie is read only as CUCM sets it, and bounded', async () => {
    assert.equal(sessionCookie('JSESSIONIDSSO=4F1A9C; Path=/; Secure; HttpOnly'), '4F1A9C')
    assert.equal(sessionCookie(['JSESSIONID=AAA; Path=/axl', 'JSESSIONIDSSO=BBB; Path=/']), 'BBB')
    assert.equal(sessionCookie('JSESSIONIDSSO=REMOVE; Max-Age=0; Path=/'), null)
    assert.equal(sessionCookie('JSESSIONIDSSO=; Path=/'), null)
    assert.equal(sessionCookie('JSESSIONID=AAA; Path=/'), undefined)
    assert.equal(sessionCookie(undefined), undefined)
    assert.equal(sessionCookie('JSESSIONIDSSO=a b'), undefined, 'not a cookie value')
    assert.equal(sessionCookie(`JSESSIONIDSSO=${'A'.repeat(513)}`), undefined, 'too long to send back')
  })

  test('the cookie is a secret: a fault that echoes it is read with it masked', async () => {
    const certificate = await makeCertificate()
    const cookie = 'SessSecret7F3A'
    const count = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/14.0"><return><row><total>7</total></row></return></ns:executeSQLQueryResponse></soapenv:Body></soapenv:Envelope>'
    const server = await startHttpsServer(certificate, (req, res) => {
      if (req.headers.cookie === undefined) {
        res.writeHead(200, { 'content-type': 'text/xml', 'set-cookie': `JSESSIONIDSSO=${cookie}; Path=/; Secure; HttpOnly` }).end(count)
        return
      }
      // The session ends with this answer, which echoes the cookie it was sent.
      res.writeHead(500, { 'content-type': 'text/xml', 'set-cookie': 'JSESSIONIDSSO=REMOVE; Max-Age=0; Path=/' }).end(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Session ${req.headers.cookie} refused</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
    })
    const axl = createAxlClient({ host: '127.0.0.1', port: server.port, user: 'u', password: PASSWORD, ca: certificate.cert, timeoutMs: 10_000 })
    try {
      assert.equal(await axl.countPhones(), 7)
      const error = await axl.countPhones().then(() => undefined, (e: unknown) => e)
      assert.ok(error instanceof AxlError, String(error))
      assert.equal(server.received[1]?.headers.cookie, `JSESSIONIDSSO=${cookie}`)
      assert.match(error.message, /Session JSESSIONIDSSO=\*{8} refused/)
      assert.ok(!inspect(error, { depth: null, showHidden: true }).includes(cookie))
      // It ended the session: the next request carries no cookie.
      await axl.countPhones().catch(() => undefined)
      assert.equal(server.received[2]?.headers.cookie, undefined)
    } finally {
      await axl.close()
      await server.close()
    }
  })
})

describe('the SQL takes no user input', () => {
  const TRICKY = ["o'brien & co", "'; DROP TABLE x; --", 'josé.garcía', '山田.太郎', 'a]]>b<c>"d"']

  test('user IDs, profiles and descriptions come back as data, byte for byte; the SQL holds only computed numbers', async () => {
    const tricky = await startSimulator({
      axl: { password: PASSWORD },
      scenario: {
        users: TRICKY,
        profiles: TRICKY.map((u) => ({ name: `${u} profile`, owners: [u], isDefault: true })),
        devices: TRICKY.map((u, i) => ({ name: `SEP00000000000${i}`, currentUser: u, description: `desk of ${u}`, devicePool: `DP ${u}`, loginTime: Date.UTC(2026, 10, 30, 8, 0, 0, 999) }))
      }
    })
    const axl = createAxlClient({ host: '127.0.0.1', port: tricky.port, user: tricky.axl.credentials.user, password: PASSWORD, ca: tricky.caPem, timeoutMs: 10_000, pageSize: 2 })
    try {
      const sessions = await axl.listSessions()
      assert.deepEqual(sessions.rows.map((s) => [s.userId, s.profile, s.description, s.devicePool, s.loginTime]),
        TRICKY.map((u) => [u, `${u} profile`, `desk of ${u}`, `DP ${u}`, '2026-11-30T08:00:00.000Z']))
      const phones = await axl.listPhones()
      assert.deepEqual(phones.rows.map((p) => p.description), TRICKY.map((u) => `desk of ${u}`))

      // Every statement is one of the templates, numbers aside: nothing else can get into the SQL.
      const templates = new Set([countPhonesQuery(), phonesPageQuery(0, 1), countSessionsQuery(), sessionsPageQuery(0, 1)].map((q) => q.sql.replace(/\d+/g, 'N')))
      assert.ok(tricky.axl.received.length >= 8)
      for (const { sql } of tricky.axl.received) {
        assert.ok(sql !== null && templates.has(sql.replace(/\d+/g, 'N')), String(sql))
        assert.ok(!sql.includes("'"), 'no string literal at all')
      }
    } finally {
      await axl.close()
      await tricky.close()
    }
  })

  test('the query builders accept only safe non-negative integers', () => {
    for (const [skip, first] of [[-1, 10], [0, 0], [1.5, 10], [Number.NaN, 10], [2 ** 53, 10], [0, Number.POSITIVE_INFINITY]] as const) {
      assert.throws(() => phonesPageQuery(skip, first), RangeError, `${skip}, ${first}`)
      assert.throws(() => sessionsPageQuery(skip, first), RangeError, `${skip}, ${first}`)
    }
    assert.match(phonesPageQuery(40, 20).sql, /^SELECT SKIP 40 FIRST 20 /)
  })

  test('a bad version or page size is refused when the client is made', () => {
    assert.throws(() => createAxlClient({ host: 'x', user: 'u', password: 'p', timeoutMs: 1, version: '14.0"; x' }), /Invalid AXL version/)
    assert.throws(() => createAxlClient({ host: 'x', user: 'u', password: 'p', timeoutMs: 1, pageSize: 0 }), /Invalid AXL page size/)
  })
})

describe('AXL answers the simulator does not give', () => {
  test('a NULL or odd EM flag is "not enabled", an odd loginduration is "no maximum", a NULL logintime is unknown (not 1970), a padded count is read: one odd row fails nothing', async () => {
    const certificate = await makeCertificate()
    const envelope = (rows: string): string => `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/14.0"><return>${rows}</return></ns:executeSQLQueryResponse></soapenv:Body></soapenv:Envelope>`
    const phone = (name: string, flag: string): string => `<row><name>${name}</name><description/><model>Cisco 8865</model><devicepool>DP_A</devicepool><allowhotelingflag>${flag}</allowhotelingflag></row>`
    const session = (device: string, duration: string, login = '1796112000'): string => `<row><device>${device}</device><devicepool>DP_A</devicepool><model>Cisco 8865</model><description/><userid>u${device}</userid><firstname/><lastname/><profile/><logintime>${login}</logintime><loginduration>${duration}</loginduration></row>`
    const server = await startHttpsServer(certificate, (req, res) => {
      const sql = req.body.toString()
      const count = /COUNT\(\*\)/.test(sql)
      const body = /allowhotelingflag/.test(sql)
        ? count ? '<row><total> 4 </total></row>' : [phone('SEP1', 't'), phone('SEP2', ''), phone('SEP3', ' '), phone('SEP4', 'x')].join('')
        : count ? '<row><total>\n4\n</total></row>' : [session('SEP1', '-1'), session('SEP2', ''), session('SEP3', '28800'), session('SEP4', '28800', '')].join('')
      res.writeHead(200, { 'content-type': 'text/xml' }).end(envelope(body))
    })
    const axl = createAxlClient({ host: '127.0.0.1', port: server.port, user: 'u', password: PASSWORD, ca: certificate.cert, timeoutMs: 10_000 })
    try {
      const phones = await axl.listPhones()
      assert.deepEqual(phones.rows.map((p) => [p.name, p.emEnabled]), [['SEP1', true], ['SEP2', false], ['SEP3', false], ['SEP4', false]])
      const sessions = await axl.listSessions()
      assert.deepEqual(sessions.rows.map((s) => [s.deviceName, s.loginDurationSeconds, s.loginTime]), [
        ['SEP1', null, '2026-12-01T08:00:00.000Z'],
        ['SEP2', null, '2026-12-01T08:00:00.000Z'],
        ['SEP3', 28800, '2026-12-01T08:00:00.000Z'],
        // A login time CUCM does not hold: its age is unknown, and logout --older-than leaves it alone.
        ['SEP4', 28800, null]
      ])
    } finally {
      await axl.close()
      await server.close()
    }
  })

  test('a publisher that throttles for a few seconds is read with the default backoff: each retry waits seconds, as Cisco asks, not half of one', async () => {
    const certificate = await makeCertificate()
    const tries: number[] = []
    const server = await startHttpsServer(certificate, (_req, res) => {
      tries.push(Date.now())
      // Throttled for 4 s from the first request: other AXL work holding the publisher.
      if (Date.now() - (tries[0] ?? 0) < 4000) {
        res.writeHead(503, { 'content-type': 'text/html' }).end('<html><head><title>HTTP Status 503 – Service Unavailable</title></head></html>')
        return
      }
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns:executeSQLQueryResponse xmlns:ns="http://www.cisco.com/AXL/API/14.0"><return><row><total>7</total></row></return></ns:executeSQLQueryResponse></soapenv:Body></soapenv:Envelope>')
    })
    const axl = createAxlClient({ host: '127.0.0.1', port: server.port, user: 'u', password: PASSWORD, ca: certificate.cert, timeoutMs: 10_000 })
    try {
      assert.equal(await axl.countPhones(), 7)
      const [first = 0, second = 0] = tries
      assert.ok(second - first >= 2500, `the first retry came ${second - first} ms after the first try`)
    } finally {
      await axl.close()
      await server.close()
    }
  })

  test('a fault that echoes the request\'s credentials is read with them masked, with HTTP 500 or 200: the error says no password', async () => {
    const certificate = await makeCertificate()
    const secret = 'AxlEcho<&>"pw 9'
    let status = 500
    const server = await startHttpsServer(certificate, (req, res) => {
      const header = req.headers.authorization ?? ''
      const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8')
      const fault = `Auth ${header} ${decoded} ${encodeURIComponent(decoded)}`.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
      res.writeHead(status, { 'content-type': 'text/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>${fault}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
    })
    const axl = createAxlClient({ host: '127.0.0.1', port: server.port, user: 'axl-reader', password: secret, ca: certificate.cert, timeoutMs: 10_000, retryDelaysMs: [] })
    try {
      for (status of [500, 200]) {
        const error = await axl.countPhones().then(() => undefined, (e: unknown) => e)
        assert.ok(error instanceof AxlError, String(error))
        assert.match(error.message, /^CUCM refused the request: Auth Basic \*{8} axl-reader:\*{8}/, `HTTP ${status}`)
        const said = `${error.message} ${JSON.stringify(error.fault)} ${inspect(error)}`
        assert.ok(!said.includes('AxlEcho') && !said.includes(Buffer.from(`axl-reader:${secret}`).toString('base64')), `HTTP ${status}: ${said}`)
      }
    } finally {
      await axl.close()
      await server.close()
    }
  })

  test('a SOAP fault is AXL_FAULT with its message; HTML error pages and 404 are named; an endless body is cut off', async () => {
    const certificate = await makeCertificate()
    const fault = "<?xml version='1.0' encoding='UTF-8'?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>Column (loginduration) not found in any table in the query (or SLV is undefined).</faultstring><detail><axlError><axlcode>-217</axlcode><axlmessage>Column (loginduration) not found in any table in the query (or SLV is undefined).</axlmessage><request>executeSQLQuery</request></axlError></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    let mode = 'fault'
    const server = await startHttpsServer(certificate, (_req, res) => {
      if (mode === 'fault') res.writeHead(500, { 'content-type': 'text/xml' }).end(fault)
      else if (mode === 'html') res.writeHead(500, { 'content-type': 'text/html' }).end('<html><head><title>HTTP Status 500 – Internal Server Error</title></head></html>')
      else if (mode === 'missing') res.writeHead(404, { 'content-type': 'text/html' }).end('<html><head><title>HTTP Status 404 – Not Found</title></head></html>')
      else if (mode === 'long-title') res.writeHead(500, { 'content-type': 'text/html' }).end(`<html><head><title>Proxy error ${'T'.repeat(100_000)}</title></head></html>`)
      else if (mode === 'redirect') res.writeHead(302, { location: 'https://cucm-pub.example.com:8443/axl/', 'content-type': 'text/html' }).end('<html><head><title>302 Found</title></head></html>')
      else if (mode === 'long-fault') res.writeHead(500, { 'content-type': 'text/xml' }).end(fault.replace(/Column \(loginduration\) not found/g, `Column (loginduration) not found ${'x'.repeat(200_000)}`))
      else {
        // Chunked and endless: only the client's size cap ends it.
        res.writeHead(200, { 'content-type': 'text/xml' })
        const chunk = '<row>' + 'x'.repeat(64 * 1024) + '</row>'
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump)
        }
        pump()
      }
    })
    const axl = createAxlClient({ host: '127.0.0.1', port: server.port, user: 'u', password: PASSWORD, ca: certificate.cert, timeoutMs: 10_000, maxResponseBytes: 512 * 1024 })
    try {
      const error = await caught(axl.listSessions(), 'AXL_FAULT')
      assert.match(error.message, /AXL code -217.*Column \(loginduration\) not found/)
      assert.equal(error.httpStatus, 500)
      mode = 'html'
      assert.match((await caught(axl.countPhones(), 'AXL_BAD_XML')).message, /HTTP 500 \(HTTP Status 500/)
      mode = 'missing'
      assert.match((await caught(axl.countPhones(), 'AXL_UNREACHABLE')).message, /no AXL service at .*\/axl\/ \(HTTP 404/)
      // A page's title and a fault's text are quoted cut: whole, they ran to megabytes in the message,
      // the CLI's output and the inventory's state (GET /api/inventory, polled by the dashboard).
      mode = 'long-title'
      assert.match((await caught(axl.countPhones(), 'AXL_BAD_XML')).message, /^CUCM answered HTTP 500 \(Proxy error T{88}…\) without a SOAP fault\.$/)
      // A name or proxy that sends AXL elsewhere: where to, as EMAPI's redirect says (not followed: it carries the password).
      mode = 'redirect'
      assert.match((await caught(axl.countPhones(), 'AXL_BAD_XML')).message, /^CUCM answered HTTP 302, a redirect to https:\/\/cucm-pub\.example\.com:8443\/axl\/, which EM Console does not follow: the request carries the AXL user's password\.$/)
      mode = 'long-fault'
      const long = await caught(axl.countPhones(), 'AXL_FAULT')
      assert.match(long.message, /^CUCM refused the request \(AXL code -217\): Column \(loginduration\) not found x{167}…$/)
      assert.equal(long.fault?.axlMessage.length, 'Column (loginduration) not found  in any table in the query (or SLV is undefined).'.length + 200_000, 'the fault keeps its whole text')
      mode = 'endless'
      assert.match((await caught(axl.countPhones(), 'AXL_TOO_LARGE')).message, /larger than 524288 bytes/)
      const sent = server.received[0]
      assert.equal(sent?.url, '/axl/')
      assert.equal(sent?.headers.soapaction, '"CUCM:DB ver=14.0 executeSQLQuery"')
      assert.match(String(sent?.headers['content-type']), /^text\/xml; charset=utf-8/)
      assert.equal(sent?.headers.authorization, 'Basic ' + Buffer.from(`u:${PASSWORD}`).toString('base64'))
    } finally {
      await axl.close()
      await server.close()
    }
  })
})
