import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Role } from '@em-console/shared/schemas'
import { buildTestApp, type TestApp } from './helpers/app.ts'

let t: TestApp

before(async () => { t = await buildTestApp() })
after(async () => await t.close())

const OLD = 'first-password-of-mine'
const NEW = 'second-password-of-mine'

interface Signed { cookie: string, csrf: string }

async function signIn (username: string, password: string): Promise<Signed | number> {
  const res = await t.inject({ method: 'POST', url: '/api/session', payload: { username, password } }, 'none')
  if (res.statusCode !== 200) return res.statusCode
  const cookie = res.cookies.find((c) => c.name === 'em_session')
  return { cookie: `em_session=${cookie?.value ?? ''}`, csrf: res.json().csrfToken as string }
}

async function signedIn (username: string, password: string): Promise<Signed> {
  const session = await signIn(username, password)
  assert.ok(typeof session !== 'number', `sign-in of ${username} failed: ${String(session)}`)
  return session
}

async function changePassword (session: Signed, payload: object) {
  return await t.inject({ method: 'PUT', url: '/api/session/password', payload, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } }, 'none')
}

async function sessionStatus (session: Signed): Promise<number> {
  return (await t.inject({ url: '/api/session', headers: { cookie: session.cookie } }, 'none')).statusCode
}

describe('PUT /api/session/password: people change their own password', () => {
  for (const role of ['viewer', 'operator', 'admin'] as const satisfies readonly Role[]) {
    test(`a ${role}: 204; this session stays, the others of the account end; audited`, async () => {
      const username = `self-${role}`
      await t.auth.createAccount({ actor: 'test', trigger: 'api' }, username, OLD, role)
      const here = await signedIn(username, OLD)
      const elsewhere = await signedIn(username, OLD)
      const res = await changePassword(here, { currentPassword: OLD, newPassword: NEW })
      assert.equal(res.statusCode, 204, res.body)
      assert.equal(await sessionStatus(here), 200, 'the session that asked stays')
      assert.equal(await sessionStatus(elsewhere), 401, 'other sessions of the account end')
      assert.equal(await signIn(username, OLD), 401, 'the old password no longer signs in')
      await signedIn(username, NEW)
      const [row] = t.audit.page({ action: 'account-update', user: username, outcome: 'success' }, 1).items
      assert.equal(row?.actor, username)
      assert.match(row?.message ?? '', /changed their own password; 1 other session ended/)
      assert.ok(!JSON.stringify(row).includes(NEW) && !JSON.stringify(row).includes(OLD), 'no password in the audit trail')
    })
  }

  test('a wrong current password: 400 naming currentPassword, audited, nothing changes', async () => {
    await t.auth.createAccount({ actor: 'test', trigger: 'api' }, 'self-wrong', OLD, 'viewer')
    const here = await signedIn('self-wrong', OLD)
    const res = await changePassword(here, { currentPassword: 'not-my-password', newPassword: NEW })
    assert.equal(res.statusCode, 400, 'not 401: the dashboard would take that for an ended session')
    const { error } = res.json()
    assert.deepEqual([error.code, error.field], ['WRONG_PASSWORD', 'currentPassword'])
    assert.match(error.message, /current password/)
    assert.equal(await sessionStatus(here), 200)
    await signedIn('self-wrong', OLD)
    const [row] = t.audit.page({ action: 'account-update', user: 'self-wrong' }, 1).items
    assert.deepEqual([row?.outcome, row?.errorCode], ['failure', 'WRONG_PASSWORD'])
  })

  test('wrong current passwords count towards the sign-in lock', async () => {
    await t.auth.createAccount({ actor: 'test', trigger: 'api' }, 'self-guess', OLD, 'viewer')
    const here = await signedIn('self-guess', OLD)
    for (let i = 0; i < 5; i++) assert.equal((await changePassword(here, { currentPassword: `guess-${i}-password`, newPassword: NEW })).statusCode, 400)
    const locked = await changePassword(here, { currentPassword: OLD, newPassword: NEW })
    assert.equal(locked.statusCode, 429)
    assert.equal(locked.json().error.code, 'ACCOUNT_LOCKED')
  })

  test('the new password follows the policy, naming newPassword; bad bodies name their field', async () => {
    await t.auth.createAccount({ actor: 'test', trigger: 'api' }, 'self-weak', OLD, 'operator')
    const here = await signedIn('self-weak', OLD)
    const short = await changePassword(here, { currentPassword: OLD, newPassword: 'short' })
    assert.deepEqual([short.statusCode, short.json().error.field], [400, 'newPassword'])
    assert.match(short.json().error.message, /new password must be at least 12 characters/)
    const same = await changePassword(here, { currentPassword: OLD, newPassword: OLD })
    assert.deepEqual([same.statusCode, same.json().error.field], [400, 'newPassword'])
    const missing = await changePassword(here, { newPassword: NEW })
    assert.deepEqual([missing.statusCode, missing.json().error.field], [400, 'currentPassword'])
    assert.match(missing.json().error.message, /^Current password \(body field "currentPassword"\)/)
    await signedIn('self-weak', OLD)
  })

  test('needs a session and the CSRF header', async () => {
    assert.equal((await t.inject({ method: 'PUT', url: '/api/session/password', payload: { currentPassword: OLD, newPassword: NEW } }, 'none')).statusCode, 401)
    const session = await signedIn('test-viewer', 'correct-horse-battery')
    const noCsrf = await t.inject({ method: 'PUT', url: '/api/session/password', payload: { currentPassword: OLD, newPassword: NEW }, headers: { cookie: session.cookie } }, 'none')
    assert.equal(noCsrf.statusCode, 403)
  })
})
