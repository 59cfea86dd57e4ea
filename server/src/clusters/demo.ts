import type { Config } from '../config.js'
import { BRANCH_TIMEZONE, branchScenario } from '../simulator/branch-scenario.js'
import { startSimulator, type Simulator } from '../simulator/server.js'
import type { ClusterDefinition } from './definitions.js'

/** The demo's clusters: the first is today's seed (tests and e2e rely on it), the second a branch. */
export const DEMO_CLUSTERS = [
  { id: 'hq', name: 'HQ (demo)' },
  { id: 'branch', name: 'Branch (demo)' }
] as const

export interface DemoClusters {
  definitions: ClusterDefinition[]
  /** The simulator behind each demo cluster, by cluster id. */
  simulators: ReadonlyMap<string, Simulator>
  close: () => Promise<void>
}

/**
 * Demo mode (no CUCM_HOST): one simulator per demo cluster, on loopback ports of their own, each
 * trusted through the ordinary CA option, so demo mode takes the same TLS path as production.
 * HQ listens on SIMULATOR_PORT; the branch on any free port. Both speak AXL too.
 */
export async function startDemoClusters (config: Config): Promise<DemoClusters> {
  const started = await Promise.allSettled([
    startSimulator({ port: config.SIMULATOR_PORT }),
    startSimulator({ port: 0, scenario: branchScenario() })
  ])
  const simulators = started.flatMap((s) => s.status === 'fulfilled' ? [s.value] : [])
  const close = async (): Promise<void> => { await Promise.all(simulators.map(async (sim) => { await sim.close() })) }
  const failed = started.find((s) => s.status === 'rejected')
  if (failed !== undefined) {
    await close()
    throw failed.reason
  }
  const definitions = simulators.map((sim, i): ClusterDefinition => ({
    source: 'environment',
    settings: {
      id: DEMO_CLUSTERS[i]?.id ?? `demo-${i}`,
      name: DEMO_CLUSTERS[i]?.name ?? `Demo ${i}`,
      host: sim.host,
      port: sim.port,
      appUser: sim.credentials.appUser,
      appPassword: sim.credentials.appPassword,
      caPem: sim.caPem,
      tlsInsecure: false,
      timeoutMs: config.CUCM_TIMEOUT_MS,
      maxConcurrency: config.EMAPI_MAX_CONCURRENCY,
      timezone: i === 0 ? config.SCHEDULE_TIMEZONE : BRANCH_TIMEZONE,
      enabled: true,
      axl: { host: undefined, port: sim.port, user: sim.axl.credentials.user, password: sim.axl.credentials.password, version: undefined }
    }
  }))
  return {
    definitions,
    simulators: new Map(definitions.map((d, i) => [d.settings.id, simulators[i] as Simulator])),
    close
  }
}
