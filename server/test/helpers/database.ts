import Database from 'better-sqlite3'

/** Another connection (a CLI command, a backup) that holds the write lock until released. */
export function holdWriteLock (path: string): { release: () => void } {
  const other = new Database(path)
  other.prepare('BEGIN IMMEDIATE').run()
  return {
    release () {
      other.prepare('COMMIT').run()
      other.close()
    }
  }
}

/**
 * The database at `path` as a crash (kill -9) leaves it, copied to `to` while its server runs:
 * what was committed, nothing after (an online backup, so the live file is never opened for writing).
 */
export async function copyAsACrashLeavesIt (path: string, to: string): Promise<void> {
  const live = new Database(path, { readonly: true })
  try {
    await live.backup(to)
  } finally {
    live.close()
  }
}

/**
 * Another process's commits one after another (a server writing its inventory, 1,000 rows a
 * transaction): a thread with its own connection holds the write lock for `holdMs`, frees it for
 * `freeMs`, for `forMs` in all. Resolves once it holds the lock the first time; `ended` once it has stopped.
 */
export async function writeLockInBursts (path: string, timing: { holdMs: number, freeMs: number, forMs: number }): Promise<{ ended: Promise<void> }> {
  const { Worker } = await import('node:worker_threads')
  const program = `
    const { parentPort, workerData } = require('node:worker_threads')
    const Database = require('better-sqlite3')
    const db = new Database(workerData.path)
    const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
    const until = Date.now() + workerData.forMs
    for (let first = true; Date.now() < until; first = false) {
      db.prepare('BEGIN IMMEDIATE').run()
      if (first) parentPort.postMessage('holding')
      pause(workerData.holdMs)
      db.prepare('COMMIT').run()
      pause(workerData.freeMs)
    }
    db.close()
  `
  const worker = new Worker(program, { eval: true, workerData: { path, ...timing } })
  const ended = new Promise<void>((resolve, reject) => { worker.once('exit', () => { resolve() }); worker.once('error', reject) })
  await Promise.race([new Promise((resolve) => worker.once('message', resolve)), ended])
  return { ended }
}

/**
 * Another process's changes, one after another (a CLI command's logouts beside the server): a
 * thread with its own connection commits a row, waits 2 ms (CUCM's answer), and so on until
 * stopped; a refused commit is tried again every 1-3 ms, as the store does (busy_timeout 0).
 * Resolves once its first commit is made; `commits()` counts them.
 */
export async function writesBeside (path: string): Promise<{ commits: () => number, stop: () => Promise<void> }> {
  const { Worker } = await import('node:worker_threads')
  const program = `
    const { parentPort, workerData } = require('node:worker_threads')
    const Database = require('better-sqlite3')
    const state = new Int32Array(workerData.state)
    const db = new Database(workerData.path)
    db.exec('CREATE TABLE IF NOT EXISTS beside (n INTEGER)')
    db.pragma('busy_timeout = 0')
    const insert = db.prepare('INSERT INTO beside (n) VALUES (1)')
    const pause = (ms) => Atomics.wait(state, 0, 0, ms)
    while (Atomics.load(state, 0) === 0) {
      try {
        insert.run()
      } catch (error) {
        if (error.code !== 'SQLITE_BUSY') throw error
        pause(1 + 2 * Math.random())
        continue
      }
      if (Atomics.add(state, 1, 1) === 0) parentPort.postMessage('writing')
      pause(2)
    }
    db.close()
  `
  // [0]: stop when set; [1]: commits made.
  const state = new Int32Array(new SharedArrayBuffer(8))
  const worker = new Worker(program, { eval: true, workerData: { path, state: state.buffer } })
  const ended = new Promise<void>((resolve, reject) => { worker.once('exit', () => { resolve() }); worker.once('error', reject) })
  await Promise.race([new Promise((resolve) => worker.once('message', resolve)), ended])
  return {
    commits: () => Atomics.load(state, 1),
    stop: async () => {
      Atomics.store(state, 0, 1)
      Atomics.notify(state, 0)
      await ended
    }
  }
}
