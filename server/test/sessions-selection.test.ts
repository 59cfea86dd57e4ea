import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ErrorBody, Preview, SessionHistoryPage, SessionPage, SessionSummary } from '@em-console/shared/schemas'
import { SEED_LOGIN_COUNT, seedScenario } from '../src/simulator/seed.ts'
import type { Scenario } from '../src/simulator/state.ts'
import { buildTestApp, type TestApp, type TestAppOptions } from './helpers/app.ts'

/** The test app with AXL settings; refreshes only on demand. */
async function inventoryApp (options: TestAppOptions = {}): Promise<TestApp> {
  return await buildTestApp({ axl: true, ...options, env: { INVENTORY_REFRESH_SECONDS: '0' } })
}

test('a cluster named in another case selects that cluster\'s sessions, as it is accepted: never an empty selection that "succeeds"', async () => {
  const t = await inventoryApp()
  try {
    await t.runtime.inventory.refresh(undefined, true)
    const page = (await t.inject('/api/sessions?cluster=DEFAULT&limit=500', 'viewer')).json() as SessionPage
    assert.equal(page.total, SEED_LOGIN_COUNT)
    assert.ok(page.sessions.every((s) => s.cluster === 'default'))
    const oslo = (await t.inject('/api/sessions?devicePool=DP_OSLO&limit=500', 'viewer')).json() as SessionPage
    assert.ok(oslo.total > 0)
    const summary = (await t.inject('/api/sessions/summary?cluster=Default', 'viewer')).json() as SessionSummary
    assert.equal(summary.total, SEED_LOGIN_COUNT)
    const csv = await t.inject('/api/sessions/export.csv?cluster=DEFAULT', 'viewer')
    assert.equal(csv.body.replace(/^\uFEFF/, '').trim().split('\r\n').length, 1 + SEED_LOGIN_COUNT)

    // The selection a logout runs: the same sessions as with the cluster's own spelling.
    const preview = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', sessions: { cluster: 'DEFAULT', devicePool: ['DP_OSLO'] } } }, 'operator')
    assert.equal(preview.statusCode, 200, preview.body)
    const items = (preview.json() as Preview).items
    assert.deepEqual(items.map((i) => i.device).sort(), oslo.sessions.map((s) => s.deviceName).sort())
    const selection = await t.runtime.inventory.selectSessions({ cluster: 'DEFAULT', olderThanHours: 1 })
    assert.ok(selection.devices.length > 0)
    assert.ok(selection.sessions.every((s) => s.cluster === 'default'))

    // Ended sessions and phones too.
    await t.inject({ method: 'POST', url: `/api/devices/${encodeURIComponent(oslo.sessions[0]?.deviceName ?? '')}/logout` }, 'operator')
    await t.runtime.inventory.refresh(undefined, true)
    const ended = (await t.inject('/api/sessions/history?cluster=DEFAULT', 'viewer')).json() as SessionHistoryPage
    assert.equal(ended.sessions.length, 1)
    const phones = (await t.inject('/api/phones?cluster=DEFAULT&limit=1', 'viewer')).json() as { total: number }
    assert.ok(phones.total > 0)
  } finally {
    await t.close()
  }
})

test('a device pool named with another case of a non-ASCII letter is refused naming the pool, never selected as nobody', async () => {
  const base = seedScenario()
  const scenario: Scenario = {
    ...base,
    devices: [...base.devices, ...['SEP0000000ZUR1', 'SEP0000000ZUR2'].map((name, i) => ({ name, currentUser: base.users[i] as string, devicePool: 'Zürich Süd' }))]
  }
  const t = await inventoryApp({ simulator: { scenario } })
  try {
    await t.runtime.inventory.refresh(undefined, true)
    const zurich = (await t.inject(`/api/sessions?devicePool=${encodeURIComponent('zürich süd')}`, 'viewer')).json() as SessionPage
    assert.equal(zurich.total, 2)
    const same = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', sessions: { devicePool: ['ZÜRICH SÜD'] } } }, 'operator')
    // The list shows nobody for it, so a logout of it must not "succeed" with nobody: it is refused as a typo, naming the pool.
    assert.equal(same.statusCode, 400, same.body)
    const error = (same.json() as ErrorBody).error
    assert.equal(error.field, 'devicePool')
    assert.match(error.message, /"ZÜRICH SÜD"/)
    assert.match(error.message, /Zürich Süd/)
    await assert.rejects(t.runtime.inventory.selectSessions({ devicePool: ['ZÜRICH SÜD'] }), (e: { field?: string }) => e.field === 'devicePool')
    const right = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', sessions: { devicePool: ['ZüRICH SüD'] } } }, 'operator')
    assert.equal(right.statusCode, 200, right.body)
    assert.deepEqual((right.json() as Preview).items.map((i) => i.device).sort(), ['SEP0000000ZUR1', 'SEP0000000ZUR2'])
  } finally {
    await t.close()
  }
})
