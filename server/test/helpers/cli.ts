import { spawn } from 'node:child_process'
import { builtEntry, childProcesses } from './built.ts'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the built `em-console` as a child process (node directly), with only the given
 * environment, in `cwd`. stdin is a pipe, closed at once: not a terminal. At most two run at once.
 */
export async function runCli (args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  return await childProcesses.run(async () => await run(args, env, cwd))
}

async function run (args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, [builtEntry('cli.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  child.stdin.end()
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  // A backstop for a hung command, far above what a command takes on a busy machine.
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)))
  clearTimeout(timer)
  return { code, stdout, stderr }
}
