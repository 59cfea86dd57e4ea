import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { AuditRecord, ErrorBody } from '@em-console/shared/schemas'
import { MAX_RESPONSE_BODY } from '../src/audit/audit-repository.ts'
import { SEED_EMPTY_DEVICE, SEED_FREE_USER } from '../src/simulator/seed.ts'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { makeCertificate, startHttpsServer, type Certificate, type TestServer } from './helpers/https-server.ts'

// The bad-input and fault suites of #7 (bad-input-and-faults.test.ts), grown by the cases of #15.

/** What an API call answered and what the audit trail kept of it. */
async function auditedError (t: TestApp, request: Parameters<TestApp['inject']>[0]): Promise<{ status: number, error: ErrorBody['error'], record: AuditRecord }> {
  const res = await t.inject(request)
  const { error } = res.json<Partial<ErrorBody>>()
  assert.ok(error !== undefined, `an error answer: ${res.statusCode} ${res.body.slice(0, 300)}`)
  assert.equal(typeof error.auditId, 'number', `an audit id: ${res.body.slice(0, 300)}`)
  const record = t.audit.get(error.auditId as number)
  assert.ok(record !== undefined)
  return { status: res.statusCode, error, record }
}

describe('bad input of #15: a 400 naming the field, never a 500, nothing sent to CUCM', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  test('control characters in history filters, fractional ids, 6-field and too-frequent schedules', async () => {
    const cases: Array<[Parameters<TestApp['inject']>[0], string]> = [
      ['/api/audit?q=a%00b', 'q'],
      ['/api/audit/export.csv?q=a%00b', 'q'],
      ['/api/audit?device=SEP%00', 'device'],
      ['/api/audit/1.5', 'id'],
      [{ method: 'PATCH', url: '/api/accounts/1.5', payload: { role: 'viewer' } }, 'id'],
      ['/api/schedules/1.5', 'id'],
      [{ method: 'POST', url: '/api/schedules', payload: { name: 'every-second', cron: '* * * * * *' } }, 'cron'],
      [{ method: 'POST', url: '/api/schedules', payload: { name: 'every-year', cron: '0 0 2 1 1 * 2030' } }, 'cron'],
      [{ method: 'POST', url: '/api/schedules', payload: { name: 'every-5-minutes', cron: '*/5 * * * *' } }, 'cron'],
      ['/api/schedules/preview?cron=*%20*%20*%20*%20*%20*', 'cron']
    ]
    t.sim.resetStats()
    for (const [request, field] of cases) {
      const res = await t.inject(request)
      const label = typeof request === 'string' ? request : `${request.method ?? 'GET'} ${request.url ?? ''}`
      assert.equal(res.statusCode, 400, `${label}: ${res.body}`)
      assert.equal(res.json<ErrorBody>().error.field, field, label)
    }
    assert.equal(t.sim.stats.requests, 0)
    assert.equal((await t.inject('/api/schedules')).json<{ schedules: unknown[] }>().schedules.length, 0, 'no schedule was saved')
  })

  test('characters XML cannot carry (U+FFFE, U+FFFF, half a surrogate pair) in a user ID or a profile: a 400 naming the field', async () => {
    const cases: Array<[Parameters<TestApp['inject']>[0], string, string]> = [
      [{ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: 'ff\uffffx' } }, 'userId', 'U+FFFF'],
      [{ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: 'lone\ud800x' } }, 'userId', 'U+D800'],
      [{ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: SEED_FREE_USER, deviceProfile: 'p\ufffe' } }, 'deviceProfile', 'U+FFFE'],
      ['/api/users/%EF%BF%BEnon/devices', 'userId', 'U+FFFE'],
      [{ method: 'POST', url: '/api/runs', payload: { action: 'logout', users: ['ok.user', 'x\udc00'] } }, 'users.1', 'U+DC00']
    ]
    t.sim.resetStats()
    for (const [request, field, named] of cases) {
      const res = await t.inject(request)
      const label = typeof request === 'string' ? request : `${request.method ?? 'GET'} ${request.url ?? ''} ${JSON.stringify(request.payload)}`
      assert.equal(res.statusCode, 400, `${label}: ${res.body}`)
      const { error } = res.json<ErrorBody>()
      assert.equal(error.field, field, label)
      assert.ok(error.message.includes(named), `${label}: ${error.message}`)
    }
    assert.equal(t.sim.stats.requests, 0, 'nothing was sent to CUCM')
    // A whole surrogate pair is a character like any other.
    const emoji = await t.inject('/api/users/%F0%9F%98%80.user/devices')
    assert.equal(emoji.statusCode, 200, emoji.body)
  })
})

describe('hostile EMAPI answers (#15.5) are bad XML from CUCM: 502, audited with the request and the answer', () => {
  const HOSTILE: Record<string, string> = {
    'a DOCTYPE with an external entity': '<?xml version="1.0"?><!DOCTYPE response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><response><success/>&xxe;</response>',
    '50,000 nested elements': '<response>' + '<a>'.repeat(50_000) + '</a>'.repeat(50_000) + '</response>'
  }
  let certificate: Certificate
  let server: TestServer
  let body = ''
  let t: TestApp
  before(async () => {
    certificate = await makeCertificate()
    server = await startHttpsServer(certificate, (_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(body))
    t = await buildTestApp({ client: { port: server.port, ca: certificate.cert } })
  })
  after(async () => {
    await t.close()
    await server.close()
  })

  for (const [name, hostile] of Object.entries(HOSTILE)) {
    test(`${name}: a look-up and a login`, async () => {
      body = hostile
      const requests = [
        { url: `/api/devices/${SEED_EMPTY_DEVICE}` },
        { method: 'POST' as const, url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: SEED_FREE_USER } }
      ]
      for (const request of requests) {
        const { status, error, record } = await auditedError(t, request)
        assert.equal(status, 502, request.url)
        assert.equal(error.code, 'EMAPI_BAD_XML')
        // A look-up failed; a login sent without an answer to read may have happened.
        assert.equal(record.outcome, request.method === 'POST' ? 'unknown' : 'error')
        assert.equal(record.errorCode, 'EMAPI_BAD_XML')
        assert.equal(record.httpStatus, 200)
        assert.match(record.requestXml ?? '', /<appCertificate>\*+<\/appCertificate>/, 'the request, password masked')
        assert.equal(record.responseBody, hostile.slice(0, MAX_RESPONSE_BODY), 'the answer, truncated')
      }
      assert.equal((await t.inject('/api/health/live')).statusCode, 200)
    })
  }
})

describe('CUCM answers past the size cap (#15.3): the transfer stops, 502 EMAPI_TOO_LARGE, audited', () => {
  let t: TestApp
  // A generous timeout: these answers must fail on their size, not on the clock.
  before(async () => { t = await buildTestApp({ client: { timeoutMs: 30_000 } }) })
  after(async () => await t.close())

  for (const mode of ['huge', 'endless'] as const) {
    test(`a ${mode === 'huge' ? '10 MB' : 'never-ending'} answer to a look-up, a login and the health probe`, async () => {
      t.sim.setFaults({ mode, answerBytes: 10_000_000 })
      try {
        const requests = [
          { url: `/api/devices/${SEED_EMPTY_DEVICE}` },
          { method: 'POST' as const, url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: SEED_FREE_USER } }
        ]
        for (const request of requests) {
          const { status, error, record } = await auditedError(t, request)
          assert.equal(status, 502, request.url)
          assert.equal(error.code, 'EMAPI_TOO_LARGE')
          assert.match(error.message, /larger than 4194304 bytes/)
          assert.match(error.action ?? '', /EMAPI_MAX_RESPONSE_BYTES/)
          assert.equal(record.outcome, request.method === 'POST' ? 'unknown' : 'error', 'a login without an answer to read may have happened')
          assert.equal(record.errorCode, 'EMAPI_TOO_LARGE')
          assert.equal(record.httpStatus, 200)
          assert.match(record.requestXml ?? '', /<appCertificate>\*+<\/appCertificate>/, 'the request, password masked')
          assert.equal(record.responseBody?.length, MAX_RESPONSE_BODY, 'the start of the answer, truncated')
          assert.ok(record.responseBody?.startsWith('<?xml version="1.0"?>\n<response><deviceUserResults><device'))
        }
        const health = (await t.inject('/api/health')).json<{ emapi: { reachable: boolean, error?: { code: string } } }>()
        assert.equal(health.emapi.reachable, false)
        assert.equal(health.emapi.error?.code, 'EMAPI_TOO_LARGE')
      } finally {
        t.sim.setFaults({ mode: 'none' })
      }
      const after = await t.inject(`/api/devices/${SEED_EMPTY_DEVICE}`)
      assert.equal(after.statusCode, 200, `the next call is answered: ${after.body}`)
    })
  }

  test('an answer within the cap is read whole', async () => {
    t.sim.setFaults({ mode: 'huge', answerBytes: 3_000_000 })
    try {
      const res = await t.inject(`/api/devices/${SEED_EMPTY_DEVICE}`)
      assert.equal(res.statusCode, 200, res.body.slice(0, 300))
    } finally {
      t.sim.setFaults({ mode: 'none' })
    }
  })
})

describe('the time limit covers the whole answer (#15.3)', () => {
  test('headers, then a body trickled forever → 504 EMAPI_TIMEOUT within CUCM_TIMEOUT_MS, audited', async () => {
    const t = await buildTestApp({ client: { timeoutMs: 800 } })
    try {
      t.sim.setFaults({ mode: 'trickle' })
      const started = performance.now()
      const { status, error, record } = await auditedError(t, { url: `/api/devices/${SEED_EMPTY_DEVICE}` })
      const elapsed = performance.now() - started
      assert.equal(status, 504)
      assert.equal(error.code, 'EMAPI_TIMEOUT')
      assert.equal(record.errorCode, 'EMAPI_TIMEOUT')
      assert.ok(elapsed >= 700 && elapsed < 5_000, `ended after ${Math.round(elapsed)} ms`)
    } finally {
      await t.close()
    }
  })
})
