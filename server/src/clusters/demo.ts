import { existsSync, realpathSync } from 'node:fs'
import { ConfigError, ENV_FILE, type Config } from '../config.js'
import { BRANCH_TIMEZONE, branchScenario } from '../simulator/branch-scenario.js'
import { DEFAULT_AXL_PASSWORD, DEFAULT_AXL_USER } from '../simulator/axl.js'
import { DEFAULT_APP_PASSWORD, DEFAULT_APP_USER, startSimulator, type Simulator } from '../simulator/server.js'
import type { Store } from '../store/store.js'
import type { ClusterDefinition } from './definitions.js'
import { isRunning } from '../processes.js'
import { APP_DIR } from '../paths.js'

/** The demo's clusters: the first is today's seed (tests and e2e rely on it), the second a branch. */
export const DEMO_CLUSTERS = [
  { id: 'hq', name: 'HQ (demo)' },
  { id: 'branch', name: 'Branch (demo)' }
] as const

export interface DemoClusters {
  definitions: ClusterDefinition[]
  /** The simulator behind each demo cluster, by cluster id (none when a command uses a server's). */
  simulators: ReadonlyMap<string, Simulator>
  /** What the log says about them. */
  note: string
  close: () => Promise<void>
}

/** Where a demo server's simulators are, for a CLI command on the same database (their credentials are the simulator's defaults). */
const SERVED_KEY = 'demo_simulators'

interface Served {
  pid: number
  clusters: Array<{ host: string, port: number, caPem: string }>
}

function definitionsOf (config: Config, simulators: Served['clusters']): ClusterDefinition[] {
  return simulators.map((sim, i): ClusterDefinition => ({
    source: 'environment',
    settings: {
      id: DEMO_CLUSTERS[i]?.id ?? `demo-${i}`,
      name: DEMO_CLUSTERS[i]?.name ?? `Demo ${i}`,
      host: sim.host,
      port: sim.port,
      appUser: DEFAULT_APP_USER,
      appPassword: DEFAULT_APP_PASSWORD,
      caPem: sim.caPem,
      tlsInsecure: false,
      timeoutMs: config.CUCM_TIMEOUT_MS,
      maxConcurrency: config.EMAPI_MAX_CONCURRENCY,
      // The simulators are started with it (startSimulators): the demo shows each behaviour.
      multipleLogins: config.CUCM_MULTIPLE_LOGINS,
      timezone: i === 0 ? config.SCHEDULE_TIMEZONE : BRANCH_TIMEZONE,
      enabled: true,
      axl: { host: undefined, port: sim.port, user: DEFAULT_AXL_USER, password: DEFAULT_AXL_PASSWORD, version: undefined }
    }
  }))
}

/** The simulators a demo server on this database published, if that server still runs. */
function servedSimulators (store: Store): Served | undefined {
  const text = store.settings.get(SERVED_KEY)
  if (text === undefined) return undefined
  try {
    const served = JSON.parse(text) as Served
    return Number.isInteger(served.pid) && Array.isArray(served.clusters) && isRunning(served.pid) ? served : undefined
  } catch {
    return undefined
  }
}

async function closeAll (simulators: readonly Simulator[]): Promise<void> {
  await Promise.all(simulators.map(async (sim) => { await sim.close() }))
}

/** Why the HQ simulator cannot listen on SIMULATOR_PORT, as that setting's error (exit 3); any other failure as it is. */
function simulatorPortRefusal (error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') return new ConfigError('SIMULATOR_PORT', `127.0.0.1:${port} is in use by another program (another EM Console's demo, on another database?): stop it, or set SIMULATOR_PORT to a free port (0: any free one).`)
  if (code === 'EACCES') return new ConfigError('SIMULATOR_PORT', `listening on port ${port} needs privileges this process does not have: set SIMULATOR_PORT to 1024 or above (0: any free one).`)
  return error
}

/** One simulator per demo cluster, on loopback ports of their own. */
async function startSimulators (config: Config): Promise<Simulator[]> {
  const started = await Promise.allSettled([
    startSimulator({ port: config.SIMULATOR_PORT, multipleLogins: config.CUCM_MULTIPLE_LOGINS }),
    startSimulator({ port: 0, scenario: branchScenario(), multipleLogins: config.CUCM_MULTIPLE_LOGINS })
  ])
  const simulators = started.flatMap((s) => s.status === 'fulfilled' ? [s.value] : [])
  const [hq, branch] = started
  const failure: unknown = hq?.status === 'rejected' ? simulatorPortRefusal(hq.reason, config.SIMULATOR_PORT) : branch?.status === 'rejected' ? branch.reason : undefined
  if (failure !== undefined) {
    await closeAll(simulators)
    throw failure
  }
  return simulators
}

const where = (definitions: ClusterDefinition[]): string => definitions.map((d) => `${d.settings.id} at https://${d.settings.host}:${d.settings.port}`).join(', ')

/**
 * Said after a command's demo note when the working directory has no .env: a cron line without
 * `cd` to EM Console's folder (a timer without WorkingDirectory=) runs in demo mode, on simulators.
 * In that folder itself (the README's demo, or an install not configured yet) .env is what is missing.
 */
const withoutEnvFile = (): string => {
  if (existsSync(ENV_FILE)) return ''
  if (sameFolder(process.cwd(), APP_DIR)) return ` There is no ${ENV_FILE} in ${process.cwd()}: copy ${ENV_FILE}-sample to ${ENV_FILE} to set it.`
  return ` There is no ${ENV_FILE} in ${process.cwd()}: run the command in EM Console's folder (a cron line: cd /opt/em-console && ...; a systemd timer: WorkingDirectory=).`
}

function sameFolder (one: string, other: string): boolean {
  try {
    return realpathSync(one) === realpathSync(other)
  } catch {
    return false
  }
}

/**
 * Demo mode (no CUCM_HOST): one simulator per demo cluster, each trusted through the ordinary CA
 * option, so demo mode takes the same TLS path as production. HQ listens on SIMULATOR_PORT; the
 * branch on any free port. Both speak AXL too. A server publishes where they are in the store; a
 * CLI command on the same database then talks to those (what it does shows on the dashboard), and
 * only with no demo server running starts simulators of its own, which end with the command.
 */
export async function startDemoClusters (config: Config, store: Store, role: 'server' | 'cli'): Promise<DemoClusters> {
  const served = role === 'cli' ? servedSimulators(store) : undefined
  if (served !== undefined) {
    const definitions = definitionsOf(config, served.clusters)
    return {
      definitions,
      simulators: new Map(),
      note: `Demo mode: no CUCM_HOST is set, so this command talks to the CUCM simulators of the demo server running on this database (process ${served.pid}: ${where(definitions)}). Set CUCM_HOST to manage a real cluster.${withoutEnvFile()}`,
      close: async () => {}
    }
  }
  const simulators = await startSimulators(config)
  const clusters = simulators.map((sim) => ({ host: sim.host, port: sim.port, caPem: sim.caPem }))
  const definitions = definitionsOf(config, clusters)
  if (role === 'server') {
    try {
      await store.write((w) => { w.settings.set(SERVED_KEY, JSON.stringify({ pid: process.pid, clusters } satisfies Served)) }, 'demo simulators')
    } catch (error) {
      await closeAll(simulators)
      throw error
    }
  }
  return {
    definitions,
    simulators: new Map(definitions.map((d, i) => [d.settings.id, simulators[i] as Simulator])),
    note: role === 'server'
      ? `Demo mode: no CUCM_HOST is set, so EM Console talks to its built-in CUCM simulators (${where(definitions)}). Set CUCM_HOST to manage a real cluster.`
      : `Demo mode: no CUCM_HOST is set and no demo server runs on this database, so this command talks to CUCM simulators of its own, which start from the demo's data and end with the command (${where(definitions)}). Set CUCM_HOST to manage a real cluster.${withoutEnvFile()}`,
    close: async () => {
      try {
        if (role === 'server') await store.writtenUnlessRefused(store.write((w) => { w.settings.delete(SERVED_KEY) }, 'demo simulators stopped'))
      } finally {
        await closeAll(simulators)
      }
    }
  }
}
