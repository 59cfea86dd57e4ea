/**
 * P5, start-up: from spawning `node server/bundle/server.js`, what `npm start` runs (demo mode,
 * a fresh database, so the first start's work is included: migrations, the demo admin, the
 * simulator's certificate) to the first answered GET /api/health. Any HTTP answer counts (401 without a session is the
 * expected one). Side by side, interleaved, the floor: startup-floor.mjs, a minimal Fastify app
 * that only serves web/dist with @fastify/static (its answer is a 404). Target (issue #14): the
 * median of the pairs' ratios ≤ 2.0, a ratio because the absolute time swings with the machine.
 * Also reported: the "Server listening" log line and the first 200 from GET /api/session/info,
 * the first thing the sign-in page asks.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { distIsCurrent, freePort, machine, median, QUICK, REPO, report, round, sleep } from './lib.ts'

const STARTS = QUICK ? 2 : 7
const TARGET = 2.0
const SERVER = join(REPO, 'server', 'bundle', 'server.js')
const FLOOR = join(REPO, 'bench', 'startup-floor.mjs')

interface Start { healthMs: number, listeningMs: number, sessionInfoMs: number, healthStatus: number }

/** Polls `path` every few ms until `done(status)`; returns the time since `t0` and the status. */
async function poll (url: string, t0: number, done: (status: number) => boolean, give: () => boolean): Promise<{ ms: number, status: number }> {
  for (;;) {
    if (give()) throw new Error(`gave up polling ${url}`)
    try {
      const res = await request(url)
      await res.body.dump()
      if (done(res.statusCode)) return { ms: performance.now() - t0, status: res.statusCode }
    } catch {}
    await sleep(5)
  }
}

/**
 * One start of `script` to its first answers. The port is free when chosen, but the server's demo
 * simulators listen on ports the system picks, and one took it first once (the start refused,
 * "in use by another program", and the whole bench with it): such a start is tried again on another.
 */
async function start (script: string): Promise<Start> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(script)
    } catch (error) {
      if (attempt === 3 || !String(error).includes('is in use by another program')) throw error
    }
  }
}

/** One start of `script` to its first answers; the floor has no session, so sessionInfoMs is NaN for it. */
async function startOnce (script: string): Promise<Start> {
  const work = mkdtempSync(join(tmpdir(), 'em-console-bench-startup-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn(process.execPath, [script], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', PORT: String(port), DATABASE_PATH: join(work, 'em-console.db') },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  let listeningMs = Number.NaN
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    if (Number.isNaN(listeningMs) && /Server listening|floor listening/.test(output)) listeningMs = performance.now() - t0
  })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  let exited = false
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve() }))
  const deadline = Date.now() + 30_000
  const give = (): boolean => exited || Date.now() > deadline
  try {
    const [health, info] = await Promise.all([
      poll(`${url}/api/health`, t0, () => true, give),
      script === SERVER ? poll(`${url}/api/session/info`, t0, (status) => status === 200, give) : { ms: Number.NaN }
    ])
    return { healthMs: health.ms, listeningMs, sessionInfoMs: info.ms, healthStatus: health.status }
  } catch (error) {
    throw new Error(`start failed: ${String(error)}\n${output}`)
  } finally {
    child.kill('SIGTERM')
    await exit
    rmSync(work, { recursive: true, force: true })
  }
}

if (!existsSync(SERVER)) {
  console.error(`${SERVER} is missing: run "npm run build" first.`)
  process.exit(2)
}
const current = distIsCurrent()
if (!current) console.warn('warning: server/dist is older than server/src or shared/src; run "npm run build" to measure the current code.')

// One start of each to fill the OS file cache, as every later start of an installed server has it.
await start(SERVER)
await start(FLOOR)
const pairs: Array<{ server: Start, floor: Start }> = []
for (let i = 0; i < STARTS; i++) {
  // Alternate which starts first, so neither always follows the other's tail.
  if (i % 2 === 0) {
    const server = await start(SERVER)
    pairs.push({ server, floor: await start(FLOOR) })
  } else {
    const floor = await start(FLOOR)
    pairs.push({ server: await start(SERVER), floor })
  }
}
const ratio = median(pairs.map((p) => p.server.healthMs / p.floor.healthMs))
const server = pairs.map((p) => p.server)
report({
  name: 'p5-startup',
  figure: round(ratio, 2),
  unit: '× minimal Fastify static app',
  target: `≤ ${TARGET.toFixed(1)}`,
  pass: ratio <= TARGET,
  details: {
    starts: STARTS,
    medianMs: {
      health: Math.round(median(server.map((s) => s.healthMs))),
      listening: Math.round(median(server.map((s) => s.listeningMs))),
      sessionInfo200: Math.round(median(server.map((s) => s.sessionInfoMs))),
      floor: Math.round(median(pairs.map((p) => p.floor.healthMs)))
    },
    ratios: pairs.map((p) => round(p.server.healthMs / p.floor.healthMs, 2)),
    healthMs: server.map((s) => round(s.healthMs, 0)),
    floorMs: pairs.map((p) => round(p.floor.healthMs, 0)),
    healthStatus: server[0]?.healthStatus,
    floorStatus: pairs[0]?.floor.healthStatus,
    distCurrent: current,
    quick: QUICK,
    ...machine()
  }
})
if (ratio > TARGET) process.exitCode = 1
