import { spawn } from 'node:child_process'
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import type { Scenario } from '../server/src/simulator/state.ts'

export const REPO = fileURLToPath(new URL('..', import.meta.url))
const RESULTS = join(REPO, 'bench', 'results')

export interface SimulatorProcess {
  host: string
  port: number
  ca: string
  appUser: string
  appPassword: string
  /** PUT or POST to the simulator's admin API (faults, policy, state). */
  admin: (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) => Promise<unknown>
  stop: () => Promise<void>
}

export interface ScriptProcess {
  /** What the script printed until it was ready. */
  output: string
  pid: number
  stop: () => Promise<void>
}

/**
 * A TypeScript file of the repo in its own node process (through tsx, from source), ready once
 * its stdout matches `ready`. `env` replaces the environment when given.
 */
export async function startScript (file: string, args: string[], ready: RegExp, options: { nodeArgs?: string[], env?: Record<string, string> } = {}): Promise<ScriptProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--conditions=@em-console/source', '--import', import.meta.resolve('tsx'), join(REPO, file), ...args], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (ready.test(output)) resolve()
    })
    child.once('exit', () => reject(new Error(`${file} exited during start:\n${output}`)))
  })
  return {
    output,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }
}

/**
 * The simulator in its own process, as CUCM would be: it gets the second core, so the figures
 * measure EM Console, not the simulator competing with it for one event loop.
 */
export async function startSimulatorProcess (scenario: Scenario | undefined, settings: { maxConcurrent?: number, latencyMs?: number }): Promise<SimulatorProcess> {
  const args = ['--port', '0']
  const scenarioFile = join(tmpdir(), `em-console-bench-scenario-${process.pid}.json`)
  if (scenario !== undefined) {
    writeFileSync(scenarioFile, JSON.stringify(scenario))
    args.push('--scenario', scenarioFile)
  }
  const nodeArgs = process.env.BENCH_PROFILE_SIMULATOR === '1' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []
  // The simulator has read its scenario once it is ready, or failed to start: either way the file has served.
  const simulator = await startScript('server/src/simulator/main.ts', args, /admin API/, { nodeArgs }).finally(() => rmSync(scenarioFile, { force: true }))
  const { output } = simulator
  const origin = /listening on (https:\/\/[^/]+)/.exec(output)?.[1] ?? ''
  const url = new URL(origin)
  const caFile = /CA file:\s+(\S+)/.exec(output)?.[1] ?? ''
  const ca = readFileSync(caFile, 'utf8')
  const dispatcher = new Agent({ connect: { ca } })
  const admin = async (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const res = await request(`${origin}/__simulator/${path}`, { method, dispatcher, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.body.text()
    if (res.statusCode >= 400) throw new Error(`simulator ${path}: ${res.statusCode} ${text}`)
    return text === '' ? undefined : JSON.parse(text)
  }
  if (settings.maxConcurrent !== undefined) await admin('PUT', 'policy', { maxConcurrent: settings.maxConcurrent })
  if (settings.latencyMs !== undefined) await admin('PUT', 'faults', { latencyMs: settings.latencyMs, jitterMs: 0 })
  return {
    host: url.hostname,
    port: Number(url.port),
    ca,
    appUser: /application user:\s+(\S+)/.exec(output)?.[1] ?? '',
    appPassword: /password:\s+(\S+)/.exec(output)?.[1] ?? '',
    admin,
    stop: async () => {
      await dispatcher.close()
      await simulator.stop()
    }
  }
}

export interface Figure {
  name: string
  figure: number
  unit: string
  target: string
  pass: boolean
  details?: Record<string, unknown>
}

/** Prints the figure with its target and PASS/FAIL, and appends it as a JSON line to bench/results/. */
export function report (figure: Figure): void {
  mkdirSync(RESULTS, { recursive: true })
  const line = { ...figure, at: new Date().toISOString(), commit: gitCommit(), node: process.version }
  appendFileSync(join(RESULTS, `${figure.name}.jsonl`), JSON.stringify(line) + '\n')
  console.log(`${figure.name}: ${figure.figure} ${figure.unit} (target ${figure.target}) ${figure.pass ? 'PASS' : 'FAIL'}`)
  if (figure.details !== undefined) console.log(`  ${JSON.stringify(figure.details)}`)
}

function gitCommit (): string {
  try {
    const head = readFileSync(join(REPO, '.git', 'HEAD'), 'utf8').trim()
    return head.startsWith('ref: ') ? readFileSync(join(REPO, '.git', head.slice(5)), 'utf8').trim().slice(0, 12) : head.slice(0, 12)
  } catch {
    return 'unknown'
  }
}

export function percentile (sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

// ---------------------------------------------------------------------------------------------
// Helpers for the server-as-a-child-process figures (P1, P3's export, P4, P5, load).

const SERVER_BUNDLE = join(REPO, 'server', 'bundle', 'server.js')

/** Newest modification time of the files with that suffix under a folder (0 when it has none). */
function newestMtime (dir: string, suffix: string): number {
  if (!existsSync(dir)) return 0
  let newest = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix)) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/**
 * Whether server/dist (and shared/dist, which it imports) is at least as new as the source it was
 * built from, and the bundle that runs (server/bundle) as new as server/dist. A stale build would
 * measure yesterday's code.
 */
export function distIsCurrent (): boolean {
  if (!existsSync(SERVER_BUNDLE) || statSync(SERVER_BUNDLE).mtimeMs < newestMtime(join(REPO, 'server', 'dist'), '.js')) return false
  return ['server', 'shared'].every((project) => {
    // tsc -b rewrites only the outputs that changed, but its build info on every build.
    const buildInfo = join(REPO, project, 'tsconfig.tsbuildinfo')
    const built = Math.max(newestMtime(join(REPO, project, 'dist'), '.js'), existsSync(buildInfo) ? statSync(buildInfo).mtimeMs : 0)
    return built >= newestMtime(join(REPO, project, 'src'), '.ts')
  })
}

/** The node arguments that start the server: the build when it is current, else the source through tsx. */
function serverCommand (prefer: 'auto' | 'dist' = 'auto'): { args: string[], entry: 'dist' | 'source' } {
  if (prefer === 'dist' || distIsCurrent()) return { args: [SERVER_BUNDLE], entry: 'dist' }
  return { args: ['--conditions=@em-console/source', '--import', import.meta.resolve('tsx'), join(REPO, 'server', 'src', 'server.ts')], entry: 'source' }
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface ServerProcess {
  url: string
  pid: number
  entry: 'dist' | 'source'
  /** The temp folder the server runs in (cwd, database, log), removed by stop(). */
  work: string
  log: () => string
  /**
   * Resolves once the server has compiled every route's schemas in the background (its log says
   * so): a figure of steady service starts after it; the start-up itself is P5's and the limits'.
   */
  compiled: () => Promise<void>
  /** Resident set size of the server process, in bytes (VmRSS from /proc). */
  rss: () => number
  stop: () => Promise<void>
}

export const BENCH_ADMIN = { username: 'bench', password: 'measure-only-pass-2026' }

/**
 * The real server as a child process: node directly (never npm, STACK.md trap 9), in a temp
 * folder so no developer .env applies, with its log in a file so the bench does not spend CPU
 * reading it. Resolves once GET /api/session/info answers 200. BENCH_ADMIN is the first admin
 * unless env says otherwise; demo mode unless env sets CUCM_HOST.
 */
export async function startServer (env: Record<string, string>, options: { prefer?: 'auto' | 'dist', nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const work = mkdtempSync(join(tmpdir(), 'em-console-bench-server-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const logFile = join(work, 'server.log')
  const out = openSync(logFile, 'a')
  const { args, entry } = serverCommand(options.prefer)
  // BENCH_PROFILE_SERVER=1 writes a CPU profile of the server to /tmp/prof when it stops.
  const profile = process.env.BENCH_PROFILE_SERVER === '1' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []
  // BENCH_SERVER_NODE_ARGS="--trace-gc" and the like, for diagnosis; the log lands in the server's log file.
  profile.push(...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''))
  const child = spawn(process.execPath, [...profile, ...(options.nodeArgs ?? []), ...args], {
    cwd: work,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_PATH: join(work, 'em-console.db'),
      ADMIN_USERNAME: BENCH_ADMIN.username,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
      ...env
    },
    stdio: ['ignore', out, out]
  })
  closeSync(out)
  // Whatever happens to the bench, the server does not outlive it.
  const orphan = (): void => { child.kill('SIGKILL') }
  process.once('exit', orphan)
  const log = (): string => existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''
  let exit: string | undefined
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => { exit = `code ${code}, signal ${signal}`; resolve() }))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exit !== undefined) throw new Error(`server exited during start (${exit}):\n${log()}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not answer within 60 s:\n${log()}`)
    }
    try {
      const res = await request(`${url}/api/session/info`)
      await res.body.dump()
      if (res.statusCode === 200) break
    } catch {}
    await sleep(50)
  }
  const pid = child.pid ?? 0
  return {
    url,
    pid,
    entry,
    work,
    log,
    compiled: async () => {
      const until = Date.now() + 30_000
      while (!log().includes('Compiled the schemas of every route')) {
        if (Date.now() > until) throw new Error(`the server did not finish compiling its schemas within 30 s:\n${log()}`)
        await sleep(50)
      }
    },
    rss: () => processRss(pid),
    stop: async () => {
      process.off('exit', orphan)
      if (exit === undefined) {
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(killer)
      }
      if (process.env.BENCH_KEEP_SERVER_LOG === '1') console.log(`server log kept: ${logFile}`)
      else rmSync(work, { recursive: true, force: true })
    }
  }
}

/** Signs in over HTTP; returns the headers a script sends afterwards (session cookie and CSRF token). */
export async function signIn (url: string, username = BENCH_ADMIN.username, password = BENCH_ADMIN.password): Promise<{ cookie: string, 'x-csrf-token': string }> {
  const res = await request(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const text = await res.body.text()
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${text}`)
  const setCookie = res.headers['set-cookie']
  const first = Array.isArray(setCookie) ? setCookie.find((c) => c.startsWith('em_session=')) : setCookie
  const cookie = (first ?? '').split(';')[0] ?? ''
  const { csrfToken } = JSON.parse(text) as { csrfToken: string }
  return { cookie, 'x-csrf-token': csrfToken }
}

/** VmRSS of a process in bytes (0 once it has gone). */
export function processRss (pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match?.[1] === undefined ? 0 : Number(match[1]) * 1024
  } catch {
    return 0
  }
}

/** CPU time a process has used so far (user + system, all its threads), in ms; 0 once it has gone. */
export function processCpuMs (pid: number): number {
  try {
    // After the command's closing parenthesis: state is field 3, utime and stime fields 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

/** The simulator's CA as a file, for the server's CUCM_CA_FILE. */
export function simulatorEnv (sim: SimulatorProcess, dir: string): Record<string, string> {
  const caFile = join(dir, 'simulator-ca.pem')
  writeFileSync(caFile, sim.ca)
  return { CUCM_HOST: sim.host, CUCM_PORT: String(sim.port), CUCM_CA_FILE: caFile, CUCM_APP_USER: sim.appUser, CUCM_APP_PASSWORD: sim.appPassword }
}

export const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

export const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50)

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits))

/** BENCH_QUICK=1 shrinks every figure's workload, to check the scripts while developing (figures then mean little). */
export const QUICK = process.env.BENCH_QUICK === '1'

/** Load average and cores, recorded with figures taken on a machine that may not be quiet. */
export function machine (): { loadavg: number[], cpus: number } {
  return { loadavg: loadavg().map((l) => round(l, 2)), cpus: cpus().length }
}

/**
 * Things to undo when a script ends, newest first, whether it succeeded or threw: a failed start
 * must not leave a simulator or server process behind.
 */
export class Cleanup {
  readonly #tasks: Array<() => unknown> = []

  constructor () {
    // A closed stdout (`| head`) or Ctrl-C must still stop the child processes.
    process.stdout.on('error', () => {})
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => { this.run().finally(() => process.exit(130)).catch(() => {}) })
    }
  }

  add (task: () => unknown): void {
    this.#tasks.push(task)
  }

  async run (): Promise<void> {
    for (const task of this.#tasks.reverse()) {
      try {
        await task()
      } catch (error) {
        console.error(error)
      }
    }
    this.#tasks.length = 0
  }
}
