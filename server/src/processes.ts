import { hostname, uptime } from 'node:os'

/** Whether process `pid` of this machine still runs (EPERM: it does, as another OS user). */
export function isRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Drops the writes to `stream` once its reader has gone (EPIPE: `em-console history | head`) or its
 * terminal has closed (EIO, beside its SIGHUP: an ssh session dropped): what was asked still
 * finishes, or stops, and is audited. Any other write error is thrown.
 */
export function dropWritesOnceClosed (stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error })
}

/** This process as pending audit rows and running runs name their writer (migration 014). */
export const THIS_PROCESS = `${hostname()}:${process.pid}`

/** The machine and process an owner names; undefined for none (rows older than owners). */
function ownerOf (owner: string | null): { host: string, pid: number } | undefined {
  const at = owner?.lastIndexOf(':') ?? -1
  if (owner == null || at < 0) return undefined
  const pid = Number(owner.slice(at + 1))
  return Number.isSafeInteger(pid) && pid > 0 ? { host: owner.slice(0, at), pid } : undefined
}

/** How far before this machine's start a row must be for its writer to be taken as gone (a clock set at boot). */
const BOOT_SLACK_MS = 10_000

/**
 * Whether the process numbered `pid` that wrote a row at `writtenAt` (ISO) still runs. Numbers
 * start over at each boot: a row written before this machine started names a process that is gone,
 * whatever program has its number now (a server or a command cut short by a crash or a power cut:
 * its rows stayed pending, its run running, as long as that program ran).
 */
function writerRuns (pid: number, writtenAt: string | null): boolean {
  const written = writtenAt === null ? Number.NaN : Date.parse(writtenAt)
  if (written < Date.now() - uptime() * 1000 - BOOT_SLACK_MS) return false
  return isRunning(pid)
}

/**
 * Whether `owner` is another process of this machine that still runs: a CLI command beside the
 * server, whose pending work a starting server leaves alone. A row of none, of this very process
 * (a restart within it) or of another machine cannot be live work here: no. `writtenAt`: when
 * the row was written.
 */
export function otherLiveProcess (owner: string | null, writtenAt: string | null): boolean {
  const named = ownerOf(owner)
  return named !== undefined && named.host === hostname() && named.pid !== process.pid && writerRuns(named.pid, writtenAt)
}

/** Whether `owner` is a process of this machine that is gone (killed, crashed): its pending work will never end. `writtenAt`: when the row was written. */
export function goneHere (owner: string | null, writtenAt: string | null): boolean {
  const named = ownerOf(owner)
  return named !== undefined && named.host === hostname() && named.pid !== process.pid && !writerRuns(named.pid, writtenAt)
}
