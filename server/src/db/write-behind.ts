import type { Db } from './database.js'

/**
 * Writes that may trail the event that caused them by a few milliseconds, committed together in
 * one transaction: a commit per write costs more than the write (and a full-text segment each).
 * Every read of the same tables flushes first, so this process always reads its own writes.
 */
export interface WriteBehind {
  defer: (write: () => void) => void
  flush: () => void
}

const FLUSH_AFTER_MS = 10
const FLUSH_AT = 200
const byDb = new WeakMap<Db, WriteBehind>()

/** The one write-behind queue of a database, shared by its repositories. */
export function writeBehindOf (db: Db): WriteBehind {
  let queue = byDb.get(db)
  if (queue === undefined) {
    queue = createWriteBehind(db)
    byDb.set(db, queue)
  }
  return queue
}

function createWriteBehind (db: Db): WriteBehind {
  let pending: Array<() => void> = []
  let timer: NodeJS.Timeout | undefined

  function flush (): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending.length === 0 || !db.open) return
    const writes = pending
    pending = []
    db.transaction(() => { for (const write of writes) write() })()
  }

  return {
    defer (write) {
      pending.push(write)
      if (pending.length >= FLUSH_AT) flush()
      else timer ??= setTimeout(flush, FLUSH_AFTER_MS)
    },
    flush
  }
}
