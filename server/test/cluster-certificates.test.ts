import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import type { CheckStep, ClusterCheck } from '@em-console/shared/schemas'
import selfsigned from 'selfsigned'
import { buildTestApp, type TestApp } from './helpers/app.ts'
import { startHttpsServer, type Certificate, type TestServer } from './helpers/https-server.ts'

/**
 * The certificate problems an admin meets adding a cluster, each on a real HTTPS server: the
 * connection check (and an action's error) must say what to do about that problem, not about
 * TLS in general (an expired certificate is not fixed by giving a CA).
 */

const DAY = 86_400_000
const SAN = (dns: string) => [{ name: 'subjectAltName' as const, altNames: [{ type: 2 as const, value: dns }, { type: 7 as const, ip: '127.0.0.1' }] }]

async function authority (name: string, signer?: Certificate, validity: { notBeforeDate?: Date, notAfterDate?: Date } = {}): Promise<Certificate> {
  const made = await selfsigned.generate([{ name: 'commonName', value: name }], {
    ...validity,
    keyType: 'ec',
    algorithm: 'sha256',
    curve: 'P-256',
    ...(signer === undefined ? {} : { ca: { key: signer.key, cert: signer.cert } }),
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }]
  })
  return { cert: made.cert, key: made.private }
}

async function leaf (signer: Certificate, options: { dns?: string, notBeforeDate?: Date, notAfterDate?: Date, clientOnly?: boolean, commonNameOnly?: boolean } = {}): Promise<Certificate> {
  const made = await selfsigned.generate([{ name: 'commonName', value: options.dns ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    curve: 'P-256',
    ca: { key: signer.key, cert: signer.cert },
    ...(options.notBeforeDate === undefined ? {} : { notBeforeDate: options.notBeforeDate }),
    ...(options.notAfterDate === undefined ? {} : { notAfterDate: options.notAfterDate }),
    // No extension at all would get selfsigned's default names: a leaf's basic constraints stand in for them.
    extensions: [...(options.commonNameOnly === true ? [{ name: 'basicConstraints' as const, cA: false }] : SAN(options.dns ?? 'localhost')), ...(options.clientOnly === true ? [{ name: 'extKeyUsage' as const, clientAuth: true }] : [])]
  })
  return { cert: made.cert, key: made.private }
}

let t: TestApp
let root: Certificate
const servers: TestServer[] = []
let plainHttp: Server

/** An HTTPS server with that certificate; it is never reached past the handshake. */
async function serving (certificate: Certificate): Promise<number> {
  const server = await startHttpsServer(certificate, (_req, res) => { res.writeHead(500).end() })
  servers.push(server)
  return server.port
}

async function tlsStep (port: number, host = 'localhost', caPem = root.cert): Promise<CheckStep> {
  const res = await t.inject({ method: 'POST', url: '/api/clusters/check', payload: { id: 'lab', host, port, appUser: 'emapi-app', appPassword: 'Lab-Passw0rd!', caPem, timeoutMs: 3000 } })
  assert.equal(res.statusCode, 200, res.body)
  const check = res.json() as ClusterCheck
  assert.equal(check.ok, false)
  const step = check.steps.find((s) => s.name === 'tls')
  assert.equal(step?.ok, false, res.body)
  return step
}

before(async () => {
  t = await buildTestApp()
  root = await authority('Lab Root CA')
  plainHttp = createServer((_req, res) => { res.writeHead(200).end('<html></html>') })
  await new Promise<void>((resolve) => plainHttp.listen(0, '127.0.0.1', resolve))
})
after(async () => {
  await t.close()
  for (const server of servers) await server.close()
  plainHttp.closeAllConnections()
  await new Promise<void>((resolve) => plainHttp.close(() => resolve()))
})

describe('a cluster\'s certificate problems, each with its own fix', () => {
  test('an expired certificate: renew it on CUCM (giving a CA does not help)', async () => {
    const port = await serving(await leaf(root, { notBeforeDate: new Date(Date.now() - 400 * DAY), notAfterDate: new Date(Date.now() - 30 * DAY) }))
    const step = await tlsStep(port)
    assert.match(step.message, /CERT_HAS_EXPIRED\): CUCM's certificate has expired\.$/)
    assert.match(step.fix ?? '', /^Renew the Tomcat certificate on CUCM/)
    assert.doesNotMatch(`${step.message} ${step.fix ?? ''}`, /CUCM_/)
  })

  test('the CA given for the cluster expired, CUCM\'s certificate did not: give the current CA (renewing CUCM\'s certificate would not help)', async () => {
    const expired = await authority('Old Root CA', undefined, { notBeforeDate: new Date(Date.now() - 2000 * DAY), notAfterDate: new Date(Date.now() - 10 * DAY) })
    const step = await tlsStep(await serving(await leaf(expired, { notBeforeDate: new Date(Date.now() - 100 * DAY), notAfterDate: new Date(Date.now() + 300 * DAY) })), 'localhost', expired.cert)
    // Read from the CA given, not from CUCM: a second connection, unverified, would be needed for that.
    assert.equal(step.message, `TLS verification failed (CERT_HAS_EXPIRED): the certificate EM Console trusts for CUCM (CN=Old Root CA, self-signed) expired on ${new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10)}.`)
    // Self-signed, it may be CUCM's own certificate or a root CA: both fixes, the CA's named.
    assert.match(step.fix ?? '', / If it is a CA that signed CUCM's certificate instead: Export the current CA that signed CUCM's Tomcat certificate .* add it to the cluster's CA certificate/)
    assert.doesNotMatch(step.fix ?? '', /CUCM_/)
  })

  test('the CA given for the cluster is not valid yet, CUCM\'s certificate is: the CA\'s first day, not CUCM\'s certificate, is blamed', async () => {
    const validFrom = new Date(Date.now() + 20 * DAY)
    const early = await authority('Early Root CA', undefined, { notBeforeDate: validFrom, notAfterDate: new Date(Date.now() + 2000 * DAY) })
    const step = await tlsStep(await serving(await leaf(early, { notBeforeDate: new Date(Date.now() - 10 * DAY), notAfterDate: new Date(Date.now() + 300 * DAY) })), 'localhost', early.cert)
    assert.equal(step.message, `TLS verification failed (CERT_NOT_YET_VALID): the certificate EM Console trusts for CUCM (CN=Early Root CA, self-signed) is valid from ${validFrom.toISOString().slice(0, 10)}; this server's clock says ${new Date().toISOString().slice(0, 10)}.`)
    assert.doesNotMatch(step.fix ?? '', /CUCM_/)
  })

  test('a certificate not valid yet: the fix of the clocks', async () => {
    const step = await tlsStep(await serving(await leaf(root, { notBeforeDate: new Date(Date.now() + 10 * DAY), notAfterDate: new Date(Date.now() + 400 * DAY) })))
    assert.match(step.message, /CERT_NOT_YET_VALID\): CUCM's certificate is not valid yet\.$/)
    assert.match(step.fix ?? '', /^Check the clocks of CUCM and of this server/)
  })

  test('a port that answers plain HTTP: give the HTTPS port', async () => {
    const step = await tlsStep((plainHttp.address() as AddressInfo).port)
    assert.match(step.message, /does not speak HTTPS/)
    assert.match(step.fix ?? '', /the cluster's port is CUCM's HTTPS port \(usually 8443\)/)
    assert.doesNotMatch(step.fix ?? '', /PEM/)
  })

  test('CUCM sends its certificate without the intermediate CA that signed it: give the intermediate too', async () => {
    const intermediate = await authority('Lab Intermediate CA', root)
    const step = await tlsStep(await serving(await leaf(intermediate)))
    assert.match(step.message, /signed by a CA that this server does not trust/)
    assert.match(step.fix ?? '', /intermediate/)
  })

  test('a certificate for another name: the names it lists are said', async () => {
    const step = await tlsStep(await serving(await leaf(root, { dns: 'cucm-pub.example.com' })), 'localhost')
    assert.match(step.message, /does not name the host EM Console connects to \(it lists DNS:cucm-pub\.example\.com, IP Address:127\.0\.0\.1, not localhost\)\.$/)
    assert.match(step.fix ?? '', /as its host a name the certificate lists/)
  })

  test('a certificate with only a common name (no subject alternative names): its name and the host asked are said', async () => {
    // It used to read "does not name the host" and nothing more: no name of either side to compare.
    const port = await serving(await leaf(root, { commonNameOnly: true }))
    const byAddress = await tlsStep(port, '127.0.0.1')
    assert.match(byAddress.message, /does not name the host EM Console connects to \(it lists no subject alternative names, only its common name localhost, not 127\.0\.0\.1: an IP address matches only a subject alternative name\)\.$/)
    const byName = await tlsStep(await serving(await leaf(root, { dns: 'cucm-pub.example.com', commonNameOnly: true })), 'localhost')
    assert.match(byName.message, /\(it lists no subject alternative names, only its common name cucm-pub\.example\.com, not localhost\)\.$/)
  })

  test('a certificate refused for a reason without its own fix (one for TLS clients only): refused, not "verified" nor a dropped connection', async () => {
    // Node names every certificate it refuses by an OpenSSL code; this one, INVALID_PURPOSE, used
    // to read as "CUCM closed the connection without answering" under a "certificate verified" step.
    const step = await tlsStep(await serving(await leaf(root, { clientOnly: true })))
    assert.match(step.message, /^TLS verification failed \(INVALID_PURPOSE\): CUCM's certificate was refused: unsu(?:pported|itable) certificate purpose\.$/)
    assert.match(step.fix ?? '', /^Check CUCM's Tomcat certificate in CUCM OS Administration > Security > Certificate Management/)
  })

  test('a CA certificate out of its dates is refused when saved, its date said; a renewal beside it, or verification off, saves', async () => {
    // It used to be saved as it was: every action of the cluster then failed on it.
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
    const expiredOn = Date.now() - 10 * DAY
    const expired = await authority('Old Root CA', undefined, { notBeforeDate: new Date(Date.now() - 2000 * DAY), notAfterDate: new Date(expiredOn) })
    const early = await authority('Early Root CA', undefined, { notBeforeDate: new Date(Date.now() + 20 * DAY), notAfterDate: new Date(Date.now() + 2000 * DAY) })
    const cluster = { host: 'localhost', port: 8443, appUser: 'emapi-app', appPassword: 'Lab-Passw0rd!' }
    const refused = async (res: { statusCode: number, body: string, json: () => unknown }, words: RegExp): Promise<void> => {
      assert.equal(res.statusCode, 400, res.body)
      const { error } = res.json() as { error: { field?: string, message: string } }
      assert.equal(error.field, 'caPem')
      assert.match(error.message, words)
    }
    await refused(await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'old-ca', ...cluster, caPem: expired.cert } }),
      new RegExp(`^CA certificate: CN=Old Root CA expired on ${day(expiredOn)}: every connection to CUCM would be refused\\. Give the current certificate`))
    await refused(await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'early-ca', ...cluster, caPem: early.cert } }),
      new RegExp(`^CA certificate: CN=Early Root CA is valid only from ${day(Date.now() + 20 * DAY)} \\(this server's clock says ${day(Date.now())}\\)`))
    assert.equal((await t.inject({ url: '/api/clusters/old-ca' })).statusCode, 404)

    // CUCM's tomcat-trust keeps the expired CA beside its renewal for a while: the pair is saved.
    const added = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'renewed-ca', ...cluster, caPem: `${expired.cert}\n${root.cert}` } })
    assert.equal(added.statusCode, 201, added.body)
    await refused(await t.inject({ method: 'PATCH', url: '/api/clusters/renewed-ca', payload: { caPem: expired.cert, appPassword: cluster.appPassword } }), /^CA certificate: CN=Old Root CA expired on /)
    // An edit of another field keeps the CA as it is; with verification off, the CA is not used.
    assert.equal((await t.inject({ method: 'PATCH', url: '/api/clusters/renewed-ca', payload: { name: 'Renewed' } })).statusCode, 200)
    const unverified = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'unverified', ...cluster, tlsInsecure: true, caPem: expired.cert } })
    assert.equal(unverified.statusCode, 201, unverified.body)
    // Verification turned on again, that CA kept, would use it: refused as saving it is.
    await refused(await t.inject({ method: 'PATCH', url: '/api/clusters/unverified', payload: { tlsInsecure: false, appPassword: cluster.appPassword } }), /^CA certificate: CN=Old Root CA expired on /)
  })

  test('an action on a saved cluster whose certificate expired answers with the same fix', async () => {
    const port = await serving(await leaf(root, { notBeforeDate: new Date(Date.now() - 400 * DAY), notAfterDate: new Date(Date.now() - 30 * DAY) }))
    const added = await t.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'expired', host: 'localhost', port, appUser: 'emapi-app', appPassword: 'Lab-Passw0rd!', caPem: root.cert, timeoutMs: 3000 } })
    assert.equal(added.statusCode, 201, added.body)
    const res = await t.inject({ url: '/api/devices/SEP001122334455?cluster=expired' })
    assert.equal(res.statusCode, 502, res.body)
    const { error } = res.json() as { error: { code: string, action: string } }
    assert.equal(error.code, 'EMAPI_TLS')
    assert.match(error.action, /^Renew the Tomcat certificate on CUCM/)
  })

  test('with TLS verification turned off, the check never says the certificate was verified', async () => {
    // A certificate nobody trusts, and a server that is not EMAPI: the handshake goes through unverified, the service step fails.
    const port = await serving(await leaf(await authority('Unknown CA')))
    const res = await t.inject({ method: 'POST', url: '/api/clusters/check', payload: { id: 'lab', host: 'localhost', port, appUser: 'emapi-app', appPassword: 'Lab-Passw0rd!', tlsInsecure: true, timeoutMs: 3000 } })
    assert.equal(res.statusCode, 200, res.body)
    const steps = (res.json() as ClusterCheck).steps
    assert.equal(steps.find((s) => s.name === 'service')?.ok, false, res.body)
    const tls = steps.find((s) => s.name === 'tls')
    assert.equal(tls?.ok, null, res.body)
    assert.match(tls?.message ?? '', /^NOT verified: TLS verification is off$/)
    assert.match(tls?.fix ?? '', /untick "Do not verify the TLS certificate": without verification anyone on the network path can read the application password/)
  })
})
