import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, test } from 'node:test'
import { COMMANDS, main, USAGE } from '../src/cli/main.ts'
import { SEED_EMPTY_DEVICE, SEED_EM_DISABLED_DEVICE, SEED_FREE_USER, SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { addDashboardCluster, buildTestApp, receivedOf } from './helpers/app.ts'
import { cucmEnvOf } from './helpers/cucm-env.ts'
import { holdWriteLock } from './helpers/database.ts'
import { openedStore } from '../src/store/database-path.ts'
import type { Writes } from '../src/store/store.ts'

// The same entry as the binary (cli.test.ts runs that as a child process), called in-process
// so the look-ups and `check` variants stay fast.

let sim: Simulator
let dir: string

before(async () => {
  sim = await startSimulator()
  dir = mkdtempSync(join(tmpdir(), 'em-console-cli-commands-'))
})
after(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

function envFor (target: Simulator, overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...cucmEnvOf(target),
    CUCM_TIMEOUT_MS: '3000',
    DATABASE_PATH: join(dir, 'cli.db'),
    ...overrides
  }
}

async function cli (args: string[], env: NodeJS.ProcessEnv = envFor(sim), input?: string): Promise<{ code: number, stdout: string, stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const stdin = (input === undefined ? { isTTY: false } : Readable.from([input])) as unknown as NodeJS.ReadStream
  const code = await main(args, { env, stdin, io: { out: (l) => out.push(l), err: (l) => err.push(l) } })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

test('status prints who is on each device; one CUCM does not know makes it exit 1', async () => {
  assert.equal((await cli(['status', SEED_OCCUPIED_DEVICE])).code, 0)
  const status = await cli(['status', SEED_OCCUPIED_DEVICE, 'SEPNOSUCHPHONE'])
  assert.equal(status.code, 1, status.stderr)
  assert.match(status.stdout, /^DEVICE\s+CURRENT USER\s+LAST USER/)
  assert.match(status.stdout, new RegExp(`${SEED_OCCUPIED_DEVICE}\\s+${SEED_USER}`))
  assert.match(status.stdout, /SEPNOSUCHPHONE\s+\(device does not exist\)/)
})

test('a MAC address typed for a device is read as its phone, SEP and the MAC, as the dashboard reads it, and said so on stderr', async () => {
  const mac = SEED_OCCUPIED_DEVICE.slice(3).toLowerCase()
  const colons = mac.match(/../g)?.join(':') ?? ''
  const status = await cli(['status', colons, mac])
  assert.equal(status.code, 0, status.stderr)
  assert.match(status.stdout, new RegExp(`${SEED_OCCUPIED_DEVICE}\\s+${SEED_USER}`))
  assert.doesNotMatch(status.stdout, /device does not exist/)
  assert.ok(status.stderr.includes(`Note: 2 MAC addresses were read as phone names (CUCM names a phone SEP and its MAC address): ${colons} as ${SEED_OCCUPIED_DEVICE}, ${mac} as ${SEED_OCCUPIED_DEVICE}.`), status.stderr)
  const json = await cli(['status', `${mac.slice(0, 4)}.${mac.slice(4, 8)}.${mac.slice(8)}`, '--json'])
  assert.equal(json.code, 0, json.stderr)
  assert.deepEqual((JSON.parse(json.stdout) as { devices: Array<{ deviceName: string }> }).devices.map((d) => d.deviceName.toUpperCase()), [SEED_OCCUPIED_DEVICE])
})

test('status right after a logout, with a CUCM whose status lags: the user still shown, and on stderr that it may lag', async () => {
  const lagging = await startSimulator({ statusCacheSeconds: 60 })
  try {
    const env = envFor(lagging, { DATABASE_PATH: join(dir, 'lag.db') })
    assert.equal((await cli(['status', SEED_OCCUPIED_DEVICE], env)).stderr, '')
    assert.equal((await cli(['user', SEED_USER], env)).stderr, '')
    assert.equal((await cli(['logout', SEED_OCCUPIED_DEVICE], env)).code, 0)
    const status = await cli(['status', SEED_OCCUPIED_DEVICE], env)
    assert.equal(status.code, 0, status.stderr)
    assert.match(status.stdout, new RegExp(`${SEED_OCCUPIED_DEVICE}\\s+${SEED_USER}`))
    assert.match(status.stderr, new RegExp(`^${SEED_OCCUPIED_DEVICE}: EM Console logged ${SEED_USER} out of ${SEED_OCCUPIED_DEVICE} at .+ UTC\\. CUCM's Extension Mobility status can lag`))
    // The user's look-up the same way.
    const user = await cli(['user', SEED_USER], env)
    assert.equal(user.code, 0, user.stderr)
    assert.match(user.stdout, new RegExp(`logged in on: +${SEED_OCCUPIED_DEVICE}$`, 'm'))
    assert.match(user.stderr, new RegExp(`^${SEED_OCCUPIED_DEVICE}: EM Console logged ${SEED_USER} out of ${SEED_OCCUPIED_DEVICE} at .+ UTC\\. CUCM's Extension Mobility status can lag`))
  } finally {
    await lagging.close()
  }
})

test('status with a cluster that cannot be asked: the others\' answers, the failure on stderr, exit 2', async () => {
  const database = join(dir, 'two-clusters.db')
  // A second cluster, saved as the dashboard saves it, where nothing listens.
  await addDashboardCluster(database, { id: 'silent', name: 'Silent site', host: '127.0.0.1', port: 1, appUser: 'app', appPassword: 'a-password', caPem: sim.caPem })
  const status = await cli(['status', SEED_OCCUPIED_DEVICE], envFor(sim, { DATABASE_PATH: database }))
  assert.equal(status.code, 2, status.stderr)
  assert.match(status.stdout, new RegExp(`default\\s+${SEED_OCCUPIED_DEVICE}\\s+${SEED_USER}`))
  assert.match(status.stderr, /^Failed: Cluster Silent site: Cannot reach CUCM at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\..* A device shown on no cluster may be there\.$/)
  const json = JSON.parse((await cli(['status', SEED_OCCUPIED_DEVICE, '--json'], envFor(sim, { DATABASE_PATH: database }))).stdout) as { ok: boolean, exitCode: number, devices: unknown[], unavailable: Array<{ message: string }> }
  assert.equal(json.ok, false)
  assert.equal(json.exitCode, 2)
  assert.equal(json.devices.length, 1)
  assert.match(json.unavailable[0]?.message ?? '', /^Cluster Silent site: /)
  // A user the same way: found where a cluster answered, the silent one said once, exit 2.
  const user = await cli(['user', SEED_USER], envFor(sim, { DATABASE_PATH: database, CUCM_CLUSTER_NAME: 'Head office' }))
  assert.equal(user.code, 2, user.stderr)
  assert.match(user.stdout, new RegExp(`logged in on: +${SEED_OCCUPIED_DEVICE} on Head office`), 'named as the dashboard names it')
  assert.equal(user.stderr.split('Cluster Silent site:').length, 2, user.stderr)
  // Found on none of the clusters that answered: not said not to exist, as the silent one may hold it.
  const nowhere = await cli(['status', 'SEPNOSUCHPHONE'], envFor(sim, { DATABASE_PATH: database }))
  assert.equal(nowhere.code, 2, nowhere.stderr)
  assert.match(nowhere.stdout, /-\s+SEPNOSUCHPHONE\s+\(not on the clusters that answered\)/)
  assert.doesNotMatch(nowhere.stdout, /does not exist/)
  const idle = await cli(['user', SEED_FREE_USER], envFor(sim, { DATABASE_PATH: database }))
  assert.match(idle.stdout, /logged in on: +\(on no device of the clusters that answered\)/)
})

test('user with a cluster that does not answer waits for its time limit once, not once for the devices and again for the profiles', async () => {
  const silent = await startSimulator({ faults: { mode: 'hang' } })
  try {
    const database = join(dir, 'hanging-cluster.db')
    await addDashboardCluster(database, { id: 'slow', name: 'Slow site', host: '127.0.0.1', port: silent.port, appUser: silent.credentials.appUser, appPassword: silent.credentials.appPassword, caPem: silent.caPem, timeoutMs: 2000 })
    // When each question reaches the silent cluster: asked one after the other, the second would
    // come only once the first's 2 s were out (1.5 s: room on both sides). Not the command's whole time: a bound below two
    // limits (3.5 s) left 1.5 s for the command's own work, which a busy machine can take.
    const arrivals: number[] = []
    silent.received.push = (...xml) => {
      arrivals.push(performance.now())
      return Array.prototype.push.apply(silent.received, xml)
    }
    const user = await cli(['user', SEED_USER], envFor(sim, { DATABASE_PATH: database }))
    assert.equal(user.code, 2, user.stderr)
    assert.match(user.stdout, new RegExp(`logged in on: +${SEED_OCCUPIED_DEVICE}`))
    assert.equal(arrivals.length, 2, 'the devices and the profiles, each asked once')
    const apart = (arrivals[1] ?? Infinity) - (arrivals[0] ?? 0)
    assert.ok(apart < 1500, `the second question came ${Math.round(apart)} ms after the first: it waited for the first's time limit`)
  } finally {
    await silent.close()
  }
})

test('a logout whose record the database will not take is not sent, and the advice is for a command line, not an API call', async () => {
  const database = join(dir, 'locked.db')
  assert.equal((await cli(['status', SEED_EMPTY_DEVICE], envFor(sim, { DATABASE_PATH: database }))).code, 0, 'the database exists')
  const lock = holdWriteLock(database)
  let locked = true
  const release = (): void => { if (locked) lock.release(); locked = false }
  const lines: string[] = []
  // The lock goes once the refusal is said: the command then writes its records before it ends.
  const say = (line: string): void => { lines.push(line); if (/nothing was sent to CUCM/.test(line)) release() }
  try {
    const code = await main(['logout', SEED_EMPTY_DEVICE], { env: envFor(sim, { DATABASE_PATH: database, CUCM_TIMEOUT_MS: '1000' }), stdin: { isTTY: false } as unknown as NodeJS.ReadStream, io: { out: say, err: say } })
    assert.equal(code, 1, lines.join('\n'))
  } finally {
    release()
  }
  const said = lines.join('\n')
  assert.match(said, /The audit trail could not be written within 1 s, so nothing was sent to CUCM/)
  assert.match(said, /Free the database \(DATABASE_PATH\): end the other program that holds its lock/)
  assert.doesNotMatch(said, /GET \/api\/health/)
  const history = await cli(['history', '--json'], envFor(sim, { DATABASE_PATH: database }))
  assert.match(history.stdout, /Not sent: its audit record could not be written within 1 s/)
})

test('a logout whose look-up, asked first, CUCM did not answer says the logout was not sent, as the API says it', async () => {
  const slow = await startSimulator({ faults: { hold: 'all' } })
  try {
    const env = envFor(slow, { DATABASE_PATH: join(dir, 'slow-look-up.db'), CUCM_TIMEOUT_MS: '300' })
    const text = await cli(['logout', SEED_OCCUPIED_DEVICE], env)
    assert.equal(text.code, 2, text.stdout)
    assert.match(text.stdout, /^\S+: Failed: CUCM at \S+ did not answer within 300 ms \(CUCM_TIMEOUT_MS\)\. The logout was not sent: this look-up, asked first, failed\. CUCM did not answer in time: check its load and the network path; raise CUCM_TIMEOUT_MS if CUCM is only slow\. \(audit #\d+\)$/)
    const json = JSON.parse((await cli(['logout', SEED_OCCUPIED_DEVICE, '--json'], env)).stdout) as { results: Array<{ outcome: string, message: string }> }
    assert.equal(json.results[0]?.outcome, 'error')
    assert.match(json.results[0]?.message ?? '', /The logout was not sent: this look-up, asked first, failed\. CUCM did not answer in time: .*\.$/)
    assert.equal(receivedOf(slow, 'logout').length, 0, 'no logout reached CUCM')
  } finally {
    await slow.close()
  }
})

test('status says Extension Mobility is disabled once CUCM answered code 22 for the phone', async () => {
  const before = await cli(['status', SEED_EM_DISABLED_DEVICE])
  assert.match(before.stdout, new RegExp(`${SEED_EM_DISABLED_DEVICE}\\s+\\(nobody\\)`), 'nothing is known before CUCM said so')
  assert.notEqual((await cli(['logout', SEED_EM_DISABLED_DEVICE])).code, 0)
  const after = await cli(['status', SEED_EM_DISABLED_DEVICE, '--json'])
  assert.equal(JSON.parse(after.stdout).devices[0].emEnabled, false)
  assert.match((await cli(['status', SEED_EM_DISABLED_DEVICE])).stdout, /Extension Mobility is disabled on this phone/)
})

test('user prints devices and profiles; --json has the same facts', async () => {
  const text = await cli(['user', SEED_USER])
  assert.match(text.stdout, new RegExp(`logged in on:\\s+${SEED_OCCUPIED_DEVICE}`))
  assert.match(text.stdout, /device profiles: .*\(default\)/)
  const json = JSON.parse((await cli(['user', SEED_USER, '--json'])).stdout) as { exists: boolean, devices: string[], profiles: unknown[] }
  assert.equal(json.exists, true)
  assert.deepEqual(json.devices, [SEED_OCCUPIED_DEVICE])
  assert.ok(json.profiles.length > 0)
  const unknown = await cli(['user', 'nobody-at-all'])
  assert.match(unknown.stdout, /does not exist/)
  assert.equal(unknown.code, 1, 'an unknown user is not one logged in nowhere')
  assert.equal((await cli(['user', SEED_FREE_USER])).code, 0, 'a user logged in nowhere')
})

test('logout reports each device; the worst result decides the exit code', async () => {
  const result = await cli(['logout', SEED_EMPTY_DEVICE, 'SEPNOSUCHPHONE'])
  assert.equal(result.code, 1)
  assert.match(result.stdout, new RegExp(`${SEED_EMPTY_DEVICE}: .*\\(audit #\\d+\\)`))
  assert.match(result.stdout, /SEPNOSUCHPHONE: Failed: EMAPI error 11: Device does not exist/)
  const json = JSON.parse((await cli(['logout', SEED_EMPTY_DEVICE, '--json'])).stdout) as { ok: boolean, results: Array<{ outcome: string }> }
  assert.equal(json.ok, true)
  assert.equal(json.results[0]?.outcome, 'already-logged-out')
})

test('a device named twice (as typed, in another case, or by its MAC address) is logged out once, with one record', async (t) => {
  const own = await startSimulator()
  t.after(async () => { await own.close() })
  const mac = SEED_OCCUPIED_DEVICE.slice(3)
  const result = await cli(['logout', SEED_OCCUPIED_DEVICE, SEED_OCCUPIED_DEVICE.toLowerCase(), mac, '--json'], envFor(own, { DATABASE_PATH: join(dir, 'twice.db') }))
  assert.equal(result.code, 0, result.stdout)
  assert.equal(receivedOf(own, 'logout').length, 1, 'one logout sent')
  const { results } = JSON.parse(result.stdout) as { results: Array<{ deviceName: string, outcome: string }> }
  assert.deepEqual(results.map((r) => [r.deviceName, r.outcome]), [[SEED_OCCUPIED_DEVICE, 'success']])
})

test('logout of many devices looks them up together, 50 a query as every look-up of many names, not one query a device; each device keeps its own result and logout record', async (t) => {
  // Its own CUCM: the devices logged out here stay logged in for the other tests.
  const own = await startSimulator()
  t.after(async () => { await own.close() })
  const loggedIn = own.state.snapshot().devices.flatMap((d) => d.currentUser === null ? [] : [{ name: d.name, user: d.currentUser }]).slice(0, 60)
  assert.equal(loggedIn.length, 60)
  const names = [...loggedIn.map((d) => d.name), SEED_EMPTY_DEVICE]
  const result = await cli(['logout', ...names, '--json'], envFor(own, { DATABASE_PATH: join(dir, 'many-logouts.db') }))
  assert.equal(result.code, 0, result.stdout)
  assert.equal(receivedOf(own, 'deviceUserQuery').length, 2, 'two look-ups of 61 names')
  assert.equal(receivedOf(own, 'logout').length, names.length, 'one logout a device')
  const { results } = JSON.parse(result.stdout) as { results: Array<{ deviceName: string, outcome: string, message: string, auditId: number }> }
  assert.deepEqual(results.map((r) => r.deviceName), names)
  assert.equal(new Set(results.map((r) => r.auditId)).size, names.length, 'each its own record')
  // Each record names whom the logout removed, as the look-up found them.
  loggedIn.forEach((d, i) => { assert.equal(results[i]?.message, `Logged out ${d.user} from ${d.name}.`) })
  assert.equal(results.at(-1)?.outcome, 'already-logged-out')
})

test('history --since and --until take an age back from now or a date or time (UTC without a zone)', async () => {
  await cli(['status', SEED_OCCUPIED_DEVICE])
  const items = async (...args: string[]): Promise<Array<{ startedAt: string }>> => (JSON.parse((await cli(['history', '--action', 'device-query', '--limit', '500', '--json', ...args])).stdout) as { items: Array<{ startedAt: string }> }).items
  const recent = await items('--since', '1h')
  assert.ok(recent.length > 0, 'the look-up just made')
  assert.ok(recent.every((i) => Date.parse(i.startedAt) >= Date.now() - 3_600_000 - 60_000))
  assert.deepEqual(await items('--until', '2000-01-01'), [], 'nothing before 2000')
  assert.deepEqual(await items('--since', '2999-01-01T00:00'), [], 'nothing after 2999')
  assert.equal((await items('--since', '2000-01-01 00:00', '--until', '2999-12-31T23:59+01:00')).length, (await items()).length)
  const bad = await cli(['history', '--since', 'yesterday'])
  assert.equal(bad.code, 3)
  assert.equal((await cli(['history', '--since', '2026'])).code, 3, 'a bare number is neither an age nor a date')
  assert.match(bad.stderr, /--since takes an age such as 24h or 3d, or a date or time such as 2026-12-02/)
  // JavaScript reads these as 2 March and 1 May: a day that does not exist is a typo, said, not another day.
  for (const [option, day] of [['--until', '2026-02-30'], ['--since', '2026-04-31T08:00Z']] as const) {
    const impossible = await cli(['history', option, day])
    assert.equal(impossible.code, 3, `${option} ${day}`)
    assert.match(impossible.stderr, new RegExp(`${option} takes an age .* \\(got "${day}"\\)`))
  }
  assert.equal((await cli(['history', '--since', '2028-02-29'])).code, 0, 'a leap day is a day')
  const swapped = await cli(['history', '--since', '24h', '--until', '48h'])
  assert.equal(swapped.code, 3, 'the two swapped')
  assert.match(swapped.stderr, /--since 24h is after --until 48h .*no record could match/)
  assert.equal((await cli(['history', '--since', '2026-12-01', '--until', '2026-12-01'])).code, 0, 'an empty window is not a swapped one')
})

test('history lists the audit trail with filters', async () => {
  await cli(['status', SEED_OCCUPIED_DEVICE])
  const json = JSON.parse((await cli(['history', '--limit', '1', '--action', 'device-query', '--json'])).stdout) as { items: Array<{ trigger: string, action: string, devices: string[] }> }
  assert.equal(json.items.length, 1)
  assert.equal(json.items[0]?.trigger, 'cli')
  assert.deepEqual(json.items[0]?.devices, [SEED_OCCUPIED_DEVICE])
  const text = await cli(['history', '--device', 'SEPNOSUCH', '--outcome', 'failure'])
  assert.match(text.stdout, /^ID\s+STARTED\s+TRIGGER/)
  assert.match(text.stdout, /cli\s+\S+\s+logout\s+failure \(11\)\s+SEPNOSUCHPHONE/)
  assert.equal((await cli(['history', '--limit', '0'])).code, 3)
  assert.equal((await cli(['history', '--outcome', 'great'])).code, 3)
  const typo = await cli(['history', '--action', 'logot'])
  assert.equal(typo.code, 3)
  assert.match(typo.stderr, /--action must be one of: .* \(did you mean logout\?\)/)
  // More match than shown: how many, and the cursor the next ones are read from.
  type Page = { items: Array<{ id: number }>, total: number, nextCursor: string | null }
  const first = JSON.parse((await cli(['history', '--limit', '1', '--json'])).stdout) as Page
  assert.ok(first.total >= 2 && first.nextCursor !== null, JSON.stringify(first))
  const next = JSON.parse((await cli(['history', '--limit', '1', '--json', '--cursor', first.nextCursor])).stdout) as Page
  assert.ok((next.items[0]?.id ?? Infinity) < (first.items[0]?.id ?? 0))
  assert.ok((await cli(['history', '--limit', '1'])).stdout.endsWith(`\n1 of ${first.total} matching records shown; the next ones: the same command with --cursor ${first.nextCursor}`))
  const badCursor = await cli(['history', '--cursor', 'not-a-cursor'])
  assert.equal(badCursor.code, 3)
  assert.match(badCursor.stderr, /--cursor takes the value a page of history printed/)
  // Five devices in one look-up: three named, the rest counted in words, not as "+2" (a user ID's look).
  await cli(['status', SEED_OCCUPIED_DEVICE, SEED_EMPTY_DEVICE, SEED_EM_DISABLED_DEVICE, 'SEPNOSUCH0001', 'SEPNOSUCH0002'])
  const five = await cli(['history', '--limit', '1', '--action', 'device-query'])
  assert.match(five.stdout, / \(2 more\)/)
  assert.doesNotMatch(five.stdout, /,\+2/)
})

test('history --run lists the records of one run id: here a look-up of 60 devices, asked in two chunks', async () => {
  const names = Array.from({ length: 60 }, (_, i) => `SEPC0FFEE${String(i).padStart(6, '0')}`)
  await cli(['status', ...names])
  const items = async (...args: string[]) => (JSON.parse((await cli(['history', '--json', ...args])).stdout) as { items: Array<{ runId: string | null, devices: string[] }> }).items
  const runId = (await items('--limit', '1', '--action', 'device-query'))[0]?.runId
  assert.ok(typeof runId === 'string')
  const chunks = await items('--run', runId)
  assert.equal(chunks.length, 2)
  assert.ok(chunks.every((chunk) => chunk.runId === runId))
  assert.deepEqual(chunks.flatMap((chunk) => chunk.devices).sort(), names)
  assert.equal((await cli(['history', '--run', 'no-such-run'])).stdout, 'No matching audit records.')
})

test('history --run takes a run id as the summaries print it (its first 8 characters); a start that begins several says so (exit 3)', async () => {
  const store = openedStore({ path: envFor(sim).DATABASE_PATH as string })
  try {
    await store.write((w) => {
      for (const runId of ['5034a025-0000-4000-8000-000000000001', '5034b025-0000-4000-8000-000000000002']) {
        w.audit.record({ actor: 'night-ops', trigger: 'cli', action: 'logout', runId, devices: ['SEPC0FFEE999999'] }, { outcome: 'success', message: `Logged out in run ${runId}.` })
      }
    }, 'two runs')
  } finally {
    await store.close()
  }
  const short = await cli(['history', '--run', '5034a025'])
  assert.equal(short.code, 0, short.stderr)
  assert.match(short.stdout, /Logged out in run 5034a025-0000-4000-8000-000000000001\./)
  assert.doesNotMatch(short.stdout, /5034b025/)
  const both = await cli(['history', '--run', '5034'])
  assert.equal(both.code, 3)
  assert.match(both.stderr, /--run 5034 begins the ids of several runs \(5034a025-0000-4000-8000-000000000001, 5034b025-0000-4000-8000-000000000002\): give more of it/)
})

test('history --cluster: a cluster removed since still filters its records; an id known neither to the clusters nor to the audit trail exits 3 naming the clusters', async () => {
  const database = join(dir, 'history-clusters.db')
  const env = envFor(sim, { DATABASE_PATH: database })
  const server = await buildTestApp({ env: { DATABASE_PATH: database } })
  try {
    for (const id of ['emea', 'gone']) {
      const added = await server.inject({ method: 'POST', url: '/api/clusters', payload: { id, host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem } })
      assert.equal(added.statusCode, 201, added.body)
    }
    assert.equal((await cli(['status', SEED_OCCUPIED_DEVICE, '--cluster', 'gone'], env)).code, 0)
    const removed = await server.inject({ method: 'DELETE', url: '/api/clusters/gone' })
    assert.ok(removed.statusCode < 300, removed.body)
  } finally {
    await server.close()
  }
  const gone = await cli(['history', '--cluster', 'gone', '--json'], env)
  assert.equal(gone.code, 0, gone.stdout)
  const { items } = JSON.parse(gone.stdout) as { items: Array<{ cluster: string }> }
  assert.ok(items.length > 0 && items.every((item) => item.cluster === 'gone'), gone.stdout)
  const none = await cli(['history', '--cluster', 'EMEA', '--action', 'logout'], env)
  assert.equal(none.code, 0, 'a cluster there is, without records of that action (and in any case)')
  assert.equal(none.stdout, 'No matching audit records.')

  const unknown = await cli(['history', '--cluster', 'nope'], env)
  assert.equal(unknown.code, 3)
  assert.equal(unknown.stdout, '')
  // A read-only command sends nothing ever: not said, as if it might have.
  assert.equal(unknown.stderr, 'em-console history: --cluster: there is no cluster "nope" (clusters: default, emea).\nRun "em-console clusters" to list them.')
  const json = await cli(['history', '--cluster', 'nope', '--json'], env)
  assert.equal(json.code, 3)
  assert.deepEqual(JSON.parse(json.stdout), { command: 'history', ok: false, exitCode: 3, errorCode: 'UNKNOWN_CLUSTER', message: '--cluster: there is no cluster "nope" (clusters: default, emea).' })
  // In demo mode the clusters are the demo's.
  const demo = { DATABASE_PATH: join(dir, 'demo-history.db') }
  await openedStore({ path: demo.DATABASE_PATH }).close()
  assert.equal((await cli(['history', '--cluster', 'branch'], demo)).code, 0)
  assert.match((await cli(['history', '--cluster', 'nope'], demo)).stderr, /there is no cluster "nope" \(clusters: hq, branch\)/)
})

test('schedules lists every schedule with its next run and its last; a failed last run of an enabled one exits 1, for a monitoring check', async () => {
  const database = join(dir, 'schedules.db')
  const env = envFor(sim, { DATABASE_PATH: database })
  await openedStore({ path: database }).close()
  assert.equal((await cli(['schedules'], env)).stdout, 'No schedules.')
  const server = await buildTestApp({ env: { DATABASE_PATH: database } })
  let nightly: { id: number, nextRunAt: string }
  try {
    const created = await server.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'nightly', cron: '0 2 * * *', timezone: 'Europe/Oslo' } })
    assert.equal(created.statusCode, 201, created.body)
    nightly = created.json()
    assert.equal((await server.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'weekends', cron: '0 3 * * 6', timezone: 'UTC', enabled: false } })).statusCode, 201)
    const ran = await server.inject({ method: 'POST', url: `/api/schedules/${nightly.id}/run-now`, payload: { confirm: 'LOG OUT ALL' } })
    assert.equal(ran.statusCode, 200, ran.body)
  } finally {
    await server.close()
  }
  const listed = await cli(['schedules'], env)
  assert.equal(listed.code, 0, listed.stderr)
  const lines = listed.stdout.split('\n')
  assert.match(lines[0] ?? '', /^NAME\s+WHEN\s+DOES\s+NEXT RUN\s+LAST RUN\s+LAST OUTCOME\s+MESSAGE$/)
  assert.match(lines.find((l) => l.startsWith('nightly')) ?? '', new RegExp(`^nightly\\s+0 2 \\* \\* \\* Europe/Oslo\\s+logout-all\\s+${nightly.nextRunAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}\\s+\\d{4}-\\d\\d-\\d\\d \\S+Z\\s+success \\(audit #\\d+\\)`))
  assert.match(lines.find((l) => l.startsWith('weekends')) ?? '', /^weekends\s+0 3 \* \* 6 UTC\s+logout-all\s+disabled\s+-\s+-/)

  // CUCM refuses the next run: the check fails.
  const failing = await buildTestApp({ env: { DATABASE_PATH: database } })
  try {
    failing.sim.setFaults({ mode: 'http-503' })
    const ran = await failing.inject({ method: 'POST', url: `/api/schedules/${nightly.id}/run-now`, payload: { confirm: 'LOG OUT ALL' } })
    assert.ok(ran.statusCode >= 400, ran.body)
  } finally {
    await failing.close()
  }
  const json = await cli(['schedules', '--json'], env)
  assert.equal(json.code, 1, json.stdout)
  const parsed = JSON.parse(json.stdout) as { command: string, ok: boolean, exitCode: number, schedules: Array<{ name: string, enabled: boolean, nextRunAt: string | null, lastOutcome: string | null }> }
  assert.deepEqual([parsed.command, parsed.ok, parsed.exitCode], ['schedules', false, 1])
  assert.deepEqual(parsed.schedules.map((s) => [s.name, s.enabled, s.nextRunAt !== null, s.lastOutcome]), [['nightly', true, true, 'error'], ['weekends', false, false, null]])
  assert.equal((await cli(['schedules', 'nightly'], env)).code, 3, 'takes no arguments')
})

/**
 * The hour of the "nightly" schedules below, 12 hours off the hour now: a fire time minutes ago
 * is run late by a server that starts, not missed (a restart just after 02:00 runs the nightly),
 * and the tests that said 02:00 failed when run then.
 */
const NIGHTLY_HOUR = (new Date().getUTCHours() + 12) % 24
const NIGHTLY_CRON = `0 ${NIGHTLY_HOUR} * * *`

/**
 * Schedules written as if two days ago (`write`), as a server that stopped then left them; returns
 * the first NIGHTLY_HOUR UTC after that: the nightly fire time nobody ran since.
 */
async function savedTwoDaysAgo (database: string, write: (w: Writes, twoDaysAgo: Date) => void): Promise<Date> {
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000)
  const store = openedStore({ path: database, now: () => twoDaysAgo })
  try {
    await store.write((w) => { write(w, twoDaysAgo) }, 'schedules')
  } finally {
    await store.close()
  }
  const due = new Date(twoDaysAgo)
  due.setUTCHours(NIGHTLY_HOUR, 0, 0, 0)
  if (due <= twoDaysAgo) due.setUTCDate(due.getUTCDate() + 1)
  return due
}

test('schedules, while the server is down: a fire time passed with no record of it exits 1, for the monitoring check of the nightly logout (the server records the miss only at its next start)', async () => {
  const database = join(dir, 'schedules-server-down.db')
  const env = envFor(sim, { DATABASE_PATH: database })
  // Saved two days ago; the server stopped then, and has not run since.
  const due = await savedTwoDaysAgo(database, (w) => {
    w.schedules.create({ name: 'nightly', cron: NIGHTLY_CRON, timezone: 'UTC', action: 'logout-all', enabled: true, createdBy: 'admin' })
    w.schedules.create({ name: 'weekends', cron: '0 3 * * 6', timezone: 'UTC', action: 'logout-all', enabled: false, createdBy: 'admin' })
  })
  const listed = await cli(['schedules'], env)
  assert.equal(listed.code, 1, listed.stdout)
  assert.match(listed.stdout.split('\n').find((l) => l.startsWith('nightly')) ?? '', new RegExp(`-\\s+-\\s+Not run: due at ${due.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')}, no record of it \\(is the server running\\?\\)$`))
  const json = JSON.parse((await cli(['schedules', '--json'], env)).stdout) as { exitCode: number, schedules: Array<{ name: string, notRunAt: string | null }> }
  assert.equal(json.exitCode, 1)
  assert.deepEqual(json.schedules.map((s) => [s.name, s.notRunAt]), [['nightly', due.toISOString()], ['weekends', null]])

  // The server starts: it records the runs missed, and the check says so as before.
  const server = await buildTestApp({ env: { DATABASE_PATH: database } })
  await server.close()
  const after = JSON.parse((await cli(['schedules', '--json'], env)).stdout) as { exitCode: number, schedules: Array<{ name: string, notRunAt: string | null, lastOutcome: string | null }> }
  assert.equal(after.exitCode, 1)
  assert.deepEqual(after.schedules.map((s) => [s.name, s.notRunAt, s.lastOutcome]), [['nightly', null, 'missed'], ['weekends', null, null]])
})

test('schedules, while the server is down after a crash during a run: the fire times after that run began, passed with no record, exit 1 (the run left "going" hid them)', async () => {
  const database = join(dir, 'schedules-down-mid-run.db')
  const env = envFor(sim, { DATABASE_PATH: database })
  // Saved two days ago; its run began then and the server died during it (kill -9, out of memory), not started since.
  const due = await savedTwoDaysAgo(database, (w, twoDaysAgo) => {
    const nightly = w.schedules.create({ name: 'nightly', cron: NIGHTLY_CRON, timezone: 'UTC', action: 'logout-all', enabled: true, createdBy: 'admin' })
    w.schedules.setRunningSince(nightly.id, twoDaysAgo.toISOString(), 'schedule:nightly')
    // One whose run began a minute ago and goes on: its fire times are its run's.
    const hourly = w.schedules.create({ name: 'hourly', cron: '0 * * * *', timezone: 'UTC', action: 'logout-all', enabled: true, createdBy: 'admin' })
    w.schedules.setRunningSince(hourly.id, new Date(Date.now() - 60_000).toISOString(), 'schedule:hourly')
  })
  const json = JSON.parse((await cli(['schedules', '--json'], env)).stdout) as { exitCode: number, schedules: Array<{ name: string, notRunAt: string | null }> }
  assert.equal(json.exitCode, 1)
  assert.deepEqual(json.schedules.map((s) => [s.name, s.notRunAt]), [['hourly', null], ['nightly', due.toISOString()]])
})

test('schedules, history and the account commands but add, run on a database that is not there (a cron line without cd, DATABASE_PATH mistyped), exit 3 naming DATABASE_PATH and make none', async () => {
  const missing = join(dir, 'no-such-folder', 'em-console.db')
  for (const args of [['schedules'], ['history'], ['user', 'list'], ['user', 'disable', 'night-ops']]) {
    const text = await cli(args, envFor(sim, { DATABASE_PATH: missing }))
    assert.equal(text.code, 3, `${args.join(' ')}: ${text.stdout}`)
    assert.equal(text.stdout, '')
    assert.match(text.stderr, /^Configuration error in DATABASE_PATH: there is no database at \S+em-console\.db\b.* Run the command in EM Console's folder/)
    const json = await cli([...args, '--json'], envFor(sim, { DATABASE_PATH: missing }))
    assert.equal(json.code, 3)
    assert.deepEqual(Object.entries(JSON.parse(json.stdout) as Record<string, unknown>).slice(0, 5), [['command', args[0]], ['ok', false], ['exitCode', 3], ['errorCode', 'CONFIG'], ['key', 'DATABASE_PATH']])
  }
  assert.equal(existsSync(join(dir, 'no-such-folder')), false, 'nothing made where the database was looked for')
  // The first account of a new install may come before the server's first start: user add makes the database.
  assert.equal((await cli(['user', 'add', 'night-ops'], envFor(sim, { DATABASE_PATH: missing }), 'a-long-enough-password\n')).code, 0)
  assert.equal(existsSync(missing), true)
})

test('usage errors and configuration errors exit 3 and send nothing', async () => {
  const before = sim.stats.requests
  assert.equal((await cli(['reboot'])).code, 3)
  assert.equal((await cli(['status'])).code, 3)
  assert.equal((await cli(['status', 'not a device'])).code, 3)
  assert.equal((await cli(['logout-all', '--force'])).code, 3)
  // No command to run, with --json: the USAGE object all the same, naming none.
  for (const [args, message] of [[['bogus', '--json'], 'Unknown command "bogus".'], [['--json'], 'Give a command first, then its options (got "--json").']] as const) {
    const refused = await cli([...args])
    assert.equal(refused.code, 3)
    assert.deepEqual(JSON.parse(refused.stdout), { command: null, ok: false, exitCode: 3, errorCode: 'USAGE', message })
  }
  assert.match((await cli(['bogus'])).stderr, /^Unknown command "bogus"\.\n\nUsage: em-console/)
  const missing = await cli(['status', SEED_OCCUPIED_DEVICE, '--json'], envFor(sim, { CUCM_APP_PASSWORD: undefined }))
  assert.equal(missing.code, 3)
  assert.equal((JSON.parse(missing.stdout) as { key: string }).key, 'CUCM_APP_PASSWORD')
  const schedule = await cli(['check'], envFor(sim, { LOGOUT_ALL_SCHEDULE: 'at two' }))
  assert.equal(schedule.code, 3)
  assert.match(schedule.stdout, /\[FAIL\] Configuration: .*LOGOUT_ALL_SCHEDULE/)
  assert.equal(sim.stats.requests, before)
  assert.equal((await cli(['help'])).code, 0)
})

test('a file setting the command cannot use is named as that setting, not as CUCM_CA_FILE: a key file or database folder under a file', async () => {
  const before = sim.stats.requests
  const file = join(dir, 'a-file')
  writeFileSync(file, 'not a folder')
  for (const [key, path] of [['SECRET_KEY_FILE', join(file, 'secret.key')], ['DATABASE_PATH', join(file, 'em-console.db')]] as const) {
    const result = await cli(['logout-all', '--yes', '--json'], envFor(sim, { DATABASE_PATH: join(dir, 'file-settings.db'), [key]: path }))
    assert.equal(result.code, 3, result.stdout)
    const json = JSON.parse(result.stdout) as { key: string, message: string }
    assert.equal(json.key, key, json.message)
    assert.match(json.message, new RegExp(`^Configuration error in ${key}: \\S+a-file/\\S+ cannot be`))
  }
  assert.equal(sim.stats.requests, before)
})

test('the help\'s exit code 3 names the command-line refusals a cron job meets: --cluster unknown or missing, --yes missing', () => {
  const three = /^3 (.+?): nothing was sent\.$/ms.exec(USAGE)?.[1] ?? ''
  assert.match(three, /unknown or missing --cluster/)
  assert.match(three, /--yes missing/)
})

test('the help names every option each command takes, its short form too', () => {
  for (const [command, { options }] of Object.entries(COMMANDS)) {
    for (const [name, option] of Object.entries(options)) {
      assert.ok(USAGE.includes(`--${name}`), `${command} --${name} is not in the help`)
      const short = (option as { short?: string }).short
      if (short !== undefined) assert.match(USAGE, new RegExp(`(^|[\\s(\\[])-${short}\\b`, 'm'), `${command} -${short} is not in the help`)
    }
  }
})

test('version and help take --json and refuse an option they do not have, as every command does', async () => {
  const version = await cli(['version', '--json'])
  assert.equal(version.code, 0, version.stderr)
  assert.deepEqual(JSON.parse(version.stdout), { command: 'version', ok: true, exitCode: 0, version: (await cli(['--version'])).stdout })
  const help = await cli(['help', '--json'])
  assert.equal(help.code, 0, help.stderr)
  assert.deepEqual(JSON.parse(help.stdout), { command: 'help', ok: true, exitCode: 0, usage: USAGE })
  assert.equal((await cli(['-h'])).stdout, USAGE)
  assert.equal((await cli(['version', '-h'])).stdout, USAGE)
  const typo = await cli(['version', '--jsn'])
  assert.equal(typo.code, 3)
  assert.equal(typo.stdout, '')
  assert.match(typo.stderr, /^em-console version: unknown option --jsn \(did you mean --json\?\); version takes --json, --help \(-h\)\n/)
  assert.equal(JSON.parse((await cli(['version', '2', '--json'])).stdout).errorCode, 'USAGE')
  assert.deepEqual(await cli(['help', 'logout']), { code: 0, stdout: USAGE, stderr: '' })
  assert.match((await cli(['constructor'])).stderr, /^Unknown command "constructor"/)
  // A command's own --help with --json: the one object too, naming the command.
  for (const command of Object.keys(COMMANDS)) {
    const asked = await cli([command, '--help', '--json'])
    assert.equal(asked.code, 0, asked.stderr)
    assert.deepEqual(JSON.parse(asked.stdout), { command, ok: true, exitCode: 0, usage: USAGE })
  }
})

test('a typo in a command or an option is answered with what was meant and the options the command takes, exit 3, nothing sent', async () => {
  const before = sim.stats.requests
  const command = await cli(['logot', 'SEP001122334455'])
  assert.equal(command.code, 3)
  assert.match(command.stderr, /^Unknown command "logot"\. Did you mean "logout"\?\n\nUsage: em-console/)
  assert.equal(JSON.parse((await cli(['schedule', '--json'])).stdout).message, 'Unknown command "schedule". Did you mean "schedules"?')
  assert.match((await cli(['reboot'])).stderr, /^Unknown command "reboot"\.\n/, 'nothing near: no guess')
  const option = await cli(['logout-all', '--yes', '--clster', 'hq'])
  assert.equal(option.code, 3)
  assert.match(option.stderr, /^em-console logout-all: unknown option --clster \(did you mean --cluster\?\); logout-all takes .*--cluster, --yes \(-y\)\n/)
  const short = JSON.parse((await cli(['history', '-x', '--json'])).stdout) as { errorCode: string, message: string }
  assert.equal(short.errorCode, 'USAGE')
  assert.match(short.message, /^unknown option -x; history takes .*--limit \(-n\), .*--until/)
  // A typo of an account command is not a look-up of two user IDs.
  const account = await cli(['user', 'disbale', 'night-ops'])
  assert.equal(account.code, 3)
  assert.match(account.stderr, /^em-console user: unknown user command "disbale" \(did you mean "user disable"\?\); the user commands are add, passwd, disable, enable, list, or "user <userId>" to look a CUCM user up\n/)
  assert.match((await cli(['user', 'jdoe', 'asmith'])).stderr, /^em-console user: give exactly one user ID\n/, 'nothing near: no guess')
  assert.equal(sim.stats.requests, before)
})

test('an option given without its value is refused in the CLI\'s words, naming the option and what it takes: exit 3, nothing sent', async () => {
  const before = sim.stats.requests
  const cases: Array<[string[], string]> = [
    [['sessions', '--pool'], 'em-console sessions: --pool takes a device pool name: none was given'],
    [['logout-all', '--cluster'], 'em-console logout-all: --cluster takes a cluster id or "all": none was given'],
    [['history', '-n'], 'em-console history: -n (--limit) takes a whole number from 1 to 500: none was given'],
    [['logout', '--older-than', '-5h'], 'em-console logout: --older-than takes an age such as 12h, 90m or 3d (a number alone is hours): none was given before -5h (a value that starts with "-" is written --older-than=-5h)'],
    [['version', '--json=yes'], 'em-console version: --json takes no value (got "--json=yes")'],
    [['version', '2'], 'em-console version: version takes no arguments (got "2")'],
    // What parseArgs reads as an argument though it starts with a dash: named too.
    [['version', '-'], 'em-console version: version takes no arguments (got "-")']
  ]
  for (const [args, line] of cases) {
    const refused = await cli(args)
    assert.equal(refused.code, 3, args.join(' '))
    assert.equal(refused.stdout, '')
    assert.equal(refused.stderr, `${line}\nRun "em-console help" for usage.`)
  }
  const json = JSON.parse((await cli(['status', SEED_OCCUPIED_DEVICE, '--cluster', '--json'])).stdout) as { exitCode: number, errorCode: string, message: string }
  assert.deepEqual([json.exitCode, json.errorCode], [3, 'USAGE'])
  assert.match(json.message, /^--cluster takes a cluster id: none was given before --json /)
  assert.equal(sim.stats.requests, before)
})

test('an empty value is no value: `--pool "$POOL"` with nothing in POOL is refused, not a logout of every pool; exit 3, nothing sent', async () => {
  const before = sim.stats.requests
  const cases: Array<[string[], string]> = [
    [['logout', '--pool', '', '--yes'], 'em-console logout: --pool takes a device pool name: none was given'],
    [['sessions', '--pool='], 'em-console sessions: --pool takes a device pool name: none was given'],
    [['status', SEED_OCCUPIED_DEVICE, '--cluster= '], 'em-console status: --cluster takes a cluster id: none was given'],
    [['history', '-n', ''], 'em-console history: -n (--limit) takes a whole number from 1 to 500: none was given']
  ]
  for (const [args, line] of cases) {
    const refused = await cli(args)
    assert.equal(refused.code, 3, args.join(' '))
    assert.equal(refused.stderr, `${line}\nRun "em-console help" for usage.`)
  }
  assert.equal(sim.stats.requests, before)
})

test('after `--` every word is an argument: a --json there asks for no JSON, also of a refusal', async () => {
  for (const args of [['version', '--', '--json'], ['status', '--clster', 'hq', '--', '--json'], ['bogus', '--', '--json']]) {
    const refused = await cli(args)
    assert.equal(refused.code, 3, args.join(' '))
    assert.equal(refused.stdout, '', args.join(' '))
    assert.match(refused.stderr, /^(em-console \S+: |Unknown command)/, args.join(' '))
  }
  assert.equal((await cli(['version', '--', '--json'])).stderr, 'em-console version: version takes no arguments (got "--json")\nRun "em-console help" for usage.')
  assert.deepEqual(await cli(['help', '--', '--json']), { code: 0, stdout: USAGE, stderr: '' })
})

test('usage asked for goes to stdout, exit 0; a command line without a command is a usage error: stderr, exit 3', async () => {
  assert.deepEqual(await cli(['help']), { code: 0, stdout: USAGE, stderr: '' })
  assert.deepEqual(await cli([]), { code: 3, stdout: '', stderr: `Give a command.\n\n${USAGE}` })
})

test('a person who answers no at the terminal: nothing sent, exit 1, and with --json the command\'s one object says so', async () => {
  const before = sim.stats.requests
  const terminal = Object.assign(Readable.from(['no\n']), { isTTY: true }) as unknown as NodeJS.ReadStream
  const out: string[] = []
  const code = await main(['logout-all', '--json'], { env: envFor(sim), stdin: terminal, io: { out: (l) => out.push(l), err: () => {} } })
  assert.equal(code, 1)
  assert.deepEqual(JSON.parse(out.join('\n')), { command: 'logout-all', ok: false, exitCode: 1, errorCode: 'NOT_CONFIRMED', message: 'Cancelled: nothing was sent.' })
  assert.equal(sim.stats.requests, before)
})

/** What `em-console logout-all` writes to the terminal, answered `answer` there, and its exit code. */
async function askedAtTerminal (args: string[], env: NodeJS.ProcessEnv, answer = 'no'): Promise<{ code: number, question: string, said: string }> {
  const terminal = Object.assign(Readable.from([`${answer}\n`]), { isTTY: true }) as unknown as NodeJS.ReadStream
  // The question goes to stderr through readline, as a person sees it.
  const written: string[] = []
  const said: string[] = []
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((chunk: string | Uint8Array) => { written.push(String(chunk)); return true }) as typeof process.stderr.write
  try {
    const code = await main(['logout-all', ...args], { env, stdin: terminal, io: { out: (l) => said.push(l), err: (l) => said.push(l) } })
    return { code, question: written.join(''), said: said.join('\n') }
  } finally {
    process.stderr.write = write
  }
}

test('logout-all\'s question at the terminal names the cluster --cluster names, or every cluster, not the environment\'s CUCM', async () => {
  const env = envFor(sim, { DATABASE_PATH: join(dir, 'question-words.db') })
  await addDashboardCluster(env.DATABASE_PATH ?? '', { id: 'emea', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem })
  const asked = async (args: string[]): Promise<string> => {
    const { code, question } = await askedAtTerminal(args, env)
    assert.equal(code, 1)
    return question
  }
  assert.match(await asked(['--cluster', 'default']), /This logs out EVERY Extension Mobility user on cluster default\./)
  assert.match(await asked(['--cluster', 'emea']), /This logs out EVERY Extension Mobility user on cluster emea\./)
  assert.match(await asked(['--cluster', 'all']), /This logs out EVERY Extension Mobility user on EVERY cluster\./)
  assert.match((await askedAtTerminal([], envFor(sim))).question, /This logs out EVERY Extension Mobility user on CUCM 127\.0\.0\.1\./)
})

test('logout-all checks its options before it asks: an unknown --cluster, or none named among two clusters, is refused at once (exit 3), not once the admin has typed yes', async () => {
  const before = receivedOf(sim, 'logoutAll').length
  const unknown = await askedAtTerminal(['--cluster', 'emae'], envFor(sim), 'yes')
  assert.equal(unknown.code, 3, unknown.said)
  assert.match(unknown.said, /--cluster: there is no cluster "emae" \(clusters: default\)\. Nothing was sent\./)
  assert.doesNotMatch(unknown.question, /Type "yes"/, 'not asked')
  const database = join(dir, 'asked-among-two.db')
  await addDashboardCluster(database, { id: 'emea', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem })
  const unnamed = await askedAtTerminal([], envFor(sim, { DATABASE_PATH: database }), 'yes')
  assert.equal(unnamed.code, 3, unnamed.said)
  assert.match(unnamed.said, /--cluster: there are 2 clusters \(default, emea\); name one, or "all"/)
  assert.doesNotMatch(unnamed.question, /Type "yes"/, 'not asked')
  assert.equal(receivedOf(sim, 'logoutAll').length, before, 'nothing sent')
})

test('logout-all --json on an EMAPI failure carries the code, its meaning and the action', async () => {
  const result = await cli(['logout-all', '--yes', '--json'], envFor(sim, { CUCM_APP_PASSWORD: 'wrong-one' }))
  assert.equal(result.code, 1)
  const body = JSON.parse(result.stdout) as Record<string, unknown>
  assert.equal(body.ok, false)
  assert.equal(body.outcome, 'failure')
  assert.equal(body.emapiCode, 3)
  assert.equal(body.httpStatus, 200)
  assert.match(String(body.action), /CUCM_APP_PASSWORD/)
  // Which cluster refused, as a success says which one did it.
  assert.equal(body.cluster, 'default')
  assert.ok(!result.stdout.includes('wrong-one'))
})

test('logout-all that CUCM turned away (HTTP 503) or did not answer says what to do, as the API does: in the line and --json\'s action, in a dashboard cluster\'s words', async () => {
  const down = await startSimulator({ faults: { mode: 'http-503' } })
  const silent = await startSimulator({ faults: { mode: 'hang' } })
  try {
    const refused = await cli(['logout-all', '--yes'], envFor(down, { DATABASE_PATH: join(dir, 'turned-away.db') }))
    assert.equal(refused.code, 2, refused.stderr)
    assert.match(refused.stdout, /^Failed: CUCM answered HTTP 503: .* Check in Cisco Unified Serviceability that the Cisco Extension Mobility service is activated and running on that node\. \(audit #\d+\)$/m)
    const json = JSON.parse((await cli(['logout-all', '--yes', '--json'], envFor(down, { DATABASE_PATH: join(dir, 'turned-away.db') }))).stdout) as { errorCode: string, action: string | null }
    assert.equal(json.errorCode, 'EMAPI_HTTP_STATUS')
    assert.match(json.action ?? '', /Cisco Extension Mobility service is activated and running/)

    const database = join(dir, 'unanswered-dashboard.db')
    await addDashboardCluster(database, { id: 'emea', host: '127.0.0.1', port: silent.port, appUser: silent.credentials.appUser, appPassword: silent.credentials.appPassword, caPem: silent.caPem, timeoutMs: 300 })
    const unanswered = JSON.parse((await cli(['logout-all', '--cluster', 'emea', '--yes', '--json'], envFor(sim, { DATABASE_PATH: database }))).stdout) as { outcome: string, message: string, action: string | null }
    assert.equal(unanswered.outcome, 'unknown')
    assert.match(unanswered.message, /may have carried it out/)
    assert.equal(unanswered.action, 'CUCM did not answer in time: check its load and the network path; raise the cluster\'s time limit if CUCM is only slow.')
  } finally {
    await down.close()
    await silent.close()
  }
})

test('a cluster added in the dashboard: what to fix about its application user is said in its settings\' words (Settings → Clusters), not the environment\'s keys, by every command', async () => {
  const database = join(dir, 'dashboard-words.db')
  const credentials = /Check the cluster's application user and password \(Settings → Clusters, Edit\)/
  const server = await buildTestApp({ env: { DATABASE_PATH: database } })
  try {
    const added = await server.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'emea', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: 'not-the-password', caPem: sim.caPem } })
    assert.equal(added.statusCode, 201, added.body)
    // A schedule's record of its failed run too (the server's path that is not an API answer).
    const schedule = await server.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'emea-night', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-all', clusters: ['emea'] } })
    assert.equal(schedule.statusCode, 201, schedule.body)
    const id = (schedule.json() as { id: number }).id
    await server.inject({ method: 'POST', url: `/api/schedules/${id}/run-now`, payload: { confirm: 'LOG OUT ALL' } })
    assert.match(server.schedules.get(id)?.lastMessage ?? '', credentials)
    assert.doesNotMatch(server.schedules.get(id)?.lastMessage ?? '', /CUCM_APP/)
  } finally {
    await server.close()
  }
  const env = envFor(sim, { DATABASE_PATH: database })
  const logoutAll = await cli(['logout-all', '--cluster', 'emea', '--yes'], env)
  assert.equal(logoutAll.code, 1, logoutAll.stderr)
  assert.match(logoutAll.stdout, /Failed: EMAPI error 3: Invalid application user/)
  assert.match(logoutAll.stdout, credentials)
  const json = JSON.parse((await cli(['logout-all', '--cluster', 'emea', '--yes', '--json'], env)).stdout) as { action: string }
  assert.match(json.action, credentials)
  const logout = await cli(['logout', SEED_EMPTY_DEVICE, '--cluster', 'emea'], env)
  assert.equal(logout.code, 1)
  assert.match(logout.stdout, credentials)
  // A look-up of every cluster: the environment's answers, emea's refusal is said in its words.
  const status = await cli(['status', SEED_OCCUPIED_DEVICE], env)
  assert.equal(status.code, 1)
  assert.match(status.stderr, credentials)
  for (const said of [logoutAll.stdout, logout.stdout, status.stderr]) assert.doesNotMatch(said, /CUCM_APP/)
})

test('a cluster the command cannot use (its password sealed with another key) fails logout-all of every cluster, and is recorded: the night\'s job does not say done without it', async (t) => {
  const database = join(dir, 'unusable.db')
  // Its own CUCM: a logout of everyone would empty the one the other tests look up.
  const own = await startSimulator()
  t.after(async () => { await own.close() })
  await addDashboardCluster(database, { id: 'emea', name: 'Europe', host: '127.0.0.1', port: own.port, appUser: own.credentials.appUser, appPassword: own.credentials.appPassword, caPem: own.caPem })
  // The cron job's settings name another key (a restored database, another SECRET_KEY): emea's password does not decrypt.
  const env = envFor(own, { DATABASE_PATH: database, SECRET_KEY: 'not-the-key-that-sealed-the-passwords-0123', CUCM_CLUSTER_NAME: 'Head office' })
  const all = await cli(['logout-all', '--cluster', 'all', '--yes'], env)
  assert.equal(all.code, 1, all.stdout)
  assert.match(all.stdout, /^Head office: Success/m, 'named as the dashboard names it')
  assert.match(all.stdout, /^Europe: Failed: Not sent: cluster Europe cannot be used: A stored password cannot be decrypted/m)
  assert.match(all.stdout, /on 1 of 2 clusters; failed on Europe/)
  const json = JSON.parse((await cli(['logout-all', '--cluster', 'all', '--yes', '--json'], env)).stdout) as { ok: boolean, exitCode: number, clusters: Array<{ cluster: string, outcome: string, code?: string, auditId: number | null }> }
  assert.equal(json.ok, false)
  assert.equal(json.exitCode, 1)
  const emea = json.clusters.find((part) => part.cluster === 'emea')
  assert.equal(emea?.outcome, 'failure')
  assert.equal(emea?.code, 'CLUSTER_UNAVAILABLE')
  // Each attempt is in the history, under emea.
  const history = JSON.parse((await cli(['history', '--json', '--cluster', 'emea', '--action', 'logout-all'], env)).stdout) as { items: Array<{ id: number, outcome: string, errorCode: string | null }> }
  assert.deepEqual(history.items.map((item) => [item.outcome, item.errorCode]), [['failure', 'CLUSTER_UNAVAILABLE'], ['failure', 'CLUSTER_UNAVAILABLE']])
  assert.equal(history.items[0]?.id, emea?.auditId)
})

test('logout-all of every cluster says what to do about each cluster that turned it away, as a logout-all of one does', async (t) => {
  const database = join(dir, 'several-turned-away.db')
  // Its own CUCM, the two clusters' both: a logout of everyone would empty the one the other tests look up.
  const own = await startSimulator()
  t.after(async () => { await own.close() })
  await addDashboardCluster(database, { id: 'emea', name: 'Europe', host: '127.0.0.1', port: own.port, appUser: own.credentials.appUser, appPassword: own.credentials.appPassword, caPem: own.caPem })
  own.setFaults({ mode: 'http-503' })
  const all = await cli(['logout-all', '--cluster', 'all', '--yes'], envFor(own, { DATABASE_PATH: database, CUCM_CLUSTER_NAME: 'Head office' }))
  assert.equal(all.code, 2, all.stdout)
  for (const name of ['Head office', 'Europe']) {
    assert.match(all.stdout, new RegExp(`^${name}: Failed: .*HTTP 503.* Check in Cisco Unified Serviceability that the Cisco Extension Mobility service is activated and running on that node\\. \\(audit #\\d+\\)$`, 'm'))
  }
})

test('logout-all without --cluster while a second enabled cluster cannot be used (its password sealed with another key) is refused as with two clusters: it does not log out the one it can use and say success', async (t) => {
  const database = join(dir, 'unusable-unnamed.db')
  const own = await startSimulator()
  t.after(async () => { await own.close() })
  await addDashboardCluster(database, { id: 'emea', name: 'Europe', host: '127.0.0.1', port: own.port, appUser: own.credentials.appUser, appPassword: own.credentials.appPassword, caPem: own.caPem })
  const env = envFor(own, { DATABASE_PATH: database, SECRET_KEY: 'not-the-key-that-sealed-the-passwords-0123' })
  // The cron line of the days of one cluster: which clusters it means is not for the command to guess.
  const unnamed = await cli(['logout-all', '--yes'], env)
  assert.equal(unnamed.code, 3, unnamed.stdout)
  assert.match(unnamed.stderr, /--cluster: there are 2 clusters \(default, emea\); name one, or "all"/)
  assert.deepEqual(receivedOf(own, 'logoutAll'), [], 'nothing sent')
  // Named, the one it can use is logged out as before.
  const named = await cli(['logout-all', '--yes', '--cluster', 'default'], env)
  assert.equal(named.code, 0, named.stdout)
  assert.equal(receivedOf(own, 'logoutAll').length, 1)
})

test('check passes against a healthy CUCM', async () => {
  const result = await cli(['check'])
  assert.equal(result.code, 0, result.stdout)
  for (const label of ['Configuration', 'CUCM reachable', 'TLS certificate trusted', 'Application user accepted', 'Proxy rights']) {
    assert.match(result.stdout, new RegExp(`\\[ok\\]\\s+${label}`))
  }
  assert.match(result.stdout, /All checks passed\./)
  assert.ok(!result.stdout.includes(sim.credentials.appPassword))
  const json = JSON.parse((await cli(['check', '--json'])).stdout) as { ok: boolean, checks: Array<{ name: string, ok: boolean | null }> }
  assert.equal(json.ok, true)
  assert.deepEqual(json.checks.map((c) => c.name), ['configuration', 'reachable', 'tls', 'service', 'credentials', 'proxy-rights'])
})

test('check names what to fix: credentials (3), proxy rights (10), TLS, reachability', async () => {
  const password = await cli(['check'], envFor(sim, { CUCM_APP_PASSWORD: 'wrong-one' }))
  assert.equal(password.code, 1)
  assert.match(password.stdout, /\[FAIL\] Application user accepted: EMAPI error 3/)
  assert.match(password.stdout, /fix: Check CUCM_APP_USER and CUCM_APP_PASSWORD/)
  assert.match(password.stdout, /\[skip\] Proxy rights/)

  const noRights = await startSimulator({ proxyRights: false })
  try {
    const rights = await cli(['check'], envFor(noRights))
    assert.equal(rights.code, 1)
    assert.match(rights.stdout, /\[ok\]\s+Application user accepted/)
    assert.match(rights.stdout, /\[FAIL\] Proxy rights .*EMAPI error 10/)
    assert.match(rights.stdout, /fix: Add the CUCM application user to the group "Standard EM Authentication Proxy Rights"/)
  } finally {
    await noRights.close()
  }

  const tls = await cli(['check'], envFor(sim, { CUCM_CA_FILE: undefined }))
  assert.equal(tls.code, 2)
  assert.match(tls.stdout, /\[ok\]\s+CUCM reachable/)
  // Added to the file, not put in place of it: AXL's publisher may need a certificate of its own there.
  assert.match(tls.stdout, /\[FAIL\] TLS certificate trusted: .*\n\s+fix: Export the Tomcat certificate .* add it to the PEM file CUCM_CA_FILE names \(point CUCM_CA_FILE at it if none\), keeping the certificates already in it: EMAPI and AXL trust the same file/)
  // Verification turned off: nothing failed, and yet nobody checked who answered; said so, not "All checks passed".
  const insecure = await cli(['check'], envFor(sim, { CUCM_CA_FILE: undefined, CUCM_TLS_INSECURE: 'true' }))
  assert.match(insecure.stdout, /\[warn\] TLS certificate trusted: NOT verified/)
  assert.doesNotMatch(insecure.stdout, /All checks passed/)
  assert.match(insecure.stdout, /Every check passed, but CUCM's certificate was NOT verified: TLS verification is off\.$/)

  const down = await cli(['check', '--json'], envFor(sim, { CUCM_PORT: '1' }))
  assert.equal(down.code, 2)
  const body = JSON.parse(down.stdout) as { checks: Array<{ name: string, ok: boolean | null, fix?: string }> }
  assert.deepEqual(body.checks.map((c) => c.ok), [true, false, null, null, null, null])
  // The port set, not the usual one as if it were: "CUCM_PORT (8443)" read as that port's setting.
  assert.match(body.checks[1]?.fix ?? '', /^Check CUCM_HOST and CUCM_PORT \(1; CUCM's HTTPS port is usually 8443\), DNS/)
})

test('in demo mode the CLI says it talks to its own simulator', async () => {
  const result = await cli(['check'], { DATABASE_PATH: join(dir, 'demo.db') })
  assert.equal(result.code, 0, result.stdout)
  assert.match(result.stderr, /Note: Demo mode: no CUCM_HOST/)
  assert.match(result.stdout, /demo mode: no CUCM_HOST, so the built-in CUCM simulator is checked/)
})

test('in demo mode a SIMULATOR_PORT another program holds is that setting\'s error (exit 3), not DATABASE_PATH\'s', async (t) => {
  const holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  t.after(() => { holder.close() })
  const port = (holder.address() as AddressInfo).port
  const result = await cli(['status', SEED_OCCUPIED_DEVICE], { DATABASE_PATH: join(dir, 'demo-port.db'), SIMULATOR_PORT: String(port) })
  assert.equal(result.code, 3, result.stdout + result.stderr)
  assert.match(result.stderr, new RegExp(`^Configuration error in SIMULATOR_PORT: 127\\.0\\.0\\.1:${port} is in use by another program .*set SIMULATOR_PORT to a free port`))
  assert.doesNotMatch(result.stderr, /DATABASE_PATH/)
})

test('in demo mode a command talks to the simulators of the demo server on the same database, or else to its own', async () => {
  const database = join(dir, 'demo-served.db')
  const server = await buildTestApp({ mode: 'simulator', env: { DATABASE_PATH: database } })
  try {
    const logout = await cli(['logout', SEED_OCCUPIED_DEVICE], { DATABASE_PATH: database })
    assert.equal(logout.code, 0, logout.stderr)
    assert.match(logout.stderr, /Note: Demo mode: no CUCM_HOST is set, so this command talks to the CUCM simulators of the demo server running on this database \(process \d+: hq at https:\/\/127\.0\.0\.1:\d+, branch at/)
    assert.equal(server.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, null, "the server's simulator logged the user out")
  } finally {
    await server.close()
  }
  const alone = await cli(['status', SEED_OCCUPIED_DEVICE], { DATABASE_PATH: database })
  assert.equal(alone.code, 0, alone.stderr)
  assert.match(alone.stderr, /Note: Demo mode: no CUCM_HOST is set and no demo server runs on this database, so this command talks to CUCM simulators of its own/)
  assert.match(alone.stdout, new RegExp(`${SEED_OCCUPIED_DEVICE}\\s+${SEED_USER}`), 'its own simulators start from the demo data')
})

test('user add|list|passwd|disable|enable manage the dashboard accounts, audited as the OS user', async () => {
  const add = await cli(['user', 'add', 'night-ops', '--role', 'operator'], envFor(sim), 'a-long-enough-password\n')
  assert.equal(add.code, 0, add.stderr)
  const short = await cli(['user', 'add', 'shorty'], envFor(sim), 'short\n')
  assert.equal(short.code, 3)
  assert.match(short.stderr, /at least 12 characters/)
  const list = await cli(['user', 'list'])
  assert.match(list.stdout, /night-ops\s+operator\s+enabled\s+never/)
  assert.ok(!list.stdout.includes('a-long-enough-password'))
  assert.equal((await cli(['user', 'passwd', 'night-ops'], envFor(sim), 'another-long-password\n')).code, 0)
  assert.equal((await cli(['user', 'disable', 'night-ops'])).code, 0)
  const json = JSON.parse((await cli(['user', 'list', '--json'])).stdout) as { accounts: Array<{ username: string, disabled: boolean }> }
  assert.deepEqual(json.accounts.map((a) => [a.username, a.disabled]), [['night-ops', true]])
  assert.equal((await cli(['user', 'enable', 'nobody'])).code, 1)
  assert.equal((await cli(['user', 'add', 'x', '--role', 'root'])).code, 3)
  const { items } = JSON.parse((await cli(['history', '--action', 'account-update', '--json'])).stdout) as { items: Array<{ trigger: string }> }
  assert.equal(items.length, 2)
  assert.ok(items.every((r) => r.trigger === 'cli'))
})

test('user add|passwd|disable|list --json: the one object every command prints (command, ok, exitCode), its refusals included', async () => {
  const env = envFor(sim, { DATABASE_PATH: join(dir, 'accounts-json.db') })
  const json = async (args: string[], input?: string): Promise<{ code: number, body: Record<string, unknown> }> => {
    const result = await cli([...args, '--json'], env, input)
    return { code: result.code, body: JSON.parse(result.stdout) as Record<string, unknown> }
  }
  assert.deepEqual(await json(['user', 'add', 'night-ops'], 'a-long-enough-password\n'), { code: 0, body: { command: 'user', ok: true, exitCode: 0, message: 'Created viewer account night-ops.' } })
  assert.deepEqual(await json(['user', 'add', 'night-ops'], 'a-long-enough-password\n'), { code: 1, body: { command: 'user', ok: false, exitCode: 1, errorCode: 'ACCOUNT_EXISTS', message: 'An account named "night-ops" already exists.' } })
  const short = await json(['user', 'passwd', 'night-ops'], 'short\n')
  assert.equal(short.code, 3)
  assert.deepEqual({ ...short.body, message: undefined }, { command: 'user', ok: false, exitCode: 3, errorCode: 'VALIDATION', message: undefined })
  assert.match(String(short.body.message), /at least 12 characters/)
  assert.deepEqual(await json(['user', 'passwd', 'night-ops'], ''), { code: 3, body: { command: 'user', ok: false, exitCode: 3, errorCode: 'USAGE', message: 'No password given: type it at the prompt, or pass it as the first line of stdin.' } })
  // An account name is refused before anything is asked: a space, a letter not in the rule, one too many.
  for (const name of ['night ops', 'nuit-é', 'n'.repeat(65)]) {
    assert.deepEqual(await json(['user', 'add', name]), { code: 3, body: { command: 'user', ok: false, exitCode: 3, errorCode: 'USAGE', message: '"user add" takes one account name (letters, digits, dot, dash, underscore and @; up to 64 characters)' } }, name)
  }
  assert.deepEqual(await json(['user', 'disable', 'nobody']), { code: 1, body: { command: 'user', ok: false, exitCode: 1, errorCode: 'NOT_FOUND', message: 'No account named "nobody".' } })
  const list = await json(['user', 'list'])
  assert.equal(list.code, 0)
  assert.deepEqual({ ...list.body, accounts: undefined }, { command: 'user', ok: true, exitCode: 0, accounts: undefined })
  assert.deepEqual((list.body.accounts as Array<{ username: string }>).map((a) => a.username), ['night-ops'])
})

test('user show <userId> looks up a CUCM user even when named like a subcommand', async () => {
  const res = await cli(['user', 'show', SEED_USER])
  assert.equal(res.code, 0, res.stderr)
  assert.match(res.stdout, new RegExp(`logged in on:\\s+${SEED_OCCUPIED_DEVICE}`))
})

test('user <name> --role (the "add" left out) is refused as --role is with the other account commands: no CUCM look-up of that name', async () => {
  const before = sim.stats.requests
  for (const args of [['user', 'night-ops', '--role', 'operator'], ['user', 'show', SEED_USER, '--role', 'admin']]) {
    const refused = await cli(args)
    assert.equal(refused.code, 3, refused.stdout)
    assert.equal(refused.stderr, 'em-console user: --role goes with "user add" and is viewer, operator or admin\nRun "em-console help" for usage.')
  }
  assert.equal(sim.stats.requests, before)
})
