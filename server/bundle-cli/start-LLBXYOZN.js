import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  decodeKeyset,
  keyRanges
} from "./chunk-Z63I4LD7.js";
import {
  silentLog
} from "./chunk-DNYFGISX.js";
import {
  clusterKey
} from "./chunk-6ICOKVAG.js";
import {
  AXL_ERROR_ACTIONS,
  isAxlError
} from "./chunk-E75TASB6.js";
import "./chunk-GT63VX7W.js";
import "./chunk-LQ36JWYZ.js";
import "./chunk-Q3PXE6AK.js";
import {
  BadRequestError,
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/inventory/inventory.js
import { setImmediate as nextTurn } from "node:timers/promises";
var AXL_SETUP = {
  message: "The inventory and live sessions need read-only AXL access to the publisher of the cluster. Create an application user in CUCM, put it in an access control group with the two roles below, and set the keys below (then restart EM Console). Without them EM Console works as before, with look-ups by name only.",
  keys: ["CUCM_AXL_USER", "CUCM_AXL_PASSWORD", "CUCM_AXL_HOST (default: CUCM_HOST)", "CUCM_AXL_PORT (default: 8443)", "CUCM_AXL_VERSION (default: 14.0)"],
  roles: ["Standard AXL API Users", "Standard AXL Read Only API Access"]
};
var DEFAULT_BATCH_SIZE = 1e3;
var DEFAULT_RETRY_MIN_MS = 1e4;
var DAY = 864e5;
var PURGE_BATCH = 5e3;
var Stopped = class extends Error {
};
function errorOf(error, at) {
  if (isAxlError(error))
    return { code: error.code, message: error.message, action: error.action, at: at.toISOString() };
  return { code: "INTERNAL", message: "Internal error while refreshing the inventory: see the server log.", action: "Try again; if it keeps failing, report it with the server log.", at: at.toISOString() };
}
function createInventory(options) {
  const { clusterId, axl, store } = options;
  const log = options.log ?? silentLog;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const retryMinMs = options.retryMinMs ?? DEFAULT_RETRY_MIN_MS;
  const intervalMs = options.refreshSeconds * 1e3;
  let running;
  let writing;
  let timer;
  let nextAt;
  let failures = 0;
  let started = false;
  let stopped = false;
  async function write(change, label) {
    if (stopped)
      throw new Stopped();
    const pending = store.write(change, label);
    writing = pending;
    try {
      return await pending;
    } finally {
      if (writing === pending)
        writing = void 0;
    }
  }
  async function apply(phones, sessions, asOf) {
    for (const range of keyRanges(phones, (p) => p.name, batchSize)) {
      await write((w) => w.inventory.applyPhones(clusterId, range), "inventory phones");
      await nextTurn();
    }
    let startedCount = 0;
    let ended = 0;
    for (const range of keyRanges(sessions, (s) => s.deviceName, batchSize)) {
      const changes = await write((w) => w.inventory.applySessions(clusterId, range, asOf), "inventory sessions");
      await nextTurn();
      startedCount += changes.started;
      ended += changes.ended;
    }
    return { started: startedCount, ended };
  }
  async function purgeHistory() {
    const before = now().getTime() - options.historyDays * DAY;
    for (; ; ) {
      const deleted = await write((w) => w.inventory.purgeHistory(before, PURGE_BATCH), "session history purge");
      if (deleted < PURGE_BATCH)
        return;
      await nextTurn();
    }
  }
  async function refreshOnce(source) {
    const begun = performance.now();
    await write((w) => {
      w.inventory.recordAttempt(clusterId, now());
    }, "inventory attempt");
    try {
      const phones = await source.listPhones();
      if (stopped)
        throw new Stopped();
      const asOf = now();
      const sessions = await source.listSessions();
      if (stopped)
        throw new Stopped();
      await nextTurn();
      const changes = await apply(phones.rows, sessions.rows, asOf);
      const refreshMs = performance.now() - begun;
      await write((w) => {
        w.inventory.recordSuccess(clusterId, { asOf, refreshMs, axlVersion: source.version });
      }, "inventory refreshed");
      await purgeHistory();
      if (failures > 0)
        log.info({ cluster: clusterId }, `Inventory of cluster ${clusterId}: AXL answers again.`);
      failures = 0;
      log.info({ cluster: clusterId, phones: phones.rows.length, sessions: sessions.rows.length, ...changes, ms: Math.round(refreshMs) }, `Inventory of cluster ${clusterId} refreshed`);
      return { ok: true, asOf: asOf.toISOString(), refreshMs: Math.round(refreshMs), phones: phones.rows.length, sessions: sessions.rows.length, ...changes };
    } catch (error) {
      if (error instanceof Stopped || stopped)
        throw new Stopped();
      const failure = errorOf(error, now());
      failures++;
      if (failures === 1) {
        if (isAxlError(error))
          log.warn({ cluster: clusterId, code: failure.code }, `Inventory of cluster ${clusterId}: the refresh failed, the last good inventory is kept: ${failure.message} ${failure.action}`);
        else
          log.error({ err: error, cluster: clusterId }, `Inventory of cluster ${clusterId}: the refresh failed with an internal error`);
      }
      await write((w) => {
        w.inventory.recordFailure(clusterId, failure);
      }, "inventory refresh failed");
      return { ok: false, error: failure };
    }
  }
  function arm(delayMs) {
    clearTimeout(timer);
    timer = void 0;
    nextAt = void 0;
    if (!started || stopped || intervalMs === 0)
      return;
    nextAt = new Date(now().getTime() + delayMs);
    timer = setTimeout(() => {
      timer = void 0;
      refresh().catch(() => {
      });
    }, delayMs);
  }
  function delayAfter(outcome) {
    if (outcome.ok)
      return intervalMs;
    return Math.min(intervalMs, retryMinMs * 2 ** Math.min(failures - 1, 16));
  }
  async function refresh() {
    if (axl === void 0)
      return { ok: false, error: { code: "AXL_NOT_CONFIGURED", message: `Cluster ${clusterId} has no AXL settings.`, action: AXL_SETUP.message, at: now().toISOString() } };
    if (stopped)
      throw new Error(`The inventory of cluster ${clusterId} is stopped.`);
    running ??= (async () => {
      clearTimeout(timer);
      try {
        const outcome = await refreshOnce(axl);
        arm(delayAfter(outcome));
        return outcome;
      } finally {
        running = void 0;
      }
    })();
    return await running;
  }
  return {
    clusterId,
    configured: axl !== void 0,
    refresh,
    get refreshing() {
      return running !== void 0;
    },
    /** The state the API reports (GET /api/inventory). */
    status() {
      const stored = store.inventory.state(clusterId);
      const counts = store.inventory.counts(clusterId);
      const base = {
        cluster: clusterId,
        asOf: stored?.asOf ?? null,
        counts,
        lastRefreshMs: stored?.refreshMs ?? null,
        axlVersion: stored?.axlVersion ?? null,
        nextRefreshAt: nextAt?.toISOString() ?? null
      };
      if (axl === void 0)
        return { ...base, state: "not-configured", lastError: null, setup: AXL_SETUP };
      const error = stored?.error;
      const lastError = error == null ? null : { ...error, action: AXL_ERROR_ACTIONS[error.code] ?? "Try again; if it keeps failing, see the server log." };
      const state = running !== void 0 || base.asOf === null && lastError === null && started ? "refreshing" : base.asOf === null ? lastError === null ? "stale" : "error" : lastError === null ? "ok" : "stale";
      return { ...base, state, lastError, setup: null };
    },
    /** Server only: the first refresh now, then one every INVENTORY_REFRESH_SECONDS. */
    start() {
      if (started || axl === void 0)
        return;
      started = true;
      stopped = false;
      arm(0);
    },
    /** Ends the timer and waits for the writes in flight; an AXL read in flight is dropped, never written. */
    async stop() {
      stopped = true;
      started = false;
      clearTimeout(timer);
      timer = void 0;
      nextAt = void 0;
      await writing?.catch(() => {
      });
      running?.catch(() => {
      });
    }
  };
}

// dist/inventory/inventory-service.js
var SUMMARY_CACHE = 32;
function checkCursor(cursor, length) {
  if (cursor !== void 0 && decodeKeyset(cursor, length) === void 0) {
    throw new BadRequestError("cursor", 'Invalid querystring field "cursor": it is not a cursor this server gave; start again from the first page.');
  }
}
function createInventoryService(options) {
  const { store } = options;
  const log = options.log ?? silentLog;
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const current = () => new Map(options.inventories().map((inventory) => [inventory.clusterId, inventory]));
  const summaries = /* @__PURE__ */ new Map();
  function known(cluster) {
    const byId = current();
    if (cluster === void 0)
      return [...byId.values()];
    const inventory = byId.get(cluster) ?? [...byId.values()].find((i) => i.clusterId.toLowerCase() === cluster.toLowerCase());
    if (inventory === void 0)
      throw new BadRequestError("cluster", `Invalid field "cluster": there is no cluster "${cluster.slice(0, 64)}" (known: ${[...byId.keys()].join(", ")}).`);
    return [inventory];
  }
  function asOf(cluster) {
    return Object.fromEntries(known(cluster).map((inventory) => [inventory.clusterId, store.inventory.state(inventory.clusterId)?.asOf ?? null]));
  }
  function checkFilters(filters) {
    known(filters.cluster);
  }
  async function refreshAll(inventories) {
    await Promise.all(inventories.filter((i) => i.configured).map(async (inventory) => await inventory.refresh()));
  }
  return {
    clusters: () => [...current().keys()],
    configured: () => options.inventories().some((i) => i.configured),
    status: () => ({ clusters: options.inventories().map((inventory) => inventory.status()) }),
    /** Refreshes one cluster or all; with `wait` the answer comes once every refresh ended. */
    async refresh(cluster, wait) {
      const inventories = known(cluster);
      const done = refreshAll(inventories);
      if (wait)
        await done;
      else
        done.catch((error) => {
          log.error({ err: error }, "Inventory: an on-demand refresh failed with an internal error");
        });
      return { clusters: inventories.map((inventory) => inventory.status()) };
    },
    sessions(query) {
      const { sort = "loginTime", order = "asc", limit = 100, cursor, ...filters } = query;
      checkFilters(filters);
      checkCursor(cursor, 3);
      return { ...store.inventory.sessionsPage(filters, sort, order, limit, cursor, now().getTime()), asOf: asOf(filters.cluster) };
    },
    /** Every matching session, in batches (the CSV export streams them). */
    exportSessions(query) {
      const { sort = "loginTime", order = "asc", ...filters } = query;
      checkFilters(filters);
      return store.inventory.iterateSessions(filters, sort, order, now().getTime());
    },
    /**
     * Aggregates over every matching session (tens of ms at 20,000): kept per filter until the
     * inventory changes or a minute passes (the ages move on), so screens that poll it cost nothing.
     */
    summary(filters) {
      checkFilters(filters);
      const at = now().getTime();
      const stamp = asOf(filters.cluster);
      const key = JSON.stringify([filters, stamp, Math.floor(at / 6e4)]);
      const cached = summaries.get(key);
      if (cached !== void 0)
        return cached;
      const summary = { ...store.inventory.summary(filters, at), asOf: stamp };
      if (summaries.size >= SUMMARY_CACHE)
        summaries.delete(summaries.keys().next().value);
      summaries.set(key, summary);
      return summary;
    },
    history(query) {
      const { limit = 100, cursor, ...filters } = query;
      known(filters.cluster);
      checkCursor(cursor, 2);
      if (filters.from !== void 0 && filters.to !== void 0 && Date.parse(filters.from) > Date.parse(filters.to)) {
        throw new BadRequestError("from", 'Invalid querystring field "from": it is after "to".');
      }
      return { ...store.inventory.historyPage(filters, limit, cursor), keptDays: options.historyDays };
    },
    phones(query) {
      const { limit = 100, cursor, ...filters } = query;
      known(filters.cluster);
      checkCursor(cursor, 2);
      return { ...store.inventory.phonesPage(filters, limit, cursor), asOf: asOf(filters.cluster) };
    },
    /**
     * The devices of every session matching the filters, read after a fresh refresh of the
     * clusters concerned: what a run or schedule "by sessions" logs out. A refresh that fails
     * refuses the selection rather than act on an old inventory.
     */
    async selectSessions(filters) {
      checkFilters(filters);
      const inventories = known(filters.cluster).filter((i) => i.configured);
      if (inventories.length === 0) {
        throw new ServiceError("conflict", "INVENTORY_NOT_CONFIGURED", "A selection by sessions needs the inventory, and no cluster has AXL settings.", { action: `${AXL_SETUP.message} Keys: ${AXL_SETUP.keys.join(", ")}. Roles: ${AXL_SETUP.roles.join(" + ")}.` });
      }
      const outcomes = await Promise.all(inventories.map(async (inventory) => ({ inventory, outcome: await inventory.refresh() })));
      const failed = outcomes.find((o) => !o.outcome.ok);
      if (failed !== void 0 && !failed.outcome.ok) {
        throw new ServiceError("failed", "INVENTORY_STALE", `The inventory of cluster ${failed.inventory.clusterId} could not be refreshed, so nothing was selected: ${failed.outcome.error.message}`, { action: failed.outcome.error.action });
      }
      const sessions = store.inventory.selectDevices(filters, now().getTime());
      return { devices: sessions.map((s) => s.deviceName), sessions, asOf: asOf(filters.cluster) };
    },
    /** Server only: arms every cluster's refresh timer. */
    start() {
      for (const inventory of options.inventories())
        inventory.start();
    },
    async stop() {
      await Promise.all(options.inventories().map(async (inventory) => {
        await inventory.stop();
      }));
    }
  };
}

// dist/inventory/start.js
function openInventory(options) {
  const { clusters, store, log } = options;
  const byKey = /* @__PURE__ */ new Map();
  let started = false;
  let closed = false;
  function create(cluster) {
    return createInventory({
      clusterId: cluster.id,
      axl: cluster.axl,
      store,
      log,
      refreshSeconds: options.refreshSeconds,
      historyDays: options.historyDays,
      now: options.now,
      batchSize: options.batchSize,
      retryMinMs: options.retryMinMs
    });
  }
  function sync() {
    if (closed)
      return;
    const live = new Map(clusters.list().map((cluster) => [clusterKey(cluster.id), cluster]));
    for (const [key, entry] of byKey) {
      if (live.get(key) === entry.cluster)
        continue;
      byKey.delete(key);
      entry.inventory.stop().catch((error) => {
        log.error({ err: error, cluster: entry.cluster.id }, "Inventory: stopping a replaced inventory failed");
      });
    }
    for (const [key, cluster] of live) {
      if (byKey.has(key))
        continue;
      const inventory = create(cluster);
      byKey.set(key, { inventory, cluster });
      if (started)
        inventory.start();
    }
  }
  sync();
  const unsubscribe = clusters.onChange(sync);
  const service = createInventoryService({
    inventories: () => [...byKey.values()].map((entry) => entry.inventory),
    store,
    historyDays: options.historyDays,
    log,
    now: options.now
  });
  return {
    service: {
      ...service,
      start() {
        started = true;
        service.start();
      }
    },
    close: async () => {
      closed = true;
      unsubscribe();
      await service.stop();
    }
  };
}
export {
  openInventory
};
