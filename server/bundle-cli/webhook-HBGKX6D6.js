import { createRequire as __createRequire } from 'node:module'
import { dirname as __pathDirname } from 'node:path'
import { fileURLToPath as __fileURLToPath } from 'node:url'
const require = __createRequire(import.meta.url)
const __filename = __fileURLToPath(import.meta.url)
const __dirname = __pathDirname(__filename)
import "./chunk-6HMTDXZ4.js";

// dist/schedules/webhook.js
function createWebhookNotifier({ url, timeoutMs, store }) {
  const origin = new URL(url).origin;
  return async (notification, actor) => {
    const entry = { actor, trigger: "schedule", action: "webhook" };
    const record = async (result) => {
      await store.write((w) => {
        w.audit.record(entry, result);
      }, "webhook");
    };
    const about = `the ${notification.outcome} run of schedule "${notification.schedule}"${notification.auditId === null ? "" : ` (audit #${notification.auditId})`}`;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "em-console" },
        body: JSON.stringify(notification),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs)
      });
      await response.arrayBuffer().catch(() => void 0);
      const ok = response.status >= 200 && response.status < 300;
      await record({
        outcome: ok ? "success" : "error",
        httpStatus: response.status,
        errorCode: ok ? void 0 : "WEBHOOK_HTTP_STATUS",
        message: ok ? `Notified ${origin} of ${about}.` : `The webhook at ${origin} answered HTTP ${response.status} to the notice of ${about}; not retried.`
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const reason = timedOut ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.cause instanceof Error ? error.cause.message : error.message : String(error);
      await record({
        outcome: "error",
        errorCode: timedOut ? "WEBHOOK_TIMEOUT" : "WEBHOOK_UNREACHABLE",
        message: `Could not notify ${origin} of ${about}: ${reason}; not retried.`
      });
    }
  };
}
export {
  createWebhookNotifier
};
