import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Tuning } from '../../src/runtime.ts'
import type { SimulatorOptions } from '../../src/simulator/server.ts'
import { buildTestApp, type TestApp } from './app.ts'

export type ScheduleHarness = TestApp

export interface ScheduleHarnessOptions {
  simulator?: SimulatorOptions
  env?: Record<string, string>
  tuning?: Partial<Tuning>
  webhookUrl?: string
  webhookTimeoutMs?: number
}

/** The test app (real schedules API, SQLite file and simulator) with schedule options. */
export async function buildScheduleHarness (options: ScheduleHarnessOptions = {}): Promise<ScheduleHarness> {
  return await buildTestApp(options)
}

export interface WebhookReceiver {
  url: string
  received: Array<{ headers: IncomingMessage['headers'], body: unknown }>
  /** Resolves with the next notification (or the first one already received). */
  next: (timeoutMs?: number) => Promise<unknown>
  close: () => Promise<void>
}

/**
 * A local HTTP server standing in for a chat or paging webhook; `hang` never answers, `endless`
 * answers 200 with a body that never ends (64 KiB every millisecond while the caller reads).
 */
export async function startWebhookReceiver (behaviour: 'ok' | 'hang' | 'endless' = 'ok'): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = []
  const waiters: Array<(body: unknown) => void> = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => { text += chunk.toString() })
    req.on('end', () => {
      const body: unknown = JSON.parse(text)
      received.push({ headers: req.headers, body })
      waiters.shift()?.(body)
      if (behaviour === 'ok') res.writeHead(204).end()
      if (behaviour === 'endless') {
        res.writeHead(200, { 'content-type': 'text/plain' })
        const chunk = Buffer.alloc(64 * 1024, 'x')
        const flood = setInterval(() => res.write(chunk), 1)
        res.on('close', () => { clearInterval(flood) })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/secret-token?key=abc`,
    received,
    async next (timeoutMs = 5000) {
      if (received.length > 0) return received[0]?.body
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no webhook call')), timeoutMs)
        waiters.push((body) => { clearTimeout(timer); resolve(body) })
      })
    },
    async close () {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
