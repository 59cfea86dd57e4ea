import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import selfsigned from 'selfsigned'

export interface Certificate {
  cert: string
  key: string
}

/** A self-signed certificate for the given names; its PEM is also the CA that trusts it. */
export async function makeCertificate (dnsName = 'localhost', ip = '127.0.0.1'): Promise<Certificate> {
  const result = await selfsigned.generate([{ name: 'commonName', value: dnsName }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: dnsName }, { type: 7, ip }] }]
  })
  return { cert: result.cert, key: result.private }
}

export interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: Buffer
}

export interface TestServer {
  port: number
  received: Received[]
  close: () => Promise<void>
}

/** A real HTTPS server on loopback that records what it received and answers with `handler`. */
export async function startHttpsServer (certificate: Certificate, handler: (req: Received, res: ServerResponse) => void): Promise<TestServer> {
  const received: Received[] = []
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }
      received.push(entry)
      handler(entry, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
