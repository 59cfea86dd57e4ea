import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  retryCount
} from "./chunk-Q3PXE6AK.js";
import {
  BadRequestError,
  RunFailedError,
  ServiceError
} from "./chunk-DUMI6XDV.js";

// dist/inventory/session-logout.js
function describeSelection(filters) {
  const parts = [];
  if (filters.olderThanHours !== void 0)
    parts.push(`logged in for more than ${filters.olderThanHours} h`);
  if (filters.devicePool !== void 0 && filters.devicePool.length > 0)
    parts.push(`on ${filters.devicePool.join(", ")}`);
  if (filters.cluster !== void 0)
    parts.push(`in cluster ${filters.cluster}`);
  if (filters.model !== void 0)
    parts.push(`on ${filters.model} phones`);
  if (filters.user !== void 0)
    parts.push(`users ${filters.user}\u2026`);
  if (filters.device !== void 0)
    parts.push(`devices ${filters.device}\u2026`);
  if (filters.q !== void 0)
    parts.push(`matching "${filters.q}"`);
  return parts.length === 0 ? "every session" : `the sessions ${parts.join(" ")}`;
}
async function selectSessions(inventory, filters, clusters) {
  if (clusters === void 0)
    return await inventory.selectSessions(filters);
  const wanted = filters.cluster === void 0 ? clusters : clusters.filter((c) => c.toLowerCase() === filters.cluster?.toLowerCase());
  if (wanted.length === 0)
    throw new BadRequestError("cluster", `Invalid field "cluster": the sessions' cluster ${filters.cluster ?? ""} is not one of the clusters asked (${clusters.join(", ")}).`);
  const parts = await Promise.all(wanted.map(async (cluster) => await inventory.selectSessions({ ...filters, cluster })));
  return {
    devices: parts.flatMap((p) => p.devices),
    sessions: parts.flatMap((p) => p.sessions),
    asOf: Object.assign({}, ...parts.map((p) => p.asOf))
  };
}
function asOfText(asOf) {
  return Object.entries(asOf).map(([cluster, at]) => `${cluster} as of ${at ?? "never"}`).join(", ");
}
async function ended(runs, id) {
  let stop;
  await new Promise((resolve) => {
    stop = runs.subscribe(id, (event) => {
      if (runs.isFinal(event.state) && event.item === void 0)
        resolve();
    }, resolve);
    if (stop === void 0)
      resolve();
  });
  stop?.();
}
function createSessionLogout({ inventory, runs, store }) {
  const summaryRow = async (caller, runId, outcome, message, errorCode) => await store.write((w) => w.audit.record({ ...caller, action: "bulk-run", ...runId === void 0 ? {} : { runId } }, { outcome, errorCode, message }), "bulk-run summary");
  async function logoutSelected(caller, filters, selection) {
    const what = describeSelection(filters);
    if (selection.devices.length === 0) {
      const message2 = `Logout of ${what}: nobody to log out (inventory ${asOfText(selection.asOf)}).`;
      return { outcome: "success", message: message2, auditId: await summaryRow(caller, void 0, "success", message2) };
    }
    const id = await runs.start(caller, { action: "logout", sessions: filters, selection });
    await ended(runs, id);
    const summary = runs.summary(id);
    const counts = summary?.counts ?? {};
    const failed = retryCount(counts, "failed") + retryCount(counts, "rest");
    const message = `Logout of ${what}: ${summary?.total ?? selection.devices.length} devices (run ${id}, inventory ${asOfText(selection.asOf)}): ${Object.entries(counts).map(([o, n]) => `${n} ${o}`).join(", ")}.`;
    const auditId = await summaryRow(caller, id, failed > 0 ? "failure" : "success", message, failed > 0 ? "RUN_FAILED" : void 0);
    if (failed > 0)
      throw new RunFailedError(message, id, auditId);
    return { outcome: "success", message, auditId };
  }
  async function select(caller, filters, clusters) {
    try {
      return await selectSessions(inventory, filters, clusters);
    } catch (error) {
      if (!(error instanceof ServiceError))
        throw error;
      const message = `Logout of ${describeSelection(filters)}: nothing was sent. ${error.message}${error.action === void 0 ? "" : ` ${error.action}`}`;
      throw new RunFailedError(message, "", await summaryRow(caller, void 0, "failure", message, error.code));
    }
  }
  return {
    select,
    logoutSelected,
    /** Select, then log out: what a schedule by sessions runs (within its clusters when it names some). */
    logoutSessions: async (caller, filters, clusters) => await logoutSelected(caller, filters, await select(caller, filters, clusters))
  };
}

export {
  describeSelection,
  selectSessions,
  createSessionLogout
};
