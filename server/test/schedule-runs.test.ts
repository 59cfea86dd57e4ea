import assert from 'node:assert/strict'
import dns from 'node:dns'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import type { ScheduleNotification } from '@em-console/shared/schemas'
import { ConfigError, loadConfig } from '../src/config.ts'
import { runsBetween } from '../src/schedules/cron.ts'
import { bulkDeviceName, bulkScenario } from '../src/simulator/bulk-scenario.ts'
import { startSimulator } from '../src/simulator/server.ts'
import { createWebhookNotifier } from '../src/schedules/webhook.ts'
import { openStore } from '../src/store/store.ts'
import { receivedOf } from './helpers/app.ts'
import { copyAsACrashLeavesIt, holdWriteLock } from './helpers/database.ts'
import { eventually } from './helpers/eventually.ts'
import { buildScheduleHarness, startWebhookReceiver, type ScheduleHarness, type WebhookReceiver } from './helpers/schedules.ts'

const EVERY_SECOND = '* * * * * *'
// Every-second timers keep these tests short; only a test may have them (allowAnyCron, issue #15.15).
const FAST = { allowAnyCron: true }
const ADMIN = { actor: 'admin', trigger: 'api' } as const

/** The first notice of a schedule that fires every second; it is disabled once that came. */
async function firstNotice (h: ScheduleHarness, hook: WebhookReceiver, name: string): Promise<{ body: ScheduleNotification, scheduleId: number }> {
  const schedule = await h.schedules.create(ADMIN, { name, cron: EVERY_SECOND })
  await h.schedules.start()
  const body = await hook.next(4000) as ScheduleNotification
  await h.schedules.update(ADMIN, schedule.id, { enabled: false })
  return { body, scheduleId: schedule.id }
}

test('a one-second schedule fires, is audited with trigger "schedule", and records its last run', async () => {
  const h = await buildScheduleHarness({ tuning: FAST })
  try {
    await h.schedules.start()
    const schedule = await h.schedules.create(ADMIN, { name: 'every-second', cron: EVERY_SECOND })
    assert.deepEqual(h.schedules.armed(), [schedule.id])
    const run = await eventually(() => h.audit.page({ action: 'logout-all' }, 1).items[0], 3000)
    assert.equal(run.trigger, 'schedule')
    assert.equal(run.actor, 'schedule:every-second')
    await eventually(() => run.outcome === 'pending' ? h.audit.get(run.id)?.outcome === 'success' || undefined : true, 3000)
    const after = await eventually(() => h.schedules.get(schedule.id)?.lastOutcome ?? undefined, 3000)
    assert.equal(after, 'success')
    assert.equal(h.schedules.get(schedule.id)?.lastAuditId, run.id)

    // Disabling disarms the timer at once.
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })
    assert.deepEqual(h.schedules.armed(), [])
  } finally {
    await h.close()
  }
})

test('closing while a timed run waits for a database another program locks: the close does not wait for the lock, the store logs what it could not save', async () => {
  const h = await buildScheduleHarness({ tuning: FAST })
  const lock = { held: undefined as { release: () => void } | undefined }
  try {
    await h.schedules.create(ADMIN, { name: 'every-second', cron: EVERY_SECOND })
    lock.held = holdWriteLock(h.databasePath)
    await h.schedules.start()
    // Fired: its first write ("schedule began") waits for the lock.
    await eventually(() => h.logs.some((line) => line.includes('the database refuses writes')) ? true : undefined, 5000)
    const closing = Date.now()
    const closed = await Promise.race([h.close().then(() => true), new Promise((resolve) => setTimeout(() => { resolve(false) }, 8000))])
    assert.ok(closed, 'closed before the lock was released')
    assert.ok(Date.now() - closing < 6000, `closing took ${Date.now() - closing} ms`)
    assert.ok(h.logs.some((line) => line.includes('writes could not be saved before the database closed') && line.includes('schedule began')), h.logs.filter((line) => /Audit trail/.test(line)).join('\n'))
  } finally {
    lock.held?.release()
    await h.close()
  }
})

/**
 * A schedule failing every second against a webhook that never answers (its time limit
 * `webhookTimeoutMs`), on a database of the test's own: once a notice is in flight and the
 * schedule disabled, `atStop` is given the harness, its close and the database's path; the
 * harness, the receiver and the folder are closed after it.
 */
async function withNoticeInFlight (name: string, webhookTimeoutMs: number, atStop: (h: ScheduleHarness, close: () => Promise<void>, databasePath: string, hook: WebhookReceiver) => Promise<void>): Promise<void> {
  // A database of the test's own: the harness removes its folder when it closes.
  const dir = mkdtempSync(join(tmpdir(), 'em-console-stop-'))
  const databasePath = join(dir, 'audit.db')
  const hook = await startWebhookReceiver('hang')
  const h = await buildScheduleHarness({ webhookUrl: hook.url, webhookTimeoutMs, tuning: FAST, env: { DATABASE_PATH: databasePath } })
  let closed = false
  const close = async (): Promise<void> => { if (!closed) { closed = true; await h.close() } }
  try {
    h.sim.setFaults({ mode: 'http-503' })
    const schedule = await h.schedules.create(ADMIN, { name, cron: EVERY_SECOND })
    await h.schedules.start()
    await eventually(() => hook.received.length > 0 ? true : undefined, 10_000)
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })
    await atStop(h, close, databasePath, hook)
  } finally {
    await close()
    await hook.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

test('a stop just as another program commits (its lock held for a moment): the webhook notice in flight is still waited for, and its attempt audited', async () => {
  await withNoticeInFlight('hook-down', 1500, async (h, close, databasePath) => {
    // A CLI command's commit beside the server as it stops: the server's writes are refused for 200 ms.
    const lock = holdWriteLock(databasePath)
    h.store.later('audit', (w) => { w.record({ actor: 'admin', trigger: 'api', action: 'device-query' }, { outcome: 'success', message: 'a look-up' }) }, 'device-query')
    // The stop begins once a write has been refused, and the lock is freed 100 ms into it (well
    // within the second a refusal of a moment is waited through, REFUSED_FOR_MS).
    await eventually(() => h.store.health().problem, 5000)
    setTimeout(() => { lock.release() }, 100)
    await close()
    const db = new Database(databasePath, { readonly: true })
    try {
      const runs = db.prepare("SELECT count(*) FROM audit WHERE action = 'logout-all'").pluck().get() as number
      const notices = db.prepare("SELECT count(*) FROM audit WHERE action = 'webhook'").pluck().get() as number
      assert.ok(runs > 0)
      assert.equal(notices, runs, 'each failed run\'s notice is audited once its attempt ended')
    } finally {
      db.close()
    }
  })
})

test('a stop while a webhook notice waits for its answer ends the notice at once, recorded as cut short, not after its own time limit', async () => {
  // Its time limit is far past the server's stop deadline (9.5 s): the stop must not wait for it.
  await withNoticeInFlight('hook-hangs', 30_000, async (_h, close, databasePath, hook) => {
    const closing = Date.now()
    await close()
    assert.ok(Date.now() - closing < 5000, `closing took ${Date.now() - closing} ms`)
    const db = new Database(databasePath, { readonly: true })
    try {
      const notices = db.prepare("SELECT outcome, message FROM audit WHERE action = 'webhook'").all() as Array<{ outcome: string, message: string }>
      assert.ok(notices.length > 0 && notices.length === hook.received.length, JSON.stringify(notices))
      for (const notice of notices) {
        assert.equal(notice.outcome, 'interrupted')
        assert.match(notice.message, /^The notice of the run of schedule "hook-hangs" .* was cut short: EM Console stopped before the webhook answered; not retried\.$/)
      }
    } finally {
      db.close()
    }
  })
})

/**
 * A nightly logout-all every second on a CUCM that does not answer (CUCM_TIMEOUT_MS 60 s), on a
 * database of the test's own, optionally with a webhook: once its run waits on CUCM and the
 * schedule is disabled, `atStop` is given the harness's close, the database's path and the
 * schedule's id; the harness and the folder are closed after it.
 */
async function withRunWaitingOnCucm (webhookUrl: string | undefined, atStop: (close: () => Promise<void>, databasePath: string, scheduleId: number) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-stop-'))
  const databasePath = join(dir, 'audit.db')
  const h = await buildScheduleHarness({ ...(webhookUrl === undefined ? {} : { webhookUrl }), simulator: { faults: { mode: 'hang' } }, tuning: FAST, env: { CUCM_TIMEOUT_MS: '60000', DATABASE_PATH: databasePath } })
  let closed = false
  const close = async (): Promise<void> => { if (!closed) { closed = true; await h.close() } }
  try {
    const schedule = await h.schedules.create(ADMIN, { name: 'nightly', cron: EVERY_SECOND })
    await h.schedules.start()
    await eventually(() => h.audit.page({ action: 'logout-all', outcome: 'pending' }, 1).items[0], 10_000)
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })
    await atStop(close, databasePath, schedule.id)
  } finally {
    await close()
    rmSync(dir, { recursive: true, force: true })
  }
}

test('a run a stop cuts short still sends its notice: only a notice waiting for its answer when the stop came is cut short', async () => {
  const hook = await startWebhookReceiver()
  try {
    await withRunWaitingOnCucm(hook.url, async (close, databasePath) => {
      await close()
      // The run ended interrupted by the stop, after it began: the receiver answers at once, so it hears of it.
      assert.equal(hook.received.length, 1)
      assert.equal((hook.received[0]?.body as ScheduleNotification).outcome, 'interrupted')
      const db = new Database(databasePath, { readonly: true })
      try {
        const notices = db.prepare("SELECT outcome, http_status AS httpStatus FROM audit WHERE action = 'webhook'").all()
        assert.deepEqual(notices, [{ outcome: 'success', httpStatus: 204 }])
      } finally {
        db.close()
      }
    })
  } finally {
    await hook.close()
  }
})

test('a failing scheduled run calls the webhook once with a JSON summary, and the call is audited', async () => {
  const hook = await startWebhookReceiver()
  const h = await buildScheduleHarness({ webhookUrl: hook.url, tuning: FAST })
  try {
    // The application user loses its proxy rights: CUCM answers EMAPI code 10.
    h.sim.state.setAppUser({ id: h.sim.credentials.appUser, password: h.sim.credentials.appPassword, proxyRights: false })
    await h.schedules.start()
    const schedule = await h.schedules.create(ADMIN, { name: 'failing', cron: EVERY_SECOND })
    const body = await hook.next(4000) as ScheduleNotification
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })

    assert.equal(body.source, 'em-console')
    assert.equal(body.schedule, 'failing')
    assert.equal(body.action, 'logout-all')
    assert.equal(body.outcome, 'failure')
    assert.equal(body.emapiCode, 10)
    assert.equal(body.errorCode, 'EMAPI_FAILURE')
    assert.match(body.message, /Standard EM Authentication Proxy Rights/)
    assert.equal(hook.received[0]?.headers['content-type'], 'application/json')
    const run = h.audit.get(body.auditId ?? 0)
    assert.equal(run?.action, 'logout-all')
    assert.equal(run?.outcome, 'failure')
    assert.equal(run?.trigger, 'schedule')

    const webhook = await eventually(() => h.audit.page({ action: 'webhook' }, 1).items[0], 3000)
    assert.equal(webhook.outcome, 'success')
    assert.equal(webhook.httpStatus, 204)
    assert.equal(webhook.actor, 'schedule:failing')
    assert.match(webhook.message ?? '', new RegExp(`^Notified http://127\\.0\\.0\\.1:\\d+ of the run of schedule "failing" \\(failure, audit #${body.auditId ?? 0}\\)\\.$`))
    assert.ok(!(webhook.message ?? '').includes('secret-token'), 'the URL path (a secret) is not recorded')
    assert.equal(h.schedules.get(schedule.id)?.lastOutcome, 'failure')
  } finally {
    await h.close()
    await hook.close()
  }
})

test('a webhook that does not answer times out once, is not retried, and the attempt is audited', async () => {
  const hook = await startWebhookReceiver('hang')
  const h = await buildScheduleHarness({ webhookUrl: hook.url, webhookTimeoutMs: 300, tuning: FAST })
  try {
    h.sim.setFaults({ mode: 'http-503' })
    const { body } = await firstNotice(h, hook, 'hook-down')
    assert.equal(body.outcome, 'error')
    assert.equal(body.errorCode, 'EMAPI_HTTP_STATUS')
    assert.equal(body.emapiCode, null)
    const webhook = await eventually(() => h.audit.page({ action: 'webhook' }, 1).items[0], 3000)
    assert.equal(webhook.outcome, 'error')
    assert.equal(webhook.errorCode, 'WEBHOOK_TIMEOUT')
    assert.match(webhook.message ?? '', /no answer within 300 ms; not retried/)
    // Every failed run's notice is audited once its attempt ended (the receiver never answers).
    const runs = await eventually(() => {
      const failed = h.audit.page({ action: 'logout-all' }, 50).items.length
      return h.audit.page({ action: 'webhook' }, 50).items.length === failed ? failed : undefined
    }, 5000)
    assert.equal(hook.received.length, runs, 'one attempt per failed run, no more')
  } finally {
    await h.close()
    await hook.close()
  }
})

test('a scheduled logout-all sent without an answer says it may have happened, in its last message and its notice', async () => {
  const hook = await startWebhookReceiver()
  const h = await buildScheduleHarness({ webhookUrl: hook.url, tuning: FAST })
  try {
    h.sim.setFaults({ mode: 'reset-after' })
    const { body, scheduleId } = await firstNotice(h, hook, 'no-answer')
    assert.equal(body.outcome, 'error')
    assert.match(body.message, /may have carried it out/)
    assert.equal(h.audit.get(body.auditId ?? 0)?.outcome, 'unknown')
    assert.match(h.schedules.get(scheduleId)?.lastMessage ?? '', /may have carried it out/)
  } finally {
    await h.close()
    await hook.close()
  }
})

test('a scheduled logout-all that CUCM turns away (HTTP 503) says what to do, in its last message and its notice, as for an EMAPI error', async () => {
  const hook = await startWebhookReceiver()
  const h = await buildScheduleHarness({ webhookUrl: hook.url, tuning: FAST })
  try {
    h.sim.setFaults({ mode: 'http-503' })
    const { body, scheduleId } = await firstNotice(h, hook, 'turned-away')
    assert.equal(body.errorCode, 'EMAPI_HTTP_STATUS')
    const fix = /^CUCM answered HTTP 503: .* Check in Cisco Unified Serviceability that the Cisco Extension Mobility service is activated and running on that node\.$/
    assert.match(body.message, fix)
    assert.match(h.schedules.get(scheduleId)?.lastMessage ?? '', fix)
  } finally {
    await h.close()
    await hook.close()
  }
})

test('a scheduled run that meets a running logout-all is recorded as skipped', async () => {
  const hook = await startWebhookReceiver()
  const h = await buildScheduleHarness({ webhookUrl: hook.url, tuning: FAST })
  try {
    const claim = await h.store.write((w) => w.audit.insertPendingIfIdle({ actor: 'someone', trigger: 'ui', action: 'logout-all' }, 60_000), 'test claim')
    assert.ok('id' in claim)
    const { body, scheduleId } = await firstNotice(h, hook, 'overlap')
    assert.equal(body.outcome, 'skipped')
    assert.equal(body.errorCode, 'LOGOUT_ALL_RUNNING')
    const skipped = h.audit.get(body.auditId ?? 0)
    assert.equal(skipped?.trigger, 'schedule')
    assert.equal(skipped?.outcome, 'failure')
    assert.equal(skipped?.message, `Not sent: a logout of all Extension Mobility users (audit #${claim.id}) was already running on cluster ${h.runtime.clusters.said(h.runtime.clusters.default().id)}.`)
    assert.match(h.schedules.get(scheduleId)?.lastMessage ?? '', new RegExp(`^Skipped: a logout of all users \\(audit #${claim.id}\\) was already running on cluster ${h.runtime.clusters.said(h.runtime.clusters.default().id)}\\.`))
    assert.equal(skipped?.cluster, h.runtime.clusters.default().id, 'the skip is filed under its cluster')
    assert.equal(h.schedules.get(scheduleId)?.lastOutcome, 'skipped')
    assert.equal(h.sim.received.filter((xml) => xml.includes('<logoutAll')).length, 0, 'nothing was sent to CUCM')
  } finally {
    await h.close()
    await hook.close()
  }
})

test('a fire time that comes while the schedule\'s own run still goes is skipped, and the history and the webhook say so', async () => {
  const hook = await startWebhookReceiver()
  const h = await buildScheduleHarness({ webhookUrl: hook.url, tuning: FAST, env: { CUCM_TIMEOUT_MS: '6000' } })
  try {
    // CUCM's answer is held: the next second's fire time finds the run still going.
    h.sim.setFaults({ hold: 'all' })
    const { body, scheduleId } = await firstNotice(h, hook, 'slow')
    h.sim.setFaults({ hold: 'none' })
    assert.equal(body.outcome, 'skipped')
    assert.equal(body.errorCode, 'SCHEDULE_STILL_RUNNING')
    const skipped = h.audit.get(body.auditId ?? 0)
    assert.equal(skipped?.action, 'logout-all')
    assert.equal(skipped?.trigger, 'schedule')
    assert.equal(skipped?.actor, 'schedule:slow')
    assert.equal(skipped?.outcome, 'failure')
    assert.match(skipped?.message ?? '', /^Skipped the run due at [A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, \d\d:\d\d \S+ \(\S+Z\): the run of schedule "slow" started at [A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, \d\d:\d\d \S+ \(\S+Z\) is still going, and a schedule's runs do not overlap\.$/)
    // The run still going ends, as its own record and the schedule's last run.
    const ran = await eventually(() => h.audit.page({ action: 'logout-all', outcome: 'success' }, 10).items[0], 5000)
    assert.equal(ran.actor, 'schedule:slow')
    await eventually(() => h.schedules.get(scheduleId)?.lastOutcome === 'success' || undefined, 5000)
    assert.equal(h.audit.page({ outcome: 'pending' }, 10).items.length, 0, 'nothing is left pending')
    assert.equal(h.sim.received.filter((xml) => xml.includes('<logoutAll')).length, 1, 'one logoutAll was sent')
  } finally {
    await h.close()
    await hook.close()
  }
})

test('a run due while the server was down is not caught up, and the history says it was missed', async () => {
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000)
  const hook = await startWebhookReceiver()
  let h = await buildScheduleHarness({ webhookUrl: hook.url, tuning: { now: () => twoDaysAgo } })
  try {
    // Created two days ago (the clock of the first "server"), never run since. Due 12 hours off
    // the hour now: a fire time minutes ago would be run late, not missed (a restart just after
    // 02:00 runs the nightly), and the test failed when run then.
    const nightly = await h.schedules.create(ADMIN, { name: 'daily', cron: `0 ${(new Date().getUTCHours() + 12) % 24} * * *` })
    const fresh = await h.schedules.create(ADMIN, { name: 'yearly', cron: '0 0 1 1 *' })
    await h.schedules.create(ADMIN, { name: 'off', cron: '0 2 * * *', enabled: false })
    h = await h.restart({ tuning: { now: () => new Date() } })

    const missed = h.audit.page({ action: 'schedule-missed' }, 10).items
    assert.equal(missed.length, 1, 'only the enabled schedule that fell due is reported')
    assert.equal(missed[0]?.trigger, 'schedule')
    assert.equal(missed[0]?.actor, 'schedule:daily')
    assert.equal(missed[0]?.outcome, 'failure')
    assert.match(missed[0]?.message ?? '', /runs due from .* were missed: the server was not running then\. Missed runs are not caught up; the next run is at /)
    assert.equal(h.audit.page({ action: 'logout-all' }, 10).items.length, 0, 'nothing was run late')
    const after = h.schedules.get(nightly.id)
    assert.equal(after?.lastOutcome, 'missed')
    assert.equal(after?.lastAuditId, missed[0]?.id)
    assert.equal(h.schedules.get(fresh.id)?.lastOutcome, null, 'a schedule with no fire time since its creation missed nothing')
    const body = await hook.next(3000) as ScheduleNotification
    assert.equal(body.outcome, 'missed')

    // The next start does not report the same missed runs again.
    h = await h.restart()
    assert.equal(h.audit.page({ action: 'schedule-missed' }, 10).items.length, 1)
  } finally {
    await h.close()
    await hook.close()
  }
})

test('more runs missed than are counted at a start are said as "or more", not as a count', async () => {
  // Restarted at 08:20, 13 minutes after a fire time: on the real clock, within 5 minutes of one
  // (a third of the time), that one ran and was the last run instead.
  const restartedAt = Date.parse('2026-12-09T08:20:00.000Z')
  const since = Date.now()
  const now = (): Date => new Date(restartedAt + Date.now() - since)
  const twoDaysAgo = new Date(restartedAt - 2 * 86_400_000)
  let h = await buildScheduleHarness({ tuning: { now: () => twoDaysAgo } })
  try {
    // Every quarter of an hour for two days: 192 fire times, past the 100 counted.
    const schedule = await h.schedules.create(ADMIN, { name: 'quarterly', cron: '7,22,37,52 * * * *' })
    h = await h.restart({ tuning: { now } })
    const missed = h.audit.page({ action: 'schedule-missed' }, 10).items
    assert.equal(missed.length, 1)
    // The last one missed is named, not the hundredth (a day before it): the record covers the whole time down.
    const last = h.schedules.get(schedule.id)?.lastRunAt ?? ''
    assert.equal(last, '2026-12-09T08:07:00.000Z')
    const ago = now().getTime() - Date.parse(last)
    assert.ok(ago > 5 * 60_000 && ago < 25 * 60_000, `the last run missed is the last fire time more than 5 minutes ago: ${last}`)
    assert.match(missed[0]?.message ?? '', new RegExp(`^100 or more runs due from .* to .* \\(${last}\\) were missed: the server was not running then\\.`))
    h = await h.restart({ tuning: { now } })
    assert.equal(h.audit.page({ action: 'schedule-missed' }, 10).items.length, 1, 'none reported twice')
  } finally {
    await h.close()
  }
})

/** A device list of the first `count` bulk devices, and a nightly schedule (named as the list, in lower case) that logs it out. */
async function listSchedule (h: ScheduleHarness, list: string, count: number): Promise<{ id: number }> {
  const devices = Array.from({ length: count }, (_, i) => bulkDeviceName(i))
  assert.equal((await h.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name: list, devices }] } })).statusCode, 200)
  return await h.schedules.create(ADMIN, { name: list.toLowerCase().replace(' ', '-'), cron: '0 2 * * *', action: 'logout-saved-list', list })
}

test('"run now" of a schedule whose run still goes is refused (409 SCHEDULE_RUNNING), not run a second time over the same phones', async () => {
  const h = await buildScheduleHarness({ simulator: { scenario: bulkScenario(4) } })
  try {
    const schedule = await listSchedule(h, 'Ward B', 4)
    // CUCM holds its answers: the first run is still going when the second is asked for.
    h.sim.setFaults({ hold: 'changes' })
    const first = h.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, payload: {} }, 'operator')
    await eventually(() => h.sim.received.some((xml) => xml.includes('<logout>')) ? true : undefined, 5000)
    const second = await h.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, payload: {} }, 'operator')
    assert.equal(second.statusCode, 409, second.body)
    assert.equal(second.json().error.code, 'SCHEDULE_RUNNING')
    assert.match(second.json().error.message, /^Schedule "ward-b" is running now \(since [A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, \d\d:\d\d \S+ \(\S+Z\)\): run it again once that run has ended\.$/)
    h.sim.setFaults({ hold: 'none' })
    assert.equal((await first).statusCode, 200)
    assert.equal(h.sim.received.filter((xml) => xml.includes('<logout>')).length, 4, 'each phone was logged out once')
    assert.equal((await h.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, payload: {} }, 'operator')).statusCode, 200, 'once the run has ended, it runs again')
  } finally {
    await h.close()
  }
})

test('"run now" of a schedule that runs a list: its record carries the run\'s id, so the run\'s records (History by run) say which schedule a person ran', async () => {
  const h = await buildScheduleHarness({ simulator: { scenario: bulkScenario(2) } })
  try {
    const schedule = await listSchedule(h, 'Ward C', 2)
    const ran = await h.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, payload: {} }, 'operator')
    assert.equal(ran.statusCode, 200, ran.body)
    const runId = ran.json().result.runId as string
    assert.ok(runId !== undefined)
    const ofRun = h.audit.page({ runId }, 50).items
    assert.deepEqual(ofRun.filter((row) => row.action === 'logout').map((row) => row.actor), ['test-operator', 'test-operator'])
    const ranNow = ofRun.find((row) => row.action === 'schedule-run-now')
    assert.match(ranNow?.message ?? '', /^Ran schedule "ward-c" now /)
  } finally {
    await h.close()
  }
})

test('a cut-short run\'s webhook notice whose record the database refuses is logged with its schedule, not left unhandled', async () => {
  const hook = await startWebhookReceiver()
  let h = await buildScheduleHarness({ webhookUrl: hook.url })
  try {
    const schedule = await h.schedules.create(ADMIN, { name: 'nightly', cron: '0 2 * * *', timezone: 'UTC' })
    await h.store.write((w) => { w.schedules.setRunningSince(schedule.id, new Date().toISOString()) }, 'a run a crash cut short')
    const other = new Database(h.databasePath)
    try {
      other.exec("CREATE TRIGGER refuse_webhook BEFORE INSERT ON audit WHEN NEW.action = 'webhook' BEGIN SELECT RAISE(ABORT, 'refused by a test'); END")
    } finally {
      other.close()
    }
    h = await h.restart()
    await h.schedules.start()
    assert.equal((await hook.next() as ScheduleNotification).outcome, 'interrupted')
    await eventually(() => h.logs.find((line) => line.includes('"level":50') && line.includes('"schedule":"nightly"') && line.includes('the webhook notice failed')))
  } finally {
    await hook.close()
    await h.close()
  }
})

test('a timed run a crash cut short is not reported missed at the next start (its record says it began)', async () => {
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000)
  let h = await buildScheduleHarness({ tuning: { now: () => twoDaysAgo } })
  try {
    const schedule = await h.schedules.create(ADMIN, { name: 'daily', cron: '0 2 * * *', timezone: 'UTC' })
    // Its latest fire time began a logout-all (pending, written before sending), then the server died.
    const fired = runsBetween(schedule.cron, 'UTC', twoDaysAgo, new Date(), 10).at(-1)
    assert.ok(fired !== undefined)
    await h.store.write((w) => w.audit.insertPending({ actor: 'schedule:daily', trigger: 'schedule', action: 'logout-all', cluster: 'default', startedAt: fired }), 'crashed run')
    h = await h.restart({ tuning: { now: () => new Date() } })
    assert.deepEqual(h.audit.page({ action: 'schedule-missed' }, 10).items.map((row) => row.message), [], 'no fire time since the one that began')
    assert.equal(h.audit.page({ action: 'logout-all', outcome: 'interrupted' }, 10).items.length, 1, 'the run the crash cut short says so')
    assert.equal(h.schedules.get(schedule.id)?.lastOutcome, null)
  } finally {
    await h.close()
  }
})

test('a timed run a crash cut short becomes the schedule\'s last run at the next start, interrupted (not the run before it), and the webhook hears of it', async () => {
  const h = await buildScheduleHarness({ simulator: { faults: { mode: 'hang' } }, tuning: FAST, env: { CUCM_TIMEOUT_MS: '60000' } })
  const hook = await startWebhookReceiver()
  const atTheCrash = join(h.dir, 'at-the-crash.db')
  let next: ScheduleHarness | undefined
  try {
    const schedule = await h.schedules.create(ADMIN, { name: 'nightly', cron: EVERY_SECOND })
    await h.schedules.start()
    await eventually(() => h.audit.page({ action: 'logout-all', outcome: 'pending' }, 1).items[0], 10_000)
    // No second fire time meanwhile: the next start must not run it again over what it records.
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })
    // The database as a crash (kill -9) leaves it: the run begun, its logout-all sent and not answered.
    await copyAsACrashLeavesIt(h.databasePath, atTheCrash)
    next = await buildScheduleHarness({ env: { DATABASE_PATH: atTheCrash }, webhookUrl: hook.url })
    await next.schedules.start()
    const last = next.schedules.get(schedule.id)
    assert.equal(last?.lastOutcome, 'interrupted')
    assert.match(last?.lastMessage ?? '', /^The run begun at [A-Z][a-z]{2}, [A-Z][a-z]{2} \d+, \d\d:\d\d \S+ \(\S+Z\) was cut short: the server stopped during it\. What it had sent is in the history, marked interrupted; the rest was not done\.$/)
    const cut = next.audit.page({ action: 'logout-all', outcome: 'interrupted' }, 10).items
    assert.equal(cut.length, 1)
    // Linked to its logout-all's record, as a run that ended is.
    assert.equal(last?.lastAuditId, cut[0]?.id)
    const notice = await hook.next() as ScheduleNotification
    assert.equal(notice.schedule, 'nightly')
    assert.equal(notice.outcome, 'interrupted')
    assert.equal(notice.auditId, cut[0]?.id)
    // Recorded once: a second start finds nothing more to say.
    next = await next.restart()
    await next.schedules.start()
    assert.equal(next.schedules.get(schedule.id)?.lastRunAt, last?.lastRunAt)
    assert.equal(hook.received.length, 1)
  } finally {
    await next?.close()
    await h.close()
    await hook.close()
  }
})

test('a stop while a timed run\'s logout-all waits on a CUCM that does not answer: aborted after the grace, not after CUCM_TIMEOUT_MS, and its rows final', async () => {
  await withRunWaitingOnCucm(undefined, async (close, databasePath, scheduleId) => {
    const stopping = Date.now()
    await close()
    // The stop's grace is 4 s (plugins/runtime.ts); CUCM's answer would have taken 60 s.
    const ms = Date.now() - stopping
    assert.ok(ms < 20_000, `closed after ${ms} ms`)
    const db = new Database(databasePath, { readonly: true })
    try {
      const rows = db.prepare("SELECT outcome FROM audit WHERE action = 'logout-all'").all() as Array<{ outcome: string }>
      assert.deepEqual(rows.map((r) => r.outcome), ['interrupted'])
      // The schedule's last run says so too, as after a crash.
      const last = db.prepare('SELECT last_outcome AS outcome, last_message AS message FROM schedules WHERE id = ?').get(scheduleId) as { outcome: string, message: string }
      assert.equal(last.outcome, 'interrupted')
      assert.match(last.message, /^The server stopped while waiting for CUCM's answer: CUCM may have carried this out/)
    } finally {
      db.close()
    }
  })
})

test('a schedule\'s timed list run a crash cut short is linked at the next start to the run\'s summary record, as the run\'s end would have linked it', async () => {
  const h = await buildScheduleHarness({ simulator: { scenario: bulkScenario(20), faults: { latencyMs: 50 } }, tuning: FAST, env: { EMAPI_MAX_CONCURRENCY: '1' } })
  const atTheCrash = join(h.dir, 'at-the-crash.db')
  let next: ScheduleHarness | undefined
  try {
    const schedule = await listSchedule(h, 'Ward D', 20)
    await h.schedules.update(ADMIN, schedule.id, { cron: EVERY_SECOND })
    await h.schedules.start()
    const runId = await eventually(() => h.audit.page({ action: 'logout', outcome: 'success' }, 1).items[0]?.runId ?? undefined, 10_000)
    // No second fire time meanwhile.
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })
    // The database as a crash (kill -9) leaves it: the schedule's run and its bulk run going.
    await copyAsACrashLeavesIt(h.databasePath, atTheCrash)
    next = await buildScheduleHarness({ env: { DATABASE_PATH: atTheCrash } })
    await next.schedules.start()
    const summaries = next.audit.page({ runId, action: 'bulk-run' }, 10).items
    assert.deepEqual(summaries.map((row) => [row.actor, row.outcome]), [['schedule:ward-d', 'interrupted']])
    const last = next.schedules.get(schedule.id)
    assert.deepEqual([last?.lastOutcome, last?.lastAuditId], ['interrupted', summaries[0]?.id])
  } finally {
    await next?.close()
    await h.close()
  }
})

test('a stop while a timed logout-all of two clusters waits on the one that does not answer: the schedule\'s run ends interrupted, as one cluster\'s does, not failed', async () => {
  // A database of the test's own: the harness removes its folder when it closes.
  const dir = mkdtempSync(join(tmpdir(), 'em-console-stop-'))
  const databasePath = join(dir, 'audit.db')
  const branch = await startSimulator({ scenario: bulkScenario(2) })
  const h = await buildScheduleHarness({ tuning: FAST, env: { CUCM_TIMEOUT_MS: '60000', DATABASE_PATH: databasePath } })
  let closed = false
  try {
    const added = await h.inject({ method: 'POST', url: '/api/clusters', payload: { id: 'branch', host: '127.0.0.1', port: branch.port, appUser: branch.credentials.appUser, appPassword: branch.credentials.appPassword, caPem: branch.caPem } })
    assert.equal(added.statusCode, 201, added.body)
    // Silent only from here: added while silent, the POST waited out the new cluster's first health probe (CUCM_TIMEOUT_MS, 60 s).
    branch.setFaults({ mode: 'hang' })
    const schedule = await h.schedules.create(ADMIN, { name: 'nightly', cron: EVERY_SECOND, clusters: null })
    await h.schedules.start()
    await eventually(() => receivedOf(branch, 'logoutAll').length > 0 ? true : undefined, 10_000)
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })
    await h.close()
    closed = true
    const db = new Database(databasePath, { readonly: true })
    try {
      const rows = db.prepare("SELECT cluster, outcome FROM audit WHERE action = 'logout-all' ORDER BY cluster").all() as Array<{ cluster: string, outcome: string }>
      assert.deepEqual(rows.map((r) => [r.cluster, r.outcome]), [['branch', 'interrupted'], ['default', 'success']])
      const last = db.prepare('SELECT last_outcome AS outcome, last_message AS message FROM schedules WHERE id = ?').get(schedule.id) as { outcome: string, message: string }
      assert.equal(last.outcome, 'interrupted')
      // Our own stop cut the wait short: not CUCM's silence.
      assert.match(last.message, /^Logged out every Extension Mobility user on 1 of 2 clusters; EM Console stopped before 127\.0\.0\.1:\d+ answered \(CUCM may have done it: look a device up to be sure\)\.$/)
    } finally {
      db.close()
    }
  } finally {
    if (!closed) await h.close()
    await branch.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a schedule\'s timed list run that a stop (SIGTERM) cuts short ends interrupted, as one a crash cut short does, not failed', async () => {
  let h = await buildScheduleHarness({ simulator: { scenario: bulkScenario(20), faults: { latencyMs: 50 } }, tuning: FAST, env: { EMAPI_MAX_CONCURRENCY: '1' } })
  try {
    const schedule = await listSchedule(h, 'Ward E', 20)
    await h.schedules.update(ADMIN, schedule.id, { cron: EVERY_SECOND })
    await h.schedules.start()
    const runId = await eventually(() => h.audit.page({ action: 'logout', outcome: 'success' }, 1).items[0]?.runId ?? undefined, 10_000)
    // No second fire time meanwhile.
    await h.schedules.update(ADMIN, schedule.id, { enabled: false })
    // The server stops while the run goes, and starts again.
    h = await h.restart()
    const summaries = h.audit.page({ runId, action: 'bulk-run' }, 10).items
    assert.deepEqual(summaries.map((row) => [row.actor, row.outcome]), [['schedule:ward-e', 'interrupted']])
    const last = h.schedules.get(schedule.id)
    assert.deepEqual([last?.lastOutcome, last?.lastAuditId], ['interrupted', summaries[0]?.id])
  } finally {
    await h.close()
  }
})

test('LOGOUT_ALL_SCHEDULE creates and updates "nightly", and disables it once unset', async () => {
  let h = await buildScheduleHarness({ env: { LOGOUT_ALL_SCHEDULE: '0 2 * * *', SCHEDULE_TIMEZONE: 'Europe/Paris' } })
  try {
    const created = h.schedules.list().find((s) => s.name === 'nightly')
    assert.equal(created?.managedByConfig, true)
    assert.equal(created?.cron, '0 2 * * *')
    assert.equal(created?.timezone, 'Europe/Paris')
    assert.equal(created?.enabled, true)
    assert.deepEqual(h.schedules.armed(), [created.id])

    h = await h.restart()
    assert.equal(h.audit.page({ action: 'schedule-update' }, 10).items.length, 0, 'an unchanged setting changes nothing')

    h = await h.restart({ env: { LOGOUT_ALL_SCHEDULE: '30 1 * * 1-5', SCHEDULE_TIMEZONE: 'UTC' } })
    assert.equal(h.schedules.get(created.id)?.cron, '30 1 * * 1-5')
    assert.match(h.audit.page({ action: 'schedule-update' }, 1).items[0]?.message ?? '', /from LOGOUT_ALL_SCHEDULE: cron "0 2 \* \* \*" → "30 1 \* \* 1-5"/)

    h = await h.restart({ env: { LOGOUT_ALL_SCHEDULE: '', SCHEDULE_TIMEZONE: 'UTC' } })
    assert.equal(h.schedules.get(created.id)?.enabled, false)
    assert.deepEqual(h.schedules.armed(), [])
  } finally {
    await h.close()
  }
})

test('a server down over the nightly and started with LOGOUT_ALL_SCHEDULE changed: the nights it missed are recorded missed, under the time it had then', async () => {
  let at = '2026-12-09T01:30:00.000Z'
  const now = (): Date => new Date(at)
  let h = await buildScheduleHarness({ env: { LOGOUT_ALL_SCHEDULE: '0 2 * * *', SCHEDULE_TIMEZONE: 'UTC' }, tuning: { now } })
  try {
    await h.schedules.start()
    // Down from 01:30 the day before (its 02:00 twice missed); started the next morning with a new time.
    at = '2026-12-10T09:00:00.000Z'
    h = await h.restart({ env: { LOGOUT_ALL_SCHEDULE: '30 2 * * *', SCHEDULE_TIMEZONE: 'UTC' }, tuning: { now } })
    await h.schedules.start()
    const missed = h.audit.page({ action: 'schedule-missed' }, 10).items
    assert.equal(missed.length, 1)
    assert.match(missed[0]?.message ?? '', /^2 runs due from Wed, Dec 9, 02:00 UTC .* to Thu, Dec 10, 02:00 UTC .* were missed: the server was not running then\. Missed runs are not caught up; the next run is at Fri, Dec 11, 02:30 UTC /)
    const nightly = h.schedules.list().find((s) => s.name === 'nightly')
    assert.deepEqual([nightly?.cron, nightly?.lastOutcome, nightly?.lastRunAt], ['30 2 * * *', 'missed', '2026-12-10T02:00:00.000Z'])
  } finally {
    await h.close()
  }
})

test('a webhook URL with a user name and password is refused at start, and no error of a call puts the URL in the audit trail', async () => {
  const secret = 'HOOK-SECRET-9a1'
  const url = `https://hookuser:${secret}@127.0.0.1:1/x?token=T0K-${secret}`
  assert.throws(() => loadConfig({ DATABASE_PATH: ':memory:', NOTIFY_WEBHOOK_URL: url }),
    (error: unknown) => error instanceof ConfigError && error.key === 'NOTIFY_WEBHOOK_URL' && /user name or password/.test(error.message) && !error.message.includes(secret))
  // The notifier given one anyway (fetch refuses it, quoting the whole URL): only the origin is recorded.
  const dir = mkdtempSync(join(tmpdir(), 'em-console-webhook-'))
  const store = openStore({ path: join(dir, 'audit.db') })
  try {
    const notify = createWebhookNotifier({ url, timeoutMs: 2000, store })
    await notify({ source: 'em-console', schedule: 'nightly', action: 'logout-all', outcome: 'error', emapiCode: null, errorCode: 'EMAPI_UNREACHABLE', message: 'x', auditId: null, at: new Date().toISOString() }, 'schedule:nightly')
    const [row] = store.audit.page({ action: 'webhook' }, 1).items
    assert.equal(row?.errorCode, 'WEBHOOK_UNREACHABLE')
    assert.match(row?.message ?? '', /^Could not notify https:\/\/127\.0\.0\.1:1 of/)
    assert.ok(!(row?.message ?? '').includes(secret), row?.message ?? '')
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a webhook notice that fails is a warning in the log too, naming only the origin, and saying what to check', async () => {
  const url = 'http://127.0.0.1:1/hooks/T0K-secret-path?key=T0K-secret-query'
  const dir = mkdtempSync(join(tmpdir(), 'em-console-webhook-'))
  const store = openStore({ path: join(dir, 'audit.db') })
  const lines: Array<{ level: string, context: object, message: string }> = []
  const log = { info (context: object, message: string) { lines.push({ level: 'info', context, message }) }, warn (context: object, message: string) { lines.push({ level: 'warn', context, message }) }, error (context: object, message: string) { lines.push({ level: 'error', context, message }) } }
  try {
    const notify = createWebhookNotifier({ url, timeoutMs: 2000, store, log })
    await notify({ source: 'em-console', schedule: 'nightly', action: 'logout-all', outcome: 'error', emapiCode: null, errorCode: 'EMAPI_UNREACHABLE', message: 'x', auditId: 12, at: new Date().toISOString() }, 'schedule:nightly')
    assert.deepEqual(lines.map((line) => line.level), ['warn'])
    assert.match(lines[0]?.message ?? '', /^Webhook: Could not notify http:\/\/127\.0\.0\.1:1 of the run of schedule "nightly" \(error, audit #12\): .*not retried\. Check NOTIFY_WEBHOOK_URL and the receiver/)
    assert.ok(!JSON.stringify(lines).includes('T0K-secret'), 'the URL\'s path or query is in the log')
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

/** A notice of schedule "nightly" (audit #7), as a run's end sends it. */
const NOTICE: ScheduleNotification = { source: 'em-console', schedule: 'nightly', action: 'logout-all', outcome: 'failure', emapiCode: 3, errorCode: 'EMAPI_FAILURE', message: 'x', auditId: 7, at: new Date().toISOString() }

test('a webhook notice to a name with an IPv6 and an IPv4 address, both refused, says why (not an empty reason)', async (t) => {
  // As localhost where /etc/hosts names ::1 and 127.0.0.1 (Debian's, RHEL's): Node tries both and
  // fails with an AggregateError whose own message is empty.
  const lookup = dns.lookup
  t.mock.method(dns, 'lookup', (host: string, options: unknown, callback: unknown) => {
    if (host !== 'dual-stack.test') return (lookup as (...args: unknown[]) => void).call(dns, host, options, callback)
    const all = [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]
    const done = (typeof options === 'function' ? options : callback) as (error: null, ...answer: unknown[]) => void
    process.nextTick(() => { if (typeof options === 'object' && (options as { all?: boolean }).all === true) done(null, all); else done(null, '::1', 6) })
  })
  // A port nothing listens on (port 1 is one fetch refuses by itself: "bad port").
  const closed = createServer().listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const { port } = closed.address() as AddressInfo
  closed.close()
  const dir = mkdtempSync(join(tmpdir(), 'em-console-webhook-'))
  const store = openStore({ path: join(dir, 'audit.db') })
  try {
    const notify = createWebhookNotifier({ url: `http://dual-stack.test:${port}/hook?token=T0K`, timeoutMs: 2000, store })
    await notify(NOTICE, 'schedule:nightly')
    const [row] = store.audit.page({ action: 'webhook' }, 1).items
    assert.equal(row?.errorCode, 'WEBHOOK_UNREACHABLE')
    assert.match(row?.message ?? '', new RegExp(`^Could not notify http://dual-stack\\.test:${port} of the run of schedule "nightly" \\(failure, audit #7\\): connect ECONNREFUSED ::1:${port}; connect ECONNREFUSED 127\\.0\\.0\\.1:${port}; not retried\\.$`))
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

/** A webhook notifier with its time limit, a receiver that answers as `behaviour` says, and a store of its own, closed after `use`. */
async function withNotifier (behaviour: 'hang' | 'endless', timeoutMs: number, use: (notify: ReturnType<typeof createWebhookNotifier>, store: ReturnType<typeof openStore>, hook: WebhookReceiver) => Promise<void>): Promise<void> {
  const hook = await startWebhookReceiver(behaviour)
  const dir = mkdtempSync(join(tmpdir(), 'em-console-webhook-'))
  const store = openStore({ path: join(dir, 'audit.db') })
  try {
    await use(createWebhookNotifier({ url: hook.url, timeoutMs, store }), store, hook)
  } finally {
    await store.close()
    await hook.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

test('a webhook that answers with a body that never ends: its status is recorded at once, the body is not read to the timeout (nor held in memory)', async () => {
  // A time limit far above the bound: a busy machine's slow notice is not taken for one read to the end.
  await withNotifier('endless', 30_000, async (notify, store, hook) => {
    const began = Date.now()
    await notify(NOTICE, 'schedule:nightly')
    const took = Date.now() - began
    assert.ok(took < 15_000, `the notice took ${took} ms: its answer was read until the timeout`)
    const [row] = store.audit.page({ action: 'webhook' }, 1).items
    assert.deepEqual([row?.outcome, row?.httpStatus], ['success', 200])
    assert.equal(hook.received.length, 1)
  })
})

test('a notice begun while EM Console stops, to a receiver that does not answer, is sent and cut short within the stop\'s deadline, not its own time limit', async () => {
  await withNotifier('hang', 30_000, async (notify, store, hook) => {
    const began = Date.now()
    await notify({ ...NOTICE, outcome: 'interrupted', emapiCode: null, errorCode: 'EMAPI_TIMEOUT' }, 'schedule:nightly', AbortSignal.abort())
    const took = Date.now() - began
    assert.ok(took < 5000, `the notice took ${took} ms`)
    assert.equal(hook.received.length, 1)
    const [row] = store.audit.page({ action: 'webhook' }, 1).items
    assert.equal(row?.outcome, 'interrupted')
    assert.match(row?.message ?? '', /was cut short: EM Console stopped before the webhook answered; not retried\.$/)
  })
})

test('a webhook that answers with a redirect did not get the notice (it is not followed): recorded as an HTTP status, not "Notified"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'em-console-webhook-'))
  const store = openStore({ path: join(dir, 'audit.db') })
  // A receiver moved to HTTPS, its old address answering 301 as web servers do.
  const receiver = createHttpServer((req, res) => { res.writeHead(301, { location: 'https://hooks.example.com/em' }).end() })
  receiver.listen(0, '127.0.0.1')
  await once(receiver, 'listening')
  try {
    const notify = createWebhookNotifier({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/em`, timeoutMs: 2000, store })
    await notify(NOTICE, 'schedule:nightly')
    const [row] = store.audit.page({ action: 'webhook' }, 1).items
    assert.deepEqual([row?.outcome, row?.errorCode, row?.httpStatus], ['error', 'WEBHOOK_HTTP_STATUS', 301])
    assert.match(row?.message ?? '', /answered HTTP 301 to the notice of the run of schedule "nightly"/)
  } finally {
    receiver.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
