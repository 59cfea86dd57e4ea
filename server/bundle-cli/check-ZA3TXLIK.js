import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  checkCluster,
  describeSettings
} from "./chunk-G7GFFDYF.js";
import {
  EXIT
} from "./chunk-7INOBL6E.js";
import "./chunk-4M7U75GA.js";
import "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import {
  clusterKey
} from "./chunk-6ICOKVAG.js";
import "./chunk-E75TASB6.js";
import "./chunk-GT63VX7W.js";
import "./chunk-6HMTDXZ4.js";

// dist/cli/check.js
var EXIT_OF = { ok: EXIT.ok, failed: EXIT.failed, transport: EXIT.transport };
function describeTarget(config) {
  if (config.CUCM_HOST === void 0)
    return "demo mode: no CUCM_HOST, so the built-in CUCM simulator is checked";
  const ca = config.CUCM_CA_FILE === void 0 ? "system CA store" : `CA file ${config.CUCM_CA_FILE}`;
  return `CUCM ${config.CUCM_HOST}:${config.CUCM_PORT}, application user ${config.CUCM_APP_USER}, ${ca}${config.CUCM_TLS_INSECURE ? ", TLS verification OFF" : ""}`;
}
async function runChecks(runtime, clusterId) {
  const { clusters } = runtime;
  const id = clusterId ?? clusters.default().id;
  const definition = clusters.definition(id);
  if (definition === void 0 || definition.problem !== void 0)
    clusters.require(id);
  const { source, settings } = definition;
  const first = clusterKey(settings.id) === clusterKey(clusters.default().id);
  const target = first ? describeTarget(runtime.config) : describeSettings(settings);
  const { steps, outcome } = await checkCluster({ source, settings, client: clusters.get(id)?.client, description: target });
  return { steps, exitCode: EXIT_OF[outcome], cluster: settings.id, target };
}
function printChecks(io, steps) {
  for (const step of steps) {
    const mark = step.ok === true ? "[ok]  " : step.ok === false ? "[FAIL]" : "[skip]";
    io.out(`${mark} ${step.label}: ${step.message}`);
    if (step.fix !== void 0)
      io.out(`       fix: ${step.fix}`);
  }
  const failed = steps.filter((s) => s.ok === false).length;
  io.out(failed === 0 ? "All checks passed." : 'Fix the failed check and run "em-console check" again.');
}
export {
  describeTarget,
  printChecks,
  runChecks
};
