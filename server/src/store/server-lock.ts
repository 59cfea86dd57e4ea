import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { ConfigError } from '../config.js'
import { isRunning } from '../processes.js'
import { makeDatabaseFolder } from './database.js'
import { folderRefusal, resolvedDatabasePath } from './database-path.js'

/** How often a running server touches its lock file, and when one untouched for longer is taken as a crashed server's. */
const HEARTBEAT_MS = 5_000
const STALE_MS = 30_000
/** A lock file younger than this that names no one is a server's, writing it. */
const STARTING_MS = 2_000

export interface ServerLock {
  release: () => void
}

interface Holder { pid: number, host: string }

/** Who holds the lock at `path`, and when it was last touched; undefined when it cannot be read. */
function holderOf (path: string): { holder: Holder | undefined, touchedMs: number } | undefined {
  let touchedMs: number
  try {
    touchedMs = statSync(path).mtimeMs
  } catch {
    return undefined
  }
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>
    const holder = typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? { pid: parsed.pid, host: parsed.host } : undefined
    return { holder, touchedMs }
  } catch {
    // Created, not written yet (a server starting this instant), or damaged.
    return { holder: undefined, touchedMs }
  }
}

/**
 * One server per database. A server marks what a stopped one left pending as interrupted when it
 * starts: a second server started on the database of a running one did so to the first one's live
 * rows, before it failed to listen. The lock is a file beside the database naming the server's
 * process; it is touched every few seconds, so the lock of a server that crashed (its process gone,
 * or the file untouched for half a minute, on another machine sharing the folder) is taken over.
 */
export function lockServer (databasePath: string): ServerLock {
  const me: Holder = { pid: process.pid, host: hostname() }
  // The database's folder is created at the first start (store/database.ts): the lock comes first.
  try {
    makeDatabaseFolder(databasePath)
  } catch (error) {
    throw folderRefusal(databasePath, error)
  }
  // Beside the file itself: a server given a link to a running one's database finds its lock.
  const path = `${resolvedDatabasePath(databasePath)}.server-lock`
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, JSON.stringify(me))
      closeSync(fd)
      const heartbeat = setInterval(() => {
        const now = new Date()
        try { utimesSync(path, now, now) } catch {}
      }, HEARTBEAT_MS)
      heartbeat.unref()
      return {
        release () {
          clearInterval(heartbeat)
          const current = holderOf(path)
          if (current?.holder?.pid === me.pid && current.holder.host === me.host) rmSync(path, { force: true })
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw folderRefusal(databasePath, error)
      const current = holderOf(path)
      const holder = current?.holder
      const touchedAgoMs = Date.now() - (current?.touchedMs ?? 0)
      if (holder === undefined && touchedAgoMs < STARTING_MS) {
        throw new ConfigError('DATABASE_PATH', `another EM Console server is starting on ${databasePath} at this moment (its lock ${path} is being written).`)
      }
      // A live server touches its lock every few seconds; on this host its process must run too
      // (after a reboot the number may name another program, but the file is old).
      const alive = holder !== undefined && holder.pid !== me.pid && touchedAgoMs < STALE_MS && (holder.host !== me.host || isRunning(holder.pid))
      if (alive) {
        throw new ConfigError('DATABASE_PATH', `another EM Console server (process ${holder.pid} on ${holder.host}) is running on ${databasePath}. Stop it first, or give this server its own DATABASE_PATH (and PORT). If no server runs, delete ${path}.`)
      }
      // A crashed server's lock (or this very process's, in tests) is taken over: moved aside
      // first, so that of two servers starting at once only one moves the file it judged.
      const aside = `${path}.${me.pid}`
      try {
        renameSync(path, aside)
      } catch (moved) {
        if ((moved as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw folderRefusal(databasePath, moved)
      }
      const judged = holderOf(aside)
      if (judged?.touchedMs !== current?.touchedMs || judged?.holder?.pid !== holder?.pid) {
        // Another server took it over between the look and the move: its fresh lock goes back.
        renameSync(aside, path)
        continue
      }
      rmSync(aside, { force: true })
    }
  }
  throw new ConfigError('DATABASE_PATH', `the lock ${path} could not be taken: another server may be starting on ${databasePath} at the same moment.`)
}
