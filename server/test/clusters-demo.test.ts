import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import type { AuditPage, ClusterList, Health, InventoryStatus, LogoutAllResult } from '@em-console/shared/schemas'
import Database from 'better-sqlite3'
import { main } from '../src/cli/main.ts'
import { environmentCluster } from '../src/clusters/definitions.ts'
import { LEGACY_AUDIT_MARKER } from '../src/clusters/legacy-audit.ts'
import { ConfigError, loadConfig, readEnvironment } from '../src/config.ts'
import { BRANCH_EMPTY_DEVICE, BRANCH_OCCUPIED_DEVICE, BRANCH_PHONE_COUNT, BRANCH_USER, branchScenario, branchSharedUsers } from '../src/simulator/branch-scenario.ts'
import { SEED_OCCUPIED_DEVICE, SEED_PHONE_COUNT, SEED_USER, seedScenario } from '../src/simulator/seed.ts'
import { startSimulator, type Simulator } from '../src/simulator/server.ts'
import { VERSION } from '../src/version.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { cucmEnvOf } from './helpers/cucm-env.ts'
import { eventually } from './helpers/eventually.ts'

const caller = { actor: 'test', trigger: 'api' } as const

describe('demo mode serves two clusters', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp({ mode: 'simulator' }) })
  after(async () => { await t.close() })

  test('hq (the seed, first) and branch, both from the environment, both answering', async () => {
    const { clusters } = (await t.inject({ url: '/api/clusters' })).json() as ClusterList
    assert.deepEqual(clusters.map((c) => [c.id, c.source, c.readOnly, c.health?.reachable]), [['hq', 'environment', true, true], ['branch', 'environment', true, true]])
    assert.equal(clusters[1]?.effectiveTimezone, 'America/Chicago')
    const health = (await t.inject({ url: '/api/health' })).json() as Health
    assert.equal(health.mode, 'simulator')
    assert.deepEqual(health.clusters.map((c) => c.id), ['hq', 'branch'])
    assert.deepEqual(health.clusters.map((c) => c.simulated), [true, true], 'demo mode\'s own simulators')
    assert.deepEqual(health.cucm, { host: t.sim.host, port: t.sim.port }, 'the top level is hq\'s')
    assert.equal(t.runtime.simulators.size, 2)
    assert.equal(t.runtime.simulators.get('hq'), t.runtime.simulator)
  })

  test('hq keeps today\'s seed; branch has ~200 other phones and a few users of hq', async () => {
    const hq = t.runtime.clusters.require('hq')
    const branch = t.runtime.clusters.require('branch')
    assert.equal(hq.em, t.runtime.em, 'the existing routes keep using the first cluster')
    assert.equal(t.runtime.simulators.get('hq')?.state.counts().devices, SEED_PHONE_COUNT)
    assert.equal(t.runtime.simulators.get('branch')?.state.counts().devices, BRANCH_PHONE_COUNT)

    const [onHq] = await hq.em.deviceStatus(caller, [SEED_OCCUPIED_DEVICE])
    assert.equal(onHq?.currentUser, SEED_USER)
    const onBranch = await branch.em.deviceStatus(caller, [BRANCH_OCCUPIED_DEVICE, BRANCH_EMPTY_DEVICE, SEED_OCCUPIED_DEVICE])
    assert.deepEqual(onBranch.map((d) => [d.deviceName, d.exists, d.currentUser]), [[BRANCH_OCCUPIED_DEVICE, true, BRANCH_USER], [BRANCH_EMPTY_DEVICE, true, null], [SEED_OCCUPIED_DEVICE, false, null]])
    assert.equal((await hq.em.userDevices(caller, BRANCH_USER)).exists, false, 'branch users are not at hq')

    const shared = branchSharedUsers()
    assert.equal(shared.length, 4)
    for (const userId of shared) {
      assert.equal((await hq.em.userProfiles(caller, userId)).exists, true, `${userId} at hq`)
      assert.equal((await branch.em.userProfiles(caller, userId)).exists, true, `${userId} at the branch`)
    }
    // No phone name is on both.
    const hqNames = new Set(seedScenario().devices.map((d) => d.name))
    assert.ok(branchScenario().devices.every((d) => !hqNames.has(d.name)))
  })

  test('a logout-all on one cluster does not hold back the other\'s (single-flight per cluster)', async (c) => {
    // hq's logout-all is held at its request to CUCM, its pending row (the lock) written, until
    // the checks below are done: a CUCM that did not answer held it only for the time limit
    // (1.5 s), and on a busy machine the checks took half of that.
    const hq = t.runtime.clusters.require('hq')
    const send = hq.client.logoutAll
    let sending = false
    let release = (): void => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    c.mock.method(hq.client, 'logoutAll', async (...args: Parameters<typeof send>) => {
      sending = true
      await held
      return await send(...args)
    })
    const running = hq.em.logoutAll(caller)
    try {
      await eventually(() => sending ? true : undefined, 10_000)
      await assert.rejects(hq.em.logoutAll(caller), (error: Error & { code?: string }) => error.code === 'LOGOUT_ALL_RUNNING')
      const result = await t.runtime.clusters.require('branch').em.logoutAll(caller)
      assert.equal(result.outcome, 'success')
      assert.equal(t.audit.get(result.auditId)?.cluster, 'branch')
      // Asked of both, hq's part is its refusal, said as its record and a refusal on one cluster say it: failed, nothing sent.
      const both = await t.inject({ method: 'POST', url: '/api/logout-all?cluster=all', payload: { confirm: 'LOG OUT ALL' } })
      const refused = (both.json() as LogoutAllResult).clusters.find((part) => part.cluster === 'hq')
      assert.equal(refused?.code, 'LOGOUT_ALL_RUNNING')
      assert.deepEqual([refused?.outcome, t.audit.get(refused?.auditId ?? 0)?.outcome], ['failure', 'failure'])
    } finally {
      release()
    }
    assert.equal((await running).outcome, 'success', 'the held one ran once released')
  })
})

test('demo mode takes CUCM_MULTIPLE_LOGINS for its clusters and its simulators alike, so each behaviour can be tried', async () => {
  const demo = await buildTestApp({ mode: 'simulator', env: { CUCM_MULTIPLE_LOGINS: 'allowed' } })
  try {
    assert.deepEqual(demo.runtime.clusters.list().map((c) => c.settings.multipleLogins), ['allowed', 'allowed'])
    assert.deepEqual(['hq', 'branch'].map((id) => (demo.runtime.simulators.get(id) as Simulator).state.multipleLogins), ['allowed', 'allowed'])
  } finally {
    await demo.close()
  }
})

describe('a database from before clusters', () => {
  let t: TestApp | undefined
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'em-console-upgrade-')) })
  after(async () => {
    await t?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('a database made by the release before clusters upgrades in place: every row kept, old cluster actions name the environment\'s cluster', async () => {
    // Made by that release (commit ca3b0fe, user_version 9) with fixtures/releases/make-fixture.mjs:
    // sign-in, look-ups, a logout, accounts, a schedule, a bulk run, a logout-all.
    const path = join(dir, 'em-console.db')
    copyFileSync(new URL('./fixtures/releases/2026-12-02-before-clusters.db', import.meta.url), path)
    const before = new Database(path, { readonly: true })
    const oldRows = before.prepare('SELECT id, action, outcome, actor, message FROM audit ORDER BY id').all() as Array<{ id: number, action: string, outcome: string, actor: string, message: string }>
    const oldRuns = before.prepare('SELECT id FROM runs').all() as Array<{ id: string }>
    const oldSchedules = before.prepare('SELECT id, name FROM schedules').all() as Array<{ id: number, name: string }>
    assert.equal(before.pragma('user_version', { simple: true }), 9)
    before.close()
    assert.ok(oldRows.length >= 10 && oldRuns.length === 1, 'the fixture holds rows')

    t = await buildTestApp({ env: { DATABASE_PATH: path, CUCM_CLUSTER_ID: 'emea' } })
    // The journal says which release started on what: after an upgrade, that it upgraded the database.
    const newest = Math.max(...readdirSync(new URL('../migrations/', import.meta.url)).map((f) => Number.parseInt(f.slice(0, 3), 10)))
    const started = t.logs.map((line) => JSON.parse(line) as { level: number, msg: string }).filter((line) => line.msg.startsWith('EM Console '))
    assert.equal(started.length, 1, t.logs.join('\n'))
    assert.equal(started[0]?.level, 30)
    assert.equal(started[0]?.msg, `EM Console ${VERSION} started on the database ${path}, upgraded from version 9 to ${newest}; cluster emea: https://127.0.0.1:${t.sim.port}, its certificate verified against CUCM_CA_FILE (${t.config.CUCM_CA_FILE ?? ''}).`)
    const rows = oldRows.map((row) => t?.audit.get(row.id))
    assert.deepEqual(rows.map((r) => r === undefined ? undefined : { id: r.id, action: r.action, outcome: r.outcome, actor: r.actor, message: r.message }), oldRows)
    const cluster = new Map(rows.map((r) => [r?.action, r?.cluster]))
    assert.deepEqual([cluster.get('logout-all'), cluster.get('logout'), cluster.get('device-query'), cluster.get('sign-in'), cluster.get('account-create')], ['emea', 'emea', 'emea', null, null])
    assert.equal(t.store.settings.get(LEGACY_AUDIT_MARKER), undefined, 'done once')
    const page = (await t.inject({ url: '/api/audit?cluster=emea&actor=fixadmin&limit=500' })).json() as AuditPage
    assert.equal(page.items.length, oldRows.filter((r) => !['sign-in', 'account-create', 'schedule-create'].includes(r.action)).length)
    // The other tables: the run, the schedule and both accounts are there.
    const oldRun = await t.inject({ url: `/api/runs/${oldRuns[0]?.id ?? ''}` })
    assert.equal(oldRun.statusCode, 200)
    // Made before its words were kept: titled as its summary would have said it.
    assert.equal(oldRun.json().title, 'Bulk logout')
    assert.deepEqual(((await t.inject({ url: '/api/schedules' })).json() as { schedules: Array<{ id: number, name: string }> }).schedules.map((s) => ({ id: s.id, name: s.name })), oldSchedules)
    assert.deepEqual(oldSchedules.map((s) => s.name), ['nightly-fixture'])
    const accounts = ((await t.inject({ url: '/api/accounts' })).json() as { accounts: Array<{ username: string }> }).accounts.map((a) => a.username)
    assert.ok(accounts.includes('fixadmin') && accounts.includes('fixviewer'), accounts.join(', '))

    // A second start changes nothing.
    t = await t.restart()
    assert.ok(t.logs.some((line) => line.includes(`started on the database ${path} (version ${newest}); cluster emea`)), t.logs.join('\n'))
    assert.deepEqual(oldRows.map((row) => t?.audit.get(row.id)?.cluster), rows.map((r) => r?.cluster))
  })
})

describe('the command line', () => {
  let sim: Simulator
  let other: Simulator
  let dir: string
  before(async () => {
    sim = await startSimulator()
    other = await startSimulator({ appPassword: 'Other-Passw0rd!' })
    dir = mkdtempSync(join(tmpdir(), 'em-console-cli-clusters-'))
  })
  after(async () => {
    await sim.close()
    await other.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...cucmEnvOf(sim),
    CUCM_CLUSTER_ID: 'emea',
    CUCM_CLUSTER_NAME: 'Europe',
    CUCM_TIMEOUT_MS: '3000',
    DATABASE_PATH: join(dir, 'cli.db'),
    ...more
  })

  async function cli (args: string[], environment = env()): Promise<{ code: number, stdout: string, stderr: string }> {
    const out: string[] = []
    const err: string[] = []
    const code = await main(args, { env: environment, stdin: Readable.from([]) as unknown as NodeJS.ReadStream, io: { out: (l) => out.push(l), err: (l) => err.push(l) } })
    return { code, stdout: out.join('\n'), stderr: err.join('\n') }
  }

  test('clusters lists the environment\'s and the stored ones with their health; check --cluster checks one', async () => {
    // A cluster added through the API, as the server would (which creates the key file).
    const t = await buildTestApp({ env: { DATABASE_PATH: join(dir, 'cli.db'), CUCM_CLUSTER_ID: 'emea', CUCM_HOST: '127.0.0.1', CUCM_PORT: String(sim.port), CUCM_CA_FILE: sim.caFile } })
    try {
      const res = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'apac', name: 'Asia Pacific', host: '127.0.0.1', port: other.port, appUser: other.credentials.appUser, appPassword: 'Other-Passw0rd!', caPem: other.caPem } })
      assert.equal(res.statusCode, 201, res.body)
      const off = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'lab', host: '127.0.0.1', port: 1, appUser: 'x', appPassword: 'y', enabled: false } })
      assert.equal(off.statusCode, 201, off.body)
      // Outside demo mode no cluster is one of its simulators, whatever answers at the other end.
      const health = (await t.inject({ url: '/api/health' })).json() as Health
      assert.deepEqual(health.clusters.map((c) => [c.id, c.simulated]), [['emea', false], ['apac', false]])
    } finally {
      // Its own test simulator too; the database stays in `dir` for the CLI.
      await t.close()
    }

    const listed = await cli(['clusters'])
    assert.equal(listed.code, 0, listed.stdout + listed.stderr)
    const lines = listed.stdout.split('\n')
    assert.match(lines[0] ?? '', /^ID\s+NAME\s+SOURCE\s+STATE\s+CUCM\s+EMAPI/)
    assert.match(lines[1] ?? '', /^emea\s+Europe\s+environment\s+enabled\s+127\.0\.0\.1:\d+\s+reachable/)
    assert.match(lines[2] ?? '', /^apac\s+Asia Pacific\s+database\s+enabled\s+127\.0\.0\.1:\d+\s+reachable/)
    assert.match(lines[3] ?? '', /^lab\s+127\.0\.0\.1:1\s+database\s+disabled/)
    assert.ok(!listed.stdout.includes('Other-Passw0rd!'))

    const json = JSON.parse((await cli(['clusters', '--json'])).stdout) as { ok: boolean, clusters: Array<{ id: string, health: { reachable: boolean } | null }> }
    assert.equal(json.ok, true)
    assert.deepEqual(json.clusters.map((c) => [c.id, c.health?.reachable ?? null]), [['emea', true], ['apac', true], ['lab', null]])

    const checked = await cli(['check', '--cluster', 'apac', '--json'])
    assert.equal(checked.code, 0, checked.stdout)
    const body = JSON.parse(checked.stdout) as { cluster: string, target: string, checks: Array<{ name: string, ok: boolean | null }> }
    assert.equal(body.cluster, 'apac')
    assert.match(body.target, new RegExp(`127\\.0\\.0\\.1:${other.port}`))
    assert.ok(body.checks.every((c) => c.ok === true))
    // A disabled one is checked too (its port 1 answers nothing).
    const lab = await cli(['check', '--cluster', 'lab'])
    assert.equal(lab.code, 2)
    assert.match(lab.stdout, /\[FAIL\] CUCM reachable/)
    const unknown = await cli(['check', '--cluster', 'nowhere'])
    assert.equal(unknown.code, 3)
    assert.match(unknown.stderr, /^em-console check: --cluster: there is no cluster "nowhere" \(clusters: emea, apac, lab\)\.\nRun "em-console clusters" to list them\.$/)
    // A typo in a crontab is a command-line mistake (3), for every command, and --json says so as JSON.
    const typo = await cli(['logout-all', '--yes', '--cluster', 'nowhere', '--json'])
    assert.equal(typo.code, 3, typo.stdout + typo.stderr)
    assert.deepEqual(JSON.parse(typo.stdout), { command: 'logout-all', ok: false, exitCode: 3, errorCode: 'UNKNOWN_CLUSTER', message: '--cluster: there is no cluster "nowhere" (clusters: emea, apac, lab). Nothing was sent.' })
    const unconfirmed = await cli(['logout-all', '--cluster', 'emea', '--json'])
    assert.equal(unconfirmed.code, 3)
    assert.equal((JSON.parse(unconfirmed.stdout) as { errorCode: string }).errorCode, 'NOT_CONFIRMED')
    const badLimit = await cli(['history', '--limit', '0', '--json'])
    assert.equal(badLimit.code, 3)
    assert.deepEqual(Object.keys(JSON.parse(badLimit.stdout) as object), ['command', 'ok', 'exitCode', 'errorCode', 'message'])

    // One enabled cluster down: exit 2, for monitoring scripts.
    other.setFaults({ mode: 'http-503' })
    try {
      const down = await cli(['clusters'])
      assert.equal(down.code, 2)
      assert.match(down.stdout, /apac\s.*NOT reachable/)
    } finally {
      other.setFaults({ mode: 'none' })
    }
  })

  test('--cluster on the commands that talk to CUCM: look-ups tag their cluster, logout-all needs it with two clusters', async () => {
    // Runs after the test above, which stored the apac cluster in this database.
    const status = await cli(['status', SEED_OCCUPIED_DEVICE])
    assert.equal(status.code, 0, status.stdout + status.stderr)
    assert.match(status.stdout, /^CLUSTER\s+DEVICE\s+CURRENT USER/)
    assert.match(status.stdout, new RegExp(`^emea\\s+${SEED_OCCUPIED_DEVICE}\\s+${SEED_USER}`, 'm'))
    assert.match(status.stdout, new RegExp(`^apac\\s+${SEED_OCCUPIED_DEVICE}\\s+${SEED_USER}`, 'm'), 'the same seed on both')

    const ambiguous = await cli(['logout', SEED_OCCUPIED_DEVICE, '--json'])
    assert.equal(ambiguous.code, 1, ambiguous.stdout)
    assert.match(ambiguous.stdout, /CLUSTER_AMBIGUOUS/)
    // What to do, in the command's words: its option, not the API's query string.
    assert.match(ambiguous.stdout, /Name the cluster with --cluster \(one of /)
    assert.doesNotMatch(ambiguous.stdout, /\?cluster=/)
    const named = await cli(['logout', SEED_OCCUPIED_DEVICE, '--cluster', 'apac'])
    assert.equal(named.code, 0, named.stdout)
    assert.match(named.stdout, new RegExp(`^${SEED_OCCUPIED_DEVICE} on Asia Pacific: `, 'm'), 'the cluster named as the dashboard names it')
    assert.equal(other.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser ?? null, null)
    assert.equal(sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER)

    // A missing --cluster is a mistake in the command line, said as the others are: stderr, exit 3, USAGE, nothing sent.
    const missing = await cli(['logout-all', '--yes'])
    assert.equal(missing.code, 3, missing.stdout)
    assert.equal(missing.stdout, '')
    // The API's field is the command's option, and a missing one is not called invalid.
    assert.match(missing.stderr, /^em-console logout-all: --cluster: there are 2 clusters \(emea, apac\); name one, or "all" to log out every one of them\. Nothing was sent\.$/m)
    const missingJson = await cli(['logout-all', '--yes', '--json'])
    assert.equal(missingJson.code, 3)
    assert.deepEqual({ ...JSON.parse(missingJson.stdout) as object, message: undefined }, { command: 'logout-all', ok: false, exitCode: 3, errorCode: 'USAGE', message: undefined })
    assert.equal(sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER, 'nothing sent')
    const bad = await cli(['logout-all', '--yes', '--cluster', 'no spaces'])
    assert.equal(bad.code, 3)
    assert.match(bad.stderr, /--cluster takes a cluster id or "all"/)
    const all = await cli(['logout-all', '--yes', '--cluster', 'all', '--json'])
    assert.equal(all.code, 0, all.stdout)
    const result = JSON.parse(all.stdout) as { clusters: Array<{ cluster: string, outcome: string }>, runId: string }
    assert.deepEqual(result.clusters.map((c) => [c.cluster, c.outcome]), [['emea', 'success'], ['apac', 'success']])
    assert.equal(sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser ?? null, null)

    // One cluster's answer lost after the request went out: said as one cluster's would be, exit 2.
    other.setFaults({ mode: 'reset-after', faultTimes: 1 })
    const silent = await cli(['logout-all', '--yes', '--cluster', 'all'])
    assert.equal(silent.code, 2, silent.stdout)
    assert.match(silent.stdout, /^Asia Pacific: Unknown \(it may have happened\): .*may have carried it out/m)
    assert.match(silent.stdout, /^Logged out every Extension Mobility user on 1 of 2 clusters; no answer from Asia Pacific \(CUCM may have done it: look a device up to be sure\)\.$/m)
    // Another logout-all running on one cluster: exit 1, as with one cluster.
    other.setFaults({ mode: 'none', hold: 'all' })
    const first = cli(['logout-all', '--yes', '--cluster', 'apac'])
    await eventually(() => other.stats.inFlight > 0 ? true : undefined, 10_000)
    const busy = await cli(['logout-all', '--yes', '--cluster', 'all'])
    assert.equal(busy.code, 1, busy.stdout)
    assert.match(busy.stdout, /^Asia Pacific: Failed: A logout of all Extension Mobility users is already running on cluster Asia Pacific/m, 'named as the dashboard names it')
    other.setFaults({ hold: 'none' })
    const firstDone = await first
    assert.equal(firstDone.code, 0, firstDone.stdout + firstDone.stderr)
    sim.reset()
    other.reset()
  })

  test('clusters waits for a CUCM that answers after 3 s: reachable, exit 0, not the dashboard\'s "checking" after 2 s', async () => {
    sim.setFaults({ latencyMs: 3000 })
    try {
      const listed = await cli(['clusters', '--json'], env({ CUCM_TIMEOUT_MS: '10000', DATABASE_PATH: join(dir, 'slow.db') }))
      assert.equal(listed.code, 0, listed.stdout + listed.stderr)
      const json = JSON.parse(listed.stdout) as { clusters: Array<{ id: string, health: { reachable: boolean, checking?: true } | null }> }
      assert.deepEqual(json.clusters.map((c) => [c.id, c.health?.reachable, c.health?.checking]), [['emea', true, undefined]])
    } finally {
      sim.setFaults({ latencyMs: 0 })
    }
  })

  test('the CLI never creates the key file; the server does, once', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'em-console-cli-key-'))
    try {
      const result = await cli(['clusters'], env({ DATABASE_PATH: join(fresh, 'x.db') }))
      assert.equal(result.code, 0, result.stderr)
      assert.ok(!readdirSync(fresh).includes('secret.key'))
      const key = join(dir, 'secret.key')
      assert.ok(readFileSync(key, 'utf8').trim().length >= 32)
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
  })
})

describe('cluster settings from the environment', () => {
  const base = { CUCM_HOST: 'cucm.example.com', CUCM_APP_USER: 'emapi', CUCM_APP_PASSWORD: 'x', DATABASE_PATH: ':memory:' }

  test('the environment\'s cluster: id, name (default the host, with CUCM_PORT when not 8443) and AXL, checked at start naming the key', () => {
    const config = loadConfig({ ...base, CUCM_CLUSTER_ID: 'emea', CUCM_AXL_USER: 'axl', CUCM_AXL_PASSWORD: 'secret' })
    const { settings } = environmentCluster(config)
    assert.equal(settings.id, 'emea')
    assert.equal(settings.name, 'cucm.example.com')
    // A lab's clusters on one host, on several ports, read apart; an IPv6 address as a URL writes it.
    const nameOf = (env: Record<string, string>): string => environmentCluster(loadConfig({ ...base, ...env })).settings.name
    assert.equal(nameOf({ CUCM_HOST: 'localhost', CUCM_PORT: '9443' }), 'localhost:9443')
    assert.equal(nameOf({ CUCM_HOST: 'fd00::10', CUCM_PORT: '9443' }), '[fd00::10]:9443')
    assert.equal(nameOf({ CUCM_HOST: 'localhost', CUCM_PORT: '9443', CUCM_CLUSTER_NAME: 'Lab' }), 'Lab', 'a name given is kept')
    assert.deepEqual(settings.axl, { host: undefined, port: undefined, user: 'axl', password: 'secret', version: undefined })
    assert.equal(environmentCluster(loadConfig(base)).settings.id, 'default')
    assert.equal(environmentCluster(loadConfig(base)).settings.axl, undefined)
    assert.equal(environmentCluster(loadConfig(base)).settings.multipleLogins, 'not-allowed', 'CUCM\'s default')
    assert.equal(environmentCluster(loadConfig({ ...base, CUCM_MULTIPLE_LOGINS: 'auto-logout' })).settings.multipleLogins, 'auto-logout')

    const refused: Array<[Record<string, string>, string]> = [
      [{ CUCM_CLUSTER_ID: 'no spaces' }, 'CUCM_CLUSTER_ID'],
      [{ CUCM_CLUSTER_ID: 'All' }, 'CUCM_CLUSTER_ID'],
      [{ CUCM_AXL_USER: 'axl' }, 'CUCM_AXL_PASSWORD'],
      [{ CUCM_AXL_HOST: 'pub.example.com' }, 'CUCM_AXL_HOST'],
      // Set alone, as the other AXL keys are: an admin who set the port believes AXL is on.
      [{ CUCM_AXL_PORT: '8443' }, 'CUCM_AXL_PORT'],
      [{ CUCM_AXL_USER: 'axl', CUCM_AXL_PASSWORD: 'p', CUCM_AXL_VERSION: '14' }, 'CUCM_AXL_VERSION'],
      [{ CUCM_AXL_USER: 'domain:axl', CUCM_AXL_PASSWORD: 'p' }, 'CUCM_AXL_USER'],
      [{ SECRET_KEY: 'too-short' }, 'SECRET_KEY'],
      [{ CUCM_MULTIPLE_LOGINS: 'yes' }, 'CUCM_MULTIPLE_LOGINS'],
      // A password EMAPI's XML cannot carry would make every call fail: refused at start instead.
      [{ CUCM_APP_PASSWORD: 'pass\uffffword' }, 'CUCM_APP_PASSWORD']
    ]
    for (const [env, key] of refused) {
      assert.throws(() => loadConfig({ ...base, ...env }), (error: unknown) => error instanceof ConfigError && error.key === key, key)
    }
    // The message never echoes a secret.
    assert.throws(() => loadConfig({ ...base, SECRET_KEY: 'short-secret-text' }), (error: Error) => !error.message.includes('short-secret-text'))
  })

  test('a CUCM port is refused at start unless from 1 to 65535, as for a cluster added from the dashboard', () => {
    // Port 0 once passed as "valid" and every call then failed as CUCM unreachable (exit 2, not 3).
    for (const key of ['CUCM_PORT', 'CUCM_AXL_PORT'] as const) {
      const axl = key === 'CUCM_AXL_PORT' ? { CUCM_AXL_USER: 'axl', CUCM_AXL_PASSWORD: 'secret' } : {}
      assert.throws(() => loadConfig({ ...base, ...axl, [key]: '0' }), (error: unknown) => error instanceof ConfigError && error.key === key && /from 1 to 65535/.test(error.message), key)
      assert.equal(loadConfig({ ...base, ...axl, [key]: '1' })[key], 1)
      assert.equal(loadConfig({ ...base, ...axl, [key]: '65535' })[key], 65535)
    }
  })
})

test('the AXL port left unset is the cluster\'s EMAPI port, as for a cluster added from the dashboard: CUCM serves both on one port', async () => {
  // It was 8443 whatever CUCM_PORT said, so a CUCM (or a stand-in) on another port read no inventory.
  const app = await buildTestApp({ axl: true, env: { CUCM_AXL_PORT: '', INVENTORY_REFRESH_SECONDS: '0' } })
  try {
    assert.notEqual(app.sim.port, 8443)
    const read = await app.inject({ method: 'POST', url: '/api/inventory/refresh?wait=true' }, 'operator')
    assert.equal(read.statusCode, 200, read.body)
    const [cluster] = ((await app.inject('/api/inventory', 'viewer')).json() as InventoryStatus).clusters
    assert.equal(cluster?.lastError, null, JSON.stringify(cluster))
    assert.ok((cluster?.counts.phones ?? 0) > 0, 'the phones were read')
  } finally {
    await app.close()
  }
})

describe('.env-sample', () => {
  test('copied as it is to .env, it is a valid configuration (demo mode), and it names every setting once', () => {
    const path = fileURLToPath(new URL('../../.env-sample', import.meta.url))
    const keys = [...readFileSync(path, 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1])
    assert.deepEqual(keys.filter((key, i) => keys.indexOf(key) !== i), [], 'a key appears twice')
    // As the server reads it: the file's values, empty ones left unset.
    const config = loadConfig(readEnvironment({}, path))
    assert.equal(config.CUCM_HOST, undefined)
  })
})
