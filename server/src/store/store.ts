import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { createAuditRepository } from '../audit/audit-repository.js'
import { createAccountsRepository } from '../auth/accounts-repository.js'
import { createSessionsRepository } from '../auth/sessions-repository.js'
import { createClusterRepository } from '../clusters/cluster-repository.js'
import { createInventoryRepository } from '../inventory/inventory-repository.js'
import { createRunRepository } from '../runs/run-repository.js'
import { createScheduleRepository } from '../schedules/schedule-repository.js'
import { Checkpointer } from './checkpointer.js'
import { openDatabase, type Db, type SchemaVersions } from './database.js'
import { createSettingsRepository } from './settings-repository.js'
import { silentLog, type Log } from '../log.js'
import { RETRY_MIN_MS, WriteQueue, type WriteQueueOptions } from './write-queue.js'

function createRepositories (db: Db, now: () => Date) {
  return {
    audit: createAuditRepository(db, now),
    runs: createRunRepository(db, now),
    schedules: createScheduleRepository(db, now),
    accounts: createAccountsRepository(db, now),
    sessions: createSessionsRepository(db),
    settings: createSettingsRepository(db),
    clusters: createClusterRepository(db, now),
    inventory: createInventoryRepository(db, now)
  }
}

type Repositories = ReturnType<typeof createRepositories>
export type Reads = { readonly [K in keyof Repositories]: Repositories[K]['reads'] }
/** What a write sees: every repository, reads and writes, inside one transaction. */
export type Writes = { readonly [K in keyof Repositories]: Repositories[K]['reads'] & Repositories[K]['writes'] }

export interface StoreOptions extends Omit<WriteQueueOptions, 'log' | 'afterCommit'> {
  path: string
  log?: Log
  /**
   * `background`: a thread checkpoints the write-ahead log, so commits never wait for a sync to
   * disk (a server, a long command); `inline`: SQLite's default (a one-shot command, which would
   * spend more starting a thread than it saves).
   */
  checkpoints?: 'background' | 'inline'
  /** How long closing waits for a database that refuses writes (10 s by default). */
  closeDeadlineMs?: number
  /** Deferred writes that may wait for a database that refuses writes (see `Store.backlogged`). */
  deferredKept?: number
}

/** Deferred writes that may wait for a database that refuses writes, by default (look-ups: a few KB each). */
const DEFERRED_KEPT = 10_000

/**
 * Another connection writes to the database while one of its commits is younger than this (a CLI
 * command's changes beside the server, or the other way round).
 */
const OTHERS_WRITING_MS = 1000
/**
 * The lock left free between many writes in a row while another connection writes: longer than
 * its wait between attempts (RETRY_MIN_MS, jittered up to 1.5 ×), with room for a late timer.
 */
const LOCK_LEFT_FREE_MS = RETRY_MIN_MS * 2 + 1

/** How often `writtenUnlessRefused` looks whether the database refuses writes. */
const REFUSED_CHECK_MS = 50
/**
 * How long writes must have been refused for `writtenUnlessRefused` to give up on them: another
 * program's commit holds the lock for a moment (a CLI command beside the server), not this long.
 */
const REFUSED_FOR_MS = 1000

/** Reads kept by key while the database still holds what they read (see `Store.remember`). */
export interface Remembered<T> {
  /** The answer kept for `key`, or `read()`'s, kept for next time. */
  get: (key: string, read: () => T) => T
}

export interface StoreHealth {
  queued: number
  /** Set while the database refuses writes. */
  problem?: { since: string, error: string }
}

/**
 * The one owner of the SQLite database: it opens it, owns every repository and the write queue,
 * and closes last. Reads go through it and see every write asked for before them (what they could
 * see is committed first). Writes are either committed before the caller goes on (`write`: changes to
 * CUCM and everything a person did) or may trail by a few milliseconds (`later`: look-ups).
 */
export interface Store extends Reads {
  /** Commits `change` in order after every queued write; resolves with its result once on disk. */
  write: <T>(change: (w: Writes) => T, label: string) => Promise<T>
  /**
   * Commits `change` to one repository within a few milliseconds, together with its neighbours.
   * Reads of that repository commit it first; reads of others need not (each look-up used to
   * commit the one before it through the next request's session read: a commit per look-up).
   * Only look-ups and session touches are deferred: the runs' and the inventory's reads of the
   * audit trail look for changes (logouts, logins), which are always committed writes.
   */
  later: <K extends keyof Writes>(repository: K, change: (w: Writes[K]) => void, label: string) => void
  /**
   * Keeps the answers of reads of `repositories` (at most `limit`) while the database still holds
   * what they read: a write here to one of those repositories (asked or deferred), or a commit by
   * any other connection (a CLI command, another process; SQLite's data_version), forgets them
   * all. For the reads of every request (issue #14, P1: its session and account, a device's
   * inventory rows; four reads and a hash per look-up, about 8 % of the server's CPU there).
   * `committedOnly`: deferred writes (look-ups, session touches) forget nothing, for reads of what
   * only committed writes change (`changes`): each look-up would forget them.
   */
  remember: <T>(repositories: ReadonlyArray<keyof Reads>, limit: number, options?: { committedOnly?: boolean }) => Remembered<T>
  /**
   * Whether the database refuses writes and `deferredKept` deferred writes (10,000 by default)
   * already wait for it: what would defer another (a look-up) is refused instead, so no record is
   * dropped and the queue's memory stays bounded however long the database is locked.
   */
  backlogged: () => boolean
  /**
   * Reads of the changes EM Console had CUCM carry out (a device's last login or logout, a
   * cluster's last logout-all or latest change, CUCM's answers to a device's logins and logouts
   * that tell its EM flag) that do not commit the deferred look-ups first: changes are always
   * committed writes (`write`), so these see every one. Through `audit`, each look-up's check of
   * them (the status-lag words) committed the look-ups before it: a commit per look-up, P1 at
   * 1.35 × the bare proxy instead of ~1.07 ×.
   */
  changes: Pick<Reads['audit'], 'lastChange' | 'lastLogoutAll' | 'lastChangeOn' | 'emFacts'>
  /**
   * Waits before the next of many writes in a row (an inventory refresh's chunks): a turn of the
   * event loop, so requests and timers run between them; and while another connection writes to
   * the database (OTHERS_WRITING_MS), long enough for its refused write to get in. A turn alone
   * frees the lock for well under a millisecond, which another process's retries (every 1-3 ms)
   * seldom meet: a CLI command's change waited behind every chunk of the server's refresh.
   */
  betweenWrites: () => Promise<void>
  health: () => StoreHealth
  /**
   * Waits for `written` (a write of this store) while the database takes writes; true once it
   * settled. What a stop waits for: a write the database refuses (another program holds its lock)
   * stays queued, and `close`, last, commits it or logs it lost by its deadline; waited for until
   * then, it held the stop until the stop's own deadline cut it short, with what was lost unsaid.
   * A refusal of a moment (REFUSED_FOR_MS) is waited through.
   */
  writtenUnlessRefused: (written: Promise<unknown>) => Promise<boolean>
  /** The database's version before this store's migrations and now (the start says an upgrade). */
  schema: SchemaVersions
  /**
   * Commits what is queued (retrying up to `closeDeadlineMs` if the database is busy), then
   * closes. Resolves with how many writes could not be saved (each is logged).
   */
  close: () => Promise<number>
}

/**
 * Each method of `methods` calls `first` before it: a read commits first what it must see (so this
 * process always reads its own writes); a write counts itself (so remembered reads are forgotten).
 */
function callingFirst<T extends object> (methods: T, first: () => void): T {
  const wrapped: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(methods)) {
    wrapped[name] = typeof method === 'function'
      ? (...args: unknown[]) => { first(); return (method as (...a: unknown[]) => unknown).apply(methods, args) }
      : method
  }
  return wrapped as T
}

export function openStore (options: StoreOptions): Store {
  let schema: SchemaVersions = { before: 0, now: 0 }
  // A year's database takes a minute or more to upgrade (indexes built again): said before, not only after.
  const db = openDatabase(options.path, {
    upgrading: ({ before, now }) => { options.log?.info({ before, now }, `Upgrading the database ${options.path} from version ${before} to ${now}: on a large database this takes a minute or more, and EM Console answers once it is done.`) },
    opened: (versions) => { schema = versions }
  })
  const checkpointer = options.checkpoints === 'background' && options.path !== ':memory:' ? new Checkpointer(db, options.path, options.log ?? silentLog) : undefined
  const queue = new WriteQueue(db, { ...options, afterCommit: checkpointer === undefined ? undefined : () => { checkpointer.committed() } })
  const repositories = createRepositories(db, () => queue.now())
  /** Writes asked of each repository by this process so far, all and those committed (not deferred). */
  const changes = new Map<string, number>()
  const committed = new Map<string, number>()
  const count = (counts: Map<string, number>, name: string): void => { counts.set(name, (counts.get(name) ?? 0) + 1) }
  const writesCounted = (also?: Map<string, number>): Writes => Object.fromEntries(Object.entries(repositories).map(([name, r]) => {
    return [name, { ...r.reads, ...callingFirst(r.writes, () => { count(changes, name); if (also !== undefined) count(also, name) }) }]
  })) as unknown as Writes
  const writes = writesCounted()
  const committedWrites = writesCounted(committed)
  const dataVersion = db.prepare('PRAGMA data_version').pluck()
  const audit = repositories.audit.reads
  const reads = Object.fromEntries(Object.entries(repositories).map(([name, r]) => {
    return [name, callingFirst(r.reads, () => { if (queue.holdsFor(name)) queue.flush() })]
  })) as unknown as Reads
  let closing: Promise<number> | undefined
  // Another connection's commits, as data_version counts them, and when one was last seen. Our
  // own checkpoint thread's checkpoints move it too (now and then): a move while one ran is not counted.
  let othersVersion = dataVersion.get() as number
  let othersSeenMs = Number.NEGATIVE_INFINITY
  let checkpointsSeen = checkpointer?.activity ?? 0
  const othersWriting = (): boolean => {
    const version = dataVersion.get() as number
    const checkpoints = checkpointer?.activity ?? 0
    if (version !== othersVersion && checkpoints === checkpointsSeen && checkpoints % 2 === 0) othersSeenMs = Date.now()
    othersVersion = version
    checkpointsSeen = checkpoints
    return Date.now() - othersSeenMs < OTHERS_WRITING_MS
  }

  return {
    ...reads,
    write: async (change, label) => await queue.commit(() => change(committedWrites), label),
    changes: { lastChange: audit.lastChange, lastLogoutAll: audit.lastLogoutAll, lastChangeOn: audit.lastChangeOn, emFacts: audit.emFacts },
    later: (repository, change, label) => { count(changes, repository); queue.defer(() => { change(writes[repository]) }, label, repository) },
    remember: <T>(names: ReadonlyArray<keyof Reads>, limit: number, { committedOnly = false } = {}): Remembered<T> => {
      const kept = new Map<string, T>()
      // What was kept was read at this database version, after this many writes here to `names`
      // (counts only grow, so their sum changes whenever one of them does).
      let keptVersion = -1
      let keptWrites = -1
      const counts = committedOnly ? committed : changes
      const writesHere = (): number => names.reduce((sum, name) => sum + (counts.get(name) ?? 0), 0)
      const keepAt = (version: number, writes: number): void => {
        if (version === keptVersion && writes === keptWrites) return
        kept.clear()
        keptVersion = version
        keptWrites = writes
      }
      return {
        get: (key, read) => {
          // Asked before reading: a commit elsewhere from now on forgets what is read next.
          const version = dataVersion.get() as number
          keepAt(version, writesHere())
          if (kept.has(key)) return kept.get(key) as T
          const value = read()
          // The read may have committed deferred writes of ours first: it saw them.
          keepAt(version, writesHere())
          if (kept.size >= limit) kept.clear()
          kept.set(key, value)
          return value
        }
      }
    },
    backlogged: () => queue.problem !== undefined && queue.deferred >= (options.deferredKept ?? DEFERRED_KEPT),
    betweenWrites: async () => { await (othersWriting() ? sleep(LOCK_LEFT_FREE_MS) : nextTurn()) },
    writtenUnlessRefused: async (written) => {
      const settled = written.then(() => true, () => true)
      const refused = (): boolean => { const since = queue.problem?.since; return since !== undefined && Date.now() - Date.parse(since) >= REFUSED_FOR_MS }
      while (!refused()) {
        if (await Promise.race([settled, sleep(REFUSED_CHECK_MS, false)])) return true
      }
      return false
    },
    health: () => ({ queued: queue.queued, ...(queue.problem === undefined ? {} : { problem: queue.problem }) }),
    schema,
    close: async () => {
      closing ??= (async () => {
        const lost = await queue.close(options.closeDeadlineMs)
        // Its connection first: the last one to close checkpoints the log and removes it.
        await checkpointer?.close()
        db.close()
        return lost.length
      })()
      return await closing
    }
  }
}
