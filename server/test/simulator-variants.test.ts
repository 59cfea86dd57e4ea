/**
 * Every variant PROTOCOL.md names, produced by the simulator and read by the real client over
 * HTTPS: "the client is tolerant of every variant named; the simulator can produce each"
 * (../../shared/emapi/PROTOCOL.md).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { describeEmapiCode, EmapiFailureError } from '@em-console/shared/emapi'
import { createEmapiClient, type EmapiClient } from '../src/emapi/client.ts'
import { SEED_EMPTY_DEVICE, SEED_OCCUPIED_DEVICE } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'

let sim: Simulator
let client: EmapiClient

async function failure (promise: Promise<unknown>): Promise<EmapiFailureError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  assert.ok(error instanceof EmapiFailureError, `expected an EMAPI failure, got ${String(error)}`)
  return error
}

before(async () => {
  sim = await startSimulator()
  client = createEmapiClient({ host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, ca: sim.caPem, timeoutMs: 10_000 })
})

beforeEach(() => sim.reset())

after(async () => {
  await client.close()
  await sim.close()
})

describe('EMAPI error codes (PROTOCOL.md §4)', () => {
  test('every code the table names can be answered, to a change and to a look-up, in both failure forms; the client reads its number and meaning', async () => {
    // Those the simulated rules never reach on their own: untrusted IP, proxy, database, RIS, EMCC…
    for (const code of [0, 4, 5, 6, 7, 9, 20, 21, 27, 28, 29, 30, 31, 40, 47]) {
      sim.setFaults({ mode: 'failure', failureCode: code })
      const login = await failure(client.login({ deviceName: SEED_EMPTY_DEVICE, userId: 'asmith' }))
      assert.equal(login.emapiCode, code)
      assert.deepEqual(login.info, describeEmapiCode(code))
      assert.equal((await failure(client.deviceUserQuery([SEED_OCCUPIED_DEVICE]))).emapiCode, code)
    }
    sim.setVariants({ failureForm: 'errorMessage' })
    sim.setFaults({ mode: 'failure', failureCode: 28 })
    assert.equal((await failure(client.logout(SEED_OCCUPIED_DEVICE))).emapiCode, 0, 'the DTD form carries no code')
    assert.equal(sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, 'jdoe', 'a failure changes nothing')
  })

  test('the failure mode obeys faultTimes and faultOn like every mode', async () => {
    sim.setFaults({ mode: 'failure', failureCode: 30, faultOn: 'queries', faultTimes: 1 })
    await client.logout(SEED_OCCUPIED_DEVICE)
    assert.equal((await failure(client.deviceUserQuery([SEED_OCCUPIED_DEVICE]))).emapiCode, 30)
    const [device] = (await client.deviceUserQuery([SEED_OCCUPIED_DEVICE])).value
    assert.equal(device?.currentUser, null)
    assert.equal(sim.faults.mode, 'none')
  })
})

describe('answer shapes (PROTOCOL.md §1, §3)', () => {
  test('action answers without the prologue, as query answers come: the client reads both', async () => {
    sim.setVariants({ actionPrologue: false })
    const logout = await client.logout(SEED_OCCUPIED_DEVICE)
    assert.match(logout.responseBody, /^<response>\n<success\/>/)
    await client.login({ deviceName: SEED_EMPTY_DEVICE, userId: 'asmith' })
    assert.match((await failure(client.logout('SEP0000000000FF'))).responseBody ?? '', /^<response>\n<failure>/)
    assert.match((await client.logoutAll()).responseBody, /^<response>/)
    sim.setVariants({ queryPrologue: true })
    assert.match((await client.deviceUserQuery([SEED_OCCUPIED_DEVICE])).responseBody, /^<\?xml version="1.0"\?>\n<response>/)
  })

  test('every element on a line of its own, indented, CRLF line ends, after leading whitespace: the client reads every answer as the compact one', async () => {
    sim.setVariants({ indented: true, queryPrologue: true, leadingWhitespace: true })
    const who = await client.deviceUserQuery([SEED_OCCUPIED_DEVICE, SEED_EMPTY_DEVICE, 'SEP0000000000FF'])
    assert.match(who.responseBody, /\r\n {4}<device name="SEP001122334455">\r\n {6}<userID>jdoe<\/userID>\r\n {6}<(?:none\/|lastlogin>[^<]*<\/lastlogin)>\r\n {6}<emccDevice>no<\/emccDevice>\r\n {4}<\/device>\r\n/)
    assert.deepEqual(who.value.map((d) => [d.deviceName, d.exists, d.currentUser, d.emcc]), [[SEED_OCCUPIED_DEVICE, true, 'jdoe', false], [SEED_EMPTY_DEVICE, true, null, false], ['SEP0000000000FF', false, null, null]])
    const where = await client.userDevicesQuery(['jdoe', 'asmith', 'nobody-here'])
    assert.deepEqual(where.value.map((u) => [u.userId, u.exists, u.devices]), [['jdoe', true, [SEED_OCCUPIED_DEVICE]], ['asmith', true, []], ['nobody-here', false, []]])
    const [profiles] = (await client.deviceProfileQuery(['jdoe'])).value
    assert.ok(profiles !== undefined && profiles.profiles.length > 0 && profiles.profiles.every((p) => p.name.trim() === p.name && p.name !== ''), JSON.stringify(profiles))
    assert.equal(profiles.profiles.filter((p) => p.isDefault).length, 1)
    await client.logout(SEED_OCCUPIED_DEVICE)
    const refused = await failure(client.logout(SEED_OCCUPIED_DEVICE))
    assert.equal(refused.emapiCode, 19)
    assert.match(refused.responseBody ?? '', /\r\n {2}<failure>\r\n {4}<error code="19">/)
    await client.logoutAll()
  })

  test('results in another order than asked are matched by name, in all three queries', async () => {
    sim.setVariants({ resultOrder: 'reversed' })
    const devices = [SEED_OCCUPIED_DEVICE, SEED_EMPTY_DEVICE, 'SEP0000000000FF']
    const who = await client.deviceUserQuery(devices)
    assert.deepEqual([...who.responseBody.matchAll(/<device name="([^"]+)"/g)].map((m) => m[1]), devices.toReversed())
    assert.deepEqual(who.value.map((d) => [d.deviceName, d.exists, d.currentUser]), [[SEED_OCCUPIED_DEVICE, true, 'jdoe'], [SEED_EMPTY_DEVICE, true, null], ['SEP0000000000FF', false, null]])

    const users = ['jdoe', 'asmith', 'nobody-here']
    const where = await client.userDevicesQuery(users)
    assert.deepEqual([...where.responseBody.matchAll(/<user id="([^"]+)"/g)].map((m) => m[1]), users.toReversed())
    assert.deepEqual(where.value.map((u) => [u.userId, u.exists, u.devices]), [['jdoe', true, [SEED_OCCUPIED_DEVICE]], ['asmith', true, []], ['nobody-here', false, []]])
    const profiles = await client.deviceProfileQuery(['jdoe', 'asmith'])
    assert.deepEqual(profiles.value.map((u) => [u.userId, u.profiles.some((p) => p.isDefault)]), [['jdoe', true], ['asmith', true]])
    assert.ok(profiles.responseBody.indexOf('"asmith"') < profiles.responseBody.indexOf('"jdoe"'))
  })

  test('<emccDevice>yes</emccDevice> reads as an EMCC device; no as not; the two-child form as unknown', async () => {
    sim.setVariants({ emccDevice: 'yes' })
    const [yes] = (await client.deviceUserQuery([SEED_OCCUPIED_DEVICE])).value
    assert.equal(yes?.emcc, true)
    sim.setVariants({ emccDevice: 'no' })
    assert.equal((await client.deviceUserQuery([SEED_OCCUPIED_DEVICE])).value[0]?.emcc, false)
    sim.setVariants({ deviceForm: 'two-child' })
    assert.equal((await client.deviceUserQuery([SEED_OCCUPIED_DEVICE])).value[0]?.emcc, null)
  })
})

describe('the bytes of answers (PROTOCOL.md §1: the charset is not documented)', () => {
  test('an answer in ISO-8859-1 that says so in its header only, as a Java servlet writes it: profile names and unencoded user IDs read as they are', async () => {
    sim.state.load({
      users: ['m\u00fcller', 'jos\u00e9'],
      profiles: [{ name: 'M\u00fcller B\u00fcro', owners: ['m\u00fcller'], isDefault: true }, { name: 'jos\u00e9-udp', owners: ['jos\u00e9'], isDefault: true }],
      devices: [{ name: SEED_OCCUPIED_DEVICE, currentUser: 'jos\u00e9', lastUser: 'm\u00fcller' }, { name: SEED_EMPTY_DEVICE }],
      appUsers: [{ id: sim.credentials.appUser, password: sim.credentials.appPassword }]
    })
    sim.setVariants({ bodyCharset: 'iso-8859-1', contentType: 'text/xml;charset=ISO-8859-1', userIdEncoding: 'none' })
    const [device] = (await client.deviceUserQuery([SEED_OCCUPIED_DEVICE])).value
    assert.deepEqual([device?.currentUser, device?.lastUser], ['jos\u00e9', 'm\u00fcller'])
    const [user] = (await client.deviceProfileQuery(['m\u00fcller'])).value
    assert.deepEqual([user?.exists, user?.profiles.map((p) => p.name)], [true, ['M\u00fcller B\u00fcro']])
    // The profile as read is the one CUCM takes back in a login.
    await client.login({ deviceName: SEED_EMPTY_DEVICE, userId: 'm\u00fcller', deviceProfile: user?.profiles[0]?.name ?? '' })
    assert.equal(sim.state.getDevice(SEED_EMPTY_DEVICE)?.currentUser, 'm\u00fcller')
  })
})

describe('user IDs in answers, whatever the encoder (PROTOCOL.md §3)', () => {
  // 'jo+anne smith': a CUCM that does not encode sends its + as is, beside the space no encoder writes.
  const users = ['em@cisco.com', 'mary ann', 'josé.garcía', "o'brien&co", '100%', 'jo+anne smith']
  const devices = users.map((_, i) => `SEP0000000000A${i}`)

  beforeEach(() => {
    sim.state.load({
      users,
      profiles: users.map((u, i) => ({ name: `profile-${i}`, owners: [u], isDefault: true })),
      devices: devices.map((name, i) => ({ name, currentUser: users[i], lastUser: users[(i + 1) % users.length] })),
      appUsers: [{ id: sim.credentials.appUser, password: sim.credentials.appPassword }]
    })
  })

  for (const [encoding, sample] of [['java', 'mary+ann'], ['uri', 'jos%c3%a9.garc%c3%ada'], ['none', 'o&apos;brien&amp;co']] as const) {
    test(`${encoding}: who is on each device, the last user, and each user's devices come back as they are`, async () => {
      sim.setVariants({ userIdEncoding: encoding })
      const who = await client.deviceUserQuery(devices)
      assert.ok(who.responseBody.includes(sample), `the answer holds ${sample}`)
      assert.deepEqual(who.value.map((d) => [d.currentUser, d.lastUser]), users.map((u, i) => [u, users[(i + 1) % users.length]]))
      const where = await client.userDevicesQuery(users)
      assert.deepEqual(where.value.map((u) => [u.userId, u.exists, u.devices]), users.map((u, i) => [u, true, [devices[i]]]))
    })
  }
})
