import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import {
  ACCOUNT_NAME,
  APP_USER,
  CLUSTER_ID,
  CLUSTER_NAME,
  CRON,
  DEVICE_FILTER,
  DEVICE_NAME,
  HOST,
  LIST_NAME,
  PASSWORD,
  PROFILE_NAME,
  SCHEDULE_NAME,
  SEARCH,
  TIMEZONE,
  USER_FILTER,
  USER_ID,
  fieldProblem,
  patternOf,
  problemSentence,
  ruleOfApiField,
  shortProblem
} from "./chunk-PXX6FF7Y.js";
import "./chunk-6HMTDXZ4.js";
export {
  ACCOUNT_NAME,
  APP_USER,
  CLUSTER_ID,
  CLUSTER_NAME,
  CRON,
  DEVICE_FILTER,
  DEVICE_NAME,
  HOST,
  LIST_NAME,
  PASSWORD,
  PROFILE_NAME,
  SCHEDULE_NAME,
  SEARCH,
  TIMEZONE,
  USER_FILTER,
  USER_ID,
  fieldProblem,
  patternOf,
  problemSentence,
  ruleOfApiField,
  shortProblem
};
