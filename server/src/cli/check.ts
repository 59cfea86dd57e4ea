import type { CheckStep } from '@em-console/shared/schemas'
import { passedUnverified, UNVERIFIED_HEADLINE } from '@em-console/shared/display'
import { checkCluster, describeSettings, type CheckOutcome } from '../clusters/connection-check.js'
import { clusterKey, type ClusterDefinition } from '../clusters/definitions.js'
import type { Config } from '../config.js'
import type { CoreRuntime } from '../runtime.js'
import { EXIT, type ExitCode, type Io } from './output.js'

export type { CheckStep }

const EXIT_OF: Record<CheckOutcome, ExitCode> = { ok: EXIT.ok, failed: EXIT.failed, transport: EXIT.transport }

function describeTarget (config: Config): string {
  if (config.CUCM_HOST === undefined) return 'demo mode: no CUCM_HOST, so the built-in CUCM simulator is checked'
  const ca = config.CUCM_CA_FILE === undefined ? 'system CA store' : `CA file ${config.CUCM_CA_FILE}`
  return `CUCM ${config.CUCM_HOST}:${config.CUCM_PORT}, application user ${config.CUCM_APP_USER}, ${ca}${config.CUCM_TLS_INSECURE ? ', TLS verification OFF' : ''}`
}

/**
 * The checks of clusters/connection-check.ts on one cluster: the first (the environment's) unless
 * `clusterId` names another; a disabled one is checked too, with a client made for the check.
 */
export async function runChecks (runtime: CoreRuntime, clusterId?: string): Promise<{ steps: CheckStep[], exitCode: ExitCode, cluster: string, target: string }> {
  const { clusters } = runtime
  const id = clusterId ?? clusters.default().id
  const definition = clusters.definition(id)
  // Unknown, or known but unusable (passwords that do not decrypt): the registry says why.
  if (definition === undefined || definition.problem !== undefined) clusters.require(id)
  const { source, settings } = definition as ClusterDefinition
  const first = clusterKey(settings.id) === clusterKey(clusters.default().id)
  const target = first ? describeTarget(runtime.config) : describeSettings(settings)
  const { steps, outcome } = await checkCluster({ source, settings, client: clusters.get(id)?.client, description: target })
  return { steps, exitCode: EXIT_OF[outcome], cluster: settings.id, target }
}

export function printChecks (io: Io, steps: readonly CheckStep[]): void {
  const unverified = passedUnverified(steps)
  for (const step of steps) {
    const mark = step.ok === true ? '[ok]  ' : step.ok === false ? '[FAIL]' : unverified && step.name === 'tls' ? '[warn]' : '[skip]'
    io.out(`${mark} ${step.label}: ${step.message}`)
    if (step.fix !== undefined) io.out(`       fix: ${step.fix}`)
  }
  const failed = steps.filter((s) => s.ok === false).length
  io.out(failed > 0 ? 'Fix the failed check and run "em-console check" again.' : unverified ? UNVERIFIED_HEADLINE : 'All checks passed.')
}
