import assert from 'node:assert/strict'
import { after, before, describe, test, type TestContext } from 'node:test'
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

/**
 * Runs `step` each time a write labelled `label` is asked of the real store, before it is queued
 * (`nth` counts them from 1): what the test means to happen meanwhile happens there, not by timing.
 */
function beforeWrite (ctx: TestContext, label: string, step: (nth: number) => Promise<void>): void {
  const write = t.store.write
  let nth = 0
  ctx.mock.method(t.store, 'write', async (...args: Parameters<typeof write>) => {
    if (args[1] === label) await step(++nth)
    return await write(...args)
  })
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

describe('an admin acts on an account while its own password change is under way', () => {
  test('a password set by an admin in the meantime stands: the own change is refused, not written over it', async (ctx) => {
    const created = await t.auth.createAccount({ actor: 'test', trigger: 'api' }, 'self-raced', OLD, 'operator')
    const here = await signedIn('self-raced', OLD)
    const RESET = 'password-the-admin-set'
    // The admin's reset is written while the own change goes on: after the own change has read the
    // account and checked its password, before it writes. Left to timing (one scrypt run against two),
    // a busy machine once let the own change finish first, a valid order that tests nothing.
    let reset: Awaited<ReturnType<TestApp['inject']>> | undefined
    beforeWrite(ctx, 'password changed', async (nth) => {
      if (nth === 1) reset = await t.inject({ method: 'PATCH', url: `/api/accounts/${created.id}`, payload: { password: RESET } })
    })
    const own = await changePassword(here, { currentPassword: OLD, newPassword: NEW })
    assert.ok(reset !== undefined, 'the own change reached its write')
    assert.equal(reset.statusCode, 200, reset.body)
    assert.equal(own.statusCode, 401, `the own change was taken over the admin's reset: ${own.statusCode} ${own.body}`)
    assert.equal(await signIn('self-raced', NEW), 401, 'the own new password signs in: the admin\'s reset was undone')
    await signedIn('self-raced', RESET)
  })
})

test('two changes of one\'s own password at once (two tabs): one is saved, the other refused (409), not both answered 204 with the later one kept', async (ctx) => {
  await t.auth.createAccount({ actor: 'test', trigger: 'api' }, 'self-twice', OLD, 'viewer')
  const here = await signedIn('self-twice', OLD)
  // Both have read the account and checked the password before either writes: the first to reach its
  // write waits for the second, not left to timing.
  let bothAtWrite: () => void = () => {}
  const second = new Promise<void>((resolve) => { bothAtWrite = resolve })
  beforeWrite(ctx, 'password changed', async (nth) => {
    if (nth === 1) await second
    else bothAtWrite()
  })
  const answers = await Promise.all(['first-new-password', 'second-new-password'].map(async (newPassword) => await changePassword(here, { currentPassword: OLD, newPassword })))
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [204, 409], answers.map((a) => a.body).join(' '))
  const refused = answers.find((a) => a.statusCode === 409)
  assert.equal(refused?.json().error.code, 'CHANGED_SINCE_READ')
  const saved = answers[0]?.statusCode === 204 ? 'first-new-password' : 'second-new-password'
  await signedIn('self-twice', saved)
  assert.equal(await sessionStatus(here), 200, 'the session that asked stays')
})
