import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  buildDeviceProfileQuery,
  buildDeviceUserQuery,
  buildLogin,
  buildLogout,
  buildLogoutAll,
  buildUserDevicesQuery,
  decodeUserId,
  encodeUserIdLikeJava,
  escapeXml,
  maskPassword,
  parseActionResponse,
  parseDeviceProfileResponse,
  parseDeviceUserResponse,
  parseUserDevicesResponse,
  toFormBody
} from "./chunk-4M7U75GA.js";
import {
  DEVICE_NAME_RULE,
  EMAPI_CODES,
  EMAPI_ERROR_CODES,
  EmapiError,
  EmapiFailureError,
  USER_ID_RULE,
  describeEmapiCode,
  deviceNameProblem,
  isEmapiFailure,
  userIdProblem
} from "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-GT63VX7W.js";
import "./chunk-6HMTDXZ4.js";
export {
  DEVICE_NAME_RULE,
  EMAPI_CODES,
  EMAPI_ERROR_CODES,
  EmapiError,
  EmapiFailureError,
  USER_ID_RULE,
  buildDeviceProfileQuery,
  buildDeviceUserQuery,
  buildLogin,
  buildLogout,
  buildLogoutAll,
  buildUserDevicesQuery,
  decodeUserId,
  describeEmapiCode,
  deviceNameProblem,
  encodeUserIdLikeJava,
  escapeXml,
  isEmapiFailure,
  maskPassword,
  parseActionResponse,
  parseDeviceProfileResponse,
  parseDeviceUserResponse,
  parseUserDevicesResponse,
  toFormBody,
  userIdProblem
};
