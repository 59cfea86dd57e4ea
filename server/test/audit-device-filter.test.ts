import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { AuditFilter } from '@em-console/shared/schemas'
import { createAuditRepository, deviceRowsCollected } from '../src/audit/audit-repository.ts'
import { openDatabase } from '../src/store/database.ts'

test('History\'s device filter finds the logout-all that ended a session on the device ("who logged SEP001122334455 out?"), collecting a few matches first and testing many row by row, newest first', () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-device-filter-'))
  const db = openDatabase(join(dir, 'audit.db'))
  try {
    const ran: string[] = []
    const recording = new Proxy(db, {
      get: (target, key) => {
        if (key === 'prepare') return (sql: string) => { ran.push(sql); return target.prepare(sql) }
        const value: unknown = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
    const { reads, writes } = createAuditRepository(recording)
    const ended = { outcome: 'success', message: 'done' } as const
    // A logout-all (it names no device) that ended sessions on two phones, a login, a look-up, a logout.
    const logoutAll = writes.record({ actor: 'schedule:nightly', trigger: 'schedule', action: 'logout-all', cluster: 'hq' }, ended)
    const login = writes.record({ actor: 'ops', trigger: 'api', action: 'login', devices: ['SEP001122334455'], userId: 'jdoe', cluster: 'hq' }, ended)
    const lookUp = writes.record({ actor: 'ops', trigger: 'api', action: 'device-query', devices: ['SEP00AA', 'SEP_9'], cluster: 'hq' }, ended)
    const logout = writes.record({ actor: 'ops', trigger: 'api', action: 'logout', devices: ['SEP003'], cluster: 'hq' }, ended)
    const laterLogoutAll = writes.record({ actor: 'schedule:nightly', trigger: 'schedule', action: 'logout-all', cluster: 'hq' }, ended)
    const endSession = db.prepare("INSERT INTO session_history (cluster, device, user_id, ended_ms, ended_by, audit_id) VALUES ('hq', ?, ?, 0, ?, ?)")
    endSession.run('SEP001122334455', 'jdoe', 'em-console', logoutAll)
    endSession.run('sepAB', 'asmith', 'em-console', logoutAll)
    endSession.run('SEP003', 'bob', 'em-console', logout)
    endSession.run('SEP001122334455', 'jdoe', 'auto-logout', null)
    endSession.run('SEPCC', 'carol', 'em-console', laterLogoutAll)

    const ids = (filter: AuditFilter, limit = 10): number[] => reads.page(filter, limit).items.map((item) => item.id)
    const expectRows = (): void => {
      assert.deepEqual(ids({ device: 'SEP001122334455' }), [login, logoutAll])
      assert.deepEqual(ids({ device: 'sep001122334455', action: 'logout-all' }), [logoutAll])
      assert.deepEqual(ids({ device: 'SEPAB' }), [logoutAll], 'case aside, as a record\'s own devices')
      assert.deepEqual(ids({ device: 'SEP00' }), [logout, lookUp, login, logoutAll])
      assert.deepEqual(ids({ device: 'SEP_' }), [lookUp], 'LIKE\'s wildcards are taken literally')
      assert.deepEqual(ids({ device: 'SEP003' }), [logout])
      assert.deepEqual(ids({ device: 'nothing' }), [])
      assert.deepEqual(ids({ device: 'SEP' }), [laterLogoutAll, logout, lookUp, login, logoutAll])
      const page = reads.page({ device: 'SEP0' }, 1)
      assert.deepEqual([page.total, page.totalIsLowerBound], [4, false])
      assert.equal(reads.page({ device: 'SEP001122334455', outcome: 'success' }, 1).total, 2)
      assert.equal(reads.page({ device: 'SEP' }, 2).total, 5)
      assert.deepEqual([...reads.iterate({ device: 'SEP001122334455' }, 1)].flat().map((item) => item.id), [login, logoutAll], 'the CSV export too')
    }
    // A few matches are collected first.
    expectRows()
    assert.ok(ran.some((sql) => sql.includes('UNION ALL SELECT audit_id FROM session_history')), 'a device of few records collects them')

    // A prefix of many ended sessions (a year of nightly logout-alls: millions) is tested row by row.
    const many = db.prepare("INSERT INTO session_history (cluster, device, user_id, ended_ms, ended_by, audit_id) VALUES ('hq', ?, ?, 0, 'em-console', ?)")
    db.transaction(() => { for (let i = 0; i < deviceRowsCollected(5); i++) many.run(`SEPB${i}`, `u${i}`, laterLogoutAll) })()
    ran.length = 0
    expectRows()
    const tested = ran.filter((sql) => sql.includes('sh.audit_id = audit.id') && sql.includes('sh.device LIKE'))
    assert.ok(tested.length > 0, 'tested row by row')
    for (const sql of tested) {
      const values = [...sql.matchAll(/\?/g)].map(() => 'SEP%')
      // Its placeholders are all patterns but for the limit (and a cursor or id bound, none here).
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values.slice(0, -1), 2) as Array<{ detail: string }>).map((r) => r.detail)
      const shown = plan.join(' | ')
      assert.ok(plan.some((step) => step.includes('session_history_audit (audit_id=?)')), shown)
      assert.ok(!plan.some((step) => /LIST SUBQUERY|UNION|COMPOUND|TEMP B-TREE/.test(step)), shown)
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
