import { spawn, type ChildProcess } from 'node:child_process'

const EXIT_WITH_PARENT = new URL('./exit-with-parent.mjs', import.meta.url).href

/**
 * Runs `node script ...args` tied to this process: its stdin is a pipe from here, and
 * exit-with-parent.mjs stops it when that pipe ends, so a worker killed outright leaves nothing
 * running. `output` takes its stdout and stderr: a file descriptor, or 'pipe' to read them.
 */
export function spawnTiedNode (script: string, args: readonly string[], options: { cwd?: string, env?: NodeJS.ProcessEnv, output: number | 'pipe' }): ChildProcess {
  return spawn(process.execPath, ['--import', EXIT_WITH_PARENT, script, ...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', options.output, options.output] })
}

/** Stops a tied child as a person would: SIGTERM, then SIGKILL if it still runs 5 s later. */
export async function stopTiedChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
