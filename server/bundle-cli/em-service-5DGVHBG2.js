import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  QUERY_CHUNK,
  createEmService,
  uniqueNames
} from "./chunk-E2BNZ2C2.js";
import "./chunk-UXYQJOVF.js";
import "./chunk-4M7U75GA.js";
import "./chunk-UZD3F5PP.js";
import "./chunk-PXX6FF7Y.js";
import "./chunk-DNYFGISX.js";
import "./chunk-GT63VX7W.js";
import "./chunk-DUMI6XDV.js";
import "./chunk-6HMTDXZ4.js";
export {
  QUERY_CHUNK,
  createEmService,
  uniqueNames
};
