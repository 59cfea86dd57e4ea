import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  ActionError,
  BadRequestError,
  ClusterFailure,
  LogoutAllRunningError,
  NotFoundError,
  ServiceError
} from "./chunk-DUMI6XDV.js";

// dist/clusters/cluster-actions.js
import { randomUUID } from "node:crypto";
var ALL_CLUSTERS = "all";
function createClusterActions(options) {
  const { clusters, facts, store } = options;
  function loggedIn(cluster) {
    const asOf = cluster.axl === void 0 ? null : store.inventory.state(cluster.id)?.asOf ?? null;
    return asOf === null ? { loggedOut: null, asOf: null } : { loggedOut: store.inventory.counts(cluster.id).users, asOf };
  }
  function scope(cluster) {
    return cluster === void 0 ? clusters.list() : [clusters.require(cluster)];
  }
  async function askEach(targets, ask) {
    return await Promise.all(targets.map(async (cluster) => {
      try {
        return { cluster, value: await ask(cluster) };
      } catch (error) {
        throw targets.length > 1 ? new ClusterFailure(cluster.id, error) : error;
      }
    }));
  }
  async function deviceStatus(caller, names, within = {}) {
    const answers = await askEach(scope(within.cluster), async (c) => {
      const statuses = await c.em.deviceStatus(caller, names, { runId: within.runId });
      return new Map(statuses.map((status) => [status.deviceName.toLowerCase(), status]));
    });
    const seen = /* @__PURE__ */ new Set();
    return names.flatMap((name) => {
      const key = name.toLowerCase();
      if (seen.has(key))
        return [];
      seen.add(key);
      const found = answers.flatMap(({ cluster, value }) => {
        const status = value.get(key);
        return status?.exists === true ? [{ ...status, cluster: cluster.id }] : [];
      });
      if (found.length > 0)
        return found;
      const none = answers[0]?.value.get(key) ?? { deviceName: name, exists: false, currentUser: null, lastUser: null, emcc: null };
      return [{ ...none, cluster: null }];
    });
  }
  async function locate(caller, deviceName, cluster) {
    const asked = scope(cluster);
    const found = (await deviceStatus(caller, [deviceName], { cluster })).filter((s) => s.cluster !== null);
    const [only] = asked;
    if (asked.length === 1 && only !== void 0)
      return { target: only, status: found[0] };
    if (found.length === 0)
      throw new NotFoundError(`Device ${deviceName} is on none of the clusters (${asked.map((c) => c.id).join(", ")}).`, "Check the name, or name the cluster with ?cluster=.");
    if (found.length > 1) {
      const ids = found.map((s) => s.cluster).join(", ");
      throw new ServiceError("conflict", "CLUSTER_AMBIGUOUS", `Device ${deviceName} is on several clusters (${ids}).`, { action: `Name the cluster with ?cluster= (one of ${ids}).` });
    }
    return { target: clusters.require(found[0]?.cluster ?? ""), status: found[0] };
  }
  function outcomeOf(cluster, settled, before) {
    if (settled.status === "fulfilled")
      return { cluster: cluster.id, outcome: settled.value.outcome, message: settled.value.message, auditId: settled.value.auditId, ...before };
    const error = settled.reason;
    const none = { loggedOut: null, asOf: null };
    if (error instanceof ActionError)
      return { cluster: cluster.id, outcome: error.outcome === "failure" ? "failure" : "error", message: error.message, auditId: error.auditId, code: error.error.code, ...none };
    if (error instanceof ServiceError)
      return { cluster: cluster.id, outcome: "error", message: error.message, auditId: error.auditId ?? null, code: error.code, ...none };
    throw error;
  }
  function total(parts) {
    const done = parts.filter((p) => p.outcome === "success");
    return done.length > 0 && done.every((p) => p.loggedOut !== null) ? done.reduce((sum, p) => sum + (p.loggedOut ?? 0), 0) : null;
  }
  return {
    scope,
    deviceStatus,
    /** Look-ups with what EM Console knows besides (inventory, EM flag), as the API answers them. */
    async deviceReports(caller, names, cluster) {
      return facts.of(await deviceStatus(caller, names, { cluster }));
    },
    /** A look-up first, so the audit trail records whom the logout removed (EMAPI's logout names only the device). */
    async logoutDevice(caller, deviceName, cluster) {
      const { target, status } = await locate(caller, deviceName, cluster);
      return await target.em.logoutDevice(caller, deviceName, { userId: status?.currentUser });
    },
    async loginDevice(caller, deviceName, login, cluster) {
      const { target } = clusters.list().length === 1 && cluster === void 0 ? { target: clusters.default() } : await locate(caller, deviceName, cluster);
      return await target.em.loginDevice(caller, deviceName, login);
    },
    /** A user's devices on every cluster asked, each tagged with its cluster. */
    async userDevices(caller, userId, cluster) {
      const answers = await askEach(scope(cluster), async (c) => await c.em.userDevices(caller, userId));
      return {
        userId: answers.find((a) => a.value.exists)?.value.userId ?? userId,
        exists: answers.some((a) => a.value.exists),
        devices: answers.flatMap((a) => a.value.devices),
        located: answers.flatMap((a) => a.value.located)
      };
    },
    async userProfiles(caller, userId, cluster) {
      const answers = await askEach(scope(cluster), async (c) => await c.em.userProfiles(caller, userId));
      return {
        userId: answers.find((a) => a.value.exists)?.value.userId ?? userId,
        exists: answers.some((a) => a.value.exists),
        profiles: answers.flatMap((a) => a.value.profiles)
      };
    },
    /** Logs a user out of every device they are on, on every cluster asked; one result per device. */
    async logoutUser(caller, userId, cluster) {
      const answers = await askEach(scope(cluster), async (c) => await c.em.logoutUser(caller, userId));
      return { userId, results: answers.flatMap((a) => a.value.results) };
    },
    /**
     * logoutAll on one cluster, on several, or on every usable one (`all`) in parallel under one run id: one
     * audit row per cluster, and one cluster's failure does not stop the others. Single-flight
     * holds per cluster: a busy one is an error part naming LOGOUT_ALL_RUNNING (409 when all are).
     */
    async logoutAll(caller, cluster) {
      const usable = clusters.list();
      if (cluster === void 0 && usable.length > 1) {
        throw new BadRequestError("cluster", `Invalid field "cluster": there are ${usable.length} clusters (${usable.map((c) => c.id).join(", ")}); name one, or "all" to log out every one of them.`);
      }
      const targets = cluster === ALL_CLUSTERS ? usable : cluster === void 0 ? usable.slice(0, 1) : (typeof cluster === "string" ? [cluster] : cluster).map((id) => clusters.require(id));
      const before = targets.map(loggedIn);
      if (targets.length === 1 && targets[0] !== void 0) {
        const only = targets[0];
        const result = await only.em.logoutAll(caller);
        const parts2 = [{ cluster: only.id, outcome: result.outcome, message: result.message, auditId: result.auditId, ...before[0] ?? loggedIn(only) }];
        return { outcome: "success", message: result.message, auditId: result.auditId, runId: null, loggedOut: total(parts2), clusters: parts2 };
      }
      const runId = randomUUID();
      const settled = await Promise.allSettled(targets.map(async (target) => await target.em.logoutAll(caller, { runId })));
      if (settled.every((s) => s.status === "rejected" && s.reason instanceof LogoutAllRunningError)) {
        const first = settled[0];
        throw first?.status === "rejected" ? first.reason : new Error("logout-all: no cluster answered");
      }
      const parts = targets.map((target, i) => outcomeOf(target, settled[i], before[i] ?? loggedIn(target)));
      const failed = parts.filter((p) => p.outcome !== "success" && p.outcome !== "already-logged-out");
      const message = failed.length === 0 ? `Logged out every Extension Mobility user on ${parts.length} clusters (${parts.map((p) => p.cluster).join(", ")}).` : `Logged out every Extension Mobility user on ${parts.length - failed.length} of ${parts.length} clusters; failed on ${failed.map((p) => p.cluster).join(", ")}.`;
      const firstAudit = parts.find((p) => p.auditId !== null)?.auditId ?? 0;
      return { outcome: failed.length === 0 ? "success" : "failure", message, auditId: firstAudit, runId, loggedOut: total(parts), clusters: parts };
    }
  };
}

export {
  ALL_CLUSTERS,
  createClusterActions
};
