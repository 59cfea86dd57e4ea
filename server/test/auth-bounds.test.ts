import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { hashToken } from '../src/auth/sessions-repository.ts'
import { buildTestApp, TEST_PASSWORD } from './helpers/app.ts'

const caller = { clientIp: '127.0.0.1', trigger: 'api' as const }

describe('what sign-ins leave behind stays bounded over months', () => {
  test('failed sign-ins under ever new user names: those past the lock window are forgotten, the lock still holds', async () => {
    let clock = Date.now()
    const t = await buildTestApp({ tuning: { now: () => new Date(clock) } })
    try {
      // 300 names tried once each (typos, a scan), 60 every 16 minutes: past the 15-minute window each time.
      for (let round = 0; round < 5; round++) {
        await Promise.all(Array.from({ length: 60 }, async (_, i) => {
          await assert.rejects(t.auth.signIn(caller, `typo-${round}-${i}`, 'not-the-password'), { code: 'BAD_CREDENTIALS' })
        }))
        clock += 16 * 60_000
      }
      const { failedSignIns } = t.auth.traces()
      assert.ok(failedSignIns <= 120, `${failedSignIns} user names kept after 300 failed sign-ins, 60 of them within the lock window`)
      // The lock still counts: five failures lock the account.
      for (let i = 0; i < 5; i++) await assert.rejects(t.auth.signIn(caller, 'test-admin', 'wrong-password'), { code: 'BAD_CREDENTIALS' })
      await assert.rejects(t.auth.signIn(caller, 'test-admin', TEST_PASSWORD), { code: 'ACCOUNT_LOCKED' })
    } finally {
      await t.close()
    }
  })

  test('sessions abandoned without signing out: neither their last requests in memory nor their rows are kept past their idle limit', async () => {
    let clock = Date.now()
    const t = await buildTestApp({ env: { SESSION_IDLE_MINUTES: '1' }, tuning: { now: () => new Date(clock) } })
    try {
      const accountId = t.auth.accountByName('test-viewer')?.id ?? 0
      // 600 browsers that each sign in, make a request and close, one every 10 s (100 minutes).
      const busy = randomBytes(32).toString('base64url')
      const open = async (token: string): Promise<void> => {
        await t.store.write((w) => { w.sessions.insert(hashToken(token), { accountId, csrfToken: 'x', createdAt: clock, lastSeenAt: clock }) }, 'test session')
      }
      await open(busy)
      for (let i = 0; i < 600; i++) {
        const token = randomBytes(32).toString('base64url')
        await open(token)
        assert.ok(t.auth.useSession(token) !== undefined, `session ${i} is live at once`)
        // One session stays in use all along: a sweep never ends it.
        assert.ok(t.auth.useSession(busy) !== undefined, `the busy session is live after ${i * 10} s`)
        clock += 10_000
      }
      const { sessionsSeen } = t.auth.traces()
      assert.ok(sessionsSeen <= 100, `${sessionsSeen} sessions' last requests kept; 7 are live`)
      // A sign-in now purges the rows of sessions past their limits.
      await t.auth.signIn(caller, 'test-viewer', TEST_PASSWORD)
      const db = new Database(t.databasePath, { readonly: true })
      try {
        const rows = db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }
        assert.ok(rows.n <= 25, `${rows.n} session rows left of 602; at most 7 live and those idle less than 3 minutes`)
      } finally {
        db.close()
      }
      assert.ok(t.auth.useSession(busy) !== undefined, 'the busy session survived the purge')
    } finally {
      await t.close()
    }
  })
})
