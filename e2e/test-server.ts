import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Health, SignInInfo } from '@em-console/shared/schemas'
import { spawnTiedNode, stopTiedChild } from './tied-child.ts'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const SERVER = join(REPO, 'server', 'bundle', 'server.js')
const WEB = join(REPO, 'web', 'dist', 'index.html')

/** A demo-mode EM Console server of one Playwright worker, with its own database and simulators. */
export interface TestServer {
  baseUrl: string
  /** HQ's simulator first (the one the fault switch acts on), then the branch's. */
  simulatorUrls: string[]
  /** The server's process. */
  pid: number
  /** With `setup`: the one-time link to create the first admin, from the server's log. */
  setupUrl?: string
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder, unless E2E_KEEP_WORK is set. */
  stop: () => Promise<void>
}

/** Fails at once, before any worker starts, when the build the servers serve is missing. */
export function checkBuilt (): void {
  for (const file of [SERVER, WEB]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" at the repository root first.`)
  }
}

/** A port nothing listens on when looked at (another program may take it before it is used). */
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

/**
 * Whether process `pid` listens on TCP `port` of this machine: a listening socket of that port
 * among its open files (Linux's /proc); undefined where /proc cannot tell.
 */
export function listensOn (pid: number, port: number): boolean | undefined {
  let table: string
  let fds: string[]
  try {
    table = readFileSync('/proc/net/tcp', 'utf8')
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return undefined
  }
  // Fields: sl, local address (hex IP:port), remote, state (0A: LISTEN), ..., inode (the 10th).
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`
  const inodes = new Set(table.split('\n').slice(1).map((line) => line.trim().split(/\s+/)).filter((f) => f[1]?.endsWith(local) === true && f[3] === '0A').map((f) => f[9]))
  return fds.some((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '')
    } catch {
      return false
    }
  })
}

/**
 * Waits until the server answers; /api/session/info is the one status route open without a
 * session. An answer from another program on the port (the other worker's server, started on the
 * same port found free by both) is not this server's: it exits once it finds the port taken.
 */
async function waitForServer (url: string, log: string, exited: () => string | undefined, pid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  while (Date.now() < deadline) {
    const exit = exited()
    if (exit !== undefined) throw new Error(`The EM Console server exited during start (${exit}); see its log: ${log}`)
    try {
      // Bounded: a program that took the port and never answers must not hold the wait (fetch's own limit is 300 s).
      const response = await fetch(`${url}/api/session/info`, { signal: AbortSignal.timeout(2000) })
      if (response.ok && listensOn(pid, Number(new URL(url).port)) !== false) return
      last = response.ok ? 'another program answers on that port' : `HTTP ${response.status}`
    } catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`The EM Console server did not answer ${url}/api/session/info within ${timeoutMs} ms (${last}); log: ${log}`)
}

/**
 * Where the simulators inside the demo-mode server listen (their fault switches are there), read
 * from /api/health as the demo admin: health needs a session like every other API route.
 */
async function findSimulators (url: string): Promise<string[]> {
  const info = await (await fetch(`${url}/api/session/info`)).json() as SignInInfo
  if (info.demoCredentials === undefined) throw new Error('The server publishes no demo credentials: is it in demo mode?')
  const signIn = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(info.demoCredentials) })
  if (!signIn.ok) throw new Error(`Signing in as the demo admin failed: HTTP ${signIn.status} ${await signIn.text()}`)
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const csrfToken = (await signIn.json() as { csrfToken: string }).csrfToken
  const health = await (await fetch(`${url}/api/health`, { headers: { cookie } })).json() as Health
  await fetch(`${url}/api/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } })
  return health.clusters.map((cluster) => `https://${cluster.cucm.host}:${cluster.cucm.port}`)
}

/** The link the server logs when no account exists, once it listens (so perhaps after its first answer). */
async function findSetupUrl (log: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const link = /Create the first admin at (\S+#\/setup\?token=[\w-]+)/.exec(readFileSync(log, 'utf8'))?.[1]
    if (link !== undefined) return link
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`The server logged no setup link within ${timeoutMs} ms; see its log: ${log}`)
}

async function stop (child: ChildProcess, work: string): Promise<void> {
  await stopTiedChild(child)
  // E2E_KEEP_WORK keeps the folder (server log and database) for reading after a failed run.
  if (process.env.E2E_KEEP_WORK === undefined) rmSync(work, { recursive: true, force: true })
}

/** The port found free was taken before the server listened on it: the server said so and exited. */
class PortTaken extends Error {}

/** How many ports a start tries before it gives up. */
const START_ATTEMPTS = 3

/**
 * Starts the built server in demo mode (no CUCM_HOST: it runs its own simulators) on a free port
 * with a fresh database. It spawns `node` itself, not npm, so stop() signals the real process
 * (STACK.md trap 9), tied to this worker: it stops by itself if the worker is killed outright.
 * The work directory is a temp dir so a developer's .env cannot point the tests at a real CUCM.
 * A port is free when looked at, and can be taken before the server listens on it (the other
 * worker's server, simulators and Chromium open ports too): then it starts again on another.
 * `port`: picks the port to try (a free one by default).
 * `setup`: not in demo mode (its CUCM at a port nothing listens on) and without an account, for the
 * setup page: no simulators, and the link to create the first admin.
 */
export async function startTestServer ({ port: pick = freePort, setup = false }: { port?: () => Promise<number>, setup?: boolean } = {}): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await pick(), setup)
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === START_ATTEMPTS) throw error
    }
  }
}

async function startOn (port: number, setup: boolean): Promise<TestServer> {
  const work = mkdtempSync(join(tmpdir(), 'em-console-e2e-'))
  const baseUrl = `http://127.0.0.1:${port}`
  const log = join(work, 'server.log')
  const out = openSync(log, 'a')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_PATH: join(work, 'e2e.db'),
    SIMULATOR_PORT: '0',
    // Every journey signs in afresh, all from 127.0.0.1: the default of 10 sign-ins per IP per
    // minute would refuse the later ones (429). The limit itself is proven by the server's tests.
    SIGN_IN_PER_MINUTE: '1000',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    ...(setup ? { CUCM_HOST: '127.0.0.1', CUCM_PORT: String(await freePort()), CUCM_APP_USER: 'e2e', CUCM_APP_PASSWORD: 'e2e' } : {})
  }
  const child = spawnTiedNode(SERVER, [], { cwd: work, env, output: out })
  let exit: string | undefined
  child.once('exit', (code, signal) => { exit = `code ${code ?? '-'}, signal ${signal ?? '-'}` })
  if (child.pid === undefined) throw new Error('Could not start the EM Console server')
  try {
    await waitForServer(baseUrl, log, () => exit, child.pid)
    const stopping = async () => { await stop(child, work) }
    if (setup) return { baseUrl, simulatorUrls: [], pid: child.pid, setupUrl: await findSetupUrl(log), stop: stopping }
    return { baseUrl, simulatorUrls: await findSimulators(baseUrl), pid: child.pid, stop: stopping }
  } catch (error) {
    child.kill('SIGKILL')
    if (exit !== undefined && readFileSync(log, 'utf8').includes(`127.0.0.1:${port} is in use by another program`)) {
      await stop(child, work)
      throw new PortTaken(`127.0.0.1:${port} was taken before the server listened on it`)
    }
    throw error
  }
}
