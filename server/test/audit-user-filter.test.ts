import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { AuditFilter } from '@em-console/shared/schemas'
import { createAuditRepository, USER_ROWS_COLLECTED, userRowsCollected } from '../src/audit/audit-repository.ts'
import { openDatabase } from '../src/store/database.ts'

/** `db`, with each statement the repository runs recorded with its values (to ask SQLite how it runs them). */
function recordingRuns (db: ReturnType<typeof openDatabase>): { recording: ReturnType<typeof openDatabase>, ran: Array<{ sql: string, values: unknown[] }> } {
  const ran: Array<{ sql: string, values: unknown[] }> = []
  const recording = new Proxy(db, {
    get: (target, key) => {
      if (key === 'prepare') {
        return (sql: string) => {
          const statement = target.prepare(sql)
          return new Proxy(statement, {
            get: (s, name) => {
              const value: unknown = Reflect.get(s, name)
              if (typeof value !== 'function') return value
              if (name !== 'all' && name !== 'get') return value.bind(s)
              return (...values: unknown[]) => { ran.push({ sql, values: values.flat() }); return value.apply(s, values) }
            }
          })
        }
      }
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
  return { recording, ran }
}

test('History\'s user filter collects a few matches first and tests many row by row, newest first, never collecting every ended session of every matching user (a year\'s database is millions)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-user-filter-'))
  const db = openDatabase(join(dir, 'audit.db'))
  try {
    const { recording, ran } = recordingRuns(db)
    const { reads, writes } = createAuditRepository(recording)
    const ended = { outcome: 'success', message: 'done' } as const
    // A logout-all (it names nobody) that ended two users' sessions, a user's own login, a look-up.
    const logoutAll = writes.record({ actor: 'ops', trigger: 'schedule', action: 'logout-all', cluster: 'hq' }, ended)
    const login = writes.record({ actor: 'ops', trigger: 'api', action: 'login', devices: ['SEP001'], userId: 'User_7', cluster: 'hq' }, ended)
    writes.record({ actor: 'ops', trigger: 'api', action: 'device-query', devices: ['SEP002'], cluster: 'hq' }, ended)
    const logout = writes.record({ actor: 'ops', trigger: 'api', action: 'logout', devices: ['SEP003'], cluster: 'hq' }, ended)
    const endSession = db.prepare("INSERT INTO session_history (cluster, device, user_id, ended_ms, ended_by, audit_id) VALUES ('hq', ?, ?, 0, ?, ?)")
    endSession.run('SEP001', 'user1', 'em-console', logoutAll)
    endSession.run('SEP002', 'USERX2', 'em-console', logoutAll)
    endSession.run('SEP003', 'user3', 'em-console', logout)
    endSession.run('SEP004', 'user_7', 'auto-logout', null)

    const ids = (filter: AuditFilter, limit = 10): number[] => reads.page(filter, limit).items.map((item) => item.id)
    const expectRows = (): void => {
      assert.deepEqual(ids({ user: 'u' }), [logout, login, logoutAll])
      assert.deepEqual(ids({ user: 'userx' }), [logoutAll])
      assert.deepEqual(ids({ user: 'user_' }), [login], 'LIKE\'s wildcards are taken literally')
      assert.deepEqual(ids({ user: 'nobody' }), [])
      assert.deepEqual(ids({ user: 'user', action: 'logout-all' }), [logoutAll])
      assert.deepEqual(reads.page({ user: 'u' }, 1).total, 3)
    }
    // A few matches are collected first: an exact user stays ~1 ms however long the trail.
    expectRows()
    ran.length = 0
    reads.page({ user: 'user3' }, 1)
    assert.ok(ran.some(({ sql }) => sql.includes('UNION')), 'a user of few records collects them')

    // A prefix of many ended sessions (a year of nightly logout-alls: millions) is tested row by row.
    const many = db.prepare("INSERT INTO session_history (cluster, device, user_id, ended_ms, ended_by, audit_id) VALUES ('hq', ?, ?, 0, 'em-console', ?)")
    db.transaction(() => { for (let i = 0; i < USER_ROWS_COLLECTED; i++) many.run(`SEPB${i}`, `ubulk${i}`, logoutAll) })()
    expectRows()
    for (const filter of [{ user: 'u' }, { user: 'u', outcome: 'success' }] as AuditFilter[]) {
      ran.length = 0
      reads.page(filter, 1)
      const tested = ran.filter(({ sql }) => sql.includes('sh.audit_id = audit.id'))
      assert.equal(tested.length, 2, `${JSON.stringify(filter)}: a page and its count, tested row by row`)
      for (const { sql, values } of tested) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>).map((r) => r.detail)
        const shown = `${JSON.stringify(filter)}: ${plan.join(' | ')}`
        // Each record's sessions of the user: one range of one record's sessions.
        assert.deepEqual(plan.filter((step) => step.includes('session_history')), ['SEARCH sh USING COVERING INDEX session_history_audit (audit_id=? AND user_id>? AND user_id<?)'], shown)
        // Nothing gathered before the first row: no list of ids, no union, no sort.
        assert.ok(!plan.some((step) => /LIST SUBQUERY|UNION|COMPOUND|TEMP B-TREE/.test(step)), shown)
      }
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('History\'s user filter collects a user of thousands of records in a trail of many more: tested row by row, the count walked the whole trail (p3-audit-page-user, p95 110 ms on a million records)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-user-rows-'))
  const db = openDatabase(join(dir, 'audit.db'))
  try {
    const records = 50_000
    const user = (i: number): string => i % 16 === 0 ? 'often.here' : `user${i % 997}`
    const insert = db.prepare("INSERT INTO audit (started_at, actor, trigger, action, devices, user_id, outcome, cluster) VALUES (?, 'ops', 'api', 'logout', ?, ?, 'success', 'hq')")
    db.transaction(() => { for (let i = 0; i < records; i++) insert.run(new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), `["SEP${i}"]`, user(i)) })()
    const often = Math.ceil(records / 16)
    assert.ok(often > USER_ROWS_COLLECTED && often < userRowsCollected(records), `${often} records of the user`)
    const { recording, ran } = recordingRuns(db)
    const { reads } = createAuditRepository(recording)
    const page = reads.page({ user: 'often.here' }, 50)
    assert.deepEqual([page.items.length, page.total], [50, often])
    assert.ok(ran.some(({ sql }) => sql.includes('UNION')) && !ran.some(({ sql }) => sql.includes('sh.audit_id = audit.id')), 'collected, not tested row by row')
    // A prefix most records match is still tested row by row.
    ran.length = 0
    reads.page({ user: 'u' }, 50)
    assert.ok(ran.some(({ sql }) => sql.includes('sh.audit_id = audit.id')), 'tested row by row')
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
