/**
 * bench:clusters (issue #17, "Scale"): an admin with 30 clusters must not wait 30 times as long.
 * 30 simulated clusters at 20 ms service latency, served by one simulator process (this file run
 * with `--simulators N`). Two servers as child processes, side by side in the same run: one with
 * a single cluster (the floor) and one with 30 (the environment's, plus 29 added through
 * POST /api/clusters as an admin would). Figures, each 30 clusters against one, interleaved:
 * - `clusters-lookup-p50`: `GET /api/devices/:name` without ?cluster= (every cluster asked) ≤ 1.5 ×;
 * - `clusters-health`: `GET /api/health` with every cluster's cached answer expired ≤ 1.5 × (the
 *   servers are child processes, so the 5 s cache is waited out, not tuned off; the connections
 *   to CUCM have closed by then too, as when the dashboard polls; `warm` in the details keeps them
 *   open). Past the cache time the server answers from each cluster's last probe while one new
 *   probe per cluster runs (em-service.ts health()): what a polling dashboard waits for;
 * - `clusters-logout-all`: `POST /api/logout-all?cluster=all` vs `?cluster=<the one>` ≤ 1.5 ×;
 * - `clusters-rss`: the server process's RSS, idle after all of the above ≤ 1.3 ×.
 * Beside each time figure, the bench's own EMAPI clients send the same request to one simulator
 * or to all 30 at once (`direct…` in the details): what fanning out costs on this machine, and
 * with one simulator process answering for 30 clusters, without EM Console.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { createEmapiClient, type EmapiClient } from '../server/src/emapi/client.ts'
import { DEFAULT_APP_PASSWORD, DEFAULT_APP_USER, startSimulator, type Simulator } from '../server/src/simulator/server.ts'
import type { Scenario } from '../server/src/simulator/state.ts'
import { Cleanup, machine, percentile, processRss, QUICK, report, round, signIn, simulatorEnv, sleep, startScript, startServer, type ServerProcess, type SimulatorProcess } from './lib.ts'

const CLUSTERS = 30
const LATENCY_MS = 20
const DEVICES = 100
const LOOKUPS = QUICK ? 40 : 300
const BATCH = 20
const LOGOUT_ALLS = QUICK ? 4 : 24
const HEALTH_ROUNDS = QUICK ? 2 : 8
// The server reuses a cluster's health answer this long (EmService's default, not configurable
// from the environment): a round waits it out, so every GET /api/health sets every cluster probing.
const HEALTH_CACHE_MS = 5000
// The device name the server's health probe asks about (em-service.ts).
const HEALTH_PROBE = 'EMConsoleHealthProbe'
const RSS_WINDOW_MS = QUICK ? 3000 : 10_000
const TARGET = 1.5
const RSS_TARGET = 1.3
const MB = 1024 * 1024

/** Device i of cluster k: a name of its own on each cluster, so a look-up finds it on one only. */
const deviceName = (k: number, i: number): string => `SEP${k.toString(16).padStart(2, '0')}${i.toString(16).padStart(10, '0')}`.toUpperCase()
const clusterId = (k: number): string => `c${String(k + 1).padStart(2, '0')}`

function clusterScenario (k: number): Scenario {
  const users = Array.from({ length: DEVICES }, (_, i) => `c${k}.user${i}`)
  return {
    users,
    profiles: users.map((u) => ({ name: `${u}-profile`, owners: [u], isDefault: true })),
    devices: users.map((u, i) => ({ name: deviceName(k, i), currentUser: u }))
  }
}

/** One of the two servers: the process, a connection to it, an admin's session and its cluster count. */
interface Side { server: ServerProcess, http: Pool, headers: Record<string, string>, clusters: number }

interface SimulatorList { appUser: string, appPassword: string, host: string, clusters: Array<{ port: number, ca: string }> }

/** Child mode: N simulators in this one process, each on its own port with its own certificate. */
async function serveSimulators (count: number): Promise<void> {
  const sims: Simulator[] = []
  for (let k = 0; k < count; k++) sims.push(await startSimulator({ port: 0, scenario: clusterScenario(k), faults: { latencyMs: LATENCY_MS } }))
  const stop = (): void => { Promise.all(sims.map(async (s) => { await s.close() })).finally(() => process.exit(0)).catch(() => {}) }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  const list: SimulatorList = { appUser: DEFAULT_APP_USER, appPassword: DEFAULT_APP_PASSWORD, host: '127.0.0.1', clusters: sims.map((s) => ({ port: s.port, ca: s.caPem })) }
  console.log(`SIMULATORS ${JSON.stringify(list)}`)
}

/** Runs `count` requests one after another (an admin waits for each); their latencies in ms. */
async function sequential (count: number, task: () => Promise<void>): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    await task()
    ms.push(performance.now() - started)
  }
  return ms
}

async function api (pool: Pool, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
  const res = await pool.request({ method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.body.text()
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`)
  return JSON.parse(text)
}

const stats = (ms: readonly number[]): { p50: number, p95: number, n: number } => {
  const sorted = [...ms].sort((a, b) => a - b)
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), n: sorted.length }
}

async function main (): Promise<void> {
  const cleanup = new Cleanup()
  try {
    const simProcess = await startScript('bench/clusters.ts', ['--simulators', String(CLUSTERS)], /^SIMULATORS .*\n/m, {
      nodeArgs: process.env.BENCH_PROFILE_SIMULATOR === '1' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []
    })
    cleanup.add(simProcess.stop)
    const sims = JSON.parse(/^SIMULATORS (.*)$/m.exec(simProcess.output)?.[1] ?? '{}') as SimulatorList
    if (sims.clusters.length !== CLUSTERS) throw new Error(`the simulator process serves ${sims.clusters.length} clusters, not ${CLUSTERS}`)
    const scratch = mkdtempSync(join(tmpdir(), 'em-console-bench-clusters-'))
    cleanup.add(() => rmSync(scratch, { recursive: true, force: true }))
    const [first] = sims.clusters
    if (first === undefined) throw new Error('no simulator')
    // simulatorEnv only reads these fields of a simulator process.
    const env = { ...simulatorEnv({ host: sims.host, port: first.port, ca: first.ca, appUser: sims.appUser, appPassword: sims.appPassword } as SimulatorProcess, scratch), CUCM_CLUSTER_ID: clusterId(0), RATE_LIMIT_PER_MINUTE: '0' }

    const start = async (clusters: number): Promise<Side> => {
      const server = await startServer(env)
      cleanup.add(server.stop)
      const http = new Pool(server.url, { connections: 1 })
      cleanup.add(async () => await http.close())
      return { server, http, headers: await signIn(server.url), clusters }
    }
    const servers = { one: await start(1), all: await start(CLUSTERS) }
    // The other 29 as an admin adds them, through the API; each takes effect without a restart.
    const all = servers.all
    for (let k = 1; k < CLUSTERS; k++) {
      const sim = sims.clusters[k] as { port: number, ca: string }
      await api(all.http, 'POST', '/api/clusters', all.headers, { id: clusterId(k), host: sims.host, port: sim.port, appUser: sims.appUser, appPassword: sims.appPassword, caPem: sim.ca })
    }
    const listed = await api(all.http, 'GET', '/api/health', all.headers) as { clusters: Array<{ id: string, emapi: { reachable: boolean } }> }
    const unreachable = listed.clusters.filter((c) => !c.emapi.reachable).map((c) => c.id)
    if (listed.clusters.length !== CLUSTERS || unreachable.length > 0) throw new Error(`the 30-cluster server reports ${listed.clusters.length} clusters, unreachable: ${unreachable.join(', ')}`)

    // RSS of both, sampled all along (peak), then at rest at the end (the figure).
    const peak = { one: 0, all: 0 }
    const sampler = setInterval(() => {
      for (const side of ['one', 'all'] as const) peak[side] = Math.max(peak[side], servers[side].server.rss())
    }, 100)
    cleanup.add(() => clearInterval(sampler))
    const rssAfterSetup = { one: servers.one.server.rss(), all: servers.all.server.rss() }

    // The floor beneath the floor: the bench's own clients asking one simulator, or all 30 at once.
    const clients: EmapiClient[] = sims.clusters.map((c) => createEmapiClient({ host: sims.host, port: c.port, appUser: sims.appUser, appPassword: sims.appPassword, ca: c.ca, timeoutMs: 15_000 }))
    cleanup.add(async () => { await Promise.all(clients.map(async (c) => { await c.close() })) })

    let device = 0
    const name = (): string => deviceName(0, device++ % DEVICES)
    const lookUp = (side: 'one' | 'all') => async (): Promise<void> => {
      const { http, headers } = servers[side]
      const report = await api(http, 'GET', `/api/devices/${name()}`, headers) as { exists: boolean, cluster: string | null }
      if (!report.exists || report.cluster !== clusterId(0)) throw new Error(`look-up on the ${side} server: ${JSON.stringify(report)}`)
    }
    const direct = (count: number) => async (): Promise<void> => {
      const asked = name()
      const answers = await Promise.all(clients.slice(0, count).map(async (c) => await c.deviceUserQuery([asked])))
      if (answers.length !== count) throw new Error('direct: an answer is missing')
    }
    const paths = {
      one: { task: lookUp('one'), ms: [] as number[] },
      all: { task: lookUp('all'), ms: [] as number[] },
      directOne: { task: direct(1), ms: [] as number[] },
      directAll: { task: direct(CLUSTERS), ms: [] as number[] }
    }
    const order = Object.values(paths)
    // Steady service: each server compiles its routes' schemas in the first seconds after its start.
    await Promise.all(Object.values(servers).map(async (side) => { await side.server.compiled() }))
    // Warm-up: connections opened, code compiled, on every path.
    for (const path of order) await sequential(BATCH, path.task)
    for (let done = 0, batch = 0; done < LOOKUPS; done += BATCH, batch++) {
      const first = batch % order.length
      for (const path of [...order.slice(first), ...order.slice(0, first)]) path.ms.push(...await sequential(Math.min(BATCH, LOOKUPS - done), path.task))
    }

    // logout-all: every cluster of the 30 (?cluster=all) against the one (?cluster=c01).
    const logoutAll = (side: 'one' | 'all') => async (): Promise<void> => {
      const { http, headers, clusters } = servers[side]
      const result = await api(http, 'POST', `/api/logout-all?cluster=${side === 'all' ? 'all' : clusterId(0)}`, headers, { confirm: 'LOG OUT ALL' }) as { outcome: string, clusters: unknown[] }
      if (result.outcome !== 'success' || result.clusters.length !== clusters) throw new Error(`logout-all on the ${side} server: ${JSON.stringify(result)}`)
    }
    // Its floor: the bench's own clients sending logoutAll to one simulator, or to all 30 at once.
    const directLogoutAll = (count: number) => async (): Promise<void> => { await Promise.all(clients.slice(0, count).map(async (c) => await c.logoutAll())) }
    const logouts = { one: logoutAll('one'), all: logoutAll('all'), directOne: directLogoutAll(1), directAll: directLogoutAll(CLUSTERS) }
    const logoutMs = { one: [] as number[], all: [] as number[], directOne: [] as number[], directAll: [] as number[] }
    const sides = Object.keys(logouts) as Array<keyof typeof logouts>
    for (const side of sides) await sequential(2, logouts[side])
    for (let round = 0; round < LOGOUT_ALLS; round++) {
      const first = round % sides.length
      for (const side of [...sides.slice(first), ...sides.slice(0, first)]) logoutMs[side].push(...await sequential(1, logouts[side]))
    }

    // Health: each round waits out the cache first. `cold`: idle meanwhile, so the connections to
    // CUCM have closed too (undici keeps an idle one ~4 s) and every probe makes a TLS handshake:
    // the dashboard's case, polling every few seconds or more. `warm`: a look-up on each server
    // every 1.5 s meanwhile keeps the connections open, so the difference is the handshakes'.
    const healthOf = (side: 'one' | 'all') => async (): Promise<void> => {
      const { http, headers, clusters } = servers[side]
      const answer = await api(http, 'GET', '/api/health', headers) as { clusters: Array<{ emapi: { reachable: boolean } }> }
      if (answer.clusters.length !== clusters || answer.clusters.some((c) => !c.emapi.reachable)) throw new Error(`health on the ${side} server: ${JSON.stringify(answer)}`)
    }
    // The floor of the cold case: the bench's own clients (idle as long) sending the same probe.
    const directProbe = (count: number) => async (): Promise<void> => { await Promise.all(clients.slice(0, count).map(async (c) => await c.deviceUserQuery([HEALTH_PROBE]))) }
    const healthMs = { cold: { one: [] as number[], all: [] as number[] }, warm: { one: [] as number[], all: [] as number[] }, directCold: { one: [] as number[], all: [] as number[] } }
    for (let round = 0; round < HEALTH_ROUNDS * 2; round++) {
      const kind = round % 2 === 0 ? 'cold' : 'warm'
      const until = performance.now() + HEALTH_CACHE_MS + 500
      if (kind === 'cold') await sleep(until - performance.now())
      else while (performance.now() < until) { await lookUp('one')(); await lookUp('all')(); await sleep(Math.min(1500, until - performance.now())) }
      const sides = Math.floor(round / 2) % 2 === 0 ? ['one', 'all'] as const : ['all', 'one'] as const
      for (const side of sides) healthMs[kind][side].push(...await sequential(1, healthOf(side)))
      if (kind === 'cold') for (const side of sides) healthMs.directCold[side].push(...await sequential(1, directProbe(side === 'one' ? 1 : CLUSTERS)))
    }
    clearInterval(sampler)

    // RSS at rest: the least of each over the same idle window (a collection may be pending).
    const rest = { one: Number.POSITIVE_INFINITY, all: Number.POSITIVE_INFINITY }
    for (const until = performance.now() + RSS_WINDOW_MS; performance.now() < until; await sleep(250)) {
      for (const side of ['one', 'all'] as const) rest[side] = Math.min(rest[side], processRss(servers[side].server.pid))
    }

    const common = { clusters: CLUSTERS, latencyMs: LATENCY_MS, server: servers.all.server.entry, quick: QUICK, ...machine() }
    const lookup = { one: stats(paths.one.ms), all: stats(paths.all.ms), directOne: stats(paths.directOne.ms), directAll: stats(paths.directAll.ms) }
    const lookupRatio = lookup.all.p50 / lookup.one.p50
    report({
      name: 'clusters-lookup-p50',
      figure: round(lookupRatio, 3),
      unit: '× one cluster',
      target: `≤ ${TARGET.toFixed(2)}`,
      pass: lookupRatio <= TARGET,
      details: { lookupsEach: LOOKUPS, concurrency: 1, oneMs: lookup.one, allMs: lookup.all, directOneMs: lookup.directOne, directAllMs: lookup.directAll, directRatio: round(lookup.directAll.p50 / lookup.directOne.p50, 3), ...common }
    })

    const health = {
      cold: { one: stats(healthMs.cold.one), all: stats(healthMs.cold.all) },
      warm: { one: stats(healthMs.warm.one), all: stats(healthMs.warm.all) },
      directCold: { one: stats(healthMs.directCold.one), all: stats(healthMs.directCold.all) }
    }
    const healthRatio = health.cold.all.p50 / health.cold.one.p50
    report({
      name: 'clusters-health',
      figure: round(healthRatio, 3),
      unit: '× one cluster',
      target: `≤ ${TARGET.toFixed(2)}`,
      pass: healthRatio <= TARGET,
      details: { measured: 'p50, cache expired and connections closed', rounds: HEALTH_ROUNDS, coldMs: health.cold, warmMs: health.warm, warmRatio: round(health.warm.all.p50 / health.warm.one.p50, 3), directColdMs: health.directCold, directColdRatio: round(health.directCold.all.p50 / health.directCold.one.p50, 3), ...common }
    })

    const logout = { one: stats(logoutMs.one), all: stats(logoutMs.all), directOne: stats(logoutMs.directOne), directAll: stats(logoutMs.directAll) }
    const logoutRatio = logout.all.p50 / logout.one.p50
    report({
      name: 'clusters-logout-all',
      figure: round(logoutRatio, 3),
      unit: '× one cluster',
      target: `≤ ${TARGET.toFixed(2)}`,
      pass: logoutRatio <= TARGET,
      details: { measured: 'p50', runsEach: LOGOUT_ALLS, oneMs: logout.one, allMs: logout.all, directOneMs: logout.directOne, directAllMs: logout.directAll, directRatio: round(logout.directAll.p50 / logout.directOne.p50, 3), ...common }
    })

    const rssRatio = rest.all / rest.one
    const mb = (bytes: number): number => round(bytes / MB)
    report({
      name: 'clusters-rss',
      figure: round(rssRatio, 3),
      unit: '× one cluster',
      target: `≤ ${RSS_TARGET.toFixed(2)}`,
      pass: rssRatio <= RSS_TARGET,
      details: { measured: `least RSS over ${RSS_WINDOW_MS / 1000} s at rest, after the rest`, restMb: { one: mb(rest.one), all: mb(rest.all) }, afterSetupMb: { one: mb(rssAfterSetup.one), all: mb(rssAfterSetup.all) }, peakMb: { one: mb(peak.one), all: mb(peak.all) }, ...common }
    })
    if (lookupRatio > TARGET || healthRatio > TARGET || logoutRatio > TARGET || rssRatio > RSS_TARGET) process.exitCode = 1
  } finally {
    await cleanup.run()
  }
}

const serve = process.argv.indexOf('--simulators')
if (serve >= 0) await serveSimulators(Number(process.argv[serve + 1] ?? CLUSTERS))
else await main()
