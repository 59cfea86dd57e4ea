import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  EXIT,
  UsageError,
  shortTime,
  table
} from "./chunk-7INOBL6E.js";
import {
  RunFailedError,
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/cli/sessions.js
import { createInterface } from "node:readline/promises";
var UNITS = { m: 1 / 60, h: 1, d: 24 };
function parseAge(text) {
  const match = /^(\d+(?:\.\d+)?)\s*([mhd]?)$/i.exec(text.trim());
  if (match === null)
    throw new UsageError(`--older-than takes an age such as 12h, 90m or 3d (got "${text.slice(0, 40)}")`);
  const hours = Number(match[1]) * (UNITS[(match[2] ?? "").toLowerCase()] ?? 1);
  if (hours <= 0 || hours > 87600)
    throw new UsageError("--older-than must be more than 0 and at most 10 years");
  return hours;
}
function sessionFilters(values, pools) {
  const filters = {};
  const olderThan = values["older-than"];
  if (typeof olderThan === "string")
    filters.olderThanHours = parseAge(olderThan);
  const cleaned = pools.map((p) => p.trim()).filter((p) => p !== "");
  if (cleaned.some((p) => p.length > 100))
    throw new UsageError("--pool takes a device pool name of at most 100 characters");
  if (cleaned.length > 0)
    filters.devicePool = [...new Set(cleaned)];
  if (typeof values.cluster === "string")
    filters.cluster = values.cluster;
  return filters;
}
function age(loginTime, now) {
  if (loginTime === null)
    return "?";
  const minutes = Math.max(0, Math.floor((now - Date.parse(loginTime)) / 6e4));
  if (minutes < 60)
    return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h${String(minutes % 60).padStart(2, "0")}` : `${Math.floor(hours / 24)}d${hours % 24}h`;
}
async function open(runtime, io) {
  const { openInventory } = await import("./start-LLBXYOZN.js");
  return openInventory({
    clusters: runtime.clusters,
    store: runtime.store,
    refreshSeconds: 0,
    historyDays: runtime.config.SESSION_HISTORY_DAYS,
    log: { info() {
    }, warn() {
    }, error(_context, message) {
      io.err(`Error: ${message}`);
    } }
  });
}
function refusal(io, json, command, error) {
  if (!(error instanceof ServiceError))
    throw error;
  const exitCode = error.code === "INVENTORY_NOT_CONFIGURED" ? EXIT.config : EXIT.transport;
  if (json)
    io.out(JSON.stringify({ command, ok: false, exitCode, errorCode: error.code, message: error.message, action: error.action ?? null }, null, 2));
  else
    io.err(`Failed: ${error.message}${error.action === void 0 ? "" : ` ${error.action}`}`);
  return exitCode;
}
function asOfLine(selection) {
  return Object.entries(selection.asOf).map(([cluster, at]) => `${cluster} as of ${shortTime(at)}`).join(", ");
}
async function withSelection(context, command, filters, use) {
  const inventory = await open(context.runtime, context.io);
  try {
    let selection;
    try {
      selection = await inventory.service.selectSessions(filters);
    } catch (error) {
      return refusal(context.io, context.json, command, error);
    }
    return await use(inventory, selection);
  } finally {
    await inventory.close();
  }
}
async function sessions(context, filters) {
  const { json, io } = context;
  return await withSelection(context, "sessions", filters, async (inventory, selection) => {
    const rows = [];
    for (const batch of inventory.service.exportSessions(filters))
      rows.push(...batch);
    if (json) {
      io.out(JSON.stringify({ command: "sessions", ok: true, exitCode: EXIT.ok, total: rows.length, asOf: selection.asOf, sessions: rows }, null, 2));
      return EXIT.ok;
    }
    const now = Date.now();
    io.out(`${rows.length} session${rows.length === 1 ? "" : "s"} (${asOfLine(selection)})`);
    if (rows.length > 0) {
      const lines = table([["DEVICE", "USER", "SINCE", "FOR", "POOL", "MODEL", "PROFILE"], ...rows.map((s) => [s.deviceName, s.userId, shortTime(s.loginTime), age(s.loginTime, now), s.devicePool ?? "-", s.model ?? "-", s.profile ?? "-"])]);
      for (const line of lines)
        io.out(line);
    }
    return EXIT.ok;
  });
}
async function confirm(stdin, io, count, selection, yes) {
  if (yes)
    return void 0;
  if (stdin.isTTY !== true) {
    io.err(`Refusing to log out ${count} user${count === 1 ? "" : "s"}: stdin is not a terminal, so there is nobody to confirm. Add --yes to run it from a script or the OS scheduler.`);
    return EXIT.config;
  }
  const prompt = createInterface({ input: stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`This logs out ${count} Extension Mobility user${count === 1 ? "" : "s"} (inventory ${asOfLine(selection)}). Type "yes" to continue: `);
    if (answer.trim().toLowerCase() === "yes")
      return void 0;
  } finally {
    prompt.close();
  }
  io.err("Cancelled: nothing was sent.");
  return EXIT.failed;
}
async function logoutSessions(context, filters, stdin, yes) {
  const { runtime, caller, json, io } = context;
  return await withSelection(context, "logout", filters, async (inventory, selection) => {
    const refused = await confirm(stdin, io, selection.devices.length, selection, yes);
    if (refused !== void 0)
      return refused;
    const [{ createRunService }, { createSettingsService }, { createSessionLogout }] = await Promise.all([
      import("./run-service-3FL4UPFP.js"),
      import("./settings-service-R4ZTGALR.js"),
      import("./session-logout-6NAYXHPQ.js")
    ]);
    const runs = createRunService({ store: runtime.store, clusters: runtime.clusters, actions: runtime.actions, settings: createSettingsService(runtime.store), log: runtime.log, concurrency: runtime.config.EMAPI_MAX_CONCURRENCY, defaultVerifyAfterMs: 0 });
    let result;
    try {
      result = await createSessionLogout({ inventory: inventory.service, runs, store: runtime.store }).logoutSelected(caller, filters, selection);
    } catch (error) {
      if (!(error instanceof RunFailedError))
        throw error;
      if (json)
        io.out(JSON.stringify({ command: "logout", ok: false, exitCode: EXIT.failed, errorCode: error.code, message: error.message, runId: error.runId, auditId: error.auditId }, null, 2));
      else
        io.out(`Failed: ${error.message} (audit #${error.auditId})`);
      return EXIT.failed;
    } finally {
      await runs.stop();
    }
    if (json)
      io.out(JSON.stringify({ command: "logout", ok: true, exitCode: EXIT.ok, devices: selection.devices.length, asOf: selection.asOf, ...result }, null, 2));
    else
      io.out(`Success: ${result.message} (audit #${result.auditId})`);
    return EXIT.ok;
  });
}
export {
  logoutSessions,
  parseAge,
  sessionFilters,
  sessions
};
