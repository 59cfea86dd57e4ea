import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// ../shared/dist/field-rules.js
var CONTROL = /[\u0000-\u001f\u007f]/;
var DEVICE_NAME = {
  label: "Device name",
  allowed: "letters, digits, dot, dash and underscore; up to 50 characters",
  maxLength: 50,
  characters: /[A-Za-z0-9._-]/
};
var USER_ID = {
  label: "User ID",
  allowed: "up to 128 characters, without control characters",
  maxLength: 128
};
var PROFILE_NAME = {
  label: "Device profile",
  allowed: "up to 50 characters, without control characters",
  maxLength: 50
};
var NAME_WORDS = "letters, digits, space, dot, dash and underscore, starting with a letter or digit; up to 64 characters";
var SCHEDULE_NAME = {
  label: "Name",
  allowed: NAME_WORDS,
  maxLength: 64,
  characters: /[A-Za-z0-9 ._-]/,
  first: /[A-Za-z0-9]/
};
var LIST_NAME = { ...SCHEDULE_NAME, label: "List name" };
var ACCOUNT_NAME = {
  label: "User name",
  allowed: "letters, digits, dot, dash, underscore and @; up to 64 characters",
  maxLength: 64,
  characters: /[A-Za-z0-9._@-]/
};
var PASSWORD = { label: "Password", allowed: "up to 256 characters", maxLength: 256 };
var CLUSTER_ID = {
  label: "Id",
  allowed: "letters, digits and dash, starting with a letter or digit; up to 40 characters",
  maxLength: 40,
  characters: /[A-Za-z0-9-]/,
  first: /[A-Za-z0-9]/
};
var CLUSTER_NAME = { label: "Name", allowed: "up to 64 characters, without control characters", maxLength: 64 };
var HOST = {
  label: "Host",
  allowed: "a host name or IP address: letters, digits, dot, dash and colon; up to 253 characters",
  maxLength: 253,
  characters: /[A-Za-z0-9.:-]/
};
var APP_USER = { label: "Application user", allowed: "up to 128 characters, without control characters", maxLength: 128 };
var CRON = { label: "Cron expression", allowed: "five fields (minute hour day month weekday), up to 120 characters", maxLength: 120 };
var TIMEZONE = { label: "Time zone", allowed: "an IANA name such as Europe/Paris, up to 64 characters", maxLength: 64 };
var DEVICE_FILTER = { label: "Device", allowed: "up to 100 characters", maxLength: 100 };
var USER_FILTER = { label: "User", allowed: "up to 128 characters", maxLength: 128 };
var SEARCH = { label: "Search", allowed: "up to 200 characters", maxLength: 200 };
function patternOf(rule) {
  if (rule.characters === void 0)
    return "^[^\\u0000-\\u001f\\u007f]+$";
  return rule.first === void 0 ? `^${rule.characters.source}+$` : `^${rule.first.source}${rule.characters.source}*$`;
}
function shortProblem(rule, value) {
  const length = [...value].length;
  if (length > rule.maxLength)
    return `${length} characters, ${length - rule.maxLength} too many`;
  const control = CONTROL.exec(value);
  if (control !== null)
    return "a control character (such as a tab) is not allowed";
  if (rule.first !== void 0 && value !== "" && !rule.first.test(value[0] ?? ""))
    return `it starts with "${value[0] ?? ""}"`;
  if (rule.characters !== void 0) {
    for (const character of value) {
      if (!rule.characters.test(character))
        return `"${character}" is not allowed`;
    }
  }
  return void 0;
}
function problemSentence(rule, value) {
  const problem = shortProblem(rule, value);
  if (problem === void 0)
    return void 0;
  return /^\d/.test(problem) ? `This one has ${problem}.` : `${problem.replace(/^./, (c) => c.toUpperCase())}.`;
}
function fieldProblem(rule, value) {
  const sentence = problemSentence(rule, value);
  return sentence === void 0 ? void 0 : `${rule.label}: ${rule.allowed}. ${sentence}`;
}
function ruleOfApiField(where, field) {
  const parts = field.split(".").filter((part) => !/^\d+$/.test(part));
  const last = parts.at(-1) ?? field;
  if (where === "params")
    return last === "name" ? DEVICE_NAME : last === "userId" ? USER_ID : void 0;
  if (where === "querystring") {
    return { cron: CRON, timezone: TIMEZONE, device: DEVICE_FILTER, user: USER_FILTER, actor: USER_FILTER, q: SEARCH, list: LIST_NAME }[last];
  }
  if (last === "name" && parts.includes("deviceLists"))
    return LIST_NAME;
  return {
    name: SCHEDULE_NAME,
    list: LIST_NAME,
    names: DEVICE_NAME,
    devices: DEVICE_NAME,
    device: DEVICE_NAME,
    userId: USER_ID,
    user: USER_ID,
    users: USER_ID,
    deviceProfile: PROFILE_NAME,
    profile: PROFILE_NAME,
    username: ACCOUNT_NAME,
    password: PASSWORD,
    currentPassword: { ...PASSWORD, label: "Current password" },
    newPassword: { ...PASSWORD, label: "New password" },
    id: CLUSTER_ID,
    host: HOST,
    axlHost: HOST,
    appUser: APP_USER,
    axlUser: APP_USER,
    cron: CRON,
    timezone: TIMEZONE
  }[last];
}

export {
  DEVICE_NAME,
  USER_ID,
  PROFILE_NAME,
  SCHEDULE_NAME,
  LIST_NAME,
  ACCOUNT_NAME,
  PASSWORD,
  CLUSTER_ID,
  CLUSTER_NAME,
  HOST,
  APP_USER,
  CRON,
  TIMEZONE,
  DEVICE_FILTER,
  USER_FILTER,
  SEARCH,
  patternOf,
  shortProblem,
  problemSentence,
  fieldProblem,
  ruleOfApiField
};
