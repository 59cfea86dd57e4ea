import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, test } from 'node:test'
import type { ActionResult, AuditPage, Cluster, DeviceReport, DeviceStatusList, ErrorBody, Health, InventoryStatus, LogoutAllResult, SessionPage, UserDeviceProfiles, UserDevices, UserLogoutResult } from '@em-console/shared/schemas'
import { BRANCH_EMPTY_DEVICE, BRANCH_OCCUPIED_DEVICE, BRANCH_USER, branchScenario, branchSharedUsers } from '../src/simulator/branch-scenario.ts'
import { SEED_EM_DISABLED_DEVICE, SEED_EMPTY_DEVICE, SEED_FREE_USER, SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { buildTestApp, TEST_PASSWORD, type TestApp } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'
import { signIn } from './helpers/server-process.ts'

/*
 * Every scoping rule of issue #17 against two real simulator clusters: `default` (the seed) and
 * `branch` (other names, a few users on both). A third, `twin`, holds the seed's names again, so
 * one device name is on two clusters.
 */

let t: TestApp
let branch: Simulator
let twin: Simulator

/** The clusters' display names, which words meant for a person say (their ids stay in the JSON fields). */
const NAMES: Record<string, string> = { branch: 'Branch office', twin: 'Twin lab' }

async function addCluster (id: string, sim: Simulator): Promise<void> {
  const res = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id, name: NAMES[id], host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem, timeoutMs: 3000 } })
  assert.equal(res.statusCode, 201, res.body)
}

async function setEnabled (id: string, enabled: boolean): Promise<void> {
  const res = await t.inject({ method: 'PATCH', url: `/api/clusters/${id}`, payload: { enabled } })
  assert.equal(res.statusCode, 200, res.body)
}

function error (body: string): ErrorBody['error'] {
  return (JSON.parse(body) as ErrorBody).error
}

/** A server with AXL, and a second cluster `branch` (its own simulator) with AXL too. */
async function withAxlBranch (): Promise<{ app: TestApp, other: Simulator }> {
  const app = await buildTestApp({ axl: true })
  const other = await startSimulator({ scenario: branchScenario() })
  const added = await app.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'branch', host: '127.0.0.1', port: other.port, appUser: other.credentials.appUser, appPassword: other.credentials.appPassword, caPem: other.caPem, axlUser: other.axl.credentials.user, axlPassword: other.axl.credentials.password, axlPort: other.port } })
  assert.equal(added.statusCode, 201, added.body)
  return { app, other }
}

before(async () => {
  branch = await startSimulator({ scenario: branchScenario() })
  twin = await startSimulator()
  t = await buildTestApp({ env: { CUCM_CLUSTER_NAME: 'Head office' } })
  await addCluster('branch', branch)
  await addCluster('twin', twin)
  await setEnabled('twin', false)
})
after(async () => {
  await t.close()
  await branch.close()
  await twin.close()
})
beforeEach(() => {
  t.sim.reset()
  branch.reset()
  twin.reset()
})

describe('look-ups ask every enabled cluster', () => {
  test('each device answers from its cluster; one on none is exists:false with cluster null', async () => {
    const res = await t.inject({ url: `/api/devices/status?names=${SEED_OCCUPIED_DEVICE},${BRANCH_OCCUPIED_DEVICE},SEPNOWHERE0001` })
    assert.equal(res.statusCode, 200, res.body)
    const { devices } = res.json() as DeviceStatusList
    assert.deepEqual(devices.map((d) => [d.deviceName, d.exists, d.cluster, d.currentUser]), [
      [SEED_OCCUPIED_DEVICE, true, 'default', SEED_USER],
      [BRANCH_OCCUPIED_DEVICE, true, 'branch', BRANCH_USER],
      ['SEPNOWHERE0001', false, null, null]
    ])
    // One audit row per cluster asked, each naming it.
    const page = (await t.inject({ url: '/api/audit?action=device-query&limit=10' })).json() as AuditPage
    assert.deepEqual(page.items.slice(0, 2).map((r) => r.cluster).sort(), ['branch', 'default'])
  })

  test('?cluster= asks only that cluster; an unknown one is 404, a disabled one 409', async () => {
    const requests = t.sim.stats.requests
    const res = await t.inject({ url: `/api/devices/${BRANCH_OCCUPIED_DEVICE}?cluster=branch` })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal((res.json() as DeviceReport).cluster, 'branch')
    assert.equal(t.sim.stats.requests, requests, 'the default cluster was not asked')
    const onDefault = (await t.inject({ url: `/api/devices/${BRANCH_OCCUPIED_DEVICE}?cluster=default` })).json() as DeviceReport
    assert.deepEqual([onDefault.exists, onDefault.cluster], [false, null])

    const unknown = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=nowhere` })
    assert.equal(unknown.statusCode, 404, unknown.body)
    const disabled = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=twin` })
    assert.equal(disabled.statusCode, 409, disabled.body)
    assert.equal(error(disabled.body).code, 'CLUSTER_DISABLED')
    assert.equal(error(disabled.body).message, 'Cluster Twin lab is disabled.', 'named as the dashboard names it')
    const bad = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=${encodeURIComponent('a b')}` })
    assert.equal(bad.statusCode, 400, bad.body)
    assert.match(error(bad.body).message, /cluster/)
  })

  test('a user is looked up on every cluster and merged, each device and profile naming its cluster', async () => {
    const [shared] = branchSharedUsers()
    assert.ok(shared !== undefined)
    const devices = (await t.inject({ url: `/api/users/${encodeURIComponent(shared)}/devices` })).json() as UserDevices
    assert.equal(devices.exists, true)
    assert.deepEqual(new Set(devices.located.map((d) => d.cluster)).size > 0, true)
    for (const { deviceName, cluster } of devices.located) {
      const [status] = ((await t.inject({ url: `/api/devices/status?names=${deviceName}&cluster=${cluster}` })).json() as DeviceStatusList).devices
      assert.equal(status?.currentUser?.toLowerCase(), shared.toLowerCase(), `${deviceName} on ${cluster}`)
    }
    const profiles = (await t.inject({ url: `/api/users/${encodeURIComponent(shared)}/device-profiles` })).json() as UserDeviceProfiles
    assert.deepEqual([...new Set(profiles.profiles.map((p) => p.cluster))].sort(), ['branch', 'default'], 'a shared user has profiles on both')
    const onlyBranch = (await t.inject({ url: `/api/users/${encodeURIComponent(shared)}/device-profiles?cluster=branch` })).json() as UserDeviceProfiles
    assert.deepEqual([...new Set(onlyBranch.profiles.map((p) => p.cluster))], ['branch'])
  })
})

describe('changes act where the device is', () => {
  test('a logout without ?cluster= goes to the cluster that has the device, and is audited there', async () => {
    const before = branch.stats.requests
    const res = await t.inject({ method: 'POST', url: `/api/devices/${BRANCH_OCCUPIED_DEVICE}/logout` })
    assert.equal(res.statusCode, 200, res.body)
    const result = res.json() as ActionResult
    assert.deepEqual([result.outcome, result.cluster], ['success', 'branch'])
    assert.ok(branch.stats.requests > before)
    assert.equal(t.audit.get(result.auditId)?.cluster, 'branch')
    assert.equal(branch.state.getDevice(BRANCH_OCCUPIED_DEVICE)?.currentUser ?? null, null)
  })

  test('a ?cluster= misspelt is a 400 naming it, and nothing is sent: ignored, the change went to every cluster', async () => {
    const sent = (): number => branch.stats.requests + t.sim.stats.requests
    const before = sent()
    const asked: Array<[Parameters<TestApp['inject']>[0], string]> = [
      [{ method: 'POST', url: `/api/devices/${BRANCH_OCCUPIED_DEVICE}/logout?Cluster=default` }, 'Cluster'],
      [{ method: 'POST', url: `/api/devices/${BRANCH_EMPTY_DEVICE}/login?clustr=default`, payload: { userId: BRANCH_USER } }, 'clustr'],
      [{ method: 'POST', url: `/api/users/${SEED_USER}/logout?clusters=branch` }, 'clusters'],
      [{ method: 'POST', url: '/api/logout-all?clusters=branch', payload: { confirm: 'LOG OUT ALL' } }, 'clusters'],
      [{ method: 'POST', url: '/api/runs?action=logout&clustr=default', payload: `device\r\n${BRANCH_OCCUPIED_DEVICE}\r\n`, headers: { 'content-type': 'text/csv' } }, 'clustr'],
      [{ method: 'POST', url: '/api/runs/preview?clustr=default', payload: { action: 'logout', devices: [BRANCH_OCCUPIED_DEVICE] } }, 'clustr'],
      [{ method: 'GET', url: `/api/devices/status?names=${BRANCH_OCCUPIED_DEVICE}&clustr=default` }, 'clustr'],
      [{ method: 'GET', url: `/api/users/${SEED_USER}/devices?Cluster=default` }, 'Cluster']
    ]
    for (const [request, field] of asked) {
      const res = await t.inject(request)
      assert.equal(res.statusCode, 400, `${JSON.stringify(request)}: ${res.body}`)
      assert.deepEqual(error(res.body), { code: 'VALIDATION', message: `The query parameter "${field}" is not a field this request takes.`, field })
    }
    assert.equal(sent(), before, 'no cluster was asked')
    const named = await t.inject(`/api/devices/status?names=${BRANCH_OCCUPIED_DEVICE}&cluster=branch`)
    assert.equal(named.statusCode, 200, named.body)
  })

  test('a device on no cluster is 404 and nothing is sent; on two clusters 409 naming both', async () => {
    const none = await t.inject({ method: 'POST', url: '/api/devices/SEPNOWHERE0001/logout' })
    assert.equal(none.statusCode, 404, none.body)
    assert.match(error(none.body).message, /none of the clusters \(default, branch\)/)

    await setEnabled('twin', true)
    try {
      const both = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
      assert.equal(both.statusCode, 409, both.body)
      assert.equal(error(both.body).code, 'CLUSTER_AMBIGUOUS')
      assert.match(error(both.body).message, /default, twin/)
      assert.equal(twin.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER, 'nothing was logged out')
      // Naming the cluster settles it.
      const named = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout?cluster=twin` })
      assert.equal(named.statusCode, 200, named.body)
      assert.equal(twin.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser ?? null, null)
      assert.equal(t.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER, 'the other cluster kept its user')
    } finally {
      await setEnabled('twin', false)
    }
  })

  test('what CUCM said of Extension Mobility on one cluster\'s phone is not said of the phone of that name on another', async () => {
    await setEnabled('twin', true)
    // The twin's phone of the name has Extension Mobility; the seed's has not.
    const twins = twin.state.getDevice(SEED_EM_DISABLED_DEVICE) as { emEnabled: boolean }
    twins.emEnabled = true
    try {
      const login = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EM_DISABLED_DEVICE}/login?cluster=default`, payload: { userId: SEED_FREE_USER } })
      assert.equal(error(login.body).emapiCode, 22)
      const emEnabled = async (): Promise<Array<[string | null, boolean | null]>> => {
        const res = await t.inject({ method: 'POST', url: '/api/devices/status', payload: { names: [SEED_EM_DISABLED_DEVICE] } })
        assert.equal(res.statusCode, 200, res.body)
        return (res.json() as DeviceStatusList).devices.map((d) => [d.cluster, d.emEnabled])
      }
      assert.deepEqual(await emEnabled(), [['default', false], ['twin', null]], 'nothing is known yet of the twin\'s phone')
      // A logout that finds nobody on the twin's phone says EM works there, and nothing of the seed's.
      const logout = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EM_DISABLED_DEVICE}/logout?cluster=twin` })
      assert.equal(logout.json().outcome, 'already-logged-out', logout.body)
      assert.deepEqual(await emEnabled(), [['default', false], ['twin', true]])
    } finally {
      twins.emEnabled = false
      await setEnabled('twin', false)
    }
  })

  test('a login without ?cluster= goes to the device\'s cluster', async () => {
    // The branch user is on another phone, and the simulator refuses a second login (code 25).
    assert.equal((await t.inject({ method: 'POST', url: `/api/devices/${BRANCH_OCCUPIED_DEVICE}/logout?cluster=branch` })).statusCode, 200)
    const res = await t.inject({ method: 'POST', url: `/api/devices/${BRANCH_EMPTY_DEVICE}/login`, payload: { userId: BRANCH_USER } })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal((res.json() as ActionResult).cluster, 'branch')
    assert.equal(branch.state.getDevice(BRANCH_EMPTY_DEVICE)?.currentUser, BRANCH_USER)
    const wrong = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login?cluster=nowhere`, payload: { userId: SEED_USER } })
    assert.equal(wrong.statusCode, 404, wrong.body)
  })
})

describe('logout-all with several clusters', () => {
  test('without ?cluster= it is refused naming the field; with one cluster it acts on that one only', async () => {
    const missing = await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } })
    assert.equal(missing.statusCode, 400, missing.body)
    assert.equal(error(missing.body).field, 'cluster')
    assert.ok(t.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser !== null)

    const one = await t.inject({ method: 'POST', url: '/api/logout-all?cluster=branch', payload: { confirm: 'LOG OUT ALL' } })
    assert.equal(one.statusCode, 200, one.body)
    const result = one.json() as LogoutAllResult
    assert.deepEqual(result.clusters.map((c) => [c.cluster, c.outcome]), [['branch', 'success']])
    assert.equal(branch.state.getDevice(BRANCH_OCCUPIED_DEVICE)?.currentUser ?? null, null)
    assert.equal(t.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER, 'the default cluster was not touched')
  })

  test('all: every enabled cluster in parallel under one run id; one failing (HTTP 503) does not stop the other', async () => {
    t.sim.setFaults({ mode: 'http-503' })
    const res = await t.inject({ method: 'POST', url: '/api/logout-all?cluster=all', payload: { confirm: 'LOG OUT ALL' } })
    assert.equal(res.statusCode, 200, res.body)
    const result = res.json() as LogoutAllResult
    assert.equal(result.outcome, 'failure')
    assert.deepEqual(result.clusters.map((c) => [c.cluster, c.outcome === 'success']), [['default', false], ['branch', true]])
    assert.match(result.message, /1 of 2 clusters; failed on Head office\.$/, 'named as the dashboard names it')
    // What to do about the failed part, as the same failure's error body says it; none for the one that went through.
    assert.equal(result.clusters[0]?.action, 'Check in Cisco Unified Serviceability that the Cisco Extension Mobility service is activated and running on that node.')
    assert.equal(result.clusters[1]?.action, undefined)
    assert.equal(branch.state.getDevice(BRANCH_OCCUPIED_DEVICE)?.currentUser ?? null, null)
    // One audit row per cluster, sharing the run id.
    const rows = result.clusters.map((c) => t.audit.get(c.auditId ?? 0))
    assert.deepEqual(rows.map((r) => [r?.action, r?.cluster, r?.runId]), [['logout-all', 'default', result.runId], ['logout-all', 'branch', result.runId]])
    assert.notEqual(rows[0]?.outcome, 'success')
    assert.equal(rows[1]?.outcome, 'success')
  })

  test('all: a cluster that did not answer (sent, may have happened) is said so, not "failed"; the result points at its record', async () => {
    t.sim.setFaults({ mode: 'hang' })
    const res = await t.inject({ method: 'POST', url: '/api/logout-all?cluster=all', payload: { confirm: 'LOG OUT ALL' } })
    t.sim.setFaults({ mode: 'none' })
    assert.equal(res.statusCode, 200, res.body)
    const result = res.json() as LogoutAllResult
    assert.equal(result.outcome, 'failure')
    assert.deepEqual(result.clusters.map((c) => [c.cluster, c.outcome]), [['default', 'unknown'], ['branch', 'success']])
    const silent = result.clusters[0]
    assert.match(silent?.message ?? '', /may have carried it out/)
    assert.match(silent?.action ?? '', /^CUCM did not answer in time: check its load/)
    assert.equal(t.audit.get(silent?.auditId ?? 0)?.outcome, 'unknown')
    assert.equal(result.auditId, silent?.auditId, 'the record to open is the one that did not go through')
    assert.equal(result.message, 'Logged out every Extension Mobility user on 1 of 2 clusters; no answer from Head office (CUCM may have done it: look a device up to be sure).')
  })

  test('single-flight holds per cluster: a logout-all running on one cluster refuses that one, naming it', async () => {
    // CUCM's answer is held until the other requests are answered.
    branch.setFaults({ hold: 'all' })
    const slow = t.inject({ method: 'POST', url: '/api/logout-all?cluster=branch', payload: { confirm: 'LOG OUT ALL' } })
    // Its pending row is written before its request reaches CUCM: once there, ask again.
    await eventually(() => branch.stats.requests > 0 || undefined, 10_000)
    const second = await t.inject({ method: 'POST', url: '/api/logout-all?cluster=branch', payload: { confirm: 'LOG OUT ALL' } })
    assert.equal(second.statusCode, 409, second.body)
    assert.match(error(second.body).message, /on cluster Branch office \(audit #/, 'named as the dashboard names it')
    // The other cluster is free meanwhile.
    const other = await t.inject({ method: 'POST', url: '/api/logout-all?cluster=default', payload: { confirm: 'LOG OUT ALL' } })
    assert.equal(other.statusCode, 200, other.body)
    branch.setFaults({ hold: 'none' })
    assert.equal((await slow).statusCode, 200)
  })
})

describe('logout-all says how many users it logged out when the inventory knows', () => {
  test('the count is the inventory\'s users as of its last refresh, with that time; null without AXL', async () => {
    const withAxl = await buildTestApp({ axl: true })
    try {
      const refreshed = await withAxl.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' })
      assert.equal(refreshed.statusCode, 200, refreshed.body)
      const users = new Set(withAxl.sim.state.snapshot().devices.flatMap((d) => d.currentUser === null ? [] : [d.currentUser.toLowerCase()])).size
      assert.ok(users > 0)
      const res = await withAxl.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } })
      assert.equal(res.statusCode, 200, res.body)
      const result = res.json() as LogoutAllResult
      assert.equal(result.loggedOut, users)
      assert.equal(result.clusters[0]?.loggedOut, users)
      assert.ok(result.clusters[0]?.asOf !== null)
      // Again at once, before the inventory is read again: it cannot say how many this one ended.
      const again = await withAxl.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } })
      assert.equal(again.statusCode, 200, again.body)
      assert.equal((again.json() as LogoutAllResult).loggedOut, null)
      assert.equal((again.json() as LogoutAllResult).clusters[0]?.loggedOut, null)
    } finally {
      await withAxl.close()
    }
    // This file's app has no AXL: no number is made up.
    const res = await t.inject({ method: 'POST', url: '/api/logout-all?cluster=default', payload: { confirm: 'LOG OUT ALL' } })
    assert.equal((res.json() as LogoutAllResult).loggedOut, null)
  })
})

describe('logout-all of every cluster counts each user once', () => {
  test('a user logged in on two clusters is one user logged out, as the logout-all dialog counted them before', async () => {
    const { app, other } = await withAxlBranch()
    try {
      assert.equal((await app.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' })).statusCode, 200)
      const summary = (await app.inject('/api/sessions/summary')).json() as { users: number }
      const inventory = (await app.inject('/api/inventory')).json() as { clusters: Array<{ cluster: string, counts: { users: number } }> }
      const perCluster = inventory.clusters.map((c) => c.counts.users)
      assert.ok(perCluster.reduce((a, b) => a + b, 0) > summary.users, 'the demo data has a user logged in on both clusters')
      const res = await app.inject({ method: 'POST', url: '/api/logout-all?cluster=all', payload: { confirm: 'LOG OUT ALL' } })
      assert.equal(res.statusCode, 200, res.body)
      const result = res.json() as LogoutAllResult
      assert.equal(result.loggedOut, summary.users)
      assert.deepEqual(result.clusters.map((c) => c.loggedOut), perCluster, 'each cluster says its own')
    } finally {
      await app.close()
      await other.close()
    }
  })
})

describe('the inventory follows the clusters', () => {
  test('a cluster added with AXL gets its own inventory at once; disabled, it is gone from the inventory; its sessions are its own', async () => {
    const { app, other } = await withAxlBranch()
    try {
      const refreshed = await app.inject({ method: 'POST', url: '/api/inventory/refresh?cluster=branch&wait=true' })
      assert.equal(refreshed.statusCode, 200, refreshed.body)
      const status = (await app.inject({ url: '/api/inventory' })).json() as InventoryStatus
      assert.deepEqual(status.clusters.map((c) => c.cluster), ['default', 'branch'])
      assert.equal(status.clusters[1]?.state, 'ok', JSON.stringify(status.clusters[1]))
      const sessions = (await app.inject({ url: '/api/sessions?cluster=branch&limit=500' })).json() as SessionPage
      assert.ok(sessions.sessions.length > 0 && sessions.sessions.every((s) => s.cluster === 'branch'))
      assert.ok(sessions.sessions.some((s) => s.deviceName === BRANCH_OCCUPIED_DEVICE))

      const off = await app.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { enabled: false } })
      assert.equal(off.statusCode, 200, off.body)
      assert.deepEqual(((await app.inject({ url: '/api/inventory' })).json() as InventoryStatus).clusters.map((c) => c.cluster), ['default'])
      const gone = await app.inject({ method: 'POST', url: '/api/inventory/refresh?cluster=branch' })
      assert.equal(gone.statusCode, 400, gone.body)
    } finally {
      await app.close()
      await other.close()
    }
  })

  test('a refresh with a misspelt ?cluster= or ?wait= is a 400 naming it: ignored, every cluster was read from AXL, or the answer came before the refresh', async () => {
    const { app, other } = await withAxlBranch()
    try {
      for (const [url, field] of [['/api/inventory/refresh?clustr=branch&wait=true', 'clustr'], ['/api/inventory/refresh?cluster=branch&wiat=true', 'wiat']]) {
        const res = await app.inject({ method: 'POST', url })
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`)
        assert.deepEqual(error(res.body), { code: 'VALIDATION', message: `The query parameter "${field}" is not a field this request takes.`, field })
      }
      const named = await app.inject({ method: 'POST', url: '/api/inventory/refresh?cluster=branch&wait=true' })
      assert.equal(named.statusCode, 200, named.body)
    } finally {
      await app.close()
      await other.close()
    }
  })
})

describe('device pools on several clusters', () => {
  test('a schedule of pools on two clusters logs out each pool where it is; a pool on neither is refused', async () => {
    const { app, other } = await withAxlBranch()
    try {
      assert.equal((await app.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' })).statusCode, 200)
      const poolOn = async (cluster: string): Promise<string> => ((await app.inject({ url: `/api/sessions?cluster=${cluster}&limit=1` })).json() as SessionPage).sessions[0]?.devicePool ?? ''
      const [hqPool, branchPool] = [await poolOn('default'), await poolOn('branch')]
      assert.notEqual(hqPool, '')
      assert.notEqual(branchPool, '')
      const onBoth = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'two-sites', cron: '0 19 * * *', action: 'logout-device-pools', pools: [hqPool, branchPool], clusters: ['default', 'branch'], enabled: false } })
      assert.equal(onBoth.statusCode, 201, onBoth.body)
      const ran = await app.inject({ method: 'POST', url: `/api/schedules/${onBoth.json().id as number}/run-now` })
      assert.equal(ran.statusCode, 200, ran.body)
      // A pool on neither is a typo: refused when the schedule is saved, against both clusters' pools.
      const typo = await app.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'typo', cron: '0 19 * * *', action: 'logout-device-pools', pools: [hqPool, 'DP_NOWHERE'], clusters: ['default', 'branch'], enabled: false } })
      assert.equal(typo.statusCode, 400, typo.body)
      assert.equal(typo.json().error.field, 'pools')
      assert.match(typo.json().error.message as string, /No phone of the inventory of clusters default, branch is in the device pool "DP_NOWHERE"/)
    } finally {
      await app.close()
      await other.close()
    }
  })
})

describe('a cluster in words', () => {
  test('a refusal names a cluster by its display name, with its id when another cluster has the same name', async () => {
    const rename = async (id: string, name: string): Promise<void> => {
      const res = await t.inject({ method: 'PATCH', url: `/api/clusters/${id}`, payload: { name } })
      assert.equal(res.statusCode, 200, res.body)
    }
    const disabled = async (): Promise<string> => error((await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=twin` })).body).message
    try {
      await rename('branch', 'Twin lab')
      assert.equal(await disabled(), 'Cluster Twin lab (twin) is disabled.')
    } finally {
      await rename('branch', 'Branch office')
    }
    assert.equal(await disabled(), 'Cluster Twin lab is disabled.')
  })
})

describe('a cluster that does not answer', () => {
  test('a look-up of every cluster shows what the others answered and names the silent one; it never says "on none" for it', async () => {
    branch.setFaults({ mode: 'http-503' })
    // The list: each device found where a cluster answered, and the cluster that could not be asked.
    const list = await t.inject({ url: `/api/devices/status?names=${SEED_OCCUPIED_DEVICE},SEPNOWHERE0001` })
    assert.equal(list.statusCode, 200, list.body)
    const { devices, unavailable } = list.json() as DeviceStatusList
    assert.deepEqual(devices.map((d) => [d.deviceName, d.cluster, d.currentUser]), [[SEED_OCCUPIED_DEVICE, 'default', SEED_USER], ['SEPNOWHERE0001', null, null]])
    assert.deepEqual(unavailable.map((u) => [u.cluster, u.code]), [['branch', 'EMAPI_HTTP_STATUS']])
    assert.match(unavailable[0]?.message ?? '', /^Cluster Branch office: CUCM answered HTTP 503/)
    // One device: found where a cluster answered, it is the answer; on none of those, it may be on
    // the silent one, and that failure is the answer.
    const found = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` })
    assert.equal(found.statusCode, 200, found.body)
    assert.equal((found.json() as DeviceReport).cluster, 'default')
    const unsure = await t.inject({ url: `/api/devices/${BRANCH_OCCUPIED_DEVICE}` })
    assert.equal(unsure.statusCode, 502, unsure.body)
    assert.equal(error(unsure.body).cluster, 'branch')
    // What a cluster's CUCM answered is a warning in the log, not an error with a stack.
    const logged = t.logs.filter((line) => line.includes('Cluster Branch office: CUCM answered HTTP 503'))
    assert.ok(logged.length > 0)
    assert.ok(logged.every((line) => line.includes('"level":40') && !line.includes('"stack"')), logged.join('\n'))
    // A user the same way.
    const user = await t.inject({ url: `/api/users/${SEED_USER}/devices` })
    assert.equal(user.statusCode, 200, user.body)
    // (mayLag aside: an earlier test's logout-all on this cluster is younger than CUCM's lag.)
    assert.deepEqual((user.json() as UserDevices).located.map(({ deviceName, cluster }) => ({ deviceName, cluster })), [{ deviceName: SEED_OCCUPIED_DEVICE, cluster: 'default' }])
    assert.deepEqual((user.json() as UserDevices).unavailable?.map((u) => u.cluster), ['branch'])
    assert.equal((await t.inject({ url: `/api/users/${BRANCH_USER}/devices` })).statusCode, 502)
    const profiles = await t.inject({ url: `/api/users/${SEED_USER}/device-profiles` })
    assert.equal(profiles.statusCode, 200, profiles.body)
    assert.deepEqual((profiles.json() as UserDeviceProfiles).unavailable?.map((u) => u.cluster), ['branch'])
    // A change still needs every cluster's answer (the name could be on the silent one too); ?cluster= acts on one.
    const logout = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
    assert.equal(logout.statusCode, 502, logout.body)
    assert.equal(error(logout.body).cluster, 'branch')
    assert.match(error(logout.body).message, / The logout was not sent: this look-up, asked first, failed\.$/, 'said as with one cluster')
    const named = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}?cluster=default` })
    assert.equal(named.statusCode, 200, named.body)
    assert.deepEqual((await t.inject({ url: `/api/devices/status?names=${SEED_OCCUPIED_DEVICE}&cluster=default` })).json().unavailable, [])
  })
})

describe('a user logged out everywhere while a cluster does not answer', () => {
  test('nothing is sent: the answer is the silent cluster\'s failure, and the user is still on their phone', async () => {
    const logouts = async (): Promise<number> => ((await t.inject({ url: '/api/audit?action=logout&limit=1' })).json() as AuditPage).total
    const recorded = await logouts()
    branch.setFaults({ mode: 'http-503' })
    const res = await t.inject({ method: 'POST', url: `/api/users/${SEED_USER}/logout` })
    assert.equal(res.statusCode, 502, res.body)
    assert.equal(error(res.body).cluster, 'branch')
    assert.match(error(res.body).message, /^Cluster Branch office: CUCM answered HTTP 503.* The logout was not sent: this look-up, asked first, failed\.$/)
    const [status] = ((await t.inject({ url: `/api/devices/status?names=${SEED_OCCUPIED_DEVICE}&cluster=default` })).json() as DeviceStatusList).devices
    assert.equal(status?.currentUser, SEED_USER, 'the logout of a request answered as failed was sent')
    assert.equal(await logouts(), recorded)
    // Named, the answering cluster logs the user out.
    const named = await t.inject({ method: 'POST', url: `/api/users/${SEED_USER}/logout?cluster=default` })
    assert.deepEqual((named.json() as UserLogoutResult).results.map((r) => [r.deviceName, r.outcome, r.cluster]), [[SEED_OCCUPIED_DEVICE, 'success', 'default']])
  })

  test('a user on phones of two clusters is logged out of each, each result naming its cluster, under one run', async () => {
    const [shared] = branchSharedUsers()
    assert.ok(shared !== undefined)
    const before = (await t.inject({ url: `/api/users/${encodeURIComponent(shared)}/devices` })).json() as UserDevices
    assert.deepEqual([...new Set(before.located.map((d) => d.cluster))].sort(), ['branch', 'default'], 'the demo data has this user on both clusters')
    const res = await t.inject({ method: 'POST', url: `/api/users/${encodeURIComponent(shared)}/logout` })
    assert.equal(res.statusCode, 200, res.body)
    const { results } = res.json() as UserLogoutResult
    assert.deepEqual(results.map((r) => [r.deviceName, r.cluster, r.outcome]).sort(), before.located.map((d) => [d.deviceName, d.cluster, 'success']).sort())
    const runs = await Promise.all(results.map(async (r) => ((await t.inject({ url: `/api/audit/${r.auditId}` })).json() as { runId: string | null }).runId))
    assert.equal(new Set(runs).size, 1, `one run for the user's logouts on both clusters: ${runs.join(', ')}`)
    assert.deepEqual(((await t.inject({ url: `/api/users/${encodeURIComponent(shared)}/devices` })).json() as UserDevices).located, [])
  })
})

describe('health past its cache time', () => {
  test('a CUCM that does not answer: the first look after a start, and adding its cluster, answer "checking" within seconds, not at its time limit; its answer replaces it once it comes', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 }, client: { timeoutMs: 5000 } })
    const silent = await startSimulator()
    try {
      app.sim.setFaults({ mode: 'hang' })
      silent.setFaults({ mode: 'hang' })
      // Each ask waits 2 s for the first probe (em-service HEALTH_FIRST_WAIT_MS); it used to wait for the time limit, 5 s here.
      const timed = async <T>(ask: () => Promise<T>): Promise<T> => {
        const started = Date.now()
        const answer = await ask()
        const waited = Date.now() - started
        assert.ok(waited >= 1900 && waited < 4500, `answered after ${waited} ms`)
        return answer
      }
      const [first, added] = await Promise.all([
        timed(async () => (await app.inject({ url: '/api/health' })).json() as Health),
        timed(async () => await app.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'silent', host: '127.0.0.1', port: silent.port, appUser: silent.credentials.appUser, appPassword: silent.credentials.appPassword, caPem: silent.caPem, timeoutMs: 5000 } }))
      ])
      assert.deepEqual([first.emapi.reachable, first.emapi.latencyMs, first.emapi.checking, first.emapi.error], [false, null, true, undefined])
      assert.equal(added.statusCode, 201, added.body)
      assert.equal((added.json() as Cluster).health?.checking, true)
      // The asks after it answer at once: a dashboard asking every 2 s is not held 2 s each time.
      const asked = Date.now()
      const again = (await app.inject({ url: '/api/health' })).json() as Health
      const listed = (await app.inject({ url: '/api/clusters' })).json() as { clusters: Cluster[] }
      const waited = Date.now() - asked
      assert.ok(waited < 1000, `asked again, answered after ${waited} ms`)
      assert.deepEqual([again.clusters.map((c) => c.emapi.checking), listed.clusters.map((c) => c.health?.checking)], [[true, true], [true, true]])
      // The probes end at the time limit: the look after says so, "checking" gone.
      const settled = await eventually(async () => {
        const health = (await app.inject({ url: '/api/health' })).json() as Health
        return health.clusters.every((c) => c.emapi.checking === undefined) ? health : undefined
      }, 15_000)
      assert.deepEqual(settled.clusters.map((c) => [c.id, c.emapi.reachable, c.emapi.error?.code]), [['default', false, 'EMAPI_TIMEOUT'], ['silent', false, 'EMAPI_TIMEOUT']])
    } finally {
      await app.close()
      await silent.close()
    }
  })

  test('a CUCM that answers after 3 s: the first monitoring check and Check now (fresh) after a start wait for its answer, not "checking"', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 }, client: { timeoutMs: 10_000 } })
    try {
      app.sim.setFaults({ latencyMs: 3000 })
      // Both are the first asks: each would be bound to 2 s (em-service HEALTH_FIRST_WAIT_MS) if `fresh` did not lift it.
      const [check, checked] = await Promise.all([app.inject({ url: '/api/health/check' }, 'none'), app.inject({ url: '/api/health?fresh=true' })])
      assert.equal(check.statusCode, 200, check.body)
      const emapi = (checked.json() as Health).emapi
      assert.deepEqual([emapi.reachable, emapi.checking], [true, undefined], JSON.stringify(emapi))
    } finally {
      await app.close()
    }
  })

  test('answers at once from the last probe (its checkedAt says when) while one probe refreshes it', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 } })
    try {
      const read = async (): Promise<Health> => (await app.inject({ url: '/api/health' })).json() as Health
      const first = await read()
      assert.equal(first.emapi.reachable, true)
      app.sim.setFaults({ mode: 'http-503' })
      // Past the cache time: the stale answer, not a wait for the failing probe.
      const expired = Date.parse(first.emapi.checkedAt) + 250
      while (Date.now() < expired) await new Promise((resolve) => setTimeout(resolve, expired - Date.now()))
      const stale = await read()
      assert.deepEqual([stale.emapi.reachable, stale.emapi.checkedAt], [true, first.emapi.checkedAt])
      // The probe it started lands: the next answers say so.
      const latest = await eventually(async () => { const health = await read(); return health.emapi.reachable ? undefined : health }, 10_000)
      assert.ok(Date.parse(latest.emapi.checkedAt) > Date.parse(first.emapi.checkedAt))
    } finally {
      await app.close()
    }
  })

  test('a stop while a silent CUCM\'s first probe is still on its way (the dashboard told "checking") ends it, not waits for its time limit', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 }, client: { timeoutMs: 30_000 } })
    let closed = false
    try {
      app.sim.setFaults({ mode: 'hang' })
      const first = (await app.inject({ url: '/api/health' })).json() as Health
      assert.equal(first.emapi.checking, true)
      // No request waits for the probe: the registry's close did, for the 30 s, as its list was emptied before the grace's abort read it.
      const stopping = Date.now()
      await app.close()
      closed = true
      const took = Date.now() - stopping
      assert.ok(took < 15_000, `stopped after ${took} ms`)
      assert.deepEqual(app.logs.filter((line) => line.includes('"level":50')), [])
    } finally {
      if (!closed) await app.close()
    }
  })

  test('a stop while an edit queued behind an add of a silent CUCM is still to come aborts the edited cluster\'s first probe after the grace too', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 }, client: { timeoutMs: 30_000 } })
    const silent = await startSimulator()
    let closed = false
    try {
      app.sim.setFaults({ mode: 'hang' })
      silent.setFaults({ mode: 'hang' })
      const cluster = (id: string): Record<string, unknown> => ({ id, host: '127.0.0.1', port: silent.port, appUser: silent.credentials.appUser, appPassword: silent.credentials.appPassword, caPem: silent.caPem, timeoutMs: 30_000 })
      assert.equal((await app.inject({ method: 'POST', url: '/api/clusters', payload: cluster('edited') })).statusCode, 201)
      await app.app.listen({ port: 0, host: '127.0.0.1' })
      const origin = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`
      const session = await signIn(origin, 'test-admin', TEST_PASSWORD)
      const send = async (method: string, url: string, body: unknown): Promise<number> => (await fetch(`${origin}${url}`, { method, headers: { ...session, 'content-type': 'application/json' }, body: JSON.stringify(body) })).status
      // The add waits 2 s for its first probe; the edit waits its turn behind it, so it makes its
      // new connection (and its first probe) once the stop has begun.
      const added = send('POST', '/api/clusters', cluster('added'))
      await eventually(() => app.runtime.clusters.get('added'))
      const arrived = new Promise((resolve) => { app.app.server.on('request', (request: { method?: string }) => { if (request.method === 'PATCH') resolve(undefined) }) })
      const edited = send('PATCH', '/api/clusters/edited', { name: 'Edited while stopping' })
      await arrived
      const stopping = Date.now()
      await app.close()
      closed = true
      const took = Date.now() - stopping
      assert.deepEqual([await added, await edited], [201, 200])
      assert.ok(took < 15_000, `stopped after ${took} ms`)
    } finally {
      if (!closed) await app.close()
      await silent.close()
    }
  })

  test('an edit or a delete of a cluster whose CUCM has not answered its first probe is not held up by that probe (it used to wait for its time limit)', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 } })
    const silent = await startSimulator()
    try {
      silent.setFaults({ mode: 'hang' })
      const timed = async (ask: () => Promise<{ statusCode: number, body: string }>, status: number): Promise<void> => {
        const started = Date.now()
        const res = await ask()
        const took = Date.now() - started
        assert.equal(res.statusCode, status, res.body)
        assert.ok(took < 6000, `answered after ${took} ms`)
      }
      const added = { id: 'silent', host: '127.0.0.1', port: silent.port, appUser: silent.credentials.appUser, appPassword: silent.credentials.appPassword, caPem: silent.caPem, timeoutMs: 15_000 }
      await timed(async () => await app.inject({ method: 'POST', url: '/api/clusters', payload: added }), 201)
      await timed(async () => await app.inject({ method: 'PATCH', url: '/api/clusters/silent', payload: { name: 'Silent' } }), 200)
      await timed(async () => await app.inject({ method: 'DELETE', url: '/api/clusters/silent' }), 204)
      assert.deepEqual(app.logs.filter((line) => line.includes('"level":50')), [])
    } finally {
      await app.close()
      await silent.close()
    }
  })

  test('the probes a poll sets off start one per event-loop turn: a request arriving meanwhile is not held up by every cluster\'s', async () => {
    const others = [await startSimulator(), await startSimulator()]
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 } })
    try {
      for (const [i, sim] of others.entries()) {
        const added = await app.inject({ method: 'POST', url: '/api/clusters', payload: { id: `other-${i}`, host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem } })
        assert.equal(added.statusCode, 201, added.body)
      }
      // A probe of each, awaited: a read of the cache could start a probe of a cluster added more
      // than the cache time before (a busy machine), which would land during the stale read below.
      const first = (await app.inject({ url: '/api/health?fresh=true' })).json() as Health
      assert.deepEqual(first.clusters.map((c) => c.emapi.reachable), [true, true, true])
      const sims = [app.sim, ...others]
      const expired = Math.max(...first.clusters.map((c) => Date.parse(c.emapi.checkedAt))) + 250
      while (Date.now() < expired) await new Promise((resolve) => setTimeout(resolve, expired - Date.now()))
      // Each simulator's probe (on the connection kept from the first) lands in the turn after it is sent.
      const probes = (sim: Simulator): number => sim.received.filter((xml) => xml.includes('EMConsoleHealthProbe')).length
      const before = sims.map(probes)
      const turnOf: Array<number | undefined> = sims.map(() => undefined)
      const deadline = Date.now() + 10_000
      const watched = new Promise<void>((resolve) => {
        const watch = (turn: number): void => {
          sims.forEach((s, i) => { if (turnOf[i] === undefined && probes(s) > (before[i] ?? 0)) turnOf[i] = turn })
          if (turnOf.every((t) => t !== undefined) || Date.now() > deadline) resolve()
          else setImmediate(() => { watch(turn + 1) })
        }
        watch(0)
      })
      const stale = (await app.inject({ url: '/api/health' })).json() as Health
      assert.deepEqual(stale.clusters.map((c) => c.emapi.checkedAt), first.clusters.map((c) => c.emapi.checkedAt))
      await watched
      assert.ok(turnOf.every((t) => t !== undefined), `probes seen: ${JSON.stringify(turnOf)}`)
      assert.equal(new Set(turnOf).size, sims.length, `the turns each simulator got its probe in: ${JSON.stringify(turnOf)}`)
    } finally {
      await app.close()
      for (const sim of others) await sim.close()
    }
  })

  test('a person\'s "Check now" (fresh) waits for a new probe too: a CUCM mended since the last probe reads mended at once', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 } })
    try {
      app.sim.setFaults({ mode: 'http-503' })
      const failed = (await app.inject({ url: '/api/health' })).json() as Health
      assert.equal(failed.emapi.reachable, false)
      app.sim.setFaults({ mode: 'none' })
      const expired = Date.parse(failed.emapi.checkedAt) + 250
      while (Date.now() < expired) await new Promise((resolve) => setTimeout(resolve, expired - Date.now()))
      // Read without it, the failure would stand until a later poll (the answer above's test).
      const checked = (await app.inject({ url: '/api/health?fresh=true' })).json() as Health
      assert.equal(checked.emapi.reachable, true, JSON.stringify(checked.emapi))
      assert.equal(checked.emapi.error, undefined)
    } finally {
      await app.close()
    }
  })

  test('the monitoring check waits for a new probe instead: a CUCM down since the last poll fails the next one, not the one after', async () => {
    const app = await buildTestApp({ tuning: { healthCacheMs: 200 } })
    try {
      const first = await app.inject({ url: '/api/health/check' }, 'none')
      assert.equal(first.statusCode, 200, first.body)
      const probedAt = Date.now()
      app.sim.setFaults({ mode: 'http-503' })
      const expired = probedAt + 250
      while (Date.now() < expired) await new Promise((resolve) => setTimeout(resolve, expired - Date.now()))
      const next = await app.inject({ url: '/api/health/check' }, 'none')
      assert.equal(next.statusCode, 503, next.body)
      assert.equal(next.json().clusters[0].emapi, 'EMAPI_HTTP_STATUS')
    } finally {
      await app.close()
    }
  })
})
