import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import Fastify from 'fastify'
import { Agent, request } from 'undici'
import { fastifyOptions } from '../src/app.ts'
import { ConfigError, loadConfig } from '../src/config.ts'
import { httpsOf } from '../src/reverse-proxy.ts'
import { SEED_OCCUPIED_DEVICE } from '../src/simulator/seed.ts'
import { buildTestApp, TEST_PASSWORD, type TestApp } from './helpers/app.ts'

// EM Console behind nginx, an F5 or a load balancer: with TRUST_PROXY unset every client was the
// proxy's address, in the audit trail, the rate limits and the refusal log. The proxy here is the
// loopback address 127.0.0.2 (connections bound to it); a client connecting directly comes from
// 127.0.0.3, which TRUST_PROXY does not name.
const PROXY = '127.0.0.2'
const DIRECT = '127.0.0.3'

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

describe('behind a trusted reverse proxy (TRUST_PROXY)', () => {
  let t: TestApp
  let origin: string
  const throughProxy = new Agent({ localAddress: PROXY })
  const direct = new Agent({ localAddress: DIRECT })
  before(async () => {
    t = await buildTestApp({ env: { TRUST_PROXY: `${PROXY},10.0.0.0/8` }, rateLimitPerMinute: 4, signInPerMinute: 3 })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  })
  after(async () => {
    await Promise.all([throughProxy.close(), direct.close()])
    await t.close()
  })

  async function send (from: Agent, path: string, options: { method?: 'GET' | 'POST', headers?: Record<string, string>, json?: unknown } = {}): Promise<Answer> {
    const res = await request(`${origin}${path}`, {
      dispatcher: from,
      method: options.method ?? 'GET',
      headers: { ...options.headers, ...(options.json === undefined ? {} : { 'content-type': 'application/json' }) },
      body: options.json === undefined ? undefined : JSON.stringify(options.json)
    })
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
  }

  /** Signs in as the operator; the headers its later requests send (with the forwarding headers given). */
  async function signIn (from: Agent, headers: Record<string, string>): Promise<Record<string, string>> {
    const res = await send(from, '/api/session', { method: 'POST', headers, json: { username: 'test-operator', password: TEST_PASSWORD } })
    assert.equal(res.status, 200, res.body)
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? ''
    return { ...headers, cookie, 'x-csrf-token': (JSON.parse(res.body) as { csrfToken: string }).csrfToken }
  }

  const lastSignInAddress = (): string | null | undefined => t.audit.page({ action: 'sign-in', actor: 'test-operator' }, 1).items[0]?.clientIp

  test('a logout through the proxy is recorded with the client the proxy names, not the proxy, nor what the client wrote itself', async () => {
    // nginx's $proxy_add_x_forwarded_for appends the client's address to whatever the client sent.
    const headers = await signIn(throughProxy, { 'x-forwarded-for': '203.0.113.66, 198.51.100.7' })
    const logout = await send(throughProxy, `/api/devices/${SEED_OCCUPIED_DEVICE}/logout`, { method: 'POST', headers })
    assert.equal(logout.status, 200, logout.body)
    const { auditId } = JSON.parse(logout.body) as { auditId: number }
    const record = t.audit.get(auditId)
    assert.deepEqual({ clientIp: record?.clientIp, actor: record?.actor }, { clientIp: '198.51.100.7', actor: 'test-operator' })
    assert.equal(lastSignInAddress(), '198.51.100.7', 'the sign-in too')
  })

  test('the same header on a connection from no trusted proxy is ignored: the record has the connection\'s address', async () => {
    await signIn(direct, { 'x-forwarded-for': '198.51.100.8' })
    assert.equal(lastSignInAddress(), DIRECT)
  })

  test('a sign-in the proxy says came over https gets a Secure cookie and HSTS, as over the dashboard\'s own TLS; a client connecting directly cannot claim it', async () => {
    const signInOver = async (from: Agent, headers: Record<string, string>): Promise<{ secure: boolean, hsts: boolean }> => {
      const res = await send(from, '/api/session', { method: 'POST', headers, json: { username: 'test-viewer', password: TEST_PASSWORD } })
      assert.equal(res.status, 200, res.body)
      const cookie = String(res.headers['set-cookie'])
      assert.match(cookie, /^em_session=.*; HttpOnly;.*SameSite=Strict$/)
      return { secure: /; Secure;/.test(cookie), hsts: /max-age=31536000/.test(String(res.headers['strict-transport-security'])) }
    }
    assert.deepEqual(await signInOver(throughProxy, { 'x-forwarded-for': '198.51.100.11', 'x-forwarded-proto': 'https' }), { secure: true, hsts: true })
    assert.deepEqual(await signInOver(throughProxy, { 'x-forwarded-for': '198.51.100.12', 'x-forwarded-proto': 'http' }), { secure: false, hsts: false })
    assert.deepEqual(await signInOver(throughProxy, { 'x-forwarded-for': '198.51.100.12' }), { secure: false, hsts: false }, 'a proxy that says nothing of the scheme: plain HTTP')
    assert.deepEqual(await signInOver(direct, { 'x-forwarded-proto': 'https' }), { secure: false, hsts: false })
  })

  test('each client behind the proxy has its own rate limit and sign-in limit, and the refusal log names the client', async () => {
    const info = async (client: string): Promise<number> => (await send(throughProxy, '/api/session/info', { headers: { 'x-forwarded-for': client } })).status
    for (let i = 0; i < 4; i++) assert.equal(await info('198.51.100.21'), 200)
    assert.equal(await info('198.51.100.21'), 429, 'over RATE_LIMIT_PER_MINUTE')
    assert.equal(await info('198.51.100.22'), 200, 'another client behind the same proxy is not held back')
    assert.ok(t.logs.some((line) => line.includes('"code":"RATE_LIMITED"') && line.includes('"ip":"198.51.100.21"')), 'the refusal log names the client')

    const signIn = async (client: string): Promise<number> =>
      (await send(throughProxy, '/api/session', { method: 'POST', headers: { 'x-forwarded-for': client }, json: { username: 'nobody-here', password: 'not-the-password' } })).status
    const attempts = []
    for (let i = 0; i < 4; i++) attempts.push(await signIn('198.51.100.23'))
    assert.deepEqual(attempts, [401, 401, 401, 429], 'over SIGN_IN_PER_MINUTE')
    assert.equal(await signIn('198.51.100.24'), 401, 'another client may still try')
  })

  test('clients connecting directly share their connection\'s limit whatever X-Forwarded-For they send', async () => {
    const statuses = []
    for (let i = 0; i < 5; i++) statuses.push((await send(direct, '/api/session/info', { headers: { 'x-forwarded-for': `198.51.100.${30 + i}` } })).status)
    assert.deepEqual(statuses, [200, 200, 200, 200, 429])
  })
})

describe('the TRUST_PROXY setting', () => {
  const refusal = (value: string): string => {
    try {
      loadConfig({ TRUST_PROXY: value })
    } catch (error) {
      if (error instanceof ConfigError) return error.message
      throw error
    }
    assert.fail(`TRUST_PROXY=${value} was accepted`)
  }

  test('takes addresses and CIDR ranges, IPv4 and IPv6, separated by commas, as Fastify takes them', async () => {
    const config = loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,fe80::1%eth0,::ffff:10.0.0.0/104' })
    assert.deepEqual(fastifyOptions(config).trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'fe80::1%eth0', '::ffff:10.0.0.0/104'])
    // Fastify compiles the list when it is built: an entry it refused would stop the start with a stack trace.
    await Fastify(fastifyOptions(config)).close()
    assert.equal(fastifyOptions(loadConfig({})).trustProxy, false, 'off by default')
  })

  test('takes an IPv4 network with its netmask, as nginx and IIS write it, and gives Fastify its prefix length', async () => {
    const config = loadConfig({ TRUST_PROXY: '10.0.0.0/255.0.0.0, 192.168.1.0/255.255.255.0,127.0.0.1/255.255.255.255' })
    assert.deepEqual(fastifyOptions(config).trustProxy, ['10.0.0.0/8', '192.168.1.0/24', '127.0.0.1/32'])
    const app = Fastify(fastifyOptions(config))
    app.get('/', async (request) => request.ip)
    const from = async (remoteAddress: string): Promise<string> => (await app.inject({ url: '/', remoteAddress, headers: { 'x-forwarded-for': '198.51.100.9' } })).body
    assert.equal(await from('10.20.30.40'), '198.51.100.9', 'a proxy in 10.0.0.0/255.0.0.0 is believed')
    assert.equal(await from('192.168.2.1'), '192.168.2.1', 'an address outside 192.168.1.0/255.255.255.0 is not')
    await app.close()
  })

  test('the dashboard\'s own TLS makes every request HTTPS, whatever a proxy says', () => {
    assert.equal(httpsOf({ TLS_CERT_FILE: 'cert.pem', TRUST_PROXY: '127.0.0.1' }), true)
    assert.equal(httpsOf({}), false)
    assert.equal(typeof httpsOf({ TRUST_PROXY: '127.0.0.1' }), 'function', 'asked of each request only behind a trusted proxy')
  })

  test('refuses anything else with words naming the entry', () => {
    assert.match(refusal('true'), /^Configuration error in TRUST_PROXY: "true" names no proxy: give the addresses or CIDR ranges of the proxies to trust \(such as 127\.0\.0\.1,10\.0\.0\.0\/8\), not true or a number of hops/)
    assert.match(refusal('1'), /^Configuration error in TRUST_PROXY: "1" names no proxy/)
    assert.match(refusal('127.0.0.1,proxy.example.com'), /^Configuration error in TRUST_PROXY: "proxy\.example\.com" is not an IP address or a CIDR range/)
    assert.match(refusal('10.0.0.256'), /"10\.0\.0\.256" is not an IP address or a CIDR range/)
    assert.match(refusal('10.0.0.0/33'), /"10\.0\.0\.0\/33": the prefix after "\/" must be a whole number from 1 to 32, or a netmask such as 255\.255\.255\.0$/)
    assert.match(refusal('fd00::/8/8'), /"fd00::\/8\/8" is not an IP address or a CIDR range/)
    assert.match(refusal('0.0.0.0/0'), /"0\.0\.0\.0\/0" trusts every address, so any client could write the address it likes into the audit trail/)
    assert.match(refusal('::/0'), /"::\/0" trusts every address/)
    assert.match(refusal('0.0.0.0/0.0.0.0'), /"0\.0\.0\.0\/0\.0\.0\.0" trusts every address/)
    // Every IPv4 client in IPv6 form (IPv4-mapped): Fastify believed any IPv4 client's X-Forwarded-For.
    assert.match(refusal('127.0.0.1,::ffff:0:0/96'), /^Configuration error in TRUST_PROXY: "::ffff:0:0\/96" trusts every IPv4 address, so any client could write the address it likes into the audit trail: list the proxies' own addresses \(such as 127\.0\.0\.1\) or a network that holds only proxies/)
    assert.match(refusal('::ffff:10.0.0.0/96'), /"::ffff:10\.0\.0\.0\/96" trusts every IPv4 address/)
    assert.match(refusal('10.0.0.0/255.0.255.0'), /^Configuration error in TRUST_PROXY: "10\.0\.0\.0\/255\.0\.255\.0": the netmask 255\.0\.255\.0 is not contiguous \(its 1 bits must all come first, as in 255\.255\.255\.0\): give the network as a CIDR range/)
    assert.match(refusal('fd00::/255.0.0.0'), /"fd00::\/255\.0\.0\.0": a netmask goes with an IPv4 address; write an IPv6 range with its prefix length/)
    assert.match(refusal('127.0.0.1,,10.0.0.1'), /^Configuration error in TRUST_PROXY: has an empty entry/)
  })
})
