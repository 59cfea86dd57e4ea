import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { SchedulePreview } from '@em-console/shared/schemas'
import { buildScheduleHarness, type ScheduleHarness } from './helpers/schedules.ts'

// The edit form's "Next five runs" showed 03:00 for a 02:30 schedule on the night the clocks go
// forward, with no reason; the rule was only in docs/operations.md.
describe('schedule preview: a night of daylight saving says why a fire time moves', () => {
  /** The preview route of a server whose clock reads `now` (one server each: a session ends when the clock jumps months). */
  async function previewAt (now: string): Promise<{ preview: (cron: string, timezone: string) => Promise<SchedulePreview>, close: () => Promise<void> }> {
    const h: ScheduleHarness = await buildScheduleHarness({ tuning: { now: () => new Date(now) } })
    return {
      preview: async (cron, timezone) => {
        const res = await h.inject(`/api/schedules/preview?cron=${encodeURIComponent(cron)}&timezone=${encodeURIComponent(timezone)}`)
        assert.equal(res.statusCode, 200, res.body)
        return res.json<SchedulePreview>()
      },
      close: async () => await h.close()
    }
  }

  test('02:30 in Europe/Berlin on the last Sunday of March does not exist: it runs at 03:00, saying so', async (t) => {
    const { preview, close } = await previewAt('2027-03-27T12:00:00.000Z')
    t.after(close)
    const { nextRuns, clockChanges } = await preview('30 2 * * *', 'Europe/Berlin')
    assert.equal(nextRuns[0], '2027-03-28T01:00:00.000Z')
    assert.deepEqual(clockChanges, [{ run: '2027-03-28T01:00:00.000Z', note: '02:30 does not exist that night in Europe/Berlin (the clocks go forward): runs at 03:00' }])
    // 03:00 itself is no change, nor is the same 02:30 in a zone without daylight saving.
    assert.deepEqual((await preview('0 3 * * *', 'Europe/Berlin')).clockChanges, [])
    assert.deepEqual((await preview('30 2 * * *', 'Asia/Tokyo')).clockChanges, [])
  })

  test('a list of times in the hour that does not exist runs once, at 03:00, saying so; a step still skips it', async (t) => {
    // "0,30 2 * * *" ran nothing that night (croner read a list as a step): a nightly logout skipped.
    const { preview, close } = await previewAt('2027-03-27T12:00:00.000Z')
    t.after(close)
    const list = await preview('0,30 2 * * *', 'Europe/Berlin')
    assert.deepEqual(list.nextRuns.slice(0, 3), ['2027-03-28T01:00:00.000Z', '2027-03-29T00:00:00.000Z', '2027-03-29T00:30:00.000Z'])
    assert.deepEqual(list.clockChanges, [{ run: '2027-03-28T01:00:00.000Z', note: '02:00 and 02:30 do not exist that night in Europe/Berlin (the clocks go forward): runs at 03:00' }])
    assert.equal((await preview('15 1-2 * * *', 'Europe/Berlin')).nextRuns[1], '2027-03-28T01:00:00.000Z')
    assert.equal((await preview('*/15 2 * * *', 'Europe/Berlin')).nextRuns[0], '2027-03-29T00:00:00.000Z')
  })

  test('02:30 on the last Sunday of October happens twice: it runs once, at the first, saying so', async (t) => {
    const { preview, close } = await previewAt('2027-10-30T12:00:00.000Z')
    t.after(close)
    const { nextRuns, clockChanges } = await preview('30 2 * * *', 'Europe/Berlin')
    assert.deepEqual(nextRuns.slice(0, 2), ['2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z'])
    assert.deepEqual(clockChanges, [{ run: '2027-10-31T00:30:00.000Z', note: '02:30 happens twice that night in Europe/Berlin (the clocks go back): runs once, at the first' }])
    // A step in the hour runs in both 02:00 hours (docs/operations.md): nothing to explain.
    assert.deepEqual((await preview('*/15 2 * * *', 'Europe/Berlin')).clockChanges, [])
    // A list keeps fixed times: once each, at the first (it ran four logouts that night).
    const list = await preview('0,30 2 * * *', 'Europe/Berlin')
    assert.deepEqual(list.nextRuns.slice(0, 3), ['2027-10-31T00:00:00.000Z', '2027-10-31T00:30:00.000Z', '2027-11-01T01:00:00.000Z'])
    assert.deepEqual(list.clockChanges.map((c) => c.note), ['02:00 happens twice that night in Europe/Berlin (the clocks go back): runs once, at the first', '02:30 happens twice that night in Europe/Berlin (the clocks go back): runs once, at the first'])
  })
})
