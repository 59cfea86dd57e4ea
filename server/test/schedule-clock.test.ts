import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Schedule, ScheduleCreateBody } from '@em-console/shared/schemas'
import { receivedOf } from './helpers/app.ts'
import { holdWriteLock } from './helpers/database.ts'
import { eventually } from './helpers/eventually.ts'
import { buildScheduleHarness, type ScheduleHarness } from './helpers/schedules.ts'

const ADMIN = { actor: 'admin', trigger: 'api' } as const

/** The server's wall clock, as the test sets it and as NTP steps it; it runs at the real pace in between. */
function steppedClock (): { now: () => Date, set: (iso: string) => void, step: (ms: number) => void } {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    set: (iso) => { offset = Date.parse(iso) - Date.now() },
    step: (ms) => { offset += ms }
  }
}

/** The schedule service on that clock, its timers reading it every 50 ms; the schedules fire within a test (allowAnyCron: seconds). */
async function harnessOn (clock: ReturnType<typeof steppedClock>): Promise<ScheduleHarness> {
  const h = await buildScheduleHarness({ tuning: { now: clock.now, scheduleClockCheckMs: 50, allowAnyCron: true } })
  await h.schedules.start()
  return h
}

const runsOf = (h: ScheduleHarness, name: string) => h.audit.page({ action: 'logout-all', actor: `schedule:${name}` }, 10).items

/** The finished logout-all runs of a schedule, once there are `count`. */
async function finishedRuns (h: ScheduleHarness, name: string, count: number): Promise<ReturnType<typeof runsOf>> {
  return await eventually(() => {
    const rows = runsOf(h, name)
    return rows.length >= count && rows.every((row) => row.outcome !== 'pending') ? rows : undefined
  }, 5000)
}

async function create (h: ScheduleHarness, body: ScheduleCreateBody): Promise<Schedule> {
  return await h.schedules.create(ADMIN, body)
}

async function nextRunAt (h: ScheduleHarness, id: number): Promise<string | null> {
  return (await h.inject({ method: 'GET', url: `/api/schedules/${id}` }, 'viewer')).json<Schedule>().nextRunAt
}

test('02:30 in Berlin on the spring-forward night runs once, at 03:00; a clock stepped back after it does not run it again', async () => {
  const clock = steppedClock()
  const h = await harnessOn(clock)
  try {
    // 01:59:59 CET; at 02:00 the clocks go to 03:00 CEST, so 02:30 does not exist that night.
    clock.set('2026-03-29T00:59:59.300Z')
    const berlin = await create(h, { name: 'berlin', cron: '30 2 * * *', timezone: 'Europe/Berlin' })
    assert.equal(await nextRunAt(h, berlin.id), '2026-03-29T01:00:00.000Z', '03:00 CEST, as the API says before')
    const [run] = await finishedRuns(h, 'berlin', 1)
    assert.equal(run?.outcome, 'success')
    assert.ok(Date.parse(run?.startedAt ?? '') >= Date.parse('2026-03-29T01:00:00.000Z'), 'not before its time')
    assert.equal(await nextRunAt(h, berlin.id), '2026-03-30T00:30:00.000Z', 'the next night, 02:30 CEST, as the API says after')

    // NTP steps the clock back 3 s, before 03:00 again; a schedule due just after 03:00 shows the timers have passed it.
    clock.step(-3000)
    await create(h, { name: 'control', cron: '1 0 3 * * *', timezone: 'Europe/Berlin' })
    await finishedRuns(h, 'control', 1)
    assert.equal(runsOf(h, 'berlin').length, 1, 'the 03:00 run did not run again')
    assert.equal(h.audit.page({ outcome: 'pending' }, 10).items.length, 0, 'nothing is left pending')
  } finally {
    await h.close()
  }
})

test('01:30 in New York on the fall-back night runs once, at the first 01:30 (EDT), not again at 01:30 EST', async () => {
  const clock = steppedClock()
  const h = await harnessOn(clock)
  try {
    clock.set('2026-11-01T05:29:59.300Z')
    const ny = await create(h, { name: 'new-york', cron: '30 1 * * *', timezone: 'America/New_York' })
    assert.equal(await nextRunAt(h, ny.id), '2026-11-01T05:30:00.000Z', '01:30 EDT')
    await finishedRuns(h, 'new-york', 1)
    assert.equal(await nextRunAt(h, ny.id), '2026-11-02T06:30:00.000Z', 'the next night, 01:30 EST')

    // An hour later (the clock jumped there for the test) it is 01:30 again, EST; the control fires every hour at :30:01.
    clock.set('2026-11-01T06:29:59.300Z')
    await create(h, { name: 'control', cron: '1 30 * * * *', timezone: 'America/New_York' })
    await finishedRuns(h, 'control', 1)
    assert.equal(runsOf(h, 'new-york').length, 1, 'not run at the second 01:30')
  } finally {
    await h.close()
  }
})

test('a clock set forward past a fire time: a few minutes runs it late; far past it (or a paused machine) records it missed, once, and runs nothing', async () => {
  const clock = steppedClock()
  const h = await harnessOn(clock)
  try {
    clock.set('2026-12-10T01:59:59.000Z')
    const soon = await create(h, { name: 'two', cron: '0 2 * * *', timezone: 'UTC' })
    const later = await create(h, { name: 'half-past-two', cron: '30 2 * * *', timezone: 'UTC' })

    // NTP steps 2 minutes forward over 02:00: the run is 2 minutes late, and runs.
    clock.step(120_000)
    const [run] = await finishedRuns(h, 'two', 1)
    assert.equal(run?.outcome, 'success')

    // The machine is suspended from 02:02 to 04:02 (or the clock jumps 2 hours): 02:30 is far behind.
    clock.step(2 * 3_600_000)
    const missed = await eventually(() => h.audit.page({ action: 'schedule-missed', actor: 'schedule:half-past-two' }, 10).items[0])
    assert.equal(missed.outcome, 'failure')
    assert.equal(missed.errorCode, 'SCHEDULE_MISSED')
    assert.equal(missed.trigger, 'schedule')
    assert.match(missed.message ?? '', /^The run due at Thu, Dec 10, 02:30 UTC \(2026-12-10T02:30:00\.000Z\) was missed: the server reached it only at Thu, Dec 10, 04:0\d UTC \(2026-12-10T04:0\d:\d\d\.\d{3}Z\) \(its clock was set forward, or it was paused\)\. Missed runs are not caught up; the next run is at Fri, Dec 11, 02:30 UTC \(2026-12-11T02:30:00\.000Z\)\.$/)
    // (Read from the service: the 2-hour jump ended the test's dashboard sessions too.)
    const after = h.schedules.get(later.id)
    assert.equal(after?.lastOutcome, 'missed')
    assert.equal(after?.lastAuditId, missed.id)
    assert.equal(after?.nextRunAt, '2026-12-11T02:30:00.000Z')

    // The 02:00 schedule's next fire time is tomorrow: the 2-hour jump made it miss nothing. A
    // control due in a moment shows the timers have looked at the clock since.
    clock.set('2026-12-10T04:10:59.500Z')
    await create(h, { name: 'control', cron: '11 4 * * *', timezone: 'UTC' })
    await finishedRuns(h, 'control', 1)
    assert.equal(runsOf(h, 'half-past-two').length, 0, '02:30 was not run at 04:02')
    assert.equal(h.audit.page({ action: 'schedule-missed' }, 10).items.length, 1, 'one record, for the one fire time missed')
    assert.equal(h.schedules.get(soon.id)?.lastOutcome, 'success')
  } finally {
    await h.close()
  }
})

test('a missed run is told in its schedule\'s zone: a Berlin 02:30 reads 02:30, also on the night the clocks go back, when it was due once', async () => {
  const clock = steppedClock()
  const h = await harnessOn(clock)
  try {
    // 02:29:50 CEST on 31 October 2027; at 03:00 CEST the clocks go back to 02:00 CET.
    clock.set('2027-10-31T00:29:50.000Z')
    const berlin = await create(h, { name: 'berlin', cron: '30 2 * * *', timezone: 'Europe/Berlin' })
    // The machine sleeps two hours and a minute, past both 02:30s of that night.
    clock.step(2 * 3_600_000 + 60_000)
    const missed = await eventually(() => h.audit.page({ action: 'schedule-missed', actor: 'schedule:berlin' }, 10).items[0])
    assert.match(missed.message ?? '', /^The run due at Sun, Oct 31, 02:30 Europe\/Berlin \(2027-10-31T00:30:00\.000Z\) was missed: the server reached it only at Sun, Oct 31, 03:30 Europe\/Berlin \(2027-10-31T02:30:\d\d\.\d{3}Z\) \(its clock was set forward, or it was paused\)\. Missed runs are not caught up; the next run is at Mon, Nov 1, 02:30 Europe\/Berlin \(2027-11-01T01:30:00\.000Z\)\.$/)
    assert.equal(h.schedules.get(berlin.id)?.lastMessage, missed.message)
  } finally {
    await h.close()
  }
})

test('a server started a few seconds after a fire time (a restart, systemd\'s RestartSec=5) runs it then, as a running server reached late does; minutes past it, missed', async () => {
  const clock = steppedClock()
  clock.set('2026-12-09T01:30:00.000Z')
  let h = await buildScheduleHarness({ tuning: { now: clock.now, scheduleClockCheckMs: 50 } })
  try {
    const nightly = await create(h, { name: 'nightly', cron: '0 2 * * *', timezone: 'UTC' })
    await create(h, { name: 'quarter-to', cron: '45 1 * * *', timezone: 'UTC' })
    // Down from 01:30 the day before; started again at 02:00:05, as after a crash at 01:59:58.
    clock.set('2026-12-10T02:00:05.000Z')
    h = await h.restart({ tuning: { now: clock.now, scheduleClockCheckMs: 50 } })
    const [run] = await finishedRuns(h, 'nightly', 1)
    assert.equal(run?.outcome, 'success')
    assert.equal(h.schedules.get(nightly.id)?.lastOutcome, 'success')
    // Yesterday's 02:00 and the 01:45s, more than 5 minutes before the start, were missed; today's 02:00 was not.
    const missed = h.audit.page({ action: 'schedule-missed' }, 10).items
    assert.deepEqual(missed.map((row) => row.actor).sort(), ['schedule:nightly', 'schedule:quarter-to'])
    assert.match(missed.find((row) => row.actor === 'schedule:nightly')?.message ?? '',
      /^The run due at Wed, Dec 9, 02:00 UTC \(2026-12-09T02:00:00\.000Z\) was missed: the server was not running then\. Missed runs are not caught up; the next run is at Thu, Dec 10, 02:00 UTC \(2026-12-10T02:00:00\.000Z\)\.$/)
    assert.match(missed.find((row) => row.actor === 'schedule:quarter-to')?.message ?? '', /^2 runs due from Wed, Dec 9, 01:45 UTC .* to Thu, Dec 10, 01:45 UTC /)

    // The next start, a moment later, neither runs it again nor calls it missed.
    clock.set('2026-12-10T02:01:00.000Z')
    h = await h.restart({ tuning: { now: clock.now, scheduleClockCheckMs: 50 } })
    // Nothing must happen, so a time: 300 ms is six clock checks (50 ms), and a timer armed for a
    // fire time already past fires at once, its records written within a few milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(runsOf(h, 'nightly').length, 1, 'run once')
    assert.equal(h.audit.page({ action: 'schedule-missed' }, 10).items.length, 2)
  } finally {
    await h.close()
  }
})

test('a timed logout-all whose first record waits for a database another program locks (a backup) past 5 minutes is missed, not sent when the lock is freed', async () => {
  const clock = steppedClock()
  const h = await harnessOn(clock)
  const lock = { held: undefined as { release: () => void } | undefined }
  try {
    clock.set('2026-12-10T01:59:59.500Z')
    const nightly = await create(h, { name: 'nightly', cron: '0 2 * * *', timezone: 'UTC' })
    lock.held = holdWriteLock(h.databasePath)
    // Fired at 02:00: its first write ("schedule began") waits for the lock, held till 02:07.
    // Its fire time reached and a write refused: that record's (nothing else writes here).
    const due = Date.parse('2026-12-10T02:00:00.000Z')
    await eventually(() => clock.now().getTime() >= due && h.store.health().problem !== undefined && h.store.health().queued === 1 ? true : undefined, 5000)
    clock.step(7 * 60_000)
    lock.held.release()
    lock.held = undefined
    const after = await eventually(() => h.schedules.get(nightly.id)?.lastOutcome ?? undefined, 5000)
    assert.equal(after, 'missed')
    assert.equal(receivedOf(h.sim, 'logoutAll').length, 0, 'no logout-all reached CUCM at 02:07')
    assert.equal(runsOf(h, 'nightly').length, 0)
    const [missed] = h.audit.page({ action: 'schedule-missed' }, 10).items
    assert.match(missed?.message ?? '', /^The run due at Thu, Dec 10, 02:00 UTC \(2026-12-10T02:00:00\.000Z\) was missed: the database refused writes until Thu, Dec 10, 02:07 UTC .*, so nothing was sent\. Missed runs are not caught up; the next run is at Fri, Dec 11, 02:00 UTC /)
    assert.equal(h.audit.page({ outcome: 'pending' }, 10).items.length, 0, 'nothing is left pending')
  } finally {
    lock.held?.release()
    await h.close()
  }
})

test('a machine suspended two days under a schedule every 15 minutes: the runs missed are said to their last, and the one due a moment ago runs', async () => {
  const clock = steppedClock()
  const h = await harnessOn(clock)
  try {
    clock.set('2026-12-10T01:59:59.000Z')
    const quarterly = await create(h, { name: 'quarterly', cron: '*/15 * * * *', timezone: 'UTC' })
    // Resumed at 02:02 two days on: 02:00 is 2 minutes late, and runs; the 191 before it were missed.
    clock.step(2 * 86_400_000 + 123_000)
    const [run] = await finishedRuns(h, 'quarterly', 1)
    assert.equal(run?.outcome, 'success')
    const missed = await eventually(() => h.audit.page({ action: 'schedule-missed', actor: 'schedule:quarterly' }, 10).items[0])
    // The timer took the first 100 fire times: it said they ended on Friday 02:45, and ran nothing.
    assert.match(missed.message ?? '', /^100 or more runs due from Thu, Dec 10, 02:00 UTC \(2026-12-10T02:00:00\.000Z\) to Sat, Dec 12, 01:45 UTC \(2026-12-12T01:45:00\.000Z\) were missed: the server reached them only at /)
    assert.equal(h.schedules.get(quarterly.id)?.lastAuditId, run?.id)
  } finally {
    await h.close()
  }
})
