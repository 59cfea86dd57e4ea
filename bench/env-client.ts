import { readFileSync } from 'node:fs'
import { createEmapiClient, type EmapiClient } from '../server/src/emapi/client.ts'

/** The EMAPI client of P1's floors (bare-proxy.ts, fastify-proxy.ts): the simulator's CUCM_* settings, as proxy.ts passes them. */
export function clientFromEnv (): EmapiClient {
  const env = (name: string): string => process.env[name] ?? ''
  return createEmapiClient({
    host: env('CUCM_HOST'),
    port: Number(env('CUCM_PORT')),
    appUser: env('CUCM_APP_USER'),
    appPassword: env('CUCM_APP_PASSWORD'),
    ca: readFileSync(env('CUCM_CA_FILE'), 'utf8'),
    timeoutMs: 15_000
  })
}
