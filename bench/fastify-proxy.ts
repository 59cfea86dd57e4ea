/**
 * A diagnostic beside P1's floor: the bare proxy (bare-proxy.ts) with Fastify in front, and
 * nothing else (no logger, hooks, schemas, sign-in or audit). Its distance from the bare proxy is
 * the framework's own share of P1's budget, before anything EM Console adds. Started by proxy.ts
 * with the simulator's CUCM_* settings; prints its port.
 */
import Fastify from 'fastify'
import { clientFromEnv } from './env-client.ts'

const client = clientFromEnv()

const app = Fastify({ logger: false })
app.get<{ Params: { name: string } }>('/api/devices/:name', async (request) => (await client.deviceUserQuery([request.params.name])).value[0])
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
console.log(`fastify proxy listening on ${typeof address === 'object' && address !== null ? address.port : 0}`)
process.once('SIGTERM', () => { app.close().then(async () => { await client.close() }).finally(() => process.exit(0)).catch(() => {}) })
