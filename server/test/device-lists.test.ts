import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import type { Preview, Settings } from '@em-console/shared/schemas'
import { bulkDeviceName, bulkScenario } from '../src/simulator/bulk-scenario.ts'
import { buildTestApp, receivedOf, type TestApp } from './helpers/app.ts'

const devices = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => bulkDeviceName(from + i))
const NO_EXEMPTIONS = { devices: [], users: [] }

let t: TestApp

before(async () => { t = await buildTestApp({ simulator: { scenario: bulkScenario(8) } }) })
after(async () => await t.close())

async function settings (): Promise<Settings> {
  const res = await t.inject('/api/settings')
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

async function put (payload: object) {
  return await t.inject({ method: 'PUT', url: '/api/settings', payload })
}

async function preview (payload: object) {
  return await t.inject({ method: 'POST', url: '/api/runs/preview', payload })
}

const WARD_A = { name: 'Ward A', devices: devices(2) }
const WARD_B = { name: 'Ward B', devices: devices(3, 4) }

describe('several named device lists in Settings', () => {
  test('the one saved list of an older version reads as the list "Saved list"', async () => {
    await t.store.write((w) => { w.settings.set('bulk_settings', JSON.stringify({ exemptions: { devices: ['SEP1'], users: [] }, logoutDeviceList: devices(2) })) }, 'old settings')
    const read = await settings()
    assert.deepEqual(read.deviceLists, [{ name: 'Saved list', devices: devices(2) }])
    assert.deepEqual(read.logoutDeviceList, devices(2), 'older clients still read the first list')
    assert.deepEqual(read.exemptions.devices, ['SEP1'])
    const saved = await preview({ action: 'logout', savedList: true })
    assert.deepEqual((saved.json() as Preview).items.map((i) => i.device), devices(2), 'savedList: true runs the first list')
  })

  test('a preview of a list names it, so the run started from it is of that list, whatever is first by then', async () => {
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A, WARD_B] })
    const first = (await preview({ action: 'logout', savedList: true })).json() as Preview
    assert.equal(first.list, 'Ward A')
    assert.equal(((await preview({ action: 'logout', list: 'ward b' })).json() as Preview).list, 'Ward B', 'as Settings spells it')
    assert.equal(((await preview({ action: 'logout', devices: devices(1) })).json() as Preview).list, undefined)
  })

  test('PUT keeps several lists; names are unique, case-insensitively, and said in words', async () => {
    const res = await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A, WARD_B] })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual((await settings()).deviceLists, [WARD_A, WARD_B])
    const twice = await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A, { ...WARD_B, name: 'ward a' }] })
    assert.equal(twice.statusCode, 400)
    assert.equal(twice.json().error.field, 'deviceLists.1.name')
    const bad = await put({ exemptions: NO_EXEMPTIONS, deviceLists: [{ name: 'Ward <B>', devices: [] }] })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().error.field, 'deviceLists.0.name')
    assert.match(bad.json().error.message, /^List name \(body field "deviceLists\.0\.name"\): letters, digits, space/)
    assert.deepEqual((await settings()).deviceLists, [WARD_A, WARD_B], 'a refused PUT changed nothing')
    const [row] = t.audit.page({ action: 'settings-update' }, 1).items
    assert.match(row?.message ?? '', /device lists "Ward A" \(2\), "Ward B" \(3\)/)
  })

  test('an older client\'s logoutDeviceList alone replaces the first list, and keeps the others', async () => {
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A, WARD_B] })
    assert.equal((await put({ exemptions: NO_EXEMPTIONS, logoutDeviceList: devices(1, 7) })).statusCode, 200)
    assert.deepEqual((await settings()).deviceLists, [{ name: 'Ward A', devices: devices(1, 7) }, WARD_B])
  })

  test('a save from settings read before another save is refused, naming who saved and when; without revision the last save wins', async () => {
    const opened = await settings()
    const wardC = { name: 'Ward C', devices: devices(1, 7) }
    const first = await put({ exemptions: NO_EXEMPTIONS, deviceLists: [...opened.deviceLists, wardC], revision: opened.revision })
    assert.equal(first.statusCode, 200, first.body)
    assert.equal((first.json() as Settings).revision, opened.revision + 1)
    // A second admin who opened the form before that save, and removes a list: Ward C must not vanish unseen.
    const second = await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A], revision: opened.revision })
    assert.equal(second.statusCode, 409, second.body)
    const { error } = second.json() as { error: { code: string, field: string, message: string, action: string } }
    assert.equal(error.code, 'CHANGED_SINCE_READ')
    assert.equal(error.field, 'revision')
    assert.match(error.message, /^The settings changed since you opened them: test-admin saved them at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. Your change was not saved\.$/)
    assert.match(error.action, /Read them again/)
    assert.deepEqual((await settings()).deviceLists, [...opened.deviceLists, wardC], 'the refused save changed nothing')
    // Scripts that send no revision replace the settings as before.
    assert.equal((await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A] })).statusCode, 200)
    assert.deepEqual((await settings()).deviceLists, [WARD_A])
  })

  test('a revision the settings never had (later than theirs: forged or mistyped) is refused as such, not as a save by "someone" at this very moment', async () => {
    const { revision } = await settings()
    const res = await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A], revision: revision + 1000 })
    assert.equal(res.statusCode, 400, res.body)
    const { error } = res.json() as { error: { code: string, field: string, message: string } }
    assert.equal(error.code, 'VALIDATION')
    assert.equal(error.field, 'revision')
    assert.equal(error.message, `The settings never had revision ${revision + 1000} (now ${revision}): send the revision that GET /api/settings answered.`)
    assert.equal((await settings()).revision, revision, 'nothing saved')
  })

  test('two saves of one revision sent at once: one is taken, the other refused', async () => {
    const { revision } = await settings()
    const answers = await Promise.all([[WARD_A], [WARD_B]].map(async (deviceLists) => await put({ exemptions: NO_EXEMPTIONS, deviceLists, revision })))
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 409])
  })
})

describe('a bulk run of a list by name', () => {
  beforeEach(async () => { await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A, WARD_B] }) })

  test('{ action: "logout", list } previews and runs that list', async () => {
    const res = await preview({ action: 'logout', list: 'ward b' })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual((res.json() as Preview).items.map((i) => i.device), WARD_B.devices)
  })

  test('a list that does not exist, or is empty, is a 400 naming list', async () => {
    const missing = await preview({ action: 'logout', list: 'Ward C' })
    assert.deepEqual([missing.statusCode, missing.json().error.field], [400, 'list'])
    assert.match(missing.json().error.message, /No device list is named "Ward C"/)
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A, { name: 'Empty', devices: [] }] })
    const empty = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', list: 'Empty' } })
    assert.deepEqual([empty.statusCode, empty.json().error.field], [400, 'list'])
  })
})

describe('a schedule picks a list by name', () => {
  beforeEach(async () => {
    t.sim.reset()
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_A, WARD_B] })
  })

  test('a logout-saved-list schedule with a list runs that list; the list shows on the schedule', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'ward-b', cron: '0 2 * * *', action: 'logout-saved-list', list: 'Ward B' } })
    assert.equal(created.statusCode, 201, created.body)
    assert.equal(created.json().list, 'Ward B')
    const res = await t.inject({ method: 'POST', url: `/api/schedules/${created.json().id as number}/run-now` })
    assert.equal(res.statusCode, 200, res.body)
    assert.match(res.json().result.message, /list "Ward B": 3 devices/)
    const sent = receivedOf(t.sim, 'logout').join('')
    for (const device of WARD_B.devices) assert.ok(sent.includes(device), `${device} was logged out`)
    for (const device of WARD_A.devices) assert.ok(!sent.includes(device), `${device} was left alone`)
  })

  test('a list that does not exist, or on a logout-all, is a 400 naming list', async () => {
    const missing = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'nope', cron: '0 2 * * *', action: 'logout-saved-list', list: 'Ward C' } })
    assert.deepEqual([missing.statusCode, missing.json().error.field], [400, 'list'])
    const wrong = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'nope', cron: '0 2 * * *', action: 'logout-all', list: 'Ward A' } })
    assert.deepEqual([wrong.statusCode, wrong.json().error.field], [400, 'list'])
  })

  test('the first list gone, or a list emptied, is said where schedules are listed, as the run would refuse it', async () => {
    const first = (await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'first-list', cron: '0 3 * * *', action: 'logout-saved-list', list: null } })).json()
    const named = (await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'ward-b-named', cron: '0 3 * * *', action: 'logout-saved-list', list: 'Ward B' } })).json()
    const problems = async (): Promise<Array<string | null | undefined>> => {
      const listed = (await t.inject('/api/schedules')).json().schedules as Array<{ id: number, problem: string | null }>
      return [first.id, named.id].map((id) => listed.find((s) => s.id === id)?.problem)
    }
    assert.deepEqual(await problems(), [null, null])
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: [{ name: 'Ward B', devices: [] }] })
    assert.deepEqual(await problems(), ['The device list "Ward B" is empty: add devices to it in Settings.', 'The device list "Ward B" is empty: add devices to it in Settings.'])
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: [] })
    assert.deepEqual(await problems(), ['There is no device list: add one in Settings.', 'No device list is named "Ward B" any more: edit the schedule to pick one of the lists in Settings.'])
    // The run says the same.
    const res = await t.inject({ method: 'POST', url: `/api/schedules/${first.id as number}/run-now` })
    assert.match(res.json().error.message, /There is no device list: add one in Settings\./)
  })

  test('schedules are listed reading the device lists once, not once a schedule (20 lists of 1,000 devices: 300 KB a read)', async (c) => {
    const big = Array.from({ length: 20 }, (_, l) => ({ name: `Ward ${l}`, devices: devices(1000, l * 1000) }))
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: big })
    for (let i = 0; i < 10; i++) {
      const res = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: `ward-${i}`, cron: '0 3 * * *', action: 'logout-saved-list', list: `Ward ${i}` } })
      assert.equal(res.statusCode, 201, res.body)
    }
    const parse = c.mock.method(JSON, 'parse')
    const res = await t.inject('/api/schedules')
    const listsRead = parse.mock.calls.filter((call) => typeof call.arguments[0] === 'string' && call.arguments[0].includes('"deviceLists"')).length
    parse.mock.restore()
    assert.equal(res.statusCode, 200, res.body)
    assert.ok(listsRead <= 1, `the stored settings were parsed ${listsRead} times for one listing`)
    // A save is read at once.
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: big.slice(1) })
    const listed = (await t.inject('/api/schedules')).json().schedules as Array<{ name: string, problem: string | null }>
    assert.match(listed.find((s) => s.name === 'ward-0')?.problem ?? '', /No device list is named "Ward 0" any more/)
  })

  test('a list removed from Settings later: the run fails saying so; the schedule can still be edited', async () => {
    const created = (await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'ward-a', cron: '0 3 * * *', action: 'logout-saved-list', list: 'Ward A' } })).json()
    await put({ exemptions: NO_EXEMPTIONS, deviceLists: [WARD_B] })
    // Said where schedules are listed, before a night's run fails.
    const listed = (await t.inject('/api/schedules')).json().schedules as Array<{ id: number, problem: string | null }>
    assert.equal(listed.find((s) => s.id === created.id)?.problem, 'No device list is named "Ward A" any more: edit the schedule to pick one of the lists in Settings.')
    const res = await t.inject({ method: 'POST', url: `/api/schedules/${created.id as number}/run-now` })
    assert.equal(res.statusCode, 502, res.body)
    assert.match(res.json().error.message, /No device list is named "Ward A"/)
    assert.equal(res.json().error.action, undefined, 'no run started: nothing to open, no device that failed')
    assert.equal(receivedOf(t.sim, 'logout').length, 0)
    const disabled = await t.inject({ method: 'PATCH', url: `/api/schedules/${created.id as number}`, payload: { enabled: false } })
    assert.equal(disabled.statusCode, 200, disabled.body)
    const moved = await t.inject({ method: 'PATCH', url: `/api/schedules/${created.id as number}`, payload: { list: 'Ward B' } })
    assert.equal(moved.json().list, 'Ward B')
    const allUsers = await t.inject({ method: 'PATCH', url: `/api/schedules/${created.id as number}`, payload: { action: 'logout-all' } })
    assert.equal(allUsers.json().list, null, 'a logout-all runs no list')
  })
})
