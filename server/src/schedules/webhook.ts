import type { ScheduleNotification } from '@em-console/shared/schemas'
import type { FinishedEntry } from '../audit/audit-repository.js'
import { silentLog, type Log } from '../log.js'
import type { Store } from '../store/store.js'

export interface WebhookOptions {
  url: string
  timeoutMs: number
  store: Store
  log?: Log
}

/**
 * `stopped`: EM Console stops; a notice still waiting for its answer ends then, recorded as cut
 * short. One begun after (a run the stop cut short) is still sent, within STOPPING_TIMEOUT_MS.
 */
export type Notifier = (notification: ScheduleNotification, actor: string, stopped?: AbortSignal) => Promise<void>

/**
 * The time limit of a notice begun while EM Console stops: runs in flight end within the stop's
 * grace (4 s, plugins/runtime.ts), and their notices must end within its deadline (9.5 s, server.ts).
 */
const STOPPING_TIMEOUT_MS = 2000

/**
 * Why fetch failed, in Node's words ("connect ECONNREFUSED 127.0.0.1:9000"). A name with an IPv6
 * and an IPv4 address (localhost where /etc/hosts names ::1 too) fails as an AggregateError whose
 * own message is empty: the words are its errors', one per address tried.
 */
function failureOf (error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  if (cause instanceof AggregateError && cause.message === '') {
    const said = [...new Set(cause.errors.map((each) => each instanceof Error ? each.message : String(each)))].filter((text) => text !== '')
    if (said.length > 0) return said.join('; ')
  }
  if (!(cause instanceof Error)) return String(cause)
  return cause.message === '' ? (cause as NodeJS.ErrnoException).code ?? cause.name : cause.message
}

/**
 * One POST per failed run, never retried: a receiver that is down must not turn a failing
 * schedule into a storm of requests. Every attempt is an audit row. Only the origin of the URL
 * is recorded: webhook URLs often carry a secret token in the path or query.
 */
export function createWebhookNotifier ({ url, timeoutMs, store, log = silentLog }: WebhookOptions): Notifier {
  const { origin, href } = new URL(url)
  /** Errors may quote the URL, token and all: only its origin is said. */
  const withoutUrl = (text: string): string => text.replaceAll(url, origin).replaceAll(href, origin)
  return async (notification, actor, stopped) => {
    const entry = { actor, trigger: 'schedule' as const, action: 'webhook' as const }
    const record = async (result: FinishedEntry): Promise<void> => {
      // A notice that did not arrive is said in the journal too: nobody else learns of the failed run.
      if (result.outcome === 'error') log.warn({ schedule: notification.schedule, errorCode: result.errorCode, httpStatus: result.httpStatus }, `Webhook: ${result.message} Check NOTIFY_WEBHOOK_URL and the receiver; the run is in the history.`)
      await store.write((w) => { w.audit.record(entry, result) }, 'webhook')
    }
    const about = `the run of schedule "${notification.schedule}" (${notification.outcome}${notification.auditId === null ? '' : `, audit #${notification.auditId}`})`
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'em-console' },
        body: JSON.stringify(notification),
        redirect: 'manual',
        signal: stopped === undefined
          ? AbortSignal.timeout(timeoutMs)
          : stopped.aborted ? AbortSignal.timeout(Math.min(timeoutMs, STOPPING_TIMEOUT_MS)) : AbortSignal.any([AbortSignal.timeout(timeoutMs), stopped])
      })
      // Only the status counts: the body is released unread (a receiver that answers with an
      // endless or huge body would otherwise hold the notice, and memory, until the timeout).
      await response.body?.cancel().catch(() => undefined)
      const ok = response.status >= 200 && response.status < 300
      await record({
        outcome: ok ? 'success' : 'error',
        httpStatus: response.status,
        errorCode: ok ? undefined : 'WEBHOOK_HTTP_STATUS',
        message: ok
          ? `Notified ${origin} of ${about}.`
          : `The webhook at ${origin} answered HTTP ${response.status} to the notice of ${about}; not retried.`
      })
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      if (timedOut && stopped?.aborted === true) {
        await record({ outcome: 'interrupted', message: `The notice of ${about} to ${origin} was cut short: EM Console stopped before the webhook answered; not retried.` })
        return
      }
      const reason = timedOut
        ? `no answer within ${timeoutMs} ms`
        : withoutUrl(failureOf(error))
      await record({
        outcome: 'error',
        errorCode: timedOut ? 'WEBHOOK_TIMEOUT' : 'WEBHOOK_UNREACHABLE',
        message: `Could not notify ${origin} of ${about}: ${reason}; not retried.`
      })
    }
  }
}
