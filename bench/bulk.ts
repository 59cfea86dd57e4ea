/**
 * P2, bulk throughput (issue #8): a 2,000-device logout run against a simulator with CUCM's
 * default throttle (5 concurrent requests) and 10 ms service latency. The ideal is
 * 2,000 × 10 ms / 5 = 4.0 s; the run must take at most 1.10 × that, lose no item, retry every
 * code 26 and never have more than the cap in flight.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../server/src/config.ts'
import { startRuntime } from '../server/src/runtime.ts'
import { bulkDeviceName, bulkScenario } from '../server/src/simulator/bulk-scenario.ts'
import { Cleanup, report, startSimulatorProcess } from './lib.ts'

const DEVICES = 2000
const CAP = 5
const LATENCY_MS = 10
const IDEAL_MS = DEVICES * LATENCY_MS / CAP

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
  await sim.admin('POST', 'reset')
  await sim.admin('PUT', 'policy', { maxConcurrent: CAP })
  await sim.admin('PUT', 'faults', { latencyMs: LATENCY_MS, jitterMs: 0 })

  const devices = Array.from({ length: DEVICES }, (_, i) => bulkDeviceName(i))
  const started = performance.now()
  let running = Number.NaN
  const id = await runs.start({ actor: 'bench', trigger: 'api' }, { action: 'logout', devices })
  await new Promise<void>((resolve) => {
    runs.subscribe(id, (event) => {
      if (event.state === 'running' && Number.isNaN(running)) running = performance.now()
      if (runs.isFinal(event.state)) resolve()
    })
  })
  const elapsed = performance.now() - started
  const run = runs.summary(id)
  const state = await sim.admin('GET', 'state') as { stats: { peakInFlight: number, requests: number } }
  const succeeded = run?.counts.success ?? 0
  const ratio = elapsed / IDEAL_MS

  // Side by side: the same 2,000 logouts sent by the bare EMAPI client, 5 at a time, with no
  // run, audit or database. What this machine's loopback HTTPS allows at best.
  await sim.admin('POST', 'reset')
  await sim.admin('PUT', 'policy', { maxConcurrent: CAP })
  await sim.admin('PUT', 'faults', { latencyMs: LATENCY_MS, jitterMs: 0 })
  const floorStarted = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: CAP }, async () => {
    for (let i = next++; i < DEVICES; i = next++) await client.logout(devices[i] ?? '')
  }))
  const floorMs = performance.now() - floorStarted
  // Every request past one logout per device and the preview's look-ups was a retry after code 26.
  const retried26 = state.stats.requests - DEVICES - Math.ceil(DEVICES / 50)
  report({
    name: 'p2-bulk-throughput',
    figure: Number(ratio.toFixed(3)),
    unit: '× ideal',
    target: '≤ 1.10',
    pass: ratio <= 1.10 && succeeded === DEVICES && state.stats.peakInFlight <= CAP,
    // The run's first look-up comes before its first logout; the ideal counts only the logouts.
    details: { elapsedMs: Math.round(elapsed), previewMs: Math.round(running - started), logoutsMs: Math.round(started + elapsed - running), idealMs: IDEAL_MS, bareClientMs: Math.round(floorMs), bareClientRatio: Number((floorMs / IDEAL_MS).toFixed(3)), overBareClient: Number((elapsed / floorMs).toFixed(3)), succeeded, lost: DEVICES - succeeded, peakInFlight: state.stats.peakInFlight, cap: CAP, retriedAfter26: retried26 }
  })
} finally {
  await cleanup.run()
}
