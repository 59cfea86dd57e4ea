import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { builtEntry, childProcesses } from './built.ts'

export interface CliResult {
  code: number | null
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  readerGone?: boolean
  /** Sends `signal` once `when()` holds (polled every 50 ms), as Ctrl-C, `timeout` or systemd would. */
  stopWith?: { signal: NodeJS.Signals, when: () => boolean }
  /**
   * Runs it bound by file permissions, as any user is: as root, without the capabilities that let
   * root write a read-only file (setpriv, util-linux), still as root, so it reads the repository
   * wherever it lies (a clone in /root included); as another user, as it is.
   */
  boundByPermissions?: boolean
}

/** Root's capabilities that pass over a file's permissions, dropped for a child (setpriv). */
const PERMISSION_OVERRIDES = '-dac_override,-dac_read_search,-fowner'

/**
 * Runs the built `em-console` as a child process (node directly), with only the given
 * environment, in `cwd`. stdin is a pipe, closed at once: not a terminal. At most two run at once.
 * With `readerGone`, stdout is closed at once too: every write of the command finds no reader (EPIPE).
 */
export async function runCli (args: string[], env: Record<string, string>, cwd: string, options: CliOptions = {}): Promise<CliResult> {
  return await childProcesses.run(async () => await run(args, env, cwd, options))
}

async function run (args: string[], env: Record<string, string>, cwd: string, options: CliOptions): Promise<CliResult> {
  const command = [process.execPath, builtEntry('cli.js'), ...args]
  const [file, ...rest] = options.boundByPermissions === true && process.getuid?.() === 0 ? ['setpriv', `--bounding-set=${PERMISSION_OVERRIDES}`, '--', ...command] : command
  const child = spawn(file ?? '', rest, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  child.stdin.end()
  // `readerGone`: nobody reads the output, as with `em-console history | head` once head has its lines.
  if (options.readerGone === true) child.stdout.destroy()
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  // A backstop for a hung command, far above what a command takes on a busy machine.
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
  const { stopWith } = options
  const watch = stopWith === undefined
    ? undefined
    : setInterval(() => {
      if (!stopWith.when()) return
      clearInterval(watch)
      child.kill(stopWith.signal)
    }, 50)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])))
  clearTimeout(timer)
  clearInterval(watch)
  return { code, signal, stdout, stderr }
}

/**
 * Runs the built `em-console` on a terminal, as a person does: a pseudo-terminal of util-linux's
 * `script`. Once the output shows `typed.after`, `typed.keys` are typed (Ctrl-C is "\x03"). The
 * exit code is the command's, 128 + its number when a signal ended it, as a shell reports it.
 */
export async function runCliOnTerminal (args: string[], env: Record<string, string>, cwd: string, typed: { after: string, keys: string }): Promise<{ code: number | null, output: string }> {
  return await childProcesses.run(async () => {
    const child = onTerminal(args, env, cwd)
    let output = ''
    let typedYet = false
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (typedYet || !output.includes(typed.after)) return
      typedYet = true
      child.stdin.write(typed.keys)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)))
    clearTimeout(timer)
    return { code, output }
  })
}

/** `script` running the built `em-console` on its pseudo-terminal. */
function onTerminal (args: string[], env: Record<string, string>, cwd: string): ChildProcessWithoutNullStreams {
  const quoted = [process.execPath, builtEntry('cli.js'), ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  return spawn('script', ['--quiet', '--return', '--command', quoted, '/dev/null'], { cwd, env: { PATH: process.env.PATH ?? '', SHELL: '/bin/sh', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
}

/**
 * Runs the built `em-console` on a terminal that closes once `when()` holds (polled every 50 ms),
 * as an ssh session that drops: `script` is killed, its pseudo-terminal hangs up (SIGHUP to the
 * command) and every later write of the command finds no terminal (EIO). Resolves once the
 * terminal is gone; the command may still be finishing.
 */
export async function runCliOnClosingTerminal (args: string[], env: Record<string, string>, cwd: string, when: () => boolean): Promise<void> {
  await childProcesses.run(async () => {
    const child = onTerminal(args, env, cwd)
    child.stdout.resume()
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    const watch = setInterval(() => {
      if (!when()) return
      clearInterval(watch)
      child.kill('SIGKILL')
    }, 50)
    await new Promise((resolve) => child.once('close', resolve))
    clearTimeout(timer)
    clearInterval(watch)
  })
}
