import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
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
})
