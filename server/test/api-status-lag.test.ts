import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { SEED_EMPTY_DEVICE, SEED_FREE_USER, SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { openStore } from '../src/store/store.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

// CUCM's lag (PROTOCOL.md §5), as a stand-in may model it: EM's status cache 3 s, a logout-all's drop over 5 s.
// The simulator's clock stands still, so the lag lasts until a test ends it: on the clock of the
// wall, a busy machine took longer than that between a change and its look-up (CUCM caught up).
let t: TestApp
const simulatorNow = Date.now()

before(async () => {
  t = await buildTestApp({ env: { CUCM_CLUSTER_NAME: 'Head office' }, simulator: { statusCacheSeconds: 3, logoutAllSeconds: 5, now: () => simulatorNow } })
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
    assert.match(listed.mayLag ?? '', /^EM Console logged out every user of cluster Head office at .+ UTC; CUCM may take a few minutes to drop them all/, 'named as the dashboard names it')
  })

  test('after a user is logged out everywhere, the user\'s look-up that still lists a phone says the status may lag, as the phone\'s does', async () => {
    type Located = Array<{ deviceName: string, cluster: string, mayLag?: string }>
    const located = async (): Promise<Located> => (await t.inject({ url: `/api/users/${SEED_USER}/devices` })).json().located
    assert.deepEqual((await located()).map((d) => d.deviceName), [SEED_OCCUPIED_DEVICE])
    const logout = await t.inject({ method: 'POST', url: `/api/users/${SEED_USER.toUpperCase()}/logout` })
    assert.deepEqual(logout.json().results.map((r: { outcome: string }) => r.outcome), ['success'])
    const [still] = await located()
    assert.equal(still?.deviceName, SEED_OCCUPIED_DEVICE, 'the simulator answers from its cache')
    assert.match(still?.mayLag ?? '', new RegExp(`^EM Console logged ${SEED_USER} out of ${SEED_OCCUPIED_DEVICE} at .+ UTC\\. CUCM's Extension Mobility status can lag a change by about two minutes: look it up again in a minute or two\\.$`))
    t.sim.state.setLag({ statusCacheSeconds: 0 })
    assert.deepEqual(await located(), [])
  })
})

test('a look-up asks the audit trail of each device only while a change on its cluster is younger than the lag; another process\'s change counts too', async () => {
  const app = await buildTestApp()
  const cli = openStore({ path: app.databasePath })
  try {
    const asked = { devices: 0, clusters: 0 }
    const { lastChange, lastChangeOn } = app.store.changes
    app.store.changes.lastChange = (...args) => { asked.devices++; return lastChange(...args) }
    app.store.changes.lastChangeOn = (...args) => { asked.clusters++; return lastChangeOn(...args) }
    const occupied = app.sim.state.snapshot().devices.filter((d) => d.currentUser !== null)
    assert.ok(occupied.length >= 2)
    const lookUp = async (): Promise<Array<{ deviceName: string, mayLag: string | null }>> => {
      const res = await app.inject({ method: 'POST', url: '/api/devices/status', payload: { names: occupied.map((d) => d.name) } })
      assert.equal(res.statusCode, 200, res.body)
      return res.json().devices
    }

    assert.deepEqual((await lookUp()).map((d) => d.mayLag), occupied.map(() => null))
    assert.deepEqual(asked, { devices: 0, clusters: 1 }, 'nothing changed lately: one question for the cluster, none per device')
    await lookUp()
    assert.deepEqual(asked, { devices: 0, clusters: 1 }, 'its answer is kept while nothing changes')

    // What a CLI logout records, through its own connection (CUCM's status still shows the user).
    const first = occupied[0] as (typeof occupied)[number]
    const id = await cli.write((w) => w.audit.insertPending({ actor: 'cli', trigger: 'cli', action: 'logout', devices: [first.name], userId: first.currentUser ?? '', cluster: 'default' }), 'cli pending')
    await cli.write((w) => { w.audit.finish(id, { outcome: 'success', message: 'Logged out' }) }, 'cli finished')
    const after = await lookUp()
    assert.match(after[0]?.mayLag ?? '', new RegExp(`^EM Console logged ${first.currentUser} out of ${first.name} at `))
    assert.deepEqual(after.slice(1).map((d) => d.mayLag), occupied.slice(1).map(() => null))
    assert.deepEqual(asked, { devices: occupied.length, clusters: 2 }, 'a change lately: asked again, then per device')
  } finally {
    await cli.close()
    await app.close()
  }
})
