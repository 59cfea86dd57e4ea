import { createRequire } from 'node:module'
import type { Worker } from 'node:worker_threads'
import type { Log } from '../log.js'
import { driverAddon, type Db } from './database.js'

/**
 * A checkpoint is asked for after this many commits (a few megabytes of log), or with the first
 * commit a second or more after the last checkpoint (a few large commits: an inventory refresh).
 * The thread starts with the first checkpoint; a store closed before never starts it.
 */
const EVERY_COMMITS = 50
const EVERY_MS = 1000
/**
 * The database's own checkpoint threshold while the thread keeps the log short: a safety net it
 * does not reach (50 commits of a bulk run write ~750 pages).
 */
export const SAFETY_NET_PAGES = 10_000
const SQLITE_DEFAULT_PAGES = 1000

/**
 * The thread's whole program: its own connection, a PASSIVE checkpoint per message (it never waits
 * for the writer or the readers, and they never wait for it). Plain CommonJS, evaluated as is, so
 * it runs the same from the sources, the compiled files and the bundle.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { fileMustExist: true, nativeBinding: workerData.addon })
db.pragma('synchronous = NORMAL')
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close()
    parentPort.close()
    return
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({})
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) })
  }
})
`

/**
 * Checkpoints the WAL on a thread of its own. A checkpoint copies the WAL into the database and
 * syncs both files to disk: done by the connection that commits, as SQLite does by default, it
 * stalls the event loop for milliseconds every thousand pages, about half of what a change's two
 * commits cost (a 2,000-device run: 1.07 × the bare client with it, 1.01 × without; issue #14, P2).
 * Started by the first commit it is needed for; should the thread fail, the database goes back to
 * checkpointing itself, and nothing is lost either way (the WAL holds every commit until copied).
 */
export class Checkpointer {
  readonly #db: Db
  readonly #path: string
  readonly #log: Log
  #worker: Worker | undefined
  #failed = false
  #closed = false
  #inFlight = false
  /** Commits since the last checkpoint began. */
  #commits = 0
  #last = Date.now()
  #reported = false
  #done = 0
  /** Checkpoints asked of the thread, and answered by it. */
  #asked = 0
  #answered = 0

  constructor (db: Db, path: string, log: Log) {
    this.#db = db
    this.#path = path
    this.#log = log
    db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`)
  }

  /** After each commit: asks the thread for a checkpoint when one is due and none is running. Never throws. */
  committed (): void {
    this.#commits++
    this.#checkpointIfDue()
  }

  /** How many checkpoints the thread has made. */
  get checkpoints (): number {
    return this.#done
  }

  /**
   * Changes whenever a checkpoint is asked for or ends, and is odd while one runs. A checkpoint
   * can change what PRAGMA data_version reads, as another connection's commit does: the store
   * tells them apart by this.
   */
  get activity (): number {
    return this.#asked + this.#answered
  }

  /** Stops the thread (after its checkpoint in progress) and closes its connection. */
  async close (): Promise<void> {
    this.#closed = true
    const worker = this.#worker
    if (worker === undefined) return
    this.#worker = undefined
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    // Unreferenced, it would not keep a process alive that has nothing else left to wait for.
    worker.ref()
    worker.postMessage('close')
    await exited
  }

  #checkpointIfDue (): void {
    if (this.#inFlight || this.#closed || this.#failed || this.#commits === 0) return
    if (this.#commits < EVERY_COMMITS && Date.now() - this.#last < EVERY_MS) return
    this.#commits = 0
    this.#last = Date.now()
    this.#inFlight = true
    // Asked before the thread may fail to start: its failure counts it answered (activity even).
    this.#asked++
    // Called after a commit: a thread that cannot start must not look like a failed commit.
    try {
      this.#start().postMessage('checkpoint')
    } catch (error) {
      this.#fail(error instanceof Error ? error : new Error(String(error)))
    }
  }

  #start (): Worker {
    if (this.#worker !== undefined) return this.#worker
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    // Loaded when the thread starts: a command that checkpoints inline never pays for it (bench:cli).
    const { Worker } = process.getBuiltinModule('node:worker_threads')
    const worker = new Worker(WORKER, { eval: true, workerData: { driver, addon: driverAddon(), path: this.#path }, execArgv: [] })
    worker.unref()
    worker.on('message', (result: { error?: string }) => {
      this.#inFlight = false
      this.#answered++
      if (result.error === undefined) this.#done++
      else if (!this.#reported) {
        this.#reported = true
        this.#log.warn({ error: result.error }, 'Audit trail: a checkpoint of the database\'s write-ahead log failed; it is tried again')
      }
      this.#checkpointIfDue()
    })
    worker.on('error', (error) => { this.#fail(error) })
    worker.on('exit', () => { if (!this.#closed) this.#fail(new Error('the checkpoint thread stopped')) })
    this.#worker = worker
    return worker
  }

  /** The thread is gone: the database checkpoints itself again, as SQLite does by default. */
  #fail (error: Error): void {
    if (this.#failed || this.#closed) return
    this.#failed = true
    // A checkpoint that will never answer ends here (activity even again).
    if (this.#inFlight) this.#answered++
    this.#inFlight = false
    this.#worker = undefined
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`)
    this.#log.warn({ err: error }, 'Audit trail: the checkpoint thread failed; the database checkpoints its write-ahead log itself from now on')
  }
}
