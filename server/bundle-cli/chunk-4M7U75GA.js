import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  EmapiError,
  EmapiFailureError
} from "./chunk-UZD3F5PP.js";
import {
  XMLParser,
  XMLValidator
} from "./chunk-GT63VX7W.js";

// ../shared/dist/emapi/escape.js
var XML_ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;"
};
function escapeXml(value) {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}
function encodeUserIdLikeJava(userId) {
  return encodeURIComponent(userId).replace(/[!'()~]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%20/g, "+");
}
function decodeUserId(raw) {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}
function maskPassword(xml) {
  return xml.replace(/<appCertificate>[^<]*<\/appCertificate>/g, "<appCertificate>********</appCertificate>");
}

// ../shared/dist/emapi/build.js
function element(name, value) {
  return `<${name}>${escapeXml(value)}</${name}>`;
}
function appInfo({ appUser, appPassword }) {
  return `<appInfo>${element("appID", appUser)}${element("appCertificate", appPassword)}</appInfo>`;
}
function request(credentials, body) {
  return `<request>${appInfo(credentials)}${body}</request>`;
}
function query(credentials, body) {
  return `<query>${appInfo(credentials)}${body}</query>`;
}
function buildLogin(credentials, login) {
  let body = element("deviceName", login.deviceName) + element("userID", login.userId);
  if (login.deviceProfile !== void 0 && login.deviceProfile !== "") {
    body += element("deviceProfile", login.deviceProfile);
  }
  const duration = login.exclusiveDuration;
  if (duration !== void 0) {
    const inner = duration === "indefinite" ? "<indefinite/>" : element("time", String(Math.trunc(duration.minutes)));
    body += `<exclusiveDuration>${inner}</exclusiveDuration>`;
  }
  return request(credentials, `<login>${body}</login>`);
}
function buildLogout(credentials, deviceName) {
  return request(credentials, `<logout>${element("deviceName", deviceName)}</logout>`);
}
function buildLogoutAll(credentials) {
  return request(credentials, "<logoutAll></logoutAll>");
}
function buildDeviceUserQuery(credentials, deviceNames) {
  return query(credentials, `<deviceUserQuery>${deviceNames.map((n) => element("deviceName", n)).join("")}</deviceUserQuery>`);
}
function buildUserDevicesQuery(credentials, userIds) {
  return query(credentials, `<userDevicesQuery>${userIds.map((u) => element("userID", u)).join("")}</userDevicesQuery>`);
}
function buildDeviceProfileQuery(credentials, userIds) {
  return query(credentials, `<deviceProfileQuery>${userIds.map((u) => element("userID", u)).join("")}</deviceProfileQuery>`);
}
function toFormBody(xml) {
  return new URLSearchParams({ xml }).toString();
}

// ../shared/dist/emapi/parse.js
var ALWAYS_ARRAYS = /* @__PURE__ */ new Set(["device", "user", "deviceName", "deviceProfile", "userID"]);
var MAX_DEPTH = 32;
var DOCTYPE = /<!(?:DOCTYPE|ENTITY)/i;
var parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // htmlEntities would decode numeric references too, but makes every parse four times slower;
  // decodeNumericReferences() does that part before parsing.
  htmlEntities: false,
  // EMAPI answers are five elements deep at most (response/deviceProfileResults/user/deviceProfile/
  // deviceProfileName); past this bound the parser stops instead of recursing through the document.
  maxNestedTags: MAX_DEPTH,
  isArray: (name) => ALWAYS_ARRAYS.has(name)
});
var NUMERIC_REFERENCE = /&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g;
var MARKUP_REFERENCES = { 38: "&amp;", 60: "&lt;", 62: "&gt;", 34: "&quot;", 39: "&apos;" };
function isXmlChar(code) {
  return code === 9 || code === 10 || code === 13 || code >= 32 && code <= 55295 || code >= 57344 && code <= 65533 || code >= 65536 && code <= 1114111;
}
function decodeNumericReferences(xml) {
  if (!xml.includes("&#"))
    return xml;
  return xml.replace(NUMERIC_REFERENCE, (reference, hex, decimal) => {
    const code = hex === void 0 ? Number(decimal) : Number.parseInt(hex, 16);
    return MARKUP_REFERENCES[code] ?? (isXmlChar(code) ? String.fromCodePoint(code) : reference);
  });
}
function isNode(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function textOf(value) {
  if (typeof value === "string")
    return value;
  if (isNode(value) && typeof value["#text"] === "string")
    return value["#text"];
  return "";
}
function badXml(reason, body) {
  const short = reason.length > 200 ? `${reason.slice(0, 200)}\u2026` : reason;
  return new EmapiError("EMAPI_BAD_XML", `CUCM answered with a document EM Console cannot read: ${short}`, { responseBody: body });
}
function parseXml(body) {
  if (body.trim() === "")
    throw badXml("the body is empty", body);
  if (DOCTYPE.test(body))
    throw badXml("it declares a DOCTYPE or an ENTITY, which an EMAPI answer never does", body);
  try {
    const valid = XMLValidator.validate(body);
    if (valid !== true)
      throw badXml(`${valid.err.msg} (line ${valid.err.line})`, body);
    return parser.parse(decodeNumericReferences(body));
  } catch (error) {
    if (error instanceof EmapiError)
      throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw badXml(/nested/i.test(reason) ? `elements are nested more than ${MAX_DEPTH} deep` : reason, body);
  }
}
function parseResponse(body) {
  const doc = parseXml(body);
  const response = isNode(doc) ? doc.response : void 0;
  if (response === void 0)
    throw badXml("the root element is not <response>", body);
  const node = isNode(response) ? response : {};
  if ("failure" in node)
    throw failureFrom(node.failure, body);
  return node;
}
function failureFrom(failure, body) {
  const node = isNode(failure) ? failure : {};
  const error = Array.isArray(node.error) ? node.error[0] : node.error;
  if (error !== void 0) {
    const code = isNode(error) ? String(error["@_code"] ?? "").trim() : "";
    return new EmapiFailureError(/^\d+$/.test(code) ? Number(code) : 0, textOf(error), body);
  }
  return new EmapiFailureError(0, textOf(node.errorMessage), body);
}
function resultsOf(node, name, body) {
  const results = node[name];
  if (results === void 0)
    throw badXml(`expected <${name}>`, body);
  const item = name === "deviceUserResults" ? "device" : "user";
  const list = isNode(results) ? results[item] : void 0;
  return Array.isArray(list) ? list.filter(isNode) : [];
}
function matchAsked(asked, items, missing) {
  return asked.map((name) => items.get(name.toLowerCase()) ?? missing(name));
}
function parseActionResponse(body) {
  const node = parseResponse(body);
  if (!("success" in node))
    throw badXml("expected <success/> or <failure>", body);
}
function parseDeviceUserResponse(body, asked) {
  const byName = /* @__PURE__ */ new Map();
  for (const device of resultsOf(parseResponse(body), "deviceUserResults", body)) {
    const deviceName = String(device["@_name"] ?? "");
    const current = device.userID?.map(textOf).find((u) => u !== "");
    const last = textOf(device.lastlogin);
    const emcc = device.emccDevice === void 0 ? null : textOf(device.emccDevice).toLowerCase() === "yes";
    byName.set(deviceName.toLowerCase(), {
      deviceName,
      exists: !("doesNotExist" in device),
      currentUser: current === void 0 ? null : decodeUserId(current),
      lastUser: last === "" ? null : decodeUserId(last),
      emcc
    });
  }
  return matchAsked(asked, byName, (deviceName) => ({ deviceName, exists: false, currentUser: null, lastUser: null, emcc: null }));
}
function indexUsers(users, read) {
  const byId = /* @__PURE__ */ new Map();
  for (const user of users) {
    const raw = String(user["@_id"] ?? "");
    const result = read(user, decodeUserId(raw));
    byId.set(raw.toLowerCase(), result);
    byId.set(decodeUserId(raw).toLowerCase(), result);
  }
  return byId;
}
function parseUserDevicesResponse(body, asked) {
  const users = resultsOf(parseResponse(body), "userDevicesResults", body);
  const byId = indexUsers(users, (user, userId) => ({
    userId,
    exists: !("doesNotExist" in user),
    devices: (user.deviceName ?? []).map(textOf).filter((d) => d !== "")
  }));
  return matchAsked(asked, byId, (userId) => ({ userId, exists: false, devices: [] }));
}
function parseDeviceProfileResponse(body, asked) {
  const users = resultsOf(parseResponse(body), "deviceProfileResults", body);
  const byId = indexUsers(users, (user, userId) => ({
    userId,
    exists: !("doesNotExist" in user),
    profiles: (user.deviceProfile ?? []).filter(isNode).map(toProfile)
  }));
  return matchAsked(asked, byId, (userId) => ({ userId, exists: false, profiles: [] }));
}
function toProfile(profile) {
  const flag = textOf(profile.isDefaultDeviceProfile).toLowerCase();
  return { name: textOf(profile.deviceProfileName), isDefault: flag === "t" || flag === "true" };
}

export {
  escapeXml,
  encodeUserIdLikeJava,
  decodeUserId,
  maskPassword,
  buildLogin,
  buildLogout,
  buildLogoutAll,
  buildDeviceUserQuery,
  buildUserDevicesQuery,
  buildDeviceProfileQuery,
  toFormBody,
  parseActionResponse,
  parseDeviceUserResponse,
  parseUserDevicesResponse,
  parseDeviceProfileResponse
};
