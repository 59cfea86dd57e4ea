import { silentLog, type Log } from '../log.js'
import type { Db } from './database.js'

interface Entry {
  write: () => unknown
  /** When the write was asked for: the time its rows record, however long it waited. */
  at: Date
  /** What the write is, for the log (never its values: they may hold user input). */
  label: string
  /** A deferred write's part of the database (reads of other parts need not wait for it). */
  scope?: string
  /** A committed write's caller waits for it; a deferred one has nobody waiting. */
  settle?: { resolve: (value: unknown) => void, reject: (error: unknown) => void }
  /** A deferred write that failed on its own with a non-transient error: retried rarely, logged once. */
  failedAlone?: boolean
}

export interface WriteQueueOptions {
  log?: Log
  /** The clock of the write times; the real one by default. */
  now?: () => Date
  /** The wait between attempts while a refusal is younger than the longest wait (jittered), and the longest (a refusal that long is logged). */
  retryMinMs?: number
  retryMaxMs?: number
  /** Told after every commit (the store's checkpointer); must not throw, as the commit is done. */
  afterCommit?: () => void
}

/**
 * The wait between attempts while a refusal is young. The other process on the database holds
 * its lock for a few milliseconds a commit and frees it for moments only between them (a server
 * writing its inventory chunk after chunk, a turn of its event loop apart): an attempt every
 * 10-30 ms (20, jittered) met such a moment about once in five tries: beside commits of 15 ms
 * 4 ms apart, a change waited ~60 ms where every 1-3 ms it waits ~10. A refused attempt costs
 * microseconds (BEGIN IMMEDIATE answers SQLITE_BUSY at once).
 */
export const RETRY_MIN_MS = 2

/** How long deferred writes may trail before they are committed together. */
const DEFER_MS = 10
/** Deferred writes committed at once when this many are queued. */
const BATCH_AT = 200

/**
 * SQLite errors of the database, not of the write: another connection holds the write lock (a CLI
 * command, a backup, an export), the disk is full or failing, the database became read-only (a
 * file system remounted so after disk errors, its file given to another user) or is damaged. They
 * hold back every write alike, so the queue is kept whole and retried with backoff, said once.
 * Everything else is a fault of the write itself.
 */
function isTransient (error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|NOMEM|PROTOCOL|READONLY|CORRUPT|NOTADB)/.test(code)
}

/**
 * The one writer of a database. Writes run in order, each batch in one IMMEDIATE transaction (a
 * commit per write costs more than the write, and a full-text segment each). A batch that fails
 * never throws from a timer: a transient failure keeps the whole queue and retries with backoff;
 * any other failure retries each write alone, so one bad write cannot hold back the rest. Nothing
 * is dropped: a write that cannot be committed stays queued, and a committed write's caller hears
 * of its failure.
 */
export class WriteQueue {
  readonly #db: Db
  readonly #log: Log
  readonly #retryMinMs: number
  readonly #retryMaxMs: number
  readonly #commitBatch: (entries: Entry[]) => unknown[]
  readonly #afterCommit: () => void
  #queue: Entry[] = []
  #deferTimer: NodeJS.Timeout | undefined
  #retryTimer: NodeJS.Timeout | undefined
  /** While the database refuses writes, attempts wait for the retry timer. */
  #waiting = false
  #backoffMs = 0
  #failingSince: number | undefined
  /** Whether this refusal was logged (one that passes within the longest retry wait is not). */
  #refusalLogged = false
  #lastError: string | undefined
  #closed = false
  /** A commit's attempt is on its way (at the end of this turn of the event loop). */
  #soon = false
  #writing: Date | undefined
  readonly #now: () => Date

  constructor (db: Db, options: WriteQueueOptions = {}) {
    this.#db = db
    this.#log = options.log ?? silentLog
    this.#retryMinMs = options.retryMinMs ?? RETRY_MIN_MS
    this.#retryMaxMs = options.retryMaxMs ?? 2000
    this.#now = options.now ?? (() => new Date())
    this.#afterCommit = options.afterCommit ?? (() => {})
    const batch = db.transaction((entries: Entry[]) => entries.map((e) => {
      this.#writing = e.at
      try {
        return e.write()
      } finally {
        this.#writing = undefined
      }
    }))
    this.#commitBatch = (entries) => {
      const results = batch.immediate(entries)
      this.#afterCommit()
      return results
    }
  }

  /**
   * Writes now, in order after everything queued; resolves once committed, rejects if the write
   * itself fails. The commits asked within one turn of the event loop share a transaction (a
   * logout-all of 30 clusters asks 30 at once, and their 30 answers arrive together): the attempt
   * runs once the turn's I/O callbacks are done.
   */
  async commit<T> (write: () => T, label: string): Promise<T> {
    if (this.#closed) throw new Error(`The database is closed: cannot write ${label}.`)
    return await new Promise<T>((resolve, reject) => {
      this.#queue.push({ write, label, at: this.#now(), settle: { resolve: resolve as (value: unknown) => void, reject } })
      if (this.#soon) return
      this.#soon = true
      setImmediate(() => {
        this.#soon = false
        this.#attempt()
      })
    })
  }

  /** Writes within a few milliseconds, committed together with its neighbours; `scope`: what it writes. */
  defer (write: () => void, label: string, scope: string): void {
    if (this.#closed) throw new Error(`The database is closed: cannot write ${label}.`)
    this.#queue.push({ write, label, at: this.#now(), scope })
    if (this.#queue.length >= BATCH_AT) this.#attempt()
    else this.#deferTimer ??= setTimeout(() => { this.#deferTimer = undefined; this.#attempt() }, DEFER_MS)
  }

  /** Commits what is queued, unless the database is refusing writes (then the retry timer will). */
  flush (): void {
    this.#attempt()
  }

  /**
   * Whether a read of `scope` must commit the queue first: it holds a write someone waits for, or
   * a deferred write of that scope.
   */
  holdsFor (scope: string): boolean {
    return this.#queue.some((e) => e.settle !== undefined || e.scope === scope)
  }

  /** The time of the write being committed, else the clock's: repositories stamp rows with it. */
  now (): Date {
    return this.#writing ?? this.#now()
  }

  get queued (): number {
    return this.#queue.length
  }

  /** Deferred writes queued (nobody waits for them). */
  get deferred (): number {
    return this.#queue.reduce((sum, e) => e.settle === undefined ? sum + 1 : sum, 0)
  }

  /** Whether writes are failing, since when and why (for health and tests). */
  get problem (): { since: string, error: string } | undefined {
    return this.#failingSince === undefined ? undefined : { since: new Date(this.#failingSince).toISOString(), error: this.#lastError ?? '' }
  }

  /**
   * Stops taking writes and commits what is queued, retrying until the deadline. Returns the labels
   * of the writes that could not be committed (logged as lost: the last resort).
   */
  async close (deadlineMs = 10_000): Promise<string[]> {
    this.#closed = true
    clearTimeout(this.#deferTimer)
    clearTimeout(this.#retryTimer)
    const until = Date.now() + deadlineMs
    for (let wait = this.#retryMinMs; ; wait = Math.min(wait * 2, this.#retryMaxMs)) {
      this.#waiting = false
      this.#attempt()
      clearTimeout(this.#retryTimer)
      if (this.#queue.length === 0 || Date.now() + wait > until) break
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
    const lost = this.#queue.map((e) => e.label)
    for (const entry of this.#queue) entry.settle?.reject(new Error(`The database closed before ${entry.label} could be written.`))
    if (lost.length > 0) this.#log.error({ lost: lost.length, writes: lost.slice(0, 20), error: this.#lastError }, 'Audit trail: writes could not be saved before the database closed')
    this.#queue = []
    return lost
  }

  #attempt (): void {
    if (this.#waiting || this.#queue.length === 0 || !this.#db.open) return
    clearTimeout(this.#deferTimer)
    this.#deferTimer = undefined
    // Writes that failed alone before go last and alone, so they cannot roll back the others.
    const ready = this.#queue.filter((e) => e.failedAlone !== true)
    try {
      if (ready.length > 0) {
        const results = this.#commitBatch(ready)
        this.#queue = this.#queue.filter((e) => e.failedAlone === true)
        ready.forEach((entry, i) => entry.settle?.resolve(results[i]))
      }
      this.#recovered()
      this.#retryFailedAlone()
    } catch (error) {
      if (isTransient(error)) this.#backOff(error)
      else this.#oneByOne()
    }
  }

  /** After a batch failed for a reason of its own: each write alone, in order. */
  #oneByOne (): void {
    const remaining: Entry[] = []
    let stopped: unknown
    for (const entry of this.#queue) {
      if (stopped !== undefined || entry.failedAlone === true) {
        remaining.push(entry)
        continue
      }
      try {
        const [result] = this.#commitBatch([entry])
        entry.settle?.resolve(result)
      } catch (error) {
        if (isTransient(error)) {
          stopped = error
          remaining.push(entry)
        } else if (entry.settle !== undefined) {
          // The caller is waiting: it gets the error and reports it (a 500, a failed run item).
          entry.settle.reject(error)
        } else {
          this.#log.error({ err: error, write: entry.label }, 'Audit trail: a write failed on its own; it stays queued and is retried')
          entry.failedAlone = true
          remaining.push(entry)
        }
      }
    }
    this.#queue = remaining
    if (stopped !== undefined) this.#backOff(stopped)
    else this.#retryLater()
  }

  /** Writes that failed alone are tried again only after everything else went through. */
  #retryFailedAlone (): void {
    if (!this.#queue.some((e) => e.failedAlone === true)) return
    const left: Entry[] = []
    for (const entry of this.#queue) {
      try {
        this.#commitBatch([entry])
      } catch {
        left.push(entry)
      }
    }
    this.#queue = left
    this.#retryLater()
  }

  /** A slow retry of writes that failed alone, which does not hold up new writes. */
  #retryLater (): void {
    if (this.#retryTimer !== undefined || !this.#queue.some((e) => e.failedAlone === true)) return
    this.#retryTimer = setTimeout(() => { this.#retryTimer = undefined; this.#attempt() }, this.#retryMaxMs)
    this.#retryTimer.unref()
  }

  #backOff (error: unknown): void {
    this.#failingSince ??= Date.now()
    this.#lastError = error instanceof Error ? error.message : String(error)
    // The other process on the database (the server beside a CLI command, and the other way round)
    // holds its lock for a commit now and then, a hundred times in a row while it refreshes its
    // inventory. A refusal younger than the longest wait is no fault: not logged (a CLI's "Note:"),
    // and retried soon however many times it was refused (doubled per refusal, the waits reached
    // 2 s and a CLI's logouts slowed to 1/60th beside a refreshing server). One that lasts (a
    // backup, a full disk) is logged once and retried ever less often. Jittered, so two processes'
    // attempts fall out of step.
    const lasting = Date.now() - this.#failingSince >= this.#retryMaxMs
    if (lasting && !this.#refusalLogged) {
      this.#refusalLogged = true
      // Another program's lock or the disk, no fault of ours: its code, not SQLite's stack.
      this.#log.warn({ code: (error as { code?: unknown }).code, queued: this.#queue.length }, `Audit trail: the database refuses writes (${this.#lastError}); they stay queued and are retried, and changes to CUCM wait for them`)
    }
    this.#backoffMs = lasting ? Math.min(Math.max(this.#backoffMs, this.#retryMinMs) * 2, this.#retryMaxMs) : this.#retryMinMs
    this.#waiting = true
    clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined
      this.#waiting = false
      this.#attempt()
    }, this.#backoffMs * (0.5 + Math.random()))
  }

  #recovered (): void {
    if (this.#failingSince === undefined) return
    if (this.#refusalLogged) this.#log.info({ afterMs: Date.now() - this.#failingSince }, 'Audit trail: the database takes writes again; every queued write is saved')
    this.#refusalLogged = false
    this.#failingSince = undefined
    this.#lastError = undefined
    this.#backoffMs = 0
  }
}
