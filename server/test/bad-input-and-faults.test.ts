import assert from 'node:assert/strict'
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { SEED_EMPTY_DEVICE, SEED_FREE_USER } from '../src/simulator/seed.ts'
import { buildTestApp, receivedOf, type TestApp, type TestAppOptions } from './helpers/app.ts'
import { makeCertificate, startHttpsServer } from './helpers/https-server.ts'

const INJECTIONS = [
  '</userID><logoutAll/><userID>',
  '<![CDATA[x]]>',
  '&xxe;',
  '"\'<>&',
  '<!DOCTYPE r [<!ENTITY x "y">]>&x;'
]

describe('bad input', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  test('every field that reaches XML is escaped and arrives as literal text', async () => {
    for (const text of INJECTIONS) {
      t.sim.reset()
      const login = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: text, deviceProfile: text } })
      assert.equal(login.statusCode, 404, `${text}: ${login.body}`)
      assert.equal(login.json().error.emapiCode, 23, 'CUCM saw an unknown user, not a different document')
      const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
      const xml = receivedOf(t.sim, 'login')[0] ?? ''
      assert.ok(xml.includes(`<userID>${escaped}</userID><deviceProfile>${escaped}</deviceProfile>`), xml)
      for (const url of [`/api/users/${encodeURIComponent(text)}/devices`, `/api/users/${encodeURIComponent(text)}/device-profiles`]) {
        assert.equal((await t.inject(url)).statusCode, 200)
      }
      assert.equal(receivedOf(t.sim, 'logoutAll').length, 0)
      const record = t.audit.page({ action: 'login' }, 1).items[0]
      assert.equal(record?.userId, text, 'the audit trail keeps the literal text')
    }
  })

  test('rejected input makes no EMAPI call', async () => {
    t.sim.reset()
    const cases = [
      { method: 'POST' as const, url: '/api/devices/SEP%3C%3E/logout' },
      { method: 'POST' as const, url: `/api/devices/${'A'.repeat(51)}/logout` },
      { method: 'POST' as const, url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: 'x'.repeat(129) } },
      { method: 'POST' as const, url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: 'line\nbreak' } },
      { method: 'POST' as const, url: '/api/devices/status', payload: { names: ['ok', 'not ok'] } },
      { method: 'GET' as const, url: `/api/users/${encodeURIComponent('tab\there')}/devices` },
      { method: 'POST' as const, url: '/api/logout-all', payload: { confirm: 'LOG OUT ALL', extra: true } }
    ]
    for (const request of cases) {
      const res = await t.inject(request)
      assert.equal(res.statusCode, 400, `${request.url}: ${res.body}`)
      assert.equal(res.json().error.code, 'VALIDATION')
    }
    assert.equal(t.sim.stats.requests, 0)
  })

  test('a device name error says which characters are allowed', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/devices/SEP%20X/logout' })
    assert.match(res.json().error.message, /name/)
    const list = await t.inject('/api/devices/status?names=SEP*')
    assert.match(list.json().error.message, /letters, digits, dot, dash and underscore/)
  })

  test('oversized bodies → 413, malformed JSON → 400', async () => {
    const big = await t.inject({ method: 'POST', url: '/api/devices/status', headers: { 'content-type': 'application/json' }, payload: `{"names":["${'A'.repeat(2 * 1024 * 1024)}"]}` })
    assert.equal(big.statusCode, 413)
    const broken = await t.inject({ method: 'POST', url: '/api/devices/status', headers: { 'content-type': 'application/json' }, payload: '{"names": [' })
    assert.equal(broken.statusCode, 400)
    const empty = await t.inject({ method: 'POST', url: '/api/devices/SEP001122334455/logout', headers: { 'content-type': 'application/json' } })
    assert.equal(empty.statusCode, 400)
    assert.equal(empty.json().error.message, 'The request says it sends JSON (Content-Type: application/json) but its body is empty: send a JSON body, or no Content-Type.')
    assert.equal((await t.inject('/api/health')).statusCode, 200, 'the server still serves')
  })
})

/** A fake CUCM for faults the simulator cannot produce. */
async function expectFault (client: TestAppOptions['client'], code: string, status: number, outcome: 'error' | 'unknown' = 'error'): Promise<void> {
  const t = await buildTestApp({ client })
  try {
    const res = await t.inject({ method: 'POST', url: `/api/devices/${SEED_EMPTY_DEVICE}/login`, payload: { userId: SEED_FREE_USER } })
    assert.equal(res.statusCode, status, res.body)
    assert.equal(res.json().error.code, code)
    assert.equal(t.audit.get(res.json().error.auditId as number)?.outcome, outcome)
    if (outcome === 'unknown') {
      assert.equal(res.json().error.outcome, 'unknown', 'the answer says the change may have happened')
      assert.match(res.json().error.message, /may have carried it out/)
    }
    assert.equal((await t.inject('/api/health')).statusCode, 200)
  } finally {
    await t.close()
  }
}

describe('fault matrix beyond the simulator', () => {
  test('TLS hostname mismatch → 502 EMAPI_TLS', async () => {
    const certificate = await makeCertificate('cucm.example.com', '10.9.9.9')
    const server = await startHttpsServer(certificate, (_req, res) => res.end('<response><success/></response>'))
    try {
      await expectFault({ host: '127.0.0.1', port: server.port, ca: certificate.cert }, 'EMAPI_TLS', 502)
    } finally {
      await server.close()
    }
  })

  test('a TLS handshake that never completes (connect timeout) → 504 EMAPI_TIMEOUT, recorded as an error: nothing was sent', async () => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => { sockets.push(socket) })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      await expectFault({ port: (silent.address() as AddressInfo).port, timeoutMs: 400 }, 'EMAPI_TIMEOUT', 504)
    } finally {
      for (const socket of sockets) socket.destroy()
      silent.close()
    }
  })

  test('a body that stalls mid-way → 504 EMAPI_TIMEOUT, recorded as unknown: the login may have happened', async () => {
    const certificate = await makeCertificate()
    const server = await startHttpsServer(certificate, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.write('<response><succ')
    })
    try {
      await expectFault({ port: server.port, ca: certificate.cert, timeoutMs: 400 }, 'EMAPI_TIMEOUT', 504, 'unknown')
    } finally {
      await server.close()
    }
  })
})
