import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ErrorBody, Schedule } from '@em-console/shared/schemas'
import { ConfigError, loadConfig } from '../src/config.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

// Issue #15.15: "* * * * * *" sent ten logoutAll in ten seconds; 7-field expressions were accepted.
describe('schedules: only 5-field cron, and CUCM-wide actions at most once per 15 minutes', () => {
  let t: TestApp
  let counter = 0
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  const create = async (cron: string, extra: Record<string, unknown> = {}) =>
    await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: `s${++counter}`, cron, enabled: false, ...extra } })

  function refused (res: Awaited<ReturnType<typeof create>>, message: RegExp): void {
    assert.equal(res.statusCode, 400, res.body)
    const { error } = res.json<ErrorBody>()
    assert.equal(error.field, 'cron')
    assert.match(error.message, message)
  }

  test('6- and 7-field expressions and nicknames are refused, saying which form is allowed', async () => {
    for (const cron of ['* * * * * *', '0 0 2 * * *', '0 0 2 * * * 2030', '@daily', '0 2 * *']) {
      refused(await create(cron), /only 5-field cron is accepted \(5 fields: minute hour day-of-month month day-of-week, e\.g\. "0 2 \* \* \*"/)
      refused(await t.inject(`/api/schedules/preview?cron=${encodeURIComponent(cron)}&timezone=UTC`), /only 5-field/)
    }
  })

  test('a schedule of any action firing closer than 15 minutes apart is refused, naming the rule and the times', async () => {
    const cases: Array<[string, string, RegExp]> = [
      // As the dashboard writes a fire time ("Tue, Nov 24, 02:00"), not "24 Nov 2026, 02:00".
      ['* * * * *', 'UTC', /fires at \w{3}, \w{3} \d+, \d\d:\d\d and again at \w{3}, \w{3} \d+, \d\d:\d\d \(UTC\)/],
      // The first close pair after now: 02:00 and 02:05, or between 02:00 and 02:55 UTC today's next two.
      ['*/5 2 * * *', 'UTC', /, 02:\d[05] and again at \w{3}, \w{3} \d+, 02:\d[05] \(UTC\)/],
      ['0,10 3 * * 1', 'Europe/Paris', /03:00 and again at .* 03:10 \(Europe\/Paris\)/],
      // The short gap is across the hour: 01:59 then 02:00.
      ['0,59 1,2 * * *', 'America/New_York', /01:59 and again at .* 02:00 \(America\/New_York\)/]
    ]
    for (const [cron, timezone, times] of cases) {
      for (const action of ['logout-all', 'logout-saved-list', 'logout-older-than', 'logout-device-pools']) {
        const res = await create(cron, { timezone, action })
        refused(res, /at most once every 15 minutes/)
        refused(res, times)
        refused(res, /a schedule acts on whole clusters .*, e\.g\. "\*\/15 \* \* \* \*" or "0 2 \* \* \*"\.$/)
      }
      refused(await t.inject(`/api/schedules/preview?cron=${encodeURIComponent(cron)}&timezone=${encodeURIComponent(timezone)}`), /at most once every 15 minutes/)
    }
  })

  test('every 15 minutes and ordinary nightly schedules are accepted', async () => {
    for (const cron of ['*/15 * * * *', '0,15,30,45 * * * *', '0 2 * * *', '30 1 * * 1-5', '0 0 1 * *']) {
      const res = await create(cron, { timezone: 'Europe/Paris' })
      assert.equal(res.statusCode, 201, `${cron}: ${res.body}`)
    }
  })

  test('a change to the cron or the action goes through the same rule; the schedule stays as it was', async () => {
    const schedule = (await create('0 2 * * *')).json<Schedule>()
    refused(await t.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { cron: '* * * * * *' } }), /only 5-field/)
    refused(await t.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { cron: '*/2 * * * *', action: 'logout-saved-list' } }), /at most once every 15 minutes/)
    assert.equal((await t.inject(`/api/schedules/${schedule.id}`)).json<Schedule>().cron, '0 2 * * *')
  })

  test('a schedule saved before the rule is disabled at start, audited and logged, never armed', async () => {
    const old = await t.store.write((w) => w.schedules.create({ name: 'legacy-every-second', cron: '* * * * * *', timezone: 'UTC', action: 'logout-all', enabled: true, createdBy: 'old-admin' }), 'an old schedule')
    t = await t.restart()
    const schedules = t.schedules
    assert.ok(!schedules.armed().includes(old.id))
    assert.equal(schedules.get(old.id)?.enabled, false)
    assert.match(t.logs.filter((line) => line.includes('"level":40')).join('\n'), /Disabled schedule \\"legacy-every-second\\": .*only 5-field/)
    const row = t.audit.page({ action: 'schedule-update' }, 1).items[0]
    assert.equal(row?.errorCode, 'SCHEDULE_INVALID')
    assert.match(row?.message ?? '', /legacy-every-second/)
    assert.equal(t.sim.stats.requests, 0, 'nothing was sent to CUCM')

    // Disabled, it can be renamed (its old cron is not judged again), but not enabled as it is.
    assert.equal((await t.inject({ method: 'PATCH', url: `/api/schedules/${old.id}`, payload: { name: 'legacy-renamed' } })).statusCode, 200)
    refused(await t.inject({ method: 'PATCH', url: `/api/schedules/${old.id}`, payload: { enabled: true } }), /only 5-field/)
    assert.equal((await t.inject({ method: 'PATCH', url: `/api/schedules/${old.id}`, payload: { cron: '0 3 * * *', enabled: true } })).statusCode, 200)
  })
})

describe('LOGOUT_ALL_SCHEDULE goes through the same rule', () => {
  const base = { DATABASE_PATH: '/tmp/never-opened.db', SCHEDULE_TIMEZONE: 'UTC' }
  test('every second, 6 fields or every 5 minutes stop the start, naming the key', () => {
    for (const cron of ['* * * * * *', '0 0 2 * * *', '*/5 * * * *']) {
      assert.throws(() => loadConfig({ ...base, LOGOUT_ALL_SCHEDULE: cron }), (error: unknown) => error instanceof ConfigError && error.key === 'LOGOUT_ALL_SCHEDULE', cron)
    }
    assert.equal(loadConfig({ ...base, LOGOUT_ALL_SCHEDULE: '0 2 * * *' }).LOGOUT_ALL_SCHEDULE, '0 2 * * *')
  })

  test('SCHEDULE_TIMEZONE typed in another case is used as the time zone database spells it', () => {
    assert.equal(loadConfig({ ...base, SCHEDULE_TIMEZONE: 'europe/berlin' }).SCHEDULE_TIMEZONE, 'Europe/Berlin')
    assert.equal(loadConfig({ ...base, SCHEDULE_TIMEZONE: 'utc' }).SCHEDULE_TIMEZONE, 'UTC')
    assert.equal(loadConfig({ ...base, SCHEDULE_TIMEZONE: 'asia/kolkata' }).SCHEDULE_TIMEZONE, 'Asia/Kolkata', 'a name the engine lists under its older one (Asia/Calcutta)')
  })
})
