import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AuditPage, ErrorBody, Preview, RunSummary, SessionHistoryPage, SessionPage, SessionSummary } from '@em-console/shared/schemas'
import { createSessionLogout } from '../src/inventory/session-logout.ts'
import { SEED_LOGIN_COUNT, seedScenario } from '../src/simulator/seed.ts'
import { startSimulator } from '../src/simulator/server.ts'
import type { Scenario } from '../src/simulator/state.ts'
import { buildTestApp, runEnded, type TestApp, type TestAppOptions } from './helpers/app.ts'

/** The test app with AXL settings; refreshes only on demand. */
async function inventoryApp (options: TestAppOptions = {}): Promise<TestApp> {
  return await buildTestApp({ axl: true, ...options, env: { INVENTORY_REFRESH_SECONDS: '0', CUCM_CLUSTER_NAME: 'Head office' } })
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

test('the summary of a logout by sessions of one cluster (a schedule\'s, the CLI\'s) names that cluster: History filtered by it shows it', async () => {
  const t = await inventoryApp()
  try {
    const logout = createSessionLogout({ inventory: t.runtime.inventory, runs: t.runtime.runs, store: t.runtime.store, said: t.runtime.clusters.said })
    const caller = { actor: 'schedule:night', trigger: 'schedule' as const }
    // Nobody that old: the summary alone is the record.
    const none = await logout.logoutSessions(caller, { olderThanHours: 80_000 }, ['default'])
    // The CLI's way: the cluster among the filters, in the case the admin typed.
    const selection = await logout.select(caller, { cluster: 'DEFAULT', olderThanHours: 80_000 })
    const cli = await logout.logoutSelected(caller, { cluster: 'DEFAULT', olderThanHours: 80_000 }, selection)
    // Named as the dashboard names it, in the filters' words and the inventory's note.
    assert.match(cli.message, /^Logout of the sessions logged in for more than 80000 h in cluster Head office: nobody to log out \(inventory Head office as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.$/)
    // A refusal (a pool no phone is in) is recorded on the cluster too.
    const refused = await logout.logoutSessions(caller, { devicePool: ['DP_NOWHERE'] }, ['default']).then(() => undefined, (error: { auditId?: number }) => error.auditId)
    assert.ok(refused !== undefined)
    const page = (await t.inject('/api/audit?action=bulk-run&cluster=default', 'viewer')).json() as AuditPage
    assert.deepEqual(page.items.map((row) => row.id).sort((a, b) => a - b), [none.auditId, cli.auditId, refused].sort((a, b) => (a ?? 0) - (b ?? 0)))
    assert.ok(page.items.every((row) => row.actor === 'schedule:night'))
    assert.ok(page.items.some((row) => /logged in for more than 80000 h/.test(row.message ?? '')))
  } finally {
    await t.close()
  }
})

test('a run of sessions started from the dashboard or the API says in its summary record what it selected, as a run of the CLI or a schedule does', async () => {
  const t = await inventoryApp()
  try {
    await t.runtime.inventory.refresh(undefined, true)
    const oslo = (await t.inject('/api/sessions?devicePool=DP_OSLO&limit=500', 'viewer')).json() as SessionPage
    assert.ok(oslo.total >= 5, `Oslo's sessions: ${oslo.total}`)
    const located = oslo.sessions.map((s) => ({ device: s.deviceName, cluster: s.cluster, user: s.userId }))
    /** Starts a run with this body and answers with its one summary record's words. */
    const summaryOf = async (payload: object): Promise<string> => {
      const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', verifyAfterSeconds: 0, ...payload } }, 'operator')
      assert.equal(started.statusCode, 202, started.body)
      const run = await runEnded(t, started.json().id as string)
      const rows = t.audit.page({ runId: run.id, action: 'bulk-run' }, 10).items
      assert.equal(rows.length, 1)
      // The run's page and the list of runs say what it was in its summary's first words.
      const listed = ((await t.inject('/api/runs', 'viewer')).json() as { runs: RunSummary[] }).runs.find((r) => r.id === run.id)
      for (const title of [(await t.inject(`/api/runs/${run.id}`, 'viewer')).json().title, listed?.title]) {
        assert.ok(typeof title === 'string' && title.length > 0 && (rows[0]?.message ?? '').startsWith(`${title}: `), `${String(title)} / ${rows[0]?.message ?? ''}`)
      }
      return (rows[0]?.message ?? '').replace(`run ${run.id.slice(0, 8)}`, 'run <id>')
    }
    // Rows picked on the Sessions screen.
    assert.equal(await summaryOf({ located: located.slice(0, 2) }), 'Logout of sessions picked on the Sessions screen: 2 devices (run <id>): 2 success.')
    // "Log out all matching": the sessions its preview showed, with the filters they were previewed from.
    assert.equal(await summaryOf({ located: located.slice(2, 4), previewedFrom: { devicePool: ['DP_OSLO'], olderThanHours: 1 } }),
      'Logout of the sessions logged in for more than 1 h on DP_OSLO, as previewed on the Sessions screen: 2 devices (run <id>): 2 success.')
    // A selection by filters through the API, read from a fresh inventory: as the CLI's and schedules' say it.
    const rest = oslo.total - 4
    assert.match(await summaryOf({ sessions: { devicePool: ['DP_OSLO'] } }),
      new RegExp(`^Logout of the sessions on DP_OSLO: ${rest} devices \\(run <id>, inventory Head office as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\): ${rest} success\\.$`))
  } finally {
    await t.close()
  }
})

test('the sessions and phones of a cluster disabled or deleted are no one\'s current ones: on every cluster they are not listed, counted, exported nor selected', async () => {
  const seed = seedScenario()
  // One phone of its own, in a pool no other cluster has.
  const lab = await startSimulator({ scenario: { ...seed, devices: [...seed.devices, { name: 'SEP0000000LAB1', devicePool: 'DP_LAB_ONLY' }] } })
  const t = await inventoryApp()
  try {
    const added = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'lab', name: 'Lab', host: '127.0.0.1', port: lab.port, appUser: lab.credentials.appUser, appPassword: lab.credentials.appPassword, caPem: lab.caPem, axlUser: lab.axl.credentials.user, axlPassword: lab.axl.credentials.password } })
    assert.equal(added.statusCode, 201, added.body)
    await t.runtime.inventory.refresh(undefined, true)
    const phonesOf = async (query = ''): Promise<number> => ((await t.inject(`/api/phones?limit=1${query}`, 'viewer')).json() as { total: number }).total
    const ownPhones = await phonesOf('&cluster=default')
    assert.equal((await t.inject('/api/sessions?limit=1', 'viewer')).json().total, 2 * SEED_LOGIN_COUNT)
    assert.equal(await phonesOf(), 2 * ownPhones + 1)

    for (const [change, request] of [['disabled', { method: 'PATCH', payload: { enabled: false } }], ['deleted', { method: 'DELETE' }]] as const) {
      const res = await t.inject({ url: '/api/clusters/lab', ...request })
      assert.ok(res.statusCode < 300, res.body)
      const page = (await t.inject('/api/sessions?limit=500', 'viewer')).json() as SessionPage
      assert.equal(page.total, SEED_LOGIN_COUNT, change)
      assert.ok(page.sessions.every((s) => s.cluster === 'default'), change)
      const summary = (await t.inject('/api/sessions/summary', 'viewer')).json() as SessionSummary
      assert.equal(summary.total, SEED_LOGIN_COUNT, change)
      assert.deepEqual(summary.clusters.map((c) => c.cluster), ['default'], change)
      const csv = await t.inject('/api/sessions/export.csv', 'viewer')
      assert.equal(csv.body.replace(/^\uFEFF/, '').trim().split('\r\n').length, 1 + SEED_LOGIN_COUNT, change)
      assert.equal(await phonesOf(), ownPhones, change)
      // "Log out all matching" on every cluster, and a schedule's selection: nothing of lab's old rows.
      const preview = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', sessions: { devicePool: ['DP_OSLO'] } } }, 'operator')
      assert.equal(preview.statusCode, 200, preview.body)
      const items = (preview.json() as Preview).items
      assert.ok(items.length > 0)
      assert.deepEqual(items.filter((i) => i.cluster !== 'default' || i.category !== 'will-logout'), [], change)
      const selection = await t.runtime.inventory.selectSessions({ olderThanHours: 0 })
      assert.ok(selection.sessions.every((s) => s.cluster === 'default'), change)
      // A pool only lab's phones were in selects nobody now: refused as one no phone is in, never an empty run that "succeeds".
      await assert.rejects(t.runtime.inventory.selectSessions({ devicePool: ['DP_LAB_ONLY'] }), (e: { field?: string, message: string }) => e.field === 'devicePool' && /"DP_LAB_ONLY"/.test(e.message), change)
      // Nor is it a pool a schedule may be saved with.
      const schedule = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: `lab-pool-${change}`, cron: '0 19 * * *', action: 'logout-device-pools', pools: ['DP_LAB_ONLY'], enabled: false } })
      assert.equal(schedule.statusCode, 400, schedule.body)
      assert.equal((schedule.json() as ErrorBody).error.field, 'pools', change)
      // Its own reads say why: disabled, as a look-up on it says; deleted, no such cluster.
      const own = (await t.inject('/api/sessions?cluster=lab', 'viewer')).json() as ErrorBody
      assert.equal(own.error.field, 'cluster')
      assert.match(own.error.message, change === 'disabled' ? /^Invalid field "cluster": Cluster Lab is disabled\.$/ : /there is no cluster "lab"/)
    }
  } finally {
    await t.close()
    await lab.close()
  }
})

test('the summary counts the sessions whose login time CUCM does not hold: its age bars and unknownAge add up to its total', async () => {
  const t = await inventoryApp()
  try {
    const unknown = t.sim.state.snapshot().devices.filter((d) => d.currentUser !== null).slice(0, 3)
    for (const device of unknown) (device as { loginTime: number | null }).loginTime = null
    // A change of the state is what makes the simulator's AXL side read its tables again.
    const someone = t.sim.state.snapshot().devices.find((d) => d.currentUser !== null && !unknown.includes(d))
    assert.equal(t.sim.state.logout(someone?.name ?? '').ok, true)
    assert.equal((await t.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' }, 'operator')).statusCode, 200)

    const summary = (await t.inject('/api/sessions/summary', 'viewer')).json() as SessionSummary
    assert.equal(summary.total, SEED_LOGIN_COUNT - 1)
    assert.equal(summary.unknownAge, 3)
    assert.equal(summary.ages.reduce((n, a) => n + a.sessions, 0) + summary.unknownAge, summary.total)
    // Filtered by age: none of them is older than anything.
    const old = (await t.inject('/api/sessions/summary?olderThanHours=1', 'viewer')).json() as SessionSummary
    assert.equal(old.unknownAge, 0)
  } finally {
    await t.close()
  }
})

test('a logout by age says in its record how many sessions it left alone because CUCM holds no login time for them, not a bare success', async () => {
  const t = await inventoryApp()
  try {
    // Two Oslo phones whose login time CUCM does not hold (logintime NULL): their age is unknown.
    const oslo = t.sim.state.snapshot().devices.filter((d) => d.currentUser !== null && d.devicePool === 'DP_OSLO').slice(0, 2)
    assert.equal(oslo.length, 2)
    for (const device of oslo) (device as { loginTime: number | null }).loginTime = null
    // A change of the state is what makes the simulator's AXL side read its tables again.
    const someone = t.sim.state.snapshot().devices.find((d) => d.currentUser !== null && d.devicePool !== 'DP_OSLO')
    assert.equal(t.sim.state.logout(someone?.name ?? '').ok, true)

    const logout = createSessionLogout({ inventory: t.runtime.inventory, runs: t.runtime.runs, store: t.runtime.store, said: t.runtime.clusters.said })
    const caller = { actor: 'schedule:night', trigger: 'schedule' as const }
    // Nobody else that old: only the record says it.
    const none = await logout.logoutSessions(caller, { olderThanHours: 80_000, devicePool: ['DP_OSLO'] }, ['default'])
    assert.match(none.message, /nobody to log out \(inventory Head office as of [^;]+; 2 sessions whose login time CUCM does not hold left alone \(age unknown\)\)\.$/)
    // A run of the sessions older than an hour: the run's record and its page say the same.
    const ran = await logout.logoutSessions(caller, { olderThanHours: 1, devicePool: ['DP_OSLO'] })
    assert.match(ran.message, /; 2 sessions whose login time CUCM does not hold left alone \(age unknown\)\): \d+ success\.$/)
    assert.match(t.runs.get(ran.runId ?? '')?.selection ?? '', /; 2 sessions whose login time CUCM does not hold left alone/)
    for (const device of oslo) assert.notEqual(t.sim.state.getDevice(device.name)?.currentUser, null, device.name)
    // A selection by pool alone leaves nobody out for their age.
    const selection = await logout.select(caller, { devicePool: ['DP_OSLO'] })
    assert.equal(selection.unknownAge, undefined)
  } finally {
    await t.close()
  }
})

test('a cluster deleted and added again with its id, on another CUCM, starts an empty inventory: the sessions it had ended when it was deleted, not at the first refresh weeks later', async () => {
  let clock = Date.now()
  const first = await startSimulator({ scenario: seedScenario() })
  // Another CUCM: other phones, other users, logged in a day ago.
  const moved = await startSimulator({ scenario: seedScenario({ seed: 7, now: clock - 86_400_000 }) })
  const t = await buildTestApp({ axl: true, env: { INVENTORY_REFRESH_SECONDS: '0' }, tuning: { now: () => new Date(clock) } })
  const body = (sim: typeof first): Record<string, unknown> => ({ id: 'lab', name: 'Lab', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem, axlUser: sim.axl.credentials.user, axlPassword: sim.axl.credentials.password })
  try {
    assert.equal((await t.inject({ method: 'POST', url: '/api/clusters', payload: body(first) })).statusCode, 201)
    await t.runtime.inventory.refresh('lab', true)
    assert.equal(t.runtime.inventory.sessions({ cluster: 'lab' }).total, SEED_LOGIN_COUNT)
    clock += 60_000
    const deletedAt = new Date(clock).toISOString()
    assert.ok((await t.inject({ method: 'DELETE', url: '/api/clusters/lab' })).statusCode < 300)
    assert.equal((await t.inject({ method: 'POST', url: '/api/clusters', payload: body(moved) })).statusCode, 201)
    // Before its first refresh it has no inventory: not the earlier cluster's, as of then, shown as current.
    const status = t.runtime.inventory.status().clusters.find((c) => c.cluster === 'lab')
    assert.equal(status?.asOf, null)
    assert.equal(status?.counts.sessions, 0)
    assert.equal(t.runtime.inventory.sessions({ cluster: 'lab' }).total, 0)

    // Its first refresh, a week on: the other CUCM's sessions start, none of the earlier ones ends then.
    clock += 7 * 86_400_000
    const outcome = await t.runtime.inventory.refresh('lab', true)
    assert.ok(outcome.clusters[0]?.state === 'ok', JSON.stringify(outcome))
    const ended = t.runtime.inventory.history({ cluster: 'lab', limit: 500 }).sessions
    assert.equal(ended.length, SEED_LOGIN_COUNT)
    assert.deepEqual(ended.filter((s) => s.endedAt > deletedAt).map((s) => `${s.deviceName} ${s.endedBy} ${s.endedAt}`), [])
    assert.ok(ended.some((s) => s.endedBy === 'not-seen' && s.endedAt === deletedAt))
    const live = t.runtime.inventory.sessions({ cluster: 'lab', limit: 500 })
    assert.equal(live.total, moved.state.counts().loggedIn)
    // An earlier ended session is never one of the new CUCM's logins.
    const now = new Set(live.sessions.map((s) => `${s.deviceName} ${s.userId} ${s.loginTime ?? ''}`))
    assert.deepEqual(ended.filter((s) => now.has(`${s.deviceName} ${s.userId} ${s.loginTime ?? ''}`)), [])
  } finally {
    await t.close()
    await first.close()
    await moved.close()
  }
})

test('the session history of a cluster deleted or disabled is read by its id, as History\'s records are: its history stays', async () => {
  const lab = await startSimulator({ scenario: seedScenario() })
  const t = await inventoryApp()
  try {
    const added = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'lab', name: 'Lab', host: '127.0.0.1', port: lab.port, appUser: lab.credentials.appUser, appPassword: lab.credentials.appPassword, caPem: lab.caPem, axlUser: lab.axl.credentials.user, axlPassword: lab.axl.credentials.password } })
    assert.equal(added.statusCode, 201, added.body)
    await t.runtime.inventory.refresh('lab', true)
    const device = t.runtime.inventory.sessions({ cluster: 'lab', limit: 1 }).sessions[0]?.deviceName ?? ''
    assert.ok(lab.state.logout(device).ok)
    await t.runtime.inventory.refresh('lab', true)
    for (const [change, request] of [['disabled', { method: 'PATCH', payload: { enabled: false } }], ['deleted', { method: 'DELETE' }]] as const) {
      const res = await t.inject({ url: '/api/clusters/lab', ...request })
      assert.ok(res.statusCode < 300, res.body)
      for (const url of [`/api/sessions/history?cluster=lab&device=${device}&exact=true`, `/api/sessions/history.csv?cluster=lab&device=${device}&exact=true`]) {
        const history = await t.inject(url, 'viewer')
        assert.equal(history.statusCode, 200, `${change} ${url} ${history.body}`)
        assert.ok(history.body.includes(device), `${change} ${url}`)
      }
      const page = (await t.inject('/api/sessions/history?cluster=lab', 'viewer')).json() as SessionHistoryPage
      assert.ok(page.sessions.every((s) => s.cluster === 'lab'), change)
    }
    // A name no cluster ever had is still a typo, refused naming the field.
    assert.equal((await t.inject('/api/sessions/history?cluster=nowhere', 'viewer')).statusCode, 400)
  } finally {
    await t.close()
    await lab.close()
  }
})
