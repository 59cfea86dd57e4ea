import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import type { DeviceReport } from '@em-console/shared/schemas'
import { SEED_EMPTY_DEVICE, SEED_EM_DISABLED_DEVICE, SEED_FREE_USER, SEED_OCCUPIED_DEVICE } from '../src/simulator/seed.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

let t: TestApp

before(async () => { t = await buildTestApp() })
after(async () => await t.close())

const FACTS = ['emEnabled', 'loginTime', 'profile', 'devicePool', 'model']

async function one (name: string): Promise<DeviceReport> {
  const res = await t.inject({ url: `/api/devices/${name}` })
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

async function listed (names: string[]): Promise<{ get: DeviceReport[], post: DeviceReport[] }> {
  const get = await t.inject({ url: `/api/devices/status?names=${names.join(',')}` })
  const post = await t.inject({ method: 'POST', url: '/api/devices/status', payload: { names } })
  assert.equal(get.statusCode, 200, get.body)
  assert.equal(post.statusCode, 200, post.body)
  return { get: get.json().devices, post: post.json().devices }
}

describe('device status answers say whether Extension Mobility is enabled', () => {
  beforeEach(() => { t.sim.reset() })

  test('every answer carries the facts, null when unknown', async () => {
    const report = await one(SEED_EM_DISABLED_DEVICE)
    for (const key of FACTS) assert.ok(key in report, `${key} is in the answer`)
    assert.deepEqual(FACTS.map((key) => report[key as keyof DeviceReport]), [null, null, null, null, null], 'the look-up alone does not tell')
    assert.equal((await one('SEPFFFFFFFFFFFF')).emEnabled, null, 'nothing is known of an unknown device')
    assert.equal((await one(SEED_OCCUPIED_DEVICE)).emEnabled, true, 'someone logged in through EM: it is enabled')
  })

  test('CUCM answering code 22 to a login marks the phone disabled in every device route', async () => {
    const login = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EM_DISABLED_DEVICE.toLowerCase()}/login`, payload: { userId: SEED_FREE_USER } })
    assert.equal(login.json().error.emapiCode, 22)
    assert.equal((await one(SEED_EM_DISABLED_DEVICE)).emEnabled, false)
    const { get, post } = await listed([SEED_EMPTY_DEVICE, SEED_EM_DISABLED_DEVICE])
    for (const devices of [get, post]) {
      assert.deepEqual(devices.map((d) => [d.deviceName, d.emEnabled]), [[SEED_EMPTY_DEVICE, null], [SEED_EM_DISABLED_DEVICE, false]])
    }
  })

  test('a logout that found nobody (code 19) says EM works; a later success clears an old code 22', async () => {
    const logout = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/logout` })
    assert.equal(logout.json().outcome, 'already-logged-out')
    assert.equal((await one(SEED_EMPTY_DEVICE)).emEnabled, true)

    assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${SEED_EM_DISABLED_DEVICE}/logout` })).json().error.emapiCode, 22)
    assert.equal((await one(SEED_EM_DISABLED_DEVICE)).emEnabled, false)
    // An admin enables EM on the phone in CUCM; the next login through EM Console succeeds.
    const device = t.sim.state.getDevice(SEED_EM_DISABLED_DEVICE) as { emEnabled: boolean }
    device.emEnabled = true
    try {
      assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${SEED_EM_DISABLED_DEVICE}/login`, payload: { userId: SEED_FREE_USER } })).statusCode, 200)
      assert.equal((await one(SEED_EM_DISABLED_DEVICE)).emEnabled, true)
      assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${SEED_EM_DISABLED_DEVICE}/logout` })).json().outcome, 'success')
      assert.equal((await one(SEED_EM_DISABLED_DEVICE)).emEnabled, true, 'still known after the user left')
    } finally {
      device.emEnabled = false
    }
  })

  test('other failures (an unknown user: 23) say nothing of EM', async () => {
    await t.inject({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/logout` })
    const failed = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: 'nobody-by-this-name' } })
    assert.equal(failed.json().error.emapiCode, 23)
    assert.equal((await one(SEED_EMPTY_DEVICE)).emEnabled, true, 'the earlier code 19 still tells')
  })
})
