import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import "./chunk-6HMTDXZ4.js";

// dist/clusters/legacy-audit.js
var LEGACY_AUDIT_MARKER = "clusters.legacy-audit-before";
var CLUSTER_ACTIONS = ["logout-all", "logout", "login", "device-query", "user-devices-query", "device-profile-query", "bulk-run", "schedule-missed"];
var BATCH = 2e4;
async function assignLegacyAuditRows(store, clusterId, log) {
  const marker = store.settings.get(LEGACY_AUDIT_MARKER);
  if (marker === void 0)
    return 0;
  const before = Number(marker);
  let total = 0;
  for (let from = 1; ; from += BATCH) {
    const to = Math.min(from + BATCH, before);
    const last = to >= before;
    total += await store.write((w) => {
      const changed = from < to ? w.audit.assignCluster(clusterId, from, to, CLUSTER_ACTIONS) : 0;
      if (last)
        w.settings.delete(LEGACY_AUDIT_MARKER);
      return changed;
    }, "legacy audit cluster");
    if (last)
      break;
  }
  if (total > 0)
    log.info({ cluster: clusterId, rows: total }, `The ${total} audit record(s) written before clusters existed now name the cluster ${clusterId}.`);
  return total;
}
export {
  CLUSTER_ACTIONS,
  LEGACY_AUDIT_MARKER,
  assignLegacyAuditRows
};
