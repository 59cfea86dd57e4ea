import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { LiveSession } from '@em-console/shared/schemas'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'

const HOUR = 3_600_000

/** The offset of a zone from UTC at an instant, in ms (Intl's view of the zone's rules, DST included). */
function offsetOf (zone: string, at: number): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    .formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]))
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(at / 1000) * 1000
}

/**
 * The instant a wall-clock time in a zone stands for, `days` days ahead (a day in the zone's own
 * calendar): at least `days - 1` days and a moment from now, whatever the time of day.
 */
function dayAt (zone: string, days: number, hour: number, minute: number, second: number): number {
  const then = Date.now() + days * 24 * HOUR
  const day = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(then)).map((p) => [p.type, Number(p.value)]))
  const wall = Date.UTC(day.year ?? 0, (day.month ?? 1) - 1, day.day, hour, minute, second)
  const guess = wall - offsetOf(zone, wall)
  return wall - offsetOf(zone, guess)
}

/**
 * The app with AXL, then a fake Date just before the site's local fire time. The simulator and
 * the app start first, on the real clock (their certificates must be valid now); from then on
 * every clock in the process (croner's, the inventory's, the simulator's) reads the fake one,
 * and the test moves it.
 */
async function atSiteTime (t: TestContext, fakeNow: number): Promise<TestApp> {
  // The simulator reads Date.now when asked, so its auto-logouts follow the fake clock too.
  const app = await buildTestApp({ axl: true, env: { INVENTORY_REFRESH_SECONDS: '0' }, simulator: { now: () => Date.now() } })
  t.mock.timers.enable({ apis: ['Date'], now: fakeNow })
  return app
}

function sessionsOf (app: TestApp): LiveSession[] {
  return app.runtime.inventory.sessions({ limit: 500 }).sessions
}

test('logout-device-pools fires at 19:00 Oslo time and logs out the sessions on the Oslo pools only', async (t) => {
  const fireAt = dayAt('Europe/Oslo', 1, 19, 0, 0)
  const app = await atSiteTime(t, fireAt - 2000)
  try {
    await app.runtime.inventory.refresh(undefined, true)
    const before = sessionsOf(app)
    const oslo = before.filter((s) => s.devicePool === 'DP_OSLO' || s.devicePool === 'DP_BERGEN')
    assert.ok(oslo.length > 0 && oslo.length < before.length)

    const schedule = await app.schedules.create({ actor: 'admin', trigger: 'api' }, {
      name: 'oslo-evening', cron: '0 19 * * *', timezone: 'Europe/Oslo', action: 'logout-device-pools', pools: ['DP_OSLO', 'DP_BERGEN']
    })
    assert.deepEqual(schedule.pools, ['DP_OSLO', 'DP_BERGEN'])
    // 19:00 on the Oslo clock, whatever the season: 18:00 UTC in winter, 17:00 UTC in summer.
    assert.equal(schedule.nextRunAt, new Date(fireAt).toISOString())
    assert.equal((fireAt + offsetOf('Europe/Oslo', fireAt)) % 86_400_000, 19 * HOUR)
    assert.equal(app.schedules.get(schedule.id)?.lastRunAt, null, 'not before its time')

    t.mock.timers.setTime(fireAt + 500)
    const ran = await eventually(() => app.schedules.get(schedule.id)?.lastOutcome ?? undefined, 20_000)
    assert.equal(ran, 'success', app.schedules.get(schedule.id)?.lastMessage ?? '')
    const summary = app.audit.page({ action: 'bulk-run' }, 1).items[0]
    assert.equal(summary?.actor, 'schedule:oslo-evening')
    assert.equal(summary?.trigger, 'schedule')
    assert.match(summary?.message ?? '', /on DP_OSLO, DP_BERGEN: \d+ devices/)
    assert.equal(app.audit.page({ action: 'bulk-run', runId: summary?.runId ?? '' }, 10).items.length, 1, 'one summary of the run')
    // In words: a short run id, the inventory's time to the second in UTC, the outcomes' labels.
    assert.match(summary?.message ?? '', new RegExp(`\\(run ${(summary?.runId ?? '').slice(0, 8)}, inventory \\S+ as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\): ${oslo.length} success\\.$`))
    const run = app.runs.get(summary?.runId ?? '')
    assert.deepEqual(run?.items.map((i) => i.device).sort(), oslo.map((s) => s.deviceName).sort())
    assert.ok(run?.items.every((i) => i.outcome === 'success'))

    // CUCM (the simulator) has nobody left on those pools, and everyone else still logged in.
    await app.runtime.inventory.refresh(undefined, true)
    const after = sessionsOf(app)
    assert.equal(after.filter((s) => s.devicePool === 'DP_OSLO' || s.devicePool === 'DP_BERGEN').length, 0)
    assert.deepEqual(after.map((s) => s.deviceName).sort(), before.filter((s) => !oslo.includes(s)).map((s) => s.deviceName).sort())
    // And the history says the schedule ended them.
    const ended = app.runtime.inventory.history({ limit: 500 }).sessions
    assert.equal(ended.length, oslo.length)
    assert.ok(ended.every((s) => s.endedBy === 'em-console' && s.actor === 'schedule:oslo-evening'))
  } finally {
    t.mock.timers.reset()
    await app.close()
  }
})

test('logout-older-than 12 h fires at 07:00 New York time and logs out only the sessions older than 12 hours then', async (t) => {
  // Two days ahead: the simulator's own sessions began on the real clock, at most now, so all of
  // them are over 12 h old then. "Tomorrow" at 07:00 in New York is less than 12 h away between
  // 00:00 and 05:00 UTC, and the test failed then.
  const fireAt = dayAt('America/New_York', 2, 7, 0, 0)
  const app = await atSiteTime(t, fireAt - 1000)
  try {
    const schedule = await app.schedules.create({ actor: 'admin', trigger: 'api' }, {
      name: 'ny-morning', cron: '0 7 * * *', timezone: 'America/New_York', action: 'logout-older-than', hours: 12
    })
    assert.equal(schedule.hours, 12)
    assert.equal(schedule.nextRunAt, new Date(fireAt).toISOString())
    // Logged in just now (by the fake clock), and 11 h ago: both too recent to go.
    assert.ok(app.sim.state.login({ deviceName: 'SEP00AABBCCDDEE', userId: 'asmith' }).ok)
    t.mock.timers.setTime(fireAt - 11 * HOUR)
    const free = app.sim.state.snapshot().devices.find((d) => d.emEnabled && d.currentUser === null && d.name !== 'SEP00AABBCCDDEE')
    assert.ok(app.sim.state.login({ deviceName: free?.name ?? '', userId: 'josé.garcía' }).ok)
    t.mock.timers.setTime(fireAt - 1000)

    t.mock.timers.setTime(fireAt + 200)
    const ran = await eventually(() => app.schedules.get(schedule.id)?.lastOutcome ?? undefined, 20_000)
    assert.equal(ran, 'success', app.schedules.get(schedule.id)?.lastMessage ?? '')

    // The selection was made from a fresh inventory at the fire time: "older than 12 h" counts from then.
    await app.runtime.inventory.refresh(undefined, true)
    const ended = app.runtime.inventory.history({ limit: 500 }).sessions
    const cutOff = fireAt - 12 * HOUR
    const left = sessionsOf(app)
    assert.ok(ended.length > 0 && left.length > 0, `${ended.length} ended, ${left.length} left: ${JSON.stringify(ended.slice(0, 3))} ${app.schedules.get(schedule.id)?.lastMessage ?? ''}`)
    assert.ok(ended.every((s) => Date.parse(s.loginTime ?? '') <= cutOff + 1000), 'only old sessions were logged out')
    assert.ok(left.every((s) => Date.parse(s.loginTime ?? '') > cutOff - 1000), 'every old session was logged out')
    assert.deepEqual(left.map((s) => s.userId).sort(), ['asmith', 'josé.garcía'])
    assert.match(app.schedules.get(schedule.id)?.lastMessage ?? '', /logged in for more than 12 h/)
  } finally {
    t.mock.timers.reset()
    await app.close()
  }
})

test('a schedule by sessions needs its parameter, and fails (recorded, not thrown away) when the inventory cannot be refreshed', async () => {
  const app = await buildTestApp({ axl: true, env: { INVENTORY_REFRESH_SECONDS: '0' } })
  try {
    const missing = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'no-hours', cron: '0 19 * * *', action: 'logout-older-than' } })
    assert.equal(missing.statusCode, 400)
    assert.equal((missing.json() as { error: { field: string } }).error.field, 'hours')
    const noPools = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'no-pools', cron: '0 19 * * *', action: 'logout-device-pools' } })
    assert.equal((noPools.json() as { error: { field: string } }).error.field, 'pools')

    const created = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'stale', cron: '0 19 * * *', action: 'logout-older-than', hours: 1, enabled: false } })
    assert.equal(created.statusCode, 201, created.body)
    const id = (created.json() as { id: number }).id
    // Another action drops the hours; back to it needs them again.
    const changed = await app.inject({ method: 'PATCH', url: `/api/schedules/${id}`, payload: { action: 'logout-device-pools', pools: ['DP_LONDON'] } })
    assert.equal(changed.statusCode, 200, changed.body)
    assert.deepEqual([(changed.json() as { hours: unknown }).hours, (changed.json() as { pools: unknown }).pools], [null, ['DP_LONDON']])

    app.sim.axl.setFaults({ mode: 'unauthorized' })
    const res = await app.inject({ method: 'POST', url: `/api/schedules/${id}/run-now` }, 'operator')
    assert.equal(res.statusCode, 502, res.body)
    assert.equal((res.json() as { error: { code: string } }).error.code, 'RUN_FAILED')
    // Nothing ran: there is no run to open and no device that failed.
    assert.doesNotMatch((res.json() as { error: { action?: string } }).error.action ?? '', /open the run/i)
    const after = app.schedules.get(id)
    assert.equal(after?.lastOutcome, 'failure')
    assert.match(after?.lastMessage ?? '', /nothing was sent.*AXL user ID or password/)
    assert.equal(app.audit.get(after?.lastAuditId ?? 0)?.errorCode, 'INVENTORY_STALE')
    assert.equal(app.sim.state.counts().loggedIn, 150, 'nobody was logged out')
  } finally {
    await app.close()
  }
})

test('a device pool no phone is in (a typo) is refused when the schedule is saved, naming it and the pools there are', async () => {
  const app = await buildTestApp({ axl: true, env: { INVENTORY_REFRESH_SECONDS: '0' } })
  try {
    assert.equal((await app.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' })).statusCode, 200)
    const typo = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'oslo-typo', cron: '0 19 * * *', action: 'logout-device-pools', pools: ['DP_OSLO', 'DP_0SLO'] } })
    assert.equal(typo.statusCode, 400, typo.body)
    const { error } = typo.json() as { error: { field: string, message: string } }
    assert.equal(error.field, 'pools')
    assert.match(error.message, /device pool "DP_0SLO": check the name\. Its pools: .*DP_OSLO/)
    assert.equal(app.schedules.list().length, 0, 'nothing saved')

    const created = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'oslo', cron: '0 19 * * *', action: 'logout-device-pools', pools: ['dp_oslo'] } })
    assert.equal(created.statusCode, 201, created.body)
    const edited = await app.inject({ method: 'PATCH', url: `/api/schedules/${(created.json() as { id: number }).id}`, payload: { pools: ['DP_NOPE'] } })
    assert.equal(edited.statusCode, 400, edited.body)
    assert.match((edited.json() as { error: { message: string } }).error.message, /"DP_NOPE"/)
  } finally {
    await app.close()
  }
})

test('a schedule by sessions over a cluster with no AXL inventory says that nobody there was selected, not "as of never"', async () => {
  const app = await buildTestApp({ axl: true, env: { INVENTORY_REFRESH_SECONDS: '0' } })
  try {
    // A second cluster, on the same simulator, without AXL settings.
    const added = await app.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'emea', name: 'Europe', host: '127.0.0.1', port: app.sim.port, appUser: app.sim.credentials.appUser, appPassword: app.sim.credentials.appPassword, caPem: app.sim.caPem } })
    assert.equal(added.statusCode, 201, added.body)
    const created = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'ancient', cron: '0 19 * * *', action: 'logout-older-than', hours: 8760, enabled: false } })
    assert.equal(created.statusCode, 201, created.body)
    const ran = await app.inject({ method: 'POST', url: `/api/schedules/${(created.json() as { id: number }).id}/run-now` }, 'operator')
    assert.equal(ran.statusCode, 200, ran.body)
    const message = (ran.json() as { result: { message: string } }).result.message
    assert.match(message, /nobody to log out/)
    assert.match(message, /Europe not read: its sessions are not known \(no AXL inventory\), so nobody there was selected/)
    assert.doesNotMatch(message, /as of never/)
  } finally {
    await app.close()
  }
})

test('a device pool renamed in CUCM after its schedule was saved needs attention on the Schedules screen, before its run refuses it', async () => {
  const app = await buildTestApp({ axl: true, env: { INVENTORY_REFRESH_SECONDS: '0' } })
  try {
    assert.equal((await app.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' })).statusCode, 200)
    const created = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'oslo-evening', cron: '0 19 * * *', timezone: 'Europe/Oslo', action: 'logout-device-pools', pools: ['DP_OSLO'] } })
    assert.equal(created.statusCode, 201, created.body)
    assert.equal((created.json() as { problem: string | null }).problem, null)
    // The site's pool renamed in CUCM Administration: every phone of DP_OSLO is now in DP_OSLO_HQ.
    for (const device of app.sim.state.snapshot().devices) {
      if (device.devicePool === 'DP_OSLO') (device as { devicePool: string }).devicePool = 'DP_OSLO_HQ'
    }
    // A change of the state is what makes the simulator's AXL side read its tables again.
    const someone = app.sim.state.snapshot().devices.find((d) => d.currentUser !== null && d.devicePool !== 'DP_OSLO_HQ')
    assert.equal(app.sim.state.logout(someone?.name ?? '').ok, true)
    assert.equal((await app.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' })).statusCode, 200)
    assert.ok(app.runtime.inventory.sessions({ devicePool: ['DP_OSLO_HQ'] }).total > 0, 'the inventory read the renamed pool')
    const listed = (await app.inject('/api/schedules', 'viewer')).json() as { schedules: Array<{ name: string, problem: string | null }> }
    const problem = listed.schedules.find((s) => s.name === 'oslo-evening')?.problem ?? ''
    // Said as its run would refuse it, naming the pool and the pools there are.
    assert.match(problem, /device pool "DP_OSLO": check the name\. Its pools: .*DP_OSLO_HQ/)
    const ran = await app.inject({ method: 'POST', url: `/api/schedules/${(created.json() as { id: number }).id}/run-now` }, 'operator')
    assert.match(ran.body, /device pool \\?"DP_OSLO\\?": check the name/)
  } finally {
    await app.close()
  }
})
