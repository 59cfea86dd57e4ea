import { spawn } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
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

/**
 * The simulator in its own process, as CUCM would be: it gets the second core, so the figures
 * measure EM Console, not the simulator competing with it for one event loop.
 */
export async function startSimulatorProcess (scenario: Scenario | undefined, settings: { maxConcurrent?: number, latencyMs?: number }): Promise<SimulatorProcess> {
  const args = [...(process.env.BENCH_PROFILE_SIMULATOR === '1' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--conditions=@em-console/source', '--import', import.meta.resolve('tsx'), join(REPO, 'server/src/simulator/main.ts'), '--port', '0']
  if (scenario !== undefined) {
    const file = join(tmpdir(), `em-console-bench-scenario-${process.pid}.json`)
    writeFileSync(file, JSON.stringify(scenario))
    args.push('--scenario', file)
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('admin API')) resolve()
    })
    child.once('exit', () => reject(new Error(`simulator exited:\n${output}`)))
  })
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
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
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
