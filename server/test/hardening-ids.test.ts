import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Account, ErrorBody, Schedule } from '@em-console/shared/schemas'
import { buildTestApp, type TestApp } from './helpers/app.ts'

// Issue #15.14: "1.5" used to be truncated to 1, so PATCH /api/accounts/1.5 changed account 1.
describe('ids in the path are positive whole numbers or 400', () => {
  let t: TestApp
  let account: Account
  let schedule: Schedule
  before(async () => {
    t = await buildTestApp()
    account = (await t.inject({ method: 'POST', url: '/api/accounts', payload: { username: 'target', password: 'a-long-enough-password', role: 'viewer' } })).json<Account>()
    schedule = (await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'nightly-test', cron: '0 2 * * *', enabled: false } })).json<Schedule>()
  })
  after(async () => await t.close())

  const BAD_IDS = ['1.5', '0.5', '-1', '0', 'abc', '1e400', '99999999999999999999']

  test('accounts: a bad id changes nothing', async () => {
    for (const bad of BAD_IDS.map((id) => id.replace('1', String(account.id)))) {
      const res = await t.inject({ method: 'PATCH', url: `/api/accounts/${bad}`, payload: { role: 'admin' } })
      assert.equal(res.statusCode, 400, `${bad}: ${res.body}`)
      assert.equal(res.json<ErrorBody>().error.field, 'id')
    }
    const list = (await t.inject('/api/accounts')).json<{ accounts: Account[] }>().accounts
    assert.equal(list.find((a) => a.id === account.id)?.role, 'viewer')
    const ok = await t.inject({ method: 'PATCH', url: `/api/accounts/${account.id}`, payload: { disabled: true } })
    assert.equal(ok.statusCode, 200, ok.body)
  })

  test('audit: 1.5 is not record 1', async () => {
    assert.equal((await t.inject('/api/audit/1')).statusCode, 200)
    for (const bad of BAD_IDS) {
      const res = await t.inject(`/api/audit/${bad}`)
      assert.equal(res.statusCode, 400, `${bad}: ${res.body}`)
      const { error } = res.json<ErrorBody>()
      assert.equal(error.field, 'id')
      assert.match(error.message, /id/)
    }
    assert.match((await t.inject('/api/audit/1.5')).json<ErrorBody>().error.message, /whole number/)
  })

  test('schedules: read, change, delete and run-now refuse a bad id', async () => {
    const id = `${schedule.id}.5`
    const cases = [
      { method: 'GET' as const, url: `/api/schedules/${id}` },
      { method: 'PATCH' as const, url: `/api/schedules/${id}`, payload: { enabled: true } },
      { method: 'DELETE' as const, url: `/api/schedules/${id}` },
      { method: 'POST' as const, url: `/api/schedules/${id}/run-now` }
    ]
    for (const request of cases) {
      const res = await t.inject(request)
      assert.equal(res.statusCode, 400, `${request.method} ${request.url}: ${res.body}`)
      assert.equal(res.json<ErrorBody>().error.field, 'id')
    }
    const still = (await t.inject(`/api/schedules/${schedule.id}`)).json<Schedule>()
    assert.equal(still.enabled, false)
    assert.equal(still.lastRunAt, null)
    assert.equal(t.sim.stats.requests, 0, 'nothing was sent to CUCM')
  })
})
