import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  buildDeviceProfileQuery, buildDeviceUserQuery, buildLogin, buildLogout, buildLogoutAll, buildUserDevicesQuery,
  isEmapiFailure, parseActionResponse, parseDeviceProfileResponse, parseDeviceUserResponse, parseUserDevicesResponse,
  type EmapiCredentials, type LoginRequest
} from '@em-console/shared/emapi'
import {
  SEED_EM_DISABLED_DEVICE, SEED_EMAIL_USER, SEED_EMAIL_USER_DEVICE, SEED_EMPTY_DEVICE, SEED_FREE_USER, SEED_FREE_USER_PROFILE,
  SEED_NON_ASCII_USER, SEED_OCCUPIED_DEVICE, SEED_USER, SEED_USER_PROFILES
} from '../src/simulator/seed.js'
import { outcomeOf, startHarness, type Harness } from './fixtures/simulator/harness.js'
import { eventually } from './helpers/eventually.ts'

const SUCCESS = '<?xml version="1.0"?>\n<response>\n<success/>\n</response>\n'

function queryCode (run: () => unknown): number {
  try {
    run()
  } catch (error) {
    if (isEmapiFailure(error)) return error.emapiCode
    throw error
  }
  assert.fail('expected a failure answer')
}

function appInfo (appUser: string, appPassword: string): string {
  return `<appInfo><appID>${appUser}</appID><appCertificate>${appPassword}</appCertificate></appInfo>`
}

describe('simulator protocol over HTTPS', () => {
  let h: Harness
  let creds: EmapiCredentials

  const login = async (request: LoginRequest): Promise<number | 'success'> => outcomeOf((await h.post(buildLogin(creds, request))).body)
  const logout = async (deviceName: string): Promise<number | 'success'> => outcomeOf((await h.post(buildLogout(creds, deviceName))).body)
  const who = async (...names: string[]) => parseDeviceUserResponse((await h.post(buildDeviceUserQuery(creds, names))).body, names)
  const where = async (...ids: string[]) => parseUserDevicesResponse((await h.post(buildUserDevicesQuery(creds, ids))).body, ids)

  before(async () => {
    h = await startHarness()
    creds = h.sim.credentials
  })
  after(async () => { await h.close() })
  beforeEach(() => { h.sim.reset() })

  test('login with the default profile, then the device and the user show it', async () => {
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: SEED_FREE_USER }), 'success')
    assert.equal(h.sim.state.getDevice(SEED_EMPTY_DEVICE)?.currentProfile, SEED_FREE_USER_PROFILE)
    const [device] = await who(SEED_EMPTY_DEVICE)
    assert.deepEqual(device, { deviceName: SEED_EMPTY_DEVICE, exists: true, currentUser: SEED_FREE_USER, lastUser: null, emcc: false })
    assert.deepEqual(await where(SEED_FREE_USER), [{ userId: SEED_FREE_USER, exists: true, devices: [SEED_EMPTY_DEVICE] }])
  })

  test('action answers are byte for byte the real server shape', async () => {
    const res = await h.post(buildLogin(creds, { deviceName: SEED_EMPTY_DEVICE, userId: SEED_FREE_USER }))
    assert.equal(res.status, 200)
    assert.equal(res.contentType, 'text/xml;charset=UTF-8')
    assert.equal(res.body, SUCCESS)
    const failure = await h.post(buildLogout(creds, SEED_EMPTY_DEVICE.replace('EE', 'EF')))
    assert.equal(failure.status, 200)
    assert.match(failure.body, /^<\?xml version="1.0"\?>\n<response>\n<failure>\n<error code="11">[^<]+<\/error>\n<\/failure>\n<\/response>\n$/)
  })

  test('names, user IDs and profiles compare case-insensitively', async () => {
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE.toLowerCase(), userId: SEED_USER.toUpperCase(), deviceProfile: SEED_USER_PROFILES[1].toUpperCase() }), 25, 'JDOE is jdoe, already logged in')
    h.sim.state.multipleLogins = 'allowed'
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE.toLowerCase(), userId: SEED_USER.toUpperCase(), deviceProfile: SEED_USER_PROFILES[1].toUpperCase() }), 'success')
    const device = h.sim.state.getDevice(SEED_EMPTY_DEVICE)
    assert.equal(device?.currentUser, SEED_USER)
    assert.equal(device?.currentProfile, SEED_USER_PROFILES[1])
    const [status] = await who(SEED_OCCUPIED_DEVICE.toLowerCase())
    assert.equal(status?.deviceName, SEED_OCCUPIED_DEVICE)
    assert.equal(status?.currentUser, SEED_USER)
    assert.equal(await logout(SEED_EMPTY_DEVICE.toLowerCase()), 'success')
  })

  test('login error codes: 11, 22, 23, 12, 18', async () => {
    assert.equal(await login({ deviceName: 'SEPFFFFFFFFFFFF', userId: SEED_FREE_USER }), 11)
    assert.equal(await login({ deviceName: SEED_EM_DISABLED_DEVICE, userId: SEED_FREE_USER }), 22)
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: 'nobody-here' }), 23)
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: SEED_FREE_USER, deviceProfile: 'no-such-profile' }), 12)
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: SEED_FREE_USER, deviceProfile: SEED_USER_PROFILES[0] }), 12, "another user's profile")
    assert.equal(await login({ deviceName: SEED_OCCUPIED_DEVICE, userId: SEED_FREE_USER }), 18)
    assert.equal(await login({ deviceName: SEED_OCCUPIED_DEVICE, userId: SEED_USER }), 18, 'EMAPI does not re-login the same user')
    assert.equal(h.sim.state.getDevice(SEED_EMPTY_DEVICE)?.currentUser, null)
  })

  test('multiple logins: not-allowed answers 25', async () => {
    assert.equal(h.sim.state.multipleLogins, 'not-allowed')
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: SEED_USER }), 25)
    assert.deepEqual((await where(SEED_USER))[0]?.devices, [SEED_OCCUPIED_DEVICE])
  })

  test('multiple logins: allowed puts the user on both devices', async () => {
    h.sim.state.multipleLogins = 'allowed'
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: SEED_USER }), 'success')
    assert.deepEqual((await where(SEED_USER))[0]?.devices.sort(), [SEED_EMPTY_DEVICE, SEED_OCCUPIED_DEVICE].sort())
  })

  test('multiple logins: auto-logout ends the earlier login', async () => {
    const policy = await h.admin('PUT', 'policy', { multipleLogins: 'auto-logout' })
    assert.equal(policy.json.multipleLogins, 'auto-logout')
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: SEED_USER }), 'success')
    assert.deepEqual((await where(SEED_USER))[0]?.devices, [SEED_EMPTY_DEVICE])
    assert.deepEqual((await who(SEED_OCCUPIED_DEVICE))[0], { deviceName: SEED_OCCUPIED_DEVICE, exists: true, currentUser: null, lastUser: SEED_USER, emcc: false })
  })

  test('logout frees the device and records the last user; 19 when nobody is on it; 11 unknown', async () => {
    assert.equal(await logout(SEED_OCCUPIED_DEVICE), 'success')
    assert.deepEqual((await who(SEED_OCCUPIED_DEVICE))[0]?.lastUser, SEED_USER)
    assert.equal(await logout(SEED_OCCUPIED_DEVICE), 19)
    assert.equal(await logout(SEED_EMPTY_DEVICE), 19)
    assert.equal(await logout('SEPFFFFFFFFFFFF'), 11)
  })

  test('logoutAll logs everyone out and succeeds again when nobody is left', async () => {
    assert.equal(h.sim.state.counts().loggedIn, 150)
    assert.equal(outcomeOf((await h.post(buildLogoutAll(creds))).body), 'success')
    assert.equal(h.sim.state.counts().loggedIn, 0)
    assert.equal((await h.post(buildLogoutAll(creds))).body, SUCCESS)
  })

  test('deviceUserQuery: three-child form, none, doesNotExist, encoded user IDs', async () => {
    const res = await h.post(buildDeviceUserQuery(creds, [SEED_OCCUPIED_DEVICE, SEED_EMPTY_DEVICE, 'SEPFFFFFFFFFFFF', SEED_EMAIL_USER_DEVICE]))
    assert.equal(res.body, [
      '<response>',
      '<deviceUserResults>',
      `<device name="${SEED_OCCUPIED_DEVICE}"><userID>jdoe</userID><lastlogin>asmith</lastlogin><emccDevice>no</emccDevice></device>`,
      `<device name="${SEED_EMPTY_DEVICE}"><none/><none/><emccDevice>no</emccDevice></device>`,
      '<device name="SEPFFFFFFFFFFFF"><doesNotExist/></device>',
      `<device name="${SEED_EMAIL_USER_DEVICE}"><userID>jane.doe%40example.com</userID><none/><emccDevice>no</emccDevice></device>`,
      '</deviceUserResults>',
      '</response>',
      ''
    ].join('\n'))
    const parsed = parseDeviceUserResponse(res.body, ['SEPFFFFFFFFFFFF', SEED_EMAIL_USER_DEVICE])
    assert.equal(parsed[0]?.exists, false)
    assert.equal(parsed[1]?.currentUser, SEED_EMAIL_USER)
  })

  test('non-ASCII user IDs are percent-encoded like java.net.URLEncoder, everywhere', async () => {
    assert.equal(await login({ deviceName: SEED_EMPTY_DEVICE, userId: SEED_NON_ASCII_USER }), 'success')
    const res = await h.post(buildDeviceUserQuery(creds, [SEED_EMPTY_DEVICE]))
    assert.match(res.body, /<userID>jos%C3%A9.garc%C3%ADa<\/userID>/)
    assert.equal(parseDeviceUserResponse(res.body, [SEED_EMPTY_DEVICE])[0]?.currentUser, SEED_NON_ASCII_USER)
    const devices = await h.post(buildUserDevicesQuery(creds, [SEED_NON_ASCII_USER]))
    assert.match(devices.body, /<user id="jos%C3%A9.garc%C3%ADa"><deviceName>SEP00AABBCCDDEE<\/deviceName><\/user>/)
    assert.equal(await logout(SEED_EMPTY_DEVICE), 'success')
    assert.match((await h.post(buildDeviceUserQuery(creds, [SEED_EMPTY_DEVICE]))).body, /<none\/><lastlogin>jos%C3%A9.garc%C3%ADa<\/lastlogin>/)
  })

  test('userDevicesQuery: devices, none, doesNotExist', async () => {
    const ids = [SEED_EMAIL_USER, SEED_FREE_USER, 'ghost']
    const res = await h.post(buildUserDevicesQuery(creds, ids))
    assert.match(res.body, /<user id="jane.doe%40example.com"><deviceName>SEP001122334466<\/deviceName><\/user>/)
    assert.match(res.body, /<user id="asmith"><none\/><\/user>/)
    assert.match(res.body, /<user id="ghost"><doesNotExist\/><\/user>/)
    assert.deepEqual(parseUserDevicesResponse(res.body, ids), [
      { userId: SEED_EMAIL_USER, exists: true, devices: [SEED_EMAIL_USER_DEVICE] },
      { userId: SEED_FREE_USER, exists: true, devices: [] },
      { userId: 'ghost', exists: false, devices: [] }
    ])
  })

  test('deviceProfileQuery and its userDeviceProfileQuery alias', async () => {
    const res = await h.post(buildDeviceProfileQuery(creds, [SEED_USER, 'ghost']))
    assert.match(res.body, /<deviceProfile><deviceProfileName>jdoe-EM-8865<\/deviceProfileName><isDefaultDeviceProfile>t<\/isDefaultDeviceProfile><\/deviceProfile>/)
    assert.deepEqual(parseDeviceProfileResponse(res.body, [SEED_USER.toUpperCase(), 'ghost']), [
      { userId: SEED_USER, exists: true, profiles: [{ name: SEED_USER_PROFILES[0], isDefault: true }, { name: SEED_USER_PROFILES[1], isDefault: false }] },
      { userId: 'ghost', exists: false, profiles: [] }
    ])
    const alias = await h.post(`<query>${appInfo(creds.appUser, creds.appPassword)}<userDeviceProfileQuery><userID>${SEED_FREE_USER}</userID></userDeviceProfileQuery></query>`)
    assert.deepEqual(parseDeviceProfileResponse(alias.body, [SEED_FREE_USER])[0]?.profiles, [{ name: SEED_FREE_USER_PROFILE, isDefault: true }])
  })

  test('code 1: unparseable XML, a bad root, a missing appInfo or deviceName, no xml field', async () => {
    const app = appInfo(creds.appUser, creds.appPassword)
    for (const xml of [
      '<request><login>',
      'not xml at all',
      '',
      `<hello>${app}</hello>`,
      '<request><logout><deviceName>SEP001122334455</deviceName></logout></request>',
      `<request>${app}<login><userID>jdoe</userID></login></request>`,
      `<request>${app}<login><deviceName>a</deviceName><deviceName>b</deviceName><userID>jdoe</userID></login></request>`,
      `<request>${app}<login><deviceName>a</deviceName><userID>jdoe</userID><exclusiveDuration><time>soon</time></exclusiveDuration></login></request>`,
      `<request>${app}<dance/></request>`,
      '<query><deviceUserQuery><deviceName>a</deviceName></deviceUserQuery></query>',
      `<query>${app}<deviceUserQuery></deviceUserQuery></query>`
    ]) {
      assert.equal(outcomeOf((await h.post(xml)).body), 1, xml)
    }
    const noField = await h.get('/emservice/EMServiceServlet')
    assert.equal(noField.status, 200)
    assert.equal(outcomeOf(noField.body), 1)
  })

  test('code 8: an unknown query type, including logoutAll sent as a query', async () => {
    const app = appInfo(creds.appUser, creds.appPassword)
    for (const xml of [`<query>${app}<checkUser/></query>`, `<query>${app}<logoutAll></logoutAll></query>`]) {
      const res = await h.post(xml)
      assert.equal(res.status, 200)
      assert.match(res.body, /^<response>\n<failure>\n<error code="8">/, 'a failed query has no prologue by default')
      assert.equal(queryCode(() => parseDeviceUserResponse(res.body, ['x'])), 8)
    }
  })

  test('app user checks: 2 blank, 3 wrong password or unknown app user, for requests and queries', async () => {
    assert.equal(outcomeOf((await h.post(buildLogout({ appUser: creds.appUser, appPassword: '' }, SEED_OCCUPIED_DEVICE))).body), 2)
    assert.equal(outcomeOf((await h.post(buildLogout({ appUser: '', appPassword: 'x' }, SEED_OCCUPIED_DEVICE))).body), 2)
    assert.equal(outcomeOf((await h.post(buildLogout({ appUser: creds.appUser, appPassword: 'wrong' }, SEED_OCCUPIED_DEVICE))).body), 3)
    assert.equal(outcomeOf((await h.post(buildLogout({ appUser: 'intruder', appPassword: creds.appPassword }, SEED_OCCUPIED_DEVICE))).body), 3)
    const query = await h.post(buildDeviceUserQuery({ appUser: creds.appUser, appPassword: 'wrong' }, [SEED_OCCUPIED_DEVICE]))
    assert.equal(queryCode(() => parseDeviceUserResponse(query.body, [SEED_OCCUPIED_DEVICE])), 3)
    assert.equal(h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER)
    // The app user compares case-insensitively, the password exactly.
    assert.equal(outcomeOf((await h.post(buildLogout({ appUser: creds.appUser.toUpperCase(), appPassword: creds.appPassword }, SEED_OCCUPIED_DEVICE))).body), 'success')
  })

  test('XML special characters in credentials travel escaped and are compared unescaped', async () => {
    const special = await startHarness({ appUser: 'app&<user>', appPassword: 'p\'"<&>w' })
    try {
      const res = await special.post(buildDeviceUserQuery(special.sim.credentials, [SEED_OCCUPIED_DEVICE]))
      assert.equal(parseDeviceUserResponse(res.body, [SEED_OCCUPIED_DEVICE])[0]?.currentUser, SEED_USER)
      assert.match(special.sim.received[0] ?? '', /<appCertificate>p&apos;&quot;&lt;&amp;&gt;w<\/appCertificate>/)
    } finally {
      await special.close()
    }
  })

  test('GET ?xml= answers like POST; other paths answer 404', async () => {
    const xml = buildDeviceUserQuery(creds, [SEED_OCCUPIED_DEVICE])
    const res = await h.get(`/emservice/EMServiceServlet?xml=${encodeURIComponent(xml)}`)
    assert.equal(res.status, 200)
    assert.equal(parseDeviceUserResponse(res.body, [SEED_OCCUPIED_DEVICE])[0]?.currentUser, SEED_USER)
    assert.equal((await h.get('/emservice/Other')).status, 404)
    assert.equal((await h.get('/')).status, 404)
  })

  test('received keeps the raw XML of what arrived', async () => {
    h.sim.resetStats()
    const xml = buildLogout(creds, SEED_OCCUPIED_DEVICE)
    await h.post(xml)
    assert.deepEqual(h.sim.received, [xml])
    assert.equal(h.sim.stats.requests, 1)
  })

  test('variants: query prologue, errorMessage failures, two-child devices, content type', async () => {
    h.sim.setVariants({ queryPrologue: true, deviceForm: 'two-child', contentType: 'text/html; charset=ISO-8859-1' })
    const res = await h.post(buildDeviceUserQuery(creds, [SEED_OCCUPIED_DEVICE]))
    assert.equal(res.contentType, 'text/html; charset=ISO-8859-1')
    assert.match(res.body, /^<\?xml version="1.0"\?>\n<response>\n<deviceUserResults>\n<device name="SEP001122334455"><userID>jdoe<\/userID><lastlogin>asmith<\/lastlogin><\/device>\n/)
    assert.equal(parseDeviceUserResponse(res.body, [SEED_OCCUPIED_DEVICE])[0]?.emcc, null)

    const put = await h.admin('PUT', 'variants', { failureForm: 'errorMessage' })
    assert.equal(put.status, 200)
    assert.equal(put.json.failureForm, 'errorMessage')
    const failure = await h.post(buildLogout(creds, SEED_EMPTY_DEVICE))
    assert.match(failure.body, /<failure>\n<errorMessage>[^<]+<\/errorMessage>\n<\/failure>/)
    assert.equal(outcomeOf(failure.body), 0, 'the errorMessage form carries no code')

    h.sim.setVariants({ queryPrologue: false })
    assert.match((await h.post(buildDeviceUserQuery(creds, [SEED_OCCUPIED_DEVICE]))).body, /^<response>/)

    h.sim.setVariants({ leadingWhitespace: true })
    const spaced = await h.post(buildLogout(creds, SEED_OCCUPIED_DEVICE))
    assert.match(spaced.body, /^\r\n {2}<\?xml version="1.0"\?>\n<response>\n<success\/>/)
    assert.doesNotThrow(() => parseActionResponse(spaced.body))
    assert.equal((await h.admin('PUT', 'variants', { leadingWhitespace: 'yes' })).status, 400)
  })

  test('a form past 1 MiB is refused with 413, unread (as the AXL servlet refuses one)', async () => {
    const answer = await h.post(buildDeviceUserQuery(h.sim.credentials, [SEED_OCCUPIED_DEVICE]) + ' '.repeat(1024 * 1024))
    assert.equal(answer.status, 413)
    assert.equal(answer.body, '')
  })

  test('admin API: state, validation, policy, reset', async () => {
    await logout(SEED_OCCUPIED_DEVICE)
    const state = await h.admin('GET', 'state')
    assert.equal(state.status, 200)
    assert.deepEqual(state.json.counts, { appUsers: 1, users: 400, profiles: state.json.counts.profiles, devices: 500, loggedIn: 149, emDisabled: state.json.counts.emDisabled })
    assert.equal(state.json.stats.requests, 1)
    assert.deepEqual(state.json.faults, { latencyMs: 0, jitterMs: 0, mode: 'none', busyBurst: 0, faultTimes: 0, faultOn: 'all', hold: 'none' })
    assert.equal(state.json.variants.deviceForm, 'three-child')
    assert.deepEqual(state.json.policy, { multipleLogins: 'not-allowed', maxConcurrent: 5, queriesThrottled: false, statusCacheSeconds: 0, logoutAllSeconds: 0 })

    assert.equal((await h.admin('PUT', 'faults', { mode: 'explode' })).status, 400)
    assert.equal((await h.admin('PUT', 'faults', { latencyMs: -1 })).status, 400)
    assert.deepEqual((await h.admin('PUT', 'faults', { faultOn: 'logins' })).json, { error: 'faultOn must be one of all, queries' })
    assert.equal((await h.admin('PUT', 'variants', { deviceForm: 'one-child' })).status, 400)
    assert.equal((await h.admin('PUT', 'policy', { maxConcurrent: 0 })).status, 400)
    assert.equal((await h.admin('GET', 'nothing')).status, 404)
    assert.deepEqual((await h.admin('PUT', 'faults', { mode: 'explode' })).json, { error: 'mode must be one of none, http-503, http-504, reset, reset-after, hang, malformed, empty, huge, endless, trickle, failure' })
    assert.deepEqual((await h.admin('PUT', 'policy', { maxConcurrent: 3 })).json, { multipleLogins: 'not-allowed', maxConcurrent: 3, queriesThrottled: false, statusCacheSeconds: 0, logoutAllSeconds: 0 })
    assert.deepEqual((await h.admin('PUT', 'policy', { queriesThrottled: 'yes' })).json, { error: 'queriesThrottled must be a boolean' })
    assert.equal(h.sim.maxConcurrent, 3)

    const reset = await h.admin('POST', 'reset')
    assert.equal(reset.json.counts.loggedIn, 150)
    assert.equal(reset.json.stats.requests, 0)
    assert.equal(reset.json.policy.maxConcurrent, 5)
    assert.equal(h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER)
  })
})

describe('simulator reset', () => {
  test('logs a session ended or changed since the start in again as long ago as it was at the start, a new login time as a new login in CUCM has; one untouched is kept as it is', async () => {
    let now = Date.now()
    const h = await startHarness({ now: () => now })
    try {
      const atStart = h.sim.state.snapshot().devices.filter((d) => d.currentUser !== null).map((d) => ({ ...d }))
      const limited = atStart.find((d) => d.autoLogoutAt !== null && d.name !== SEED_OCCUPIED_DEVICE)
      assert.ok(limited !== undefined, 'the seed has sessions with a maximum duration')
      for (const device of [SEED_OCCUPIED_DEVICE, limited.name]) assert.equal(outcomeOf((await h.post(buildLogout(h.sim.credentials, device))).body), 'success')
      now += 3_600_000
      h.sim.reset()
      const after = new Map(h.sim.state.snapshot().devices.map((d) => [d.name, d]))
      for (const device of atStart) {
        const again = after.get(device.name)
        const moved: number = device.name === SEED_OCCUPIED_DEVICE || device.name === limited.name ? 3_600_000 : 0
        assert.deepEqual([again?.currentUser, again?.loginTime, again?.autoLogoutAt], [device.currentUser, (device.loginTime ?? 0) + moved, device.autoLogoutAt === null ? null : device.autoLogoutAt + moved], device.name)
      }
      // Untouched since, the session logged in again is kept by the next reset.
      const relogged = h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.loginTime
      now += 3_600_000
      h.sim.reset()
      assert.equal(h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.loginTime, relogged)
      // Ended and begun again by the same user since: changed too, not the session the last reset left.
      assert.equal(outcomeOf((await h.post(buildLogout(h.sim.credentials, SEED_OCCUPIED_DEVICE))).body), 'success')
      now += 60_000
      assert.equal(outcomeOf((await h.post(buildLogin(h.sim.credentials, { deviceName: SEED_OCCUPIED_DEVICE, userId: SEED_USER }))).body), 'success')
      now += 3_600_000
      h.sim.reset()
      const first = atStart.find((d) => d.name === SEED_OCCUPIED_DEVICE)
      assert.deepEqual([h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.loginTime], [SEED_USER, (first?.loginTime ?? 0) + 3 * 3_600_000 + 60_000])
    } finally {
      await h.close()
    }
  })
})

describe('simulator app user without proxy rights', () => {
  test('answers 10 to requests and queries', async () => {
    const h = await startHarness({ proxyRights: false })
    try {
      const creds = h.sim.credentials
      assert.equal(outcomeOf((await h.post(buildLogout(creds, SEED_OCCUPIED_DEVICE))).body), 10)
      assert.equal(outcomeOf((await h.post(buildLogin(creds, { deviceName: SEED_EMPTY_DEVICE, userId: SEED_FREE_USER }))).body), 10)
      const res = await h.post(buildDeviceUserQuery(creds, [SEED_OCCUPIED_DEVICE]))
      assert.equal(queryCode(() => parseDeviceUserResponse(res.body, [SEED_OCCUPIED_DEVICE])), 10)
    } finally {
      await h.close()
    }
  })
})

describe('simulator exclusiveDuration', () => {
  test('logs the user out when the minutes run out, checked on access', async () => {
    let clock = Date.UTC(2026, 10, 1, 9, 0)
    const h = await startHarness({ now: () => clock, expiryCheckMs: 60_000 })
    try {
      const creds = h.sim.credentials
      const login = buildLogin(creds, { deviceName: SEED_EMPTY_DEVICE, userId: SEED_FREE_USER, exclusiveDuration: { minutes: 30 } })
      assert.equal(outcomeOf((await h.post(login)).body), 'success')
      assert.equal(h.sim.state.getDevice(SEED_EMPTY_DEVICE)?.autoLogoutAt, clock + 30 * 60_000)
      clock += 29 * 60_000
      assert.deepEqual(parseUserDevicesResponse((await h.post(buildUserDevicesQuery(creds, [SEED_FREE_USER]))).body, [SEED_FREE_USER])[0]?.devices, [SEED_EMPTY_DEVICE])
      clock += 60_000
      const [device] = parseDeviceUserResponse((await h.post(buildDeviceUserQuery(creds, [SEED_EMPTY_DEVICE]))).body, [SEED_EMPTY_DEVICE])
      assert.equal(device?.currentUser, null)
      assert.equal(device?.lastUser, SEED_FREE_USER)
      assert.equal(outcomeOf((await h.post(buildLogout(creds, SEED_EMPTY_DEVICE))).body), 19)
    } finally {
      await h.close()
    }
  })

  test('an indefinite login never expires; the timer ends timed logins without any access', async () => {
    let clock = Date.UTC(2026, 10, 1, 9, 0)
    const h = await startHarness({ now: () => clock, expiryCheckMs: 10 })
    try {
      const creds = h.sim.credentials
      assert.equal(outcomeOf((await h.post(buildLogin(creds, { deviceName: SEED_EMPTY_DEVICE, userId: SEED_FREE_USER, exclusiveDuration: 'indefinite' }))).body), 'success')
      h.sim.state.multipleLogins = 'allowed'
      assert.equal(outcomeOf((await h.post(buildLogout(creds, SEED_EMAIL_USER_DEVICE))).body), 'success')
      assert.equal(outcomeOf((await h.post(buildLogin(creds, { deviceName: SEED_EMAIL_USER_DEVICE, userId: SEED_USER, exclusiveDuration: { minutes: 5 } }))).body), 'success')
      // Live references to the records: they change only if the timer runs, since nothing reads the state.
      const timed = h.sim.state.getDevice(SEED_EMAIL_USER_DEVICE)
      const indefinite = h.sim.state.getDevice(SEED_EMPTY_DEVICE)
      clock += 7 * 24 * 60 * 60_000
      await eventually(() => timed?.currentUser === null ? true : undefined, 10_000)
      assert.equal(timed?.lastUser, SEED_USER)
      assert.equal(indefinite?.currentUser, SEED_FREE_USER)
    } finally {
      await h.close()
    }
  })
})
