import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// dist/clusters/definitions.js
import { readFileSync } from "node:fs";
function environmentCluster(config) {
  const host = config.CUCM_HOST ?? "";
  return {
    source: "environment",
    settings: {
      id: config.CUCM_CLUSTER_ID,
      name: config.CUCM_CLUSTER_NAME ?? host,
      host,
      port: config.CUCM_PORT,
      appUser: config.CUCM_APP_USER,
      appPassword: config.CUCM_APP_PASSWORD,
      caPem: config.CUCM_CA_FILE === void 0 ? void 0 : readFileSync(config.CUCM_CA_FILE, "utf8"),
      tlsInsecure: config.CUCM_TLS_INSECURE,
      timeoutMs: config.CUCM_TIMEOUT_MS,
      maxConcurrency: config.EMAPI_MAX_CONCURRENCY,
      timezone: config.SCHEDULE_TIMEZONE,
      enabled: true,
      axl: config.CUCM_AXL_USER === void 0 ? void 0 : { host: config.CUCM_AXL_HOST, port: config.CUCM_AXL_PORT, user: config.CUCM_AXL_USER, password: config.CUCM_AXL_PASSWORD ?? "", version: config.CUCM_AXL_VERSION }
    }
  };
}
function clusterKey(id) {
  return id.toLowerCase();
}

export {
  environmentCluster,
  clusterKey
};
