import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Preview, SessionHistoryPage, SessionPage, SessionSummary } from '@em-console/shared/schemas'
import { SEED_LOGIN_COUNT } from '../src/simulator/seed.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

/** The test app with AXL settings; refreshes only on demand. */
async function inventoryApp (): Promise<TestApp> {
  return await buildTestApp({ axl: true, env: { INVENTORY_REFRESH_SECONDS: '0' } })
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
