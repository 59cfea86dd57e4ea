import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { SEED_EMPTY_DEVICE, SEED_FREE_USER, SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

// CUCM's lag (PROTOCOL.md §5), as a stand-in may model it: EM's status cache 3 s, a logout-all's drop over 5 s.
let t: TestApp

before(async () => {
  t = await buildTestApp({ simulator: { statusCacheSeconds: 3, logoutAllSeconds: 5 } })
})

beforeEach(() => t.sim.reset())

after(async () => {
  await t.close()
})

const device = async (name: string): Promise<{ currentUser: string | null, mayLag: string | null }> => (await t.inject({ url: `/api/devices/${name}` })).json()

describe('a look-up right after a change, with CUCM lagging', () => {
  test('after a logout CUCM carried out, a look-up that still shows the user says the status may lag; one that agrees says nothing', async () => {
    assert.equal((await device(SEED_OCCUPIED_DEVICE)).mayLag, null)
    const logout = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
    assert.equal(logout.json().outcome, 'success')
    const after = await device(SEED_OCCUPIED_DEVICE)
    assert.equal(after.currentUser, SEED_USER, 'the simulator answers from its cache')
    assert.match(after.mayLag ?? '', new RegExp(`^EM Console logged ${SEED_USER} out of ${SEED_OCCUPIED_DEVICE} at .+ UTC\\. CUCM's Extension Mobility status can lag a change by about two minutes: look it up again in a minute or two\\.$`))
    t.sim.state.setLag({ statusCacheSeconds: 0 })
    assert.deepEqual(await device(SEED_OCCUPIED_DEVICE), { ...await device(SEED_OCCUPIED_DEVICE), currentUser: null, mayLag: null })
  })

  test('after a login, a look-up that shows the phone empty says so; after a logout-all, a phone still listed says so', async () => {
    assert.equal((await device(SEED_EMPTY_DEVICE)).currentUser, null)
    assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: SEED_FREE_USER } })).json().outcome, 'success')
    assert.match((await device(SEED_EMPTY_DEVICE)).mayLag ?? '', new RegExp(`^EM Console logged ${SEED_FREE_USER} in on ${SEED_EMPTY_DEVICE} at `))

    // The simulator drops users in device name order: the last one stays on for the 5 s.
    const lastDropped = t.sim.state.snapshot().devices.filter((d) => d.currentUser !== null).map((d) => d.name).sort().at(-1) ?? ''
    const all = await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } })
    assert.equal(all.json().outcome, 'success')
    const listed = await device(lastDropped)
    assert.notEqual(listed.currentUser, null, 'not dropped yet')
    assert.match(listed.mayLag ?? '', /^EM Console logged out every user of cluster default at .+ UTC; CUCM may take a few minutes to drop them all/)
  })
})
