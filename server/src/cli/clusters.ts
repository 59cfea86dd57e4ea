import type { EmapiHealth } from '@em-console/shared/schemas'
import type { CoreRuntime } from '../runtime.js'
import { EXIT, printJson, table, type ExitCode, type Io } from './output.js'

function healthWords (health: EmapiHealth | null, enabled: boolean, problem: string | undefined): string {
  if (problem !== undefined) return `unusable: ${problem}`
  if (!enabled) return '-'
  if (health === null) return '-'
  return health.reachable ? `reachable (${health.latencyMs ?? '?'} ms)` : `NOT reachable: ${health.error?.message ?? 'no answer'}`
}

/**
 * `em-console clusters`: every cluster with where it comes from and whether its EMAPI answers
 * (asked of all at once). Exit 2 when an enabled cluster does not answer, so a monitoring script
 * can run it as it is; never a password.
 */
export async function clusters (runtime: CoreRuntime, json: boolean, io: Io): Promise<ExitCode> {
  const rows = await Promise.all(runtime.clusters.definitions().map(async (definition) => {
    const { settings, source, problem } = definition
    const live = runtime.clusters.get(settings.id)
    return {
      id: settings.id,
      name: settings.name,
      source,
      enabled: settings.enabled,
      host: settings.host,
      port: settings.port,
      axl: settings.axl !== undefined,
      problem: problem ?? null,
      // A command asks once and says what it heard: the answer, not "checking" (em-service health).
      health: live === undefined ? null : await live.health({ fresh: true })
    }
  }))
  const down = rows.some((row) => row.health !== null && !row.health.reachable) || rows.some((row) => row.enabled && row.problem !== null)
  const exitCode = down ? EXIT.transport : EXIT.ok
  if (json) {
    printJson(io, { command: 'clusters', ok: !down, exitCode, mode: runtime.mode, clusters: rows })
    return exitCode
  }
  const lines = table([
    ['ID', 'NAME', 'SOURCE', 'STATE', 'CUCM', 'EMAPI'],
    ...rows.map((row) => [row.id, row.name, row.source, row.enabled ? 'enabled' : 'disabled', `${row.host}:${row.port}`, healthWords(row.health, row.enabled, row.problem ?? undefined)])
  ])
  for (const line of lines) io.out(line)
  return exitCode
}
