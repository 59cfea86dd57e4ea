/**
 * P2, bulk throughput (issues #8, #14): a 2,000-device logout run against a simulator with CUCM's
 * default throttle (5 concurrent requests) and 10 ms service latency, side by side with the same
 * 2,000 logouts sent by the bare EMAPI client, 5 at a time, with nothing else (no run, audit or
 * database): what this machine's loopback HTTPS allows at best. Rounds alternate which goes
 * first. Target: the run takes at most 1.05 × the bare client (median of the rounds' ratios),
 * loses no item and never has more than the cap in flight. Also printed: the ratio to the ideal
 * 2,000 × 10 ms / 5 = 4.0 s, which assumes a freed slot is refilled in no time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../server/src/config.ts'
import { startRuntime } from '../server/src/runtime.ts'
import { bulkDeviceName, bulkScenario } from '../server/src/simulator/bulk-scenario.ts'
import { Cleanup, machine, median, QUICK, report, round, startSimulatorProcess } from './lib.ts'

const DEVICES = 2000
const CAP = 5
const LATENCY_MS = 10
const IDEAL_MS = DEVICES * LATENCY_MS / CAP
const TARGET = 1.05
const ROUNDS = QUICK ? 1 : 3
const WARM_UP_DEVICES = 200

// A closed stdout (`| head`) or Ctrl-C still stops the simulator.
const cleanup = new Cleanup()
try {
  const sim = await startSimulatorProcess(bulkScenario(DEVICES), { maxConcurrent: CAP, latencyMs: LATENCY_MS })
  cleanup.add(sim.stop)
  const dir = mkdtempSync(join(tmpdir(), 'em-console-bench-bulk-'))
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }))
  const caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, sim.ca)
  // The product's own runtime, built from a configuration as the server builds it.
  const config = loadConfig({
    CUCM_HOST: sim.host,
    CUCM_PORT: String(sim.port),
    CUCM_APP_USER: sim.appUser,
    CUCM_APP_PASSWORD: sim.appPassword,
    CUCM_CA_FILE: caFile,
    EMAPI_MAX_CONCURRENCY: String(CAP),
    DATABASE_PATH: join(dir, 'bench.db')
  })
  const runtime = await startRuntime(config, { role: 'cli', tuning: { verifyAfterMs: 0 } })
  cleanup.add(runtime.close)
  const { em, runs, client } = runtime

  // One warm-up request opens the TLS connections' pool, as a running server would have.
  await em.deviceStatus({ actor: 'bench', trigger: 'api' }, [bulkDeviceName(0)])
  const devices = Array.from({ length: DEVICES }, (_, i) => bulkDeviceName(i))
  /** Every device logged in again, the stats zeroed, the throttle and latency set. */
  const resetSimulator = async (): Promise<void> => {
    await sim.admin('POST', 'reset')
    await sim.admin('PUT', 'policy', { maxConcurrent: CAP })
    await sim.admin('PUT', 'faults', { latencyMs: LATENCY_MS, jitterMs: 0 })
  }

  /** The product's run: preview, audit rows, run items, progress events. */
  const run = async (items = devices): Promise<{ elapsedMs: number, previewMs: number, succeeded: number, peakInFlight: number, retriedAfter26: number }> => {
    await resetSimulator()
    const started = performance.now()
    let running = Number.NaN
    const id = await runs.start({ actor: 'bench', trigger: 'api' }, { action: 'logout', devices: items })
    await new Promise<void>((resolve) => {
      runs.subscribe(id, (event) => {
        if (event.state === 'running' && Number.isNaN(running)) running = performance.now()
        if (runs.isFinal(event.state)) resolve()
      })
    })
    const elapsedMs = performance.now() - started
    const state = await sim.admin('GET', 'state') as { stats: { peakInFlight: number, requests: number } }
    // Every request past one logout per device and the preview's look-ups was a retry after code 26.
    const retriedAfter26 = state.stats.requests - items.length - Math.ceil(items.length / 50)
    return { elapsedMs, previewMs: running - started, succeeded: runs.summary(id)?.counts.success ?? 0, peakInFlight: state.stats.peakInFlight, retriedAfter26 }
  }

  /** The same logouts from the bare EMAPI client, 5 at a time; a failed one throws. */
  const bare = async (items = devices): Promise<number> => {
    await resetSimulator()
    const started = performance.now()
    let next = 0
    await Promise.all(Array.from({ length: CAP }, async () => {
      for (let i = next++; i < items.length; i = next++) await client.logout(items[i] ?? '')
    }))
    return performance.now() - started
  }

  // One short round of each first, so neither side's first round also compiles its code.
  await run(devices.slice(0, WARM_UP_DEVICES))
  await bare(devices.slice(0, WARM_UP_DEVICES))
  const rounds: Array<Awaited<ReturnType<typeof run>> & { bareClientMs: number }> = []
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which side goes first, so neither always follows the other's tail.
    const bareFirst = i % 2 === 1 ? await bare() : Number.NaN
    const measured = await run()
    rounds.push({ ...measured, bareClientMs: Number.isNaN(bareFirst) ? await bare() : bareFirst })
  }
  const ratio = median(rounds.map((r) => r.elapsedMs / r.bareClientMs))
  const elapsed = median(rounds.map((r) => r.elapsedMs))
  const bareMs = median(rounds.map((r) => r.bareClientMs))
  const succeeded = Math.min(...rounds.map((r) => r.succeeded))
  const peakInFlight = Math.max(...rounds.map((r) => r.peakInFlight))
  report({
    name: 'p2-bulk-throughput',
    figure: round(ratio, 3),
    unit: '× bare client',
    target: `≤ ${TARGET.toFixed(2)}`,
    pass: ratio <= TARGET && succeeded === DEVICES && peakInFlight <= CAP,
    // The run's first look-up comes before its first logout; the ideal counts only the logouts.
    details: {
      rounds: ROUNDS,
      elapsedMs: Math.round(elapsed),
      bareClientMs: Math.round(bareMs),
      idealMs: IDEAL_MS,
      idealRatio: round(elapsed / IDEAL_MS, 3),
      bareClientRatio: round(bareMs / IDEAL_MS, 3),
      previewMs: Math.round(median(rounds.map((r) => r.previewMs))),
      perRound: rounds.map((r) => ({ elapsedMs: Math.round(r.elapsedMs), bareClientMs: Math.round(r.bareClientMs), ratio: round(r.elapsedMs / r.bareClientMs, 3) })),
      succeeded,
      lost: DEVICES - succeeded,
      peakInFlight,
      cap: CAP,
      retriedAfter26: Math.max(...rounds.map((r) => r.retriedAfter26)),
      quick: QUICK,
      ...machine()
    }
  })
  console.log(`  to the ideal: ${round(elapsed / IDEAL_MS, 3)} × (bare client: ${round(bareMs / IDEAL_MS, 3)} ×)`)
  if (ratio > TARGET || succeeded !== DEVICES || peakInFlight > CAP) process.exitCode = 1
} finally {
  await cleanup.run()
}
