import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  DEVICE_NAME,
  USER_ID,
  patternOf
} from "./chunk-PXX6FF7Y.js";

// ../shared/dist/emapi/catalogue.js
var CHECK_CUCM = "Check the Extension Mobility service and its trace files on CUCM, then try again.";
var EMCC = "Extension Mobility Cross Cluster is not supported by EMAPI: handle this login on the phone or in CUCM Administration.";
var RAISE_BUG = "This is a bug in EM Console: keep the audit record (it holds the request sent) and report it.";
var APP_USER_CREDENTIALS = "Check CUCM_APP_USER and CUCM_APP_PASSWORD: they must be the user ID and password of the CUCM application user.";
var entries = {
  0: ["cucm-side", "Unknown error", CHECK_CUCM],
  1: ["bug", "CUCM could not parse the request", RAISE_BUG],
  2: ["configuration", "CUCM could not authorize the application user (blank user ID or password)", APP_USER_CREDENTIALS],
  3: ["configuration", "Invalid application user: wrong user ID or password", APP_USER_CREDENTIALS],
  4: ["cucm-side", "Policy validation error", CHECK_CUCM],
  5: ["cucm-side", "Device logon is disabled", "Enable Extension Mobility on the phone (Device > Phone > Enable Extension Mobility) in CUCM Administration."],
  6: ["cucm-side", "Database error on the CUCM side", "Try again later; if it persists, check the CUCM database replication status."],
  7: ["cucm-side", "Could not set or clear the auto-logout duration", CHECK_CUCM],
  8: ["bug", "CUCM could not determine the query type", RAISE_BUG],
  9: ["cucm-side", "Directory user information error", "Check that the user exists and is synchronised in CUCM (User Management > End User)."],
  10: ["configuration", "The application user lacks the rights to act for other users", 'Add the CUCM application user to the group "Standard EM Authentication Proxy Rights" (User Management > Application User).'],
  11: ["not-found", "Device does not exist", "Check the device name (for example SEP followed by 12 hex digits)."],
  12: ["not-found", "Device profile not found or not associated with the user", "Pick one of the user's device profiles, or associate the profile with the user in CUCM."],
  18: ["conflict", "Another user is logged in on that device", "Log the current user out first, or use force to replace them."],
  19: ["already-done", "No user is logged in on that device", "Nothing to do: the device is already logged out."],
  20: ["cucm-side", "Could not look up whether Extension Mobility is enabled on the device", CHECK_CUCM],
  21: ["cucm-side", "Could not look up the login status of the device", CHECK_CUCM],
  22: ["cucm-side", "Extension Mobility is not enabled on the device", "Enable Extension Mobility on the phone in CUCM Administration (Device > Phone)."],
  23: ["not-found", "User does not exist", "Check the user ID; CUCM compares it case-insensitively."],
  25: ["conflict", "The user is logged in on another device and multiple logins are not allowed", 'Log the user out of the other device first, or change the "Multiple Login Behavior" service parameter.'],
  26: ["busy", "CUCM is busy: the maximum number of concurrent login/logout requests is in progress", "Try again shortly; lower EMAPI_MAX_CONCURRENCY if this happens often."],
  27: ["configuration", "The application user must change its password", "Change the application user password in CUCM and update CUCM_APP_PASSWORD."],
  28: ["configuration", "Request came from an IP address that CUCM does not trust", `Add this server's IP address to the "Trusted List of IPs" service parameter, or turn off "Validate IP Address".`],
  29: ["cucm-side", "The RIS Data Collector is down", "Check the Cisco RIS Data Collector service on CUCM, then try again later."],
  30: ["configuration", "Request came through an HTTP proxy and proxies are not allowed", 'Connect to CUCM without a proxy, or set the "Allow Proxy" service parameter to True.']
};
function lookup(code) {
  const entry = entries[code];
  if (entry !== void 0)
    return entry;
  if (code >= 31 && code <= 47)
    return ["cucm-side", `Extension Mobility Cross Cluster error ${code}`, EMCC];
  return ["cucm-side", `Undocumented EMAPI error ${code}`, CHECK_CUCM];
}
function describeEmapiCode(code) {
  const [category, message, action] = lookup(code);
  return { code, message, category, action };
}
var EMAPI_CODES = Array.from({ length: 48 }, (_, code) => describeEmapiCode(code));

// ../shared/dist/emapi/errors.js
var EMAPI_ERROR_CODES = ["EMAPI_UNREACHABLE", "EMAPI_TLS", "EMAPI_TIMEOUT", "EMAPI_HTTP_STATUS", "EMAPI_BAD_XML", "EMAPI_TOO_LARGE", "EMAPI_FAILURE"];
var EmapiError = class extends Error {
  code;
  /** The body CUCM answered, when it answered (kept for the audit trail). */
  responseBody;
  /** The HTTP status CUCM answered with, when it answered. */
  httpStatus;
  /** The request document with the password masked, set by the client that sent it. */
  requestXml;
  /** false when the request surely never reached CUCM (e.g. no connection); otherwise it may have. */
  requestSent;
  constructor(code, message, options) {
    super(message, options?.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "EmapiError";
    this.code = code;
    this.responseBody = options?.responseBody;
    this.httpStatus = void 0;
    this.requestXml = void 0;
    this.requestSent = void 0;
  }
};
var EmapiFailureError = class extends EmapiError {
  emapiCode;
  info;
  /** CUCM's own text, which varies between releases. */
  cucmText;
  constructor(emapiCode, cucmText, responseBody) {
    const info = describeEmapiCode(emapiCode);
    super("EMAPI_FAILURE", `EMAPI error ${emapiCode}: ${info.message}`, responseBody === void 0 ? void 0 : { responseBody });
    this.name = "EmapiFailureError";
    this.emapiCode = emapiCode;
    this.info = info;
    this.cucmText = cucmText;
  }
};
function isEmapiFailure(error, code) {
  return error instanceof EmapiFailureError && (code === void 0 || error.emapiCode === code);
}

// ../shared/dist/emapi/names.js
var DEVICE_NAME_RULE = {
  pattern: patternOf(DEVICE_NAME),
  maxLength: DEVICE_NAME.maxLength,
  words: DEVICE_NAME.allowed
};
var USER_ID_RULE = {
  pattern: patternOf(USER_ID),
  maxLength: USER_ID.maxLength,
  words: USER_ID.allowed
};
var DEVICE_NAME2 = new RegExp(DEVICE_NAME_RULE.pattern);
var USER_ID2 = new RegExp(USER_ID_RULE.pattern);
function quoted(text) {
  return `"${text.length > 60 ? `${text.slice(0, 60)}\u2026` : text}"`;
}
function deviceNameProblem(name) {
  if (name.length === 0)
    return "a device name is empty";
  if (name.length > DEVICE_NAME_RULE.maxLength)
    return `${quoted(name)} is ${name.length} characters long; a device name has at most ${DEVICE_NAME_RULE.maxLength}`;
  if (!DEVICE_NAME2.test(name))
    return `${quoted(name)} is not a device name (${DEVICE_NAME_RULE.words})`;
  return void 0;
}
function userIdProblem(userId) {
  if (userId.length === 0)
    return "the user ID is empty";
  if (userId.length > USER_ID_RULE.maxLength)
    return `the user ID is ${userId.length} characters long; at most ${USER_ID_RULE.maxLength} are allowed`;
  if (!USER_ID2.test(userId))
    return "the user ID contains control characters (such as a line break or a tab)";
  return void 0;
}

export {
  describeEmapiCode,
  EMAPI_CODES,
  EMAPI_ERROR_CODES,
  EmapiError,
  EmapiFailureError,
  isEmapiFailure,
  DEVICE_NAME_RULE,
  USER_ID_RULE,
  deviceNameProblem,
  userIdProblem
};
