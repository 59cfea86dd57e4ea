import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { createAuditRepository } from '../src/audit/audit-repository.ts'
import { closeDatabase, openDatabase } from '../src/db/database.ts'

test('finished audit rows trail in memory briefly, reads flush them, and closing commits them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-wb-'))
  const path = join(dir, 'audit.db')
  try {
    const db = openDatabase(path)
    const audit = createAuditRepository(db)
    const id = audit.insertPending({ actor: 'a', trigger: 'api', action: 'logout', devices: ['SEP1'] })
    audit.finish(id, { outcome: 'success', message: 'Logged out.' })
    const other = new Database(path, { readonly: true })
    const outcomeSeenElsewhere = (): string => (other.prepare('SELECT outcome FROM audit WHERE id = ?').get(id) as { outcome: string }).outcome
    assert.equal(outcomeSeenElsewhere(), 'pending', 'the pending row is committed at once; its finish trails')
    assert.equal(audit.get(id)?.outcome, 'success', 'this process reads its own writes')
    assert.equal(outcomeSeenElsewhere(), 'success')
    const second = audit.insertPending({ actor: 'a', trigger: 'api', action: 'logout', devices: ['SEP2'] })
    audit.finish(second, { outcome: 'failure', message: 'Device does not exist.', emapiCode: 11 })
    closeDatabase(db)
    assert.equal((other.prepare('SELECT outcome FROM audit WHERE id = ?').get(second) as { outcome: string }).outcome, 'failure')
    other.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
