import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  clusterKey
} from "./chunk-6ICOKVAG.js";
import {
  NotFoundError,
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/clusters/registry.js
async function createClusterRegistry(definitions, options) {
  const { log } = options;
  const modules = await Promise.all([import("./client-RDY3EPQF.js"), import("./em-service-5DGVHBG2.js")]);
  let axlModule;
  const entries = /* @__PURE__ */ new Map();
  const firstKey = definitions[0] === void 0 ? void 0 : clusterKey(definitions[0].settings.id);
  let closed = false;
  async function open(definition) {
    const { settings } = definition;
    if (!settings.enabled || definition.problem !== void 0)
      return void 0;
    const [{ createEmapiClient }, { createEmService }] = modules;
    if (settings.tlsInsecure && definition.source === "database") {
      log.warn({ cluster: settings.id }, `Cluster ${settings.id}: TLS verification is OFF, so the CUCM certificate is NOT verified. Anyone on the network path can read the application user password. Give it a CA certificate instead.`);
    }
    const client = createEmapiClient({
      host: settings.host,
      port: settings.port,
      appUser: settings.appUser,
      appPassword: settings.appPassword,
      ca: settings.caPem,
      insecure: settings.tlsInsecure,
      timeoutMs: settings.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      dispatcher: clusterKey(settings.id) === firstKey ? options.dispatcher : void 0
    });
    const em = createEmService({
      client,
      store: options.store,
      log,
      maxConcurrency: settings.maxConcurrency,
      timeoutMs: settings.timeoutMs,
      busyRetries: options.busyRetries,
      busyBackoffMs: options.busyBackoffMs,
      healthCacheMs: options.healthCacheMs,
      clusterId: settings.id
    });
    let axl;
    if (options.axl && settings.axl !== void 0) {
      axlModule ??= await import("./client-HWM4AW4R.js");
      axl = axlModule.createAxlClient({
        host: settings.axl.host ?? settings.host,
        port: settings.axl.port,
        user: settings.axl.user,
        password: settings.axl.password,
        version: settings.axl.version,
        ca: settings.caPem,
        insecure: settings.tlsInsecure,
        timeoutMs: settings.timeoutMs
      });
    }
    return {
      id: settings.id,
      name: settings.name,
      source: definition.source,
      settings,
      client,
      em,
      axl,
      get timezone() {
        return settings.timezone ?? options.defaultTimezone();
      },
      health: async () => await em.health()
    };
  }
  async function retire(live, dropReads = false) {
    if (live === void 0)
      return;
    const closeAxl = async () => {
      await (dropReads ? live.axl?.destroy() : live.axl?.close());
    };
    for (const [part, close] of [["EMAPI", async () => {
      await live.client.close();
    }], ["AXL", closeAxl]]) {
      try {
        await close();
      } catch (error) {
        log.error({ err: error, cluster: live.id }, `Closing the ${part} client of cluster ${live.id} failed`);
      }
    }
  }
  for (const definition of definitions) {
    const key = clusterKey(definition.settings.id);
    if (entries.has(key)) {
      log.warn({ cluster: definition.settings.id }, `The cluster ${definition.settings.id} stored in the database is not used: the environment's cluster has the same id (CUCM_CLUSTER_ID). Set CUCM_CLUSTER_ID to another id to use both.`);
      continue;
    }
    if (definition.problem !== void 0)
      log.warn({ cluster: definition.settings.id }, `Cluster ${definition.settings.id} is not used: ${definition.problem}`);
    entries.set(key, { definition, live: await open(definition) });
  }
  const listeners = /* @__PURE__ */ new Set();
  function changed() {
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        log.error({ err: error }, "A listener of cluster changes failed");
      }
    }
  }
  const usable = () => [...entries.values()].flatMap((e) => e.live === void 0 ? [] : [e.live]);
  return {
    list: usable,
    get: (id) => entries.get(clusterKey(id))?.live,
    require(id) {
      const entry = entries.get(clusterKey(id));
      if (entry === void 0)
        throw new NotFoundError(`No cluster "${id}".`, "GET /api/clusters lists the clusters.");
      if (entry.live !== void 0)
        return entry.live;
      const { settings, problem } = entry.definition;
      if (problem !== void 0)
        throw new ServiceError("conflict", "CLUSTER_UNAVAILABLE", `Cluster ${settings.id} cannot be used: ${problem}`);
      throw new ServiceError("conflict", "CLUSTER_DISABLED", `Cluster ${settings.id} is disabled.`, { action: "An admin enables it in Settings \u2192 Clusters." });
    },
    default() {
      const first = firstKey === void 0 ? void 0 : entries.get(firstKey)?.live;
      if (first === void 0)
        throw new Error("The registry has no usable first cluster");
      return first;
    },
    definitions: () => [...entries.values()].map((e) => e.definition),
    definition: (id) => entries.get(clusterKey(id))?.definition,
    async put(definition) {
      if (closed)
        throw new Error("The cluster registry is closed");
      const key = clusterKey(definition.settings.id);
      const old = entries.get(key);
      if (old?.definition.source === "environment" || old === void 0 && key === firstKey)
        throw new Error(`Cluster ${definition.settings.id} comes from the environment: it cannot be replaced`);
      entries.set(key, { definition, live: await open(definition) });
      changed();
      await retire(old?.live);
    },
    async remove(id) {
      const key = clusterKey(id);
      const old = entries.get(key);
      if (old === void 0)
        return false;
      if (old.definition.source === "environment")
        throw new Error(`Cluster ${id} comes from the environment: it cannot be removed`);
      entries.delete(key);
      changed();
      await retire(old.live);
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      closed = true;
      const all = usable();
      entries.clear();
      for (const live of all)
        await retire(live, true);
    }
  };
}
export {
  createClusterRegistry
};
