/**
 * The least a proxy can do, for P1's floor: node:http, no framework, no sign-in, no audit, the
 * same EMAPI client as the server. `GET /api/devices/:name` answers the deviceUserQuery's result
 * as JSON. Started by proxy.ts with the simulator's CUCM_* settings; prints its port.
 */
import { createServer } from 'node:http'
import { clientFromEnv } from './env-client.ts'

const client = clientFromEnv()

const server = createServer((req, res) => {
  const name = decodeURIComponent((req.url ?? '').split('/').pop() ?? '')
  client.deviceUserQuery([name]).then(
    (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.value[0])),
    (error: unknown) => res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error))
  )
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  console.log(`bare proxy listening on ${typeof address === 'object' && address !== null ? address.port : 0}`)
})
process.once('SIGTERM', () => { server.close(); client.close().finally(() => process.exit(0)).catch(() => {}) })
