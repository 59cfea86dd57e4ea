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
import "./chunk-4M7U75GA.js";
import {
  EmapiError,
  isEmapiFailure
} from "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-GT63VX7W.js";
import {
  ActionError,
  ClusterFailure,
  LogoutAllRunningError,
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/cli/report.js
function fromEmapi(error, auditId) {
  const exchange = { auditId, httpStatus: error.httpStatus ?? null, responseBody: error.responseBody ?? null };
  if (isEmapiFailure(error)) {
    return { ...exchange, exitCode: EXIT.failed, outcome: "failure", message: error.message, emapiCode: error.emapiCode, errorCode: error.code, action: error.info.action };
  }
  return { ...exchange, exitCode: EXIT.transport, outcome: "error", message: error.message, emapiCode: null, errorCode: error.code, action: null };
}
function reportOf(error) {
  if (error instanceof ClusterFailure) {
    const report = reportOf(error.cause);
    return { ...report, message: `Cluster ${error.cluster}: ${report.message}` };
  }
  if (error instanceof ActionError)
    return fromEmapi(error.error, error.auditId);
  if (error instanceof EmapiError)
    return fromEmapi(error, null);
  if (error instanceof LogoutAllRunningError) {
    return { exitCode: EXIT.failed, outcome: "failure", message: error.message, emapiCode: null, errorCode: "LOGOUT_ALL_RUNNING", action: null, auditId: error.auditId, httpStatus: null, responseBody: null };
  }
  if (error instanceof ServiceError && ["bad-request", "not-found", "conflict"].includes(error.kind)) {
    return { exitCode: error.kind === "bad-request" ? EXIT.config : EXIT.failed, outcome: "failure", message: error.message, emapiCode: null, errorCode: error.code, action: error.action ?? null, auditId: error.auditId ?? null, httpStatus: null, responseBody: null };
  }
  throw error;
}
function failureLine(report) {
  const action = report.action === null ? "" : ` ${report.action}`;
  const audit = report.auditId === null ? "" : ` (audit #${report.auditId})`;
  const sentence = /[.!?]$/.test(report.message) ? report.message : `${report.message}.`;
  return `Failed: ${sentence}${action}${audit}`;
}

// dist/cli/commands.js
var printJson = (io, value) => io.out(JSON.stringify(value, null, 2));
async function logoutAll({ runtime, caller, json, io, cluster }) {
  let result;
  try {
    result = await runtime.actions.logoutAll(caller, cluster);
  } catch (error) {
    const report = reportOf(error);
    if (json) {
      const { exitCode, ...fields } = report;
      printJson(io, { command: "logout-all", ok: false, exitCode, mode: runtime.mode, ...fields });
    } else {
      if (report.httpStatus !== null)
        io.out(`HTTP ${report.httpStatus}`);
      if (report.responseBody !== null)
        io.out(report.responseBody.trim());
      io.out(failureLine(report));
    }
    return report.exitCode;
  }
  if (result.clusters.length > 1)
    return logoutAllOfSeveral({ runtime, json, io }, result);
  const record = runtime.store.audit.get(result.auditId);
  const httpStatus = record?.httpStatus ?? null;
  const responseBody = record?.responseBody ?? null;
  if (json) {
    printJson(io, {
      command: "logout-all",
      ok: true,
      exitCode: EXIT.ok,
      mode: runtime.mode,
      outcome: result.outcome,
      message: result.message,
      emapiCode: null,
      errorCode: null,
      action: null,
      auditId: result.auditId,
      cluster: result.clusters[0]?.cluster ?? null,
      httpStatus,
      responseBody
    });
  } else {
    if (httpStatus !== null)
      io.out(`HTTP ${httpStatus}`);
    if (responseBody !== null)
      io.out(responseBody.trim());
    io.out(`Success: ${result.message} (audit #${result.auditId})`);
  }
  return EXIT.ok;
}
function logoutAllOfSeveral({ runtime, json, io }, result) {
  const exitOf = (part) => part.outcome === "success" || part.outcome === "already-logged-out" ? EXIT.ok : part.outcome === "failure" ? EXIT.failed : EXIT.transport;
  const exitCode = result.clusters.map(exitOf).reduce((worst, code) => code === EXIT.transport || worst === EXIT.transport ? EXIT.transport : Math.max(worst, code), EXIT.ok);
  if (json) {
    printJson(io, { command: "logout-all", ok: exitCode === EXIT.ok, exitCode, mode: runtime.mode, outcome: result.outcome, message: result.message, runId: result.runId, clusters: result.clusters });
    return exitCode;
  }
  for (const part of result.clusters) {
    const audit = part.auditId === null ? "" : ` (audit #${part.auditId})`;
    io.out(`${part.cluster}: ${exitOf(part) === EXIT.ok ? "Success" : "Failed"}: ${part.message}${audit}`);
  }
  io.out(result.message);
  return exitCode;
}
async function status({ runtime, caller, json, io, cluster }, devices) {
  try {
    const found = await runtime.actions.deviceReports(caller, devices, cluster);
    if (json) {
      printJson(io, { command: "status", ok: true, exitCode: EXIT.ok, devices: found });
      return EXIT.ok;
    }
    const several = runtime.clusters.list().length > 1;
    const rows = found.map((d) => [
      ...several ? [d.cluster ?? "-"] : [],
      ...d.exists ? [d.deviceName, d.currentUser ?? (d.emEnabled === false ? "(nobody: Extension Mobility is disabled on this phone)" : "(nobody)"), d.lastUser ?? "-"] : [d.deviceName, "(device does not exist)", ""]
    ]);
    for (const line of table([[...several ? ["CLUSTER"] : [], "DEVICE", "CURRENT USER", "LAST USER"], ...rows]))
      io.out(line);
    return EXIT.ok;
  } catch (error) {
    return fail(io, json, "status", error);
  }
}
async function logout({ runtime, caller, json, io, cluster }, devices) {
  const results = await Promise.all(devices.map(async (deviceName) => {
    try {
      return { deviceName, exitCode: EXIT.ok, ...await runtime.actions.logoutDevice(caller, deviceName, cluster) };
    } catch (error) {
      const report = reportOf(error);
      return {
        deviceName,
        exitCode: report.exitCode,
        outcome: report.outcome,
        message: failureLine(report).replace(/ \(audit #\d+\)$/, ""),
        auditId: report.auditId ?? 0,
        errorCode: report.errorCode,
        ...report.emapiCode === null ? {} : { emapiCode: report.emapiCode }
      };
    }
  }));
  const exitCode = results.reduce((worst, r) => r.exitCode === EXIT.transport || worst === EXIT.transport ? EXIT.transport : Math.max(worst, r.exitCode), EXIT.ok);
  if (json) {
    printJson(io, { command: "logout", ok: exitCode === EXIT.ok, exitCode, results: results.map(({ exitCode: exitCode2, ...r }) => r) });
  } else {
    for (const r of results)
      io.out(`${r.deviceName}${r.cluster === void 0 || runtime.clusters.list().length < 2 ? "" : ` on ${r.cluster}`}: ${r.message}${r.auditId === 0 ? "" : ` (audit #${r.auditId})`}`);
  }
  return exitCode;
}
async function user({ runtime, caller, json, io, cluster }, userId) {
  try {
    const devices = await runtime.actions.userDevices(caller, userId, cluster);
    const profiles = await runtime.actions.userProfiles(caller, userId, cluster);
    const several = runtime.clusters.list().length > 1;
    const exists = devices.exists || profiles.exists;
    if (json) {
      printJson(io, { command: "user", ok: true, exitCode: EXIT.ok, userId, exists, devices: devices.devices, located: devices.located, profiles: profiles.profiles });
      return EXIT.ok;
    }
    if (!exists) {
      io.out(`User ${userId} does not exist on CUCM.`);
      return EXIT.ok;
    }
    io.out(`User ${userId}`);
    const on = (name, cluster2) => several ? `${name} on ${cluster2}` : name;
    io.out(`  logged in on:    ${devices.located.length === 0 ? "(no device)" : devices.located.map((d) => on(d.deviceName, d.cluster)).join(", ")}`);
    io.out(`  device profiles: ${profiles.profiles.length === 0 ? "(none)" : profiles.profiles.map((p) => on(p.isDefault ? `${p.name} (default)` : p.name, p.cluster)).join(", ")}`);
    return EXIT.ok;
  } catch (error) {
    return fail(io, json, "user", error);
  }
}
function fail(io, json, command, error) {
  const report = reportOf(error);
  if (json) {
    const { exitCode, ...fields } = report;
    printJson(io, { command, ok: false, exitCode, ...fields });
  } else {
    io.out(failureLine(report));
  }
  return report.exitCode;
}
export {
  logout,
  logoutAll,
  status,
  user
};
