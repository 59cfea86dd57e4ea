import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  Limiter,
  chunk,
  mapLimited
} from "./chunk-UXYQJOVF.js";
import {
  EmapiError,
  isEmapiFailure
} from "./chunk-UZD3F5PP.js";
import {
  silentLog
} from "./chunk-DNYFGISX.js";
import {
  ActionError,
  LogoutAllRunningError,
  NotSentError
} from "./chunk-DUMI6XDV.js";

// dist/services/em-service.js
import { randomUUID } from "node:crypto";
var QUERY_CHUNK = 50;
var QUERY_CONCURRENCY = 4;
var HEALTH_PROBE_DEVICE = "EMConsoleHealthProbe";
var INTERRUPTED_MESSAGE = "The server stopped while waiting for CUCM's answer: CUCM may have carried this out. Look the device up to be sure.";
var sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms));
function uniqueNames(names) {
  const seen = /* @__PURE__ */ new Map();
  for (const name of names)
    if (!seen.has(name.toLowerCase()))
      seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}
function describe(error) {
  if (isEmapiFailure(error))
    return { outcome: "failure", emapiCode: error.emapiCode, message: error.message };
  return { outcome: "error", message: error.message };
}
function mayHaveHappened(error) {
  return error.code === "EMAPI_TIMEOUT" && error.requestSent !== false;
}
function createEmService(options) {
  const { client, store } = options;
  const cluster = options.clusterId;
  const log = options.log ?? silentLog;
  const changes = new Limiter(options.maxConcurrency);
  const busyRetries = options.busyRetries ?? 4;
  const busyBackoffMs = options.busyBackoffMs ?? 250;
  let health;
  let probing;
  let aborted = false;
  async function audited(caller, target, send, successMessage, change = {}) {
    let auditId = change.claimedId;
    const attempt = async () => {
      if (auditId === void 0) {
        if (change.skip?.() === true)
          throw new NotSentError();
        auditId = await store.write((w) => w.audit.insertPending({ ...caller, ...target, cluster }), `pending ${target.action}`);
      }
      return await send();
    };
    const finish = async (id, entry) => {
      await store.write((w) => {
        w.audit.finish(id, entry);
      }, `finished ${target.action}`);
    };
    try {
      const result = await withBusyRetries(async () => await changes.run(attempt));
      const id = auditId;
      await finish(id, { outcome: "success", message: successMessage, httpStatus: result.httpStatus, requestXml: result.requestXml, responseBody: result.responseBody });
      return { auditId: id, outcome: "success", message: successMessage, cluster };
    } catch (error) {
      if (auditId === void 0)
        throw error;
      if (!(error instanceof EmapiError)) {
        log.error({ err: error, auditId, action: target.action }, "EMAPI call failed with an internal error");
        await finish(auditId, { outcome: "error", errorCode: "INTERNAL", message: "Internal error" });
        throw error;
      }
      const exchange = { httpStatus: error.httpStatus, requestXml: error.requestXml, responseBody: error.responseBody, errorCode: error.code };
      if (target.action === "logout" && isEmapiFailure(error, 19)) {
        const message = "Nobody was logged in on this device: nothing to do.";
        await finish(auditId, { ...exchange, outcome: "already-logged-out", emapiCode: 19, message });
        return { auditId, outcome: "already-logged-out", message, cluster };
      }
      if (aborted) {
        await finish(auditId, { ...exchange, outcome: "interrupted", message: INTERRUPTED_MESSAGE });
        throw new ActionError(error, auditId, "interrupted", INTERRUPTED_MESSAGE);
      }
      if (mayHaveHappened(error)) {
        const detail2 = `The request was sent, so CUCM may have carried it out: look the device${target.devices?.length === 1 ? "" : "s"} up to be sure.`;
        await finish(auditId, { ...exchange, outcome: "unknown", message: `${error.message} ${detail2}` });
        throw new ActionError(error, auditId, "unknown", detail2);
      }
      const detail = await change.explain?.(error).catch(() => void 0);
      const described = describe(error);
      await finish(auditId, { ...exchange, ...described, message: detail === void 0 ? described.message : `${described.message} ${detail}` });
      throw new ActionError(error, auditId, described.outcome, detail);
    }
  }
  async function lookedUp(caller, target, call, successMessage) {
    const entry = { ...caller, ...target, cluster, startedAt: /* @__PURE__ */ new Date() };
    const recordNow = async (result) => await store.write((w) => w.audit.record(entry, result), `failed ${target.action}`);
    try {
      const result = await call();
      store.later("audit", (w) => {
        w.record(entry, { outcome: "success", message: successMessage, httpStatus: result.httpStatus, requestXml: result.requestXml, responseBody: result.responseBody });
      }, target.action);
      return result.value;
    } catch (error) {
      if (!(error instanceof EmapiError)) {
        log.error({ err: error, action: target.action }, "EMAPI look-up failed with an internal error");
        await recordNow({ outcome: "error", errorCode: "INTERNAL", message: "Internal error" });
        throw error;
      }
      const exchange = { httpStatus: error.httpStatus, requestXml: error.requestXml, responseBody: error.responseBody, errorCode: error.code };
      const described = describe(error);
      throw new ActionError(error, await recordNow({ ...exchange, ...described }), described.outcome);
    }
  }
  async function withBusyRetries(send) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (!isEmapiFailure(error, 26) || attempt >= busyRetries || aborted)
          throw error;
        await sleep(busyBackoffMs * 2 ** attempt * (0.5 + Math.random()));
      }
    }
  }
  async function logoutDevice(caller, deviceName, known = {}) {
    const userId = known.userId ?? void 0;
    return await audited(caller, { action: "logout", devices: [deviceName], runId: known.runId, userId }, async () => await client.logout(deviceName), `Logged out ${userId ?? "the user"} from ${deviceName}.`, { skip: known.skip });
  }
  async function deviceStatus(caller, names, within = {}) {
    const chunks = chunk(uniqueNames(names), QUERY_CHUNK);
    const runId = within.runId ?? (chunks.length > 1 ? randomUUID() : void 0);
    const results = await mapLimited(chunks, new Limiter(QUERY_CONCURRENCY), async (part) => {
      return await lookedUp(caller, { action: "device-query", devices: part, runId }, async () => await client.deviceUserQuery(part), `Looked up ${part.length} device${part.length === 1 ? "" : "s"}.`);
    });
    return results.flat();
  }
  async function userDevices(caller, userId) {
    const [found] = await usersDevices(caller, [userId]);
    return found ?? { userId, exists: false, devices: [], located: [] };
  }
  async function usersDevices(caller, userIds, within = {}) {
    const chunks = chunk(uniqueNames(userIds), QUERY_CHUNK);
    const results = await mapLimited(chunks, new Limiter(QUERY_CONCURRENCY), async (part) => {
      const [only] = part;
      const found = await lookedUp(caller, { action: "user-devices-query", userId: part.length === 1 ? only : void 0, runId: within.runId }, async () => await client.userDevicesQuery(part), part.length === 1 ? `Looked up the devices of ${only ?? ""}.` : `Looked up the devices of ${part.length} users.`);
      const byId = new Map(found.map((f) => [f.userId.toLowerCase(), f]));
      return part.map((userId) => {
        const user = byId.get(userId.toLowerCase()) ?? { userId, exists: false, devices: [] };
        return { ...user, located: user.devices.map((deviceName) => ({ deviceName, cluster })) };
      });
    });
    return results.flat();
  }
  async function explainLogin(caller, deviceName, userId, error) {
    if (isEmapiFailure(error, 18)) {
      const [status] = await deviceStatus(caller, [deviceName]);
      return status?.currentUser == null ? void 0 : `${status.currentUser} is logged in on ${deviceName}.`;
    }
    if (isEmapiFailure(error, 25)) {
      const found = await userDevices(caller, userId);
      return found.devices.length === 0 ? void 0 : `${userId} is logged in on ${found.devices.join(", ")}.`;
    }
    return void 0;
  }
  async function probe() {
    const started = performance.now();
    let value;
    try {
      await client.deviceUserQuery([HEALTH_PROBE_DEVICE]);
      value = { reachable: true, latencyMs: Math.round(performance.now() - started), checkedAt: (/* @__PURE__ */ new Date()).toISOString() };
    } catch (error) {
      if (!(error instanceof EmapiError))
        log.error({ err: error }, "EMAPI health check failed with an internal error");
      const e = error instanceof EmapiError ? error : new EmapiError("EMAPI_UNREACHABLE", "Health check failed");
      value = {
        reachable: false,
        latencyMs: null,
        checkedAt: (/* @__PURE__ */ new Date()).toISOString(),
        error: { code: e.code, message: e.message, ...isEmapiFailure(e) ? { emapiCode: e.emapiCode } : {} }
      };
    }
    health = { at: Date.now(), value };
    return value;
  }
  return {
    logoutDevice,
    deviceStatus,
    userDevices,
    usersDevices,
    /**
     * A stop that cannot wait any longer: aborts every EMAPI request in flight; the changes among
     * them end `interrupted` (CUCM may have carried them out), and busy answers are not retried.
     */
    async abortInFlight() {
      aborted = true;
      await client.destroy();
    },
    /**
     * One logoutAll at a time, across processes (server, CLI, schedule): the pending audit row
     * is the lock. A pending row older than the timeout is stale (its process died).
     */
    async logoutAll(caller, within = {}) {
      const target = { action: "logout-all", runId: within.runId };
      const claim = await store.write((w) => w.audit.insertPendingIfIdle({ ...caller, ...target, cluster }, options.timeoutMs * (busyRetries + 1) + 6e4), "pending logout-all");
      if ("runningId" in claim)
        throw new LogoutAllRunningError(claim.runningId, cluster);
      return await audited(caller, target, async () => await client.logoutAll(), "Logged out every Extension Mobility user on the cluster.", { claimedId: claim.id });
    },
    async loginDevice(caller, deviceName, login) {
      const runId = login.runId ?? (login.force === true ? randomUUID() : void 0);
      if (login.force === true) {
        const [status] = await deviceStatus(caller, [deviceName]);
        if (status?.currentUser != null && status.currentUser.toLowerCase() !== login.userId.toLowerCase()) {
          await logoutDevice(caller, deviceName, { runId, userId: status.currentUser });
        }
      }
      const exclusiveDuration = login.indefinite === true ? "indefinite" : login.durationMinutes === void 0 ? void 0 : { minutes: login.durationMinutes };
      const request = { deviceName, userId: login.userId, deviceProfile: login.deviceProfile, exclusiveDuration };
      return await audited(caller, { action: "login", devices: [deviceName], userId: login.userId, runId }, async () => await client.login(request), `Logged ${login.userId} in on ${deviceName}${login.deviceProfile === void 0 ? "" : ` with profile ${login.deviceProfile}`}.`, { skip: login.skip, explain: async (error) => await explainLogin(caller, deviceName, login.userId, error) });
    },
    async userProfiles(caller, userId) {
      const [found] = await lookedUp(caller, { action: "device-profile-query", userId }, async () => await client.deviceProfileQuery([userId]), `Looked up the device profiles of ${userId}.`);
      return found === void 0 ? { userId, exists: false, profiles: [] } : { ...found, profiles: found.profiles.map((profile) => ({ ...profile, cluster })) };
    },
    /** Logs a user out of every device they are on; one result (and audit row) per device. */
    async logoutUser(caller, userId) {
      const { devices } = await userDevices(caller, userId);
      const runId = randomUUID();
      const results = await Promise.all(devices.map(async (deviceName) => {
        try {
          return { deviceName, cluster, ...await logoutDevice(caller, deviceName, { runId, userId }) };
        } catch (error) {
          if (!(error instanceof ActionError))
            throw error;
          const { emapiCode } = describe(error.error);
          return { deviceName, outcome: error.outcome, message: error.message, auditId: error.auditId, cluster, ...emapiCode === void 0 ? {} : { emapiCode } };
        }
      }));
      return { userId, results };
    },
    /** Whether EMAPI answers, by a cheap query that is not audited; cached for a few seconds. */
    /**
     * Whether EMAPI answers, by a cheap query that is not audited. Within the cache time the last
     * answer is given; after it, the last answer is still given at once (its checkedAt says when)
     * while one probe refreshes it, so a dashboard polling 30 clusters never waits on 30 probes.
     * Only the first ask waits. A cache time of 0 probes every time.
     */
    async health() {
      const cacheMs = options.healthCacheMs ?? 5e3;
      if (health !== void 0 && Date.now() - health.at < cacheMs)
        return health.value;
      if (health !== void 0 && cacheMs > 0) {
        if (probing === void 0)
          setImmediate(() => {
            probing ??= probe().finally(() => {
              probing = void 0;
            });
          });
        return health.value;
      }
      probing ??= probe().finally(() => {
        probing = void 0;
      });
      return await probing;
    }
  };
}

export {
  QUERY_CHUNK,
  uniqueNames,
  createEmService
};
