import { CLUSTER_ACTIONS } from '../audit/audit-repository.js'
import type { Log } from '../log.js'
import type { Store } from '../store/store.js'

/** Set by migration 010: one past the last audit row written before there were several clusters. */
export const LEGACY_AUDIT_MARKER = 'clusters.legacy-audit-before'

/** Rows per transaction: short enough that a CLI command beside the server never waits long. */
const BATCH = 20_000

/**
 * Names the environment's cluster on the audit rows written before #17 (migration 010 left them
 * NULL: the id was not known to SQL). Runs once, at the server's first start after the upgrade,
 * in batches; the marker goes with the last batch, so a start interrupted half-way resumes.
 */
export async function assignLegacyAuditRows (store: Store, clusterId: string, log: Log): Promise<number> {
  const marker = store.settings.get(LEGACY_AUDIT_MARKER)
  if (marker === undefined) return 0
  const before = Number(marker)
  let total = 0
  for (let from = 1; ; from += BATCH) {
    const to = Math.min(from + BATCH, before)
    const last = to >= before
    total += await store.write((w) => {
      const changed = from < to ? w.audit.assignCluster(clusterId, from, to, CLUSTER_ACTIONS) : 0
      if (last) w.settings.delete(LEGACY_AUDIT_MARKER)
      return changed
    }, 'legacy audit cluster')
    if (last) break
  }
  if (total > 0) log.info({ cluster: clusterId, rows: total }, `The ${total} audit record(s) written before clusters existed now name the cluster ${clusterId}.`)
  return total
}
