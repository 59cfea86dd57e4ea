import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  definitionOf,
  fieldsOf
} from "./chunk-VT74MKRQ.js";
import {
  isTimeZone
} from "./chunk-FNP3RNUN.js";
import {
  checkCluster
} from "./chunk-G7GFFDYF.js";
import "./chunk-4M7U75GA.js";
import "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-E75TASB6.js";
import "./chunk-GT63VX7W.js";
import {
  BadRequestError,
  NotFoundError,
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/clusters/cluster-service.js
import { X509Certificate } from "node:crypto";
var DEFAULT_PORT = 8443;
var PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
function checkCaPem(pem) {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.some((b) => (b[1] ?? "").includes("PRIVATE KEY")))
    throw new BadRequestError("caPem", "CA certificate: this holds a private key. Paste only the certificate (-----BEGIN CERTIFICATE-----); the key stays on CUCM.");
  const certificates = blocks.filter((b) => b[1] === "CERTIFICATE");
  if (certificates.length === 0)
    throw new BadRequestError("caPem", "CA certificate: not a PEM certificate. Paste the text that starts with -----BEGIN CERTIFICATE----- (CUCM OS Administration > Security > Certificate Management > download the tomcat or tomcat-trust certificate as .pem).");
  for (const [text] of certificates) {
    try {
      new X509Certificate(text);
    } catch {
      throw new BadRequestError("caPem", "CA certificate: a certificate block cannot be read (the text between BEGIN and END is damaged or incomplete).");
    }
  }
}
function merge(base, changes) {
  const pick = (key, current) => {
    const value = changes[key];
    return value === void 0 ? current : value === null ? void 0 : value;
  };
  const timezone = pick("timezone", base.timezone);
  if (timezone !== void 0 && !isTimeZone(timezone))
    throw new BadRequestError("timezone", `Time zone: "${timezone.slice(0, 64)}" is not an IANA time zone (for example Europe/Paris, America/New_York or UTC).`);
  const caPem = pick("caPem", base.caPem);
  if (caPem !== void 0 && changes.caPem !== void 0)
    checkCaPem(caPem);
  const axlUser = pick("axlUser", base.axl?.user);
  const axl = {
    host: pick("axlHost", base.axl?.host),
    port: pick("axlPort", base.axl?.port),
    password: pick("axlPassword", base.axl?.password),
    version: pick("axlVersion", base.axl?.version)
  };
  if (axlUser === void 0) {
    const stray = ["axlPassword", "axlHost", "axlPort", "axlVersion"].find((key) => changes[key] !== void 0 && changes[key] !== null);
    if (stray !== void 0)
      throw new BadRequestError("axlUser", "AXL user: give the AXL user too, or leave the AXL fields empty (AXL is used only with a user).");
  } else if (axl.password === void 0 || axl.password === "") {
    if (base.axl === void 0 || changes.axlPassword === null)
      throw new BadRequestError("axlPassword", "AXL password: needed with an AXL user.");
  }
  const host = pick("host", base.host) ?? base.host;
  return {
    id: base.id,
    name: pick("name", base.name) ?? host,
    host,
    port: pick("port", base.port) ?? DEFAULT_PORT,
    appUser: pick("appUser", base.appUser) ?? base.appUser,
    appPassword: pick("appPassword", base.appPassword) ?? base.appPassword,
    caPem,
    tlsInsecure: pick("tlsInsecure", base.tlsInsecure) ?? false,
    timeoutMs: pick("timeoutMs", base.timeoutMs) ?? base.timeoutMs,
    maxConcurrency: pick("maxConcurrency", base.maxConcurrency) ?? base.maxConcurrency,
    timezone,
    enabled: pick("enabled", base.enabled) ?? true,
    axl: axlUser === void 0 ? void 0 : { host: axl.host, port: axl.port, user: axlUser, password: axl.password ?? "", version: axl.version }
  };
}
function describeChanges(before, after, changes) {
  const said = [];
  const plain = [["name", "name"], ["host", "host"], ["port", "port"], ["appUser", "application user"], ["timeoutMs", "timeout"], ["maxConcurrency", "maximum concurrency"], ["timezone", "time zone"]];
  for (const [key, words] of plain) {
    if (before[key] !== after[key])
      said.push(`${words} ${String(before[key] ?? "default")} \u2192 ${String(after[key] ?? "default")}`);
  }
  if (changes.appPassword !== void 0)
    said.push("application password replaced");
  if (before.caPem !== after.caPem)
    said.push(after.caPem === void 0 ? "CA certificate removed" : "CA certificate replaced");
  if (before.tlsInsecure !== after.tlsInsecure)
    said.push(after.tlsInsecure ? "TLS verification turned OFF" : "TLS verification turned on");
  if (before.enabled !== after.enabled)
    said.push(after.enabled ? "enabled" : "disabled");
  if (before.axl === void 0 !== (after.axl === void 0))
    said.push(after.axl === void 0 ? "AXL turned off" : `AXL turned on (user ${after.axl.user})`);
  else if (before.axl !== void 0 && after.axl !== void 0) {
    for (const [key, words] of [["host", "AXL host"], ["port", "AXL port"], ["user", "AXL user"], ["version", "AXL version"]]) {
      if (before.axl[key] !== after.axl[key])
        said.push(`${words} ${String(before.axl[key] ?? "default")} \u2192 ${String(after.axl[key] ?? "default")}`);
    }
  }
  if (changes.axlPassword !== void 0 && changes.axlPassword !== null && after.axl !== void 0)
    said.push("AXL password replaced");
  return said;
}
function summary(settings) {
  const axl = settings.axl === void 0 ? "AXL off" : `AXL user ${settings.axl.user}`;
  return `CUCM ${settings.host}:${settings.port}, application user ${settings.appUser}, ${settings.caPem === void 0 ? "system CA store" : "its own CA certificate"}${settings.tlsInsecure ? ", TLS verification OFF" : ""}, ${axl}${settings.enabled ? "" : ", disabled"}`;
}
function createClusterService(options) {
  const { store, registry, secrets, log } = options;
  let queue = Promise.resolve();
  const serial = async (task) => {
    const run = queue.then(task, task);
    queue = run.catch(() => {
    });
    return await run;
  };
  async function view(definition, live) {
    const { settings, source } = definition;
    return {
      id: settings.id,
      name: settings.name,
      source,
      readOnly: source === "environment",
      enabled: settings.enabled,
      host: settings.host,
      port: settings.port,
      appUser: settings.appUser,
      // A stored cluster always has one (sealed), even when this key cannot open it.
      appPasswordSet: source === "database" || settings.appPassword !== "",
      caPem: settings.caPem ?? null,
      tlsInsecure: settings.tlsInsecure,
      timeoutMs: settings.timeoutMs,
      maxConcurrency: settings.maxConcurrency,
      timezone: settings.timezone ?? null,
      effectiveTimezone: settings.timezone ?? options.defaultTimezone(),
      axlHost: settings.axl?.host ?? null,
      axlPort: settings.axl?.port ?? null,
      axlUser: settings.axl?.user ?? null,
      axlPasswordSet: settings.axl !== void 0,
      axlVersion: settings.axl?.version ?? null,
      createdAt: definition.createdAt ?? null,
      updatedAt: definition.updatedAt ?? null,
      problem: definition.problem ?? null,
      health: live === void 0 ? null : await live.health()
    };
  }
  function known(id) {
    const definition = registry.definition(id);
    if (definition === void 0)
      throw new NotFoundError(`No cluster "${id}".`, "GET /api/clusters lists the clusters.");
    return definition;
  }
  function writable(id) {
    const definition = known(id);
    if (definition.source === "environment") {
      throw new ServiceError("conflict", "CLUSTER_READ_ONLY", `Cluster ${definition.settings.id} comes from the environment (CUCM_* settings) and is read-only here.`, { action: "Change it in the environment or .env and restart EM Console." });
    }
    return definition;
  }
  function stored(row, id) {
    if (row === void 0)
      throw new NotFoundError(`No cluster "${id}".`);
    return row;
  }
  async function applied(definition) {
    await registry.put(definition);
    return await view(definition, registry.get(definition.settings.id));
  }
  return {
    async list() {
      return await Promise.all(registry.definitions().map(async (d) => await view(d, registry.get(d.settings.id))));
    },
    async get(id) {
      const definition = known(id);
      return await view(definition, registry.get(definition.settings.id));
    },
    async create(caller, body) {
      return await serial(async () => {
        if (registry.definition(body.id) !== void 0)
          throw new ServiceError("conflict", "CLUSTER_EXISTS", `A cluster with the id "${body.id}" exists already.`, { field: "id", action: "Choose another id, or edit that cluster." });
        const { id, ...changes } = body;
        const base = { id, name: body.host, host: body.host, port: DEFAULT_PORT, appUser: body.appUser, appPassword: body.appPassword, caPem: void 0, tlsInsecure: false, timeoutMs: options.defaults.timeoutMs, maxConcurrency: options.defaults.maxConcurrency, timezone: void 0, enabled: true, axl: void 0 };
        const settings = merge(base, changes);
        const row = await store.write((w) => {
          if (w.clusters.get(id) !== void 0)
            throw new ServiceError("conflict", "CLUSTER_EXISTS", `A cluster with the id "${id}" exists already.`, { field: "id" });
          const inserted = w.clusters.insert(fieldsOf(settings, secrets), caller.actor);
          w.audit.record({ ...caller, action: "cluster-create", cluster: id }, { outcome: "success", message: `Added cluster ${id} (${settings.name}): ${summary(settings)}.` });
          return inserted;
        }, "cluster-create");
        log.info({ cluster: id, actor: caller.actor }, `Cluster ${id} added by ${caller.actor}`);
        return await applied(definitionOf(row, secrets));
      });
    },
    async update(caller, id, changes) {
      return await serial(async () => {
        const current = writable(id);
        const row = await store.write((w) => {
          const before = stored(w.clusters.get(current.settings.id), id);
          const beforeSettings = definitionOf(before, secrets).settings;
          const settings = merge(beforeSettings, changes);
          const kept = {
            ...changes.appPassword === void 0 ? { appPasswordSealed: before.appPasswordSealed } : {},
            ...changes.axlPassword === void 0 && before.axlPasswordSealed !== null ? { axlPasswordSealed: before.axlPasswordSealed } : {}
          };
          const updated = w.clusters.update(fieldsOf(settings, secrets, kept), caller.actor);
          const said = describeChanges(beforeSettings, settings, changes);
          w.audit.record({ ...caller, action: "cluster-update", cluster: before.id }, { outcome: "success", message: said.length === 0 ? `Saved cluster ${before.id} unchanged.` : `Changed cluster ${before.id}: ${said.join("; ")}.` });
          return stored(updated, id);
        }, "cluster-update");
        log.info({ cluster: row.id, actor: caller.actor }, `Cluster ${row.id} changed by ${caller.actor}`);
        return await applied(definitionOf(row, secrets));
      });
    },
    async delete(caller, id) {
      await serial(async () => {
        const current = writable(id);
        await store.write((w) => {
          const before = stored(w.clusters.get(current.settings.id), id);
          w.clusters.delete(before.id);
          w.audit.record({ ...caller, action: "cluster-delete", cluster: before.id }, { outcome: "success", message: `Deleted cluster ${before.id} (${before.name}, ${before.host}:${before.port}). Its history stays.` });
        }, "cluster-delete");
        await registry.remove(current.settings.id);
        log.info({ cluster: current.settings.id, actor: caller.actor }, `Cluster ${current.settings.id} deleted by ${caller.actor}`);
      });
    },
    /**
     * The connection checks of a known cluster, with `changes` applied first when given (the edit
     * dialog checks before saving; a password left out is the stored one). Changes nothing.
     */
    async check(id, changes) {
      const definition = changes === void 0 ? known(id) : writable(id);
      const live = registry.get(id);
      let settings = definition.settings;
      if (changes !== void 0) {
        settings = merge(settings, changes);
      }
      const unreadable = definition.problem !== void 0 && changes?.appPassword === void 0;
      if (unreadable)
        throw new ServiceError("conflict", "CLUSTER_UNAVAILABLE", `Cluster ${definition.settings.id} cannot be checked: ${definition.problem ?? ""}`);
      const reuse = changes === void 0 && live !== void 0;
      const result = await checkCluster({ source: definition.source, settings, client: reuse ? live.client : void 0 });
      return { cluster: settings.id, ok: result.outcome === "ok", steps: result.steps };
    },
    /** The checks of a cluster not saved yet (the add dialog's "Check connection"). */
    async checkNew(body) {
      const { id, ...changes } = body;
      const base = { id, name: body.host, host: body.host, port: DEFAULT_PORT, appUser: body.appUser, appPassword: body.appPassword, caPem: void 0, tlsInsecure: false, timeoutMs: options.defaults.timeoutMs, maxConcurrency: options.defaults.maxConcurrency, timezone: void 0, enabled: true, axl: void 0 };
      const result = await checkCluster({ source: "database", settings: merge(base, changes) });
      return { cluster: id, ok: result.outcome === "ok", steps: result.steps };
    }
  };
}
export {
  createClusterService
};
