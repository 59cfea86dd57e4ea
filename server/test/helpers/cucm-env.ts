import type { Simulator } from '../../src/simulator/server.ts'

/** The settings that point the environment's cluster at `sim`: its address, its CA and its application user. */
export function cucmEnvOf (sim: Simulator): Record<'CUCM_HOST' | 'CUCM_PORT' | 'CUCM_CA_FILE' | 'CUCM_APP_USER' | 'CUCM_APP_PASSWORD', string> {
  return {
    CUCM_HOST: sim.host,
    CUCM_PORT: String(sim.port),
    CUCM_CA_FILE: sim.caFile,
    CUCM_APP_USER: sim.credentials.appUser,
    CUCM_APP_PASSWORD: sim.credentials.appPassword
  }
}
