import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  EXIT,
  table
} from "./chunk-7INOBL6E.js";
import "./chunk-6HMTDXZ4.js";

// dist/cli/clusters.js
function healthWords(health, enabled, problem) {
  if (problem !== void 0)
    return `unusable: ${problem}`;
  if (!enabled)
    return "-";
  if (health === null)
    return "-";
  return health.reachable ? `reachable (${health.latencyMs ?? "?"} ms)` : `NOT reachable: ${health.error?.message ?? "no answer"}`;
}
async function clusters(runtime, json, io) {
  const rows = await Promise.all(runtime.clusters.definitions().map(async (definition) => {
    const { settings, source, problem } = definition;
    const live = runtime.clusters.get(settings.id);
    return {
      id: settings.id,
      name: settings.name,
      source,
      enabled: settings.enabled,
      host: settings.host,
      port: settings.port,
      axl: settings.axl !== void 0,
      problem: problem ?? null,
      health: live === void 0 ? null : await live.health()
    };
  }));
  const down = rows.some((row) => row.health !== null && !row.health.reachable) || rows.some((row) => row.enabled && row.problem !== null);
  const exitCode = down ? EXIT.transport : EXIT.ok;
  if (json) {
    io.out(JSON.stringify({ command: "clusters", ok: !down, exitCode, mode: runtime.mode, clusters: rows }, null, 2));
    return exitCode;
  }
  const lines = table([
    ["ID", "NAME", "SOURCE", "STATE", "CUCM", "EMAPI"],
    ...rows.map((row) => [row.id, row.name, row.source, row.enabled ? "enabled" : "disabled", `${row.host}:${row.port}`, healthWords(row.health, row.enabled, row.problem ?? void 0)])
  ]);
  for (const line of lines)
    io.out(line);
  return exitCode;
}
export {
  clusters
};
