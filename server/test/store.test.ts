import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir, uptime } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import Database from 'better-sqlite3'
import type { Log } from '../src/log.ts'
import { SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { createDeviceFacts } from '../src/services/device-facts.ts'
import { Checkpointer, SAFETY_NET_PAGES } from '../src/store/checkpointer.ts'
import { openDatabase, readOnlyFileSystem, WAL_KEPT_BYTES } from '../src/store/database.ts'
import { openStore, type Store } from '../src/store/store.ts'
import { folderRefusal } from '../src/store/database-path.ts'
import { MIGRATIONS_DIR } from '../src/paths.ts'
import { WriteQueue } from '../src/store/write-queue.ts'
import { buildTestApp, receivedOf, TEST_PASSWORD } from './helpers/app.ts'
import { holdWriteLock, writeLockInBursts } from './helpers/database.ts'
import { eventually } from './helpers/eventually.ts'

interface Logged { level: 'info' | 'warn' | 'error', message: string }

function recordingLog (): Log & { lines: Logged[], warned: unknown[] } {
  const lines: Logged[] = []
  /** The fields of each warning, as the JSON line would hold them. */
  const warned: unknown[] = []
  return {
    lines,
    warned,
    info: (_c, message) => { lines.push({ level: 'info', message }) },
    warn: (c, message) => { lines.push({ level: 'warn', message }); warned.push(JSON.parse(JSON.stringify(c))) },
    error: (_c, message) => { lines.push({ level: 'error', message }) }
  }
}

async function withStore (body: (store: Store, path: string, log: ReturnType<typeof recordingLog>) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
  const path = join(dir, 'audit.db')
  const log = recordingLog()
  const store = openStore({ path, log, retryMinMs: 5, retryMaxMs: 50 })
  try {
    await body(store, path, log)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const outcomeOf = (path: string, id: number): string | undefined => {
  const other = new Database(path, { readonly: true })
  try {
    return (other.prepare('SELECT outcome FROM audit WHERE id = ?').get(id) as { outcome: string } | undefined)?.outcome
  } finally {
    other.close()
  }
}

const countRows = (path: string, where = '1 = 1', table: 'audit' | 'runs' | 'sessions' = 'audit'): number => {
  const other = new Database(path, { readonly: true })
  try {
    return (other.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n
  } finally {
    other.close()
  }
}

const lookUp = { actor: 'a', trigger: 'api', action: 'device-query' } as const

describe('the store', () => {
  test('a pending record and a running run of a process gone at the last reboot are ended, even when its number now names a running program', async () => {
    await withStore(async (store, path) => {
      const id = await store.write((w) => {
        w.runs.create({ id: 'run-before-reboot', action: 'logout', trigger: 'cli', actor: 'a', words: {} })
        w.runs.setState('run-before-reboot', 'running')
        return w.audit.insertPending({ actor: 'a', trigger: 'cli', action: 'logout', devices: ['SEP1'], runId: 'run-before-reboot' })
      }, 'pending logout')
      // Written an hour before this machine started, by a process whose number a program of this
      // boot now has (numbers start over at each boot): here the test's parent, which runs.
      const other = new Database(path)
      const owner = `${hostname()}:${process.ppid}`
      const before = new Date(Date.now() - uptime() * 1000 - 3_600_000).toISOString()
      other.prepare('UPDATE audit SET owner = ?, started_at = ? WHERE id = ?').run(owner, before, id)
      other.prepare('UPDATE runs SET owner = ?, created_at = ? WHERE id = ?').run(owner, before, 'run-before-reboot')
      other.close()
      assert.deepEqual(store.audit.pendingOfGone(), [id], 'a running server\'s sweep ends it')
      assert.deepEqual(store.runs.unfinishedOfGone(), ['run-before-reboot'])
      assert.deepEqual(store.runs.unfinished(), ['run-before-reboot'], 'a starting server ends it')
      assert.equal(await store.write((w) => w.audit.markInterrupted(), 'interrupted actions'), 1)
      // A live one of this boot (the parent, written now) is left alone.
      const live = await store.write((w) => w.audit.insertPending({ actor: 'a', trigger: 'cli', action: 'logout', devices: ['SEP2'] }), 'pending logout')
      const again = new Database(path)
      again.prepare('UPDATE audit SET owner = ? WHERE id = ?').run(owner, live)
      again.close()
      assert.deepEqual(store.audit.pendingOfGone(), [])
      assert.equal(await store.write((w) => w.audit.markInterrupted(), 'interrupted actions'), 0)
    })
  })

  test('a committed write is on disk when it resolves; a deferred one trails, reads see it, closing commits it', async () => {
    await withStore(async (store, path) => {
      const id = await store.write((w) => w.audit.insertPending({ actor: 'a', trigger: 'api', action: 'logout', devices: ['SEP1'] }), 'test')
      assert.equal(outcomeOf(path, id), 'pending', 'committed before the promise resolved')
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'Looked up.' }) }, 'test')
      assert.equal(countRows(path, "action = 'device-query'"), 0, 'a deferred write trails')
      assert.equal(store.audit.page({ action: 'device-query' }, 5).items.length, 1, 'this process reads its own writes')
      assert.equal(countRows(path, "action = 'device-query'"), 1)
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'Looked up again.' }) }, 'test')
      await store.close()
      assert.equal(countRows(path, "action = 'device-query'"), 2, 'closing commits what is queued')
    })
  })

  test('a deferred write is committed by the reads that could see it, not by every read', async () => {
    await withStore(async (store, path) => {
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'Looked up.' }) }, 'test')
      store.sessions.find('no such session')
      store.accounts.count()
      assert.equal(countRows(path, "action = 'device-query'"), 0, 'a session or account read leaves the look-up row trailing')
      store.runs.items('no such run')
      assert.equal(countRows(path, "action = 'device-query'"), 0, 'nor a read of the runs')
      store.audit.page({}, 1)
      assert.equal(countRows(path, "action = 'device-query'"), 1, 'a read of the audit trail commits its deferred rows first')
      store.later('sessions', (w) => { w.delete('no such session') }, 'session expired')
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'Looked up again.' }) }, 'test')
      store.sessions.find('no such session')
      assert.equal(countRows(path, "action = 'device-query'"), 2, 'a read commits the whole queue when it must commit part of it')
    })
  })

  test('the facts of a look-up (an empty phone\'s EM flag, the status-lag check) leave the look-up rows trailing: they read changes, always committed', async () => {
    await withStore(async (store, path) => {
      const facts = createDeviceFacts(store)
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'Looked up.' }) }, 'test')
      const [empty, occupied] = facts.of([
        { deviceName: 'SEP000000000001', exists: true, currentUser: null, lastUser: null, emcc: null, cluster: 'default' },
        { deviceName: 'SEP000000000002', exists: true, currentUser: 'jdoe', lastUser: null, emcc: null, cluster: 'default' }
      ])
      assert.deepEqual([empty?.emEnabled, occupied?.emEnabled, occupied?.mayLag], [null, true, null])
      assert.equal(countRows(path, "action = 'device-query'"), 0, 'a commit per look-up otherwise')
    })
  })

  test('a remembered read lasts until a write here to its repositories, asked or deferred, or a commit by another connection', async () => {
    await withStore(async (store, path) => {
      await store.write((w) => { w.settings.set('greeting', 'hello') }, 'test')
      const remembered = store.remember<string | undefined>(['settings'], 2)
      let reads = 0
      const greeting = (): string | undefined => remembered.get('greeting', () => { reads++; return store.settings.get('greeting') })
      assert.equal(greeting(), 'hello')
      assert.equal(greeting(), 'hello')
      assert.equal(reads, 1, 'the second time is remembered')
      await store.write((w) => { w.audit.record(lookUp, { outcome: 'success', message: 'Looked up.' }) }, 'test')
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'Looked up again.' }) }, 'test')
      assert.equal(greeting(), 'hello')
      assert.equal(reads, 1, 'writes to other repositories leave it')

      await store.write((w) => { w.settings.set('greeting', 'hi') }, 'test')
      assert.equal(greeting(), 'hi', 'a write here to the repository forgets it')
      store.later('settings', (w) => { w.set('greeting', 'hey') }, 'test')
      assert.equal(greeting(), 'hey', 'so does a deferred one, committed by the read that follows')
      assert.equal(greeting(), 'hey')
      assert.equal(reads, 3, 'what that read saw is remembered')

      const other = new Database(path)
      other.prepare("UPDATE settings SET value = 'bye' WHERE key = 'greeting'").run()
      other.close()
      assert.equal(greeting(), 'bye', 'a commit by another connection (a CLI command) forgets it')
      assert.equal(reads, 4)

      for (const key of ['a', 'b', 'c']) remembered.get(key, () => key)
      assert.equal(remembered.get('a', () => 'read again'), 'read again', 'at most `limit` answers are kept')
    })
  })

  test('while another connection holds the write lock, writes wait and retry: none is lost, nothing throws, one warning', async () => {
    await withStore(async (store, path, log) => {
      const lock = holdWriteLock(path)
      for (let i = 0; i < 50; i++) store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: `look-up ${i}` }) }, 'look-up')
      const committed = Array.from({ length: 10 }, async (_, i) => await store.write((w) => w.audit.insertPending({ actor: 'a', trigger: 'api', action: 'logout', devices: [`SEP${i}`] }), 'pending logout'))
      let settled = false
      Promise.all(committed).then(() => { settled = true }, () => {})
      await new Promise((resolve) => setTimeout(resolve, 150))
      assert.equal(settled, false, 'a committed write does not resolve before it is on disk')
      assert.equal(store.health().queued, 60)
      assert.match(store.health().problem?.error ?? '', /locked|busy/i)
      lock.release()
      const ids = await Promise.all(committed)
      assert.equal(ids.length, 10)
      assert.equal(countRows(path), 60, 'every queued write is on disk')
      assert.equal(store.health().queued, 0)
      assert.equal(store.health().problem, undefined)
      assert.equal(log.lines.filter((l) => l.level === 'warn').length, 1, 'the failure is logged once, not per retry')
      // Another program's lock is no fault of EM Console's: its code, not SQLite's stack.
      assert.deepEqual(log.warned, [{ code: 'SQLITE_BUSY', queued: 60 }])
      assert.equal(log.lines.filter((l) => l.level === 'info').length, 1, 'and the recovery once')
    })
  })

  test('a lock the other process holds for a moment (a commit of the server beside a CLI command) is waited for without a word: no warning, no recovery line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const path = join(dir, 'audit.db')
    const log = recordingLog()
    // The default waits between attempts: the lock ends long before the longest of them (2 s).
    const store = openStore({ path, log })
    try {
      const lock = holdWriteLock(path)
      const written = store.write((w) => w.audit.insertPending({ actor: 'a', trigger: 'cli', action: 'logout', devices: ['SEP1'] }), 'pending logout')
      await eventually(() => store.health().problem, 5_000)
      lock.release()
      await written
      assert.equal(store.health().problem, undefined)
      assert.deepEqual(log.lines, [])
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('beside another process committing one transaction after another (a server refreshing its inventory), writes keep retrying soon: none waits seconds past the last of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const path = join(dir, 'audit.db')
    // The default waits between attempts (a CLI command's and the server's store).
    const store = openStore({ path })
    try {
      const bursts = await writeLockInBursts(path, { holdMs: 40, freeMs: 2, forMs: 1500 })
      // A change after a change, as a run's worker makes them; each waits for its record.
      const written = (async () => {
        for (let i = 0; i < 10; i++) {
          await store.write((w) => w.audit.insertPending({ actor: 'a', trigger: 'cli', action: 'logout', devices: [`SEP${i}`] }), 'pending logout')
          await new Promise((resolve) => setTimeout(resolve, 3))
        }
      })()
      await bursts.ended
      const freed = performance.now()
      await written
      const after = performance.now() - freed
      // Doubled per refusal, the wait had grown to 1-2 s by the time the bursts ended.
      assert.ok(after < 400, `the writes were committed ${Math.round(after)} ms after the other connection's last commit`)
      assert.equal(countRows(path), 10)
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('beside another process whose commits free the lock for moments only (a server writing its inventory chunk after chunk), writes get in within those moments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const path = join(dir, 'audit.db')
    // The default waits between attempts (a CLI command's and the server's store).
    const store = openStore({ path })
    try {
      const holdMs = 15
      const freeMs = 4
      const forMs = 2000
      const bursts = await writeLockInBursts(path, { holdMs, freeMs, forMs })
      const state = { during: 0, over: false }
      bursts.ended.then(() => { state.over = true }, () => {})
      // A change after a change, as a CLI command's logouts make them (2 ms for CUCM's answer).
      for (let i = 0; !state.over; i++) {
        await store.write((w) => w.audit.insertPending({ actor: 'a', trigger: 'cli', action: 'logout', devices: [`SEP${i}`] }), 'pending logout')
        if (!state.over) state.during++
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      const { during } = state
      // Retried every 10-30 ms, a write met a 4 ms moment about once in five attempts: 30-36 writes
      // in 2 s, against 160-180 retried every 1-3 ms.
      const cycles = forMs / (holdMs + freeMs)
      assert.ok(during > cycles / 2, `${during} writes were committed beside ${Math.round(cycles)} of the other's commits`)
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a write that fails on its own does not hold back the others, stays queued, and is logged once', async () => {
    await withStore(async (store, path, log) => {
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'before' }) }, 'good write')
      store.later('audit', () => { throw new Error('a bug in one write') }, 'bad write')
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'after' }) }, 'good write')
      assert.deepEqual(store.audit.page({}, 5).items.map((r) => r.message), ['after', 'before'])
      assert.equal(countRows(path), 2)
      assert.equal(store.health().queued, 1, 'the bad write is kept, not dropped')
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'later still' }) }, 'good write')
      assert.equal(store.audit.page({}, 5).items.length, 3, 'later writes still go through')
      const errors = log.lines.filter((l) => l.level === 'error')
      assert.equal(errors.length, 1)
      assert.match(errors[0]?.message ?? '', /failed on its own/)
    })
  })

  test('a database that turns read-only refuses every write alike: the queue is kept whole, the refusal said once, and all is written once it takes writes again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const db = openDatabase(join(dir, 'audit.db'))
    const log = recordingLog()
    const queue = new WriteQueue(db, { log, retryMinMs: 5, retryMaxMs: 50 })
    const insert = db.prepare("INSERT INTO audit (started_at, actor, trigger, action, devices, outcome) VALUES ('2026-01-01T00:00:00.000Z', 'a', 'api', 'device-query', '[]', 'success')")
    try {
      // As SQLite answers on a file system remounted read-only: SQLITE_READONLY for every write.
      db.pragma('query_only = ON')
      for (let i = 0; i < 30; i++) queue.defer(() => { insert.run() }, 'look-up', 'audit')
      queue.flush()
      await eventually(() => log.lines.some((l) => l.level === 'warn') ? true : undefined, 5000)
      assert.match(queue.problem?.error ?? '', /readonly/)
      assert.equal(queue.queued, 30, 'every write is kept')
      assert.deepEqual(log.lines.map((l) => l.level), ['warn'], 'said once, not once a write')
      db.pragma('query_only = OFF')
      await eventually(() => queue.queued === 0 ? true : undefined, 5000)
      assert.equal(db.prepare('SELECT count(*) FROM audit').pluck().get(), 30)
      assert.equal(queue.problem, undefined)
    } finally {
      await queue.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a committed write that fails reports to its caller; the writes around it are kept', async () => {
    await withStore(async (store) => {
      store.later('audit', (w) => { w.record(lookUp, { outcome: 'success', message: 'queued first' }) }, 'good write')
      await assert.rejects(store.write(() => { throw new Error('constraint') }, 'bad write'), /constraint/)
      assert.equal(store.audit.page({}, 5).items.length, 1)
      assert.equal(store.health().queued, 0)
    })
  })
})

test('a change\'s record is final even when a write committed with it fails: its caller hears of the failure', async () => {
  const t = await buildTestApp()
  try {
    const neighbourFailed = new Error('the run item could not be written')
    await assert.rejects(t.em.logoutDevice({ actor: 'a', trigger: 'api' }, SEED_OCCUPIED_DEVICE, { alongside: () => { throw neighbourFailed } }), neighbourFailed)
    const [row] = t.audit.page({ action: 'logout' }, 5).items
    assert.equal(row?.outcome, 'success')
    assert.equal(outcomeOf(t.databasePath, row?.id ?? 0), 'success', 'on disk')
  } finally {
    await t.close()
  }
})

describe('checkpoints of the write-ahead log', () => {
  test('a thread checkpoints the log while commits come in; the store\'s own connection keeps only a safety net', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const path = join(dir, 'audit.db')
    const db = openDatabase(path)
    const log = recordingLog()
    const checkpointer = new Checkpointer(db, path, log)
    const insert = db.prepare("INSERT INTO audit (started_at, actor, trigger, action, devices, outcome) VALUES (?, 'a', 'api', 'logout', ?, 'pending')")
    try {
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), SAFETY_NET_PAGES)
      let commits = 0
      const commit = async (): Promise<void> => {
        db.transaction(() => insert.run(new Date().toISOString(), JSON.stringify([`SEP${commits++}`]))).immediate()
        checkpointer.committed()
        // As a server's commits come: between turns of the event loop, which hears the thread.
        await new Promise((resolve) => setImmediate(resolve))
      }
      // The thread starts with the first checkpoint (at the 50th commit) and takes a moment to load.
      const until = Date.now() + 20_000
      while (checkpointer.checkpoints === 0 && Date.now() < until) await commit()
      const first = checkpointer.checkpoints
      assert.ok(first > 0, 'no checkpoint within 20 s')
      // Then it keeps on: one checkpoint per 50 commits at most, 20 in 1,000 if each is done in
      // time; on a busy machine the thread gets less of a core, so the commits go on until five
      // more are done (or 20 s: a thread that stopped checkpointing never gets there).
      const more = Date.now() + 20_000
      let made = 0
      for (; (made < 1000 || checkpointer.checkpoints - first < 5) && Date.now() < more; made++) await commit()
      assert.ok(checkpointer.checkpoints - first >= 5, `${checkpointer.checkpoints - first} checkpoints in ${made} commits`)
      assert.deepEqual(log.lines, [])
    } finally {
      await checkpointer.close()
      db.close()
    }
    assert.ok(countRows(path) > 1000)
    rmSync(dir, { recursive: true, force: true })
  })

  test('closing a store stops its thread first, so its own connection, the last, removes the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const path = join(dir, 'audit.db')
    const store = openStore({ path, log: recordingLog(), checkpoints: 'background' })
    try {
      for (let i = 0; i < 200; i++) await store.write((w) => w.audit.insertPending({ actor: 'a', trigger: 'api', action: 'logout', devices: [`SEP${i}`] }), 'pending logout')
      assert.ok(existsSync(`${path}-wal`))
    } finally {
      await store.close()
    }
    assert.equal(existsSync(`${path}-wal`), false)
    assert.equal(countRows(path), 200)
    rmSync(dir, { recursive: true, force: true })
  })

  test('a log grown large while a reader held it (a backup, a long export) shrinks back once it can start over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const path = join(dir, 'audit.db')
    const db = openDatabase(path)
    const reader = new Database(path)
    const insert = db.prepare("INSERT INTO audit (started_at, actor, trigger, action, devices, outcome, response_body) VALUES (?, 'a', 'api', 'device-query', '[]', 'success', ?)")
    const body = 'x'.repeat(8000)
    try {
      // A read that stays open pins the log: no checkpoint can reach its end, so it only grows.
      reader.prepare('BEGIN').run()
      reader.prepare('SELECT count(*) FROM audit').get()
      for (let i = 0; i < 120; i++) db.transaction(() => { for (let j = 0; j < 100; j++) insert.run(new Date().toISOString(), body) }).immediate()
      const grown = statSync(`${path}-wal`).size
      assert.ok(grown > WAL_KEPT_BYTES * 1.5, `the log grew to ${grown} bytes`)
      reader.prepare('COMMIT').run()
      // The checkpoint the thread makes, then the next commit starts the log over.
      reader.pragma('wal_checkpoint(PASSIVE)')
      db.transaction(() => insert.run(new Date().toISOString(), 'after')).immediate()
      const size = statSync(`${path}-wal`).size
      assert.ok(size <= WAL_KEPT_BYTES, `the log kept ${size} bytes (of ${grown}) after starting over`)
    } finally {
      reader.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('the store\'s own connection leaves checkpoints to the thread; should the thread fail, it checkpoints again itself, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
    const path = join(dir, 'audit.db')
    const db = openDatabase(path)
    const log = recordingLog()
    // A thread that cannot open its database (it must exist) fails at its first checkpoint.
    const checkpointer = new Checkpointer(db, join(dir, 'missing.db'), log)
    try {
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), SAFETY_NET_PAGES)
      for (let i = 0; i < 50; i++) checkpointer.committed()
      await eventually(() => log.lines.find((l) => l.level === 'warn'), 10_000)
      assert.deepEqual(log.lines, [{ level: 'warn', message: 'Audit trail: the checkpoint thread failed; the database checkpoints its write-ahead log itself from now on' }])
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000)
    } finally {
      await checkpointer.close()
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

test('closing while the database refuses writes past the deadline says how many writes were not saved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
  const path = join(dir, 'audit.db')
  const store = openStore({ path, log: recordingLog(), retryMinMs: 5, retryMaxMs: 50, closeDeadlineMs: 200 })
  await store.write((w) => { w.audit.record({ actor: 'a', trigger: 'api', action: 'device-query' }, { outcome: 'success', message: 'first' }) }, 'first')
  const lock = holdWriteLock(path)
  try {
    store.later('audit', (audit) => { audit.record({ actor: 'a', trigger: 'api', action: 'device-query' }, { outcome: 'success', message: 'held' }) }, 'held')
    assert.equal(await store.close(), 1)
  } finally {
    lock.release()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the server answers while another connection holds the write lock for 2 s, and loses no row', async () => {
  // CUCM's timeout is generous: this test is about the database, on a machine that may be busy.
  const t = await buildTestApp({ client: { timeoutMs: 15_000 } })
  try {
    const lock = holdWriteLock(t.databasePath)
    const started = Date.now()
    let slowest = 0
    const probing = { on: true }
    const probes = (async () => {
      while (probing.on) {
        const sent = Date.now()
        assert.equal((await t.inject('/api/health/live', 'none')).statusCode, 200)
        slowest = Math.max(slowest, Date.now() - sent)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()
    const work = Promise.all([
      ...Array.from({ length: 50 }, async () => await t.inject(`/api/devices/${SEED_OCCUPIED_DEVICE}`)),
      ...Array.from({ length: 10 }, async (_, i) => await t.inject({ method: 'POST', url: `/api/devices/SEP0000000000${String(i).padStart(2, '0')}/logout` }))
    ])
    await new Promise((resolve) => setTimeout(resolve, 2000))
    lock.release()
    const answers = await work
    probing.on = false
    await probes
    assert.ok(Date.now() - started >= 2000)
    assert.ok(slowest < 500, `the liveness probe waited ${slowest} ms while the database was locked`)
    assert.deepEqual(answers.filter((a) => a.statusCode >= 500).map((a) => a.body), [], 'no request failed')
    await t.store.close()
    assert.equal(countRows(t.databasePath, "action = 'device-query'"), 60, 'every look-up (50, and one before each logout) is on disk')
    assert.equal(countRows(t.databasePath, "action = 'logout'"), 10)
    assert.equal(countRows(t.databasePath, "outcome = 'pending'"), 0, 'every change is finished')
  } finally {
    await t.close()
  }
})

test('while the database refuses writes, look-ups wait in the queue up to its bound, then are refused unsent (503): memory stays bounded and no record is lost', async () => {
  const t = await buildTestApp({ tuning: { deferredKept: 3 } })
  const lock = holdWriteLock(t.databasePath)
  let locked = true
  try {
    const lookUp = async (): Promise<{ statusCode: number, json: () => any }> => await t.inject(`/api/devices/${SEED_OCCUPIED_DEVICE}`)
    const sentBefore = receivedOf(t.sim, 'deviceUserQuery').length
    // A look-up's record waits in the queue; the queue finds the database locked at its first commit.
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await lookUp())
    const accepted = answers.filter((a) => a.statusCode === 200).length
    const refused = answers.filter((a) => a.statusCode === 503)
    assert.ok(accepted >= 1 && accepted <= 3, `${accepted} look-ups answered while 3 records may wait`)
    assert.equal(accepted + refused.length, answers.length, 'each look-up answered or refused')
    assert.equal(refused[0]?.json().error.code, 'AUDIT_UNAVAILABLE')
    assert.match(refused[0]?.json().error.message, /nothing was sent to CUCM/)
    assert.equal(receivedOf(t.sim, 'deviceUserQuery').length - sentBefore, accepted, 'a refused look-up is not sent')

    lock.release()
    locked = false
    await eventually(() => t.store.health().problem === undefined && t.store.health().queued === 0 ? true : undefined)
    assert.equal((await lookUp()).statusCode, 200, 'look-ups are answered again once the database takes writes')
    await t.store.close()
    assert.equal(countRows(t.databasePath, "action = 'device-query'"), accepted + 1, 'every look-up answered has its record')
  } finally {
    if (locked) lock.release()
    await t.close()
  }
})

test('a failed look-up whose record the database will not take within the EMAPI time limit is answered then (503, saying what failed), and its record is written once the database takes writes', { timeout: 30_000 }, async () => {
  const t = await buildTestApp({ client: { timeoutMs: 1500 } })
  t.sim.setFaults({ mode: 'http-503' })
  const lock = holdWriteLock(t.databasePath)
  let locked = true
  try {
    const started = Date.now()
    const answer = await t.inject(`/api/devices/${SEED_OCCUPIED_DEVICE}`)
    assert.equal(answer.statusCode, 503, answer.body)
    assert.equal(answer.json().error.code, 'AUDIT_UNAVAILABLE')
    assert.match(answer.json().error.message, /^The look-up failed: .+ Its audit record could not be written within 2 s/)
    assert.ok(Date.now() - started < 10_000, 'answered at the time limit, not when the database freed up')

    lock.release()
    locked = false
    await eventually(() => countRows(t.databasePath, "action = 'device-query' AND outcome = 'error'") === 1 ? true : undefined)
  } finally {
    if (locked) lock.release()
    await t.close()
  }
})

test('a change whose record the database will not take within the EMAPI time limit is not sent, then or later: 503, and its record says so', async () => {
  const t = await buildTestApp({ client: { timeoutMs: 1500 } })
  const lock = holdWriteLock(t.databasePath)
  let locked = true
  try {
    const started = Date.now()
    const refused = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
    assert.equal(refused.statusCode, 503, refused.body)
    assert.equal(refused.json().error.code, 'AUDIT_UNAVAILABLE')
    assert.match(refused.json().error.message, /nothing was sent to CUCM/)
    assert.ok(Date.now() - started < 10_000, 'answered at the time limit, not when the database freed up')
    const health = (await t.inject('/api/health')).json()
    assert.match(health.store.problem?.error ?? '', /locked|busy/i)

    lock.release()
    locked = false
    // Once the database takes writes again, the record is written, and finished as never sent.
    await eventually(() => countRows(t.databasePath, "action = 'logout' AND outcome = 'interrupted' AND error_code = 'NOT_SENT'") === 1 ? true : undefined)
    assert.equal(countRows(t.databasePath, "outcome = 'pending'"), 0)
    assert.deepEqual(receivedOf(t.sim, 'logout'), [], 'CUCM was never asked')
    assert.equal(t.sim.state.getDevice(SEED_OCCUPIED_DEVICE)?.currentUser, SEED_USER)
    assert.equal((await t.inject('/api/health')).json().store.problem, null)
  } finally {
    if (locked) lock.release()
    await t.close()
  }
})

test('a database other accounts can read (made by a release before new ones were 0600) is said so at start, with what to do; a new one is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-mode-'))
  try {
    // A data folder of an older release: made with the umask's mode, as the database was.
    chmodSync(dir, 0o755)
    const path = join(dir, 'upgraded.db')
    writeFileSync(path, '')
    chmodSync(path, 0o644)
    const upgraded = await buildTestApp({ env: { DATABASE_PATH: path } })
    await upgraded.close()
    assert.match(upgraded.logs.join(''), /upgraded\.db can be read by other accounts of this machine \(mode 644\).*chmod 600/)
    const fresh = await buildTestApp({ env: { DATABASE_PATH: join(dir, 'new.db') } })
    await fresh.close()
    assert.doesNotMatch(fresh.logs.join(''), /can be read by other accounts/)
    // In a folder only its owner may enter, a 644 file is the owner's alone: no warning.
    mkdirSync(join(dir, 'private'), { mode: 0o700 })
    const inPrivate = join(dir, 'private', 'upgraded.db')
    writeFileSync(inPrivate, '')
    chmodSync(inPrivate, 0o644)
    const kept = await buildTestApp({ env: { DATABASE_PATH: inPrivate } })
    await kept.close()
    assert.doesNotMatch(kept.logs.join(''), /can be read by other accounts/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a sign-in the database will not record is answered at its time limit, not when the lock goes; once it frees, a refusal is recorded and no session was made', async () => {
  const t = await buildTestApp()
  const lock = holdWriteLock(t.databasePath)
  let locked = true
  try {
    const sessionsBefore = countRows(t.databasePath, '1 = 1', 'sessions')
    const started = Date.now()
    const signIn = async (password: string): Promise<Awaited<ReturnType<typeof t.inject>>> => await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-viewer', password } }, 'none')
    const [right, wrong] = await Promise.all([signIn(TEST_PASSWORD), signIn('not-the-password')])
    // The lock goes only after these answers: any answer came at the time limit, none when the database freed up.
    assert.ok(Date.now() - started < 20_000, `answered after ${Date.now() - started} ms`)
    assert.equal(right.statusCode, 503, right.body)
    assert.equal(right.json().error.code, 'AUDIT_UNAVAILABLE')
    assert.equal(right.headers['retry-after'], '5', 'a 503 says when to try again: the refusal of a write, soon')
    assert.match(right.json().error.message, /the database refuses writes .*no session was started/)
    assert.equal(right.cookies.find((c) => c.name === 'em_session'), undefined, 'no cookie')
    assert.equal(wrong.statusCode, 401, wrong.body)

    lock.release()
    locked = false
    // Both records land once the database takes writes again: the refusal, and the wrong password.
    await eventually(() => countRows(t.databasePath, "action = 'sign-in' AND error_code = 'AUDIT_UNAVAILABLE'") === 1 && countRows(t.databasePath, "action = 'sign-in' AND error_code = 'BAD_CREDENTIALS'") === 1 ? true : undefined)
    assert.equal(countRows(t.databasePath, '1 = 1', 'sessions'), sessionsBefore, 'the refused sign-in left no session')
    assert.equal((await signIn(TEST_PASSWORD)).statusCode, 200)
    const document = (await t.inject('/api/docs/json', 'none')).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>()
    assert.ok(document.paths['/api/session']?.post?.responses['503'] !== undefined, 'the API document names the 503 of a sign-in')
  } finally {
    if (locked) lock.release()
    await t.close()
  }
})

test('a run whose record the database will not take within the EMAPI time limit is refused 503 and never starts, then or later', async () => {
  const t = await buildTestApp({ client: { timeoutMs: 1500 } })
  const lock = holdWriteLock(t.databasePath)
  let locked = true
  try {
    const started = Date.now()
    const refused = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [SEED_OCCUPIED_DEVICE] } })
    assert.equal(refused.statusCode, 503, refused.body)
    assert.equal(refused.json().error.code, 'AUDIT_UNAVAILABLE')
    assert.match(refused.json().error.message, /^The run could not be recorded within 2 s, so it was not started/)
    assert.ok(Date.now() - started < 10_000, 'answered at the time limit, not when the database freed up')
    lock.release()
    locked = false
    // The database takes writes again: the start given up writes nothing, and nothing is sent.
    await eventually(() => t.store.health().queued === 0 ? true : undefined)
    assert.equal(countRows(t.databasePath, '1 = 1', 'runs'), 0)
    assert.deepEqual(receivedOf(t.sim, 'logout'), [], 'CUCM was never asked')
  } finally {
    if (locked) lock.release()
    await t.close()
  }
})

test('a change refused while the database was locked leaves no pending record even when the process closes before the database frees up (a CLI command)', async () => {
  const t = await buildTestApp({ client: { timeoutMs: 1500 } })
  const lock = holdWriteLock(t.databasePath)
  let locked = true
  try {
    const refused = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout` })
    assert.equal(refused.statusCode, 503, refused.body)
    // The command ends now: its store commits what is queued as the database frees up, then closes.
    const closing = t.store.close()
    setTimeout(() => { lock.release(); locked = false }, 300)
    assert.equal(await closing, 0, 'nothing lost')
    assert.equal(countRows(t.databasePath, "outcome = 'pending'"), 0, 'no record left pending (the next server start would call it interrupted: "may have happened")')
    assert.equal(countRows(t.databasePath, "action = 'logout' AND outcome = 'interrupted' AND error_code = 'NOT_SENT'"), 1)
    assert.deepEqual(receivedOf(t.sim, 'logout'), [])
  } finally {
    if (locked) lock.release()
    await t.close()
  }
})

test('a new database is for its owner alone, whatever the umask: folder 0700, database, -wal and -shm 0600', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-modes-'))
  const umask = process.umask(0o022)
  try {
    // The server as it starts (its lock first, then the store), and a store alone (a CLI command).
    const path = join(dir, 'server-folder', 'audit.db')
    const app = await buildTestApp({ env: { DATABASE_PATH: path } })
    const alone = join(dir, 'cli-folder', 'audit.db')
    const store = openStore({ path: alone })
    try {
      await app.store.write((w) => { w.settings.set('probe', '1') }, 'probe')
      await store.write((w) => { w.settings.set('probe', '1') }, 'probe')
      const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8)
      for (const folder of ['server-folder', 'cli-folder']) assert.equal(mode(join(dir, folder)), '700', folder)
      for (const file of [path, `${path}-wal`, `${path}-shm`, alone]) assert.equal(mode(file), '600', file)
    } finally {
      await store.close()
      await app.close()
    }
  } finally {
    process.umask(umask)
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a run made before runs kept their clusters (migration 020) keeps the one cluster its summary names as its scope; one that named none, every cluster', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-scope-'))
  const path = join(dir, 'audit.db')
  try {
    // The database as release 019 left it: its migrations applied, and two runs made then.
    const old = new Database(path)
    const migrations = new URL('../migrations/', import.meta.url)
    for (const file of readdirSync(migrations).filter((f) => /^\d{3}-.*\.sql$/.test(f) && Number.parseInt(f, 10) <= 19).sort()) old.exec(readFileSync(new URL(file, migrations), 'utf8'))
    old.pragma('user_version = 19')
    const insert = old.prepare("INSERT INTO runs (id, action, state, trigger, actor, created_at, summary_cluster) VALUES (?, 'logout', 'done', 'api', 'admin', '2026-12-01T00:00:00.000Z', ?)")
    insert.run('of-branch', 'branch')
    insert.run('of-every-cluster', null)
    old.close()
    const store = openStore({ path })
    try {
      assert.deepEqual(store.runs.clusterScope('of-branch'), ['branch'])
      assert.equal(store.runs.clusterScope('of-every-cluster'), undefined)
    } finally {
      await store.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a database that ran main while it had 838d0e4\'s migration 027 (reverted by e575977; today\'s 027 is another) starts: the reverted trigger goes and runs get their retry scope (today\'s 027)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-reverted-'))
  const path = join(dir, 'audit.db')
  try {
    // The database as 838d0e4 left it: migrations up to 026, then its 027, version 27.
    const old = new Database(path)
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-.*\.sql$/.test(f) && Number.parseInt(f, 10) <= 26).sort()) old.exec(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'))
    old.exec(`CREATE TRIGGER session_history_audit_device AFTER INSERT ON session_history WHEN new.audit_id IS NOT NULL BEGIN
      INSERT OR IGNORE INTO audit_devices (device, audit_id) SELECT new.device, new.audit_id WHERE EXISTS (SELECT 1 FROM audit WHERE id = new.audit_id);
    END`)
    old.pragma('user_version = 27')
    old.prepare("INSERT INTO runs (id, action, state, trigger, actor, created_at, summary_title) VALUES ('of-then', 'logout', 'done', 'api', 'admin', '2026-12-06T18:30:00.000Z', 'Bulk logout')").run()
    old.close()
    const store = openStore({ path })
    await store.close()
    const after = new Database(path, { readonly: true })
    try {
      assert.deepEqual(after.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'session_history_audit_device'").all(), [], 'the reverted trigger is gone')
      assert.deepEqual(after.prepare('SELECT id, retry_scope FROM runs').all(), [{ id: 'of-then', retry_scope: null }])
      assert.equal(after.pragma('user_version', { simple: true }), 27)
    } finally {
      after.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a database another process is upgrading (a CLI command begun first) is waited for, not refused as locked, and its migrations are not applied twice', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-upgrading-'))
  const path = join(dir, 'audit.db')
  try {
    const old = new Database(path)
    old.pragma('journal_mode = WAL')
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-.*\.sql$/.test(f) && Number.parseInt(f, 10) <= 26).sort()) old.exec(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'))
    old.pragma('user_version = 26')
    old.close()
    // The other process applies 027 in one transaction that lasts longer than a lock is waited for
    // elsewhere (5 s): a year's database takes that long for some migrations.
    const { Worker } = await import('node:worker_threads')
    const worker = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads')
      const Database = require('better-sqlite3')
      const db = new Database(workerData.path)
      db.prepare('BEGIN IMMEDIATE').run()
      db.exec(workerData.sql)
      db.pragma('user_version = 27')
      parentPort.postMessage('holding')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6000)
      db.prepare('COMMIT').run()
      db.close()
    `, { eval: true, workerData: { path, sql: readFileSync(new URL('027-run-retry-scope.sql', MIGRATIONS_DIR), 'utf8') } })
    const ended = new Promise((resolve) => worker.once('exit', resolve))
    await new Promise((resolve) => worker.once('message', resolve))
    try {
      const store = openStore({ path })
      await store.close()
      assert.equal(store.schema.now, 27)
    } finally {
      await ended
    }
    const after = new Database(path, { readonly: true })
    try {
      assert.equal(after.pragma('user_version', { simple: true }), 27)
      assert.equal(after.prepare("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'retry_scope'").pluck().get(), 1)
    } finally {
      after.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a database on a full disk is said to be on a full disk, not in a folder to make writable', () => {
  const full = folderRefusal('/opt/em-console/data/em-console.db', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))
  assert.equal(full.key, 'DATABASE_PATH')
  assert.match(full.message, /em-console\.db cannot be used \(ENOSPC\): the disk holding it is full/)
  assert.match(full.fix, /^Free space on it .*then start again\.$/)
  assert.doesNotMatch(`${full.message} ${full.fix}`, /must exist or be creatable|Fix DATABASE_PATH/)
  const shm = folderRefusal('/opt/em-console/data/em-console.db', Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_SHMSIZE' }))
  assert.match(shm.message, /\(SQLITE_IOERR_SHMSIZE\): the disk holding it is full/)
  const denied = folderRefusal('/opt/em-console/data/em-console.db', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))
  assert.match(denied.message, /cannot be used \(EACCES\): its folder must exist or be creatable, and be writable by this user/)
})

test('a database on a read-only file system (a folder systemd\'s ProtectSystem=strict does not let the service write) is said to be so, and how to let it, not as a folder or file to chown', () => {
  // The CLI told the operator to chown the database (EROFS); the server, to make its folder
  // writable by this user: neither helps a read-only mount or a missing ReadWritePaths=.
  for (const refusal of [folderRefusal('/var/lib/em-console/em-console.db', Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' })), readOnlyFileSystem('/var/lib/em-console/em-console.db')]) {
    assert.equal(refusal.key, 'DATABASE_PATH')
    assert.match(refusal.message, /em-console\.db cannot be used \(EROFS\): it is on a file system this process may only read/)
    assert.match(refusal.fix, /ReadWritePaths=\/var\/lib\/em-console:/)
    assert.doesNotMatch(`${refusal.message} ${refusal.fix}`, /chown|must exist or be creatable/)
  }
})

test('a database of another program that keeps a version of its own (PRAGMA user_version, as many do) is refused as another program\'s, not migrated from that version nor called a newer EM Console\'s, and left as it was', () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-foreign-'))
  try {
    for (const version of [5, 70]) {
      const path = join(dir, `places-${version}.sqlite`)
      const other = new Database(path)
      other.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://cucm.example.com')")
      other.pragma(`user_version = ${version}`)
      other.close()
      assert.throws(() => openDatabase(path), (error: Error & { key?: string }) => {
        assert.equal(error.key, 'DATABASE_PATH')
        assert.match(error.message, /places-\d+\.sqlite is not EM Console's database: it holds tables of another program \(moz_places\)/)
        return true
      })
      const after = new Database(path, { readonly: true })
      try {
        assert.deepEqual(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['moz_places'], 'no table of EM Console added')
        assert.equal(after.pragma('journal_mode', { simple: true }), 'delete', 'its journal mode left as it was')
        assert.equal(after.pragma('user_version', { simple: true }), version)
      } finally {
        after.close()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a database made by an older release: the upgrade is said before its migrations run (a year\'s takes a minute or more), not only once done', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-store-'))
  const path = join(dir, 'old.db')
  try {
    // A database of version 1, as the first release left it.
    const old = new Database(path)
    old.exec(readFileSync(new URL('001-init.sql', MIGRATIONS_DIR), 'utf8'))
    old.pragma('user_version = 1')
    old.close()
    const log = recordingLog()
    let migrated: number | undefined
    const versionNow = (): number => {
      const reader = new Database(path, { readonly: true })
      try { return reader.pragma('user_version', { simple: true }) as number } finally { reader.close() }
    }
    const store = openStore({ path, log: { ...log, info: (context, message) => { migrated ??= versionNow(); log.info(context, message) } } })
    await store.close()
    assert.equal(store.schema.before, 1)
    const said = log.lines.find((line) => line.message.startsWith('Upgrading the database'))
    assert.match(said?.message ?? '', new RegExp(`^Upgrading the database .*old\\.db from version 1 to ${store.schema.now}: on a large database this takes a minute or more`))
    assert.equal(migrated, 1, 'said while the database was still at version 1')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
