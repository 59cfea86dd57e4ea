import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { X509Certificate } from 'node:crypto'
import { Agent, request } from 'undici'
import { createCertificate } from '../src/simulator/certificate.js'
import { startSimulator } from '../src/simulator/server.ts'

test('the simulator certificate is a valid self-signed ECDSA CA for its names, as node reads it', async () => {
  const now = new Date('2026-12-02T10:00:00Z')
  const { cert, key } = await createCertificate('10.1.2.3', now)
  const x509 = new X509Certificate(cert)
  assert.equal(x509.subject, 'CN=EM Console CUCM simulator')
  assert.equal(x509.issuer, x509.subject)
  assert.equal(x509.ca, true)
  assert.ok(x509.verify(x509.publicKey), 'signed by its own key')
  assert.ok(x509.checkPrivateKey((await import('node:crypto')).createPrivateKey(key)))
  assert.equal(x509.publicKey.asymmetricKeyType, 'ec')
  assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.1.2.3')
  assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.1'])
  assert.equal(new Date(x509.validFrom).toISOString(), '2026-12-02T09:00:00.000Z')
  assert.equal(new Date(x509.validTo).toISOString(), '2027-12-02T10:00:00.000Z')
  assert.equal(x509.checkIP('10.1.2.3'), '10.1.2.3')
  assert.equal(x509.checkHost('localhost'), 'localhost')
})

test('a host name and IPv6 addresses (with an IPv4 tail) go into the subject alternative names', async () => {
  const named = new X509Certificate((await createCertificate('cucm-sim.example.com')).cert)
  assert.match(named.subjectAltName ?? '', /DNS:cucm-sim\.example\.com$/)
  const v6 = new X509Certificate((await createCertificate('2001:db8::ffff:192.0.2.1')).cert)
  assert.match(v6.subjectAltName ?? '', /IP Address:2001:DB8:0:0:0:FFFF:C000:201$/i)
  const plain = new X509Certificate((await createCertificate('127.0.0.1')).cert)
  assert.equal(plain.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
})

test('a TLS client that trusts only this certificate verifies it, by IP and by name', async () => {
  const { cert, key } = await createCertificate('127.0.0.1')
  const server = createServer({ cert, key }, (_req, res) => res.end('ok'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const trusting = new Agent({ connect: { ca: cert } })
  const byName = new Agent({ connect: { ca: cert, servername: 'localhost' } })
  const other = new Agent({ connect: { ca: (await createCertificate('127.0.0.1')).cert } })
  try {
    const res = await request(`https://127.0.0.1:${port}/`, { dispatcher: trusting })
    assert.equal(await res.body.text(), 'ok')
    const named = await request(`https://127.0.0.1:${port}/`, { dispatcher: byName })
    assert.equal(await named.body.text(), 'ok')
    await assert.rejects(request(`https://127.0.0.1:${port}/`, { dispatcher: other }), /self[- ]signed|certificate/i)
  } finally {
    await Promise.all([trusting.close(), byName.close(), other.close()])
    server.close()
  }
})

test('--expired-certificate: the simulator presents a certificate that expired, and a client that trusts it is told so', async () => {
  const sim = await startSimulator({ expiredCertificate: true })
  const trusting = new Agent({ connect: { ca: sim.caPem } })
  try {
    const x509 = new X509Certificate(sim.caPem)
    assert.ok(new Date(x509.validTo).getTime() < Date.now(), `valid to ${x509.validTo}`)
    await assert.rejects(request(`${sim.origin}/`, { dispatcher: trusting }), (error: Error & { code?: string }) => error.code === 'CERT_HAS_EXPIRED')
  } finally {
    await trusting.close()
    await sim.close()
  }
  const help = spawnSync(process.execPath, ['--conditions=@em-console/source', '--import', 'tsx', fileURLToPath(new URL('../src/simulator/main.ts', import.meta.url)), '--help'], { encoding: 'utf8', timeout: 30_000 })
  assert.match(help.stdout, /--expired-certificate presents a/)
})
