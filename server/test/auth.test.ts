import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import type { AuditPage, Role } from '@em-console/shared/schemas'
import Fastify from 'fastify'
import { hashPassword, verifyPassword } from '../src/auth/passwords.ts'
import { UNKNOWN_USER_NAME } from '../src/auth/auth-service.ts'
import authPlugin from '../src/plugins/auth.ts'
import { SEED_OCCUPIED_DEVICE, SEED_USER } from '../src/simulator/seed.ts'
import { buildTestApp, TEST_PASSWORD, type TestApp } from './helpers/app.ts'

const RANK = { public: 0, viewer: 1, operator: 2, admin: 3 } as const
const CALLERS = ['none', 'viewer', 'operator', 'admin'] as const

function concrete (url: string): string {
  return url.replace(':name', SEED_OCCUPIED_DEVICE).replace(':userId', SEED_USER).replace(':id', '1')
}

describe('access matrix, generated from the route table', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  test('every /api route × every caller gets the status its role allows', async () => {
    const routes = [...t.app.routeTable].sort((a, b) => Number(a.url === '/api/session') - Number(b.url === '/api/session'))
    assert.ok(routes.length >= 22, `only ${routes.length} routes in the table`)
    for (const route of routes) assert.ok(route.role in RANK, `${route.method} ${route.url} has role ${route.role}`)
    for (const caller of CALLERS) {
      for (const route of routes) {
        const res = await t.inject({ method: route.method as 'GET', url: concrete(route.url), ...(route.method === 'GET' ? {} : { payload: {} }) }, caller)
        const label = `${caller} → ${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 120)}`
        const rank = caller === 'none' ? 0 : RANK[caller]
        if (route.role === 'public') assert.ok(res.statusCode !== 403, label)
        else if (caller === 'none') assert.equal(res.statusCode, 401, label)
        else if (rank < RANK[route.role]) assert.equal(res.statusCode, 403, label)
        else assert.ok(res.statusCode !== 401 && res.statusCode !== 403, label)
      }
    }
  })

  test('a route that declares no role stops the server from starting', async () => {
    const fastify = Fastify()
    await fastify.register(authPlugin, { auth: t.auth, secureCookies: false })
    assert.throws(() => fastify.get('/api/forgotten', async () => ({})), /GET \/api\/forgotten declares no role/)
    await fastify.close()
  })
})

describe('sessions', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  test('sign-in sets an httpOnly, SameSite=Strict cookie and returns the CSRF token', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-viewer', password: TEST_PASSWORD } }, 'none')
    assert.equal(res.statusCode, 200)
    assert.deepEqual(Object.keys(res.json()).sort(), ['csrfToken', 'role', 'user'])
    assert.equal(res.json().role, 'viewer')
    const cookie = res.cookies.find((c) => c.name === 'em_session')
    assert.equal(cookie?.httpOnly, true)
    assert.equal(cookie?.sameSite, 'Strict')
    assert.equal(cookie?.path, '/')
    const me = await t.inject({ url: '/api/session', headers: { cookie: `em_session=${cookie?.value ?? ''}` } }, 'none')
    assert.equal(me.json().user, 'test-viewer')
  })

  test('a tampered cookie is no session', async () => {
    const res = await t.inject({ url: '/api/health', headers: { cookie: 'em_session=forged.token' } }, 'none')
    assert.equal(res.statusCode, 401)
  })

  test('state-changing requests need the CSRF header', async () => {
    const missing = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout`, headers: { 'x-csrf-token': '' } }, 'operator')
    assert.equal(missing.statusCode, 403)
    assert.equal(missing.json().error.code, 'CSRF')
    const wrong = await t.inject({ method: 'POST', url: `/api/devices/${SEED_OCCUPIED_DEVICE}/logout`, headers: { 'x-csrf-token': 'guess' } }, 'operator')
    assert.equal(wrong.statusCode, 403)
    assert.equal(t.sim.stats.requests, 0, 'CUCM was not called')
  })

  test('wrong passwords sent together: no more than five are tried before the lock', async () => {
    await t.auth.createAccount({ actor: 'test', trigger: 'api' }, 'test-parallel', TEST_PASSWORD, 'viewer')
    const answers = await Promise.all(Array.from({ length: 9 }, async (_, i) =>
      await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-parallel', password: `wrong-password-${i}` } }, 'none')))
    const codes = answers.map((res) => res.json().error.code as string)
    assert.equal(codes.filter((code) => code === 'BAD_CREDENTIALS').length, 5, codes.join(' '))
    assert.equal(codes.filter((code) => code === 'ACCOUNT_LOCKED').length, 4, codes.join(' '))
    const right = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-parallel', password: TEST_PASSWORD } }, 'none')
    assert.equal(right.json().error.code, 'ACCOUNT_LOCKED')
  })

  test('a sign-in under a name no account has does not record the text typed (a password typed in the user name field); an account\'s name is recorded', async () => {
    const typed = 'Pa55word-typed-in-the-wrong-field'
    const res = await t.inject({ method: 'POST', url: '/api/session', payload: { username: typed, password: 'whatever-it-was-1' } }, 'none')
    assert.equal(res.statusCode, 401)
    assert.equal(res.json().error.message, 'Wrong user name or password.', 'the answer does not tell a missing account from a wrong password')
    const [row] = t.audit.page({ action: 'sign-in', outcome: 'failure' }, 1).items
    assert.equal(row?.actor, UNKNOWN_USER_NAME)
    assert.equal(row?.userId, null)
    assert.match(row?.message ?? '', /no account has the user name typed/)
    assert.ok(!JSON.stringify(t.audit.page({ action: 'sign-in' }, 50).items).includes(typed), 'nowhere in the trail')
    const csv = await t.inject('/api/audit/export.csv?action=sign-in')
    assert.ok(!csv.body.includes(typed), 'nor in its export')
    await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'TEST-VIEWER', password: 'not-the-password-1' } }, 'none')
    const [known] = t.audit.page({ action: 'sign-in', outcome: 'failure' }, 1).items
    assert.deepEqual([known?.actor, known?.userId], ['test-viewer', 'test-viewer'], 'an account is named as it is spelt')
  })

  test('a failed sign-in\'s log line names the address it came from (what fail2ban and a SIEM match), never the name or password typed', async () => {
    const typed = 'Typed-as-a-user-name-by-mistake'
    const res = await t.inject({ method: 'POST', url: '/api/session', remoteAddress: '192.0.2.41', payload: { username: typed, password: 'not-the-password-22' } }, 'none')
    assert.equal(res.statusCode, 401)
    const lines = t.logs.filter((line) => line.includes('"code":"BAD_CREDENTIALS"'))
    const line = lines.at(-1) ?? ''
    assert.match(line, /"ip":"192\.0\.2\.41"/, line)
    assert.ok(!line.includes(typed) && !line.includes('not-the-password-22'), line)
  })

  test('wrong passwords: 401, audited; five in a row lock the account', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-operator', password: `wrong-password-${i}` } }, 'none')
      assert.equal(res.statusCode, 401)
      assert.equal(res.json().error.message, 'Wrong user name or password.')
    }
    const locked = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-operator', password: TEST_PASSWORD } }, 'none')
    assert.equal(locked.statusCode, 429)
    assert.equal(locked.json().error.code, 'ACCOUNT_LOCKED')
    const rows = t.audit.page({ action: 'sign-in', user: 'test-operator', outcome: 'failure' }, 10).items
    assert.equal(rows.length, 6)
    assert.ok(rows.every((r) => !JSON.stringify(r).includes('wrong-password')), 'tried passwords are not recorded')

    // The account list says it is locked and until when; a new password set by an admin unlocks it, as the refusal says.
    const listed = (await t.inject('/api/accounts')).json().accounts as Array<{ username: string, lockedUntil?: string }>
    const until = listed.find((a) => a.username === 'test-operator')?.lockedUntil
    assert.ok(until !== undefined && Date.parse(until) > Date.now(), `locked until ${String(until)}`)
    assert.equal(listed.find((a) => a.username === 'test-admin')?.lockedUntil, undefined)
    const id = (await t.inject('/api/accounts')).json().accounts.find((a: { username: string }) => a.username === 'test-operator').id as number
    assert.equal((await t.inject({ method: 'PATCH', url: `/api/accounts/${id}`, payload: { password: 'a-new-password-1234' } })).statusCode, 200)
    assert.equal((await t.inject('/api/accounts')).json().accounts.find((a: { username: string }) => a.username === 'test-operator').lockedUntil, undefined)
    const again = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-operator', password: 'a-new-password-1234' } }, 'none')
    assert.equal(again.statusCode, 200, again.body)

    // Locked again, then a new password set by another process (the CLI's `user passwd`): unlocked too.
    for (let i = 0; i < 5; i++) await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-operator', password: `wrong-again-${i}` } }, 'none')
    assert.equal((await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-operator', password: 'a-new-password-1234' } }, 'none')).statusCode, 429)
    const passwordHash = await hashPassword('another-new-password-99')
    await t.store.write((w) => { w.accounts.update(id, { passwordHash }) }, 'a password set by the CLI')
    assert.equal((await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-operator', password: 'another-new-password-99' } }, 'none')).statusCode, 200)
  })

  test('sign-out ends the session on the server; it needs the CSRF header as any change does', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-admin', password: TEST_PASSWORD } }, 'none')
    const cookie = `em_session=${res.cookies.find((c) => c.name === 'em_session')?.value ?? ''}`
    // Another site's page could send the cookie, not the token: it signs nobody out.
    const forged = await t.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } }, 'none')
    assert.equal(forged.statusCode, 403, forged.body)
    assert.equal(forged.json().error.code, 'CSRF')
    assert.equal((await t.inject({ url: '/api/health', headers: { cookie } }, 'none')).statusCode, 200, 'still signed in')
    // Signing in again (as someone else, say) starts another session, whatever the request carries: no token asked.
    const again = await t.inject({ method: 'POST', url: '/api/session', headers: { cookie }, payload: { username: 'test-viewer', password: TEST_PASSWORD } }, 'none')
    assert.equal(again.statusCode, 200, again.body)
    const out = await t.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken } }, 'none')
    assert.equal(out.statusCode, 204)
    assert.equal((await t.inject({ url: '/api/health', headers: { cookie } }, 'none')).statusCode, 401)
    assert.equal(t.audit.page({ action: 'sign-out' }, 1).items[0]?.actor, 'test-admin')
  })

  test('the actor of an audited action is the signed-in user', async () => {
    const res = await t.inject({ url: `/api/devices/${SEED_OCCUPIED_DEVICE}` }, 'viewer')
    assert.equal(res.statusCode, 200)
    assert.equal(t.audit.page({ action: 'device-query' }, 1).items[0]?.actor, 'test-viewer')
  })

  test('idle expiry counts from the last request; the absolute limit ends even a busy session', async () => {
    let clock = Date.now()
    const short = await buildTestApp({ env: { SESSION_IDLE_MINUTES: '1', SESSION_MAX_HOURS: '1' }, tuning: { now: () => new Date(clock) } })
    try {
      const status = async (as: 'viewer'): Promise<number> => (await short.inject('/api/session', as)).statusCode
      // Used every 15 s for two minutes: each request restarts the idle minute.
      for (let i = 0; i < 8; i++) {
        clock += 15_000
        assert.equal(await status('viewer'), 200, `request ${i + 1}, ${(i + 1) * 15} s in`)
      }
      clock += 61_000
      assert.equal(await status('viewer'), 401, 'idle for more than a minute')
      const signIn = await short.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-admin', password: TEST_PASSWORD } }, 'none')
      const cookie = `em_session=${signIn.cookies.find((c) => c.name === 'em_session')?.value ?? ''}`
      const fresh = async (): Promise<number> => (await short.inject({ url: '/api/session', headers: { cookie } }, 'none')).statusCode
      for (let elapsed = 50_000; elapsed < 3_600_000; elapsed += 50_000) {
        clock += 50_000
        assert.equal(await fresh(), 200, `${elapsed / 1000} s after sign-in`)
      }
      clock += 60_000
      assert.equal(await fresh(), 401, 'past the absolute limit even while active')
    } finally {
      await short.close()
    }
  })
})

test('a page\'s own poll while nobody uses it (x-em-unattended) does not renew the idle time: an open tab does not keep a session alive for good', async () => {
  let clock = Date.now()
  const short = await buildTestApp({ env: { SESSION_IDLE_MINUTES: '1' }, tuning: { now: () => new Date(clock) } })
  try {
    const poll = async (): Promise<number> => (await short.inject({ url: '/api/health', headers: { 'x-em-unattended': '1' } }, 'viewer')).statusCode
    assert.equal((await short.inject('/api/session', 'viewer')).statusCode, 200, 'the person\'s last request')
    // Polled every 15 s, as the dashboard's health card does, with nobody at the keyboard.
    for (let elapsed = 15_000; elapsed < 60_000; elapsed += 15_000) {
      clock += 15_000
      assert.equal(await poll(), 200, `${elapsed / 1000} s after the person's last request`)
    }
    clock += 16_000
    assert.equal(await poll(), 401, 'idle for more than a minute, however often the page polled')
  } finally {
    await short.close()
  }
})

describe('accounts', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  const create = async (payload: object, as: Role = 'admin') => await t.inject({ method: 'POST', url: '/api/accounts', payload }, as)

  test('admins create accounts; weak passwords and duplicates are refused naming the field', async () => {
    const short = await create({ username: 'carol', password: 'short', role: 'viewer' })
    assert.equal(short.statusCode, 400)
    assert.equal(short.json().error.field, 'password')
    const ok = await create({ username: 'carol', password: 'a-very-long-secret', role: 'operator' })
    assert.equal(ok.statusCode, 201)
    assert.equal(ok.json().role, 'operator')
    assert.equal('passwordHash' in ok.json(), false)
    const again = await create({ username: 'CAROL', password: 'a-very-long-secret', role: 'viewer' })
    assert.equal(again.statusCode, 409)
    assert.equal((await create({ username: 'dave', password: 'a-very-long-secret', role: 'viewer' }, 'operator')).statusCode, 403)
    assert.equal(t.audit.page({ action: 'account-create', user: 'carol' }, 5).items[0]?.actor, 'test-admin')
  })

  test('disabling or changing an account ends its sessions; the last admin stays', async () => {
    const list = (await t.inject('/api/accounts')).json().accounts as Array<{ id: number, username: string }>
    const viewer = list.find((a) => a.username === 'test-viewer')
    const admin = list.find((a) => a.username === 'test-admin')
    assert.ok(viewer !== undefined && admin !== undefined)
    const disabled = await t.inject({ method: 'PATCH', url: `/api/accounts/${viewer.id}`, payload: { disabled: true } })
    assert.equal(disabled.statusCode, 200)
    assert.equal((await t.inject('/api/health', 'viewer')).statusCode, 401)
    const signIn = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-viewer', password: TEST_PASSWORD } }, 'none')
    assert.equal(signIn.statusCode, 401)
    const demote = await t.inject({ method: 'PATCH', url: `/api/accounts/${admin.id}`, payload: { role: 'viewer' } })
    assert.equal(demote.statusCode, 409)
    assert.equal(demote.json().error.code, 'LAST_ADMIN')
    // A role change says the role it had too.
    const promoted = await t.inject({ method: 'PATCH', url: `/api/accounts/${viewer.id}`, payload: { role: 'operator' } })
    assert.equal(promoted.statusCode, 200, promoted.body)
    assert.equal(t.audit.page({ action: 'account-update', user: 'test-viewer' }, 1).items[0]?.message, 'Updated test-viewer: role viewer → operator.')
    await t.inject({ method: 'PATCH', url: `/api/accounts/${viewer.id}`, payload: { role: 'viewer' } })
    // A password an admin resets (an account thought compromised) ends the sessions signed in with the old one.
    const reset = (await t.inject({ method: 'POST', url: '/api/accounts', payload: { username: 'erin', password: 'first-long-secret-1', role: 'viewer' } })).json() as { id: number }
    const erin = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'erin', password: 'first-long-secret-1' } }, 'none')
    const asErin = { cookie: `em_session=${erin.cookies[0]?.value ?? ''}` }
    assert.equal((await t.inject({ url: '/api/health', headers: asErin }, 'none')).statusCode, 200)
    assert.equal((await t.inject({ method: 'PATCH', url: `/api/accounts/${reset.id}`, payload: { password: 'second-long-secret-2' } })).statusCode, 200)
    assert.equal((await t.inject({ url: '/api/health', headers: asErin }, 'none')).statusCode, 401, 'the session of the old password')
  })

  test('a change that changes nothing (the role it has, enabling an enabled account) leaves its sessions alone; a real change ends them', async () => {
    const created = await create({ username: 'fiona', password: 'a-very-long-secret', role: 'operator' })
    assert.equal(created.statusCode, 201)
    const id = created.json().id as number
    const signIn = await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'fiona', password: 'a-very-long-secret' } }, 'none')
    const cookie = `em_session=${signIn.cookies.find((c) => c.name === 'em_session')?.value ?? ''}`
    const signedIn = async (): Promise<number> => (await t.inject({ url: '/api/health', headers: { cookie } }, 'none')).statusCode
    assert.equal(await signedIn(), 200)
    // A script that makes sure of an account's settings sends them again and again.
    for (const payload of [{ role: 'operator' }, { disabled: false }, { role: 'operator', disabled: false }]) {
      const same = await t.inject({ method: 'PATCH', url: `/api/accounts/${id}`, payload })
      assert.equal(same.statusCode, 200, same.body)
      assert.equal(await signedIn(), 200, `${JSON.stringify(payload)} signed fiona out`)
    }
    assert.equal(t.audit.page({ action: 'account-update', user: 'fiona' }, 1).items[0]?.message, 'Updated fiona: nothing changed.')
    const lowered = await t.inject({ method: 'PATCH', url: `/api/accounts/${id}`, payload: { role: 'viewer', disabled: false } })
    assert.equal(lowered.statusCode, 200)
    assert.equal(await signedIn(), 401)
    assert.equal(t.audit.page({ action: 'account-update', user: 'fiona' }, 1).items[0]?.message, 'Updated fiona: role operator → viewer.')
  })

  test('a session ended or an account disabled by another process (the CLI) is refused at the next request', async () => {
    // The session and account of each request are remembered between requests (issue #14, P1):
    // a change by another connection must end that at once.
    assert.equal((await t.inject('/api/health', 'operator')).statusCode, 200)
    assert.equal((await t.inject('/api/health', 'operator')).statusCode, 200)
    const other = new Database(t.databasePath)
    try {
      other.prepare("UPDATE accounts SET disabled = 1 WHERE username = 'test-operator'").run()
      assert.equal((await t.inject('/api/health', 'operator')).statusCode, 401, 'the account disabled elsewhere')
      assert.equal((await t.inject('/api/health', 'admin')).statusCode, 200)
      other.prepare("DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE username = 'test-admin')").run()
      assert.equal((await t.inject('/api/health', 'admin')).statusCode, 401, 'the session deleted elsewhere')
    } finally {
      other.close()
    }
  })
})

describe('first start', () => {
  test('without accounts, only the one-time setup token creates the first admin', async () => {
    const t = await buildTestApp({ accounts: false })
    try {
      const boot = await t.runtime.bootstrapped
      assert.ok(boot.setupToken !== undefined && boot.setupToken.length >= 32)
      const info = (await t.inject('/api/session/info', 'none')).json()
      assert.deepEqual(info, { mode: 'cucm', setupRequired: true })
      const wrong = await t.inject({ method: 'POST', url: '/api/setup', payload: { token: 'guess', username: 'root', password: 'a-very-long-secret' } }, 'none')
      assert.equal(wrong.statusCode, 403)
      const ok = await t.inject({ method: 'POST', url: '/api/setup', payload: { token: boot.setupToken, username: 'root', password: 'a-very-long-secret' } }, 'none')
      assert.equal(ok.statusCode, 200)
      assert.equal(ok.json().role, 'admin')
      // The setup starts its admin's session: a sign-in, as the Accounts table and `user list` say.
      assert.notEqual(t.auth.accountByName('root')?.lastSignInAt, null)
      const reuse = await t.inject({ method: 'POST', url: '/api/setup', payload: { token: boot.setupToken, username: 'root2', password: 'a-very-long-secret' } }, 'none')
      assert.equal(reuse.statusCode, 403)
    } finally {
      await t.close()
    }
  })

  test('demo mode creates a demo admin whose credentials only the sign-in info shows', async () => {
    const t = await buildTestApp({ accounts: false, mode: 'simulator' })
    try {
      assert.equal(t.auth.accountByName('demo')?.role, 'admin')
      assert.ok(t.logs.some((line) => line.includes('Created the first admin account: demo')))
      const info = (await t.inject('/api/session/info', 'none')).json()
      assert.equal(info.demoCredentials.username, 'demo')
      const signIn = await t.inject({ method: 'POST', url: '/api/session', payload: info.demoCredentials }, 'none')
      assert.equal(signIn.statusCode, 200)
      const accounts = await t.inject({ url: '/api/accounts', headers: { cookie: `em_session=${signIn.cookies[0]?.value ?? ''}` } }, 'none')
      assert.ok(!accounts.body.includes(info.demoCredentials.password as string))
      // Audited as every other account is, and as its retirement against a CUCM is.
      const created = (await t.inject({ url: '/api/audit?action=account-create', headers: { cookie: `em_session=${signIn.cookies[0]?.value ?? ''}` } }, 'none')).json() as AuditPage
      assert.deepEqual(created.items.map((r) => [r.actor, r.userId, r.outcome]), [['system', 'demo', 'success']])
    } finally {
      await t.close()
    }
  })
  test('demo mode listening on loopback shows its credentials only to a page of a loopback name: another site rebound to 127.0.0.1 (DNS rebinding) does not read them', async () => {
    const t = await buildTestApp({ accounts: false, mode: 'simulator' })
    try {
      const info = async (host: string): Promise<{ demoCredentials?: unknown }> => (await t.inject({ url: '/api/session/info', headers: { host } }, 'none')).json()
      for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'app.localhost']) assert.ok((await info(host)).demoCredentials !== undefined, host)
      for (const host of ['attacker.example:3000', 'attacker.example', '127.0.0.1.attacker.example', 'localhost.attacker.example:3000']) assert.equal((await info(host)).demoCredentials, undefined, host)
    } finally {
      await t.close()
    }
  })

  test('demo mode on loopback behind a proxy of this machine (TRUST_PROXY=127.0.0.1): a rebound page that names localhost in X-Forwarded-Host does not read the credentials', async () => {
    const t = await buildTestApp({ accounts: false, mode: 'simulator', env: { TRUST_PROXY: '127.0.0.1' } })
    try {
      // The browser's own connection comes from 127.0.0.1, a trusted proxy's address, and a page may set X-Forwarded-Host.
      const info = async (headers: Record<string, string>): Promise<{ demoCredentials?: unknown }> => (await t.inject({ url: '/api/session/info', headers }, 'none')).json()
      for (const forwarded of ['localhost', '127.0.0.1:3000']) assert.equal((await info({ host: 'attacker.example:3000', 'x-forwarded-host': forwarded })).demoCredentials, undefined, forwarded)
      assert.equal((await info({ host: '127.0.0.1:3000', 'x-forwarded-host': 'em-console.lab.example' })).demoCredentials, undefined, 'a proxy naming another host, as before')
      assert.ok((await info({ host: '127.0.0.1:3000', 'x-forwarded-host': 'localhost:8080' })).demoCredentials !== undefined, 'a proxy of this machine, for a page of this machine, as before')
      assert.ok((await info({ host: 'localhost:3000' })).demoCredentials !== undefined, 'no proxy, as before')
    } finally {
      await t.close()
    }
  })

  test('demo mode: once the demo admin has a new password, the sign-in page no longer shows (nor the database keeps) the old one', async () => {
    const t = await buildTestApp({ accounts: false, mode: 'simulator' })
    try {
      const { demoCredentials } = (await t.inject('/api/session/info', 'none')).json()
      const signIn = await t.inject({ method: 'POST', url: '/api/session', payload: demoCredentials }, 'none')
      const headers = { cookie: `em_session=${signIn.cookies[0]?.value ?? ''}`, 'x-csrf-token': signIn.json().csrfToken }
      const changed = await t.inject({ method: 'PUT', url: '/api/session/password', headers, payload: { currentPassword: demoCredentials.password, newPassword: 'my-own-long-password' } }, 'none')
      assert.equal(changed.statusCode, 204)
      assert.equal((await t.inject('/api/session/info', 'none')).json().demoCredentials, undefined)
      assert.equal(t.runtime.store.settings.get('demo_password'), undefined)
    } finally {
      await t.close()
    }
  })

  test('demo mode listening on every address shows its credentials to any name: the network it serves reads the page anyway', async () => {
    const t = await buildTestApp({ accounts: false, mode: 'simulator', env: { HOST: '0.0.0.0' } })
    try {
      const info = (await t.inject({ url: '/api/session/info', headers: { host: 'em-console.lab.example:3000' } }, 'none')).json()
      assert.equal(info.demoCredentials.username, 'demo')
    } finally {
      await t.close()
    }
  })
})

describe('hardening', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp({ rateLimitPerMinute: 1000, signInPerMinute: 10 }) })
  after(async () => await t.close())

  test('security headers: a strict CSP without inline scripts, nosniff, no framing', async () => {
    const res = await t.inject('/api/session/info', 'none')
    const csp = String(res.headers['content-security-policy'])
    assert.match(csp, /default-src 'self'/)
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline|upgrade-insecure-requests/)
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    // The older header says what frame-ancestors says (a browser that reads only it framed the
    // dashboard in a page of its own origin).
    assert.equal(res.headers['x-frame-options'], 'DENY')
    assert.equal(res.headers['x-powered-by'], undefined)
    // helmet's whole set, worked out once at start (issue #14), is on every answer.
    for (const name of ['cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'referrer-policy', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']) {
      assert.ok(res.headers[name] !== undefined, `${name} is set`)
    }
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP')
    assert.ok(res.headers['x-ratelimit-limit'] !== undefined, 'the API is rate limited')
    // A refusal carries them too: they are set before the session is asked for.
    const refused = await t.inject('/api/audit', 'none')
    assert.equal(refused.statusCode, 401)
    assert.equal(refused.headers['content-security-policy'], csp)
    assert.equal(refused.headers['x-content-type-options'], 'nosniff')
  })

  test('no answer of the API is stored by a browser or a proxy: accounts, the audit trail, its CSV, the session\'s token, a refusal', async () => {
    for (const [url, caller] of [['/api/session', 'viewer'], ['/api/accounts', 'admin'], ['/api/audit', 'viewer'], ['/api/audit/export.csv', 'viewer'], ['/api/sessions', 'viewer'], ['/api/session/info', 'none'], ['/api/audit', 'none'], ['/%61pi/accounts', 'admin']] as const) {
      const res = await t.inject(url, caller)
      assert.equal(res.headers['cache-control'], 'no-store', `${caller} → GET ${url}: ${res.statusCode}`)
    }
    // The API's documentation holds no data: it is cached as before.
    assert.equal((await t.inject('/api/docs/json', 'none')).headers['cache-control'], undefined)
  })

  test('each request is one access-log line at debug level, without the session cookie', async () => {
    const res = await t.inject('/api/health?probe=access-log', 'viewer')
    const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'request' && String(l.url).includes('access-log'))
    assert.deepEqual(lines.map((l) => [l.level, l.method, l.statusCode]), [[20, 'GET', res.statusCode]])
    assert.ok(!t.logs.some((line) => line.includes('em_session')), 'no cookie in the log')
  })

  test('sign-in is rate limited per IP', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      statuses.push((await t.inject({ method: 'POST', url: '/api/session', payload: { username: `nobody${i}`, password: 'irrelevant-password' } }, 'none')).statusCode)
    }
    assert.ok(statuses.includes(429), statuses.join(','))
  })

  test('the OpenAPI document describes the session contract and no secret', async () => {
    const res = await t.inject('/api/docs/json', 'none')
    assert.equal(res.statusCode, 200)
    const doc = res.json()
    assert.ok(doc.paths['/api/session'].post !== undefined)
    assert.ok(!res.body.includes(t.sim.credentials.appPassword))
  })

  test('passwords are salted scrypt hashes, compared in constant time', async () => {
    const a = await hashPassword('same password here')
    const b = await hashPassword('same password here')
    assert.notEqual(a, b)
    assert.match(a, /^scrypt\$16384\$8\$1\$/)
    assert.equal(await verifyPassword('same password here', a), true)
    assert.equal(await verifyPassword('same password herE', a), false)
  })
})

describe('liveness and refusals', () => {
  test('/api/health/live answers anyone; refusals say what to do', async () => {
    const t = await buildTestApp()
    try {
      const live = await t.inject('/api/health/live', 'none')
      assert.equal(live.statusCode, 200)
      assert.equal(live.json().status, 'ok')
      for (const res of [
        await t.inject('/api/health', 'none'),
        await t.inject({ method: 'POST', url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL' } }, 'viewer'),
        await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-admin', password: 'not-the-password' } }, 'none')
      ]) {
        assert.ok(res.statusCode >= 400)
        assert.ok(typeof res.json().error.action === 'string' && res.json().error.action.length > 10, res.body)
      }
    } finally {
      await t.close()
    }
  })
})
