import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import "./chunk-LQ36JWYZ.js";
import {
  retryCount
} from "./chunk-Q3PXE6AK.js";
import {
  RunFailedError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/runs/list-run.js
async function logoutDeviceList({ runs, settings, store }, caller, name, clusters) {
  const list = settings.deviceList(name);
  const refuse = async (message2) => {
    const auditId2 = await store.write((w) => w.audit.record({ ...caller, action: "bulk-run" }, { outcome: "failure", errorCode: "EMPTY_LIST", message: message2 }), "bulk-run summary");
    throw new RunFailedError(message2, "", auditId2);
  };
  if (list === void 0) {
    return await refuse(name === void 0 ? "There is no device list: add one in Settings." : `No device list is named "${name}" any more: pick one of Settings' lists for this schedule.`);
  }
  if (list.devices.length === 0)
    return await refuse(`The device list "${list.name}" is empty: add devices to it in Settings.`);
  const id = await runs.start(caller, { action: "logout", devices: list.devices, ...clusters === void 0 ? {} : { clusters } });
  await runs.finished(id);
  const summary = store.runs.summary(id);
  const counts = summary?.counts ?? {};
  const failed = retryCount(counts, "failed") + retryCount(counts, "rest");
  const message = `Per-device logout of the list "${list.name}", ${summary?.total ?? 0} devices (run ${id}): ${Object.entries(counts).map(([o, n]) => `${n} ${o}`).join(", ")}.`;
  const auditId = await store.write((w) => w.audit.record({ ...caller, action: "bulk-run", runId: id }, { outcome: failed > 0 ? "failure" : "success", errorCode: failed > 0 ? "RUN_FAILED" : void 0, message }), "bulk-run summary");
  if (failed > 0)
    throw new RunFailedError(message, id, auditId);
  return { outcome: "success", message, auditId };
}
export {
  logoutDeviceList
};
