import { spawnSync } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { after, before, beforeEach, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  buildDeviceUserQuery, buildLogout, EmapiError, parseActionResponse, parseDeviceUserResponse
} from '@em-console/shared/emapi'
import type { Scenario } from '../src/simulator/state.js'
import { SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.js'
import { outcomeOf, startHarness, type Harness } from './fixtures/simulator/harness.js'
import { eventually } from './helpers/eventually.ts'

/** 20 users, each logged in on their own phone. */
function busySite (): Scenario {
  const users = Array.from({ length: 20 }, (_, i) => `user${i}`)
  return {
    users,
    profiles: users.map((u) => ({ name: `${u}-EM`, owners: [u], isDefault: true })),
    devices: users.map((u, i) => ({ name: `SEP0000000000${i.toString(16).toUpperCase().padStart(2, '0')}`, currentUser: u }))
  }
}

/** The answers of requests sent while the simulator holds its answers, let go once all `count` have arrived. */
async function onceAllArrived<T> (h: Harness, count: number, asked: Promise<T>): Promise<T> {
  await eventually(() => h.sim.stats.requests === count ? true : undefined, 10_000)
  h.sim.setFaults({ hold: 'none' })
  return await asked
}

describe('simulator throttle', () => {
  test('20 parallel logouts with maxConcurrent 5: the excess get 26, never more than 5 in flight', async () => {
    const scenario = busySite()
    // Answers held until all twenty have arrived: the first five are in flight meanwhile.
    const h = await startHarness({ scenario, maxConcurrent: 5, faults: { hold: 'all' } })
    try {
      const creds = h.sim.credentials
      const names = scenario.devices.map((d) => d.name)
      const outcomes = await onceAllArrived(h, 20, Promise.all(names.map(async (name) => outcomeOf((await h.post(buildLogout(creds, name))).body))))
      const ok = outcomes.filter((o) => o === 'success').length
      const busy = outcomes.filter((o) => o === 26).length
      assert.deepEqual([ok, busy], [5, 15], `only success or 26: ${outcomes.join(',')}`)
      assert.equal(h.sim.stats.peakInFlight, 5)
      assert.equal(h.sim.stats.inFlight, 0)
      assert.equal(h.sim.state.counts().loggedIn, 20 - ok)

      // Retried one at a time, the refused ones go through: a 26 changed nothing.
      const refused = names.filter((_, i) => outcomes[i] === 26)
      for (const name of refused) assert.equal(outcomeOf((await h.post(buildLogout(creds, name))).body), 'success')
      assert.equal(h.sim.state.counts().loggedIn, 0)
    } finally {
      await h.close()
    }
  })

  test('queries do not count against the cap', async () => {
    const h = await startHarness({ maxConcurrent: 1, faults: { hold: 'all' } })
    try {
      const xml = buildDeviceUserQuery(h.sim.credentials, [SEED_OCCUPIED_DEVICE])
      const answers = await onceAllArrived(h, 6, Promise.all(Array.from({ length: 6 }, async () => (await h.post(xml)).body)))
      for (const body of answers) assert.equal(parseDeviceUserResponse(body, [SEED_OCCUPIED_DEVICE])[0]?.currentUser, SEED_USER)
      assert.equal(h.sim.stats.peakQueriesInFlight, 6, 'all six in flight at once')
      assert.equal(h.sim.stats.peakInFlight, 0)
    } finally {
      await h.close()
    }
  })

  test('with queriesThrottled (whether they count is not documented, PROTOCOL.md §5) look-ups count too: past the cap they answer 26, in the query form', async () => {
    // Answers held until all six have arrived: the first is in flight meanwhile.
    const h = await startHarness({ maxConcurrent: 1, queriesThrottled: true, faults: { hold: 'all' }, variants: { queryPrologue: false } })
    try {
      const xml = buildDeviceUserQuery(h.sim.credentials, [SEED_OCCUPIED_DEVICE])
      const answers = await onceAllArrived(h, 6, Promise.all(Array.from({ length: 6 }, async () => (await h.post(xml)).body)))
      const busy = answers.filter((body) => /^<response>\n<failure>\n<error code="26">/.test(body)).length
      assert.equal(busy, 5, answers.join('\n'))
      assert.equal(h.sim.stats.peakQueriesInFlight, 1)
      h.sim.setFaults({ busyBurst: 1 })
      assert.match((await h.post(xml)).body, /<error code="26">/, 'busyBurst counts look-ups too')
      assert.equal(parseDeviceUserResponse((await h.post(xml)).body, [SEED_OCCUPIED_DEVICE])[0]?.currentUser, SEED_USER)
    } finally {
      await h.close()
    }
  })
})

describe('simulator fault injection', () => {
  let h: Harness
  before(async () => { h = await startHarness() })
  after(async () => { await h.close() })
  beforeEach(() => { h.sim.reset() })

  const logoutOccupied = async (options?: { timeoutMs?: number }) => h.post(buildLogout(h.sim.credentials, SEED_OCCUPIED_DEVICE), options)

  test('busyBurst: the next N login/logout requests answer 26, queries are spared', async () => {
    const put = await h.admin('PUT', 'faults', { busyBurst: 2 })
    assert.equal(put.json.busyBurst, 2)
    const query = await h.post(buildDeviceUserQuery(h.sim.credentials, [SEED_OCCUPIED_DEVICE]))
    assert.equal(parseDeviceUserResponse(query.body, [SEED_OCCUPIED_DEVICE])[0]?.currentUser, SEED_USER)
    assert.equal(outcomeOf((await logoutOccupied()).body), 26)
    assert.equal(h.sim.faults.busyBurst, 1)
    assert.equal(outcomeOf((await logoutOccupied()).body), 26)
    assert.equal(outcomeOf((await logoutOccupied()).body), 'success')
  })

  test('hold: answers of the kind held wait in flight until the hold ends, through the control API or a reset; another value is refused', async () => {
    assert.equal((await h.admin('PUT', 'faults', { hold: 'changes' })).json.hold, 'changes')
    const asked = logoutOccupied()
    // Without the hold a logout is carried out and answered within the turn it arrives in: never seen in flight.
    await eventually(() => h.sim.stats.inFlight === 1 ? true : undefined, 10_000)
    assert.equal((await h.admin('PUT', 'faults', { latencyMs: 0 })).json.hold, 'changes', 'another fault set leaves the hold')
    const query = await h.post(buildDeviceUserQuery(h.sim.credentials, [SEED_OCCUPIED_DEVICE]))
    assert.equal(parseDeviceUserResponse(query.body, [SEED_OCCUPIED_DEVICE])[0]?.currentUser, SEED_USER, 'a look-up is answered; the held logout is not carried out')
    assert.equal(h.sim.stats.inFlight, 1)
    assert.equal((await h.admin('PUT', 'faults', { hold: 'none' })).json.hold, 'none')
    assert.equal(outcomeOf((await asked).body), 'success')

    h.sim.setFaults({ hold: 'queries' })
    const held = h.post(buildDeviceUserQuery(h.sim.credentials, [SEED_OCCUPIED_DEVICE]))
    await eventually(() => h.sim.stats.queriesInFlight === 1 ? true : undefined, 10_000)
    h.sim.reset()
    assert.equal(parseDeviceUserResponse((await held).body, [SEED_OCCUPIED_DEVICE])[0]?.currentUser, SEED_USER)

    const refused = await h.admin('PUT', 'faults', { hold: true })
    assert.equal(refused.status, 400)
    assert.deepEqual(refused.json, { error: 'hold must be one of none, all, changes, queries' })
  })

  test('a change held when the simulator is reset is dropped unanswered, not carried out on the seeds the reset brought back', async () => {
    h.sim.setFaults({ hold: 'changes' })
    const asked = logoutOccupied()
    await eventually(() => h.sim.stats.inFlight === 1 ? true : undefined, 10_000)
    h.sim.reset()
    await assert.rejects(asked, (error: Error & { code?: string }) => {
      assert.ok(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(error.code ?? ''), `got ${error.code}`)
      return true
    })
    assert.equal(h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER)
    assert.equal(h.sim.stats.inFlight, 0)
  })

  test('latency with jitter delays the answer', async () => {
    h.sim.setFaults({ latencyMs: 120, jitterMs: 30 })
    const started = performance.now()
    assert.equal(outcomeOf((await logoutOccupied()).body), 'success')
    const elapsed = performance.now() - started
    assert.ok(elapsed >= 115 && elapsed < 1500, `took ${elapsed} ms`)
  })

  test('http-503: a Tomcat HTML page', async () => {
    await h.admin('PUT', 'faults', { mode: 'http-503' })
    const res = await logoutOccupied()
    assert.equal(res.status, 503)
    assert.match(res.contentType, /^text\/html/)
    assert.match(res.body, /HTTP Status 503 – Service Unavailable[\s\S]*Apache Tomcat/)
    assert.equal(h.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER, 'nothing happened')
    assert.equal((await h.admin('GET', 'state')).status, 200, 'the admin API is spared')
  })

  test('reset: the connection is destroyed without an answer', async () => {
    h.sim.setFaults({ mode: 'reset' })
    await assert.rejects(logoutOccupied(), (error: Error & { code?: string }) => {
      assert.ok(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(error.code ?? ''), `got ${error.code}`)
      return true
    })
  })

  test('hang: no answer until the client gives up; close() still ends promptly', async () => {
    const hung = await startHarness({ faults: { mode: 'hang' } })
    try {
      await assert.rejects(hung.post(buildLogout(hung.sim.credentials, SEED_OCCUPIED_DEVICE), { timeoutMs: 300 }), { code: 'UND_ERR_HEADERS_TIMEOUT' })
      // A second request is left hanging on purpose: close() must destroy its socket.
      const pending = hung.post(buildLogout(hung.sim.credentials, SEED_OCCUPIED_DEVICE), { timeoutMs: 60_000 }).catch((error: unknown) => error)
      await eventually(() => hung.sim.stats.requests === 2 ? true : undefined, 10_000)
      const started = performance.now()
      await hung.sim.close()
      assert.ok(performance.now() - started < 1000)
      assert.ok(await pending instanceof Error)
    } finally {
      await hung.agent.destroy()
    }
  })

  test('malformed: HTTP 200 with XML that does not parse', async () => {
    h.sim.setFaults({ mode: 'malformed' })
    const res = await logoutOccupied()
    assert.equal(res.status, 200)
    assert.throws(() => parseActionResponse(res.body), (error: unknown) => error instanceof EmapiError && error.code === 'EMAPI_BAD_XML')
  })

  test('empty: HTTP 200 with an empty body', async () => {
    h.sim.setFaults({ mode: 'empty' })
    const res = await logoutOccupied()
    assert.equal(res.status, 200)
    assert.equal(res.body, '')
    assert.throws(() => parseActionResponse(res.body), { code: 'EMAPI_BAD_XML' })
  })

  test('faults set at start apply from the first request; mode none restores service', async () => {
    const faulty = await startHarness({ faults: { mode: 'http-503' } })
    try {
      assert.equal((await faulty.post(buildLogout(faulty.sim.credentials, SEED_OCCUPIED_DEVICE))).status, 503)
      await faulty.admin('PUT', 'faults', { mode: 'none' })
      assert.equal(outcomeOf((await faulty.post(buildLogout(faulty.sim.credentials, SEED_OCCUPIED_DEVICE))).body), 'success')
    } finally {
      await faulty.close()
    }
  })
})

describe('the simulator on its own (npm run simulator)', () => {
  const main = fileURLToPath(new URL('../dist/simulator/main.js', import.meta.url))

  test('--help says how to start it and exits 0; an unknown option says what is wrong and how, and exits 2', () => {
    const help = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(help.status, 0, help.stderr)
    assert.match(help.stdout, /^Usage: node server\/dist\/simulator\/main\.js \[--port N\]/)
    const wrong = spawnSync(process.execPath, [main, '--prot', '1'], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(wrong.status, 2)
    assert.match(wrong.stderr, /Unknown option '--prot'[\s\S]*\n\nUsage: /)
    assert.doesNotMatch(wrong.stderr, /\n\s+at /, 'no stack')
  })

  test('a port in use, or a scenario file that cannot be read, says so and what to do, and exits 2, without a stack', async () => {
    // Both printed Node's stack (Error: listen EADDRINUSE ... at Server.setupListenHandle), a
    // second `npm run simulator` on the default port 18443 included.
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    try {
      const port = (holder.address() as AddressInfo).port
      const taken = spawnSync(process.execPath, [main, '--port', String(port)], { encoding: 'utf8', timeout: 30_000 })
      assert.equal(taken.status, 2, taken.stderr)
      assert.equal(taken.stderr, `Port ${port} of 127.0.0.1 is in use by another program (another simulator?): stop it, or give another --port (or SIMULATOR_PORT; 0: any free port).\n`)
    } finally {
      holder.close()
    }
    const missing = spawnSync(process.execPath, [main, '--port', '0', '--scenario', '/nonexistent/scenario.json'], { encoding: 'utf8', timeout: 30_000 })
    assert.equal(missing.status, 2, missing.stderr)
    assert.equal(missing.stderr, 'Cannot read the scenario file /nonexistent/scenario.json (ENOENT): give the path of a JSON scenario (--scenario or SIMULATOR_SCENARIO).\n')
  })
})
