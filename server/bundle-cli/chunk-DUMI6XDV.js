import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)

// dist/services/errors.js
var ServiceError = class extends Error {
  kind;
  code;
  field;
  action;
  auditId;
  retryAfterSeconds;
  constructor(kind, code, message, details = {}) {
    super(message);
    this.name = "ServiceError";
    this.kind = kind;
    this.code = code;
    this.field = details.field;
    this.action = details.action;
    this.auditId = details.auditId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
};
var BadRequestError = class extends ServiceError {
  constructor(field, message) {
    super("bad-request", "VALIDATION", message, { field });
    this.name = "BadRequestError";
  }
};
var NotFoundError = class extends ServiceError {
  constructor(message, action) {
    super("not-found", "NOT_FOUND", message, { action });
    this.name = "NotFoundError";
  }
};
var ActionError = class extends Error {
  error;
  auditId;
  outcome;
  detail;
  constructor(error, auditId, outcome, detail) {
    super(detail === void 0 ? error.message : `${error.message} ${detail}`, { cause: error });
    this.name = "ActionError";
    this.error = error;
    this.auditId = auditId;
    this.outcome = outcome;
    this.detail = detail;
  }
};
var NotSentError = class extends Error {
  constructor() {
    super("Not sent: the run was cancelled or stopped before a slot to CUCM was free.");
    this.name = "NotSentError";
  }
};
var LogoutAllRunningError = class extends ServiceError {
  constructor(auditId, cluster) {
    super("conflict", "LOGOUT_ALL_RUNNING", `A logout of all Extension Mobility users is already running${cluster === void 0 ? "" : ` on cluster ${cluster}`}. Wait for it to finish.`, { auditId });
    this.name = "LogoutAllRunningError";
  }
};
var RunFailedError = class extends ServiceError {
  runId;
  constructor(message, runId, auditId) {
    super("failed", "RUN_FAILED", message, { auditId, action: 'Open the run to see which devices failed and why; "retry failed" runs them again.' });
    this.name = "RunFailedError";
    this.runId = runId;
  }
};
var ClusterFailure = class extends Error {
  cluster;
  constructor(cluster, cause) {
    super(`Cluster ${cluster}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "ClusterFailure";
    this.cluster = cluster;
  }
};

export {
  ServiceError,
  BadRequestError,
  NotFoundError,
  ActionError,
  NotSentError,
  LogoutAllRunningError,
  RunFailedError,
  ClusterFailure
};
