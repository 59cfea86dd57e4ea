import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { AuditStats } from '@em-console/shared/schemas'
import { localDays } from '../src/audit/local-days.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'

const HOUR = 3_600_000

describe('localDays: the calendar days of a time zone', () => {
  const lengths = (timezone: string, now: string, count: number): Array<[string, number]> =>
    localDays(count, timezone, new Date(now)).map((day) => [day.date, (day.to - day.from) / HOUR])

  test('a day lasts 23 or 25 hours across a daylight-saving change, each beginning at its own midnight', () => {
    // Los Angeles springs forward on 14 March 2027, Sydney falls back on 4 April 2027.
    assert.deepEqual(lengths('America/Los_Angeles', '2027-03-15T20:00:00Z', 3), [['2027-03-13', 24], ['2027-03-14', 23], ['2027-03-15', 24]])
    assert.deepEqual(lengths('Australia/Sydney', '2027-04-05T02:00:00Z', 3), [['2027-04-03', 24], ['2027-04-04', 25], ['2027-04-05', 24]])
    const [sunday] = localDays(1, 'Australia/Sydney', new Date('2027-04-04T05:00:00Z'))
    assert.deepEqual([sunday?.from, sunday?.to].map((at) => new Date(at ?? 0).toISOString()), ['2027-04-03T13:00:00.000Z', '2027-04-04T14:00:00.000Z'])
  })

  test('zones of :30 and :45 offsets, and one whose clock change skips midnight', () => {
    const starts = (timezone: string, now: string): string[] => localDays(2, timezone, new Date(now)).map((day) => new Date(day.from).toISOString())
    assert.deepEqual(starts('Asia/Kathmandu', '2027-01-02T12:00:00Z'), ['2026-12-31T18:15:00.000Z', '2027-01-01T18:15:00.000Z'])
    assert.deepEqual(starts('Asia/Kolkata', '2027-01-02T12:00:00Z'), ['2026-12-31T18:30:00.000Z', '2027-01-01T18:30:00.000Z'])
    // Adelaide (+10:30 in summer) falls back at 03:00 on 4 April 2027, to +09:30.
    assert.deepEqual(lengths('Australia/Adelaide', '2027-04-05T02:00:00Z', 2), [['2027-04-04', 25], ['2027-04-05', 24]])
    // Santiago springs forward at midnight (5 September 2027): that day begins at 01:00, 23 hours long.
    assert.deepEqual(lengths('America/Santiago', '2027-09-06T12:00:00Z', 3), [['2027-09-04', 24], ['2027-09-05', 23], ['2027-09-06', 24]])
    assert.equal(new Date(localDays(1, 'America/Santiago', new Date('2027-09-05T12:00:00Z'))[0]?.from ?? 0).toISOString(), '2027-09-05T04:00:00.000Z')
  })
})

describe('the activity\'s days are the caller\'s time zone\'s', () => {
  let t: TestApp
  /** The audit trail's clock: each record is written at its own time, in order (ids grow with time). */
  let clock = Date.parse('2027-04-03T00:00:00Z')

  before(async () => { t = await buildTestApp({ tuning: { now: () => new Date(clock) } }) })
  after(async () => await t.close())

  const failAt = async (iso: string): Promise<void> => {
    clock = Date.parse(iso)
    await t.store.write((w) => { w.audit.record({ actor: 'zones', trigger: 'ui', action: 'logout', devices: ['SEP0000000000F1'] }, { outcome: 'failure', emapiCode: 3, message: 'no' }) }, 'a failure')
  }

  /** The test's sessions end an hour after the clock last used them: the dashboard opened now signs in again (a restart does). */
  async function openedNow (): Promise<void> {
    t = await t.restart()
  }

  async function stats (query: string): Promise<AuditStats> {
    const res = await t.inject({ url: `/api/audit/stats?${query}` })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }

  const failuresByDay = (answer: AuditStats): Record<string, number> => Object.fromEntries(answer.days.map((day) => [day.date, day.failure]))

  test('in Sydney, records either side of its midnights land on its days, across the day it falls back (25 hours)', async () => {
    await failAt('2027-04-03T12:59:59.999Z') // Saturday 3 April, 23:59:59.999 (+11)
    await failAt('2027-04-03T13:00:00.000Z') // Sunday 4 April, 00:00 (+11)
    await failAt('2027-04-04T13:30:00.000Z') // Sunday 4 April, 23:30 (+10, after falling back at 03:00)
    await failAt('2027-04-04T14:00:00.000Z') // Monday 5 April, 00:00 (+10)
    await failAt('2027-04-05T21:00:00.000Z') // Tuesday 6 April, 07:00: the UTC day is still the 5th
    clock = Date.parse('2027-04-05T22:00:00Z') // Tuesday 6 April, 08:00 in Sydney
    await openedNow()

    const sydney = await stats('days=4&timezone=Australia/Sydney')
    assert.deepEqual(failuresByDay(sydney), { '2027-04-03': 1, '2027-04-04': 2, '2027-04-05': 1, '2027-04-06': 1 })
    assert.equal(sydney.today.failures, 1, 'today is the zone\'s last day')
    // The zone as any case spells it, as the other time zone fields take it.
    assert.deepEqual(failuresByDay(await stats('days=4&timezone=australia/sydney')), failuresByDay(sydney))

    // Without a zone, UTC days as before; todayFrom still moves today's start.
    const utc = await stats('days=3')
    assert.deepEqual(failuresByDay(utc), { '2027-04-03': 2, '2027-04-04': 2, '2027-04-05': 1 })
    assert.equal(utc.today.failures, 1)
    assert.equal((await stats('days=3&todayFrom=2027-04-04T00:00:00Z')).today.failures, 3)
  })

  test('in Kathmandu (+05:45), the day turns at 18:15 UTC', async () => {
    await failAt('2027-04-20T18:14:59.999Z')
    await failAt('2027-04-20T18:15:00.000Z')
    clock = Date.parse('2027-04-20T20:00:00Z')
    await openedNow()
    assert.deepEqual(failuresByDay(await stats('days=2&timezone=Asia/Kathmandu')), { '2027-04-20': 1, '2027-04-21': 1 })
  })

  test('a time zone that is not one is refused in plain words', async () => {
    for (const zone of ['Mars/Olympus_Mons', '+02:00', 'Europe/Paris;drop']) {
      const res = await t.inject({ url: `/api/audit/stats?timezone=${encodeURIComponent(zone)}` })
      assert.equal(res.statusCode, 400, zone)
      assert.match(res.json().error.message, /^Invalid querystring field "timezone": ".*" is not an IANA time zone/, res.body)
    }
  })
})
