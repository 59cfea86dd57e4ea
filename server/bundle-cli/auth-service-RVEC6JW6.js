import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  AuthError,
  DEMO_USERNAME,
  ROLE_RANK,
  createAuthService
} from "./chunk-GW75RTVU.js";
import "./chunk-OHDZHCUG.js";
import "./chunk-DNYFGISX.js";
import "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";
export {
  AuthError,
  DEMO_USERNAME,
  ROLE_RANK,
  createAuthService
};
