/**
 * P5, start-up: from spawning `node server/dist/server.js` (demo mode, a fresh database, so the
 * first start's work is included: migrations, the demo admin, the simulator's certificate) to
 * the first answered GET /api/health. Any HTTP answer counts (401 without a session is the
 * expected one). Also reported: the "Server listening" log line and the first 200 from
 * GET /api/session/info, the first thing the sign-in page asks. Median of 5 starts; ≤ 1.5 s.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { distIsCurrent, freePort, machine, median, QUICK, REPO, report, round, sleep } from './lib.ts'

const STARTS = QUICK ? 2 : 5
const TARGET_MS = 1500
const SERVER = join(REPO, 'server', 'dist', 'server.js')

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

async function start (): Promise<Start> {
  const work = mkdtempSync(join(tmpdir(), 'em-console-bench-startup-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn(process.execPath, [SERVER], {
    cwd: work,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', PORT: String(port), DATABASE_PATH: join(work, 'em-console.db') },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  let listeningMs = Number.NaN
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    if (Number.isNaN(listeningMs) && output.includes('Server listening')) listeningMs = performance.now() - t0
  })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  let exited = false
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve() }))
  const deadline = Date.now() + 30_000
  const give = (): boolean => exited || Date.now() > deadline
  try {
    const [health, info] = await Promise.all([
      poll(`${url}/api/health`, t0, () => true, give),
      poll(`${url}/api/session/info`, t0, (status) => status === 200, give)
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

await start() // one start to fill the OS file cache, as every later start of an installed server has it
const starts: Start[] = []
for (let i = 0; i < STARTS; i++) starts.push(await start())
const figure = median(starts.map((s) => s.healthMs))
report({
  name: 'p5-startup',
  figure: Math.round(figure),
  unit: 'ms to first /api/health answer',
  target: `≤ ${TARGET_MS}`,
  pass: figure <= TARGET_MS,
  details: {
    starts: STARTS,
    medianMs: { listening: Math.round(median(starts.map((s) => s.listeningMs))), health: Math.round(figure), sessionInfo200: Math.round(median(starts.map((s) => s.sessionInfoMs))) },
    healthMs: starts.map((s) => round(s.healthMs, 0)),
    healthStatus: starts[0]?.healthStatus,
    distCurrent: current,
    quick: QUICK,
    ...machine()
  }
})
if (figure > TARGET_MS) process.exitCode = 1
