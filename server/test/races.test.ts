import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { bulkDeviceName } from '../src/simulator/bulk-scenario.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import type { Scenario } from '../src/simulator/state.ts'
import { buildTestApp, receivedOf, runEnded, TEST_PASSWORD, type TestApp } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'
import { signIn } from './helpers/server-process.ts'

/*
 * Things done at the same moment from several sides (two admins, a run, an edit): every row ends
 * final and true, and nothing is sent that was not asked for.
 */

/** Phones `from`..`from + count - 1`, each with its own user. */
function scenario (from: number, count: number): Scenario {
  const users = Array.from({ length: count }, (_, i) => `user${from + i}`)
  return {
    users,
    profiles: users.map((u) => ({ name: `${u}-profile`, owners: [u], isDefault: true })),
    devices: Array.from({ length: count }, (_, i) => ({ name: bulkDeviceName(from + i), currentUser: `user${from + i}`, loginTime: Date.now() }))
  }
}

const BRANCH_DEVICES = Array.from({ length: 20 }, (_, i) => bulkDeviceName(101 + i))

describe('a cluster edited or deleted while a run on it goes on', () => {
  let t: TestApp
  let branch: Simulator
  before(async () => {
    branch = await startSimulator({ scenario: scenario(101, 20), faults: { latencyMs: 60 } })
    t = await buildTestApp({ simulator: { scenario: scenario(1, 4) } })
  })
  after(async () => {
    await t.close()
    await branch.close()
  })

  async function addBranch (): Promise<void> {
    branch.reset()
    const res = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'branch', name: 'Branch office', host: '127.0.0.1', port: branch.port, appUser: branch.credentials.appUser, appPassword: branch.credentials.appPassword, caPem: branch.caPem, maxConcurrency: 2 } })
    assert.equal(res.statusCode, 201, res.body)
  }

  /** How many changes of the branch cluster of this kind its history holds. */
  function changesRecorded (action: 'cluster-delete' | 'cluster-update'): number {
    return t.audit.page({ cluster: 'branch', action }, 100).items.length
  }

  /** A run of the 20 branch phones, once its first logout is done. */
  async function runUnderWay (): Promise<string> {
    const res = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: BRANCH_DEVICES, cluster: 'branch', verifyAfterSeconds: 0 } })
    assert.equal(res.statusCode, 202, res.body)
    const id = res.json().id as string
    await eventually(() => (t.runs.summary(id)?.counts.success ?? 0) > 0 ? true : undefined, 10_000)
    return id
  }

  test('renamed, or its concurrency lowered: every item is logged out, none recorded unknown, and the new cap holds', async () => {
    for (const change of [{ name: 'Branch office' }, { maxConcurrency: 1 }]) {
      await addBranch()
      const id = await runUnderWay()
      const edit = await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: change })
      assert.equal(edit.statusCode, 200, edit.body)
      const peakBefore = branch.stats.peakInFlight
      branch.stats.peakInFlight = branch.stats.inFlight
      const run = await runEnded(t, id)
      assert.deepEqual(run.counts, { success: 20 }, `${JSON.stringify(change)}: ${JSON.stringify(t.runs.allItems(id).filter((i) => i.outcome !== 'success').map((i) => `${i.outcome}: ${i.message}`))}`)
      assert.equal(receivedOf(branch, 'logout').length, 20, 'each phone was sent one logout')
      assert.deepEqual(t.audit.page({ runId: id, action: 'logout' }, 100).items.map((r) => r.outcome), Array(20).fill('success'))
      assert.ok(peakBefore <= 2, `peak before the edit ${peakBefore}`)
      // The edit's answer came after the slots changed hands: the requests already sent may still be out.
      if ('maxConcurrency' in change) assert.ok(branch.stats.peakInFlight <= 2, `peak after the edit ${branch.stats.peakInFlight}`)
      assert.equal((await t.inject({ method: 'DELETE', url: '/api/clusters/branch' })).statusCode, 204)
    }
  })

  test('deleted or disabled: what was not sent ends not-run saying why, its audit rows "not sent", nothing unknown or pending', async () => {
    for (const [how, reason] of [['delete', /No cluster "branch"/], ['disable', /Cluster Branch office is disabled/]] as const) {
      await addBranch()
      const id = await runUnderWay()
      const res = how === 'delete'
        ? await t.inject({ method: 'DELETE', url: '/api/clusters/branch' })
        : await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { enabled: false } })
      assert.ok(res.statusCode < 300, res.body)
      const run = await runEnded(t, id)
      assert.equal(run.state, 'done')
      const items = t.runs.allItems(id)
      const sent = receivedOf(branch, 'logout').length
      assert.deepEqual(Object.keys(run.counts).sort(), ['not-run', 'success'], `${how}: ${JSON.stringify(run.counts)}`)
      assert.equal(run.counts.success, sent, 'every logout CUCM got is a success')
      for (const item of items.filter((i) => i.outcome === 'not-run')) assert.match(item.message ?? '', reason)
      const rows = t.audit.page({ runId: id, action: 'logout' }, 100).items
      assert.equal(rows.filter((r) => r.outcome === 'success').length, sent)
      for (const row of rows.filter((r) => r.outcome !== 'success')) {
        assert.equal(row.outcome, 'interrupted', JSON.stringify(row))
        assert.equal(row.errorCode, 'NOT_SENT')
        assert.match(row.message ?? '', reason)
        assert.ok(items.some((i) => i.auditId === row.id && i.outcome === 'not-run'), `audit #${row.id} is linked by its item`)
      }
      if (how === 'disable') assert.equal((await t.inject({ method: 'DELETE', url: '/api/clusters/branch' })).statusCode, 204)
    }
  })

  test('a single change waiting for its slot when the cluster is deleted or disabled is refused saying so (404, 409), its row not sent; not an internal error', async () => {
    for (const [how, status, code, reason] of [['delete', 404, 'NOT_FOUND', /^Not sent: No cluster "branch"/], ['disable', 409, 'CLUSTER_DISABLED', /^Not sent: Cluster Branch office is disabled/]] as const) {
      await addBranch()
      assert.equal((await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { maxConcurrency: 1, timeoutMs: 10_000 } })).statusCode, 200)
      // The delete or disable lands while the first logout is on its way: CUCM's answers are held until then.
      branch.setFaults({ hold: 'changes' })
      // Both look their phone up, then write their pending rows: one holds the one slot, the other waits for it.
      const asked = [0, 1].map(async (i) => await t.inject({ method: 'POST', url: `/api/devices/${BRANCH_DEVICES[i] ?? ''}/logout?cluster=branch` }))
      await eventually(() => receivedOf(branch, 'logout').length === 1 && t.audit.page({ cluster: 'branch', action: 'logout', outcome: 'pending' }, 10).items.length === 2 ? true : undefined, 10_000)
      const action = how === 'delete' ? 'cluster-delete' : 'cluster-update'
      const recorded = changesRecorded(action)
      const changed = how === 'delete'
        ? t.inject({ method: 'DELETE', url: '/api/clusters/branch' })
        : t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { enabled: false } })
      // The change is saved while the first logout is on its way; it is answered once that one is.
      await eventually(() => changesRecorded(action) > recorded ? true : undefined, 10_000)
      branch.setFaults({ hold: 'none' })
      const res = await changed
      assert.ok(res.statusCode < 300, res.body)
      const answers = await Promise.all(asked)
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, status].sort(), answers.map((a) => a.body).join('\n'))
      const error = answers.find((a) => a.statusCode !== 200)?.json().error
      assert.equal(error.code, code)
      assert.match(error.message, reason)
      const row = t.audit.get(error.auditId)
      assert.equal(row?.outcome, 'interrupted')
      assert.equal(row?.errorCode, 'NOT_SENT')
      assert.equal(receivedOf(branch, 'logout').length, 1, 'the second was not sent')
      if (how === 'disable') assert.equal((await t.inject({ method: 'DELETE', url: '/api/clusters/branch' })).statusCode, 204)
    }
  })

  test('a schedule\'s logout-all waiting for its slot when its cluster is disabled: its last run says why, not "Internal error"', async () => {
    await addBranch()
    assert.equal((await t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { maxConcurrency: 1, timeoutMs: 10_000 } })).statusCode, 200)
    const schedule = await t.schedules.create({ actor: 'test', trigger: 'api' }, { name: 'branch-night', cron: '0 2 * * *', clusters: ['branch'] })
    // The disable lands while the logout is on its way: CUCM's answers are held until then.
    branch.setFaults({ hold: 'changes' })
    // A logout holds the one slot; the schedule's logout-all, run now, waits for it.
    const holding = t.inject({ method: 'POST', url: `/api/devices/${BRANCH_DEVICES[0] ?? ''}/logout?cluster=branch` })
    await eventually(() => receivedOf(branch, 'logout').length === 1 ? true : undefined, 10_000)
    const ranNow = t.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, payload: { confirm: 'LOG OUT ALL' } }, 'operator')
    await eventually(() => t.audit.page({ cluster: 'branch', action: 'logout-all', outcome: 'pending' }, 10).items.length === 1 ? true : undefined, 10_000)
    const recorded = changesRecorded('cluster-update')
    const disabled = t.inject({ method: 'PATCH', url: '/api/clusters/branch', payload: { enabled: false } })
    // The disable is saved while the logout is on its way; it is answered once that one is.
    await eventually(() => changesRecorded('cluster-update') > recorded ? true : undefined, 10_000)
    branch.setFaults({ hold: 'none' })
    assert.ok((await disabled).statusCode < 300)
    const refused = await ranNow
    assert.equal(refused.statusCode, 409, refused.body)
    assert.equal(refused.json().error.code, 'CLUSTER_DISABLED')
    assert.equal((await holding).statusCode, 200)
    const after = t.schedules.get(schedule.id)
    assert.equal(after?.lastOutcome, 'failure')
    assert.match(after?.lastMessage ?? '', /^Not sent: Cluster Branch office is disabled/)
    assert.equal(t.audit.get(after?.lastAuditId ?? 0)?.errorCode, 'NOT_SENT', 'the last run links the logout-all\'s record')
    assert.equal(receivedOf(branch, 'logoutAll').length, 0, 'nothing was sent')
    assert.equal((await t.schedules.delete({ actor: 'test', trigger: 'api' }, schedule.id)), true)
    assert.equal((await t.inject({ method: 'DELETE', url: '/api/clusters/branch' })).statusCode, 204)
  })
})

describe('a run followed live by an account whose session ends', () => {
  test('disabled or signed out mid-run: its stream ends at the next event, the run goes on to its end under its actor', async () => {
    const t = await buildTestApp({ maxConcurrency: 1, simulator: { scenario: scenario(1, 40), faults: { latencyMs: 40 } } })
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = t.app.server.address() as AddressInfo
      const origin = `http://127.0.0.1:${port}`
      await t.auth.createAccount({ actor: 'test', trigger: 'api' }, 'night-viewer', TEST_PASSWORD, 'viewer')
      const ends: Record<string, (headers: Record<string, string>) => Promise<void>> = {
        'signed out': async (headers) => { assert.equal((await fetch(`${origin}/api/session`, { method: 'DELETE', headers })).status, 204) },
        disabled: async () => {
          const id = t.auth.accountByName('night-viewer')?.id
          assert.equal((await t.inject({ method: 'PATCH', url: `/api/accounts/${id ?? 0}`, payload: { disabled: true } })).statusCode, 200)
        }
      }
      for (const [how, end] of Object.entries(ends)) {
        t.sim.reset()
        const session = await signIn(origin, how === 'disabled' ? 'night-viewer' : 'test-viewer', TEST_PASSWORD)
        const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: Array.from({ length: 40 }, (_, i) => bulkDeviceName(1 + i)), verifyAfterSeconds: 0 } }, 'operator')).json()
        const res = await fetch(`${origin}/api/runs/${id as string}/events`, { headers: { cookie: session.cookie ?? '' } })
        assert.equal(res.status, 200)
        const reader = (res.body as ReadableStream<Uint8Array>).getReader()
        assert.equal((await reader.read()).done, false, 'the stream is open')
        await eventually(() => (t.runs.summary(id as string)?.counts.success ?? 0) > 2 ? true : undefined, 10_000)
        await end(session)
        // Read until the server ends the stream; it must do so while the run still goes on.
        for (;;) if ((await reader.read()).done) break
        const state = t.runs.summary(id as string)?.state
        assert.equal(state, 'running', `${how}: the stream ended only with the run`)
        const run = await runEnded(t, id as string)
        assert.deepEqual(run.counts, { success: 40 })
        assert.equal(run.actor, 'test-operator')
      }
    } finally {
      await t.close()
    }
  })

  test('a stream with no event for a while says it is alive, and ends as soon as its session does, not at the next event', async () => {
    const t = await buildTestApp({ maxConcurrency: 1, simulator: { scenario: scenario(1, 1), faults: { hold: 'all' } }, client: { timeoutMs: 10_000 }, tuning: { streamKeepAliveMs: 100 } })
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = t.app.server.address() as AddressInfo
      const origin = `http://127.0.0.1:${port}`
      const session = await signIn(origin, 'test-viewer', TEST_PASSWORD)
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [bulkDeviceName(1)], verifyAfterSeconds: 0 } }, 'operator')).json()
      const res = await fetch(`${origin}/api/runs/${id as string}/events`, { headers: { cookie: session.cookie ?? '' } })
      assert.equal(res.status, 200)
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      let text = ''
      while (!text.includes(': keep-alive\n\n')) {
        const chunk = await reader.read()
        assert.equal(chunk.done, false, `the stream ended early: ${text}`)
        text += decoder.decode(chunk.value)
      }
      assert.equal((await fetch(`${origin}/api/session`, { method: 'DELETE', headers: session })).status, 204)
      for (;;) if ((await reader.read()).done) break
      const state = t.runs.summary(id as string)?.state ?? 'done'
      assert.equal(t.runs.isFinal(state), false, `the stream ended before the run's next event (${state})`)
      t.sim.setFaults({ hold: 'none' })
      assert.deepEqual((await runEnded(t, id as string)).counts, { success: 1 })
    } finally {
      await t.close()
    }
  })

  test('following a run does not keep its session alive: idle past its limit, the stream ends while the run goes on', async () => {
    const clock = { offsetMs: 0 }
    const t = await buildTestApp({ maxConcurrency: 1, simulator: { scenario: scenario(1, 100), faults: { latencyMs: 40 } }, tuning: { now: () => new Date(Date.now() + clock.offsetMs) } })
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = t.app.server.address() as AddressInfo
      const origin = `http://127.0.0.1:${port}`
      const { cookie = '' } = await signIn(origin, 'test-viewer', TEST_PASSWORD)
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: Array.from({ length: 100 }, (_, i) => bulkDeviceName(1 + i)), verifyAfterSeconds: 0 } }, 'operator')).json()
      const res = await fetch(`${origin}/api/runs/${id as string}/events`, { headers: { cookie } })
      assert.equal(res.status, 200)
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      const done = (): number => t.runs.summary(id as string)?.counts.success ?? 0
      // Two steps of 0.6 of the idle limit (60 minutes here), events in between: renewed at each
      // event, the session would never be idle that long; it has been, since its last request.
      for (const step of [1, 2]) {
        const before = done()
        await eventually(() => done() > before + 2 ? true : undefined, 10_000)
        clock.offsetMs = step * 0.6 * 60 * 60_000
      }
      for (;;) if ((await reader.read()).done) break
      assert.equal(t.runs.summary(id as string)?.state, 'running', 'the stream ended only with the run')
      assert.deepEqual((await runEnded(t, id as string)).counts, { success: 100 })
    } finally {
      await t.close()
    }
  })
})
