import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  EmapiError,
  isEmapiFailure
} from "./chunk-UZD3F5PP.js";
import {
  AxlError
} from "./chunk-E75TASB6.js";

// dist/clusters/connection-check.js
var CHECK_LABELS = {
  configuration: "configuration",
  reachable: "CUCM reachable",
  tls: "TLS certificate trusted",
  service: "Extension Mobility service answers",
  credentials: "application user accepted",
  "proxy-rights": "proxy rights (Standard EM Authentication Proxy Rights)",
  axl: "AXL answers (inventory)"
};
var ORDER = ["configuration", "reachable", "tls", "service", "credentials", "proxy-rights"];
var PROBE_DEVICE = "EMConsoleCheckProbe";
var CREDENTIAL_CODES = /* @__PURE__ */ new Set([2, 3, 27, 28, 30]);
var WORDS = {
  environment: { hostPort: "CUCM_HOST and CUCM_PORT (8443)", ca: "Set CUCM_CA_FILE to the PEM file", host: "CUCM_HOST" },
  database: { hostPort: "the cluster's host and port (8443)", ca: "Give the cluster the PEM", host: "the cluster's host" }
};
function inDashboardWords(action) {
  return action.replace("CUCM_AXL_HOST and CUCM_AXL_PORT", "the cluster's AXL host and port").replace("CUCM_AXL_USER and CUCM_AXL_PASSWORD", "the cluster's AXL user and password").replace("CUCM_AXL_VERSION", "the cluster's AXL version").replace("point CUCM_CA_FILE at the PEM file", "give the cluster that PEM");
}
function step(name, ok, message, fix) {
  return { name, label: CHECK_LABELS[name], ok, message, ...fix === void 0 ? {} : { fix } };
}
function complete(steps) {
  const done = new Set(steps.map((s) => s.name));
  return [...steps, ...ORDER.filter((n) => !done.has(n)).map((name) => step(name, null, "not checked: an earlier check failed"))];
}
async function runChecks(target) {
  const { client, settings } = target;
  const words = WORDS[target.source];
  const steps = [step("configuration", true, `valid (${target.description})`)];
  const origin = client.origin;
  const started = performance.now();
  try {
    await client.deviceUserQuery([PROBE_DEVICE]);
  } catch (error) {
    if (!(error instanceof EmapiError))
      throw error;
    switch (error.code) {
      case "EMAPI_UNREACHABLE":
      case "EMAPI_TIMEOUT":
        steps.push(step("reachable", false, error.message, `Check ${words.hostPort}, DNS, and that a firewall lets this machine reach CUCM on TCP 8443.`));
        return { steps: complete(steps), outcome: "transport" };
      case "EMAPI_TLS":
        steps.push(step("reachable", true, `connected to ${origin}`));
        steps.push(step("tls", false, error.message, `${words.ca} of the CUCM Tomcat certificate or of its CA, and use for ${words.host} a name that certificate lists.`));
        return { steps: complete(steps), outcome: "transport" };
      case "EMAPI_HTTP_STATUS":
      case "EMAPI_BAD_XML":
      case "EMAPI_TOO_LARGE":
        steps.push(step("reachable", true, `connected to ${origin}`));
        steps.push(step("tls", true, "certificate verified"));
        steps.push(step("service", false, error.message, "Check that the Cisco Extension Mobility service is activated and running on this CUCM node (Cisco Unified Serviceability)."));
        return { steps: complete(steps), outcome: "transport" };
      case "EMAPI_FAILURE": {
        steps.push(step("reachable", true, `connected to ${origin}`));
        steps.push(step("tls", true, "certificate verified"));
        steps.push(step("service", true, "EMAPI answered"));
        if (!isEmapiFailure(error))
          throw error;
        if (error.emapiCode === 10) {
          steps.push(step("credentials", true, `${settings.appUser || "the application user"} signed in`));
          steps.push(step("proxy-rights", false, error.message, error.info.action));
        } else if (CREDENTIAL_CODES.has(error.emapiCode)) {
          steps.push(step("credentials", false, error.message, error.info.action));
        } else {
          steps.push(step("credentials", false, `unexpected answer: ${error.message}`, error.info.action));
        }
        return { steps: complete(steps), outcome: "failed" };
      }
    }
  }
  steps.push(step("reachable", true, `connected to ${origin} (${Math.round(performance.now() - started)} ms)`));
  steps.push(step("tls", true, settings.tlsInsecure ? `NOT verified: TLS verification is off${target.source === "environment" ? " (CUCM_TLS_INSECURE=true)" : ""}` : "certificate verified"));
  steps.push(step("service", true, "EMAPI answered a device query"));
  steps.push(step("credentials", true, "the application user and password were accepted"));
  let outcome = "ok";
  try {
    await client.logout(PROBE_DEVICE);
    steps.push(step("proxy-rights", true, "a test logout was accepted"));
  } catch (error) {
    if (isEmapiFailure(error, 10)) {
      steps.push(step("proxy-rights", false, error.message, error.info.action));
      outcome = "failed";
    } else if (isEmapiFailure(error, 11) || isEmapiFailure(error, 19)) {
      steps.push(step("proxy-rights", true, `a test logout of the non-existent device ${PROBE_DEVICE} was refused only because it does not exist`));
    } else {
      const message = error instanceof Error ? error.message : String(error);
      steps.push(step("proxy-rights", null, `could not be confirmed: the test logout answered ${message}`));
    }
  }
  if (target.countPhones !== void 0) {
    try {
      const phones = await target.countPhones();
      steps.push(step("axl", true, `AXL answered: ${phones} phone${phones === 1 ? "" : "s"} on the cluster`));
    } catch (error) {
      if (!(error instanceof AxlError))
        throw error;
      steps.push(step("axl", false, error.message, target.source === "environment" ? error.action : inDashboardWords(error.action)));
      if (outcome === "ok")
        outcome = "failed";
    }
  }
  return { steps, outcome };
}
function describeSettings(settings) {
  const ca = settings.caPem === void 0 ? "system CA store" : "its CA certificate";
  return `CUCM ${settings.host}:${settings.port}, application user ${settings.appUser}, ${ca}${settings.tlsInsecure ? ", TLS verification OFF" : ""}`;
}
async function checkCluster(options) {
  const { settings } = options;
  const closers = [];
  try {
    let client = options.client;
    if (client === void 0) {
      const { createEmapiClient } = await import("./client-RDY3EPQF.js");
      const own = createEmapiClient({ host: settings.host, port: settings.port, appUser: settings.appUser, appPassword: settings.appPassword, ca: settings.caPem, insecure: settings.tlsInsecure, timeoutMs: settings.timeoutMs });
      closers.push(async () => {
        await own.close();
      });
      client = own;
    }
    let countPhones;
    const axlSettings = settings.axl;
    if (axlSettings !== void 0) {
      countPhones = async () => {
        const { createAxlClient } = await import("./client-HWM4AW4R.js");
        const axl = createAxlClient({ host: axlSettings.host ?? settings.host, port: axlSettings.port, user: axlSettings.user, password: axlSettings.password, version: axlSettings.version, ca: settings.caPem, insecure: settings.tlsInsecure, timeoutMs: settings.timeoutMs });
        closers.push(async () => {
          await axl.close();
        });
        return await axl.countPhones();
      };
    }
    return await runChecks({ source: options.source, settings, client, countPhones, description: options.description ?? describeSettings(settings) });
  } finally {
    for (const close of closers)
      await close();
  }
}

export {
  describeSettings,
  checkCluster
};
