/**
 * bench:cli (issue #14): the whole process of `node server/bundle/cli.js logout-all --yes`, from
 * spawn to exit, against the simulator in its own process at 5 ms service latency, side by side
 * with cli-floor.mjs, which does only the old tool's job (one HTTPS POST of logoutAll with
 * node's https module). Interleaved pairs after a warm-up, so a busy machine slows both sides.
 * Figures: the median of the pairs' ratios, wall time ≤ 2.0 × the floor and peak RSS ≤ 1.6 ×
 * (1.5 × on both is the goal beyond). Both sides verify TLS against the simulator's CA (checked:
 * a wrong CA must fail them), and every CLI run must have written its audit row. The CLI's first
 * run writes its code cache (server/src/cli/code-cache.ts), as a nightly job's first night does:
 * that run is the warm-up, its figures kept in the details (firstRun).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { generate } from 'selfsigned'
import { cacheName } from '../server/src/cli/code-cache.ts'
import { Cleanup, distIsCurrent, machine, median, QUICK, REPO, report, round, simulatorEnv, startSimulatorProcess } from './lib.ts'

const PAIRS = QUICK ? 3 : 15
const WARM_UP_PAIRS = 1
const LATENCY_MS = 5
const WALL_TARGET = 2.0
const RSS_TARGET = 1.6
const GOAL = 1.5
const CLI = join(REPO, 'server', 'bundle', 'cli.js')
const PROGRAM = join(REPO, 'server', 'bundle', 'cli-program.cjs')
const FLOOR = join(REPO, 'bench', 'cli-floor.mjs')
const TIME = '/usr/bin/time'
// GNU time reports the child's peak RSS from wait4(); without it, a preload reports the process's
// own (the same getrusage figure). BENCH_CLI_RSS=preload forces the second, to compare them.
const RSS_METHOD = process.env.BENCH_CLI_RSS === 'preload' || !existsSync(TIME) ? 'preload' : 'time'

interface Measured { wallMs: number, rssKb: number, cpuMs: number, code: number | null, output: string }

/** Runs `node <script> ...args` to its exit; wall time from spawn to exit, peak RSS and CPU from getrusage. */
async function measure (script: string, args: string[], env: Record<string, string>, cwd: string): Promise<Measured> {
  const usageFile = join(cwd, 'rusage.txt')
  rmSync(usageFile, { force: true })
  const node = [process.execPath, script, ...args]
  const [command, ...argv] = RSS_METHOD === 'time'
    ? [TIME, '-o', usageFile, '-f', '%M %U %S', ...node]
    : [process.execPath, '--import', join(REPO, 'bench', 'rusage-preload.mjs'), script, ...args]
  const started = performance.now()
  const child = spawn(command ?? '', argv, { cwd, env: { ...env, BENCH_RUSAGE_FILE: usageFile }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  // 'close' (all output read) may come in the same tick as 'exit': listen for both at once.
  const closed = new Promise((resolve) => child.once('close', resolve))
  const code = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const wallMs = performance.now() - started
  await closed
  // GNU time puts "Command exited with non-zero status N" before the figures: take the last line.
  const usage = existsSync(usageFile) ? readFileSync(usageFile, 'utf8').trim().split('\n').at(-1) ?? '' : ''
  const [rssKb, user, system] = usage.split(' ').map(Number)
  return { wallMs, rssKb: rssKb ?? Number.NaN, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000, code, output }
}

function check (ok: boolean, what: string, run: Measured): void {
  if (!ok) throw new Error(`${what} (exit code ${run.code}):\n${run.output}`)
}

if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run "npm run build" first.`)
  process.exit(2)
}
const current = distIsCurrent()
if (!current) console.warn('warning: server/dist is older than server/src or shared/src; run "npm run build" to measure the current code.')

const cleanup = new Cleanup()
try {
  const sim = await startSimulatorProcess(undefined, { latencyMs: LATENCY_MS })
  cleanup.add(sim.stop)
  const scratch = mkdtempSync(join(tmpdir(), 'em-console-bench-cli-'))
  cleanup.add(() => rmSync(scratch, { recursive: true, force: true }))
  const database = join(scratch, 'em-console.db')
  // Only these: run in a temp folder (no .env there), TLS verified against the simulator's CA.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...simulatorEnv(sim, scratch), DATABASE_PATH: database }
  const cli = async (environment = env): Promise<Measured> => await measure(CLI, ['logout-all', '--yes'], environment, scratch)
  const floor = async (environment = env): Promise<Measured> => await measure(FLOOR, [], environment, scratch)

  // Both sides verify TLS: with a CA that did not sign the simulator's certificate, both fail.
  const stranger = await generate([{ name: 'commonName', value: 'Not the simulator' }], { keyType: 'ec', algorithm: 'sha256' })
  const wrongCa = join(scratch, 'wrong-ca.pem')
  writeFileSync(wrongCa, stranger.cert)
  for (const [side, run] of [['CLI', cli], ['floor', floor]] as const) {
    const refused = await run({ ...env, CUCM_CA_FILE: wrongCa })
    check(refused.code !== 0, `the ${side} accepted a certificate that its CA file did not sign`, refused)
  }

  // The CLI runs its program from V8's code cache (server/src/cli/code-cache.ts), which its first
  // run of a command writes: that run is the warm-up's, and its figure is kept (firstRun).
  const { prefix } = cacheName(PROGRAM, 'logout-all')
  for (const file of readdirSync(dirname(PROGRAM))) if (file.startsWith(prefix)) rmSync(join(dirname(PROGRAM), file))
  const pairs: Array<{ cli: Measured, floor: Measured }> = []
  const warmUps: Array<{ cli: Measured, floor: Measured }> = []
  let cliRuns = 0
  for (let i = 0; i < WARM_UP_PAIRS + PAIRS; i++) {
    // Alternate which side goes first, so neither always follows the other's tail.
    const cliFirst = i % 2 === 0
    const first = await (cliFirst ? cli() : floor())
    const second = await (cliFirst ? floor() : cli())
    const pair = cliFirst ? { cli: first, floor: second } : { cli: second, floor: first }
    cliRuns++
    // Its success is checked in the audit trail below, whatever words it prints.
    check(pair.cli.code === 0, 'the CLI did not log everyone out', pair.cli)
    check(pair.floor.code === 0 && pair.floor.output.includes('HTTP 200'), 'the floor script did not log everyone out', pair.floor)
    check(Number.isFinite(pair.cli.rssKb) && Number.isFinite(pair.floor.rssKb), 'no peak RSS was reported', pair.cli)
    if (i < WARM_UP_PAIRS) warmUps.push(pair)
    else pairs.push(pair)
  }

  // A CLI that skips its audit row must not pass: one logout-all row, success, per CLI run.
  const db = new Database(database, { readonly: true, fileMustExist: true })
  const audited = (db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'logout-all' AND trigger = 'cli' AND outcome = 'success'").get() as { n: number }).n
  db.close()
  if (audited !== cliRuns) throw new Error(`the CLI ran logout-all ${cliRuns} times but the audit trail has ${audited} successful logout-all rows`)

  const sides = (pick: (m: Measured) => number): { cli: number, floor: number, ratio: number } => ({
    cli: median(pairs.map((p) => pick(p.cli))),
    floor: median(pairs.map((p) => pick(p.floor))),
    ratio: median(pairs.map((p) => pick(p.cli) / pick(p.floor)))
  })
  const wall = sides((m) => m.wallMs)
  const rss = sides((m) => m.rssKb)
  const cpu = sides((m) => m.cpuMs)
  const details = {
    pairs: PAIRS,
    latencyMs: LATENCY_MS,
    medianWallMs: { cli: Math.round(wall.cli), floor: Math.round(wall.floor) },
    medianPeakRssMb: { cli: round(rss.cli / 1024), floor: round(rss.floor / 1024) },
    medianCpuMs: { cli: Math.round(cpu.cli), floor: Math.round(cpu.floor), ratio: round(cpu.ratio, 2) },
    wallRatios: pairs.map((p) => round(p.cli.wallMs / p.floor.wallMs, 2)),
    firstRun: warmUps.slice(0, 1).map((p) => ({ cliWallMs: Math.round(p.cli.wallMs), floorWallMs: Math.round(p.floor.wallMs), wallRatio: round(p.cli.wallMs / p.floor.wallMs, 2) }))[0],
    auditRows: audited,
    rssMethod: RSS_METHOD === 'time' ? '/usr/bin/time %M' : 'preload process.resourceUsage().maxRSS',
    distCurrent: current,
    quick: QUICK,
    ...machine()
  }
  const goal = (ratio: number): string => `goal ≤ ${GOAL} ${ratio <= GOAL ? 'met' : 'not met'}`
  report({ name: 'cli-logout-all-wall', figure: round(wall.ratio, 2), unit: '× floor', target: `≤ ${WALL_TARGET.toFixed(1)}, ${goal(wall.ratio)}`, pass: wall.ratio <= WALL_TARGET, details })
  report({ name: 'cli-logout-all-rss', figure: round(rss.ratio, 2), unit: '× floor', target: `≤ ${RSS_TARGET.toFixed(1)}, ${goal(rss.ratio)}`, pass: rss.ratio <= RSS_TARGET, details })
  if (wall.ratio > WALL_TARGET || rss.ratio > RSS_TARGET) process.exitCode = 1
} finally {
  await cleanup.run()
}
