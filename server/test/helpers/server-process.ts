import { spawn, type ChildProcess } from 'node:child_process'
import { builtEntry } from './built.ts'

export interface ServerProcess {
  url: string
  child: ChildProcess
  output: () => string
  stop: (signal?: NodeJS.Signals) => Promise<number | null>
}

const running = new Set<ServerProcess>()

/**
 * Kills every server a test started and did not stop: a failed assertion skips the test's own
 * stop, and a live child kept the test file from ever ending (a failure became a hang).
 */
export async function stopServerProcesses (): Promise<void> {
  await Promise.all([...running].map(async (server) => await server.stop('SIGKILL')))
}

/**
 * Starts the built server as a child process (node directly unless `command` says otherwise, so
 * killing it kills the server) and waits for the address it logs.
 */
export async function startServerProcess (env: Record<string, string>, cwd: string, command = [process.execPath, builtEntry('server.js')]): Promise<ServerProcess> {
  const [file = process.execPath, ...args] = command
  const child = spawn(file, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  // 'close', not 'exit': a process's exit can come before the end of its output is read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000)
    const check = (): void => {
      const match = /Server listening at (https?:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on('data', check)
    child.once('close', (code) => { clearTimeout(timer); reject(new Error(`server exited (code ${code}):\n${output}`)) })
  })
  const server: ServerProcess = {
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal)
      const code = await exited
      running.delete(server)
      return code
    }
  }
  running.add(server)
  return server
}

/** Signs in over HTTP; returns the headers a script sends afterwards (session cookie and CSRF token). */
export async function signIn (url: string, username: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const { csrfToken } = await res.json() as { csrfToken: string }
  return { cookie, 'x-csrf-token': csrfToken }
}
