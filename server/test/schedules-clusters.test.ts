import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ErrorBody, Schedule, ScheduleRunResult } from '@em-console/shared/schemas'
import { bulkDeviceName, bulkScenario } from '../src/simulator/bulk-scenario.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import type { Scenario } from '../src/simulator/state.ts'
import { buildTestApp, receivedOf, type TestApp } from './helpers/app.ts'
import { holdWriteLock } from './helpers/database.ts'
import { eventually } from './helpers/eventually.ts'

/*
 * Schedules name their clusters (issue #17): `default` (the test simulator) and `branch`, each
 * with AXL, plus `lab`, added and deleted to see what a schedule naming it does.
 */

const HOUR = 3_600_000

/** Phones from `from`, their users logged in `hoursAgo` ago. */
function aged (from: number, count: number, hoursAgo: number): Scenario {
  const base = bulkScenario(count)
  const rename = (i: number): string => bulkDeviceName(from + i)
  return { ...base, devices: base.devices.map((d, i) => ({ ...d, name: rename(i), loginTime: Date.now() - hoursAgo * HOUR })) }
}

let t: TestApp
let branch: Simulator
let lab: Simulator

async function addCluster (id: string, sim: Simulator, axl: boolean): Promise<void> {
  const res = await t.inject({
    method: 'POST',
    url: '/api/clusters',
    payload: {
      id,
      name: `${id[0]?.toUpperCase() ?? ''}${id.slice(1)} site`,
      host: '127.0.0.1',
      port: sim.port,
      appUser: sim.credentials.appUser,
      appPassword: sim.credentials.appPassword,
      caPem: sim.caPem,
      ...(axl ? { axlUser: sim.axl.credentials.user, axlPassword: sim.axl.credentials.password, axlPort: sim.port } : {})
    }
  })
  assert.equal(res.statusCode, 201, res.body)
}

async function create (payload: Record<string, unknown>): Promise<Schedule> {
  const res = await t.inject({ method: 'POST', url: '/api/schedules', payload: { cron: '0 2 * * *', timezone: 'UTC', ...payload } })
  assert.equal(res.statusCode, 201, res.body)
  return res.json() as Schedule
}

async function runNow (id: number, confirm?: string): Promise<ReturnType<TestApp['inject']>> {
  return await t.inject({ method: 'POST', url: `/api/schedules/${id}/run-now`, payload: confirm === undefined ? {} : { confirm } })
}

const errorOf = (body: string): ErrorBody['error'] => (JSON.parse(body) as ErrorBody).error

before(async () => {
  branch = await startSimulator({ scenario: aged(100, 10, 30) })
  lab = await startSimulator({ scenario: aged(200, 3, 1) })
  t = await buildTestApp({ axl: true, env: { SCHEDULE_TIMEZONE: 'Europe/Oslo', CUCM_CLUSTER_NAME: 'Head office' }, tuning: { allowAnyCron: true }, simulator: { scenario: aged(0, 10, 30) } })
  await addCluster('branch', branch, true)
  await addCluster('lab', lab, false)
})
after(async () => {
  await t.close()
  await branch.close()
  await lab.close()
})

describe('schedules name their clusters', () => {
  test('clusters are stored as the registry spells them; absent means every cluster; an unknown one is a 400 naming clusters', async () => {
    const some = await create({ name: 'branch-night', action: 'logout-all', clusters: ['BRANCH', 'branch'] })
    assert.deepEqual(some.clusters, ['branch'])
    const all = await create({ name: 'everywhere', action: 'logout-all' })
    assert.equal(all.clusters, null)
    // History filtered by a cluster shows the schedules of that cluster being made; one of every cluster names none.
    const created = t.audit.page({ action: 'schedule-create' }, 2).items
    assert.deepEqual(created.map((row) => [row.cluster, /"(.+?)"/.exec(row.message ?? '')?.[1]]), [[null, 'everywhere'], ['branch', 'branch-night']])
    const bad = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'nowhere', cron: '0 2 * * *', clusters: ['mars'] } })
    assert.equal(bad.statusCode, 400, bad.body)
    assert.equal(errorOf(bad.body).field, 'clusters')
    const empty = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'nowhere', cron: '0 2 * * *', clusters: [] } })
    assert.equal(empty.statusCode, 400, empty.body)
    // Edited back to every cluster with null; the change is audited.
    const edited = await t.inject({ method: 'PATCH', url: `/api/schedules/${some.id}`, payload: { clusters: null } })
    assert.equal(edited.statusCode, 200, edited.body)
    assert.equal((edited.json() as Schedule).clusters, null)
    assert.match(t.audit.page({ action: 'schedule-update' }, 1).items[0]?.message ?? '', /clusters \["branch"\] → null/)
    const back = await t.inject({ method: 'PATCH', url: `/api/schedules/${some.id}`, payload: { clusters: ['branch'] } })
    assert.deepEqual((back.json() as Schedule).clusters, ['branch'])
    assert.equal(t.audit.page({ action: 'schedule-update' }, 1).items[0]?.cluster, 'branch', 'the change names the cluster the schedule is of now')
  })

  test('without a time zone a schedule takes the first cluster\'s', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'zoned', cron: '0 2 * * *', action: 'logout-all' } })
    assert.equal(res.statusCode, 201, res.body)
    assert.equal((res.json() as Schedule).timezone, t.runtime.clusters.default().timezone)
    assert.equal((res.json() as Schedule).timezone, 'Europe/Oslo')
  })

  test('without a time zone a schedule of clusters that share one takes theirs (a branch\'s nightly logout on the branch\'s night); the preview says so', async () => {
    assert.equal((await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { timezone: 'America/Chicago' } })).statusCode, 200)
    try {
      const branchOnly = await create({ name: 'branch-zoned', action: 'logout-all', clusters: ['branch'], timezone: undefined })
      assert.equal(branchOnly.timezone, 'America/Chicago')
      const both = await create({ name: 'both-zoned', action: 'logout-all', clusters: ['default', 'branch'], timezone: undefined })
      assert.equal(both.timezone, 'Europe/Oslo', 'two zones: the first cluster\'s')
      const preview = async (query: string): Promise<string> => ((await t.inject(`/api/schedules/preview?cron=0%202%20*%20*%20*${query}`)).json() as { timezone: string }).timezone
      assert.equal(await preview('&clusters=branch'), 'America/Chicago')
      assert.equal(await preview('&clusters=default,branch'), 'Europe/Oslo')
      assert.equal(await preview('&clusters=branch&timezone=Asia%2FTokyo'), 'Asia/Tokyo')
      assert.equal((await t.inject('/api/schedules/preview?cron=0%202%20*%20*%20*&clusters=mars')).statusCode, 400)
      for (const s of [branchOnly, both]) await t.inject({ method: 'DELETE', url: `/api/schedules/${s.id}` })
    } finally {
      await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { timezone: null } })
    }
  })

  test('logout-all on one named cluster: only that cluster is asked, run now still needs the typed words', async () => {
    const schedule = t.schedules.list().find((s) => s.name === 'branch-night') as Schedule
    const refused = await runNow(schedule.id)
    assert.equal(refused.statusCode, 400)
    assert.match(errorOf(refused.body).message, /on cluster branch/)
    const res = await runNow(schedule.id, 'LOG OUT ALL')
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(receivedOf(branch, 'logoutAll').length, 1)
    assert.equal(receivedOf(t.sim, 'logoutAll').length, 0)
    assert.equal(receivedOf(lab, 'logoutAll').length, 0)
    assert.equal(t.audit.get((res.json() as ScheduleRunResult).result.auditId)?.cluster, 'branch')
  })

  test('logout-all with no clusters named runs on every cluster under one run id', async () => {
    const schedule = t.schedules.list().find((s) => s.name === 'everywhere') as Schedule
    const res = await runNow(schedule.id, 'LOG OUT ALL')
    assert.equal(res.statusCode, 200, res.body)
    assert.match((res.json() as ScheduleRunResult).result.message, /on 3 clusters \(Head office, Branch site, Lab site\)/, 'named as the dashboard names them')
    const runId = t.audit.get((res.json() as ScheduleRunResult).result.auditId)?.runId
    assert.ok(runId != null)
    assert.deepEqual(t.audit.page({ runId, action: 'logout-all' }, 10).items.map((r) => r.cluster).sort(), ['branch', 'default', 'lab'])
  })

  test('logout-all on two of three clusters: those two only, one run id', async () => {
    const schedule = await create({ name: 'two-of-three', action: 'logout-all', clusters: ['default', 'lab'] })
    const before = receivedOf(branch, 'logoutAll').length
    const res = await runNow(schedule.id, 'LOG OUT ALL')
    assert.equal(res.statusCode, 200, res.body)
    assert.match((res.json() as ScheduleRunResult).result.message, /on 2 clusters \(Head office, Lab site\)/)
    assert.equal(receivedOf(branch, 'logoutAll').length, before, 'the branch was not asked')
    const runId = t.audit.get((res.json() as ScheduleRunResult).result.auditId)?.runId ?? ''
    assert.deepEqual(t.audit.page({ runId, action: 'logout-all' }, 10).items.map((r) => r.cluster).sort(), ['default', 'lab'])
  })

  test('logout-older-than on its clusters only: the other cluster\'s old sessions stay', async () => {
    // Every phone logged in again 30 h ago on both clusters with AXL.
    for (const [sim, from] of [[t.sim, 0], [branch, 100]] as const) {
      sim.state.load(aged(from, 10, 30))
    }
    const schedule = await create({ name: 'branch-old', action: 'logout-older-than', hours: 12, clusters: ['branch'] })
    const res = await runNow(schedule.id)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(receivedOf(branch, 'logout').length, 10)
    assert.equal(receivedOf(t.sim, 'logout').length, 0)
    assert.equal(t.sim.state.counts().loggedIn, 10, 'the default cluster was left alone')
    assert.equal(branch.state.counts().loggedIn, 0)
  })

  test('logout-saved-list on its clusters only: a device of the other cluster is unknown there', async () => {
    await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Mixed', devices: [bulkDeviceName(1), bulkDeviceName(2)] }] } })
    const schedule = await create({ name: 'mixed-on-default', action: 'logout-saved-list', list: 'Mixed', clusters: ['default'] })
    const res = await runNow(schedule.id)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(t.sim.state.getDevice(bulkDeviceName(1))?.currentUser ?? null, null)
    const runId = (res.json() as ScheduleRunResult).result.runId ?? ''
    assert.deepEqual(t.runs.allItems(runId).map((i) => i.cluster), ['default', 'default'])
  })

  test('logout-saved-list on one cluster, of a list emptied since: its refusal names that cluster, so History filtered by it shows it', async () => {
    await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Ward B', devices: [bulkDeviceName(101)] }] } })
    const schedule = await create({ name: 'ward-b-on-branch', action: 'logout-saved-list', list: 'Ward B', clusters: ['branch'] })
    await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Ward B', devices: [] }] } })
    const res = await runNow(schedule.id)
    assert.equal(res.statusCode, 502, res.body)
    const record = t.audit.get(errorOf(res.body).auditId ?? 0)
    assert.deepEqual([record?.action, record?.errorCode, record?.message, record?.cluster], ['bulk-run', 'EMPTY_LIST', 'The device list "Ward B" is empty: add devices to it in Settings.', 'branch'])
    assert.equal(t.schedules.get(schedule.id)?.lastAuditId, record?.id)
  })

  test('a cluster a schedule names is not deleted; disabled, the schedule says it will fail, and its run fails with a clear message, run now or on time', async () => {
    const schedule = await create({ name: 'lab-night', action: 'logout-all', clusters: ['lab'] })
    const refused = await t.inject({ method: 'DELETE', url: '/api/clusters/lab' })
    assert.equal(refused.statusCode, 409, refused.body)
    assert.equal(errorOf(refused.body).code, 'CLUSTER_IN_USE')
    assert.match(errorOf(refused.body).message, /^Cluster lab is named by schedules .*"lab-night".*: nothing was deleted\.$/)
    assert.ok(t.runtime.clusters.get('lab') !== undefined, 'still there')
    assert.equal((await t.inject({ method: 'PATCH', url: '/api/clusters/lab', payload: { enabled: false } })).statusCode, 200)
    const listed = ((await t.inject('/api/schedules')).json() as { schedules: Array<{ id: number, problem: string | null }> }).schedules
    assert.equal(listed.find((s) => s.id === schedule.id)?.problem, 'Cluster Lab site is disabled: enable it again, or edit the schedule\'s clusters.')
    assert.equal(listed.find((s) => s.id !== schedule.id && s.problem === null) !== undefined, true, 'a schedule of the other clusters has none')
    const res = await runNow(schedule.id, 'LOG OUT ALL')
    assert.equal(res.statusCode, 409, res.body)
    assert.equal(errorOf(res.body).code, 'CLUSTER_UNAVAILABLE')
    assert.match(errorOf(res.body).message, /names cluster Lab site, which cannot be used: Cluster Lab site is disabled\. Nothing was sent/)
    const after = t.schedules.get(schedule.id)
    assert.equal(after?.lastOutcome, 'failure')
    assert.match(after?.lastMessage ?? '', /cluster Lab site, which cannot be used: Cluster Lab site is disabled\. Nothing was sent/)
    assert.equal(t.audit.get(after?.lastAuditId ?? 0)?.errorCode, 'CLUSTER_UNAVAILABLE')

    // On its timer too (every second here): recorded, not a crash, and the server goes on.
    const runs = t.schedules.get(schedule.id)?.lastRunAt
    const timed = await t.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { cron: '* * * * * *' } })
    assert.equal(timed.statusCode, 200, timed.body)
    await t.runtime.schedules.start()
    const fired = await eventually(() => {
      const s = t.schedules.get(schedule.id)
      return s?.lastRunAt !== runs && s?.lastOutcome === 'failure' ? s : undefined
    }, 15_000)
    assert.match(fired.lastMessage ?? '', /names cluster Lab site/)
    await t.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { enabled: false } })
    assert.equal((await t.inject('/api/health')).statusCode, 200)
  })

  test('run now of a logout-all schedule of two clusters that meets another logout-all on each is refused 409 naming a cluster, as with one cluster; it did not run', async () => {
    const schedule = await create({ name: 'both-busy', action: 'logout-all', clusters: ['default', 'branch'] })
    t.sim.setFaults({ hold: 'all' })
    branch.setFaults({ hold: 'all' })
    const other = t.inject({ method: 'POST', url: '/api/logout-all?cluster=all', payload: { confirm: 'LOG OUT ALL' } })
    try {
      await eventually(() => t.sim.stats.inFlight > 0 && branch.stats.inFlight > 0 ? true : undefined, 10_000)
      const res = await runNow(schedule.id, 'LOG OUT ALL')
      assert.equal(res.statusCode, 409, res.body)
      assert.equal(errorOf(res.body).code, 'LOGOUT_ALL_RUNNING')
      assert.match(errorOf(res.body).message, /already running on cluster Head office \(audit #\d+\)\./, 'named as the dashboard names it')
    } finally {
      t.sim.setFaults({ hold: 'none' })
      branch.setFaults({ hold: 'none' })
    }
    assert.equal((await other).statusCode, 200)
    assert.equal(t.schedules.get(schedule.id)?.lastOutcome, null)
    await t.inject({ method: 'DELETE', url: `/api/schedules/${schedule.id}` })
  })

  test('a schedule saved while the cluster it names is being deleted is refused, not saved naming a cluster that is gone', async () => {
    await addCluster('gone', lab, false)
    const named = await create({ name: 'gone-renamed', action: 'logout-all' })
    // Both writes wait behind another connection's lock, so the delete commits first, then the schedule's.
    // The writes asked are told by their labels: the queue's length also counts what trails (a
    // session's touch after a minute, a look-up), which once let the lock go before the PATCH was checked.
    const asked: string[] = []
    const write = t.store.write
    t.store.write = async (change, label) => { asked.push(label); return await write(change, label) }
    const lock = holdWriteLock(t.databasePath)
    let deleting: ReturnType<TestApp['inject']> | undefined
    let saving: Array<ReturnType<TestApp['inject']>> = []
    try {
      deleting = t.inject({ method: 'DELETE', url: '/api/clusters/gone' })
      await eventually(() => asked.includes('cluster-delete') ? true : undefined, 10_000)
      saving = [
        t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'gone-night', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-all', clusters: ['gone'] } }),
        t.inject({ method: 'PATCH', url: `/api/schedules/${named.id}`, payload: { clusters: ['gone'] } })
      ]
      await eventually(() => asked.includes('schedule-create') && asked.includes('schedule-update') ? true : undefined, 10_000)
    } finally {
      lock.release()
      t.store.write = write
    }
    assert.equal((await deleting).statusCode, 204)
    for (const res of await Promise.all(saving)) {
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(errorOf(res.body).message, 'Invalid field "clusters": cluster gone was deleted meanwhile: nothing was saved.')
    }
    assert.equal(t.schedules.list().some((s) => s.name === 'gone-night'), false, 'not created')
    assert.equal(t.schedules.get(named.id)?.clusters, null, 'not changed')
    await t.inject({ method: 'DELETE', url: `/api/schedules/${named.id}` })
  })
})
