import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  createClusterActions
} from "./chunk-BUZQ7COR.js";
import {
  createSecretBox,
  definitionOf,
  loadSecretKey,
  secretKeyFile
} from "./chunk-VT74MKRQ.js";
import {
  openStore
} from "./chunk-CLJ2HEGA.js";
import "./chunk-OHDZHCUG.js";
import {
  systemTimeZone
} from "./chunk-FNP3RNUN.js";
import "./chunk-CXTABL7R.js";
import "./chunk-Z63I4LD7.js";
import {
  silentLog
} from "./chunk-DNYFGISX.js";
import {
  environmentCluster
} from "./chunk-6ICOKVAG.js";
import "./chunk-LQ36JWYZ.js";
import "./chunk-Q3PXE6AK.js";
import "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/services/device-facts.js
function createDeviceFacts(store) {
  return {
    /** The look-ups with what is known besides, in their order. */
    of(statuses) {
      const empty = statuses.filter((s) => s.exists && s.currentUser === null).map((s) => s.deviceName);
      const facts = empty.length === 0 ? /* @__PURE__ */ new Map() : store.audit.emFacts(empty);
      return statuses.map((status) => {
        const { phone, session } = status.exists && status.cluster !== null ? store.inventory.device(status.deviceName, status.cluster) : { phone: void 0, session: void 0 };
        const current = session !== void 0 && session.userId.toLowerCase() === status.currentUser?.toLowerCase() ? session : void 0;
        return {
          ...status,
          // Someone logged in through EM right now: it is enabled, whatever an older answer said.
          emEnabled: !status.exists ? null : status.currentUser !== null ? true : phone?.emEnabled ?? facts.get(status.deviceName.toLowerCase())?.emEnabled ?? null,
          loginTime: current?.loginTime ?? null,
          profile: current?.profile ?? null,
          devicePool: phone?.devicePool ?? null,
          model: phone?.model ?? null
        };
      });
    }
  };
}

// dist/runtime.js
var Closers = class {
  log;
  #list = [];
  constructor(log) {
    this.log = log;
  }
  add(name, close) {
    this.#list.push({ name, close });
  }
  async closeAll() {
    for (const { name, close } of this.#list.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.log.error({ err: error, part: name }, `Closing ${name} failed`);
      }
    }
  }
};
async function startRuntime(config, options) {
  const log = options.log ?? silentLog;
  const tuning = options.tuning ?? {};
  const closers = new Closers(log);
  try {
    const store = openStore({ path: config.DATABASE_PATH, log, now: tuning.now });
    closers.add("the database", async () => {
      await store.close();
    });
    const demo = config.CUCM_HOST === void 0 ? await (await import("./demo-O7UVZNU5.js")).startDemoClusters(config) : void 0;
    if (demo !== void 0) {
      closers.add("the simulators", demo.close);
      const origins = [...demo.simulators].map(([id, sim]) => `${id} at ${sim.origin}`).join(", ");
      log.warn({ simulators: origins }, `Demo mode: no CUCM_HOST is set, so EM Console talks to its built-in CUCM simulators (${origins}). Set CUCM_HOST to manage a real cluster.`);
    } else if (config.CUCM_TLS_INSECURE) {
      log.warn({ key: "CUCM_TLS_INSECURE" }, "CUCM_TLS_INSECURE=true: the CUCM certificate is NOT verified. Anyone on the network path can read the application user password. Use CUCM_CA_FILE instead.");
    }
    const secrets = createSecretBox(loadSecretKey({ key: config.SECRET_KEY, file: secretKeyFile(config), create: options.role === "server", log }));
    const environment = demo?.definitions ?? [environmentCluster(config)];
    const stored = store.clusters.list().map((row) => definitionOf(row, secrets));
    const { createClusterRegistry } = await import("./registry-BXKK24MZ.js");
    const clusters = await createClusterRegistry([...environment, ...stored], {
      store,
      log,
      busyRetries: tuning.busyRetries,
      busyBackoffMs: tuning.busyBackoffMs,
      healthCacheMs: tuning.healthCacheMs,
      dispatcher: options.dispatcher,
      maxResponseBytes: config.EMAPI_MAX_RESPONSE_BYTES,
      axl: options.parts !== "em" || options.axl === true,
      defaultTimezone: () => config.SCHEDULE_TIMEZONE ?? systemTimeZone()
    });
    closers.add("the clusters", async () => {
      await clusters.close();
    });
    const first = clusters.default();
    const mode = demo === void 0 ? "cucm" : "simulator";
    const core = {
      config,
      mode,
      cucm: { host: first.settings.host, port: first.settings.port },
      log,
      store,
      clusters,
      secrets,
      client: first.client,
      em: first.em,
      simulator: demo?.simulators.get(first.id),
      simulators: demo?.simulators ?? /* @__PURE__ */ new Map(),
      actions: createClusterActions({ clusters, facts: createDeviceFacts(store), store }),
      close: async () => {
        await closers.closeAll();
      }
    };
    if (options.parts === "em")
      return core;
    return { ...core, ...await startServices(core, options, closers) };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
async function startServices(core, options, closers) {
  const { config, store, log, mode } = core;
  const tuning = options.tuning ?? {};
  const [{ createAuthService }, { createSettingsService }, { createRunService }, { logoutDeviceList }, { createScheduleService }, { createWebhookNotifier }, { createClusterService }, { assignLegacyAuditRows }, { openInventory }, { createSessionLogout }] = await Promise.all([
    import("./auth-service-RVEC6JW6.js"),
    import("./settings-service-R4ZTGALR.js"),
    import("./run-service-3FL4UPFP.js"),
    import("./list-run-SL7DSPRU.js"),
    import("./schedule-service-5NQJUVXI.js"),
    import("./webhook-HBGKX6D6.js"),
    import("./cluster-service-5ENJUPBA.js"),
    import("./legacy-audit-SLH2FBTM.js"),
    import("./start-LLBXYOZN.js"),
    import("./session-logout-6NAYXHPQ.js")
  ]);
  const inventory = openInventory({ clusters: core.clusters, store, log, refreshSeconds: config.INVENTORY_REFRESH_SECONDS, historyDays: config.SESSION_HISTORY_DAYS, now: tuning.now, batchSize: tuning.inventoryBatchSize, retryMinMs: tuning.inventoryRetryMs });
  closers.add("the inventory", inventory.close);
  const auth = createAuthService({
    store,
    mode,
    log,
    limits: { idleMs: config.SESSION_IDLE_MINUTES * 6e4, absoluteMs: config.SESSION_MAX_HOURS * 36e5 },
    now: tuning.now === void 0 ? void 0 : () => tuning.now().getTime(),
    initialAdmin: config.ADMIN_USERNAME === void 0 || config.ADMIN_PASSWORD === void 0 ? void 0 : { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD }
  });
  const settings = createSettingsService(store);
  const clusterService = createClusterService({
    store,
    registry: core.clusters,
    secrets: core.secrets,
    log,
    defaults: { timeoutMs: config.CUCM_TIMEOUT_MS, maxConcurrency: config.EMAPI_MAX_CONCURRENCY },
    defaultTimezone: () => config.SCHEDULE_TIMEZONE ?? systemTimeZone()
  });
  const runs = createRunService({ store, clusters: core.clusters, actions: core.actions, inventory: inventory.service, settings, log, concurrency: config.EMAPI_MAX_CONCURRENCY, defaultVerifyAfterMs: tuning.verifyAfterMs, lookUpBackoffMs: tuning.lookUpBackoffMs });
  const timezone = () => core.clusters.default().timezone;
  const schedules = createScheduleService({
    store,
    clusters: core.clusters,
    actions: core.actions,
    log,
    defaultTimezone: timezone,
    configSchedule: config.LOGOUT_ALL_SCHEDULE === void 0 ? void 0 : { cron: config.LOGOUT_ALL_SCHEDULE, timezone: timezone() },
    notify: config.NOTIFY_WEBHOOK_URL === void 0 ? void 0 : createWebhookNotifier({ url: config.NOTIFY_WEBHOOK_URL, timeoutMs: config.NOTIFY_WEBHOOK_TIMEOUT_MS, store }),
    logoutSavedList: async (caller, list, clusters) => await logoutDeviceList({ runs, settings, store }, caller, list, clusters),
    hasDeviceList: (name) => settings.deviceList(name) !== void 0,
    logoutSessions: createSessionLogout({ inventory: inventory.service, runs, store }).logoutSessions,
    now: tuning.now,
    allowAnyCron: tuning.allowAnyCron
  });
  closers.add("runs and schedules", async () => {
    await runs.stop();
    await schedules.stop();
  });
  let bootstrapped = Promise.resolve({ setupToken: void 0 });
  if (options.role === "server") {
    await assignLegacyAuditRows(store, core.clusters.default().id, log);
    const stopped = await runs.markInterrupted();
    if (stopped.runs > 0)
      log.warn({ runs: stopped.runs }, `${stopped.runs} bulk run(s) were still running when the server last stopped; they are marked "interrupted".`);
    const interrupted = await store.write((w) => w.audit.markInterrupted(), "interrupted actions");
    if (interrupted > 0)
      log.warn({ interrupted }, `${interrupted} action(s) were still running when the server last stopped; they are marked "interrupted" in the history.`);
    await auth.purgeExpiredSessions();
    bootstrapped = auth.bootstrap().then((boot) => {
      if (boot.created !== void 0)
        log.info({ account: boot.created }, `Created the first admin account: ${boot.created}`);
      return { setupToken: boot.setupToken };
    });
    bootstrapped.catch(() => {
    });
  }
  return { auth, clusterService, settings, runs, schedules, inventory: inventory.service, bootstrapped };
}
export {
  startRuntime
};
