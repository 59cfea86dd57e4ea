import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  createSessionLogout,
  describeSelection,
  selectSessions
} from "./chunk-ETN75B2R.js";
import "./chunk-LQ36JWYZ.js";
import "./chunk-Q3PXE6AK.js";
import "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";
export {
  createSessionLogout,
  describeSelection,
  selectSessions
};
