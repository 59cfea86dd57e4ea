/**
 * A diagnostic beside P1's floor: the bare proxy (bare-proxy.ts) with Fastify in front, and
 * nothing else (no logger, hooks, schemas, sign-in or audit). Its distance from the bare proxy is
 * the framework's own share of P1's budget, before anything EM Console adds. Started by proxy.ts
 * with the simulator's CUCM_* settings; prints its port.
 */
import { readFileSync } from 'node:fs'
import Fastify from 'fastify'
import { createEmapiClient } from '../server/src/emapi/client.ts'

const env = (name: string): string => process.env[name] ?? ''
const client = createEmapiClient({
  host: env('CUCM_HOST'),
  port: Number(env('CUCM_PORT')),
  appUser: env('CUCM_APP_USER'),
  appPassword: env('CUCM_APP_PASSWORD'),
  ca: readFileSync(env('CUCM_CA_FILE'), 'utf8'),
  timeoutMs: 15_000
})

const app = Fastify({ logger: false })
app.get<{ Params: { name: string } }>('/api/devices/:name', async (request) => (await client.deviceUserQuery([request.params.name])).value[0])
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
console.log(`fastify proxy listening on ${typeof address === 'object' && address !== null ? address.port : 0}`)
process.once('SIGTERM', () => { app.close().then(async () => { await client.close() }).finally(() => process.exit(0)).catch(() => {}) })
