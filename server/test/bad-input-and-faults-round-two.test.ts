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
  const { error } = res.json<ErrorBody>()
  assert.equal(typeof error.auditId, 'number', `an audit id: ${res.body.slice(0, 300)}`)
  const record = t.audit.get(error.auditId as number)
  assert.ok(record !== undefined)
  return { status: res.statusCode, error, record }
}

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
        assert.equal(record.outcome, 'error')
        assert.equal(record.errorCode, 'EMAPI_BAD_XML')
        assert.equal(record.httpStatus, 200)
        assert.match(record.requestXml ?? '', /<appCertificate>\*+<\/appCertificate>/, 'the request, password masked')
        assert.equal(record.responseBody, hostile.slice(0, MAX_RESPONSE_BODY), 'the answer, truncated')
      }
      assert.equal((await t.inject('/api/health/live')).statusCode, 200)
    })
  }
})
