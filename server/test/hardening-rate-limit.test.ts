import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ErrorBody } from '@em-console/shared/schemas'
import { createRefusalLog, REQUEST_TIMEOUT_MS } from '../src/app.ts'
import { buildTestApp, TEST_PASSWORD, type TestApp } from './helpers/app.ts'

// Issue #15.12: every 429 was logged (43,744 lines in 20 s), liveness answered 429 to a caller over
// the limit, and the ACCOUNT_LOCKED 429 had no Retry-After.

/** Retry-After in whole seconds, as RFC 9110 gives it. */
function retryAfter (headers: Record<string, unknown>): number {
  const value = String(headers['retry-after'] ?? '')
  assert.match(value, /^\d+$/, `Retry-After: "${value}"`)
  return Number(value)
}

const refusalLines = (t: TestApp, code: string): string[] => t.logs.filter((line) => line.includes(`"code":"${code}"`))

describe('the API rate limit', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp({ rateLimitPerMinute: 5 }) })
  after(async () => await t.close())

  test('a caller over the limit gets 429 with Retry-After every time, logged once a minute per IP', async () => {
    const answers = []
    for (let i = 0; i < 40; i++) answers.push(await t.inject('/api/session/info', 'none'))
    const refused = answers.filter((res) => res.statusCode === 429)
    assert.equal(refused.length, 35)
    for (const res of refused) {
      assert.equal(res.json<ErrorBody>().error.code, 'RATE_LIMITED')
      const seconds = retryAfter(res.headers)
      assert.ok(seconds >= 1 && seconds <= 60, `${seconds} s`)
    }
    assert.equal(refusalLines(t, 'RATE_LIMITED').length, 1, 'one log line for 35 refusals')
    assert.match(refusalLines(t, 'RATE_LIMITED')[0] ?? '', /127\.0\.0\.1/, 'the line names the IP')

    // Another IP over the limit gets its own line.
    for (let i = 0; i < 10; i++) await t.inject({ url: '/api/session/info', remoteAddress: '192.0.2.7' }, 'none')
    assert.equal(refusalLines(t, 'RATE_LIMITED').length, 2)
  })

  test('liveness answers a caller over the limit', async () => {
    for (let i = 0; i < 10; i++) await t.inject('/api/session/info', 'none')
    assert.equal((await t.inject('/api/session/info', 'none')).statusCode, 429)
    for (let i = 0; i < 20; i++) {
      const live = await t.inject('/api/health/live', 'none')
      assert.equal(live.statusCode, 200, live.body)
    }
  })

  test('the monitoring check, public and asking CUCM, is limited as every route that asks CUCM', async () => {
    for (let i = 0; i < 10; i++) await t.inject('/api/session/info', 'none')
    const check = await t.inject('/api/health/check', 'none')
    assert.equal(check.statusCode, 429, check.body)
    assert.equal(check.json<ErrorBody>().error.code, 'RATE_LIMITED')
    const seconds = retryAfter(check.headers)
    assert.ok(seconds >= 1 && seconds <= 60, `${seconds} s`)
  })
})

describe('a locked account', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  test('ACCOUNT_LOCKED is a 429 whose Retry-After is the time left of the lock', async () => {
    const signIn = async (password: string) => await t.inject({ method: 'POST', url: '/api/session', payload: { username: 'test-viewer', password } }, 'none')
    for (let i = 0; i < 5; i++) assert.equal((await signIn('wrong-password')).statusCode, 401)
    const locked = await signIn(TEST_PASSWORD)
    assert.equal(locked.statusCode, 429, locked.body)
    assert.equal(locked.json<ErrorBody>().error.code, 'ACCOUNT_LOCKED')
    const seconds = retryAfter(locked.headers)
    assert.ok(seconds > 14 * 60 && seconds <= 15 * 60, `${seconds} s left of a 15-minute lock`)
  })
})

describe('the refusal log', () => {
  test('logs the first refusal of an IP each minute, with how many went unlogged before it', () => {
    let clock = 0
    const toLog = createRefusalLog(() => clock)
    assert.equal(toLog('192.0.2.1'), 0)
    for (let i = 0; i < 3; i++) assert.equal(toLog('192.0.2.1'), undefined)
    assert.equal(toLog('192.0.2.2'), 0, 'each IP has its own minute')
    clock = 59_999
    assert.equal(toLog('192.0.2.1'), undefined)
    clock = 60_000
    assert.equal(toLog('192.0.2.1'), 4)
    assert.equal(toLog('192.0.2.1'), undefined)
  })

  test('stays bounded when a flood comes from many IPs', () => {
    const toLog = createRefusalLog(() => 0)
    const ip = (i: number): string => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`
    for (let i = 0; i < 25_000; i++) assert.equal(toLog(ip(i)), 0)
    assert.equal(toLog(ip(24_999)), undefined, 'the latest IPs are still remembered')
    assert.equal(toLog(ip(0)), 0, 'past 10,000 IPs in a minute the oldest are forgotten (and logged again): the memory stays bounded')
  })
})

test('a request must arrive whole in a bounded time: a body sent a byte at a time does not hold a connection for ever', async () => {
  // Node ends a request not received within requestTimeout with 408; Fastify's default is none.
  const t = await buildTestApp()
  try {
    assert.equal(t.app.server.requestTimeout, REQUEST_TIMEOUT_MS)
    assert.ok(REQUEST_TIMEOUT_MS > 0 && REQUEST_TIMEOUT_MS <= 300_000)
    assert.ok(t.app.server.headersTimeout <= REQUEST_TIMEOUT_MS)
  } finally {
    await t.close()
  }
})
