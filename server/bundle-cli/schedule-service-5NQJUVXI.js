import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  ALL_CLUSTERS
} from "./chunk-BUZQ7COR.js";
import {
  LOGOUT_ALL_CONFIRMATION
} from "./chunk-IHU36CPT.js";
import {
  cronProblem,
  j,
  nextRuns,
  runsBetween,
  scheduleProblem
} from "./chunk-FNP3RNUN.js";
import "./chunk-4M7U75GA.js";
import {
  isEmapiFailure
} from "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import {
  silentLog
} from "./chunk-DNYFGISX.js";
import "./chunk-GT63VX7W.js";
import "./chunk-Q3PXE6AK.js";
import {
  ActionError,
  BadRequestError,
  LogoutAllRunningError,
  RunFailedError,
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/schedules/schedule-service.js
var CONFIG_SCHEDULE_NAME = "nightly";
var CONFIG_ACTOR = "config (LOGOUT_ALL_SCHEDULE)";
var MISSED_LIMIT = 100;
var ScheduleNameTakenError = class extends ServiceError {
  constructor(name) {
    super("conflict", "SCHEDULE_EXISTS", `A schedule named "${name}" already exists.`, { field: "name", action: "Pick another name, or edit the existing schedule." });
    this.name = "ScheduleNameTakenError";
  }
};
var ScheduleClusterError = class extends ServiceError {
  auditAction;
  cluster;
  constructor(schedule, cluster, message) {
    super("conflict", "CLUSTER_UNAVAILABLE", message, { field: "clusters", action: "Edit the schedule's clusters, or enable the cluster again." });
    this.name = "ScheduleClusterError";
    this.auditAction = schedule.action === "logout-all" ? "logout-all" : "bulk-run";
    this.cluster = cluster;
  }
};
function isUniqueViolation(error) {
  return error.code === "SQLITE_CONSTRAINT_UNIQUE";
}
function describeAction(schedule) {
  const where = schedule.clusters === null ? "" : ` on ${schedule.clusters.join(", ")}`;
  if (schedule.list !== null)
    return `${schedule.action} of the list "${schedule.list}"${where}`;
  if (schedule.hours !== null)
    return `${schedule.action} ${schedule.hours} h${where}`;
  if (schedule.pools !== null)
    return `${schedule.action} ${schedule.pools.join(", ")}${where}`;
  return `${schedule.action}${where}`;
}
function describeChanges(before, changes) {
  const parts = [];
  for (const key of ["name", "cron", "timezone", "action", "list", "hours", "pools", "clusters", "enabled"]) {
    const value = changes[key];
    if (value !== void 0 && JSON.stringify(value) !== JSON.stringify(before[key]))
      parts.push(`${key} ${JSON.stringify(before[key])} \u2192 ${JSON.stringify(value)}`);
  }
  return parts.length === 0 ? "no change" : parts.join(", ");
}
function createScheduleService(options) {
  const { actions, clusters, store } = options;
  const log = options.log ?? silentLog;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const jobs = /* @__PURE__ */ new Map();
  const running = /* @__PURE__ */ new Set();
  let started = false;
  const record = async (entry, result) => await store.write((w) => w.audit.record(entry, result), entry.action);
  function problemOf(cron, timezone, action) {
    return options.allowAnyCron === true ? cronProblem(cron, timezone) : scheduleProblem(cron, timezone, action);
  }
  function checkCron(cron, timezone, action) {
    const problem = problemOf(cron, timezone, action);
    if (problem !== void 0)
      throw new BadRequestError(problem.field, `Invalid field "${problem.field}": ${problem.message}`);
  }
  function view(schedule) {
    const runs = nextRuns(schedule.cron, schedule.timezone, now());
    return { ...schedule, nextRuns: runs, nextRunAt: schedule.enabled ? runs[0] ?? null : null };
  }
  function track(promise) {
    running.add(promise);
    promise.finally(() => running.delete(promise)).catch(() => {
    });
    return promise;
  }
  function disarm(id) {
    jobs.get(id)?.stop();
    jobs.delete(id);
  }
  function arm(schedule) {
    disarm(schedule.id);
    if (!started || !schedule.enabled)
      return;
    const job = new j(schedule.cron, {
      timezone: schedule.timezone,
      protect: true,
      catch: (error) => {
        log.error({ err: error, schedule: schedule.name }, "Schedule: its timer failed");
      }
    }, async () => {
      await track(fire(schedule.id));
    });
    jobs.set(schedule.id, job);
  }
  async function failureOf(error, caller) {
    if (error instanceof ActionError) {
      const e = error.error;
      return isEmapiFailure(e) ? { outcome: "failure", emapiCode: e.emapiCode, errorCode: e.code, message: `${e.message}. ${e.info.action}`, auditId: error.auditId } : { outcome: "error", emapiCode: null, errorCode: e.code, message: e.message, auditId: error.auditId };
    }
    if (error instanceof RunFailedError) {
      return { outcome: "failure", emapiCode: null, errorCode: "RUN_FAILED", message: error.message, auditId: error.auditId };
    }
    if (error instanceof LogoutAllRunningError) {
      const message = `Skipped: a logout of all users (audit #${error.auditId}) was already running. Runs are single-flight.`;
      const auditId = await record({ ...caller, action: "logout-all" }, { outcome: "failure", errorCode: "LOGOUT_ALL_RUNNING", message });
      return { outcome: "skipped", emapiCode: null, errorCode: "LOGOUT_ALL_RUNNING", message, auditId };
    }
    if (error instanceof ScheduleClusterError) {
      const auditId = await record({ ...caller, action: error.auditAction, cluster: error.cluster }, { outcome: "failure", errorCode: error.code, message: error.message });
      return { outcome: "failure", emapiCode: null, errorCode: error.code, message: error.message, auditId };
    }
    return { outcome: "error", emapiCode: null, errorCode: "INTERNAL", message: "Internal error: see the server log.", auditId: null };
  }
  async function notify(schedule, failure, at) {
    if (options.notify === void 0)
      return;
    const notification = {
      source: "em-console",
      schedule: schedule.name,
      action: schedule.action,
      outcome: failure.outcome,
      emapiCode: failure.emapiCode,
      errorCode: failure.errorCode,
      message: failure.message,
      auditId: failure.auditId,
      at
    };
    await options.notify(notification, `schedule:${schedule.name}`);
  }
  function clustersOf(schedule) {
    if (schedule.clusters === null)
      return void 0;
    return schedule.clusters.map((id) => {
      try {
        return clusters.require(id).id;
      } catch (error) {
        if (!(error instanceof ServiceError))
          throw error;
        const why = clusters.definition(id) === void 0 ? "it has been deleted" : error.message;
        throw new ScheduleClusterError(schedule, id, `Schedule "${schedule.name}" names cluster ${id}, which cannot be used: ${why}. Nothing was sent. Edit the schedule's clusters.`);
      }
    });
  }
  async function logoutAll(caller, targets) {
    const result = await actions.logoutAll(caller, targets ?? ALL_CLUSTERS);
    if (result.outcome === "failure")
      throw new RunFailedError(result.message, result.runId ?? "", result.auditId);
    return { outcome: "success", message: result.message, auditId: result.auditId };
  }
  async function perform(schedule, caller) {
    const targets = clustersOf(schedule);
    switch (schedule.action) {
      case "logout-all":
        return await logoutAll(caller, targets);
      case "logout-saved-list":
        if (options.logoutSavedList === void 0)
          throw new Error("bulk runs are not available");
        return await options.logoutSavedList(caller, schedule.list ?? void 0, targets);
      case "logout-older-than":
      case "logout-device-pools": {
        if (options.logoutSessions === void 0)
          throw new Error("the inventory is not available");
        const filters = schedule.action === "logout-older-than" ? { olderThanHours: schedule.hours ?? 0 } : { devicePool: schedule.pools ?? [] };
        return await options.logoutSessions(caller, filters, targets);
      }
    }
  }
  function checkClusters(ids) {
    if (ids == null)
      return ids;
    const known = clusters.list();
    const checked = ids.map((id) => {
      const found = known.find((c) => c.id.toLowerCase() === id.toLowerCase());
      if (found === void 0)
        throw new BadRequestError("clusters", `Invalid field "clusters": there is no enabled cluster "${id.slice(0, 64)}" (clusters: ${known.map((c) => c.id).join(", ")}).`);
      return found.id;
    });
    return [...new Set(checked)];
  }
  function parametersFor(action, body, before) {
    const kept = before?.action === action ? before : void 0;
    const takes = { list: action === "logout-saved-list", hours: action === "logout-older-than", pools: action === "logout-device-pools" };
    for (const field of ["list", "hours", "pools"]) {
      if (!takes[field] && body[field] != null)
        throw new BadRequestError(field, `Invalid field "${field}": a schedule that runs "${action}" takes no ${field}.`);
    }
    const list = body.list === void 0 ? kept?.list ?? null : body.list;
    if (body.list != null && options.hasDeviceList !== void 0 && !options.hasDeviceList(body.list)) {
      throw new BadRequestError("list", `No device list is named "${body.list}": pick one of the lists in Settings.`);
    }
    const hours = body.hours ?? kept?.hours ?? null;
    if (takes.hours && hours === null)
      throw new BadRequestError("hours", 'Invalid field "hours": logout-older-than needs the age in hours of the sessions to log out.');
    const pools = body.pools ?? kept?.pools ?? null;
    if (takes.pools && (pools === null || pools.length === 0))
      throw new BadRequestError("pools", 'Invalid field "pools": logout-device-pools needs at least one device pool.');
    return { list: takes.list ? list : null, hours: takes.hours ? hours : null, pools: takes.pools && pools !== null ? [...new Set(pools)] : null };
  }
  async function run(schedule, caller, scheduled) {
    const at = now().toISOString();
    try {
      const result = await perform(schedule, caller);
      await store.write((w) => {
        w.schedules.recordRun(schedule.id, { at, outcome: "success", message: result.message, auditId: result.auditId });
      }, "schedule ran");
      return result;
    } catch (error) {
      if (!scheduled && error instanceof LogoutAllRunningError)
        throw error;
      const failure = await failureOf(error, caller);
      await store.write((w) => {
        w.schedules.recordRun(schedule.id, { at, outcome: failure.outcome, message: failure.message, auditId: failure.auditId });
      }, "schedule ran");
      if (failure.outcome === "error" && failure.errorCode === "INTERNAL")
        log.error({ err: error, schedule: schedule.name }, "Schedule: its run failed with an internal error");
      if (scheduled) {
        log.warn({ schedule: schedule.name, outcome: failure.outcome, auditId: failure.auditId }, `Schedule "${schedule.name}": ${failure.outcome}: ${failure.message}`);
        await notify(schedule, failure, at);
      }
      throw error;
    }
  }
  async function fire(id) {
    const schedule = store.schedules.get(id);
    if (schedule === void 0 || !schedule.enabled)
      return;
    try {
      const result = await run(schedule, { actor: `schedule:${schedule.name}`, trigger: "schedule" }, true);
      log.info({ schedule: schedule.name, auditId: result.auditId }, `Schedule "${schedule.name}": ${result.message}`);
    } catch {
    }
  }
  async function syncConfigSchedule() {
    const wanted = options.configSchedule;
    const existing = store.schedules.findByName(CONFIG_SCHEDULE_NAME);
    const caller = { actor: CONFIG_ACTOR, trigger: "schedule" };
    if (wanted === void 0) {
      if (existing?.managedByConfig === true && existing.enabled) {
        const message2 = `LOGOUT_ALL_SCHEDULE is no longer set: disabled schedule "${existing.name}" that it had created.`;
        await store.write((w) => {
          w.schedules.update(existing.id, { enabled: false });
          w.audit.record({ ...caller, action: "schedule-update" }, { outcome: "success", message: message2 });
        }, "schedule-update");
        log.warn({ schedule: existing.name }, message2);
      }
      return;
    }
    const target = { cron: wanted.cron, timezone: wanted.timezone, action: "logout-all", list: null, hours: null, pools: null, clusters: null, enabled: true, managedByConfig: true };
    if (existing === void 0) {
      const message2 = `Created schedule "${CONFIG_SCHEDULE_NAME}" from LOGOUT_ALL_SCHEDULE: logout-all at "${wanted.cron}" (${wanted.timezone}).`;
      await store.write((w) => {
        w.schedules.create({ name: CONFIG_SCHEDULE_NAME, ...target, createdBy: CONFIG_ACTOR });
        w.audit.record({ ...caller, action: "schedule-create" }, { outcome: "success", message: message2 });
      }, "schedule-create");
      log.info({ schedule: CONFIG_SCHEDULE_NAME }, message2);
      return;
    }
    const changes = describeChanges(existing, target);
    if (changes === "no change" && existing.managedByConfig)
      return;
    const message = `Updated schedule "${existing.name}" from LOGOUT_ALL_SCHEDULE: ${changes}.`;
    await store.write((w) => {
      w.schedules.update(existing.id, target);
      w.audit.record({ ...caller, action: "schedule-update" }, { outcome: "success", message });
    }, "schedule-update");
    log.info({ schedule: existing.name }, message);
  }
  async function disableUnsafe() {
    for (const schedule of store.schedules.list()) {
      const problem = schedule.enabled ? problemOf(schedule.cron, schedule.timezone, schedule.action) : void 0;
      if (problem === void 0)
        continue;
      const message = `Disabled schedule "${schedule.name}": ${problem.message} Change its ${problem.field} to enable it again.`;
      await store.write((w) => {
        w.schedules.update(schedule.id, { enabled: false });
        w.audit.record({ actor: "server", trigger: "schedule", action: "schedule-update" }, { outcome: "failure", errorCode: "SCHEDULE_INVALID", message });
      }, "schedule disabled");
      log.warn({ schedule: schedule.name }, message);
    }
  }
  async function recordMissedRuns() {
    const at = now();
    for (const schedule of store.schedules.list()) {
      if (!schedule.enabled)
        continue;
      const since = [schedule.createdAt, schedule.updatedAt, schedule.lastRunAt ?? ""].reduce((a, b) => a > b ? a : b);
      const missed = runsBetween(schedule.cron, schedule.timezone, new Date(since), at, MISSED_LIMIT);
      const last = missed.at(-1);
      if (last === void 0)
        continue;
      const next = nextRuns(schedule.cron, schedule.timezone, at, 1)[0] ?? "never";
      const when = missed.length === 1 ? `The run due at ${last.toISOString()} was missed` : `${missed.length}${missed.length === MISSED_LIMIT ? " or more" : ""} runs due from ${missed[0]?.toISOString() ?? ""} to ${last.toISOString()} were missed`;
      const message = `${when}: the server was not running then. Missed runs are not caught up; the next run is at ${next}.`;
      const caller = { actor: `schedule:${schedule.name}`, trigger: "schedule" };
      const auditId = await store.write((w) => {
        const id = w.audit.record({ ...caller, action: "schedule-missed" }, { outcome: "failure", errorCode: "SCHEDULE_MISSED", message });
        w.schedules.recordRun(schedule.id, { at: last.toISOString(), outcome: "missed", message, auditId: id });
        return id;
      }, "schedule-missed");
      log.warn({ schedule: schedule.name, auditId }, `Schedule "${schedule.name}": ${message}`);
      track(notify(schedule, { outcome: "missed", emapiCode: null, errorCode: "SCHEDULE_MISSED", message, auditId }, at.toISOString())).catch((error) => {
        log.error({ err: error, schedule: schedule.name }, "Schedule: the webhook notice failed");
      });
    }
  }
  return {
    list: () => store.schedules.list().map(view),
    get(id) {
      const schedule = store.schedules.get(id);
      return schedule === void 0 ? void 0 : view(schedule);
    },
    preview(cron, timezone = options.defaultTimezone()) {
      checkCron(cron, timezone, "logout-all");
      return { cron, timezone, nextRuns: nextRuns(cron, timezone, now()) };
    },
    async create(caller, body) {
      const timezone = body.timezone ?? options.defaultTimezone();
      checkCron(body.cron, timezone, body.action ?? "logout-all");
      const action = body.action ?? "logout-all";
      const parameters = parametersFor(action, body, void 0);
      const scope = checkClusters(body.clusters) ?? null;
      const schedule = await store.write((w) => {
        const created = w.schedules.create({ name: body.name, cron: body.cron, timezone, action, ...parameters, clusters: scope, enabled: body.enabled ?? true, createdBy: caller.actor });
        w.audit.record({ ...caller, action: "schedule-create" }, {
          outcome: "success",
          message: `Created schedule "${created.name}": ${describeAction(created)} at "${created.cron}" (${created.timezone})${created.enabled ? "" : ", disabled"}.`
        });
        return created;
      }, "schedule-create").catch((error) => {
        throw isUniqueViolation(error) ? new ScheduleNameTakenError(body.name) : error;
      });
      arm(schedule);
      return view(schedule);
    },
    async update(caller, id, body) {
      const before = store.schedules.get(id);
      if (before === void 0)
        return void 0;
      const action = body.action ?? before.action;
      checkCron(body.cron ?? before.cron, body.timezone ?? before.timezone, action);
      const changes = { ...body, ...parametersFor(action, body, before), ...body.clusters === void 0 ? {} : { clusters: checkClusters(body.clusters) ?? null } };
      const after = await store.write((w) => {
        const updated = w.schedules.update(id, changes);
        if (updated !== void 0)
          w.audit.record({ ...caller, action: "schedule-update" }, { outcome: "success", message: `Updated schedule "${before.name}": ${describeChanges(before, changes)}.` });
        return updated;
      }, "schedule-update").catch((error) => {
        throw isUniqueViolation(error) ? new ScheduleNameTakenError(changes.name ?? before.name) : error;
      });
      if (after === void 0)
        return void 0;
      arm(after);
      return view(after);
    },
    async delete(caller, id) {
      const schedule = store.schedules.get(id);
      if (schedule === void 0)
        return false;
      const deleted = await store.write((w) => {
        if (!w.schedules.delete(id))
          return false;
        w.audit.record({ ...caller, action: "schedule-delete" }, { outcome: "success", message: `Deleted schedule "${schedule.name}" (${describeAction(schedule)} at "${schedule.cron}", ${schedule.timezone}).` });
        return true;
      }, "schedule-delete");
      if (deleted)
        disarm(id);
      return deleted;
    },
    /**
     * Runs a schedule's action now, as the caller (who is audited), whether it is enabled or not.
     * A cluster-wide logout needs the typed words, as every other path to one does.
     */
    async runNow(caller, id, confirm) {
      const schedule = store.schedules.get(id);
      if (schedule === void 0)
        return void 0;
      if (schedule.action === "logout-all" && confirm !== LOGOUT_ALL_CONFIRMATION) {
        const where = schedule.clusters === null ? "on every cluster" : `on ${schedule.clusters.length === 1 ? "cluster" : "clusters"} ${schedule.clusters.join(", ")}`;
        throw new BadRequestError("confirm", `"${schedule.name}" logs out every Extension Mobility user ${where}: to run it now, send the body field "confirm" with exactly "${LOGOUT_ALL_CONFIRMATION}".`);
      }
      const result = await track(run(schedule, caller, false));
      return { schedule: view(store.schedules.get(id) ?? schedule), result };
    },
    /** Server only: applies LOGOUT_ALL_SCHEDULE, records runs missed while down, arms the timers. */
    async start() {
      if (started)
        return;
      started = true;
      await syncConfigSchedule();
      await disableUnsafe();
      await recordMissedRuns();
      for (const schedule of store.schedules.list())
        arm(schedule);
    },
    /** Stops the timers and waits for runs and notifications in flight (each has its own timeout). */
    async stop() {
      started = false;
      for (const id of [...jobs.keys()])
        disarm(id);
      await Promise.allSettled([...running]);
    },
    /** The timers armed now, by schedule id (for tests and the health view). */
    armed: () => [...jobs.keys()]
  };
}
export {
  CONFIG_SCHEDULE_NAME,
  ScheduleClusterError,
  ScheduleNameTakenError,
  createScheduleService
};
