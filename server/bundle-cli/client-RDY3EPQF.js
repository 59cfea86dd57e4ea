import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  require_api_request,
  require_pool,
  tlsProblem,
  trustContext
} from "./chunk-QYWFFJUL.js";
import {
  buildDeviceProfileQuery,
  buildDeviceUserQuery,
  buildLogin,
  buildLogout,
  buildLogoutAll,
  buildUserDevicesQuery,
  maskPassword,
  parseActionResponse,
  parseDeviceProfileResponse,
  parseDeviceUserResponse,
  parseUserDevicesResponse,
  toFormBody
} from "./chunk-4M7U75GA.js";
import {
  EmapiError
} from "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-GT63VX7W.js";
import {
  __toESM
} from "./chunk-6HMTDXZ4.js";

// dist/emapi/undici.js
var import_api_request = __toESM(require_api_request(), 1);
var import_pool = __toESM(require_pool(), 1);
async function request(dispatcher, options) {
  return await import_api_request.default.call(dispatcher, options);
}

// dist/emapi/transport.js
var EMAPI_PATH = "/emservice/EMServiceServlet";
var DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
var TIMEOUT_CODES = /* @__PURE__ */ new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
function describeTransportError(error, origin, timeoutMs) {
  const tls = tlsProblem(error);
  if (tls !== void 0)
    return tls;
  const err = error;
  if (err.code === "UND_ERR_CONNECT_TIMEOUT") {
    const timedOut = new EmapiError("EMAPI_TIMEOUT", `Could not connect to CUCM at ${origin} within ${Math.floor(timeoutMs / 2)} ms (half of CUCM_TIMEOUT_MS): nothing was sent.`, { cause: error });
    timedOut.requestSent = false;
    return timedOut;
  }
  if (err.name === "TimeoutError" || err.name === "AbortError" || TIMEOUT_CODES.has(err.code ?? "")) {
    return new EmapiError("EMAPI_TIMEOUT", `CUCM at ${origin} did not answer within ${timeoutMs} ms (CUCM_TIMEOUT_MS).`, { cause: error });
  }
  const code = err.code ?? err.cause?.code ?? err.name;
  return new EmapiError("EMAPI_UNREACHABLE", `Cannot reach CUCM at ${origin} (${code}). Check CUCM_HOST, CUCM_PORT and that the Cisco Extension Mobility service is running.`, { cause: error });
}
function pageTitle(body) {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  return title === void 0 || title === "" ? "" : `: ${title}`;
}
function tooLarge(maxBytes, received) {
  return new EmapiError("EMAPI_TOO_LARGE", `CUCM's answer is larger than ${maxBytes} bytes (EMAPI_MAX_RESPONSE_BYTES): the transfer was stopped.`, { responseBody: received });
}
async function readCapped(body, maxBytes) {
  const chunks = [];
  let size = 0;
  for await (const chunk of body) {
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      return { text: Buffer.concat(chunks).toString("utf8"), complete: false };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(chunks, size).toString("utf8"), complete: true };
}
async function exchange(dispatcher, origin, limits, xml) {
  const { timeoutMs, maxResponseBytes } = limits;
  const form = toFormBody(xml);
  const controller = new AbortController();
  const { signal } = controller;
  const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
  try {
    const response = await request(dispatcher, {
      origin,
      path: EMAPI_PATH,
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
        "content-length": String(Buffer.byteLength(form)),
        accept: "text/xml, application/xml"
      },
      body: form,
      signal
    });
    const { text: body, complete } = await readCapped(response.body, maxResponseBytes);
    if (!complete)
      throw withExchange(tooLarge(maxResponseBytes, body), xml, response.statusCode);
    if (response.statusCode !== 200) {
      throw withExchange(new EmapiError("EMAPI_HTTP_STATUS", `CUCM answered HTTP ${response.statusCode}${pageTitle(body)}. The Extension Mobility service may be stopped or the URL wrong.`, { responseBody: body }), xml, response.statusCode);
    }
    return { httpStatus: response.statusCode, body };
  } catch (error) {
    if (error instanceof EmapiError)
      throw error;
    const cause = signal.aborted && error.code !== "UND_ERR_CONNECT_TIMEOUT" ? signal.reason : error;
    throw withExchange(describeTransportError(cause, origin, timeoutMs), xml);
  } finally {
    clearTimeout(timer);
  }
}
function withExchange(error, xml, httpStatus) {
  error.requestXml = maskPassword(xml);
  error.httpStatus ??= httpStatus;
  return error;
}

// dist/emapi/context.js
function createContext(credentials, dispatcher, origin, limits) {
  return {
    credentials,
    async call(xml, parse) {
      const { httpStatus, body } = await exchange(dispatcher, origin, limits, xml);
      try {
        return { value: parse(body), requestXml: maskPassword(xml), httpStatus, responseBody: body };
      } catch (error) {
        if (error instanceof EmapiError)
          throw withExchange(error, xml, httpStatus);
        throw error;
      }
    }
  };
}

// dist/emapi/operations/device-profile-query.js
async function deviceProfileQuery(ctx, userIds) {
  return await ctx.call(buildDeviceProfileQuery(ctx.credentials, userIds), (body) => parseDeviceProfileResponse(body, userIds));
}

// dist/emapi/operations/device-user-query.js
async function deviceUserQuery(ctx, deviceNames) {
  return await ctx.call(buildDeviceUserQuery(ctx.credentials, deviceNames), (body) => parseDeviceUserResponse(body, deviceNames));
}

// dist/emapi/operations/login.js
async function login(ctx, request2) {
  return await ctx.call(buildLogin(ctx.credentials, request2), parseActionResponse);
}

// dist/emapi/operations/logout-all.js
async function logoutAll(ctx) {
  return await ctx.call(buildLogoutAll(ctx.credentials), parseActionResponse);
}

// dist/emapi/operations/logout.js
async function logout(ctx, deviceName) {
  return await ctx.call(buildLogout(ctx.credentials, deviceName), parseActionResponse);
}

// dist/emapi/operations/user-devices-query.js
async function userDevicesQuery(ctx, userIds) {
  return await ctx.call(buildUserDevicesQuery(ctx.credentials, userIds), (body) => parseUserDevicesResponse(body, userIds));
}

// dist/emapi/client.js
function formatHost(host) {
  return host.includes(":") ? `[${host}]` : host;
}
function createEmapiClient(options) {
  const origin = `https://${formatHost(options.host)}:${options.port}`;
  const ownDispatcher = options.dispatcher === void 0;
  const dispatcher = options.dispatcher ?? new import_pool.default(origin, {
    connections: 16,
    keepAliveTimeout: 3e4,
    connect: {
      // Connecting (TCP and the TLS handshake) gets half the limit of the whole request, so a
      // connection that never completes is told apart (nothing was sent) from an answer that never
      // comes (the request went out and may have been carried out).
      timeout: Math.max(50, Math.floor(options.timeoutMs / 2)),
      secureContext: trustContext(options.ca),
      rejectUnauthorized: options.insecure !== true
    }
  });
  const ctx = createContext({ appUser: options.appUser, appPassword: options.appPassword }, dispatcher, origin, {
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  });
  return {
    origin,
    login: async (request2) => await login(ctx, request2),
    logout: async (deviceName) => await logout(ctx, deviceName),
    logoutAll: async () => await logoutAll(ctx),
    deviceUserQuery: async (deviceNames) => await deviceUserQuery(ctx, deviceNames),
    userDevicesQuery: async (userIds) => await userDevicesQuery(ctx, userIds),
    deviceProfileQuery: async (userIds) => await deviceProfileQuery(ctx, userIds),
    async close() {
      if (ownDispatcher)
        await dispatcher.close();
    },
    /** Aborts every request in flight (a stop that cannot wait any longer). */
    async destroy() {
      if (ownDispatcher)
        await dispatcher.destroy();
    }
  };
}
export {
  createEmapiClient
};
