import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  XMLParser,
  XMLValidator
} from "./chunk-GT63VX7W.js";

// ../shared/dist/axl/build.js
var AXL_VERSIONS = ["15.0", "14.0", "12.5", "12.0", "11.5", "11.0", "10.5"];
var DEFAULT_AXL_VERSION = "14.0";
var VERSION = /^\d{1,2}\.\d$/;
function isAxlVersion(version) {
  return VERSION.test(version);
}
function checkVersion(version) {
  if (!isAxlVersion(version))
    throw new TypeError(`Invalid AXL version "${version}": expected a release like 14.0`);
  return version;
}
function axlNamespace(version) {
  return `http://www.cisco.com/AXL/API/${checkVersion(version)}`;
}
function axlSoapAction(version, operation = "executeSQLQuery") {
  return `"CUCM:DB ver=${checkVersion(version)} ${operation}"`;
}
function cdata(text) {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}
function buildExecuteSqlQuery(sql, version) {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="${axlNamespace(version)}"><soapenv:Header/><soapenv:Body><ns:executeSQLQuery><sql>${cdata(sql)}</sql></ns:executeSQLQuery></soapenv:Body></soapenv:Envelope>`;
}

// ../shared/dist/axl/errors.js
var AXL_ERROR_ACTIONS = {
  AXL_UNREACHABLE: 'Check CUCM_AXL_HOST and CUCM_AXL_PORT (the publisher of the cluster, port 8443) and that the "Cisco AXL Web Service" is activated on it (Cisco Unified Serviceability > Tools > Service Activation).',
  AXL_TLS: "Export the Tomcat certificate (or its CA) of the publisher from CUCM OS Administration > Security > Certificate Management and point CUCM_CA_FILE at the PEM file; the host name must be one the certificate lists.",
  AXL_TIMEOUT: "CUCM did not answer in time: check the load of the publisher and the network path to it, then try again.",
  AXL_AUTH: "Check CUCM_AXL_USER and CUCM_AXL_PASSWORD: the user ID and password of a CUCM application user with AXL access.",
  AXL_FORBIDDEN: 'Put the AXL application user in an access control group that has the roles "Standard AXL API Users" and "Standard AXL Read Only API Access" (CUCM Administration > User Management > User Settings > Access Control Group).',
  AXL_VERSION: "CUCM accepts none of the AXL versions EM Console tried: set CUCM_AXL_VERSION to the release of the cluster (for example 14.0 or 12.5).",
  AXL_THROTTLED: "CUCM is throttling AXL requests (HTTP 503): try again in a few minutes, and avoid running other AXL tools against the publisher at the same time.",
  AXL_TOO_LARGE: "CUCM refused the answer as too large even for the smallest page: report this to the EM Console maintainers with the message.",
  AXL_FAULT: "CUCM refused the query; the message says why. If it names a column or a table, the database schema of this CUCM release differs from what EM Console expects: report it with the message.",
  AXL_BAD_XML: "CUCM answered with something that is not an AXL answer: check that CUCM_AXL_HOST and CUCM_AXL_PORT point at the publisher and that no proxy rewrites the answer."
};
var AXL_ERROR_CODES = Object.keys(AXL_ERROR_ACTIONS);
var AxlError = class extends Error {
  code;
  /** What the admin should do, for people. */
  action;
  httpStatus;
  fault;
  totalRows;
  suggestedRows;
  triedVersions;
  /** The SQL that was sent (it holds only numbers EM Console computed, never a secret). */
  sql;
  constructor(code, message, details = {}) {
    super(message, details.cause === void 0 ? void 0 : { cause: details.cause });
    this.name = "AxlError";
    this.code = code;
    this.action = AXL_ERROR_ACTIONS[code];
    this.httpStatus = details.httpStatus;
    this.fault = details.fault;
    this.totalRows = details.totalRows;
    this.suggestedRows = details.suggestedRows;
    this.triedVersions = details.triedVersions;
    this.sql = void 0;
  }
};
function isAxlError(error, code) {
  return error instanceof AxlError && (code === void 0 || error.code === code);
}

// ../shared/dist/axl/parse.js
var ROW_PATH = "Envelope.Body.executeSQLQueryResponse.return.row";
var MAX_DEPTH = 16;
var NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
var REFERENCE = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
function isXmlChar(code) {
  return code === 9 || code === 10 || code === 13 || code >= 32 && code <= 55295 || code >= 57344 && code <= 65533 || code >= 65536 && code <= 1114111;
}
function decodeEntities(text) {
  if (!text.includes("&"))
    return text;
  return text.replace(REFERENCE, (reference, hex, decimal, name) => {
    if (name !== void 0)
      return NAMED[name] ?? reference;
    const code = hex === void 0 ? Number(decimal) : Number.parseInt(hex, 16);
    return isXmlChar(code) ? String.fromCodePoint(code) : reference;
  });
}
var parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  entityDecoder: {
    decode: decodeEntities,
    setExternalEntities: () => {
    },
    addInputEntities: () => {
    },
    reset: () => {
    },
    setXmlVersion: () => {
    }
  },
  maxNestedTags: MAX_DEPTH,
  isArray: (_name, path) => path === ROW_PATH
});
function isNode(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function leafText(value) {
  if (typeof value === "string")
    return value;
  if (isNode(value) && Object.keys(value).every((k) => k === "#text"))
    return typeof value["#text"] === "string" ? value["#text"] : "";
  return void 0;
}
function badXml(reason) {
  return new AxlError("AXL_BAD_XML", `CUCM answered with a document EM Console cannot read as AXL: ${reason}.`);
}
function readBody(xml) {
  const text = xml.charCodeAt(0) === 65279 ? xml.slice(1) : xml;
  if (text.trim() === "")
    throw badXml("the body is empty");
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw badXml("it declares a DOCTYPE or entities, which AXL never does");
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw badXml(`${valid.err.msg} (line ${valid.err.line})`);
  let doc;
  try {
    doc = parser.parse(text);
  } catch (error) {
    throw badXml(error instanceof Error ? error.message : String(error));
  }
  const envelope = isNode(doc) ? doc.Envelope : void 0;
  if (!isNode(envelope))
    throw badXml("the root element is not a SOAP Envelope");
  const body = envelope.Body;
  if (isNode(body))
    return body;
  if (leafText(body)?.trim() === "")
    return {};
  throw badXml("the Envelope has no Body");
}
function faultFrom(node) {
  const fault = isNode(node) ? node : {};
  const detail = isNode(fault.detail) ? fault.detail : {};
  const axlError = isNode(detail.axlError) ? detail.axlError : {};
  const code = (leafText(axlError.axlcode) ?? "").trim();
  return {
    faultCode: (leafText(fault.faultcode) ?? "").trim(),
    faultString: (leafText(fault.faultstring) ?? "").trim(),
    axlCode: /^-?\d+$/.test(code) ? Number(code) : null,
    axlMessage: (leafText(axlError.axlmessage) ?? "").trim()
  };
}
var TOO_LARGE = /query\s+request\s+too\s+large/i;
var TOTAL_ROWS = /total\s+rows\s+matched\s*:?\s*(\d[\d,]*)/i;
var SUGGESTED_ROWS = /(?:suggestive|suggested)\s+row\s+fetch\s*:?\s*(?:less\s+than\s*)?(\d[\d,]*)/i;
function count(pattern, text) {
  const digits = pattern.exec(text)?.[1]?.replaceAll(",", "");
  return digits === void 0 ? void 0 : Number(digits);
}
function parseTooLarge(text) {
  if (!TOO_LARGE.test(text))
    return void 0;
  return { totalRows: count(TOTAL_ROWS, text), suggestedRows: count(SUGGESTED_ROWS, text) };
}
function faultError(fault, httpStatus) {
  const message = fault.axlMessage !== "" ? fault.axlMessage : fault.faultString;
  const tooLarge = parseTooLarge(fault.faultString) ?? parseTooLarge(fault.axlMessage);
  if (tooLarge !== void 0) {
    return new AxlError("AXL_TOO_LARGE", `CUCM refused the answer as too large: ${message}`, { fault, httpStatus, ...tooLarge });
  }
  const code = fault.axlCode === null ? "" : ` (AXL code ${fault.axlCode})`;
  return new AxlError("AXL_FAULT", `CUCM refused the request${code}: ${message === "" ? "no message" : message}`, { fault, httpStatus });
}
function parseFault(xml) {
  try {
    const body = readBody(xml);
    return "Fault" in body ? faultFrom(body.Fault) : void 0;
  } catch {
    return void 0;
  }
}
function parseSqlQueryResponse(xml, columns) {
  const body = readBody(xml);
  if ("Fault" in body)
    throw faultError(faultFrom(body.Fault));
  const response = body.executeSQLQueryResponse;
  if (response === void 0)
    throw badXml("expected executeSQLQueryResponse in the Body");
  if (!isNode(response) || response.return === void 0)
    throw badXml("executeSQLQueryResponse has no return element");
  const result = response.return;
  if (!isNode(result)) {
    if (leafText(result)?.trim() === "")
      return [];
    throw badXml("the return element holds text, not rows");
  }
  const rows = result.row;
  if (rows === void 0)
    return [];
  if (!Array.isArray(rows))
    throw badXml("unexpected row structure");
  return rows.map((row, index) => toRow(row, index, columns));
}
function toRow(row, index, columns) {
  const cells = /* @__PURE__ */ new Map();
  if (isNode(row)) {
    for (const [name, value] of Object.entries(row))
      if (name !== "#text")
        cells.set(name.toLowerCase(), value);
  } else if (leafText(row)?.trim() !== "") {
    throw badXml(`row ${index + 1} holds text, not columns`);
  }
  const out = {};
  for (const column of columns) {
    const value = cells.get(column.toLowerCase());
    if (value === void 0) {
      throw new AxlError("AXL_FAULT", `CUCM's answer has no column "${column}" (row ${index + 1}); this CUCM release may name it differently.`);
    }
    const text = leafText(value);
    if (text === void 0)
      throw badXml(`column "${column}" of row ${index + 1} is not a single text value`);
    out[column] = text;
  }
  return out;
}

export {
  AXL_ERROR_ACTIONS,
  AxlError,
  isAxlError,
  AXL_VERSIONS,
  DEFAULT_AXL_VERSION,
  isAxlVersion,
  axlSoapAction,
  buildExecuteSqlQuery,
  faultError,
  parseFault,
  parseSqlQueryResponse
};
