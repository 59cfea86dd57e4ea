import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// ../shared/dist/rules/runs.js
var RETRY_FAILED_OUTCOMES = ["failure", "error", "unknown", "interrupted"];
var RUN_THE_REST_OUTCOMES = ["cancelled", "not-run"];
var RETRY_SCOPES = ["failed", "rest"];
function retryCount(counts, scope) {
  const outcomes = scope === "failed" ? RETRY_FAILED_OUTCOMES : RUN_THE_REST_OUTCOMES;
  return outcomes.reduce((n, outcome) => n + (counts[outcome] ?? 0), 0);
}

// ../shared/dist/rules/sessions.js
var SESSION_AGE_BUCKETS = [1, 8, 24, 72, 168];

export {
  RETRY_FAILED_OUTCOMES,
  RUN_THE_REST_OUTCOMES,
  RETRY_SCOPES,
  retryCount,
  SESSION_AGE_BUCKETS
};
