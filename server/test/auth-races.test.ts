import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { startSimulator } from '../src/simulator/server.ts'
import { buildTestApp, TEST_PASSWORD } from './helpers/app.ts'
import { cucmEnvOf } from './helpers/cucm-env.ts'

describe('account changes that arrive together', () => {
  test('five admins demoted at once with new passwords: the last enabled admin stays (one 409), never none', async () => {
    const t = await buildTestApp()
    try {
      const ids = [t.auth.accountByName('test-admin')?.id ?? 0]
      for (let i = 1; i <= 4; i++) ids.push((await t.auth.createAccount({ actor: 'test', trigger: 'api' }, `admin-${i}`, TEST_PASSWORD, 'admin')).id)
      const answers = await Promise.all(ids.map(async (id) => await t.inject({ method: 'PATCH', url: `/api/accounts/${id}`, payload: { role: 'viewer', password: 'another-long-password' } })))
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 200, 200, 200, 409])
      assert.equal(answers.find((a) => a.statusCode === 409)?.json().error.code, 'LAST_ADMIN')
      const admins = t.auth.listAccounts().filter((a) => a.role === 'admin' && !a.disabled)
      assert.equal(admins.length, 1)
    } finally {
      await t.close()
    }
  })

  test('five setups with the one-time token at once: one admin, four refusals', async () => {
    const t = await buildTestApp({ accounts: false })
    try {
      const { setupToken: token } = await t.runtime.bootstrapped
      assert.ok(token !== undefined)
      const answers = await Promise.all([1, 2, 3, 4, 5].map(async (i) => await t.inject({ method: 'POST', url: '/api/setup', payload: { token, username: `first-${i}`, password: 'a-very-long-secret' } }, 'none')))
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 403, 403, 403, 403])
      assert.equal(t.auth.listAccounts().length, 1)
    } finally {
      await t.close()
    }
  })
})

describe('the demo admin and the move to production', () => {
  test('a start against a CUCM on the demo database disables the demo admin, says so, and never serves its password', async () => {
    const demo = await buildTestApp({ accounts: false, mode: 'simulator' })
    const sim = await startSimulator()
    let t = demo
    try {
      const info = (await demo.inject('/api/session/info', 'none')).json()
      const credentials = info.demoCredentials as { username: string, password: string }
      assert.equal((await demo.inject({ method: 'POST', url: '/api/session', payload: credentials }, 'none')).statusCode, 200)

      t = await demo.restart({
        env: { ...cucmEnvOf(sim), ADMIN_USERNAME: 'real-admin', ADMIN_PASSWORD: 'a-long-enough-password' }
      })
      assert.equal(t.runtime.mode, 'cucm')
      const after = (await t.inject('/api/session/info', 'none')).json()
      assert.equal(after.demoCredentials, undefined, 'the demo password is not served outside demo mode')
      const signIn = await t.inject({ method: 'POST', url: '/api/session', payload: credentials }, 'none')
      assert.equal(signIn.statusCode, 401, 'the demo admin cannot sign in against a CUCM')
      assert.ok(t.logs.some((line) => line.includes('"level":40') && line.includes('Disabled the \\"demo\\" admin')), 'a warning in the log')
      const row = t.audit.page({ action: 'account-update', user: 'demo' }, 5).items[0]
      assert.match(row?.message ?? '', /Disabled the "demo" admin/)
      assert.equal(t.auth.accountByName('real-admin')?.role, 'admin', 'the admin from the environment is created instead')
    } finally {
      await t.close()
      await sim.close()
    }
  })
})
