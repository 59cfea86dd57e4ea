/**
 * P1, proxy overhead: `GET /api/devices/:name` through the real server (a child process, audit
 * writes included) against the same look-up through bare-proxy.ts, the least a proxy can do on
 * this machine (node:http, no framework, sign-in or audit, the same EMAPI client), 20 ms service
 * latency, concurrency 10 each. Target (issue #14): p50 ≤ 1.05 × and p99 ≤ 1.10 × the bare proxy.
 * A third path in the same rotation, the deviceUserQuery sent straight to the simulator, gives
 * both proxies' ratios to the direct call; a fourth, fastify-proxy.ts (the bare proxy behind
 * Fastify, nothing else), how much of the budget the framework alone takes. The paths alternate in
 * batches, so whatever else the machine does lands on all of them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { createEmapiClient } from '../server/src/emapi/client.ts'
import { bulkDeviceName, bulkScenario } from '../server/src/simulator/bulk-scenario.ts'
import { Cleanup, machine, percentile, processCpuMs, QUICK, report, round, signIn, simulatorEnv, startScript, startServer, startSimulatorProcess } from './lib.ts'

const REQUESTS = QUICK ? 200 : 2000
const CONCURRENCY = Number(process.env.BENCH_PROXY_CONCURRENCY ?? 10)
const BATCH = 100
const LATENCY_MS = 20
const DEVICES = 500
const P50_TARGET = 1.05
const P99_TARGET = 1.10

/** Runs `count` tasks with at most `concurrency` at once; returns each one's latency in ms. */
async function timed (count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++
      const started = performance.now()
      await task(i)
      latencies.push(performance.now() - started)
    }
  }))
  return latencies
}

const cleanup = new Cleanup()
try {
  const sim = await startSimulatorProcess(bulkScenario(DEVICES), { latencyMs: LATENCY_MS })
  cleanup.add(sim.stop)
  const scratch = mkdtempSync(join(tmpdir(), 'em-console-bench-proxy-'))
  cleanup.add(() => rmSync(scratch, { recursive: true, force: true }))
  const cucm = simulatorEnv(sim, scratch)
  const server = await startServer({ ...cucm, RATE_LIMIT_PER_MINUTE: '0' })
  cleanup.add(server.stop)
  /** A proxy to compare with, in its own process as the server is in its own, and a pool of connections to it. */
  const startProxy = async (file: string): Promise<{ pool: Pool, pid: number }> => {
    const proxy = await startScript(file, [], /listening on \d+/, { env: { PATH: process.env.PATH ?? '', ...cucm }, nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '') })
    cleanup.add(proxy.stop)
    const pool = new Pool(`http://127.0.0.1:${/listening on (\d+)/.exec(proxy.output)?.[1] ?? ''}`, { connections: CONCURRENCY })
    cleanup.add(async () => await pool.close())
    return { pool, pid: proxy.pid }
  }
  // The floor the target is set against, and the same behind Fastify alone.
  const bare = await startProxy('bench/bare-proxy.ts')
  const fastify = await startProxy('bench/fastify-proxy.ts')
  const client = createEmapiClient({ host: sim.host, port: sim.port, appUser: sim.appUser, appPassword: sim.appPassword, ca: sim.ca, timeoutMs: 15_000 })
  cleanup.add(client.close)
  const http = new Pool(server.url, { connections: CONCURRENCY })
  cleanup.add(async () => await http.close())

  const headers = await signIn(server.url)
  let device = 0
  const name = (): string => bulkDeviceName(device++ % DEVICES)
  /** One look-up of `GET /api/devices/:name` through a proxy (the server or the bare one). */
  const via = (pool: Pool, label: string, headers: Record<string, string> = {}) => async (): Promise<void> => {
    const res = await pool.request({ method: 'GET', path: `/api/devices/${name()}`, headers })
    const body = await res.body.text()
    if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${body}`)
  }
  const direct = async (): Promise<void> => {
    const result = await client.deviceUserQuery([name()])
    if (result.value.length !== 1) throw new Error('deviceUserQuery: no result')
  }

  // Each proxy's CPU time is summed over its own batches (the bench's process for the direct call).
  const paths = {
    server: { task: via(http, 'GET /api/devices', headers), ms: [] as number[], cpu: () => processCpuMs(server.pid), cpuMs: 0 },
    bare: { task: via(bare.pool, 'bare proxy'), ms: [] as number[], cpu: () => processCpuMs(bare.pid), cpuMs: 0 },
    fastify: { task: via(fastify.pool, 'Fastify proxy'), ms: [] as number[], cpu: () => processCpuMs(fastify.pid), cpuMs: 0 },
    direct: { task: direct, ms: [] as number[], cpu: () => { const used = process.cpuUsage(); return (used.user + used.system) / 1000 }, cpuMs: 0 }
  }
  const order = Object.values(paths)
  // Steady service: the server compiles its routes' schemas in the first seconds after its start.
  await server.compiled()
  // Warm-up: every path opens its connections and gets its code compiled.
  for (const path of order) await timed(200, CONCURRENCY, path.task)

  for (let done = 0, batch = 0; done < REQUESTS; done += BATCH, batch++) {
    const size = Math.min(BATCH, REQUESTS - done)
    // Rotate which path goes first, so none always follows another's tail.
    const first = batch % order.length
    for (const path of [...order.slice(first), ...order.slice(0, first)]) {
      const cpuBefore = path.cpu()
      path.ms.push(...await timed(size, CONCURRENCY, path.task))
      path.cpuMs += path.cpu() - cpuBefore
    }
  }
  for (const path of order) path.ms.sort((a, b) => a - b)
  const at = (p: number): { server: number, bare: number, fastify: number, direct: number } => ({ server: percentile(paths.server.ms, p), bare: percentile(paths.bare.ms, p), fastify: percentile(paths.fastify.ms, p), direct: percentile(paths.direct.ms, p) })
  const p50 = at(50)
  const p99 = at(99)
  const ratio50 = p50.server / p50.bare
  const ratio99 = p99.server / p99.bare
  const details = {
    requestsEach: REQUESTS,
    concurrency: CONCURRENCY,
    latencyMs: LATENCY_MS,
    serverMs: { p50: round(p50.server), p99: round(p99.server) },
    bareProxyMs: { p50: round(p50.bare), p99: round(p99.bare) },
    fastifyProxyMs: { p50: round(p50.fastify), p99: round(p99.fastify) },
    directMs: { p50: round(p50.direct), p99: round(p99.direct) },
    // The bare proxy behind Fastify and nothing else: the framework's own share of the budget.
    fastifyProxyToBare: { p50: round(p50.fastify / p50.bare, 3), p99: round(p99.fastify / p99.bare, 3) },
    // Each proxy against the direct call: what a proxy costs at all, and what this machine allows one at best.
    serverToDirect: { p50: round(p50.server / p50.direct, 3), p99: round(p99.server / p99.direct, 3) },
    bareProxyToDirect: { p50: round(p50.bare / p50.direct, 3), p99: round(p99.bare / p99.direct, 3) },
    // What each request cost its proxy's process in CPU (all threads; /proc ticks of 10 ms, summed over the batches).
    cpuPerRequestMs: { server: round(paths.server.cpuMs / REQUESTS, 3), bareProxy: round(paths.bare.cpuMs / REQUESTS, 3), fastifyProxy: round(paths.fastify.cpuMs / REQUESTS, 3) },
    server: server.entry,
    quick: QUICK,
    ...machine()
  }
  report({ name: 'p1-proxy-p50', figure: round(ratio50, 3), unit: '× bare proxy', target: `≤ ${P50_TARGET.toFixed(2)}`, pass: ratio50 <= P50_TARGET, details })
  report({ name: 'p1-proxy-p99', figure: round(ratio99, 3), unit: '× bare proxy', target: `≤ ${P99_TARGET.toFixed(2)}`, pass: ratio99 <= P99_TARGET, details })
  console.log(`  to the direct call: p50 ${details.serverToDirect.p50} ×, p99 ${details.serverToDirect.p99} × (bare proxy: ${details.bareProxyToDirect.p50} ×, ${details.bareProxyToDirect.p99} ×)`)
  console.log(`  Fastify alone in front of the bare proxy: p50 ${details.fastifyProxyToBare.p50} ×, p99 ${details.fastifyProxyToBare.p99} × the bare proxy`)
  if (ratio50 > P50_TARGET || ratio99 > P99_TARGET) process.exitCode = 1
} finally {
  await cleanup.run()
}
