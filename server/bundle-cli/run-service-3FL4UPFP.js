import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  QUERY_CHUNK,
  uniqueNames
} from "./chunk-E2BNZ2C2.js";
import {
  MAX_RUN_ITEMS,
  RUN_ITEMS_PAGE
} from "./chunk-IHU36CPT.js";
import {
  chunk
} from "./chunk-UXYQJOVF.js";
import "./chunk-4M7U75GA.js";
import {
  isEmapiFailure
} from "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import {
  silentLog
} from "./chunk-DNYFGISX.js";
import "./chunk-GT63VX7W.js";
import {
  selectSessions
} from "./chunk-ETN75B2R.js";
import "./chunk-LQ36JWYZ.js";
import {
  RETRY_FAILED_OUTCOMES,
  RUN_THE_REST_OUTCOMES
} from "./chunk-Q3PXE6AK.js";
import {
  ActionError,
  BadRequestError,
  NotSentError,
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/runs/run-service.js
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";

// dist/runs/plan.js
function countBy(outcomes) {
  const counts = {};
  for (const o of outcomes)
    counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}
function wantedOf(input) {
  return "devices" in input ? uniqueNames(input.devices).map((device) => ({ device, user: null })) : input.items.map((item) => ({ device: item.device, user: item.user, profile: item.profile, durationMinutes: item.durationMinutes }));
}
function wantedOfSelection(selection) {
  return selection.sessions.map((s) => ({ device: s.deviceName, user: s.userId, cluster: s.cluster }));
}
function repeats(wanted) {
  const seen = /* @__PURE__ */ new Set();
  return wanted.map(({ device, cluster }) => {
    const key = `${cluster?.toLowerCase() ?? ""}/${device.toLowerCase()}`;
    if (seen.has(key))
      return true;
    seen.add(key);
    return false;
  });
}
var DUPLICATE_REASON = "Listed twice: only the first row is run";
function ambiguousReason(clusters) {
  return `On several clusters (${clusters.join(", ")}): not sent. Name the cluster: run it again for one cluster.`;
}
function newItems(wanted) {
  const repeated = repeats(wanted);
  return wanted.map((w, i) => ({
    device: w.device,
    userId: w.user,
    profile: w.profile,
    durationMinutes: w.durationMinutes,
    cluster: w.cluster ?? null,
    ...repeated[i] === true ? { outcome: "duplicate", message: DUPLICATE_REASON } : { outcome: "pending" }
  }));
}
function classify(action, wanted, found, exempt) {
  const repeated = repeats(wanted);
  return wanted.map((w, i) => {
    const { device, user } = w;
    const on = found(w);
    const only = on.length === 1 ? on[0] : void 0;
    const currentUser = only?.currentUser ?? null;
    const base = { device, cluster: only?.cluster ?? w.cluster ?? null, currentUser, user };
    if (repeated[i] === true)
      return { ...base, category: "duplicate", reason: DUPLICATE_REASON };
    if (on.length > 1)
      return { ...base, cluster: null, category: "ambiguous", reason: ambiguousReason(on.map((s) => s.cluster ?? "")) };
    if (only === void 0)
      return { ...base, category: "not-found", reason: w.cluster === void 0 ? "CUCM does not know this device" : `Cluster ${w.cluster} does not know this device` };
    if (action === "login")
      return currentUser === null ? { ...base, category: "will-login" } : { ...base, category: "occupied", reason: `${currentUser} is logged in here; the login will fail (code 18) unless they log out first` };
    if (exempt(device, currentUser))
      return { ...base, category: "excluded", reason: "On the exemption list" };
    if (currentUser === null)
      return { ...base, category: "empty", reason: "Nobody is logged in: nothing to send" };
    if (user !== null && currentUser.toLowerCase() !== user.toLowerCase())
      return { ...base, category: "empty", reason: `${user} is no longer logged in here (${currentUser} is): not sent` };
    return { ...base, category: "will-logout" };
  });
}
var NOT_SENT = { "not-found": "not-found", excluded: "excluded", empty: "empty", duplicate: "duplicate", ambiguous: "ambiguous" };
function planOf(action, p) {
  const outcome = NOT_SENT[p.category] ?? "pending";
  return { userId: action === "login" ? p.user : p.currentUser, cluster: p.cluster, outcome, message: outcome === "pending" ? null : p.reason ?? null };
}

// dist/runs/run-service.js
var WAITING_CAP = 4 * QUERY_CHUNK;
var Lane = class {
  waiting = [];
  #closed = false;
  #waiters = [];
  push(items) {
    this.waiting.push(...items);
    this.#flush();
  }
  close() {
    this.#closed = true;
    this.#flush();
  }
  /** The next item, or undefined once the lane is closed and empty. */
  async take() {
    for (; ; ) {
      const item = this.waiting.shift();
      if (item !== void 0 || this.#closed)
        return item;
      await new Promise((resolve) => this.#waiters.push(resolve));
    }
  }
  #flush() {
    for (const waiter of this.#waiters.splice(0))
      waiter();
  }
};
var FINAL_STATES = /* @__PURE__ */ new Set(["done", "cancelled", "interrupted"]);
var SCOPE_OUTCOMES = { failed: RETRY_FAILED_OUTCOMES, rest: RUN_THE_REST_OUTCOMES };
var sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms));
function settle(run, outcome, n = 1) {
  if (n === 0)
    return;
  run.counts.pending = (run.counts.pending ?? n) - n;
  if (run.counts.pending <= 0)
    delete run.counts.pending;
  run.counts[outcome] = (run.counts[outcome] ?? 0) + n;
}
function itemResult(error) {
  if (!(error instanceof ActionError))
    throw error;
  const emapiCode = isEmapiFailure(error.error) ? error.error.emapiCode : void 0;
  const message = isEmapiFailure(error.error) ? [error.error.info.message, error.detail].filter((m) => m !== void 0).join(" ") : error.message;
  return { outcome: error.outcome, message, auditId: error.auditId, ...emapiCode === void 0 ? {} : { emapiCode } };
}
function createRunService(options) {
  const { actions, clusters, settings, store } = options;
  const log = options.log ?? silentLog;
  const active = /* @__PURE__ */ new Map();
  const defaultVerifyAfterMs = options.defaultVerifyAfterMs ?? 12e4;
  const lookUpRetries = options.lookUpRetries ?? 2;
  const lookUpBackoffMs = options.lookUpBackoffMs ?? 500;
  const verifications = /* @__PURE__ */ new Map();
  let stopped = false;
  function emit(run, item) {
    const event = { state: run.state, total: run.total, counts: { ...run.counts }, ...item === void 0 ? {} : { item } };
    run.events.emit("progress", event);
  }
  async function setState(id, run, state) {
    run.state = state;
    await store.write((w) => {
      w.runs.setState(id, state);
    }, `run ${state}`);
    emit(run);
  }
  function scopeOf(input) {
    if (input.clusters === void 0)
      return void 0;
    return input.clusters.map((id) => {
      if (clusters.definition(id) === void 0) {
        throw new BadRequestError("cluster", `Invalid field "cluster": there is no cluster "${id.slice(0, 64)}" (clusters: ${clusters.definitions().map((d) => d.settings.id).join(", ")}).`);
      }
      return clusters.require(id).id;
    });
  }
  async function selectionOf(input) {
    if (input.selection !== void 0)
      return input.selection;
    if (options.inventory === void 0)
      throw new ServiceError("conflict", "INVENTORY_NOT_CONFIGURED", "A selection by sessions needs the inventory, which this process does not run.");
    const selection = await selectSessions(options.inventory, input.sessions, input.clusters);
    if (selection.sessions.length > MAX_RUN_ITEMS) {
      throw new BadRequestError("sessions", `Invalid field "sessions": the filters select ${selection.sessions.length} sessions, more than one run takes (${MAX_RUN_ITEMS}). Narrow them (a device pool, a longer time) and log out in parts.`);
    }
    return selection;
  }
  async function resolve(caller, input, runId) {
    if ("located" in input)
      return { wanted: [...input.located], settled: [] };
    if ("sessions" in input) {
      const selection = await selectionOf(input);
      return { wanted: wantedOfSelection(selection), settled: [], asOf: selection.asOf };
    }
    if (!("users" in input))
      return { wanted: wantedOf(input), settled: [] };
    const scope = scopeOf(input);
    const targets = scope === void 0 ? clusters.list() : scope.map((id) => clusters.require(id));
    const answers = await Promise.all(targets.map(async (c) => await c.em.usersDevices(caller, input.users, { runId })));
    const wanted = [];
    const settled = [];
    uniqueNames(input.users).forEach((asked, i) => {
      const found = answers.map((answer) => answer[i]).filter((user) => user !== void 0);
      const userId = found.find((u) => u.exists)?.userId ?? asked;
      const located = found.flatMap((u) => u.located);
      if (!found.some((u) => u.exists))
        settled.push({ device: "", userId, outcome: "not-found", message: "CUCM does not know this user" });
      else if (located.length === 0)
        settled.push({ device: "", userId, outcome: "empty", message: `${userId} is logged in nowhere: nothing to send` });
      for (const { deviceName, cluster } of located)
        wanted.push({ device: deviceName, user: userId, cluster });
    });
    return { wanted, settled };
  }
  async function locate(caller, wanted, scope, runId) {
    const groups = /* @__PURE__ */ new Map();
    for (const w of wanted) {
      const key = w.cluster?.toLowerCase() ?? "";
      groups.set(key, [...groups.get(key) ?? [], w.device]);
    }
    const answers = await Promise.all([...groups].map(async ([key, names]) => {
      const asked = key !== "" ? [key] : scope ?? [void 0];
      const statuses = (await Promise.all(asked.map(async (cluster) => await actions.deviceStatus(caller, names, { cluster, runId })))).flat();
      const byName = /* @__PURE__ */ new Map();
      for (const status of statuses) {
        if (status.exists !== true || status.cluster === null)
          continue;
        const name = status.deviceName.toLowerCase();
        byName.set(name, [...byName.get(name) ?? [], status]);
      }
      return [key, byName];
    }));
    const index = new Map(answers);
    return (w) => index.get(w.cluster?.toLowerCase() ?? "")?.get(w.device.toLowerCase()) ?? [];
  }
  async function preview(caller, input) {
    const scope = scopeOf(input);
    const { wanted, settled, asOf } = await resolve(caller, input);
    const found = wanted.length === 0 ? () => [] : await locate(caller, wanted, scope);
    const items = [
      ...classify(input.action, wanted, found, settings.exemptionCheck()),
      ...settled.map((s) => ({ device: s.device, cluster: null, currentUser: null, user: s.userId, category: s.outcome === "not-found" ? "not-found" : "empty", reason: s.message }))
    ];
    return { action: input.action, items, counts: countBy(items.map((i) => i.category)), problems: [], ...asOf === void 0 ? {} : { asOf } };
  }
  async function lookUp(id, caller, part, scope) {
    const wanted = part.map(wantedOfItem);
    for (let attempt = 0; ; attempt++) {
      try {
        return { found: await locate(caller, wanted, scope, id) };
      } catch (error) {
        if (!(error instanceof ActionError) && !(error instanceof ServiceError))
          log.error({ err: error, runId: id }, "Run: a look-up failed with an internal error");
        const message = error instanceof ActionError ? error.error.message : error instanceof ServiceError ? error.message : "Internal error";
        if (attempt >= lookUpRetries || stopped)
          return { message };
        log.warn({ runId: id, attempt: attempt + 1, error: message }, "Run: a look-up failed; trying it again");
        await sleep(lookUpBackoffMs * 2 ** attempt * (0.5 + Math.random()));
      }
    }
  }
  function wantedOfItem(item) {
    return { device: item.device, user: item.userId, ...item.cluster === null ? {} : { cluster: item.cluster } };
  }
  async function runItem(caller, id, action, item, run) {
    const skip = () => run.cancelling;
    try {
      const { em } = clusters.require(item.cluster ?? "");
      if (action === "logout") {
        const result2 = await em.logoutDevice(caller, item.device, { runId: id, userId: item.userId, skip });
        return { outcome: result2.outcome, message: result2.message, auditId: result2.auditId, ...result2.outcome === "already-logged-out" ? { emapiCode: 19 } : {} };
      }
      const result = await em.loginDevice(caller, item.device, {
        userId: item.userId ?? "",
        ...item.profile === null ? {} : { deviceProfile: item.profile },
        ...item.durationMinutes === null ? {} : { durationMinutes: item.durationMinutes },
        runId: id,
        skip
      });
      return { outcome: "success", message: result.message, auditId: result.auditId };
    } catch (error) {
      if (error instanceof NotSentError)
        return void 0;
      if (error instanceof ServiceError && !(error instanceof ActionError))
        return { outcome: "not-run", message: `Not run: ${error.message}` };
      return itemResult(error);
    }
  }
  async function execute(id, caller, input, run) {
    const scope = scopeOf(input);
    const { wanted, settled } = await resolve(caller, input, id);
    const items = await store.write((w) => {
      w.runs.addItems(id, [...newItems(wanted), ...settled]);
      return w.runs.items(id);
    }, "run items");
    run.total = items.length;
    run.counts = countBy(items.map((i) => i.outcome));
    if (run.counts.pending === void 0 && run.state === "previewing")
      await setState(id, run, "running");
    const lanes = /* @__PURE__ */ new Map();
    let wakeIntake;
    run.wake = () => {
      wakeIntake?.();
    };
    const worker = async (lane) => {
      while (!run.cancelling) {
        const item = await lane.take();
        if (item === void 0 || run.cancelling)
          return;
        run.wake();
        const result = await runItem(caller, id, input.action, item, run);
        if (result === void 0)
          return;
        await store.write((w) => {
          w.runs.finishItem(id, item.seq, result);
        }, "run item finished");
        settle(run, result.outcome);
        emit(run, { ...item, ...result, emapiCode: result.emapiCode ?? null, auditId: result.auditId ?? null, finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
      }
    };
    const laneOf = (cluster) => {
      const key = cluster.toLowerCase();
      const existing = lanes.get(key);
      if (existing !== void 0)
        return existing.lane;
      const lane = new Lane();
      const slots = clusters.get(cluster)?.settings.maxConcurrency ?? options.concurrency ?? 1;
      lanes.set(key, { lane, workers: Array.from({ length: Math.max(1, slots * 2) }, async () => {
        await worker(lane);
      }) });
      return lane;
    };
    const hungry = () => {
      const waiting = [...lanes.values()].map((l) => l.lane.waiting.length);
      return waiting.length === 0 || waiting.some((n) => n === 0) && waiting.reduce((a, b) => a + b, 0) < WAITING_CAP;
    };
    const intake = async () => {
      const exempt = settings.exemptionCheck();
      const parts = chunk(items.filter((i) => i.outcome === "pending"), QUERY_CHUNK);
      let ahead;
      for (const [k, part] of parts.entries()) {
        if (run.cancelling)
          return void 0;
        const found = await (ahead ?? lookUp(id, caller, part, scope));
        if ("message" in found)
          return found.message;
        const next = parts[k + 1];
        ahead = next === void 0 || run.cancelling ? void 0 : lookUp(id, caller, next, scope);
        const planned = classify(input.action, part.map(wantedOfItem), found.found, exempt).map((p, i) => ({ ...part[i], ...planOf(input.action, p) }));
        await store.write((w) => {
          w.runs.previewItems(id, planned);
        }, "run items looked up");
        for (const item of planned.filter((i) => i.outcome !== "pending")) {
          settle(run, item.outcome);
          emit(run, item);
        }
        if (run.state === "previewing")
          await setState(id, run, "running");
        for (const item of planned.filter((i) => i.outcome === "pending"))
          laneOf(item.cluster ?? "").push([item]);
        while (!hungry() && !run.cancelling)
          await new Promise((resolve2) => {
            wakeIntake = resolve2;
          });
        wakeIntake = void 0;
      }
      return void 0;
    };
    let failed;
    try {
      failed = await intake();
    } finally {
      for (const { lane } of lanes.values())
        lane.close();
    }
    await Promise.all([...lanes.values()].flatMap((l) => l.workers));
    if (failed !== void 0 && !run.cancelling) {
      const left = await store.write((w) => w.runs.endPending(id, "not-run", `Not run: the look-up before it failed: ${failed}`), "run items not run");
      settle(run, "not-run", left);
      emit(run);
    }
    await end(id, run);
  }
  async function end(id, run) {
    if (run.cancelling) {
      const [outcome, message] = run.stopping ? ["not-run", "Not run: the server stopped during the run."] : ["cancelled", "Not run: the run was cancelled."];
      const left = await store.write((w) => w.runs.endPending(id, outcome, message), "run items not run");
      settle(run, outcome, left);
    }
    await setState(id, run, run.stopping ? "interrupted" : run.cancelling ? "cancelled" : "done");
  }
  async function verify(id, caller, action) {
    const sent = store.runs.items(id).filter((i) => ["success", "already-logged-out", "failure", "error", "unknown", "interrupted"].includes(i.outcome));
    try {
      const found = await locate(caller, sent.map(wantedOfItem), void 0, id);
      await store.write((w) => {
        w.runs.recordVerification(id, sent.map((item) => {
          const on = found(wantedOfItem(item));
          const current = on.length === 1 ? on[0]?.currentUser ?? null : null;
          const verified = action === "logout" ? current === null : current?.toLowerCase() === item.userId?.toLowerCase();
          return { seq: item.seq, verified };
        }));
      }, "run re-checked");
    } catch (error) {
      const reason = error instanceof ActionError ? error.error.message : error instanceof ServiceError ? error.message : "Internal error: see the server log.";
      log.error({ err: error, runId: id }, "Run: the re-check failed");
      await store.write((w) => {
        w.runs.failVerification(id, `The re-check failed: ${reason}`);
      }, "run re-check failed");
    }
    const run = active.get(id);
    if (run !== void 0)
      emit(run);
  }
  function scheduleVerification(id, caller, action, afterMs) {
    verifications.set(id, setTimeout(() => {
      verifications.delete(id);
      verify(id, caller, action).catch((error) => {
        log.error({ err: error, runId: id }, "Run: the re-check could not be recorded");
      });
    }, afterMs));
  }
  async function start(caller, asked, runOptions = {}) {
    if (stopped)
      throw new ServiceError("conflict", "RUN_FINISHED", "The server is stopping: start the run again once it is back.");
    scopeOf(asked);
    const input = "sessions" in asked ? { ...asked, selection: await selectionOf(asked) } : asked;
    const id = randomUUID();
    const verifyAfterMs = runOptions.verifyAfterMs ?? defaultVerifyAfterMs;
    await store.write((w) => {
      w.runs.create({ id, action: input.action, trigger: caller.trigger, actor: caller.actor, parentRunId: runOptions.parentRunId, verifyAfterMs: verifyAfterMs > 0 ? verifyAfterMs : void 0 });
    }, "run created");
    const run = { state: "previewing", total: 0, counts: {}, cancelling: false, stopping: false, events: new EventEmitter(), done: Promise.resolve(), wake: () => {
    } };
    run.events.setMaxListeners(100);
    active.set(id, run);
    run.done = execute(id, caller, input, run).catch(async (error) => {
      log.error({ err: error, runId: id }, "Run: stopped on an internal error");
      run.cancelling = true;
      run.stopping = true;
      await end(id, run).catch((e) => {
        log.error({ err: e, runId: id }, "Run: its last state could not be recorded");
      });
    }).finally(() => {
      if (verifyAfterMs > 0 && run.state === "done" && !stopped)
        scheduleVerification(id, caller, input.action, verifyAfterMs);
      setTimeout(() => active.delete(id), verifyAfterMs + 6e4).unref();
    });
    return id;
  }
  async function recordAction(caller, action, runId, message) {
    await store.write((w) => {
      w.audit.record({ ...caller, action, runId }, { outcome: "success", message });
    }, action);
  }
  return {
    preview,
    /** Starts a run in the background and answers with its id once the run is on disk. */
    start,
    /** A run with the first page of its items. */
    get(id) {
      const summary = store.runs.summary(id);
      return summary === void 0 ? void 0 : { ...summary, ...store.runs.itemsPage(id, { limit: RUN_ITEMS_PAGE }) };
    },
    /** A page of a run's items, optionally only one outcome or the items of a retry scope. */
    items(id, query) {
      const outcomes = query.outcome === void 0 ? void 0 : SCOPE_OUTCOMES[query.outcome] ?? [query.outcome];
      return store.runs.itemsPage(id, { outcomes, after: query.after, limit: query.limit ?? RUN_ITEMS_PAGE });
    },
    /** Every item, for the results CSV (a run has at most MAX_RUN_ITEMS). */
    allItems: (id) => store.runs.items(id),
    summary: (id) => store.runs.summary(id),
    recent: (limit) => store.runs.recent(limit),
    /** Stops taking new items; the ones in flight finish. Returns false when the run is not running. */
    async cancel(caller, id) {
      const run = active.get(id);
      if (run === void 0 || FINAL_STATES.has(run.state) || run.cancelling)
        return false;
      run.cancelling = true;
      run.wake();
      await recordAction(caller, "run-cancel", id, `Cancelled run ${id}: items not yet sent will not be.`);
      await setState(id, run, "cancelling");
      return true;
    },
    /**
     * A new run, linked to the first, of the items that failed (`failed`: sent and did not surely
     * work) or of those the run never reached (`rest`). Items not sent by choice (empty, excluded,
     * not found, duplicate) are never run again.
     */
    async retry(caller, id, scope = "failed", runOptions = {}) {
      const summary = store.runs.summary(id);
      if (summary === void 0)
        return void 0;
      const again = store.runs.items(id).filter((i) => SCOPE_OUTCOMES[scope].includes(i.outcome) && i.device !== "");
      if (again.length === 0)
        return void 0;
      const input = {
        action: summary.action,
        located: again.map((i) => ({
          device: i.device,
          user: summary.action === "login" ? i.userId : null,
          ...i.cluster === null ? {} : { cluster: i.cluster },
          ...i.profile === null ? {} : { profile: i.profile },
          ...i.durationMinutes === null ? {} : { durationMinutes: i.durationMinutes }
        }))
      };
      const newId = await start(caller, input, { ...runOptions, parentRunId: id });
      await recordAction(caller, "run-retry", newId, `${scope === "failed" ? "Retried the failed items" : "Ran the items not reached"} (${again.length}) of run ${id} as run ${newId}.`);
      return newId;
    },
    /**
     * Live progress of a run; `undefined` when it is not running in this process. `onEnd` is
     * called when the server stops, so the stream can close instead of holding the shutdown.
     */
    subscribe(id, listener, onEnd = () => {
    }) {
      const run = active.get(id);
      if (run === void 0)
        return void 0;
      run.events.on("progress", listener);
      run.events.on("end", onEnd);
      emit(run);
      return () => {
        run.events.off("progress", listener);
        run.events.off("end", onEnd);
      };
    },
    /** Ends every live progress stream (the first step of a shutdown). */
    endStreams() {
      for (const run of active.values())
        run.events.emit("end");
    },
    /**
     * Stops every run: no new items, those in flight finish (their EMAPI calls answer, or are
     * aborted after a grace period and recorded as interrupted), the rest end `not-run` with the
     * reason; pending re-checks are marked as not done. Resolves when every row is final.
     */
    async stop() {
      stopped = true;
      for (const [id, run] of active) {
        if (FINAL_STATES.has(run.state))
          continue;
        run.stopping = true;
        if (!run.cancelling) {
          run.cancelling = true;
          run.state = "cancelling";
          emit(run);
        }
        run.wake();
        log.info({ runId: id }, "Run: stopping with the server");
      }
      const grace = setTimeout(() => {
        for (const cluster of clusters.list())
          cluster.em.abortInFlight().catch((error) => {
            log.error({ err: error, cluster: cluster.id }, "Run: aborting EMAPI requests failed");
          });
      }, options.stopGraceMs ?? 4e3);
      await Promise.all([...active.values()].map(async (run) => await run.done));
      clearTimeout(grace);
      for (const [id, timer] of verifications) {
        clearTimeout(timer);
        await store.write((w) => {
          w.runs.failVerification(id, "Not re-checked: the server stopped before the re-check was due. Look the devices up again.");
        }, "run re-check dropped");
      }
      verifications.clear();
    },
    /**
     * At boot, before anything else runs: runs a stopped or crashed server left unfinished become
     * `interrupted`. Their items whose request was sent (a pending audit row) may have been carried
     * out, and say so with a link to that row; the others were not run. Re-checks left waiting are
     * marked as not done.
     */
    async markInterrupted() {
      return await store.write((w) => {
        const ids = w.runs.unfinished();
        for (const id of ids) {
          w.runs.interruptSent(id, "The server stopped while CUCM was asked: it may have carried this out. Look the device up to be sure.");
          w.runs.endPending(id, "not-run", "Not run: the server stopped during the run.");
          w.runs.setState(id, "interrupted");
        }
        const verifications2 = w.runs.failLostVerifications("Not re-checked: the server restarted before the re-check was done. Look the devices up again.");
        return { runs: ids.length, verifications: verifications2 };
      }, "runs interrupted at start");
    },
    isFinal: (state) => FINAL_STATES.has(state),
    /** Resolves when a run of this process has ended and every row of it is final. */
    async finished(id) {
      await active.get(id)?.done;
    }
  };
}
export {
  createRunService
};
