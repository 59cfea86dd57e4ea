import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { AuditAction, AuditOutcome, Trigger } from '@em-console/shared/schemas'
import Database from 'better-sqlite3'
import { csvField, parseCsv } from '@em-console/shared/rules'
import { buildTestApp, type TestApp } from './helpers/app.ts'

let t: TestApp
const DAY = 86_400_000
const START = Date.parse('2026-11-01T08:00:00Z')

interface Row { at: number, action: AuditAction, outcome: Exclude<AuditOutcome, 'pending'>, trigger: Trigger, actor: string, devices?: string[], userId?: string, message: string }

const ROWS: Row[] = [
  { at: START, action: 'logout-all', outcome: 'success', trigger: 'schedule', actor: 'scheduler', message: 'Nightly logout' },
  { at: START + DAY, action: 'logout', outcome: 'failure', trigger: 'ui', actor: 'alice', devices: ['SEP0000000000A1'], message: 'Device does not exist' },
  { at: START + 2 * DAY, action: 'login', outcome: 'success', trigger: 'api', actor: 'bob', devices: ['SEP0000000000B2'], userId: 'jane.doe@example.com', message: 'Logged in' },
  { at: START + 3 * DAY, action: 'device-query', outcome: 'success', trigger: 'ui', actor: 'alice', devices: ['SEP0000000000A1', 'SEP0000000000B2'], message: 'Looked up 2 devices' },
  { at: START + 4 * DAY, action: 'logout', outcome: 'already-logged-out', trigger: 'cli', actor: 'ops', devices: ['SEP0000000000B2'], message: '=cmd|calc, "quoted"' }
]

/** The audit trail's clock: each row is written at its own time. */
let clock = Date.now()

before(async () => {
  t = await buildTestApp({ tuning: { now: () => new Date(clock) } })
  // The test accounts' sign-ins; this file wants only its own rows.
  const other = new Database(t.databasePath)
  other.exec('DELETE FROM audit')
  other.close()
  for (const row of ROWS) {
    clock = row.at
    const id = await t.store.write((w) => w.audit.insertPending({ actor: row.actor, trigger: row.trigger, action: row.action, devices: row.devices, userId: row.userId }), 'test row')
    clock = row.at + 1500
    await t.store.write((w) => { w.audit.finish(id, { outcome: row.outcome, message: row.message, httpStatus: 200, responseBody: 'x'.repeat(70_000) }) }, 'test row')
  }
})
after(async () => await t.close())

async function page (query: string): Promise<{ items: Array<{ id: number, action: string, message: string }>, nextCursor: string | null }> {
  const res = await t.inject({ url: `/api/audit?${query}` })
  assert.equal(res.statusCode, 200, res.body)
  return res.json()
}

const messages = (p: { items: Array<{ message: string }> }): string[] => p.items.map((i) => i.message)

describe('the audit history', () => {
  test('newest first, with duration and a truncated response body', async () => {
    const all = await page('')
    assert.deepEqual(messages(all), ROWS.map((r) => r.message).reverse())
    const record = (await t.inject({ url: `/api/audit/${all.items[0]?.id ?? 0}` })).json()
    assert.equal(record.durationMs, 1500)
    assert.equal(record.responseBody.length, 64 * 1024)
  })

  test('filters by action, outcome, trigger, actor, device, user and free text', async () => {
    assert.deepEqual(messages(await page('action=logout')), ['=cmd|calc, "quoted"', 'Device does not exist'])
    assert.deepEqual(messages(await page('outcome=failure')), ['Device does not exist'])
    assert.deepEqual(messages(await page('trigger=schedule')), ['Nightly logout'])
    assert.deepEqual(messages(await page('actor=ALI')), ['Looked up 2 devices', 'Device does not exist'])
    assert.deepEqual(messages(await page('device=sep0000000000b2')), ['=cmd|calc, "quoted"', 'Looked up 2 devices', 'Logged in'])
    assert.deepEqual(messages(await page('user=jane.doe')), ['Logged in'])
    assert.deepEqual(messages(await page('q=nightly')), ['Nightly logout'])
    assert.deepEqual(messages(await page(`q=${encodeURIComponent('jane.doe@example.com')}`)), ['Logged in'])
    assert.deepEqual(messages(await page(`q=${encodeURIComponent('"unbalanced OR ( NEAR')}`)), [], 'free text is never FTS syntax')
    assert.deepEqual(messages(await page('device=%25')), [], 'LIKE wildcards are literal')
  })

  test('filters by date range: from inclusive, to exclusive', async () => {
    const from = new Date(START + DAY).toISOString()
    const to = new Date(START + 3 * DAY).toISOString()
    assert.deepEqual(messages(await page(`from=${from}&to=${to}`)), ['Logged in', 'Device does not exist'])
    const bad = await t.inject({ url: `/api/audit?from=${to}&to=${from}` })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().error.field, 'from')
    const notDate = await t.inject({ url: '/api/audit?from=yesterday' })
    assert.equal(notDate.statusCode, 400)
    assert.match(notDate.json().error.message, /from/)
  })

  test('keyset pages cover every row exactly once', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const p = await page(`limit=2${cursor === null ? '' : `&cursor=${cursor}`}`)
      seen.push(...messages(p))
      cursor = p.nextCursor
    } while (cursor !== null)
    assert.deepEqual(seen, ROWS.map((r) => r.message).reverse())
    // A page that ends at the last record says there is none after it: History offers no older page, a script reads no empty one.
    assert.equal((await page(`limit=${ROWS.length}`)).nextCursor, null)
    // The CSV export reads the trail in batches the same way: each record once, newest first.
    assert.deepEqual([...t.audit.iterate({}, 2)].flat().map((i) => i.message), ROWS.map((r) => r.message).reverse())
  })

  test('an unknown record → 404; a bad filter value → 400 naming it', async () => {
    assert.equal((await t.inject({ url: '/api/audit/99999' })).statusCode, 404)
    const bad = await t.inject({ url: '/api/audit?outcome=maybe' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /outcome/)
  })

  test('CSV export streams the filtered rows, quoted and safe for spreadsheets', async () => {
    const res = await t.inject({ url: '/api/audit/export.csv?device=SEP0000000000B2' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/csv/)
    assert.match(String(res.headers['content-disposition']), /attachment; filename="em-console-audit-/)
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n')
    assert.equal(lines.length, 4)
    assert.match(lines[0] ?? '', /^id,started_at,/)
    assert.ok(lines[1]?.includes('"\'=cmd|calc, ""quoted"""'), lines[1])
    // The dashboard's names, with the API's values beside them (issue #16.11).
    const header = (lines[0] ?? '').split(',')
    const cells = (lines[1] ?? '').split(',')
    const cell = (name: string): string | undefined => cells[header.indexOf(name)]
    assert.deepEqual([cell('trigger'), cell('trigger_key')], ['CLI', 'cli'])
    assert.deepEqual([cell('action'), cell('action_key')], ['Log out', 'logout'])
    assert.deepEqual([cell('outcome'), cell('outcome_key')], ['Already logged out', 'already-logged-out'])
    // The times again, as a spreadsheet reads a date and time (UTC, as the header says), after the other columns.
    assert.deepEqual(header.slice(-2), ['started_at_utc', 'finished_at_utc'])
    for (const { fields } of parseCsv(lines.slice(1).join('\r\n'))) {
      const [startedUtc, finishedUtc] = fields.slice(-2)
      assert.match(startedUtc ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      assert.equal(startedUtc, fields[header.indexOf('started_at')]?.slice(0, 19).replace('T', ' '))
      assert.equal(finishedUtc, fields[header.indexOf('finished_at')]?.slice(0, 19).replace('T', ' '))
    }
    const lookUp = lines.find((line) => line.includes('Looked up 2 devices'))?.split(',') ?? []
    assert.equal(lookUp[header.indexOf('devices')], 'SEP0000000000A1 SEP0000000000B2')
    assert.equal(csvField('+SUM(A1)'), "'+SUM(A1)")
    assert.equal(csvField('plain'), 'plain')
    assert.equal(csvField(null), '')
  })

  test('every page says how many records match the filter in all', async () => {
    const all = await t.inject({ url: '/api/audit?limit=2' })
    assert.equal(all.json().total, ROWS.length)
    assert.equal(all.json().totalIsLowerBound, false)
    // A cursor this server did not give is refused, as the sessions' pages refuse one, not read as the first page.
    const forged = await t.inject({ url: '/api/audit?limit=2&cursor=AAAA' })
    assert.equal(forged.statusCode, 400, forged.body)
    assert.equal(forged.json().error.field, 'cursor')
    const second = await t.inject({ url: `/api/audit?limit=2&cursor=${String(all.json().nextCursor)}` })
    assert.equal(second.json().total, ROWS.length, 'the count is of the filter, not of the page')
    const filtered = (await t.inject({ url: '/api/audit?device=SEP0000000000B2&limit=1' })).json()
    assert.deepEqual([filtered.items.length, filtered.total], [1, 3])
    assert.equal((await t.inject({ url: '/api/audit?q=nightly' })).json().total, 1)
    assert.equal((await t.inject({ url: '/api/audit?actor=nobody' })).json().total, 0)
  })

  test('the count stops at 10,000 and says so', async () => {
    clock = START + 10 * DAY
    await t.store.write((w) => {
      for (let i = 0; i < 10_001; i++) w.audit.record({ actor: 'bulk-writer', trigger: 'api', action: 'device-query' }, { outcome: 'success', message: 'Looked up 1 device.' })
    }, 'many rows')
    const capped = (await t.inject({ url: '/api/audit?actor=bulk-writer&limit=1' })).json()
    assert.deepEqual([capped.total, capped.totalIsLowerBound], [10_000, true])
    const exact = (await t.inject({ url: '/api/audit?actor=bulk-writer&limit=1&outcome=failure' })).json()
    assert.deepEqual([exact.total, exact.totalIsLowerBound], [0, false])
  })

  test('stats count actions per day and today', async () => {
    clock = START + 4 * DAY + 3600_000
    const stats = t.audit.stats(7)
    assert.equal(stats.days.length, 7)
    assert.equal(stats.days.at(-1)?.date, '2026-11-05')
    const byDate = Object.fromEntries(stats.days.map((d) => [d.date, [d.success, d.failure, d.lookups]]))
    assert.deepEqual(byDate['2026-10-30'], [0, 0, 0])
    assert.deepEqual(byDate['2026-11-01'], [1, 0, 0])
    assert.deepEqual(byDate['2026-11-02'], [0, 1, 0])
    assert.deepEqual(byDate['2026-11-04'], [0, 0, 1])
    // Today's only logout found nobody logged in: no logout happened (issue #16.7).
    assert.deepEqual(byDate['2026-11-05'], [0, 0, 0])
    assert.deepEqual(stats.today, { logouts: 0, logoutAlls: 0, alreadyLoggedOut: 1, failures: 0, lookups: 0 })
    clock = START + 3600_000
    assert.deepEqual(t.audit.stats(1).today, { logouts: 1, logoutAlls: 1, alreadyLoggedOut: 0, failures: 0, lookups: 0 }, 'a logout of all that succeeded counts, and is told apart')
    assert.equal((await t.inject({ url: '/api/audit/stats?days=30' })).json().days.length, 30)
    // One cluster's: the logout above names none, so that cluster's day is empty.
    assert.deepEqual((await t.inject({ url: '/api/audit/stats?days=1&cluster=hq' })).json().today.logouts, 0)
    assert.equal((await t.inject({ url: '/api/audit/stats?cluster=no%20such' })).statusCode, 400, 'a cluster id is checked as everywhere')
  })

  test('a look-up answered "does not exist" (11, 23) is not a failure of the day; a look-up that failed otherwise is', async () => {
    clock = START + 30 * DAY
    await t.store.write((w) => {
      const failed = (action: 'device-query' | 'user-devices-query', emapiCode: number): void => { w.audit.record({ actor: 'typos', trigger: 'ui', action }, { outcome: 'failure', emapiCode, message: 'CUCM said no' }) }
      failed('device-query', 11)
      failed('device-query', 11)
      failed('user-devices-query', 23)
      failed('device-query', 3)
      // No EMAPI code at all: CUCM did not answer the look-up (an HTTP error page).
      w.audit.record({ actor: 'typos', trigger: 'ui', action: 'device-query' }, { outcome: 'error', errorCode: 'EMAPI_HTTP_STATUS', message: 'CUCM answered HTTP 503' })
    }, 'look-ups')
    const today = t.audit.stats(1).today
    assert.equal(today.failures, 2, 'the look-up refused for the credentials (3) and the one CUCM did not answer')
    assert.equal(t.audit.page({ actor: 'typos', outcome: 'failure' }, 10).items.length, 4, 'every record is kept')
  })

  test('failures of the day are Extension Mobility\'s (logins, logouts, look-ups, a missed run, a run that could not start), not sign-ins or settings', async () => {
    clock = START + 31 * DAY
    await t.store.write((w) => {
      const failed = (action: AuditAction): void => { w.audit.record({ actor: 'someone', trigger: 'ui', action }, { outcome: 'failure', message: 'no' }) }
      for (const action of ['sign-in', 'sign-in', 'account-update', 'settings-update', 'webhook'] as const) failed(action)
      for (const action of ['logout', 'login', 'logout-all', 'schedule-missed', 'bulk-run'] as const) failed(action)
      // A run's summary of failed items it already counted one by one: not again.
      w.audit.record({ actor: 'someone', trigger: 'ui', action: 'bulk-run' }, { outcome: 'failure', errorCode: 'RUN_FAILED', message: '2 of 5 failed' })
    }, 'a day of failures')
    assert.equal(t.audit.stats(1).today.failures, 5)
  })

  test('a change sent without an answer (unknown: it may have happened) is among the failures of the day, as the API says', async () => {
    clock = START + 32 * DAY
    await t.store.write((w) => {
      w.audit.record({ actor: 'someone', trigger: 'ui', action: 'logout', devices: ['SEP0000000000D1'] }, { outcome: 'unknown', errorCode: 'EMAPI_TIMEOUT', message: 'No answer in time: it may have happened' })
      w.audit.record({ actor: 'someone', trigger: 'ui', action: 'logout-all' }, { outcome: 'unknown', errorCode: 'EMAPI_UNREACHABLE', message: 'The connection dropped: it may have happened' })
    }, 'two changes without an answer')
    const stats = t.audit.stats(1)
    assert.equal(stats.today.failures, 2)
    assert.equal(stats.days.at(-1)?.failure, 2)
  })

  test('stats of one cluster count only its actions, as History filtered by it; without, every cluster\'s', async () => {
    clock = START + 33 * DAY
    await t.store.write((w) => {
      const logout = (cluster: string, outcome: 'success' | 'failure'): void => { w.audit.record({ actor: 'someone', trigger: 'ui', action: 'logout', devices: ['SEP0000000000E1'], cluster }, { outcome, message: outcome }) }
      logout('hq', 'success')
      logout('hq', 'success')
      logout('branch', 'success')
      logout('branch', 'failure')
    }, 'a day on two clusters')
    const today = (cluster?: string): [number, number] => { const { logouts, failures } = t.audit.stats(1, { cluster }).today; return [logouts, failures] }
    assert.deepEqual(today(), [3, 1])
    assert.deepEqual(today('hq'), [2, 0])
    assert.deepEqual(today('branch'), [1, 1])
  })

  test('a logout of all users of several clusters is one action of the day, however many clusters it ended; each cluster\'s own stats count its part', async () => {
    clock = START + 34 * DAY
    await t.store.write((w) => {
      // POST /api/logout-all?cluster=all: one record per cluster under one run id.
      for (const cluster of ['hq', 'branch', 'asia']) w.audit.record({ actor: 'alice', trigger: 'ui', action: 'logout-all', runId: 'run-of-three', cluster }, { outcome: 'success', message: 'Logged out every Extension Mobility user on the cluster.' })
      w.audit.record({ actor: 'alice', trigger: 'ui', action: 'logout', devices: ['SEP0000000000F1'], cluster: 'hq' }, { outcome: 'success', message: 'Logged out' })
    }, 'a logout-all of three clusters and a logout')
    const { days, today } = t.audit.stats(1)
    assert.deepEqual([today.logouts, today.logoutAlls], [2, 1], 'one device logged out and one logout of all users')
    assert.equal(days.at(-1)?.success, 2)
    assert.deepEqual([t.audit.stats(1, { cluster: 'branch' }).today.logoutAlls, t.audit.stats(1, { cluster: 'hq' }).today.logouts], [1, 2])
  })

  test('History\'s failed filter finds exactly the failures the activity counts, whatever their outcome', async () => {
    clock = START + 40 * DAY
    const dayStart = new Date(START + 40 * DAY - 8 * 3600_000).toISOString()
    await t.store.write((w) => {
      const done = (action: AuditAction, outcome: Exclude<AuditOutcome, 'pending'>, more: { emapiCode?: number, errorCode?: string } = {}): void => {
        w.audit.record({ actor: 'mixed', trigger: 'ui', action }, { outcome, message: outcome, ...more })
      }
      // Counted: a refused logout, a look-up CUCM did not answer, a change without an answer, one cut short.
      done('logout', 'failure', { emapiCode: 3 })
      done('device-query', 'error', { errorCode: 'EMAPI_HTTP_STATUS' })
      done('login', 'unknown', { errorCode: 'EMAPI_TIMEOUT' })
      done('logout', 'interrupted', { errorCode: 'SERVER_STOPPED' })
      // Not counted: a look-up of a name that does not exist, a look-up our own stop cut short (it
      // changes nothing, CUCM did not fail it), a failed sign-in, a change never sent, a success.
      done('device-query', 'failure', { emapiCode: 11 })
      done('user-devices-query', 'interrupted')
      done('sign-in', 'failure')
      done('logout', 'interrupted', { errorCode: 'NOT_SENT' })
      done('logout', 'success')
    }, 'a day of mixed outcomes')
    assert.equal(t.audit.stats(1).today.failures, 4)
    const failed = t.audit.page({ failed: true, from: dayStart }, 10)
    assert.deepEqual(failed.items.map((i) => i.message), ['interrupted', 'unknown', 'error', 'failure'])
    assert.equal(failed.total, 4)
  })

  test('today\'s counts start at the caller\'s midnight when it gives one (History\'s days are the browser\'s), else at UTC midnight', async () => {
    const day = START - 8 * 3600_000 + 41 * DAY
    const logout = async (at: number): Promise<void> => {
      clock = at
      await t.store.write((w) => { w.audit.record({ actor: 'zones', trigger: 'ui', action: 'logout' }, { outcome: 'failure', emapiCode: 3, message: 'no' }) }, 'a failure')
    }
    // 02:00 and 20:00 UTC; the admin's browser is at UTC+6 (its day began at 18:00 UTC), read at 22:00.
    await logout(day + 2 * 3600_000)
    await logout(day + 20 * 3600_000)
    clock = day + 22 * 3600_000
    const failures = (todayFrom?: number): number => t.audit.stats(2, { todayFrom: todayFrom === undefined ? undefined : new Date(todayFrom).toISOString() }).today.failures
    assert.equal(failures(), 2)
    assert.equal(failures(day + 18 * 3600_000), 1)
    // Never before the first day counted: the rows read are the chart's.
    assert.equal(failures(day - 30 * DAY), failures(day - DAY))
  })

  test('the API takes History\'s failed filter and the stats\' todayFrom, strictly', async () => {
    // The signed-in session's clock: the days above are ahead of it.
    clock = Date.now()
    const status = async (url: string): Promise<number> => (await t.inject({ url })).statusCode
    assert.equal(await status('/api/audit?failed=true'), 200)
    assert.equal(await status('/api/audit?failed=yes'), 400)
    assert.equal(await status(`/api/audit/stats?todayFrom=${new Date(clock - 3600_000).toISOString()}`), 200)
    assert.equal(await status('/api/audit/stats?todayFrom=yesterday'), 400)
  })

  test('a range finds every change begun in it, though a look-up begun before it was written after it', async () => {
    // A look-up's record is written once CUCM answers, with the time it began: a logout sent
    // while it waited gets the lower id. The range's first record by time is then the look-up.
    const at = START + 50 * DAY
    clock = at + 2000
    const logout = await t.store.write((w) => w.audit.insertPending({ actor: 'ranges', trigger: 'ui', action: 'logout', devices: ['SEP0000000000F1'], userId: 'jdoe' }), 'logout')
    clock = at + 2500
    await t.store.write((w) => { w.audit.finish(logout, { outcome: 'success', message: 'Logged out jdoe' }) }, 'logout')
    clock = at + 3000
    await t.store.write((w) => { w.audit.record({ actor: 'ranges', trigger: 'ui', action: 'device-query', devices: ['SEP0000000000F1'], startedAt: new Date(at + 1000) }, { outcome: 'success', message: 'Looked up 1 device' }) }, 'look-up')
    clock = at + 10_000
    await t.store.write((w) => { w.audit.record({ actor: 'ranges', trigger: 'ui', action: 'device-query', devices: ['SEP0000000000F1'] }, { outcome: 'success', message: 'Later look-up' }) }, 'look-up')
    const range = { actor: 'ranges', from: new Date(at).toISOString() }
    const found = (filter: typeof range & { to?: string }): string[] => t.audit.page(filter, 10).items.map((i) => i.message ?? '')
    assert.deepEqual(found(range), ['Later look-up', 'Looked up 1 device', 'Logged out jdoe'])
    assert.deepEqual(found({ ...range, to: new Date(at + 5000).toISOString() }), ['Looked up 1 device', 'Logged out jdoe'])
    assert.deepEqual([...t.audit.iterate(range)].flat().map((i) => i.message), ['Later look-up', 'Looked up 1 device', 'Logged out jdoe'], 'the CSV export finds it too')
    assert.equal(t.audit.stats(1, { todayFrom: new Date(at).toISOString() }).today.logouts, 1, 'the Overview counts it too')
  })

  test('the CSV writes device names as the dashboard shows them: upper case', async () => {
    clock = START + 20 * DAY
    await t.store.write((w) => { w.audit.record({ actor: 'lower', trigger: 'ui', action: 'logout', devices: ['sep0000000000c3'] }, { outcome: 'success', message: 'Logged out' }) }, 'row')
    const lines = (await t.inject({ url: '/api/audit/export.csv?actor=lower' })).body.replace(/^\uFEFF/, '').trim().split('\r\n')
    const header = (lines[0] ?? '').split(',')
    const cells = (lines[1] ?? '').split(',')
    assert.deepEqual([cells[header.indexOf('devices')], cells[header.indexOf('trigger')]], ['SEP0000000000C3', 'Web'])
  })
})
