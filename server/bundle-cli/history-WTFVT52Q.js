import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  openStore
} from "./chunk-CLJ2HEGA.js";
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  TRIGGERS
} from "./chunk-IHU36CPT.js";
import "./chunk-OHDZHCUG.js";
import "./chunk-CXTABL7R.js";
import {
  EXIT,
  UsageError,
  shortTime,
  table
} from "./chunk-7INOBL6E.js";
import "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-Z63I4LD7.js";
import "./chunk-DNYFGISX.js";
import "./chunk-LQ36JWYZ.js";
import "./chunk-Q3PXE6AK.js";
import "./chunk-6HMTDXZ4.js";

// dist/cli/history.js
function oneOf(name, value, allowed) {
  if (value === void 0)
    return void 0;
  if (!allowed.includes(value))
    throw new UsageError(`--${name} must be one of: ${allowed.join(", ")}`);
  return value;
}
function historyArgs(values) {
  const text = (key) => typeof values[key] === "string" ? values[key] : void 0;
  const limitText = text("limit") ?? "20";
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500)
    throw new UsageError("--limit must be a whole number from 1 to 500");
  const filter = {};
  const action = oneOf("action", text("action"), AUDIT_ACTIONS);
  const outcome = oneOf("outcome", text("outcome"), AUDIT_OUTCOMES);
  const trigger = oneOf("trigger", text("trigger"), TRIGGERS);
  if (action !== void 0)
    filter.action = action;
  if (outcome !== void 0)
    filter.outcome = outcome;
  if (trigger !== void 0)
    filter.trigger = trigger;
  for (const key of ["device", "user", "actor", "cluster"]) {
    const value = text(key);
    if (value !== void 0)
      filter[key] = value;
  }
  return { filter, limit };
}
async function history(config, { json, io }, filter, limit) {
  const store = openStore({ path: config.DATABASE_PATH });
  let page;
  try {
    page = store.audit.page(filter, limit);
  } finally {
    await store.close();
  }
  if (json) {
    io.out(JSON.stringify({ command: "history", ok: true, exitCode: EXIT.ok, items: page.items }, null, 2));
    return EXIT.ok;
  }
  if (page.items.length === 0) {
    io.out("No matching audit records.");
    return EXIT.ok;
  }
  const rows = page.items.map((r) => [
    `#${r.id}`,
    shortTime(r.startedAt),
    r.trigger,
    r.actor,
    r.action,
    r.outcome + (r.emapiCode === null ? "" : ` (${r.emapiCode})`),
    [r.devices.slice(0, 3).join(",") + (r.devices.length > 3 ? `,+${r.devices.length - 3}` : ""), r.userId ?? ""].filter((t) => t !== "").join(" ") || "-",
    r.message ?? ""
  ]);
  for (const line of table([["ID", "STARTED", "TRIGGER", "ACTOR", "ACTION", "OUTCOME", "TARGET", "MESSAGE"], ...rows]))
    io.out(line);
  return EXIT.ok;
}
export {
  history,
  historyArgs
};
