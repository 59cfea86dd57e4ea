import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, test } from 'node:test'
import type { LiveSession } from '@em-console/shared/schemas'
import { main, USAGE } from '../src/cli/main.ts'
import { parseAge } from '../src/cli/sessions.ts'
import { scaleScenario } from '../src/simulator/scale-scenario.ts'
import { SEED_LOGIN_COUNT } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { openStore } from '../src/store/store.ts'
import { addDashboardCluster } from './helpers/app.ts'
import { cucmEnvOf } from './helpers/cucm-env.ts'

let sim: Simulator
let dir: string

before(async () => {
  sim = await startSimulator()
  dir = mkdtempSync(join(tmpdir(), 'em-console-cli-sessions-'))
})
after(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

function envFor (overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...cucmEnvOf(sim),
    CUCM_AXL_PORT: String(sim.port),
    CUCM_AXL_USER: sim.axl.credentials.user,
    CUCM_AXL_PASSWORD: sim.axl.credentials.password,
    CUCM_TIMEOUT_MS: '5000',
    DATABASE_PATH: join(dir, 'cli.db'),
    ...overrides
  }
}

async function cli (args: string[], env: NodeJS.ProcessEnv = envFor()): Promise<{ code: number, stdout: string, stderr: string }> {
  const out: string[] = []
  const err: string[] = []
  const stdin = { isTTY: false } as unknown as NodeJS.ReadStream
  const code = await main(args, { env, stdin, io: { out: (l) => out.push(l), err: (l) => err.push(l) } })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

test('ages read as hours: 12h, 90m, 3d or a bare number', () => {
  assert.equal(parseAge('12h'), 12)
  assert.equal(parseAge('90m'), 1.5)
  assert.equal(parseAge('3d'), 72)
  assert.equal(parseAge('8'), 8)
  // Said where an admin reads the forms (help, the refusal): --older-than 1 meant as a day is an hour.
  assert.match(USAGE.replace(/\s+/g, ' '), /ages as 90m, 12h or 3d, a number alone being hours/)
  assert.throws(() => parseAge('12 hours'), /--older-than takes an age such as 12h, 90m or 3d, a number alone being hours/)
  assert.throws(() => parseAge('0h'), /more than 0/)
})

test('help says plainly how --older-than and --pool combine: both, the sessions old enough on those pools; --pool alone, every session on them', () => {
  const entry = USAGE.slice(USAGE.indexOf('  logout --older-than'), USAGE.indexOf('  sessions [')).replace(/\s+/g, ' ')
  assert.doesNotMatch(entry, /and\/or/)
  assert.match(entry, /logged in for longer than that; with --pool, only those on one of these device pools \(--pool alone: every session on them\)/)
})

test('sessions lists who is logged in now, oldest first, with filters and as of when; --json has the same', async () => {
  const json = await cli(['sessions', '--json'])
  assert.equal(json.code, 0, json.stderr)
  const all = JSON.parse(json.stdout) as { total: number, asOf: Record<string, string>, sessions: LiveSession[] }
  assert.equal(all.total, SEED_LOGIN_COUNT)
  assert.ok(Date.parse(all.asOf.default ?? '') > Date.now() - 60_000)
  const times = all.sessions.map((s) => Date.parse(s.loginTime ?? ''))
  assert.deepEqual(times, [...times].sort((a, b) => a - b))

  const old = JSON.parse((await cli(['sessions', '--older-than', '2d', '--pool', 'DP_OSLO', '--pool', 'DP_LONDON', '--json'])).stdout) as { sessions: LiveSession[] }
  const expected = all.sessions.filter((s) => Date.parse(s.loginTime ?? '') <= Date.now() - 48 * 3_600_000 && (s.devicePool === 'DP_OSLO' || s.devicePool === 'DP_LONDON'))
  assert.deepEqual(old.sessions.map((s) => s.deviceName), expected.map((s) => s.deviceName))

  const text = await cli(['sessions', '--pool', 'DP_NEWYORK'], envFor({ CUCM_CLUSTER_NAME: 'Head office' }))
  assert.equal(text.code, 0)
  assert.match(text.stdout, /^\d+ sessions \(inventory Head office as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/)
  assert.match(text.stdout, /DEVICE\s+USER\s+SINCE\s+FOR\s+POOL\s+MODEL\s+PROFILE/)
  assert.ok(!/DP_OSLO/.test(text.stdout))
  // How long each has been logged in, every part with its unit (45m, 47h05m, 2d0h).
  const ages = (await cli(['sessions'])).stdout.split('\n').slice(2).map((line) => /\s(\d+m|\d+h\d\dm|\d+d\d+h|\?)\s/.exec(line)?.[1])
  assert.ok(ages.length > 0 && ages.every((a) => a !== undefined), ages.join(' '))
  assert.ok(ages.some((a) => a?.includes('d') === true) && ages.some((a) => /h\d\dm$/.test(a ?? '')), ages.join(' '))
})

test('sessions says plainly that a cluster without AXL settings was not read, not "as of -"', async () => {
  const database = join(dir, 'two-clusters.db')
  // A second cluster, saved as the dashboard saves it, without an AXL user.
  await addDashboardCluster(database, { id: 'emea', name: 'Europe', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem })
  const text = await cli(['sessions'], envFor({ DATABASE_PATH: database, CUCM_CLUSTER_NAME: 'Head office' }))
  assert.equal(text.code, 0, text.stderr)
  // Each cluster named as the dashboard names it.
  assert.match(text.stdout, /^\d+ sessions \(inventory Head office as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, Europe not read: its sessions are not known \(no AXL inventory\), so nobody there was selected\)/)
  assert.doesNotMatch(text.stdout, /as of -/)
})

test('logout --older-than refuses without a terminal or --yes, then logs out exactly the old sessions as one audited run', async () => {
  const cutOff = Date.now() - 36 * 3_600_000
  const before = JSON.parse((await cli(['sessions', '--json'])).stdout) as { sessions: LiveSession[] }
  const old = before.sessions.filter((s) => Date.parse(s.loginTime ?? '') <= cutOff)
  assert.ok(old.length > 0 && old.length < before.sessions.length)

  const refused = await cli(['logout', '--older-than', '36h'])
  assert.equal(refused.code, 3)
  assert.match(refused.stderr, new RegExp(`Refusing to log out ${old.length} Extension Mobility sessions: stdin is not a terminal`))
  // With --json, the refusal is the command's one object on stdout, as logout-all's is.
  const refusedJson = await cli(['logout', '--older-than', '36h', '--json'])
  assert.equal(refusedJson.code, 3)
  assert.deepEqual(JSON.parse(refusedJson.stdout), { command: 'logout', ok: false, exitCode: 3, errorCode: 'NOT_CONFIRMED', message: `Refusing to log out ${old.length} Extension Mobility sessions: stdin is not a terminal, so there is nobody to confirm. Add --yes to run it from a script or the OS scheduler.` })
  assert.equal(sim.state.counts().loggedIn, SEED_LOGIN_COUNT, 'nothing was sent')

  const done = await cli(['logout', '--older-than', '36h', '--yes', '--json'])
  assert.equal(done.code, 0, done.stdout + done.stderr)
  const result = JSON.parse(done.stdout) as { devices: number, outcome: string, message: string, auditId: number }
  assert.equal(result.devices, old.length)
  assert.match(result.message, /logged in for more than 36 h/)
  assert.equal(sim.state.counts().loggedIn, SEED_LOGIN_COUNT - old.length)
  for (const s of old) assert.equal(sim.state.getDevice(s.deviceName)?.currentUser, null, s.deviceName)

  const store = openStore({ path: join(dir, 'cli.db') })
  try {
    const summary = store.audit.get(result.auditId)
    assert.equal(summary?.action, 'bulk-run')
    assert.equal(summary?.trigger, 'cli')
    const logouts = store.audit.page({ action: 'logout', runId: summary?.runId ?? '' }, 500).items
    assert.equal(logouts.length, old.length)
  } finally {
    await store.close()
  }
})

test('logout --older-than that selects nobody asks nothing, even without a terminal: it says so and exits 0', async () => {
  const none = await cli(['logout', '--older-than', '3650d'])
  assert.equal(none.code, 0, none.stdout + none.stderr)
  assert.doesNotMatch(none.stdout + none.stderr, /Refusing|0 Extension Mobility sessions/)
  assert.match(none.stdout, /^Success: Logout of .*nobody to log out \(inventory .* as of /)
})

test('logout by sessions: bad ages and device names with --older-than are usage errors; no AXL settings exit 3 saying what to set', async () => {
  const bad = await cli(['logout', '--older-than', 'soon'])
  assert.equal(bad.code, 3)
  assert.match(bad.stderr, /--older-than takes an age/)
  const mixed = await cli(['logout', 'SEP001122334455', '--older-than', '12h'])
  assert.equal(mixed.code, 3)
  assert.match(mixed.stderr, /takes no arguments/)
  const none = await cli(['sessions'], envFor({ CUCM_AXL_USER: undefined, CUCM_AXL_PASSWORD: undefined, CUCM_AXL_PORT: undefined }))
  assert.equal(none.code, 3)
  assert.match(none.stderr, /no cluster has AXL settings.*CUCM_AXL_USER.*Standard AXL Read Only API Access/s)
  const half = await cli(['sessions'], envFor({ CUCM_AXL_PASSWORD: undefined }))
  assert.equal(half.code, 3)
  assert.match(half.stderr, /CUCM_AXL_PASSWORD/)
})

test('logout --pool with a device pool no phone is in: refused naming it and the pools there are, nothing sent (a typo in a cron line would otherwise do nothing every night)', async () => {
  const typo = await cli(['logout', '--pool', 'DP_OSLOO', '--yes'])
  assert.notEqual(typo.code, 0)
  assert.match(`${typo.stdout}${typo.stderr}`, /No phone of the inventory is in the device pool "DP_OSLOO": check the name\. Its pools: .*DP_OSLO/)
  // Listing with the typo: a wrong command line (3), not CUCM unreachable (2).
  assert.equal((await cli(['sessions', '--pool', 'DP_OSLOO'])).code, 3)
  // Any spelling of a pool there is will do, as the selection reads it.
  const lower = await cli(['logout', '--pool', 'dp_oslo', '--older-than', '1000d', '--yes'])
  assert.equal(lower.code, 0, `${lower.stdout}${lower.stderr}`)
})

test('logout --older-than whose devices CUCM could not be asked about says why, each reason once, and exits 2 as a logout of one device does', async () => {
  // A simulator of its own: its EMAPI side answers 503 while AXL still lists the sessions.
  const down = await startSimulator()
  try {
    down.setFaults({ mode: 'http-503' })
    const failed = await cli(['logout', '--older-than', '1h', '--yes'], envFor({ CUCM_PORT: String(down.port), CUCM_AXL_PORT: String(down.port), CUCM_CA_FILE: down.caFile, DATABASE_PATH: join(dir, 'down.db') }))
    // No answer from EMAPI (an HTTP error page, a refused connection): 2, not CUCM's refusal (1).
    assert.equal(failed.code, 2, failed.stdout + failed.stderr)
    // Every device's one reason: the summary's "Why:", not said again line by line below it.
    const [head, ...reasons] = failed.stdout.trimEnd().split('\n')
    assert.match(head ?? '', /^Failed: .*: \d+ not run\. Why: The look-up before it failed: CUCM answered HTTP 503.*\(audit #\d+\)$/)
    assert.deepEqual(reasons, [], 'each reason once')
  } finally {
    await down.close()
  }
})

test('sessions of every cluster, one of whose AXL fails: the others listed, the failing one named on stderr, exit 2', async () => {
  const database = join(dir, 'one-axl-failing.db')
  // 0.0.0.0 reaches the simulator, whose certificate names only localhost, 127.0.0.1 and ::1.
  await addDashboardCluster(database, { id: 'apac', name: 'Asia', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem, axlHost: '0.0.0.0', axlPort: sim.port, axlUser: sim.axl.credentials.user, axlPassword: sim.axl.credentials.password })
  const text = await cli(['sessions'], envFor({ DATABASE_PATH: database, CUCM_CLUSTER_NAME: 'Head office' }))
  assert.equal(text.code, 2, text.stderr)
  // Listed as of its own read; the failing cluster's old rows are not shown as if read now.
  assert.match(text.stdout, /^[1-9]\d* sessions \(inventory Head office as of [^,]*\)\n/)
  assert.match(text.stderr, /^Failed: The inventory of cluster Asia could not be refreshed, so its sessions are not listed: .*ERR_TLS_CERT_ALTNAME_INVALID/m)
  const json = JSON.parse((await cli(['sessions', '--json'], envFor({ DATABASE_PATH: database }))).stdout) as { ok: boolean, exitCode: number, total: number, sessions: LiveSession[], unavailable: Array<{ cluster: string }> }
  assert.deepEqual([json.ok, json.exitCode], [false, 2])
  assert.ok(json.total > 0 && json.total === json.sessions.length)
  assert.ok(json.sessions.every((s) => s.cluster === 'default'))
  assert.deepEqual(json.unavailable.map((u) => u.cluster), ['apac'])
  // A logout by sessions still refuses a partial picture.
  const logout = await cli(['logout', '--older-than', '1h', '--yes'], envFor({ DATABASE_PATH: database }))
  assert.equal(logout.code, 2, logout.stderr)
  assert.match(logout.stderr, /could not be refreshed, so nothing was selected/)
})

test('sessions, logout by age and check whose AXL fails tell a refusal from no answer, as the other commands tell EMAPI\'s: the AXL user or its rights refused exit 1, not an AXL answer (as unreachable) exit 2; the cluster named, no count of sessions nobody read', async () => {
  const env = envFor({ DATABASE_PATH: join(dir, 'axl-failing.db'), CUCM_CLUSTER_NAME: 'Head office' })
  assert.equal((await cli(['sessions'], env)).code, 0, 'read once: the inventory has rows')
  try {
    sim.axl.setFaults({ mode: 'unauthorized' })
    const refused = await cli(['sessions'], env)
    assert.equal(refused.code, 1, refused.stderr)
    assert.equal(refused.stdout, '')
    assert.match(refused.stderr, /^Failed: The inventory of cluster Head office could not be refreshed, so its sessions are not listed: CUCM refused the AXL user ID or password \(HTTP 401\)\. Check CUCM_AXL_USER and CUCM_AXL_PASSWORD/)
    const json = JSON.parse((await cli(['sessions', '--json'], env)).stdout) as { ok: boolean, exitCode: number, total: number, unavailable: Array<{ cluster: string, code: string }> }
    assert.deepEqual([json.ok, json.exitCode, json.total, json.unavailable.map((u) => [u.cluster, u.code])], [false, 1, 0, [['default', 'AXL_AUTH']]])
    // check's AXL step exits alike.
    const check = await cli(['check'], env)
    assert.equal(check.code, 1, check.stdout)
    assert.match(check.stdout, /\[FAIL\] AXL answers \(inventory\): CUCM refused the AXL user ID or password/)
    sim.axl.setFaults({ mode: 'forbidden' })
    assert.equal((await cli(['sessions'], env)).code, 1)
    // The nightly logout by age alike: a password to fix is not CUCM out of reach.
    const logout = await cli(['logout', '--older-than', '12h', '--yes'], env)
    assert.equal(logout.code, 1, logout.stderr)
    assert.match(logout.stderr, /could not be refreshed, so nothing was selected: CUCM accepted the AXL user but it has no AXL role \(HTTP 403\)/)
    sim.axl.setFaults({ mode: 'malformed' })
    const unreadable = await cli(['sessions'], env)
    assert.equal(unreadable.code, 2, unreadable.stderr)
    assert.match(unreadable.stderr, /^Failed: The inventory of cluster Head office could not be refreshed, so its sessions are not listed: CUCM answered with a document EM Console cannot read as AXL/)
    assert.equal((await cli(['logout', '--older-than', '12h', '--yes'], env)).code, 2)
    const unreadableCheck = await cli(['check'], env)
    assert.equal(unreadableCheck.code, 2, unreadableCheck.stdout)
    assert.match(unreadableCheck.stdout, /\[FAIL\] AXL answers \(inventory\): CUCM answered with a document EM Console cannot read as AXL/)
  } finally {
    sim.axl.setFaults({ mode: 'none' })
  }
})

test('a dashboard cluster whose AXL host its certificate does not name: what to fix is its AXL host in Settings → Clusters, not CUCM_AXL_HOST', async () => {
  const database = join(dir, 'axl-words.db')
  // 0.0.0.0 reaches the simulator, whose certificate names only localhost, 127.0.0.1 and ::1.
  await addDashboardCluster(database, { id: 'apac', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem, axlHost: '0.0.0.0', axlPort: sim.port, axlUser: sim.axl.credentials.user, axlPassword: sim.axl.credentials.password })
  const sessions = await cli(['sessions', '--cluster', 'apac'], envFor({ DATABASE_PATH: database }))
  assert.equal(sessions.code, 2, sessions.stderr)
  assert.match(sessions.stderr, /ERR_TLS_CERT_ALTNAME_INVALID.*Set the cluster's AXL host \(Settings → Clusters, Edit\) to a name the certificate lists/)
  const check = await cli(['check', '--cluster', 'apac'], envFor({ DATABASE_PATH: database }))
  assert.match(check.stdout, /Set the cluster's AXL host \(Settings → Clusters, Edit\) to a name the certificate lists/)
  for (const said of [sessions.stderr, check.stdout]) assert.doesNotMatch(said, /CUCM_/)
})

test('sessions of several clusters names each session\'s cluster, also when those listed are all on one: a device name may be on another', async () => {
  const database = join(dir, 'one-cluster-listed.db')
  // A second CUCM with phones and nobody logged in: every session listed is Head office's.
  const other = await startSimulator({ scenario: scaleScenario({ phones: 20, sessions: 0 }) })
  try {
    await addDashboardCluster(database, { id: 'apac', name: 'Asia', host: '127.0.0.1', port: other.port, appUser: other.credentials.appUser, appPassword: other.credentials.appPassword, caPem: other.caPem, axlUser: other.axl.credentials.user, axlPassword: other.axl.credentials.password })
    const text = await cli(['sessions', '--pool', 'DP_OSLO'], envFor({ DATABASE_PATH: database, CUCM_CLUSTER_NAME: 'Head office' }))
    assert.equal(text.code, 0, text.stderr)
    const [count, header, ...rows] = text.stdout.split('\n')
    assert.match(count ?? '', /^[1-9]\d* sessions \(inventory Head office as of .*, Asia as of /)
    assert.match(header ?? '', /^CLUSTER\s+DEVICE\s+USER/)
    assert.ok(rows.length > 0 && rows.every((row) => row.startsWith('default ')), rows.join('\n'))
  } finally {
    await other.close()
  }
})

test('logout --older-than/--pool asks at the terminal naming what selected the sessions, and how many are on each cluster when a pool of that name is on two', async () => {
  const env = envFor({ DATABASE_PATH: join(dir, 'question.db'), CUCM_CLUSTER_NAME: 'Head office' })
  /** The question `logout` asks at a terminal, answered no (nothing is sent). */
  const asked = async (args: string[]): Promise<string> => {
    const terminal = Object.assign(Readable.from(['no\n']), { isTTY: true }) as unknown as NodeJS.ReadStream
    const written: string[] = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string | Uint8Array) => { written.push(String(chunk)); return true }) as typeof process.stderr.write
    try {
      assert.equal(await main(['logout', ...args], { env, stdin: terminal, io: { out: () => {}, err: () => {} } }), 1)
    } finally {
      process.stderr.write = write
    }
    return written.join('')
  }
  const before = sim.state.counts().loggedIn
  // (The sessions older than 36 h were logged out by a test before: those older than 1 h are left.)
  assert.match(await asked(['--older-than', '1h']), /This logs out [1-9]\d* Extension Mobility sessions? logged in for more than 1 h \(inventory Head office as of /)
  // A second cluster whose phones have pools of the same names (here: the same CUCM).
  await addDashboardCluster(env.DATABASE_PATH ?? '', { id: 'emea', name: 'Europe', host: '127.0.0.1', port: sim.port, appUser: sim.credentials.appUser, appPassword: sim.credentials.appPassword, caPem: sim.caPem, axlUser: sim.axl.credentials.user, axlPassword: sim.axl.credentials.password })
  const both = /This logs out (\d+) Extension Mobility sessions on DP_OSLO: (\d+) on Head office, (\d+) on Europe \(inventory /.exec(await asked(['--pool', 'DP_OSLO'])) ?? []
  assert.ok(Number(both[2]) > 0 && Number(both[1]) === Number(both[2]) + Number(both[3]) && both[2] === both[3], String(both[0]))
  assert.match(await asked(['--pool', 'DP_OSLO', '--cluster', 'emea']), /This logs out \d+ Extension Mobility sessions on DP_OSLO in cluster Europe \(inventory Europe as of /)
  assert.equal(sim.state.counts().loggedIn, before, 'nothing was sent')
})

test('logout --older-than asks at the terminal naming the sessions left alone because CUCM holds no login time for them, as the run\'s record says', async () => {
  const env = envFor({ DATABASE_PATH: join(dir, 'unknown-age.db'), CUCM_CLUSTER_NAME: 'Head office' })
  // Two Oslo phones whose login time CUCM does not hold (logintime NULL): their age is unknown.
  const oslo = sim.state.snapshot().devices.filter((d) => d.currentUser !== null && d.devicePool === 'DP_OSLO').slice(0, 2)
  assert.equal(oslo.length, 2)
  const loginTimes = oslo.map((d) => d.loginTime)
  for (const device of oslo) (device as { loginTime: number | null }).loginTime = null
  // A change of the state is what makes the simulator's AXL side read its tables again.
  const someone = sim.state.snapshot().devices.find((d) => d.currentUser !== null && d.devicePool !== 'DP_OSLO')
  assert.equal(sim.state.logout(someone?.name ?? '').ok, true)
  const terminal = Object.assign(Readable.from(['no\n']), { isTTY: true }) as unknown as NodeJS.ReadStream
  const written: string[] = []
  const write = process.stderr.write.bind(process.stderr)
  process.stderr.write = ((chunk: string | Uint8Array) => { written.push(String(chunk)); return true }) as typeof process.stderr.write
  try {
    assert.equal(await main(['logout', '--older-than', '1h', '--pool', 'DP_OSLO'], { env, stdin: terminal, io: { out: () => {}, err: () => {} } }), 1)
  } finally {
    process.stderr.write = write
    oslo.forEach((device, i) => { (device as { loginTime: number | null }).loginTime = loginTimes[i] ?? null })
  }
  assert.match(written.join(''), /This logs out \d+ Extension Mobility sessions logged in for more than 1 h on DP_OSLO \(inventory Head office as of [^;)]+; 2 sessions whose login time CUCM does not hold left alone \(age unknown\)\)\./)
})
