/**
 * Issue #15.3, huge CUCM answers: what one deviceUserQuery costs EM Console's EMAPI client when
 * CUCM answers 10 MB and 100 MB (the simulator's `huge` fault, in its own process). Each size runs
 * in a fresh child process so its peak RSS is its own: RSS growth (peak − before), the longest
 * event-loop stall (perf_hooks.monitorEventLoopDelay) and the time to the outcome. With the 4 MiB
 * cap the call must fail fast with EMAPI_TOO_LARGE: growth < 64 MB, stall < 250 ms.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { EmapiError } from '@em-console/shared/emapi'
import { createEmapiClient } from '../server/src/emapi/client.ts'
import { machine, QUICK, report, round, sleep, startScript, startSimulatorProcess } from './lib.ts'

const SIZES = QUICK ? [10_000_000] : [10_000_000, 100_000_000]
const RSS_TARGET_MB = 64
const STALL_TARGET_MS = 250

interface Measure { bytes: number, outcome: string, ms: number, rssBeforeMb: number, rssPeakMb: number, rssGrowthMb: number, stallMaxMs: number, gapMaxMs: number }

/** The child: one query against a simulator answering `bytes`. */
async function measure (bytes: number): Promise<Measure> {
  const sim = await startSimulatorProcess(undefined, {})
  try {
    // A generous timeout, so the figure shows what the answer costs rather than when the clock stops it.
    const client = createEmapiClient({ host: sim.host, port: sim.port, appUser: sim.appUser, appPassword: sim.appPassword, ca: sim.ca, timeoutMs: 300_000 })
    // One ordinary look-up first: the first request compiles undici's HTTP parser (WebAssembly)
    // and opens the TLS connection, a few hundred ms of stall that has nothing to do with size.
    await client.deviceUserQuery(['SEP000000000000'])
    await sim.admin('PUT', 'faults', { mode: 'huge', answerBytes: bytes })
    global.gc?.()
    const rssBefore = process.memoryUsage.rss()
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    // A cross-check of the histogram: the longest gap between ticks of a 10 ms timer.
    let tick = performance.now()
    let gapMax = 0
    const ticker = setInterval(() => { const now = performance.now(); gapMax = Math.max(gapMax, now - tick - 10); tick = now }, 10)
    const started = performance.now()
    const outcome = await client.deviceUserQuery(['SEP000000000000']).then(
      (call) => `answered (${call.value.length} device)`,
      (error: unknown) => error instanceof EmapiError ? error.code : String(error))
    const ms = performance.now() - started
    // A stall is recorded when the timers next run: let them, or a parse that ended the call goes unseen.
    await sleep(50)
    loop.disable()
    clearInterval(ticker)
    await client.close()
    // maxRSS is the process's peak in KiB, whatever the event loop was doing when it happened.
    const rssPeak = process.resourceUsage().maxRSS * 1024
    const mb = (n: number): number => round(n / 1048576)
    return { bytes, outcome, ms: Math.round(ms), rssBeforeMb: mb(rssBefore), rssPeakMb: mb(rssPeak), rssGrowthMb: mb(rssPeak - rssBefore), stallMaxMs: round(loop.max / 1e6), gapMaxMs: round(gapMax) }
  } finally {
    await sim.stop()
  }
}

const one = process.argv.indexOf('--one')
if (one !== -1) {
  console.log(`RESULT ${JSON.stringify(await measure(Number(process.argv[one + 1])))}`)
} else {
  for (const bytes of SIZES) {
    const child = await startScript('bench/emapi-size.ts', ['--one', String(bytes)], /RESULT .*\n/, { nodeArgs: ['--expose-gc'] })
    const result = JSON.parse(/RESULT (.*)\n/.exec(child.output)?.[1] ?? '{}') as Measure
    await child.stop()
    const name = `emapi-answer-${bytes / 1_000_000}mb`
    report({
      name,
      figure: result.rssGrowthMb,
      unit: 'MB RSS growth',
      target: `< ${RSS_TARGET_MB} MB, stall < ${STALL_TARGET_MS} ms, EMAPI_TOO_LARGE`,
      pass: result.rssGrowthMb < RSS_TARGET_MB && result.stallMaxMs < STALL_TARGET_MS && result.outcome === 'EMAPI_TOO_LARGE',
      details: { ...result, ...machine(), quick: QUICK }
    })
  }
}
