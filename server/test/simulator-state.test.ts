import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { buildDeviceUserQuery, buildLogin, parseActionResponse, parseDeviceUserResponse } from '@em-console/shared/emapi'
import {
  SEED_EM_DISABLED_DEVICE, SEED_EMAIL_USER, SEED_EMPTY_DEVICE, SEED_FREE_USER, SEED_NON_ASCII_USER, SEED_OCCUPIED_DEVICE,
  SEED_USER, loadScenario, loadScenarioFile, seedScenario
} from '../src/simulator/seed.js'
import { SimulatorState } from '../src/simulator/state.js'
import { startHarness } from './fixtures/simulator/harness.js'

const SMALL_SCENARIO = fileURLToPath(new URL('./fixtures/simulator/small-scenario.json', import.meta.url))

describe('simulator seed', () => {
  const now = Date.UTC(2026, 10, 1, 8, 0)
  const scenario = seedScenario({ now })

  test('is deterministic: the same seed gives the same site', () => {
    assert.deepEqual(seedScenario({ now }), scenario)
    assert.notDeepEqual(seedScenario({ now, seed: 7 }), scenario)
  })

  test('a realistic site: 500 phones, 400 users, 150 logins, profiles with one default each', () => {
    const state = new SimulatorState(scenario, { now: () => now })
    assert.deepEqual(state.counts(), { appUsers: 0, users: 400, profiles: scenario.profiles.length, devices: 500, loggedIn: 150, emDisabled: state.counts().emDisabled })
    assert.ok(state.counts().emDisabled >= 10)
    const names = scenario.devices.map((d) => d.name)
    assert.equal(new Set(names.map((n) => n.toLowerCase())).size, 500)
    assert.ok(names.filter((n) => /^SEP[0-9A-F]{12}$/.test(n)).length >= 470)
    for (const prefix of ['CSF', 'TCT', 'BOT']) assert.ok(names.some((n) => n.startsWith(prefix)), prefix)
    assert.ok(names.every((n) => /^(SEP[0-9A-F]{12}|(CSF|TCT|BOT)[A-Z0-9]+)$/.test(n)))
    assert.ok(scenario.users.filter((u) => u.includes('@')).length >= 20)
    assert.ok(scenario.users.filter((u) => /[^\p{ASCII}]/u.test(u)).length >= 5)
    assert.ok(scenario.devices.filter((d) => d.lastUser != null).length > 100)
    for (const user of scenario.users) {
      const owned = scenario.profiles.filter((p) => p.owners.includes(user))
      assert.ok(owned.length === 1 || owned.length === 2, user)
      assert.equal(owned.filter((p) => p.isDefault === true).length, 1, user)
    }
    assert.ok(scenario.profiles.length > 440)
  })

  test('the well-known entries', () => {
    const state = new SimulatorState(scenario, { now: () => now })
    assert.equal(state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER)
    assert.equal(state.getDevice(SEED_EMPTY_DEVICE)?.currentUser, null)
    assert.equal(state.getDevice(SEED_EMPTY_DEVICE)?.lastUser, null)
    assert.equal(state.getDevice(SEED_EM_DISABLED_DEVICE)?.emEnabled, false)
    assert.deepEqual(state.userDevicesQuery([SEED_FREE_USER, SEED_NON_ASCII_USER]).map((u) => u.devices), [[], []])
    assert.equal(state.userDevicesQuery([SEED_EMAIL_USER])[0]?.devices.length, 1)
  })
})

describe('simulator state rules', () => {
  const site = {
    users: ['ann', 'ben'],
    profiles: [
      { name: 'ann-a', owners: ['ann'], isDefault: true },
      { name: 'ann-b', owners: ['ann'] },
      { name: 'ben-only', owners: ['ben'] }
    ],
    devices: [{ name: 'SEP000000000001' }, { name: 'SEP000000000002' }, { name: 'SEP000000000003' }]
  }

  test('a lone profile serves as the default; several without a default flag do not', () => {
    const state = new SimulatorState(site)
    assert.deepEqual(state.login({ deviceName: 'SEP000000000001', userId: 'ben' }), { ok: true })
    assert.equal(state.getDevice('sep000000000001')?.currentProfile, 'ben-only')
    const noDefault = new SimulatorState({ ...site, profiles: site.profiles.map((p) => ({ ...p, isDefault: false })) })
    assert.deepEqual(noDefault.login({ deviceName: 'SEP000000000001', userId: 'ann' }), { ok: false, code: 12 })
    assert.deepEqual(noDefault.login({ deviceName: 'SEP000000000001', userId: 'ann', deviceProfile: 'ann-b' }), { ok: true })
  })

  test('auto-logout ends every earlier login of the user', () => {
    const state = new SimulatorState(site, { multipleLogins: 'allowed' })
    state.login({ deviceName: 'SEP000000000001', userId: 'ann' })
    state.login({ deviceName: 'SEP000000000002', userId: 'ann' })
    state.multipleLogins = 'auto-logout'
    assert.deepEqual(state.login({ deviceName: 'SEP000000000003', userId: 'ANN' }), { ok: true })
    assert.deepEqual(state.userDevicesQuery(['ann']), [{ id: 'ann', exists: true, devices: ['SEP000000000003'] }])
    assert.deepEqual(state.deviceUserQuery(['SEP000000000001', 'SEP000000000002']).map((d) => d.lastUser), ['ann', 'ann'])
  })

  test('exclusiveDuration follows the injected clock; 0 minutes means no auto-logout', () => {
    let clock = 1_000_000
    const state = new SimulatorState(site, { now: () => clock, multipleLogins: 'allowed' })
    state.login({ deviceName: 'SEP000000000001', userId: 'ann', exclusiveMinutes: 1 })
    state.login({ deviceName: 'SEP000000000002', userId: 'ben', exclusiveMinutes: 0 })
    clock += 59_999
    assert.equal(state.expireDue(), 0)
    clock += 1
    assert.equal(state.expireDue(), 1)
    assert.deepEqual(state.deviceUserQuery(['SEP000000000001', 'SEP000000000002']).map((d) => d.currentUser), [null, 'ben'])
  })

  test('a scenario that names an unknown user is refused', () => {
    assert.throws(() => new SimulatorState({ ...site, devices: [{ name: 'SEP1', currentUser: 'carl' }] }), /unknown user carl/)
  })
})

describe('simulator custom scenario', () => {
  test('loadScenario validates the shape and names the bad key', () => {
    assert.throws(() => loadScenario('[]'), /expected an object/)
    assert.throws(() => loadScenario({ users: ['a'], profiles: [], devices: [{ name: 1 }] }), /devices\[0\]\.name/)
    assert.throws(() => loadScenario({ users: ['a'], profiles: [{ name: 'p', owners: 'a' }], devices: [] }), /profiles\[0\]\.owners/)
    assert.throws(() => loadScenario({ users: [], profiles: [], devices: [{ name: 'x', emEnabled: 'no' }] }), /devices\[0\]\.emEnabled must be a boolean/)
    assert.throws(() => loadScenario('{'), SyntaxError)
  })

  test('a scenario file drives the simulator, its app users included', async () => {
    const h = await startHarness({ scenario: loadScenarioFile(SMALL_SCENARIO), appUser: 'scenario-app', appPassword: 'Scenario-Passw0rd!' })
    try {
      const creds = h.sim.credentials
      const names = ['sepaaaaaaaaaaaa', 'SEPBBBBBBBBBBBB', 'CSFBOB']
      const res = await h.post(buildDeviceUserQuery(creds, names))
      assert.deepEqual(parseDeviceUserResponse(res.body, names).map((d) => [d.deviceName, d.currentUser, d.lastUser]), [
        ['SEPAAAAAAAAAAAA', 'alice', null],
        ['SEPBBBBBBBBBBBB', null, 'chloé'],
        ['CSFBOB', null, null]
      ])
      assert.match(res.body, /<lastlogin>chlo%C3%A9<\/lastlogin>/)
      const shared = await h.post(buildLogin(creds, { deviceName: 'SEPBBBBBBBBBBBB', userId: 'bob@example.com', deviceProfile: 'shared-lobby' }))
      assert.doesNotThrow(() => parseActionResponse(shared.body))
      const noRights = await h.post(buildLogin({ appUser: 'no-rights', appPassword: 'x' }, { deviceName: 'SEPBBBBBBBBBBBB', userId: 'chloé' }))
      assert.match(noRights.body, /<error code="10">/)
    } finally {
      await h.close()
    }
  })
})
