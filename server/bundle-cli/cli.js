#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  isTimeZone,
  scheduleProblem,
  systemTimeZone
} from "./chunk-FNP3RNUN.js";
import {
  PACKAGE_JSON
} from "./chunk-CXTABL7R.js";
import {
  EXIT,
  UsageError,
  processIo
} from "./chunk-7INOBL6E.js";
import {
  ServiceError
} from "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";

// dist/cli.js
import { setFlagsFromString } from "node:v8";

// dist/cli/main.js
import { userInfo } from "node:os";
import { parseArgs } from "node:util";

// dist/config.js
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
var port = (fallback) => ({ type: "integer", default: fallback, min: 0, max: 65535 });
var SETTINGS = {
  CUCM_HOST: { type: "string", pattern: /^[A-Za-z0-9.:-]+$/, maxLength: 253, help: "a host name or IP address (letters, digits, dot, dash, colon)" },
  CUCM_PORT: port(8443),
  CUCM_APP_USER: { type: "string", default: "", maxLength: 128 },
  CUCM_APP_PASSWORD: { type: "string", default: "", maxLength: 256 },
  CUCM_CA_FILE: { type: "string", minLength: 1 },
  CUCM_TLS_INSECURE: { type: "boolean", default: false },
  CUCM_TIMEOUT_MS: { type: "integer", default: 15e3, min: 100, max: 3e5 },
  EMAPI_MAX_CONCURRENCY: { type: "integer", default: 4, min: 1, max: 20 },
  // The largest EMAPI answer read; past it the transfer stops with EMAPI_TOO_LARGE.
  EMAPI_MAX_RESPONSE_BYTES: { type: "integer", default: 4194304, min: 65536, max: 268435456 },
  CUCM_CLUSTER_ID: { type: "string", default: "default", pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, help: "letters, digits and dash, starting with a letter or digit; up to 40 characters" },
  // eslint-disable-next-line no-control-regex -- the control characters are what it refuses
  CUCM_CLUSTER_NAME: { type: "string", maxLength: 64, pattern: /^[^\u0000-\u001f\u007f]+$/, help: "up to 64 characters without control characters" },
  SECRET_KEY: { type: "string", minLength: 32, maxLength: 1024 },
  SECRET_KEY_FILE: { type: "string", minLength: 1 },
  HOST: { type: "string", default: "127.0.0.1", minLength: 1 },
  PORT: port(3e3),
  DATABASE_PATH: { type: "string", minLength: 1 },
  LOG_LEVEL: { type: "enum", values: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], default: "info" },
  SIMULATOR_PORT: port(0),
  ADMIN_USERNAME: { type: "string", pattern: /^[A-Za-z0-9._@-]{1,64}$/, help: "letters, digits, dot, dash, underscore and @; up to 64 characters" },
  ADMIN_PASSWORD: { type: "string", minLength: 12, maxLength: 256 },
  SESSION_IDLE_MINUTES: { type: "integer", default: 30, min: 1, max: 1440 },
  SESSION_MAX_HOURS: { type: "integer", default: 12, min: 1, max: 168 },
  RATE_LIMIT_PER_MINUTE: { type: "integer", default: 1200, min: 0, max: 1e6 },
  SIGN_IN_PER_MINUTE: { type: "integer", default: 10, min: 1, max: 1e3 },
  TLS_CERT_FILE: { type: "string", minLength: 1 },
  TLS_KEY_FILE: { type: "string", minLength: 1 },
  LOGOUT_ALL_SCHEDULE: { type: "string", minLength: 1, maxLength: 120 },
  SCHEDULE_TIMEZONE: { type: "string", minLength: 1, maxLength: 64 },
  NOTIFY_WEBHOOK_URL: { type: "string", minLength: 1, maxLength: 2e3 },
  NOTIFY_WEBHOOK_TIMEOUT_MS: { type: "integer", default: 5e3, min: 100, max: 6e4 },
  // AXL (issue #18): the read-only inventory of phones and sessions; without a user it stays off.
  CUCM_AXL_HOST: { type: "string", pattern: /^[A-Za-z0-9.:-]+$/, maxLength: 253, help: "a host name or IP address (letters, digits, dot, dash, colon)" },
  CUCM_AXL_PORT: port(8443),
  CUCM_AXL_USER: { type: "string", minLength: 1, maxLength: 128 },
  CUCM_AXL_PASSWORD: { type: "string", minLength: 1, maxLength: 256 },
  CUCM_AXL_VERSION: { type: "string", pattern: /^\d{1,2}\.\d$/, help: "an AXL schema version such as 14.0 or 12.5" },
  INVENTORY_REFRESH_SECONDS: { type: "integer", default: 300, min: 0, max: 86400 },
  SESSION_HISTORY_DAYS: { type: "integer", default: 400, min: 1, max: 3650 }
};
var DEFAULT_DATABASE_PATH = "./data/em-console.db";
var DEFAULT_DEMO_DATABASE_PATH = "./data/em-console-demo.db";
var ConfigError = class extends Error {
  key;
  constructor(key, message) {
    super(`Configuration error in ${key}: ${message}`);
    this.name = "ConfigError";
    this.key = key;
  }
};
function convert(key, raw, setting) {
  switch (setting.type) {
    case "integer": {
      const value = Number(raw.trim());
      if (!/^-?\d+$/.test(raw.trim()))
        throw new ConfigError(key, `expected a whole number from ${setting.min} to ${setting.max}, got "${raw.slice(0, 40)}"`);
      if (value < setting.min || value > setting.max)
        throw new ConfigError(key, `must be from ${setting.min} to ${setting.max}, got ${value}`);
      return value;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false")
        throw new ConfigError(key, `expected "true" or "false", got "${raw.slice(0, 40)}"`);
      return raw === "true";
    case "enum":
      if (!setting.values.includes(raw))
        throw new ConfigError(key, `must be one of ${setting.values.join(", ")}`);
      return raw;
    case "string":
      if (setting.minLength !== void 0 && raw.length < setting.minLength)
        throw new ConfigError(key, `must be at least ${setting.minLength} characters long`);
      if (setting.maxLength !== void 0 && raw.length > setting.maxLength)
        throw new ConfigError(key, `must be at most ${setting.maxLength} characters long`);
      if (setting.pattern !== void 0 && !setting.pattern.test(raw))
        throw new ConfigError(key, `must be ${setting.help ?? `of the form ${String(setting.pattern)}`}`);
      return raw;
  }
}
function readEnvironment(env, envFile = ".env") {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  const merged = {};
  for (const [key, value] of Object.entries({ ...fromFile, ...env })) {
    if (value !== void 0 && value !== "")
      merged[key] = value;
  }
  return merged;
}
function loadConfig(env) {
  const config = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const raw = env[key];
    if (raw !== void 0 && raw !== "")
      config[key] = convert(key, raw, setting);
    else if ("default" in setting && setting.default !== void 0)
      config[key] = setting.default;
  }
  config.DATABASE_PATH ??= config.CUCM_HOST === void 0 ? DEFAULT_DEMO_DATABASE_PATH : DEFAULT_DATABASE_PATH;
  const valid = config;
  if (valid.CUCM_HOST !== void 0 && (valid.CUCM_APP_USER === "" || valid.CUCM_APP_PASSWORD === "")) {
    throw new ConfigError(valid.CUCM_APP_USER === "" ? "CUCM_APP_USER" : "CUCM_APP_PASSWORD", "required when CUCM_HOST is set");
  }
  checkAxlSettings(valid);
  for (const key of ["CUCM_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE"]) {
    const file = valid[key];
    if (file !== void 0 && !existsSync(file))
      throw new ConfigError(key, `no such file: ${file}`);
  }
  if (valid.TLS_CERT_FILE === void 0 !== (valid.TLS_KEY_FILE === void 0)) {
    throw new ConfigError(valid.TLS_CERT_FILE === void 0 ? "TLS_CERT_FILE" : "TLS_KEY_FILE", "set both TLS_CERT_FILE and TLS_KEY_FILE, or neither");
  }
  if (valid.ADMIN_USERNAME === void 0 !== (valid.ADMIN_PASSWORD === void 0)) {
    throw new ConfigError(valid.ADMIN_USERNAME === void 0 ? "ADMIN_USERNAME" : "ADMIN_PASSWORD", "set both ADMIN_USERNAME and ADMIN_PASSWORD, or neither");
  }
  checkScheduleSettings(valid);
  return valid;
}
function checkAxlSettings(config) {
  if (config.CUCM_AXL_USER !== void 0 && config.CUCM_AXL_PASSWORD === void 0)
    throw new ConfigError("CUCM_AXL_PASSWORD", "required when CUCM_AXL_USER is set");
  if (config.CUCM_AXL_USER === void 0) {
    const stray = ["CUCM_AXL_PASSWORD", "CUCM_AXL_HOST", "CUCM_AXL_VERSION"].find((key) => config[key] !== void 0);
    if (stray !== void 0)
      throw new ConfigError(stray, "set CUCM_AXL_USER too (AXL is used only with a user)");
  }
}
function checkScheduleSettings(config) {
  if (config.SCHEDULE_TIMEZONE !== void 0 && !isTimeZone(config.SCHEDULE_TIMEZONE))
    throw new ConfigError("SCHEDULE_TIMEZONE", `"${config.SCHEDULE_TIMEZONE}" is not an IANA time zone (e.g. Europe/Paris, UTC)`);
  const problem = config.LOGOUT_ALL_SCHEDULE === void 0 ? void 0 : scheduleProblem(config.LOGOUT_ALL_SCHEDULE, config.SCHEDULE_TIMEZONE ?? systemTimeZone(), "logout-all");
  if (problem !== void 0)
    throw new ConfigError("LOGOUT_ALL_SCHEDULE", problem.message);
  if (config.NOTIFY_WEBHOOK_URL !== void 0 && !isHttpUrl(config.NOTIFY_WEBHOOK_URL)) {
    throw new ConfigError("NOTIFY_WEBHOOK_URL", "expected an http:// or https:// URL");
  }
}
function isHttpUrl(text) {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

// dist/version.js
import { readFileSync as readFileSync2 } from "node:fs";
var VERSION = JSON.parse(readFileSync2(PACKAGE_JSON, "utf8")).version;

// dist/cli/main.js
var USAGE = `Usage: em-console <command> [options]

Commands:
  logout-all [--cluster ID|all] [--yes]
                              log out every Extension Mobility user on a cluster (EMAPI logoutAll);
                              with two clusters or more --cluster is required ("all": every one);
                              asks first on a terminal; --yes is required when stdin is not a terminal
  status <device...>          who is logged in on these devices (every cluster, each line naming it)
  logout <device...>          log out whoever is on these devices (on the cluster where each is)
  logout --older-than 12h [--pool X]... [--yes]
                              log out every session logged in for longer than that (and/or on those
                              device pools), read fresh from the AXL inventory; says how many and
                              asks first on a terminal; --yes is required when stdin is not a terminal
  sessions [--older-than 12h] [--pool X]...
                              who is logged in now, oldest first, read fresh from the AXL inventory
                              (needs CUCM_AXL_USER and CUCM_AXL_PASSWORD; ages as 90m, 12h or 3d)
  user <userId>               the devices a user is logged in on, and their device profiles
                              (also "user show <userId>")
  user list                   the dashboard's accounts
  user add <name> [--role R]  create an account (viewer, operator or admin; default viewer)
  user passwd <name>          set a new password (ends the account's sessions)
  user disable|enable <name>  disable (ends its sessions) or enable an account
                              Passwords are typed twice at a prompt, or read from the first line
                              of stdin when it is not a terminal; never from the command line.
  history [--limit N] [--action A] [--outcome O] [--device D] [--user U] [--trigger T] [--actor A] [--cluster ID]
                              the audit trail, newest first (default 20 records)
  check [--cluster ID]        validate the configuration and test the connection to CUCM
                              (the first cluster, or the one --cluster names)
  clusters                    every cluster (environment and dashboard) and whether its EMAPI
                              answers; exit 2 when an enabled one does not
  help                        this text

Every command that talks to CUCM takes --cluster ID: only that cluster. Without it look-ups ask
every enabled cluster, and a logout acts where the device is (refused when it is on several).
Every command takes --json (one JSON object on stdout). Settings come from the environment and
./.env, as for the server; actions are audited with trigger "cli" and your OS user name.

Exit codes: 0 done; 1 CUCM answered with an EMAPI error (or another logout-all was running, or
you answered no); 2 CUCM unreachable, TLS not trusted, timeout or not an EMAPI answer;
3 configuration or command-line error: nothing was sent.`;
var COMMON = { json: { type: "boolean" }, help: { type: "boolean", short: "h" } };
var CLUSTER = { cluster: { type: "string" } };
var COMMANDS = {
  "logout-all": { ...COMMON, ...CLUSTER, yes: { type: "boolean", short: "y" } },
  status: { ...COMMON, ...CLUSTER },
  logout: { ...COMMON, ...CLUSTER, "older-than": { type: "string" }, pool: { type: "string", multiple: true }, yes: { type: "boolean", short: "y" } },
  sessions: { ...COMMON, ...CLUSTER, "older-than": { type: "string" }, pool: { type: "string", multiple: true } },
  user: { ...COMMON, ...CLUSTER, role: { type: "string" } },
  history: {
    ...COMMON,
    limit: { type: "string", short: "n" },
    action: { type: "string" },
    outcome: { type: "string" },
    device: { type: "string" },
    user: { type: "string" },
    trigger: { type: "string" },
    actor: { type: "string" },
    ...CLUSTER
  },
  check: { ...COMMON, ...CLUSTER },
  clusters: COMMON
};
function isCommand(name) {
  return Object.hasOwn(COMMANDS, name);
}
function parse(command, args) {
  try {
    const { values, positionals } = parseArgs({ args, options: COMMANDS[command], allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
function deviceNames(positionals, deviceNameProblem) {
  if (positionals.length === 0)
    throw new UsageError("give at least one device name");
  const problem = positionals.map(deviceNameProblem).find((p) => p !== void 0);
  if (problem !== void 0)
    throw new UsageError(problem);
  return positionals;
}
function osUser() {
  try {
    return userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? "unknown"}`;
  }
}
async function confirmLogoutAll(config, stdin, io, yes) {
  if (yes)
    return void 0;
  if (stdin.isTTY !== true) {
    io.err("Refusing to log everyone out: stdin is not a terminal, so there is nobody to confirm. Add --yes to run logout-all from a script or the OS scheduler.");
    return EXIT.config;
  }
  const where = config.CUCM_HOST === void 0 ? "the built-in CUCM simulator (demo mode)" : `CUCM ${config.CUCM_HOST}`;
  const { createInterface } = await import("node:readline/promises");
  const prompt = createInterface({ input: stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`This logs out EVERY Extension Mobility user on ${where}. Type "yes" to continue: `);
    if (answer.trim().toLowerCase() === "yes")
      return void 0;
  } finally {
    prompt.close();
  }
  io.err("Cancelled: nothing was sent.");
  return EXIT.failed;
}
async function configFailure(io, json, command, error) {
  if (json) {
    io.out(JSON.stringify({ command, ok: false, exitCode: EXIT.config, errorCode: "CONFIG", key: error.key, message: error.message }, null, 2));
  } else if (command === "check") {
    const { printChecks } = await import("./check-ZA3TXLIK.js");
    printChecks(io, [{ name: "configuration", label: "configuration", ok: false, message: error.message, fix: `Fix ${error.key} in .env or the environment (.env-sample documents every setting).` }]);
  } else {
    io.err(`${error.message}. Fix ${error.key} in .env or the environment (.env-sample documents every setting).`);
  }
  return EXIT.config;
}
async function main(argv, { env, stdin, io }) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "help" || name === "--help" || name === "-h") {
    io.out(USAGE);
    return name === void 0 ? EXIT.config : EXIT.ok;
  }
  if (name === "--version" || name === "version") {
    io.out(VERSION);
    return EXIT.ok;
  }
  if (!isCommand(name)) {
    io.err(`Unknown command "${name.slice(0, 40)}".

${USAGE}`);
    return EXIT.config;
  }
  let parsed;
  try {
    parsed = parse(name, rest);
  } catch (error) {
    return usageFailure(io, name, error);
  }
  if (parsed.values.help === true) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const caller = { actor: osUser(), trigger: "cli" };
  const accountCommand = name === "user" && ["add", "passwd", "disable", "enable", "list"].includes(positionals[0] ?? "");
  let target = {};
  const { deviceNameProblem, userIdProblem } = await import("./emapi-QFVZAQ6O.js");
  const bySessions = name === "sessions" || name === "logout" && (values["older-than"] !== void 0 || values.pool !== void 0);
  try {
    if ((["logout-all", "check", "history", "clusters", "sessions"].includes(name) || bySessions) && positionals.length > 0) {
      throw new UsageError(`${bySessions && name === "logout" ? "logout --older-than/--pool" : name} takes no arguments (got "${positionals[0]?.slice(0, 40) ?? ""}")`);
    }
    if (typeof values.cluster === "string") {
      const all = name === "logout-all" && values.cluster === "all";
      const { CLUSTER_ID, fieldProblem } = await import("./field-rules-XVTSXQHU.js");
      const problem = all ? void 0 : fieldProblem(CLUSTER_ID, values.cluster);
      if (problem !== void 0)
        throw new UsageError(`--cluster takes a cluster id${name === "logout-all" ? ' or "all"' : ""}: ${problem}`);
    }
    if (bySessions) {
      const { sessionFilters } = await import("./sessions-6I4K5CIN.js");
      target = { sessions: sessionFilters(values, Array.isArray(values.pool) ? values.pool : []) };
    } else if (name === "status" || name === "logout") {
      target = { devices: deviceNames(positionals, deviceNameProblem) };
    }
    if (name === "user" && !accountCommand) {
      const lookup = positionals[0] === "show" ? positionals.slice(1) : positionals;
      const userId = lookup[0];
      if (lookup.length !== 1 || userId === void 0)
        throw new UsageError("give exactly one user ID");
      const problem = userIdProblem(userId);
      if (problem !== void 0)
        throw new UsageError(problem);
      target = { userId };
    }
  } catch (error) {
    return usageFailure(io, name, error);
  }
  let config;
  try {
    config = loadConfig(readEnvironment(env));
  } catch (error) {
    if (error instanceof ConfigError)
      return await configFailure(io, json, name, error);
    throw error;
  }
  if (accountCommand) {
    const { accounts, accountArgsOf } = await import("./accounts-3LNROQVN.js");
    let args;
    try {
      args = accountArgsOf(positionals[0], positionals.slice(1), values);
    } catch (error) {
      return usageFailure(io, name, error);
    }
    return await accounts(config, { ...args, json }, caller, stdin, io);
  }
  if (name === "history") {
    const { history, historyArgs } = await import("./history-WTFVT52Q.js");
    let args;
    try {
      args = historyArgs(values);
    } catch (error) {
      return usageFailure(io, name, error);
    }
    return await history(config, { json, io }, args.filter, args.limit);
  }
  if (name === "logout-all") {
    const refused = await confirmLogoutAll(config, stdin, io, values.yes === true);
    if (refused !== void 0)
      return refused;
  }
  const { startRuntime } = await import("./runtime-V5B2MAUM.js");
  let runtime;
  try {
    runtime = await startRuntime(config, { role: "cli", parts: "em", axl: target.sessions !== void 0, log: stderrLog(io) });
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return await configFailure(io, json, name, new ConfigError(config.CUCM_CA_FILE === void 0 ? "DATABASE_PATH" : "CUCM_CA_FILE", problem));
  }
  try {
    if (name === "check") {
      const { printChecks, runChecks } = await import("./check-ZA3TXLIK.js");
      let checked;
      try {
        checked = await runChecks(runtime, typeof values.cluster === "string" ? values.cluster : void 0);
      } catch (error) {
        if (!(error instanceof ServiceError))
          throw error;
        io.err(`em-console check: ${error.message}
Run "em-console clusters" to list them.`);
        return EXIT.config;
      }
      const { steps, exitCode, cluster, target: target2 } = checked;
      if (json)
        io.out(JSON.stringify({ command: "check", ok: exitCode === EXIT.ok, exitCode, mode: runtime.mode, cluster, target: target2, checks: steps }, null, 2));
      else
        printChecks(io, steps);
      return exitCode;
    }
    if (name === "clusters")
      return await (await import("./clusters-HPNQ34OB.js")).clusters(runtime, json, io);
    const ctx = { runtime, caller, json, io, cluster: typeof values.cluster === "string" ? values.cluster : void 0 };
    if (target.sessions !== void 0) {
      const bySelection = await import("./sessions-6I4K5CIN.js");
      return name === "sessions" ? await bySelection.sessions(ctx, target.sessions) : await bySelection.logoutSessions(ctx, target.sessions, stdin, values.yes === true);
    }
    const commands = await import("./commands-IHNMVXU6.js");
    switch (name) {
      case "logout-all":
        return await commands.logoutAll(ctx);
      case "status":
        return await commands.status(ctx, target.devices ?? []);
      case "logout":
        return await commands.logout(ctx, target.devices ?? []);
      default:
        return await commands.user(ctx, target.userId ?? "");
    }
  } finally {
    await runtime.close();
  }
}
function usageFailure(io, command, error) {
  if (!(error instanceof UsageError))
    throw error;
  io.err(`em-console ${command}: ${error.message}
Run "em-console help" for usage.`);
  return EXIT.config;
}
function stderrLog(io) {
  return {
    info() {
    },
    warn(_context, message) {
      io.err(`Note: ${message}`);
    },
    error(_context, message) {
      io.err(`Error: ${message}`);
    }
  };
}

// dist/cli.js
setFlagsFromString("--liftoff-only");
try {
  process.exitCode = await main(process.argv.slice(2), { env: process.env, stdin: process.stdin, io: processIo });
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
setTimeout(() => process.exit(), 5e3).unref();
