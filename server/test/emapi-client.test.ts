import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { EmapiError, EmapiFailureError } from '@em-console/shared/emapi'
import { emapiAction } from '../src/emapi/actions.ts'
import { createEmapiClient, type EmapiClientOptions } from '../src/emapi/client.ts'
import { runChecks } from '../src/clusters/connection-check.ts'
import type { ClusterSettings } from '../src/clusters/definitions.ts'
import { makeCertificate, startHttpsServer, type Certificate, type TestServer } from './helpers/https-server.ts'

const PASSWORD = 'p&ss<w>rd"\'é'
const SUCCESS = '<?xml version="1.0"?>\n<response>\n<success/>\n</response>\n'
const FAILURE_3 = '<response><failure><error code="3">Could not authenticate \'appid\'</error></failure></response>'

let certificate: Certificate
let server: TestServer
let answer: { status: number, body: string, hang?: boolean, contentType?: string, location?: string }

function options (overrides: Partial<EmapiClientOptions> = {}): EmapiClientOptions {
  return { host: '127.0.0.1', port: server.port, appUser: 'emapi-app', appPassword: PASSWORD, ca: certificate.cert, timeoutMs: 2000, ...overrides }
}

async function caught (promise: Promise<unknown>): Promise<EmapiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  assert.ok(error instanceof EmapiError, `expected an EmapiError, got ${String(error)}`)
  assert.ok(!error.message.includes(PASSWORD), 'the password must not appear in an error message')
  return error
}

before(async () => {
  certificate = await makeCertificate()
  server = await startHttpsServer(certificate, (_req, res) => {
    if (answer.hang === true) return
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/xml', ...(answer.location === undefined ? {} : { location: answer.location }) })
    res.end(answer.body)
  })
})

after(async () => await server.close())

describe('EMAPI client over real HTTPS', () => {
  test('sends one form field `xml` with the escaped document and a byte-correct length', async () => {
    answer = { status: 200, body: SUCCESS }
    const client = createEmapiClient(options())
    const call = await client.login({ deviceName: 'SEP001122334455', userId: 'josé@example.com', deviceProfile: 'A&B', exclusiveDuration: { minutes: 60 } })
    await client.close()

    const received = server.received.at(-1)
    assert.ok(received !== undefined)
    assert.equal(received.method, 'POST')
    assert.equal(received.url, '/emservice/EMServiceServlet')
    // Exactly as documented (PROTOCOL.md §1): the form type defines no parameters, and its bytes are UTF-8.
    assert.equal(received.headers['content-type'], 'application/x-www-form-urlencoded')
    assert.equal(Number(received.headers['content-length']), received.body.length)
    const form = new URLSearchParams(received.body.toString('utf8'))
    assert.deepEqual([...form.keys()], ['xml'])
    assert.equal(form.get('xml'),
      '<request><appInfo><appID>emapi-app</appID><appCertificate>p&amp;ss&lt;w&gt;rd&quot;&apos;é</appCertificate></appInfo>' +
      '<login><deviceName>SEP001122334455</deviceName><userID>josé@example.com</userID><deviceProfile>A&amp;B</deviceProfile>' +
      '<exclusiveDuration><time>60</time></exclusiveDuration></login></request>')
    assert.equal(call.httpStatus, 200)
    assert.ok(call.requestXml.includes('<appCertificate>********</appCertificate>'))
    assert.ok(!call.requestXml.includes('ss&lt;w'), 'the recorded request masks the password')
  })

  test('logoutAll goes under <request> and queries under <query>', async () => {
    answer = { status: 200, body: SUCCESS }
    const client = createEmapiClient(options())
    await client.logoutAll()
    const logoutAllXml = new URLSearchParams(server.received.at(-1)?.body.toString()).get('xml') ?? ''
    assert.match(logoutAllXml, /^<request>.*<logoutAll><\/logoutAll><\/request>$/)

    answer = { status: 200, body: '<response><deviceUserResults><device name="SEP0012"><userID>em%40cisco.com</userID><none/><emccDevice>no</emccDevice></device></deviceUserResults></response>' }
    const call = await client.deviceUserQuery(['sep0012'])
    await client.close()
    const queryXml = new URLSearchParams(server.received.at(-1)?.body.toString()).get('xml') ?? ''
    assert.match(queryXml, /^<query>.*<deviceUserQuery><deviceName>sep0012<\/deviceName><\/deviceUserQuery><\/query>$/)
    assert.deepEqual(call.value, [{ deviceName: 'SEP0012', exists: true, currentUser: 'em@cisco.com', lastUser: null, emcc: false }])
  })

  test('trusts a self-signed CUCM only through the CA option, and names the fix otherwise', async () => {
    answer = { status: 200, body: SUCCESS }
    const client = createEmapiClient(options({ ca: undefined }))
    const error = await caught(client.logout('SEP001122334455'))
    await client.close()
    assert.equal(error.code, 'EMAPI_TLS')
    assert.match(error.message, /DEPTH_ZERO_SELF_SIGNED_CERT/)
    assert.match(error.message, /CUCM_CA_FILE/)
  })

  test('reports a certificate that does not name the host', async () => {
    answer = { status: 200, body: SUCCESS }
    const client = createEmapiClient(options({ host: 'localhost', ca: (await makeCertificate('cucm.example.com', '10.0.0.1')).cert }))
    const error = await caught(client.logout('SEP001122334455'))
    await client.close()
    assert.equal(error.code, 'EMAPI_TLS')
  })

  test('insecure mode, explicitly set, skips verification', async () => {
    answer = { status: 200, body: SUCCESS }
    const client = createEmapiClient(options({ ca: undefined, insecure: true }))
    const call = await client.logout('SEP001122334455')
    await client.close()
    assert.equal(call.httpStatus, 200)
  })

  test('a server that never answers gives EMAPI_TIMEOUT within the timeout', async () => {
    answer = { status: 200, body: '', hang: true }
    const client = createEmapiClient(options({ timeoutMs: 300 }))
    const started = Date.now()
    const error = await caught(client.logoutAll())
    await client.close()
    assert.equal(error.code, 'EMAPI_TIMEOUT')
    assert.ok(Date.now() - started < 2000)
    assert.match(error.requestXml ?? '', /<appCertificate>\*{8}<\/appCertificate>/)
  })

  test('a Tomcat 503 page gives EMAPI_HTTP_STATUS with its title', async () => {
    answer = { status: 503, body: '<html><head><title>Apache Tomcat - Error report</title></head><body>HTTP Status 503</body></html>', contentType: 'text/html' }
    const client = createEmapiClient(options())
    const error = await caught(client.logoutAll())
    await client.close()
    assert.equal(error.code, 'EMAPI_HTTP_STATUS')
    assert.equal(error.httpStatus, 503)
    assert.match(error.message, /HTTP 503: Apache Tomcat - Error report/)
  })

  test('an error page\'s title is quoted cut to a readable length, on one line', async () => {
    // A proxy's or a broken node's page: its title once ran to 100,000 characters in the message,
    // the CLI's output and the audit record's message.
    answer = { status: 500, body: `<html><head><title>Proxy\n  error ${'T'.repeat(100_000)}</title></head><body>Error</body></html>`, contentType: 'text/html' }
    const client = createEmapiClient(options())
    const error = await caught(client.logoutAll())
    await client.close()
    assert.equal(error.code, 'EMAPI_HTTP_STATUS')
    assert.match(error.message, /^CUCM answered HTTP 500: Proxy error T{88}…\. /)
    assert.ok(error.message.length < 400, `${error.message.length} characters`)
    assert.equal(error.responseBody?.length, answer.body.length, 'the page itself is kept whole for the audit record')
  })

  test('a redirect is not followed, and is said as one: where it leads, and which settings to fix', async () => {
    const received = server.received.length
    answer = { status: 302, body: '', location: 'https://cucm-sub.example.com:8443/emservice/EMServiceServlet' }
    const client = createEmapiClient(options())
    const error = await caught(client.logout('SEP001122334455'))
    await client.close()
    assert.equal(server.received.length, received + 1, 'one request, no second one to where it leads')
    assert.equal(error.code, 'EMAPI_HTTP_STATUS')
    assert.equal(error.httpStatus, 302)
    assert.match(error.message, /HTTP 302, a redirect to https:\/\/cucm-sub\.example\.com:8443\/emservice\/EMServiceServlet, which EM Console does not follow/)
    assert.doesNotMatch(error.message, /may be stopped/)
    assert.match(emapiAction(error), /CUCM_HOST and CUCM_PORT/)
    assert.doesNotMatch(emapiAction(error), /Serviceability/)
  })

  test('the connection check meets a redirect with the same advice: the host and port, not the service', async () => {
    answer = { status: 307, body: '', location: 'https://sso.example.com/login' }
    const client = createEmapiClient(options())
    const settings = { host: '127.0.0.1', port: server.port, appUser: 'emapi-app', tlsInsecure: false } as ClusterSettings
    const { steps, outcome } = await runChecks({ source: 'environment', settings, client, description: 'the stand-in' })
    await client.close()
    assert.equal(outcome, 'transport')
    const service = steps.find((s) => s.name === 'service')
    assert.equal(service?.ok, false)
    assert.match(service?.message ?? '', /HTTP 307, a redirect to https:\/\/sso\.example\.com\/login/)
    assert.match(service?.fix ?? '', /CUCM_HOST and CUCM_PORT/)
    assert.doesNotMatch(service?.fix ?? '', /Serviceability/)
  })

  test('garbage gives EMAPI_BAD_XML and keeps the body for the audit trail', async () => {
    answer = { status: 200, body: '<response><success></response' }
    const client = createEmapiClient(options())
    const error = await caught(client.logout('SEP001122334455'))
    await client.close()
    assert.equal(error.code, 'EMAPI_BAD_XML')
    assert.equal(error.responseBody, answer.body)
    assert.equal(error.httpStatus, 200)
  })

  test('whitespace before the prologue is read as the answer it precedes', async () => {
    answer = { status: 200, body: `\r\n\t ${SUCCESS}` }
    const client = createEmapiClient(options())
    const call = await client.logout('SEP001122334455')
    await client.close()
    assert.equal(call.httpStatus, 200)
  })

  test('a failure body gives EMAPI_FAILURE with the numeric code and the catalogue entry', async () => {
    answer = { status: 200, body: FAILURE_3 }
    const client = createEmapiClient(options())
    const error = await caught(client.logoutAll())
    await client.close()
    assert.ok(error instanceof EmapiFailureError)
    assert.equal(error.code, 'EMAPI_FAILURE')
    assert.equal(error.emapiCode, 3)
    assert.equal(error.info.category, 'configuration')
    assert.match(error.info.action, /CUCM_APP_PASSWORD/)
  })

  test('a closed port gives EMAPI_UNREACHABLE', async () => {
    const client = createEmapiClient(options({ port: 1 }))
    const error = await caught(client.logoutAll())
    await client.close()
    assert.equal(error.code, 'EMAPI_UNREACHABLE')
    assert.match(error.message, /ECONNREFUSED/)
  })

  test('the connection check still checks AXL on the publisher when the EM node cannot be reached, and only there', async () => {
    const client = createEmapiClient(options({ port: 1 }))
    const axl = { user: 'axl-reader', password: 'x', version: undefined }
    let counted = 0
    const countPhones = async (): Promise<{ phones: number, asked: string, answered: string }> => {
      counted++
      return { phones: 23, asked: '14.0', answered: '14.0' }
    }
    const check = async (axlHost: string | undefined): Promise<Awaited<ReturnType<typeof runChecks>>> => {
      const settings = { host: '127.0.0.1', port: 1, appUser: 'emapi-app', tlsInsecure: false, axl: { ...axl, host: axlHost, port: 8443 } } as ClusterSettings
      return await runChecks({ source: 'environment', settings, client, countPhones, description: 'the stand-in' })
    }
    const elsewhere = await check('cucm-pub.example.com')
    assert.equal(elsewhere.outcome, 'transport')
    assert.equal(elsewhere.steps.find((s) => s.name === 'reachable')?.ok, false)
    assert.deepEqual(elsewhere.steps.find((s) => s.name === 'axl'), { name: 'axl', label: 'AXL answers (inventory)', ok: true, message: 'AXL answered: 23 phones on the cluster' })
    // AXL on the very host and port that could not be reached: not asked again (a second wait for the same failure).
    const sameTarget = { ...axl, host: undefined, port: undefined }
    const same = await runChecks({ source: 'environment', settings: { host: '127.0.0.1', port: 1, appUser: 'emapi-app', tlsInsecure: false, axl: sameTarget } as ClusterSettings, client, countPhones, description: 'the stand-in' })
    await client.close()
    assert.equal(same.steps.find((s) => s.name === 'axl'), undefined)
    assert.equal(counted, 1)
  })
})

describe('the parts of undici the clients load', () => {
  test('are the very Pool and request that undici exports (a deep import must not drift with an upgrade)', async () => {
    const undici = await import('undici')
    const { Pool } = await import('../src/emapi/undici.ts')
    const requestModule = await import('undici/lib/api/api-request.js')
    assert.equal(Pool, undici.Pool)
    assert.equal(requestModule.default, undici.Dispatcher.prototype.request)
  })
})
