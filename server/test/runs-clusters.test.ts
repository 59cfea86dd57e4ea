import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ErrorBody, Preview, RunItem } from '@em-console/shared/schemas'
import { bulkDeviceName } from '../src/simulator/bulk-scenario.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import type { Scenario } from '../src/simulator/state.ts'
import { buildTestApp, receivedOf, runEnded, type TestApp } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'

/*
 * Bulk runs across two clusters (issue #17) and runs by sessions (issue #18): the environment's
 * cluster `default` (the test simulator) and `branch`, a second simulator added through the API.
 */

const HOUR = 3_600_000
/** On both clusters, a different user on each: a run that names no cluster must not guess. */
const SHARED = bulkDeviceName(0)

/** Phones `from`..`from + count - 1`, each with its own user logged in `hoursAgo` ago; plus SHARED. */
function scenario (from: number, count: number, hoursAgo: number, sharedUser: string): Scenario {
  const users = [sharedUser, ...Array.from({ length: count }, (_, i) => `user${from + i}`)]
  const loginTime = Date.now() - hoursAgo * HOUR
  return {
    users,
    profiles: users.map((u) => ({ name: `${u}-profile`, owners: [u], isDefault: true })),
    devices: [
      { name: SHARED, currentUser: sharedUser, loginTime },
      ...Array.from({ length: count }, (_, i) => ({ name: bulkDeviceName(from + i), currentUser: `user${from + i}`, loginTime }))
    ]
  }
}

const HQ_DEVICES = Array.from({ length: 16 }, (_, i) => bulkDeviceName(1 + i))
const BRANCH_DEVICES = Array.from({ length: 16 }, (_, i) => bulkDeviceName(101 + i))

interface Clusters {
  t: TestApp
  branch: Simulator
  close: () => Promise<void>
}

/** Both clusters with the same latency and a limiter of 2 each; with AXL on both when asked. */
async function twoClusters (axl = false): Promise<Clusters> {
  const faults = { latencyMs: 40 }
  const branch = await startSimulator({ scenario: scenario(101, 16, 30, 'shared.branch'), faults })
  const t = await buildTestApp({ axl, env: { CUCM_CLUSTER_NAME: 'Head office' }, maxConcurrency: 2, simulator: { scenario: scenario(1, 16, 2, 'shared.hq'), faults } })
  const res = await t.inject({
    method: 'POST',
    url: '/api/clusters',
    payload: {
      id: 'branch',
      name: 'Branch office',
      host: '127.0.0.1',
      port: branch.port,
      appUser: branch.credentials.appUser,
      appPassword: branch.credentials.appPassword,
      caPem: branch.caPem,
      maxConcurrency: 2,
      ...(axl ? { axlUser: branch.axl.credentials.user, axlPassword: branch.axl.credentials.password, axlPort: branch.port } : {})
    }
  })
  assert.equal(res.statusCode, 201, res.body)
  return { t, branch, close: async () => { await t.close(); await branch.close() } }
}

function itemsOf (t: TestApp, id: string): RunItem[] {
  return t.runs.allItems(id)
}

const errorOf = (body: string): ErrorBody['error'] => (JSON.parse(body) as ErrorBody).error

describe('bulk runs across two clusters', () => {
  let c: Clusters
  before(async () => { c = await twoClusters() })
  after(async () => { await c.close() })

  test('the preview asks both clusters: each device on its cluster, one on both not run, naming them', async () => {
    const res = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', devices: [HQ_DEVICES[0], BRANCH_DEVICES[0], SHARED, 'SEPFFFFFFFFFFFF'] } })
    assert.equal(res.statusCode, 200, res.body)
    const preview = res.json() as Preview
    const byDevice = Object.fromEntries(preview.items.map((i) => [i.device, i]))
    assert.deepEqual([byDevice[HQ_DEVICES[0] ?? '']?.cluster, byDevice[HQ_DEVICES[0] ?? '']?.category], ['default', 'will-logout'])
    assert.deepEqual([byDevice[BRANCH_DEVICES[0] ?? '']?.cluster, byDevice[BRANCH_DEVICES[0] ?? '']?.currentUser], ['branch', 'user101'])
    assert.equal(byDevice[SHARED]?.category, 'ambiguous')
    assert.equal(byDevice[SHARED]?.cluster, null)
    assert.match(byDevice[SHARED]?.reason ?? '', /several clusters \(default, branch\).*Name the cluster/)
    assert.equal(byDevice.SEPFFFFFFFFFFFF?.category, 'not-found')
    assert.deepEqual(preview.counts, { 'will-logout': 2, ambiguous: 1, 'not-found': 1 })
  })

  test('sessions picked on two clusters (one device name on both) run each on its own cluster, only for the user shown', async () => {
    c.t.sim.reset()
    c.branch.reset()
    const located = [
      { device: SHARED, cluster: 'default', user: 'shared.hq' },
      { device: SHARED, cluster: 'branch', user: 'shared.branch' },
      // Someone else is on it now: not sent.
      { device: HQ_DEVICES[1] ?? '', cluster: 'default', user: 'somebody.else' }
    ]
    const preview = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', located } })
    assert.equal(preview.statusCode, 200, preview.body)
    assert.deepEqual((preview.json() as Preview).items.map((i) => [i.device, i.cluster, i.category]), [
      [SHARED, 'default', 'will-logout'], [SHARED, 'branch', 'will-logout'], [HQ_DEVICES[1], 'default', 'empty']
    ])
    const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', located, verifyAfterSeconds: 0 } })
    assert.equal(res.statusCode, 202, res.body)
    const run = await runEnded(c.t, (res.json() as { id: string }).id)
    assert.deepEqual(itemsOf(c.t, run.id).map((i) => [i.device, i.cluster, i.outcome]), [[SHARED, 'default', 'success'], [SHARED, 'branch', 'success'], [HQ_DEVICES[1], 'default', 'empty']])
    assert.equal(c.t.sim.state.getDevice(SHARED)?.currentUser ?? null, null)
    assert.equal(c.branch.state.getDevice(SHARED)?.currentUser ?? null, null)
    assert.equal(c.t.sim.state.getDevice(HQ_DEVICES[1] ?? '')?.currentUser, 'user2', 'the user on it now was left alone')
    // A cluster that is not one, or a body cluster that contradicts the devices', names the field.
    const unknown = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', located: [{ device: SHARED, cluster: 'nowhere' }] } })
    assert.equal(unknown.statusCode, 400, unknown.body)
    assert.equal(errorOf(unknown.body).field, 'cluster')
    const contradicts = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', located, cluster: 'branch' } })
    assert.equal(contradicts.statusCode, 400, contradicts.body)
    assert.equal(errorOf(contradicts.body).field, 'cluster')
    c.t.sim.reset()
    c.branch.reset()
  })

  test('a run of both: each cluster\'s items through its own limiter, both busy at once, items and audit rows tagged', async () => {
    const hqSim = c.t.sim
    const devices = HQ_DEVICES.flatMap((d, i) => [d, BRANCH_DEVICES[i] ?? '']).concat(SHARED)
    hqSim.resetStats()
    c.branch.resetStats()
    const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices, verifyAfterSeconds: 0 } })
    assert.equal(res.statusCode, 202, res.body)
    const id = (res.json() as { id: string }).id
    // Both simulators answer logouts at the same moment: neither cluster waits for the other.
    await eventually(() => hqSim.stats.inFlight > 0 && c.branch.stats.inFlight > 0 ? true : undefined, 20_000)
    const run = await runEnded(c.t, id)
    assert.deepEqual(run.counts, { success: 32, ambiguous: 1 })
    // Each cluster used its whole limiter, and never more.
    assert.equal(hqSim.stats.peakInFlight, 2)
    assert.equal(c.branch.stats.peakInFlight, 2)
    assert.equal(receivedOf(hqSim, 'logout').length, 16)
    assert.equal(receivedOf(c.branch, 'logout').length, 16)
    const items = itemsOf(c.t, id)
    for (const item of items.filter((i) => i.outcome === 'success')) {
      const expected = HQ_DEVICES.includes(item.device) ? 'default' : 'branch'
      assert.equal(item.cluster, expected, item.device)
      assert.equal(c.t.audit.get(item.auditId ?? 0)?.cluster, expected, `the audit row of ${item.device}`)
    }
    const shared = items.find((i) => i.device === SHARED)
    assert.equal(shared?.outcome, 'ambiguous')
    assert.match(shared?.message ?? '', /several clusters \(default, branch\)/)
    assert.ok(!receivedOf(hqSim, 'logout').some((xml) => xml.includes(SHARED)) && !receivedOf(c.branch, 'logout').some((xml) => xml.includes(SHARED)), 'nothing was sent to the device on both')

    const csv = await c.t.inject(`/api/runs/${id}/results.csv`)
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
    assert.ok(lines[0]?.startsWith('device,cluster,user,'))
    assert.ok(lines.some((l) => l.startsWith(`${BRANCH_DEVICES[0] ?? ''},branch,user101,`)), lines.slice(0, 4).join('\n'))
  })

  test('a slow cluster does not hold back a fast one: the fast one\'s items all finish while the slow one is still early on', async () => {
    for (const device of BRANCH_DEVICES) c.branch.state.login({ deviceName: device, userId: `user${Number.parseInt(device.slice(4), 16)}` })
    for (const device of HQ_DEVICES) c.t.sim.state.login({ deviceName: device, userId: `user${Number.parseInt(device.slice(4), 16)}` })
    // The slow cluster's logouts are held until the fast one's are all done.
    c.branch.setFaults({ hold: 'changes' })
    try {
      // The slow cluster's devices first: one pool of workers would be all taken by them.
      const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [...BRANCH_DEVICES, ...HQ_DEVICES], verifyAfterSeconds: 0 } })
      assert.equal(res.statusCode, 202, res.body)
      const id = (res.json() as { id: string }).id
      const branchDone = await eventually(() => {
        const items = itemsOf(c.t, id)
        const done = (cluster: string): number => items.filter((i) => i.cluster === cluster && i.outcome === 'success').length
        return done('default') === HQ_DEVICES.length ? done('branch') : undefined
      }, 30_000)
      assert.equal(branchDone, 0, `${branchDone} of 16 branch logouts were done when hq finished`)
      c.branch.setFaults({ hold: 'none' })
      const run = await runEnded(c.t, id)
      assert.deepEqual(run.counts, { success: 32 })
    } finally {
      c.branch.setFaults({ hold: 'none' })
    }
  })

  test('a run of one cluster: the device on both is run there only, the others are unknown to it', async () => {
    const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [SHARED, HQ_DEVICES[0]], cluster: 'BRANCH', verifyAfterSeconds: 0 } })
    assert.equal(res.statusCode, 202, res.body)
    const run = await runEnded(c.t, (res.json() as { id: string }).id)
    assert.deepEqual(run.counts, { success: 1, 'not-found': 1 })
    assert.deepEqual(itemsOf(c.t, run.id).map((i) => [i.device, i.cluster, i.outcome]), [[SHARED, 'branch', 'success'], [HQ_DEVICES[0], null, 'not-found']])
    assert.equal(c.branch.state.getDevice(SHARED)?.currentUser ?? null, null, 'logged out at the branch')
    assert.equal(c.t.sim.state.getDevice(SHARED)?.currentUser, 'shared.hq', 'still logged in at hq')

    // A CSV upload names its cluster with ?cluster=.
    const csv = await c.t.inject({ method: 'POST', url: '/api/runs/preview?action=logout&cluster=default', headers: { 'content-type': 'text/csv' }, payload: `device\n${SHARED}\n${BRANCH_DEVICES[1] ?? ''}\n` })
    assert.equal(csv.statusCode, 200, csv.body)
    assert.deepEqual((csv.json() as Preview).items.map((i) => [i.device, i.cluster, i.category]), [[SHARED, 'default', 'will-logout'], [BRANCH_DEVICES[1], null, 'not-found']])
  })

  test('an unknown cluster is a 400 naming cluster, in the body or the query', async () => {
    const json = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [SHARED], cluster: 'nowhere' } })
    assert.equal(json.statusCode, 400, json.body)
    assert.equal(errorOf(json.body).field, 'cluster')
    assert.match(errorOf(json.body).message, /no cluster "nowhere".*default, branch/)
    const csv = await c.t.inject({ method: 'POST', url: '/api/runs/preview?action=logout&cluster=nowhere', headers: { 'content-type': 'text/csv' }, payload: `device\n${SHARED}\n` })
    assert.equal(csv.statusCode, 400, csv.body)
    assert.equal(errorOf(csv.body).field, 'cluster')
  })

  test('a JSON run given a CSV file\'s query parameter (?cluster=) is refused naming it, not run on every cluster', async () => {
    const device = HQ_DEVICES[2] ?? ''
    const runsBefore = c.t.runs.page(200).runs.length
    const sentBefore = c.t.sim.stats.requests + c.branch.stats.requests
    for (const url of ['/api/runs/preview?cluster=branch', '/api/runs?cluster=branch']) {
      const res = await c.t.inject({ method: 'POST', url, payload: { action: 'logout', devices: [device] } })
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(errorOf(res.body).field, 'cluster')
      assert.match(errorOf(res.body).message, /"cluster" is for a CSV file .*: a JSON body gives it as its field "cluster"/)
    }
    const verify = await c.t.inject({ method: 'POST', url: '/api/runs?verifyAfterSeconds=0', payload: { action: 'logout', devices: [device] } })
    assert.equal(verify.statusCode, 400, verify.body)
    assert.equal(errorOf(verify.body).field, 'verifyAfterSeconds')
    assert.equal(c.t.runs.page(200).runs.length, runsBefore, 'no run started')
    assert.equal(c.t.sim.stats.requests + c.branch.stats.requests, sentBefore, 'no cluster was asked')
  })

  test('one cluster that cannot be asked stops no run: what the others found runs, a device found nowhere may be on it and is not run', async () => {
    c.t.sim.reset()
    c.branch.setFaults({ mode: 'http-503' })
    try {
      const names = [...HQ_DEVICES.slice(0, 2), 'SEP0000000FFFFF']
      const preview = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', devices: names } })
      assert.equal(preview.statusCode, 200, preview.body)
      const items = (preview.json() as Preview).items
      assert.deepEqual(items.map((i) => [i.device, i.cluster, i.category]), [
        [HQ_DEVICES[0], 'default', 'will-logout'], [HQ_DEVICES[1], 'default', 'will-logout'], ['SEP0000000FFFFF', null, 'unavailable']
      ])
      assert.match(items[2]?.reason ?? '', /may be on one that could not be asked: Cluster Branch office: .*HTTP 503/)

      const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: names, verifyAfterSeconds: 0 } })
      const run = await runEnded(c.t, (res.json() as { id: string }).id)
      assert.deepEqual(itemsOf(c.t, run.id).map((i) => [i.device, i.outcome]), [[HQ_DEVICES[0], 'success'], [HQ_DEVICES[1], 'success'], ['SEP0000000FFFFF', 'not-run']])
      assert.match(itemsOf(c.t, run.id)[2]?.message ?? '', /Cluster Branch office/)

      // Devices that name their cluster, and users looked for everywhere: the same.
      c.t.sim.reset()
      const located = [{ device: HQ_DEVICES[0] ?? '', cluster: 'default' }, { device: BRANCH_DEVICES[0] ?? '', cluster: 'branch' }]
      const byCluster = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', located, verifyAfterSeconds: 0 } })
      assert.equal(byCluster.statusCode, 202, byCluster.body)
      const second = await runEnded(c.t, (byCluster.json() as { id: string }).id)
      assert.deepEqual(itemsOf(c.t, second.id).map((i) => [i.device, i.outcome]), [[HQ_DEVICES[0], 'success'], [BRANCH_DEVICES[0], 'not-run']])
      // Its own cluster could not be asked: said so, not "may be on one that could not be asked".
      assert.match(itemsOf(c.t, second.id)[1]?.message ?? '', /^Not sent: its cluster could not be asked\. Cluster Branch office: .*HTTP 503/)
      c.t.sim.reset()
      const users = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', users: ['user1', 'user101'], verifyAfterSeconds: 0 } })
      assert.equal(users.statusCode, 202, users.body)
      const third = await runEnded(c.t, (users.json() as { id: string }).id)
      assert.equal(third.state, 'done')
      assert.deepEqual(itemsOf(c.t, third.id).map((i) => [i.device, i.userId, i.outcome]), [[HQ_DEVICES[0], 'user1', 'success'], ['', 'user101', 'not-run']])
      assert.match(itemsOf(c.t, third.id)[1]?.message ?? '', /may be on one that could not be asked: Cluster Branch office/)
      // A user the clusters that answered know, logged in on none of them, may be logged in on the
      // silent one: not "logged in nowhere" (the run said done, while the branch phone stayed logged in).
      const again = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', users: ['user1'] } })
      assert.equal(again.statusCode, 200, again.body)
      assert.deepEqual((again.json() as Preview).items.map((i) => [i.user, i.category]), [['user1', 'unavailable']])
      assert.match((again.json() as Preview).items[0]?.reason ?? '', /^Logged in on none of the clusters that answered, and may be on one that could not be asked: Cluster Branch office/)

      // A re-check while a cluster is silent checks what it can: a device there is not called logged out.
      c.t.sim.reset()
      c.branch.reset()
      const checkedRun = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', located, verifyAfterSeconds: 1 } })
      const fourth = await runEnded(c.t, (checkedRun.json() as { id: string }).id)
      assert.deepEqual(itemsOf(c.t, fourth.id).map((i) => i.outcome), ['success', 'success'])
      c.branch.setFaults({ mode: 'http-503' })
      const rechecked = await eventually(() => { const r = c.t.runs.get(fourth.id); return r?.verifiedAt !== null ? r : undefined }, 15_000)
      assert.deepEqual(rechecked?.items.map((i) => [i.device, i.verified]), [[HQ_DEVICES[0], true], [BRANCH_DEVICES[0], null]])
      // The run says which devices were not re-checked, and why: not "1 of 1 device confirmed" alone.
      assert.deepEqual(rechecked?.recheck, { checked: 1, confirmed: 1 })
      assert.match(rechecked?.verifyError ?? '', /^Not re-checked: 1 device, its cluster could not be asked: Cluster Branch office: .*HTTP 503/)
    } finally {
      c.branch.setFaults({ mode: 'none' })
    }
  })

  test('a cluster that does not answer a run\'s look-up is not asked again for each chunk: its failure stands for it a while, the others\' devices run', async () => {
    c.t.sim.reset()
    c.branch.setFaults({ mode: 'http-503' })
    try {
      // 126 names, three chunks of 50: each asked the silent cluster again, waiting its time limit each time.
      const unknown = Array.from({ length: 110 }, (_, i) => `SEP0000000F${i.toString(16).toUpperCase().padStart(4, '0')}`)
      const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [...HQ_DEVICES, ...unknown], verifyAfterSeconds: 0 } })
      assert.equal(res.statusCode, 202, res.body)
      const run = await runEnded(c.t, (res.json() as { id: string }).id)
      const items = itemsOf(c.t, run.id)
      assert.deepEqual([items.filter((i) => i.outcome === 'success').length, items.filter((i) => i.outcome === 'not-run').length], [HQ_DEVICES.length, unknown.length])
      assert.ok(items.filter((i) => i.outcome === 'not-run').every((i) => /may be on one that could not be asked: Cluster Branch office: .*HTTP 503/.test(i.message ?? '')))
      const lookUps = async (cluster: string): Promise<number> => ((await c.t.inject({ url: `/api/audit?runId=${run.id}&cluster=${cluster}&action=device-query&limit=1` })).json() as { total: number }).total
      assert.equal(await lookUps('default'), 3)
      assert.equal(await lookUps('branch'), 1)
    } finally {
      c.branch.setFaults({ mode: 'none' })
    }
  })

  test('a user list: each user\'s devices on every cluster, each item on its own cluster', async () => {
    // The seeds: shared.hq on SHARED at hq, user116 on its phone at the branch.
    c.t.sim.reset()
    c.branch.reset()
    assert.equal(c.branch.state.getDevice(bulkDeviceName(116))?.currentUser, 'user116')
    const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', users: ['shared.hq', 'user116', 'nobody.here'], verifyAfterSeconds: 0 } })
    assert.equal(res.statusCode, 202, res.body)
    const run = await runEnded(c.t, (res.json() as { id: string }).id)
    assert.deepEqual(itemsOf(c.t, run.id).map((i) => [i.device, i.userId, i.cluster, i.outcome]), [
      [SHARED, 'shared.hq', 'default', 'success'],
      [bulkDeviceName(116), 'user116', 'branch', 'success'],
      ['', 'nobody.here', null, 'not-found']
    ])
    assert.equal(c.t.sim.state.getDevice(SHARED)?.currentUser ?? null, null)
  })

  test('"Run the rest" of a run of one cluster stays on that cluster, and its summary record names it as its run\'s does', async () => {
    c.t.sim.reset()
    c.branch.reset()
    const [hqDevice, branchDevice] = [HQ_DEVICES[10] ?? '', BRANCH_DEVICES[10] ?? '']
    // The branch does not answer: the run's look-up fails, its items are not run (and have no cluster yet).
    c.branch.setFaults({ mode: 'http-503' })
    let first
    try {
      const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [branchDevice, hqDevice], cluster: 'branch', verifyAfterSeconds: 0 } })
      assert.equal(res.statusCode, 202, res.body)
      first = await runEnded(c.t, (res.json() as { id: string }).id)
    } finally {
      c.branch.setFaults({ mode: 'none' })
    }
    assert.deepEqual(itemsOf(c.t, first.id).map((i) => [i.device, i.cluster, i.outcome]), [[branchDevice, null, 'not-run'], [hqDevice, null, 'not-run']])
    const rest = await c.t.inject({ method: 'POST', url: `/api/runs/${first.id}/retry`, payload: { scope: 'rest' } })
    assert.equal(rest.statusCode, 202, rest.body)
    const retry = await runEnded(c.t, (rest.json() as { id: string }).id)
    assert.deepEqual(itemsOf(c.t, retry.id).map((i) => [i.device, i.cluster, i.outcome]), [[branchDevice, 'branch', 'success'], [hqDevice, null, 'not-found']])
    assert.equal(c.t.sim.state.getDevice(hqDevice)?.currentUser, 'user11', 'the run asked for the branch only: hq\'s phone is left alone')
    const summaries = (id: string): Array<string | null> => c.t.audit.page({ runId: id, action: 'bulk-run' }, 10).items.map((row) => row.cluster)
    assert.deepEqual([summaries(first.id), summaries(retry.id)], [['branch'], ['branch']])
  })

  test('a retry of a run of a cluster deleted since is refused (409) naming that cluster, not a field the request does not have', async () => {
    c.branch.reset()
    const added = await c.t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'lab', host: '127.0.0.1', port: c.branch.port, appUser: c.branch.credentials.appUser, appPassword: c.branch.credentials.appPassword, caPem: c.branch.caPem } })
    assert.equal(added.statusCode, 201, added.body)
    c.branch.setFaults({ mode: 'http-503' })
    let first
    try {
      const res = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [BRANCH_DEVICES[12]], cluster: 'lab', verifyAfterSeconds: 0 } })
      assert.equal(res.statusCode, 202, res.body)
      first = await runEnded(c.t, (res.json() as { id: string }).id)
    } finally {
      c.branch.setFaults({ mode: 'none' })
    }
    assert.equal((await c.t.inject({ method: 'DELETE', url: '/api/clusters/lab' })).statusCode, 204)
    const rest = await c.t.inject({ method: 'POST', url: `/api/runs/${first.id}/retry`, payload: { scope: 'rest' } })
    assert.equal(rest.statusCode, 409, rest.body)
    const error = errorOf(rest.body)
    assert.equal(error.code, 'CLUSTER_UNAVAILABLE')
    assert.equal(error.field, undefined)
    assert.match(error.message, /cluster "lab", which no longer exists/)
    assert.deepEqual(c.t.runs.recent(5).filter((r) => r.parentRunId === first.id), [], 'no run started')
  })

  /**
   * A device list of Settings run by a schedule on `clusters` (run now), while neither the
   * environment's cluster nor the branch answers: its look-up fails, its items end not run
   * (no cluster yet). The run's id.
   */
  async function failedListRun (name: string, devices: readonly string[], clusters: readonly string[]): Promise<string> {
    const saved = await c.t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name, devices }] } })
    assert.equal(saved.statusCode, 200, saved.body)
    const schedule = await c.t.inject({ method: 'POST', url: '/api/schedules', payload: { name, cron: '0 2 * * *', timezone: 'UTC', action: 'logout-saved-list', list: name, clusters } })
    assert.equal(schedule.statusCode, 201, schedule.body)
    const scheduleId = (schedule.json() as { id: number }).id
    for (const sim of [c.t.sim, c.branch]) sim.setFaults({ mode: 'http-503' })
    try {
      const res = await c.t.inject({ method: 'POST', url: `/api/schedules/${scheduleId}/run-now`, payload: {} })
      assert.equal(res.statusCode, 502, res.body)
      const runId = c.t.audit.get(errorOf(res.body).auditId ?? 0)?.runId ?? ''
      const run = await runEnded(c.t, runId)
      assert.deepEqual(itemsOf(c.t, run.id).map((i) => [i.device, i.cluster, i.outcome]), devices.map((d) => [d, null, 'not-run']))
      return run.id
    } finally {
      for (const sim of [c.t.sim, c.branch]) sim.setFaults({ mode: 'none' })
      // A cluster a schedule names cannot be deleted: the schedule goes, its run stays.
      assert.equal((await c.t.inject({ method: 'DELETE', url: `/api/schedules/${scheduleId}` })).statusCode, 204)
    }
  }

  test('"Run the rest" of a run asked for two clusters stays on those two: a phone of that name on a third cluster added since is left alone', async () => {
    c.t.sim.reset()
    c.branch.reset()
    const lab = await startSimulator({ scenario: scenario(201, 2, 1, 'shared.lab') })
    try {
      const [branchDevice, labDevice] = [BRANCH_DEVICES[13] ?? '', bulkDeviceName(201)]
      const first = await failedListRun('Rounds', [branchDevice, labDevice], ['default', 'branch'])
      const added = await c.t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'lab', host: '127.0.0.1', port: lab.port, appUser: lab.credentials.appUser, appPassword: lab.credentials.appPassword, caPem: lab.caPem } })
      assert.equal(added.statusCode, 201, added.body)
      const rest = await c.t.inject({ method: 'POST', url: `/api/runs/${first}/retry`, payload: { scope: 'rest' } })
      assert.equal(rest.statusCode, 202, rest.body)
      const retry = await runEnded(c.t, (rest.json() as { id: string }).id)
      assert.deepEqual(itemsOf(c.t, retry.id).map((i) => [i.device, i.cluster, i.outcome]), [[branchDevice, 'branch', 'success'], [labDevice, null, 'not-found']])
      assert.equal(lab.state.getDevice(labDevice)?.currentUser, 'user201', 'the run asked for default and branch: the lab\'s phone is left alone')
      assert.equal(receivedOf(lab, 'logout').length, 0)
      // Of several clusters, neither summary record names one.
      const summaries = (id: string): Array<string | null> => c.t.audit.page({ runId: id, action: 'bulk-run' }, 10).items.map((row) => row.cluster)
      assert.deepEqual([summaries(first), summaries(retry.id)], [[null], [null]])
    } finally {
      await c.t.inject({ method: 'DELETE', url: '/api/clusters/lab' })
      await lab.close()
    }
  })

  test('a retry of a run asked for two clusters, one deleted since, sends the rest on the other, and its summary and record say which cluster was left out', async () => {
    c.t.sim.reset()
    c.branch.reset()
    const added = await c.t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'lab', host: '127.0.0.1', port: c.branch.port, appUser: c.branch.credentials.appUser, appPassword: c.branch.credentials.appPassword, caPem: c.branch.caPem } })
    assert.equal(added.statusCode, 201, added.body)
    const [hqDevice, labDevice] = [HQ_DEVICES[14] ?? '', BRANCH_DEVICES[14] ?? '']
    const first = await failedListRun('Lab rounds', [hqDevice, labDevice], ['default', 'lab'])
    assert.equal((await c.t.inject({ method: 'DELETE', url: '/api/clusters/lab' })).statusCode, 204)
    const rest = await c.t.inject({ method: 'POST', url: `/api/runs/${first}/retry`, payload: { scope: 'rest' } })
    assert.equal(rest.statusCode, 202, rest.body)
    const retry = await runEnded(c.t, (rest.json() as { id: string }).id)
    // Looked up on the cluster left: the lab's phone is not found there, and nothing goes to the lab.
    assert.deepEqual(itemsOf(c.t, retry.id).map((i) => [i.device, i.cluster, i.outcome]), [[hqDevice, 'default', 'success'], [labDevice, null, 'not-found']])
    assert.equal(c.branch.state.getDevice(labDevice)?.currentUser, 'user115', 'the deleted cluster\'s phone is left alone')
    const summary = c.t.audit.page({ runId: retry.id, action: 'bulk-run' }, 10).items[0]
    assert.match(summary?.message ?? '', /\(run [0-9a-f]{8}, cluster lab left out, deleted since\): /)
    const retried = c.t.audit.page({ runId: retry.id, action: 'run-retry' }, 10).items[0]
    assert.match(retried?.message ?? '', new RegExp(`^Ran the items not reached \\(2\\) of run ${first} as run ${retry.id}, cluster lab left out, deleted since\\.$`))
  })
})

describe('runs by sessions (issue #18)', () => {
  test('without AXL: 409 INVENTORY_NOT_CONFIGURED, nothing run', async () => {
    const t = await buildTestApp()
    try {
      for (const url of ['/api/runs/preview', '/api/runs']) {
        const res = await t.inject({ method: 'POST', url, payload: { action: 'logout', sessions: { olderThanHours: 12 } } })
        assert.equal(res.statusCode, 409, res.body)
        assert.equal(errorOf(res.body).code, 'INVENTORY_NOT_CONFIGURED')
      }
      assert.equal(t.runs.recent(10).length, 0)
    } finally {
      await t.close()
    }
  })

  test('a selection by sessions on two clusters: preview as of now, then a run whose items carry their clusters', async () => {
    const c = await twoClusters(true)
    try {
      // Branch sessions are 30 h old, hq's 2 h: "older than 12 h" is the branch's only.
      const res = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', sessions: { olderThanHours: 12 } } })
      assert.equal(res.statusCode, 200, res.body)
      const preview = res.json() as Preview
      assert.equal(preview.items.length, 17)
      assert.ok(preview.items.every((i) => i.cluster === 'branch' && i.category === 'will-logout'), JSON.stringify(preview.items.slice(0, 2)))
      assert.ok(preview.items.some((i) => i.device === SHARED && i.currentUser === 'shared.branch'), 'the shared name is not ambiguous: the session says where')
      assert.deepEqual(Object.keys(preview.asOf ?? {}).sort(), ['branch', 'default'])
      assert.ok(Object.values(preview.asOf ?? {}).every((at) => at !== null && Date.now() - Date.parse(at) < 60_000), 'a fresh inventory')

      const branchDevice = BRANCH_DEVICES[2] ?? ''
      const run = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', sessions: { olderThanHours: 12 }, verifyAfterSeconds: 0 } })
      assert.equal(run.statusCode, 202, run.body)
      const id = (run.json() as { id: string }).id
      const done = await runEnded(c.t, id)
      assert.equal(done.counts.success, 17)
      // The run says what it selected by, and as of when.
      assert.match(done.selection ?? '', /^the sessions logged in for more than 12 h \(inventory (Head office|Branch office) as of .+, (Head office|Branch office) as of .+\)$/, 'each cluster named as the dashboard names it')
      const items = itemsOf(c.t, id)
      assert.ok(items.every((i) => i.cluster === 'branch'))
      assert.ok(items.some((i) => i.device === branchDevice && i.userId === 'user103'))
      assert.equal(receivedOf(c.t.sim, 'logout').length, 0, 'nothing sent to hq')
      assert.equal(c.t.sim.state.getDevice(SHARED)?.currentUser, 'shared.hq')

      // A selection limited to one cluster, in the filters or the body: the same.
      const hq = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', sessions: {}, cluster: 'default' } })
      assert.equal(hq.statusCode, 200, hq.body)
      assert.ok((hq.json() as Preview).items.every((i) => i.cluster === 'default'))
      assert.equal((hq.json() as Preview).items.length, 17)
      const clash = await c.t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', sessions: { cluster: 'branch' }, cluster: 'default' } })
      assert.equal(clash.statusCode, 400, clash.body)
      assert.equal(errorOf(clash.body).field, 'cluster')

      // Sessions previewed from filters and started as they were previewed: the filters are the run's selection, no other run has one.
      const previewed = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', located: [{ device: SHARED, cluster: 'default', user: 'shared.hq' }], previewedFrom: { cluster: 'default', olderThanHours: 1 }, verifyAfterSeconds: 0 } })
      assert.equal(previewed.statusCode, 202, previewed.body)
      assert.equal((await runEnded(c.t, (previewed.json() as { id: string }).id)).selection, 'the sessions logged in for more than 1 h in cluster Head office, as previewed')
      const plain = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [branchDevice], cluster: 'branch', verifyAfterSeconds: 0 } })
      assert.equal((await runEnded(c.t, (plain.json() as { id: string }).id)).selection, null)
    } finally {
      await c.close()
    }
  })

  test('a run by sessions of one cluster, asked through POST /api/runs, names it in its summary record as the CLI\'s and a schedule\'s do: History filtered by it shows the run', async () => {
    const c = await twoClusters(true)
    try {
      /** Starts a run by sessions and answers with the cluster its summary record names. */
      const named = async (payload: object): Promise<[string, string | null | undefined]> => {
        const started = await c.t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', verifyAfterSeconds: 0, ...payload } })
        assert.equal(started.statusCode, 202, started.body)
        const run = await runEnded(c.t, (started.json() as { id: string }).id)
        return [run.id, c.t.audit.page({ runId: run.id, action: 'bulk-run' }, 10).items.map((row) => row.cluster)[0]]
      }
      // The body's cluster, and the filters' (spelled in another case): the cluster's own id.
      const [byBody, bodyCluster] = await named({ sessions: { olderThanHours: 12 }, cluster: 'branch' })
      const [byFilters, filtersCluster] = await named({ sessions: { olderThanHours: 12, cluster: 'BRANCH' } })
      assert.deepEqual([bodyCluster, filtersCluster], ['branch', 'branch'])
      const history = (await c.t.inject('/api/audit?action=bulk-run&cluster=branch')).json().items as Array<{ runId: string }>
      assert.deepEqual(history.map((row) => row.runId), [byFilters, byBody])
      // Both clusters: none named (the message says what was selected).
      assert.equal((await named({ sessions: { olderThanHours: 12 } }))[1], null)
    } finally {
      await c.close()
    }
  })
})
