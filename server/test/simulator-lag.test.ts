import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'undici'
import { axlSoapAction, buildExecuteSqlQuery, parseSqlQueryResponse } from '@em-console/shared/axl'
import { buildDeviceUserQuery, buildLogoutAll, parseDeviceUserResponse } from '@em-console/shared/emapi'
import { DEFAULT_AXL_PASSWORD, DEFAULT_AXL_USER } from '../src/simulator/axl.ts'
import { startSimulator } from '../src/simulator/server.ts'
import { SimulatorState, STATUS_CACHE_MAX, type Scenario } from '../src/simulator/state.ts'
import { outcomeOf, startHarness } from './fixtures/simulator/harness.js'

/** ann on SEP01, ben on SEP02, cat on SEP03; SEP04 free. */
const SITE: Scenario = {
  users: ['ann', 'ben', 'cat', 'dan'],
  profiles: ['ann', 'ben', 'cat', 'dan'].map((u) => ({ name: `${u}-EM`, owners: [u], isDefault: true })),
  devices: [
    { name: 'SEP000000000001', currentUser: 'ann' },
    { name: 'SEP000000000002', currentUser: 'ben' },
    { name: 'SEP000000000003', currentUser: 'cat' },
    { name: 'SEP000000000004' }
  ]
}

function clocked (lag: { statusCacheSeconds?: number, logoutAllSeconds?: number }): { state: SimulatorState, tick: (ms: number) => void } {
  let clock = Date.UTC(2026, 10, 1, 8, 0)
  return { state: new SimulatorState(SITE, { now: () => clock, lag }), tick: (ms) => { clock += ms } }
}

const whoIsOn = (state: SimulatorState, device: string): string | null => state.deviceUserQuery([device])[0]?.currentUser ?? null

describe('simulator lag (PROTOCOL.md §5), off by default', () => {
  test('without it a look-up right after a change sees the change, and logoutAll drops everyone at once', () => {
    const { state } = clocked({})
    assert.deepEqual(state.lag, { statusCacheSeconds: 0, logoutAllSeconds: 0 })
    assert.equal(whoIsOn(state, 'SEP000000000001'), 'ann')
    state.logout('SEP000000000001')
    assert.equal(whoIsOn(state, 'SEP000000000001'), null)
    state.logoutAll()
    assert.equal(state.counts().loggedIn, 0)
  })

  test('status cache: a device or user read within N seconds answers as read then; unread ones, and later reads, are live', () => {
    const { state, tick } = clocked({ statusCacheSeconds: 3 })
    assert.equal(whoIsOn(state, 'SEP000000000001'), 'ann')
    assert.deepEqual(state.userDevicesQuery(['ANN'])[0]?.devices, ['SEP000000000001'])
    assert.deepEqual(state.logout('SEP000000000001'), { ok: true })
    assert.deepEqual(state.login({ deviceName: 'SEP000000000004', userId: 'dan' }), { ok: true })
    tick(2_999)
    assert.equal(whoIsOn(state, 'sep000000000001'), 'ann', 'cached per device, case-insensitively')
    assert.deepEqual(state.userDevicesQuery(['ann'])[0]?.devices, ['SEP000000000001'], 'cached per user')
    assert.equal(whoIsOn(state, 'SEP000000000004'), 'dan', 'never read before: live')
    assert.equal(state.getDevice('SEP000000000001')?.currentUser, null, 'the state itself changed at once')
    assert.deepEqual(state.login({ deviceName: 'SEP000000000001', userId: 'ann' }), { ok: true }, 'changes are judged on the live state')
    state.logout('SEP000000000001')
    tick(1)
    assert.equal(whoIsOn(state, 'SEP000000000001'), null)
    assert.deepEqual(state.userDevicesQuery(['ann'])[0]?.devices, [])
    state.setLag({ statusCacheSeconds: 0 })
    assert.equal(whoIsOn(state, 'SEP000000000004'), 'dan')
  })

  test('the status cache is bounded: names asked past STATUS_CACHE_MAX push the oldest out, and expired reads go', () => {
    const { state, tick } = clocked({ statusCacheSeconds: 3 })
    assert.equal(whoIsOn(state, 'SEP000000000001'), 'ann')
    state.logout('SEP000000000001')
    const unknown = Array.from({ length: STATUS_CACHE_MAX + 500 }, (_, i) => `SEPASKED${i}`)
    state.deviceUserQuery(unknown)
    state.userDevicesQuery(unknown)
    assert.equal(state.statusCacheSize, 2 * STATUS_CACHE_MAX)
    assert.equal(whoIsOn(state, 'SEP000000000001'), null, 'the oldest read was forgotten: live')
    tick(3_000)
    assert.equal(whoIsOn(state, 'SEP000000000002'), 'ben')
    assert.deepEqual(state.userDevicesQuery(['ben'])[0]?.devices, ['SEP000000000002'])
    assert.equal(state.statusCacheSize, 2, 'every read of 3 s ago has expired and gone')
  })

  test('logoutAll over M seconds: success at once, users drop in name order evenly, the last at M; a second call does not delay them', () => {
    const { state, tick } = clocked({ logoutAllSeconds: 6 })
    assert.deepEqual(state.logoutAll(), { ok: true })
    assert.equal(state.counts().loggedIn, 3)
    tick(1_999)
    assert.equal(state.counts().loggedIn, 3)
    tick(1)
    assert.equal(whoIsOn(state, 'SEP000000000001'), null)
    assert.equal(state.getDevice('SEP000000000001')?.lastUser, 'ann')
    assert.equal(state.counts().loggedIn, 2)
    state.logoutAll()
    tick(2_000)
    assert.equal(state.counts().loggedIn, 1)
    assert.deepEqual(state.login({ deviceName: 'SEP000000000003', userId: 'dan' }), { ok: false, code: 18 }, 'a user not yet dropped still holds the phone')
    tick(2_000)
    assert.equal(state.counts().loggedIn, 0)
    assert.deepEqual(state.logoutAll(), { ok: true })
  })
})

describe('simulator lag over HTTPS: options, policy, reset, AXL', () => {
  test('options and PUT policy set it, in words when wrong; reset restores the start; EMAPI look-ups lag, AXL follows the drop', async () => {
    let clock = Date.now()
    const h = await startHarness({ scenario: SITE, now: () => clock, expiryCheckMs: 3_600_000, statusCacheSeconds: 3, logoutAllSeconds: 5 })
    const axlCount = async (): Promise<number> => {
      const res = await request(`${h.sim.origin}/axl/`, {
        method: 'POST',
        dispatcher: h.agent,
        headers: { soapaction: axlSoapAction('14.0'), authorization: 'Basic ' + Buffer.from(`${DEFAULT_AXL_USER}:${DEFAULT_AXL_PASSWORD}`).toString('base64') },
        body: buildExecuteSqlQuery('SELECT COUNT(*) AS n FROM extensionmobilitydynamic emd WHERE emd.fkenduser IS NOT NULL', '14.0')
      })
      return Number(parseSqlQueryResponse(await res.body.text(), ['n'])[0]?.n)
    }
    const lookUp = async (): Promise<string | null> => {
      const answer = await h.post(buildDeviceUserQuery(h.sim.credentials, ['SEP000000000003']))
      return parseDeviceUserResponse(answer.body, ['SEP000000000003'])[0]?.currentUser ?? null
    }
    try {
      const policy = (await h.admin('GET', 'state')).json.policy
      assert.deepEqual([policy.statusCacheSeconds, policy.logoutAllSeconds], [3, 5])
      assert.equal(await lookUp(), 'cat')
      assert.equal(outcomeOf((await h.post(buildLogoutAll(h.sim.credentials))).body), 'success')
      assert.equal(await axlCount(), 3, 'nobody dropped yet')
      clock += 4_000
      assert.equal(await axlCount(), 1, "AXL's database follows the drop: cat's phone, last by name, drops at 5 s")
      assert.equal(await lookUp(), 'cat')
      clock += 1_000
      assert.equal(await axlCount(), 0)
      assert.equal(await lookUp(), 'cat', 'EM still answers from its cache, read 1 s ago')
      clock += 2_000
      assert.equal(await lookUp(), null)

      assert.deepEqual((await h.admin('PUT', 'policy', { statusCacheSeconds: -1 })).json, { error: 'statusCacheSeconds must be a non-negative integer' })
      assert.deepEqual((await h.admin('PUT', 'policy', { logoutAllSeconds: '5' })).json, { error: 'logoutAllSeconds must be a non-negative integer' })
      const put = (await h.admin('PUT', 'policy', { statusCacheSeconds: 0, logoutAllSeconds: 0 })).json
      assert.deepEqual([put.statusCacheSeconds, put.logoutAllSeconds], [0, 0])
      assert.deepEqual(h.sim.state.lag, { statusCacheSeconds: 0, logoutAllSeconds: 0 })
      const reset = (await h.admin('POST', 'reset')).json.policy
      assert.deepEqual([reset.statusCacheSeconds, reset.logoutAllSeconds], [3, 5])
    } finally {
      await h.close()
    }
    await assert.rejects(startSimulator({ statusCacheSeconds: 1.5 }), /statusCacheSeconds must be a non-negative integer/)
  })

  test('npm run simulator: --status-cache-seconds and --logout-all-seconds are listed; a bad value says which, and exits 2', () => {
    const main = fileURLToPath(new URL('../dist/simulator/main.js', import.meta.url))
    const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8', timeout: 30_000 })
    assert.match(help.stdout, /--status-cache-seconds N\] \[--logout-all-seconds M\]/)
    assert.match(help.stdout, /SIMULATOR_STATUS_CACHE_SECONDS, SIMULATOR_LOGOUT_ALL_SECONDS/)
    const wrong = spawnSync(process.execPath, [main, '--logout-all-seconds', 'soon'], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(wrong.status, 2)
    assert.match(wrong.stderr, /Invalid logout-all drop \(--logout-all-seconds\) "soon": expected a whole number\./)
  })
})
