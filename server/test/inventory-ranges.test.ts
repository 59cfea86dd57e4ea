import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { AxlPhone, AxlSession } from '@em-console/shared/axl'
import { MAX_POOL_FILTERS, SESSION_SORTS, type SessionHistoryFilters, type SessionSort, type SortOrder } from '@em-console/shared/schemas'
import { keyRanges } from '../src/inventory/names.ts'
import { createInventory, PURGE_BATCH, SESSIONS_PER_WRITE, type AxlSource } from '../src/inventory/inventory.ts'
import { openStore, type Store } from '../src/store/store.ts'
import { openDatabase } from '../src/store/database.ts'
import { STATEMENTS_KEPT } from '../src/store/statement-cache.ts'
import { writesBeside } from './helpers/database.ts'
import { eventually } from './helpers/eventually.ts'
import { createInventoryRepository, OWN_DEVICE_LOGOUT_SQL, OWN_LOGOUT_ALL_SQL } from '../src/inventory/inventory-repository.ts'

// Names in every order that can differ: case, digits, punctuation, and non-ASCII (UTF-16 and
// UTF-8 orders differ above U+FFFF), so the ranges must be cut as SQLite reads them back.
const NAMES = ['SEP001', 'sep002', 'SEP003', 'CSFJDOE', 'csfasmith', 'BOT-1', 'TCT_2', 'SEPÄ01', 'SEP😀1', 'SEP\uFF21', 'SEP00A', 'sep00b', 'SEP00C', 'ATA1', 'zeta']

function phone (name: string): AxlPhone {
  return { name, model: 'Cisco 8865', description: `desk ${name}`, devicePool: 'DP_OSLO', emEnabled: true }
}

function session (deviceName: string, userId = `user-${deviceName}`): AxlSession {
  return { deviceName, userId, profile: null, loginTime: '2026-01-01T08:00:00.000Z', loginDurationSeconds: null, devicePool: 'DP_OSLO', model: 'Cisco 8865', description: '' }
}

/** AXL listing `phones`, the first `sessions` of them logged in by other users each time: every session ends and another starts. */
function changingUsers (phones: AxlPhone[], sessions: number): AxlSource {
  let shift = 0
  const listing = <T>(rows: T[]) => ({ rows, counted: rows.length, version: '15.0', pageSize: 1000, requests: Math.ceil(rows.length / 1000) })
  return {
    version: '15.0',
    listPhones: async () => listing(phones),
    listSessions: async () => {
      shift++
      const loginTime = new Date().toISOString()
      return listing(phones.slice(0, sessions).map((p, i) => ({ ...session(p.name, `user${i + shift}`), loginTime })))
    }
  }
}

test('ranges cover every name once, the first and last open-ended, and never split names equal without case', () => {
  const items = [...NAMES, 'Sep002'].map((name) => ({ name }))
  for (const size of [1, 2, 3, 5, 100]) {
    const ranges = keyRanges(items, (i) => i.name, size)
    assert.equal(ranges[0]?.from, null)
    assert.equal(ranges.at(-1)?.to, null)
    assert.equal(ranges.flatMap((r) => r.items).length, items.length)
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]?.from, ranges[i - 1]?.to)
    const withSep002 = ranges.filter((r) => r.items.some((item) => item.name.toLowerCase() === 'sep002'))
    assert.equal(withSep002.length, 1, `size ${size}: sep002 and Sep002 in one range`)
  }
  assert.deepEqual(keyRanges([], () => '', 10), [{ from: null, to: null, items: [] }])
})

test('a refresh applied range by range keeps what did not change: no phantom end of a session, no lost phone', async () => {
  await withStore(async (store) => {
    const apply = async (phones: AxlPhone[], sessions: AxlSession[], size: number, at: Date): Promise<number> => {
      for (const range of keyRanges(phones, (p) => p.name, size)) await store.write((w) => w.inventory.applyPhones('c1', range), 'phones')
      let ended = 0
      for (const range of keyRanges(sessions, (s) => s.deviceName, size)) ended += (await store.write((w) => w.inventory.applySessions('c1', range, at), 'sessions')).ended
      return ended
    }
    const phones = NAMES.map(phone)
    const sessions = NAMES.map((name) => session(name))
    assert.equal(await apply(phones, sessions, 4, new Date('2026-01-01T09:00:00Z')), 0)
    // The same listing cut differently: nothing changes.
    for (const size of [1, 3, 7, 50]) assert.equal(await apply(phones, sessions, size, new Date('2026-01-01T09:05:00Z')), 0, `size ${size}`)
    assert.equal(store.inventory.phonesPage({}, 500, undefined).total, NAMES.length)
    assert.equal(store.inventory.historyPage({}, 500, undefined).sessions.length, 0)

    // Two sessions gone, one phone gone, one user changed on a phone: exactly those are ended.
    const gone = ['SEP😀1', 'csfasmith']
    const next = sessions.filter((s) => !gone.includes(s.deviceName)).map((s) => s.deviceName === 'ATA1' ? { ...s, userId: 'someone-else', loginTime: '2026-01-01T09:30:00.000Z' } : s)
    const ended = await apply(phones.filter((p) => p.name !== 'zeta'), next, 2, new Date('2026-01-01T10:00:00Z'))
    assert.equal(ended, 3)
    const history = store.inventory.historyPage({}, 500, undefined).sessions
    assert.deepEqual(history.map((h) => h.deviceName).sort(), ['ATA1', ...gone].sort())
    assert.equal(history.find((h) => h.deviceName === 'ATA1')?.endedBy, 'replaced')
    assert.equal(history.find((h) => h.deviceName === 'ATA1')?.endedAt, '2026-01-01T09:30:00.000Z')
    assert.equal(store.inventory.phonesPage({}, 500, undefined).total, NAMES.length - 1)
    assert.equal(store.inventory.sessionsPage({}, 'device', 'asc', 500, undefined, Date.now()).total, NAMES.length - 2)
  })
})

test('a login dated before the one it replaced (a reset, a clock moved back) does not end the old one before it began', async () => {
  await withStore(async (store) => {
    const apply = async (sessions: AxlSession[], at: string): Promise<void> => {
      await store.write((w) => { w.inventory.applyPhones('c1', { from: null, to: null, items: [phone('SEP001')] }) }, 'phones')
      await store.write((w) => { w.inventory.applySessions('c1', { from: null, to: null, items: sessions }, new Date(at)) }, 'sessions')
    }
    await apply([{ ...session('SEP001', 'ann'), loginTime: '2026-01-03T08:00:00.000Z' }], '2026-01-03T09:00:00Z')
    await apply([{ ...session('SEP001', 'bob'), loginTime: '2026-01-01T08:00:00.000Z' }], '2026-01-03T10:00:00Z')
    const [ended] = store.inventory.historyPage({}, 10, undefined).sessions
    assert.equal(ended?.userId, 'ann')
    assert.ok(Date.parse(ended?.endedAt ?? '') >= Date.parse(ended?.loginTime ?? ''), `ended ${ended?.endedAt ?? '?'}, logged in ${ended?.loginTime ?? '?'}`)
    assert.deepEqual([ended?.endedBy, ended?.endedAt], ['not-seen', '2026-01-03T10:00:00.000Z'])
  })
})

/** A refresh of cluster c1 that lists `sessions` at `at`, as the inventory writes one. */
function readsOf (store: Store): (sessions: AxlSession[], at: number) => Promise<void> {
  return async (sessions, at) => {
    await store.write((w) => {
      w.inventory.applySessions('c1', { from: null, to: null, items: sessions }, new Date(at))
      w.inventory.recordSuccess('c1', { asOf: new Date(at), refreshMs: 5, axlVersion: '15.0' })
    }, 'sessions')
  }
}

test('a logout of all users not answered in time (unknown: it may have happened) ended the sessions gone by the reads that follow it, not those listed after CUCM settled', async () => {
  await withStore(async (store) => {
    const t0 = Date.now()
    const apply = readsOf(store)
    const ann = session('SEP001', 'ann')
    const bob = session('SEP002', 'bob')
    const cy = session('SEP003', 'cy')
    await apply([ann, bob, cy], t0 - 60_000)
    const auditId = await store.write((w) => w.audit.record({ actor: 'alice', trigger: 'ui', action: 'logout-all', cluster: 'c1' }, { outcome: 'unknown', errorCode: 'EMAPI_TIMEOUT', message: 'No answer in time: it may have happened' }), 'a logout-all without an answer')
    // CUCM's lag: the read seconds after it still lists bob; the read once CUCM has settled does not.
    await apply([bob, cy], t0 + 2_000)
    await apply([cy], t0 + 125_000)
    // cy was listed after CUCM settled: the logout-all did not end that session, whatever did.
    await apply([], t0 + 300_000)
    const ended = Object.fromEntries(store.inventory.historyPage({}, 10, undefined).sessions.map((s) => [s.userId, [s.endedBy, s.auditId]]))
    assert.deepEqual(ended, { ann: ['em-console', auditId], bob: ['em-console', auditId], cy: ['not-seen', null] })
  })
})

test('a logout of one device not answered in time ended its session if the reads that follow it find it gone, not if one lists it after CUCM settled', async () => {
  await withStore(async (store) => {
    const t0 = Date.now()
    const apply = readsOf(store)
    const ann = session('SEP001', 'ann')
    const bob = session('SEP002', 'bob')
    await apply([ann, bob], t0 - 60_000)
    const unanswered = async (device: string): Promise<number> => await store.write((w) => w.audit.record({ actor: 'alice', trigger: 'ui', action: 'logout', devices: [device], cluster: 'c1' }, { outcome: 'unknown', errorCode: 'EMAPI_TIMEOUT', message: 'No answer in time: it may have happened' }), 'a logout without an answer')
    const annLogout = await unanswered('SEP001')
    await unanswered('SEP002')
    // ann is gone by the next read; bob is still listed after CUCM settled, and gone later.
    await apply([bob], t0 + 2_000)
    await apply([bob], t0 + 125_000)
    await apply([], t0 + 300_000)
    const ended = Object.fromEntries(store.inventory.historyPage({}, 10, undefined).sessions.map((s) => [s.userId, [s.endedBy, s.auditId]]))
    assert.deepEqual(ended, { ann: ['em-console', annLogout], bob: ['not-seen', null] })
  })
})

test('a logout cut short by a stop (interrupted: it may have happened) ended the sessions gone by the reads that follow it, as one not answered in time does; one never sent ended none', async () => {
  await withStore(async (store) => {
    const t0 = Date.now()
    const at = (ms: number): string => new Date(t0 + ms).toISOString()
    const apply = readsOf(store)
    const ann = session('SEP001', 'ann')
    const bob = session('SEP002', 'bob')
    const cy = session('SEP003', 'cy')
    const dee = session('SEP004', 'dee')
    await apply([ann, bob], t0 - 60_000)
    const stopped = { outcome: 'interrupted', message: 'The server stopped while waiting for CUCM\'s answer: CUCM may have carried this out.' } as const
    const logoutAll = await store.write((w) => w.audit.record({ actor: 'alice', trigger: 'ui', action: 'logout-all', cluster: 'c1' }, stopped), 'a logout-all cut short')
    await apply([bob, cy, dee], t0 + 2_000)
    const cyLogout = await store.write((w) => w.audit.record({ startedAt: new Date(t0 + 3_000), actor: 'root', trigger: 'cli', action: 'logout', devices: ['SEP003'], cluster: 'c1' }, stopped, at(3_100)), 'a logout cut short')
    await store.write((w) => w.audit.record({ startedAt: new Date(t0 + 3_000), actor: 'alice', trigger: 'ui', action: 'logout', devices: ['SEP004'], cluster: 'c1' }, { outcome: 'interrupted', errorCode: 'NOT_SENT', message: 'Not sent: the run was cancelled.' }, at(3_100)), 'a logout never sent')
    // bob is listed after CUCM settled: the logout-all did not end that session, whatever did.
    await apply([bob], t0 + 5_000)
    await apply([bob], t0 + 300_000)
    await apply([], t0 + 400_000)
    const ended = Object.fromEntries(store.inventory.historyPage({}, 10, undefined).sessions.map((s) => [s.userId, [s.endedBy, s.auditId]]))
    assert.deepEqual(ended, { ann: ['em-console', logoutAll], bob: ['not-seen', null], cy: ['em-console', cyLogout], dee: ['not-seen', null] })
    // History by user finds the logout-all that ended ann's session.
    assert.deepEqual(store.audit.page({ user: 'ann' }, 10).items.map((r) => r.id), [logoutAll])
  })
})

/** Runs `body` on a new database of its own (migrated), closed and removed after. */
/** A store on a database of its own, closed and deleted after `body`. */
async function withStore (body: (store: Store, path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-ranges-'))
  const path = join(dir, 'inventory.db')
  const store = openStore({ path })
  try {
    await body(store, path)
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function withDatabase (body: (db: ReturnType<typeof openDatabase>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-ranges-'))
  const db = openDatabase(join(dir, 'inventory.db'))
  try {
    body(db)
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

test('finding who ended a session walks the device\'s own audit rows and the logout-alls since its login, never the whole trail (a logout-all ends thousands)', () => {
  withDatabase((db) => {
    const plan = (sql: string, ...values: string[]): string[] => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>).map((r) => r.detail)
    // Every plan step is a search by a key: none walks every row of a cluster or every success.
    assert.deepEqual(plan(OWN_DEVICE_LOGOUT_SQL, 'SEP001122334455', 'hq', '2026-12-01', '2026-12-02'), ['SEARCH ad USING PRIMARY KEY (device=?)', 'SEARCH a USING INTEGER PRIMARY KEY (rowid=?)'])
    // Nor every logout-all ever made: a year of nightly ones on two clusters, read for each of the
    // 10,000 sessions one ends, held the event loop ~20 s a night. Only those since the login (a
    // few) are read, then sorted.
    assert.deepEqual(plan(OWN_LOGOUT_ALL_SQL, 'hq', '2026-12-01', '2026-12-02'), ['SEARCH audit USING INDEX audit_logout_all (cluster=? AND started_at>?)', 'USE TEMP B-TREE FOR ORDER BY'])
  })
})

/** `db`, with the SQL of each statement prepared through it recorded in `prepared`. */
function recordingPrepares (db: ReturnType<typeof openDatabase>): { recording: ReturnType<typeof openDatabase>, prepared: string[] } {
  const prepared: string[] = []
  const recording = new Proxy(db, {
    get: (target, key) => {
      if (key === 'prepare') return (sql: string) => { prepared.push(sql); return target.prepare(sql) }
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
  return { recording, prepared }
}

test('each filter of the ended sessions reads an index range in the page\'s order, never every ended session (a year of nightly logout-alls is millions)', () => {
  withDatabase((db) => {
    // The statements the repository prepares, read back to ask SQLite how it runs them.
    const { recording, prepared } = recordingPrepares(db)
    const { reads, writes } = createInventoryRepository(recording)
    const ended = (i: number, pool: string): AxlSession => ({ ...session(`SEP${String(i).padStart(3, '0')}`), devicePool: pool, loginTime: new Date(Date.UTC(2026, 0, 1, 8, 0, i)).toISOString() })
    const logins = Array.from({ length: 30 }, (_, i) => ended(i, ['DP_A', 'DP_B', 'DP_C'][i % 3] ?? 'DP_A'))
    db.transaction(() => {
      writes.applySessions('hq', { from: null, to: null, items: logins }, new Date('2026-01-01T09:00:00Z'))
      writes.applySessions('hq', { from: null, to: null, items: [] }, new Date('2026-01-01T18:00:00Z'))
    })()
    const planOf = (filters: SessionHistoryFilters): string[] => {
      prepared.length = 0
      reads.historyPage(filters, 5, undefined)
      const sql = prepared.at(-1) ?? ''
      const params = (sql.match(/\?/g) ?? []).map(() => null)
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail)
    }
    // Several pools read each pool's page with the statement of one (the test below).
    const filters: SessionHistoryFilters[] = [{ cluster: 'hq' }, { devicePool: ['DP_A'] }, { model: 'cisco 8865' }, { endedBy: 'replaced' }]
    for (const filter of filters) {
      const plan = planOf(filter)
      assert.ok(plan.some((step) => step.startsWith('SEARCH session_history USING INDEX')), `${JSON.stringify(filter)}: ${plan.join(' | ')}`)
      // No table walk, and no sort of what an index range found (several pools' pages, a page each, are merged).
      const sorted = plan.some((step, i) => step.startsWith('SEARCH session_history') && plan[i + 1] === 'USE TEMP B-TREE FOR ORDER BY')
      assert.ok(!sorted && !plan.some((step) => step.startsWith('SCAN session_history')), `${JSON.stringify(filter)}: ${plan.join(' | ')}`)
    }
    // Several pools: their pages merged in order, paged on as one.
    const pages: string[] = []
    let cursor: string | undefined
    do {
      const page = reads.historyPage({ devicePool: ['DP_A', 'DP_C'] }, 7, cursor)
      pages.push(...page.sessions.map((s) => s.deviceName))
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    const expected = logins.filter((s) => s.devicePool !== 'DP_B').map((s) => s.deviceName).sort().reverse()
    assert.deepEqual(pages, expected)
    // A pool named twice (?devicePool=DP_A&devicePool=DP_A) is one pool: each session once, as IN read it.
    const twice = reads.historyPage({ devicePool: ['DP_A', 'DP_A'] }, 100, undefined).sessions.map((s) => s.deviceName)
    assert.deepEqual(twice, logins.filter((s) => s.devicePool === 'DP_A').map((s) => s.deviceName).sort().reverse())
  })
})

test('ended sessions of several device pools use one prepared statement whatever their number: one per number (a UNION of that many pages, ~200 KB each, kept for good) let any viewer fill the server\'s memory', () => {
  withDatabase((db) => {
    const { recording, prepared } = recordingPrepares(db)
    const { reads } = createInventoryRepository(recording)
    prepared.length = 0
    for (let count = 1; count <= MAX_POOL_FILTERS; count++) {
      reads.historyPage({ devicePool: Array.from({ length: count }, (_, i) => `DP_${i}`) }, 5, undefined)
    }
    assert.equal(prepared.length, 1, `${prepared.length} statements, the largest ${Math.max(...prepared.map((sql) => sql.length))} characters`)
  })
})

test('the statements of the live sessions\' filters are kept up to a bound, the least recently used forgotten first: a viewer varying pools, sort and order (800 shapes) cannot fill the server\'s memory', () => {
  withDatabase((db) => {
    const { recording, prepared } = recordingPrepares(db)
    const { reads } = createInventoryRepository(recording)
    const page = (pools: number, sort: SessionSort, order: SortOrder): void => {
      reads.sessionsPage({ devicePool: Array.from({ length: pools }, (_, i) => `DP_${i}`) }, sort, order, 5, undefined, Date.now())
    }
    for (let pools = 1; pools <= MAX_POOL_FILTERS; pools++) {
      for (const sort of SESSION_SORTS) for (const order of ['asc', 'desc'] as const) page(pools, sort, order)
    }
    assert.ok(prepared.length > 2 * STATEMENTS_KEPT, `${prepared.length} statements prepared`)
    prepared.length = 0
    page(MAX_POOL_FILTERS, 'description', 'desc')
    assert.equal(prepared.length, 0, 'one used lately is kept')
    page(1, 'loginTime', 'asc')
    assert.notEqual(prepared.length, 0, 'the first, used least recently, was forgotten')
  })
})

test('a refresh beside another process writing to its database (a CLI command\'s logouts) leaves it the lock between its writes: its changes wait for one write of the refresh, not for all of them', async () => {
  await withStore(async (store, path) => {
    const phones = Array.from({ length: 2000 }, (_, i) => phone(`SEP${String(i).padStart(12, '0')}`))
    const axl = changingUsers(phones, 500)
    const batchSize = 50
    const inventory = createInventory({ clusterId: 'hq', axl, store, refreshSeconds: 0, historyDays: 30, batchSize })
    assert.equal((await inventory.refresh()).ok, true)
    const beside = await writesBeside(path)
    try {
      const before = beside.commits()
      assert.equal((await inventory.refresh()).ok, true)
      const during = beside.commits() - before
      // A turn of the event loop between two writes freed the lock for well under a millisecond:
      // the other process met it now and then, and otherwise waited for the whole refresh.
      const writes = (phones.length + 500) / batchSize
      assert.ok(during >= writes / 2, `the other process committed ${during} changes during a refresh of ${writes} writes`)
    } finally {
      await beside.stop()
    }
  })
})

test('a refresh writes sessions in short writes, each of at most SESSIONS_PER_WRITE: 1,000 ended and started held the lock 100-250 ms, which a CLI command beside the server waited out', async () => {
  await withStore(async (store) => {
    const rows: number[] = []
    const watched: Store = {
      ...store,
      write: async (change, label) => {
        const result = await store.write(change, label)
        if (label === 'inventory sessions') {
          const { started, ended, updated } = result as { started: number, ended: number, updated: number }
          rows.push(Math.max(started, ended) + updated)
        }
        return result
      }
    }
    const names = Array.from({ length: 1200 }, (_, i) => `SEP${String(i).padStart(12, '0')}`)
    const inventory = createInventory({ clusterId: 'hq', axl: changingUsers(names.map(phone), names.length), store: watched, refreshSeconds: 0, historyDays: 30 })
    assert.equal((await inventory.refresh()).ok, true)
    const outcome = await inventory.refresh()
    assert.equal(outcome.ok && outcome.ended, names.length)
    assert.ok(rows.every((n) => n <= SESSIONS_PER_WRITE) && SESSIONS_PER_WRITE <= 250, `sessions per write: ${rows.join(', ')}`)
    assert.equal(store.inventory.historyPage({}, 2000, undefined).sessions.length, names.length)
  })
})

test('ended sessions past SESSION_HISTORY_DAYS are deleted after a refresh in short writes, each of at most PURGE_BATCH rows (5,000 held the event loop ~1 s on a year\'s history)', async () => {
  await withStore(async (store) => {
    const old = Array.from({ length: PURGE_BATCH * 2 + 7 }, (_, i) => session(`SEP${String(i).padStart(5, '0')}`))
    await store.write((w) => w.inventory.applySessions('hq', { from: null, to: null, items: old }, new Date('2026-01-01T08:00:00Z')), 'logins')
    await store.write((w) => w.inventory.applySessions('hq', { from: null, to: null, items: [] }, new Date('2026-01-01T18:00:00Z')), 'ended')
    // What each purge write deleted, read from the store's own answers.
    const deleted: number[] = []
    const watched: Store = {
      ...store,
      write: async (change, label) => {
        const result = await store.write(change, label)
        if (label === 'session history purge') deleted.push(result as number)
        return result
      }
    }
    // A cluster whose AXL lists nothing now: the refresh ends no session, then purges.
    const listing = { rows: [], counted: 0, version: '15.0', pageSize: 1000, requests: 1 }
    const axl: AxlSource = { version: '15.0', listPhones: async () => listing, listSessions: async () => listing }
    const inventory = createInventory({ clusterId: 'hq', axl, store: watched, refreshSeconds: 0, historyDays: 30, now: () => new Date('2026-03-01T00:00:00Z') })
    const outcome = await inventory.refresh()
    assert.equal(outcome.ok, true)
    // The purge follows the refresh's answer (see the next test).
    await eventually(() => deleted.reduce((a, b) => a + b, 0) >= old.length || undefined, 10_000)
    assert.equal(deleted.reduce((a, b) => a + b, 0), old.length)
    assert.ok(deleted.every((n) => n <= PURGE_BATCH) && PURGE_BATCH <= 1000, `deleted per write: ${deleted.join(', ')}`)
    assert.equal(store.inventory.historyPage({}, 10, undefined).sessions.length, 0)
    await inventory.stop()
  })
})

test('a refresh answers once the inventory is written, not after the purge of a lowered SESSION_HISTORY_DAYS (a year of rows, minutes of writes: em-console sessions took 110 s); a stop ends the purge after its write in flight', async () => {
  await withStore(async (store) => {
    const old = Array.from({ length: PURGE_BATCH * 3 }, (_, i) => session(`SEP${String(i).padStart(5, '0')}`))
    await store.write((w) => w.inventory.applySessions('hq', { from: null, to: null, items: old }, new Date('2026-01-01T08:00:00Z')), 'logins')
    await store.write((w) => w.inventory.applySessions('hq', { from: null, to: null, items: [] }, new Date('2026-01-01T18:00:00Z')), 'ended')
    // Each purge write waits for the test's word, as a long purge keeps writing.
    let purges = 0
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    const watched: Store = {
      ...store,
      write: async (change, label) => {
        if (label === 'session history purge') {
          purges++
          await gate
        }
        return await store.write(change, label)
      }
    }
    const listing = { rows: [], counted: 0, version: '15.0', pageSize: 1000, requests: 1 }
    const axl: AxlSource = { version: '15.0', listPhones: async () => listing, listSessions: async () => listing }
    const inventory = createInventory({ clusterId: 'hq', axl, store: watched, refreshSeconds: 0, historyDays: 30, now: () => new Date('2026-03-01T00:00:00Z') })
    const answered = await Promise.race([inventory.refresh(), new Promise<'held'>((resolve) => setTimeout(() => resolve('held'), 2000))])
    assert.ok(answered !== 'held', 'the refresh waited for the purge')
    assert.equal(answered.ok, true)
    assert.equal(inventory.refreshing, false)
    assert.equal(purges, 1)
    const stopping = inventory.stop()
    release()
    await stopping
    // Nothing must happen, so a time: 50 ms is many times the purge's pause between its writes
    // (a turn of the event loop, store.betweenWrites, as no other program writes here).
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(purges, 1, 'no purge write after the stop')
    assert.equal(store.inventory.historyPage({}, 2000, undefined).sessions.length, old.length - PURGE_BATCH)
  })
})

test('a refresh\'s failure is stored at its own time, by which the refresh finds its own action (a TLS problem\'s fix): stored at the write\'s, it showed the code\'s generic fix whenever the write came a millisecond later', () => {
  withDatabase((db) => {
    const { reads, writes } = createInventoryRepository(db, () => new Date('2026-01-01T00:00:01.000Z'))
    writes.recordFailure('hq', { code: 'AXL_TLS', message: 'expired', at: '2026-01-01T00:00:00.000Z' })
    assert.equal(reads.state('hq')?.error?.at, '2026-01-01T00:00:00.000Z')
  })
})

test('a Refresh asked after EM Console changed who is logged in, while a refresh begun before the change still reads AXL, waits for a refresh that reads after it (an admin\'s Refresh right after a logout lists the session as ended)', async () => {
  await withStore(async (store) => {
    const phones = ['SEP001', 'SEP002'].map(phone)
    let loggedIn = [session('SEP001'), session('SEP002')]
    let reads = 0
    let readStarted = (): void => {}
    const firstRead = new Promise<void>((resolve) => { readStarted = resolve })
    let release = (): void => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    const listing = <T>(rows: T[]) => ({ rows, counted: rows.length, version: '15.0', pageSize: 1000, requests: 1 })
    const axl: AxlSource = {
      version: '15.0',
      listPhones: async () => listing(phones),
      listSessions: async () => {
        // What CUCM lists when the read is made; the answer comes when the gate opens.
        const rows = [...loggedIn]
        reads++
        readStarted()
        await gate
        return listing(rows)
      }
    }
    const inventory = createInventory({ clusterId: 'hq', axl, store, refreshSeconds: 0, historyDays: 30 })
    const earlier = inventory.refresh()
    await firstRead
    // SEP001 logged out by EM Console meanwhile (what em-service tells the inventory), then the admin's Refresh.
    loggedIn = [session('SEP002')]
    inventory.changed()
    const asked = inventory.refresh()
    release()
    const before = await earlier
    assert.equal(before.ok && before.ended, 0, 'the earlier refresh read before the logout')
    const outcome = await asked
    assert.equal(reads, 2, 'a second read, after the change')
    assert.equal(outcome.ok && outcome.ended, 1, JSON.stringify(outcome))
    // Asked with no change since the refresh under way began, a Refresh joins it.
    const again = [inventory.refresh(), inventory.refresh()]
    assert.deepEqual(await again[0], await again[1])
    assert.equal(reads, 3)
  })
})

test('two processes refreshing one cluster at once (the server\'s timer, a CLI command\'s selection): a listing read before the other one\'s is not applied after it', async () => {
  await withStore(async (store) => {
    const listing = <T>(rows: T[]) => ({ rows, counted: rows.length, version: '15.0', pageSize: 1000, requests: 1 })
    const phones = ['SEP001', 'SEP002'].map(phone)
    let clock = Date.parse('2026-01-01T09:00:00Z')
    const now = (): Date => new Date(clock)
    // The server's refresh reads its sessions first, and slowly (a page retried, a 503 waited out).
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => { release = resolve })
    let reading: () => void = () => {}
    const read = new Promise<void>((resolve) => { reading = resolve })
    const slow: AxlSource = {
      version: '15.0',
      listPhones: async () => listing(phones),
      listSessions: async () => { const rows = [session('SEP001')]; reading(); await held; return listing(rows) }
    }
    const server = createInventory({ clusterId: 'hq', store, refreshSeconds: 0, historyDays: 30, now, axl: slow })
    // The CLI's, begun after it, reads a login at SEP002 since, and is written first.
    const quick: AxlSource = {
      version: '15.0',
      listPhones: async () => listing(phones),
      listSessions: async () => listing([session('SEP001'), { ...session('SEP002'), loginTime: '2026-01-01T09:01:00.000Z' }])
    }
    const cli = createInventory({ clusterId: 'hq', store, refreshSeconds: 0, historyDays: 30, now, axl: quick })
    const serverRefresh = server.refresh()
    await read
    clock += 120_000
    assert.equal((await cli.refresh()).ok, true)
    const asOf = store.inventory.state('hq')?.asOf
    clock += 60_000
    release()
    assert.equal((await serverRefresh).ok, true)
    // The older listing changed nothing: SEP002's user is still logged in, with no phantom end in the history.
    assert.deepEqual(store.inventory.sessionsPage({}, 'device', 'asc', 10, undefined, clock).sessions.map((s) => s.deviceName), ['SEP001', 'SEP002'])
    assert.deepEqual(store.inventory.historyPage({}, 10, undefined).sessions, [])
    assert.equal(store.inventory.state('hq')?.asOf, asOf)
    // A clock moved back is no newer reading: the next listing is written.
    clock -= 3_600_000
    assert.equal((await cli.refresh()).ok, true)
    assert.equal(store.inventory.state('hq')?.asOf, now().toISOString())
  })
})

test('a selection by age takes the sessions logged in at its bound, oldest login first; the summary names the oldest and the largest pool first', async () => {
  await withStore(async (store) => {
    const now = Date.parse('2026-01-02T12:00:00.000Z')
    const at = (hoursAgo: number): string => new Date(now - hoursAgo * 3_600_000).toISOString()
    const sessions: AxlSession[] = [
      { ...session('SEPA01', 'newest'), loginTime: at(12), devicePool: 'DP_BERGEN' },
      { ...session('SEPA02', 'oldest'), loginTime: at(30) },
      { ...session('SEPA03', 'at-bound'), loginTime: at(12.5) },
      { ...session('SEPA04', 'unknown'), loginTime: null },
      { ...session('SEPA05', 'middle'), loginTime: at(20) }
    ]
    await store.write((w) => { w.inventory.applySessions('c1', { from: null, to: null, items: sessions }, new Date(now)) }, 'sessions')
    assert.deepEqual(store.inventory.selectDevices({ olderThanHours: 12.5 }, now).map((s) => s.userId), ['oldest', 'middle', 'at-bound'])
    assert.equal(store.inventory.countUnknownAge({ olderThanHours: 12.5 }, now), 1)
    const summary = store.inventory.summary({}, now)
    assert.equal(summary.oldest?.userId, 'oldest')
    assert.deepEqual(summary.devicePools.map((p) => [p.devicePool, p.sessions]), [['DP_OSLO', 4], ['DP_BERGEN', 1]])
  })
})
