import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { utcText } from '@em-console/shared/display'
import type { AuditPage, AuditSummary, ErrorBody, Schedule, ScheduleList, SchedulePreview, ScheduleRunResult } from '@em-console/shared/schemas'
import { buildScheduleHarness, type ScheduleHarness } from './helpers/schedules.ts'

let h: ScheduleHarness

before(async () => { h = await buildScheduleHarness() })
after(async () => { await h.close() })

const create = async (payload: Record<string, unknown>) => await h.inject({ method: 'POST', url: '/api/schedules', payload })

/** The wall-clock hour and minute of an instant in a zone, e.g. "02:00". */
function localTime (iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso))
}

test('a created schedule answers its next five fire times, in its time zone', async () => {
  const res = await create({ name: 'paris-nightly', cron: '0 2 * * *', timezone: 'Europe/Paris' })
  assert.equal(res.statusCode, 201, res.body)
  const schedule = res.json<Schedule>()
  assert.equal(schedule.action, 'logout-all')
  assert.equal(schedule.enabled, true)
  assert.equal(schedule.createdBy, 'test-admin')
  assert.equal(schedule.nextRuns.length, 5)
  for (const run of schedule.nextRuns) assert.equal(localTime(run, 'Europe/Paris'), '02:00')
  const times = schedule.nextRuns.map((r) => Date.parse(r))
  assert.deepEqual([...times].sort((a, b) => a - b), times)
  assert.ok(times[0]! > Date.now())
  assert.equal(schedule.nextRunAt, schedule.nextRuns[0])
  assert.equal(schedule.lastRunAt, null)

  const list = (await h.inject({ method: 'GET', url: '/api/schedules' }, 'viewer')).json<ScheduleList>()
  assert.ok(list.schedules.some((s) => s.id === schedule.id && s.nextRuns.length === 5))

  const audit = (await h.inject({ method: 'GET', url: '/api/audit?action=schedule-create' })).json<AuditPage>()
  assert.match(audit.items[0]?.message ?? '', /paris-nightly.*0 2 \* \* \*.*Europe\/Paris/)
})

test('without a time zone the default zone is used', async () => {
  const schedule = (await create({ name: 'default-zone', cron: '30 3 * * 1-5' })).json<Schedule>()
  assert.equal(schedule.timezone, 'UTC')
  for (const run of schedule.nextRuns) assert.equal(localTime(run, 'UTC'), '03:30')
})

test('an invalid cron expression or time zone is a 400 naming the field', async () => {
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ name: 'bad-cron', cron: 'every night' }, 'cron', /"every night" has 2 fields; only 5-field cron is accepted/],
    [{ name: 'bad-field', cron: 'every night at two am' }, 'cron', /not a valid cron expression/],
    [{ name: 'bad-minute', cron: '61 2 * * *' }, 'cron', /minute/],
    [{ name: 'never', cron: '0 2 31 2 *' }, 'cron', /never fires/],
    [{ name: 'bad-zone', cron: '0 2 * * *', timezone: 'Mars/Olympus_Mons' }, 'timezone', /IANA time zone/],
    [{ name: 'offset-zone', cron: '0 2 * * *', timezone: '+02:00' }, 'timezone', /IANA time zone/]
  ]
  for (const [payload, field, message] of cases) {
    const res = await create(payload)
    assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`)
    const body = res.json<ErrorBody>()
    assert.equal(body.error.field, field)
    assert.match(body.error.message, message)
  }
  const schema = await create({ name: 'x', cron: '0 2 * * *', action: 'reboot-cluster' })
  assert.equal(schema.statusCode, 400)
  assert.equal(schema.json<ErrorBody>().error.field, 'action')
  const missing = await create({ name: 'x' })
  assert.equal(missing.json<ErrorBody>().error.field, 'cron')
})

test('the preview answers fire times before saving, and names a bad field', async () => {
  const ok = await h.inject({ method: 'GET', url: '/api/schedules/preview?cron=*/15%20*%20*%20*%20*&timezone=America/New_York' }, 'viewer')
  assert.equal(ok.statusCode, 200, ok.body)
  const preview = ok.json<SchedulePreview>()
  assert.equal(preview.nextRuns.length, 5)
  assert.equal((Date.parse(preview.nextRuns[1]!) - Date.parse(preview.nextRuns[0]!)) / 60_000, 15)
  const bad = await h.inject({ method: 'GET', url: '/api/schedules/preview?cron=0%202%20*%20*%20*&timezone=Nowhere/Land' })
  assert.equal(bad.statusCode, 400)
  assert.equal(bad.json<ErrorBody>().error.field, 'timezone')
})

test('PATCH changes a schedule and recomputes its fire times; names stay unique', async () => {
  const schedule = (await create({ name: 'to-change', cron: '0 2 * * *' })).json<Schedule>()
  const res = await h.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { cron: '0 4 * * *', enabled: false } })
  assert.equal(res.statusCode, 200, res.body)
  const changed = res.json<Schedule>()
  assert.equal(changed.enabled, false)
  assert.equal(changed.nextRunAt, null, 'a disabled schedule has no next run')
  for (const run of changed.nextRuns) assert.equal(localTime(run, 'UTC'), '04:00')

  const bad = await h.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { timezone: 'Not/AZone' } })
  assert.equal(bad.statusCode, 400)
  assert.equal(bad.json<ErrorBody>().error.field, 'timezone')
  const empty = await h.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: {} })
  assert.equal(empty.statusCode, 400)

  await create({ name: 'taken', cron: '0 2 * * *' })
  const clash = await h.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { name: 'TAKEN' } })
  assert.equal(clash.statusCode, 409)
  assert.equal(clash.json<ErrorBody>().error.field, 'name')
  const duplicate = await create({ name: 'Taken', cron: '0 3 * * *' })
  assert.equal(duplicate.statusCode, 409)

  const missing = await h.inject({ method: 'PATCH', url: '/api/schedules/9999', payload: { enabled: true } })
  assert.equal(missing.statusCode, 404)
  const audit = (await h.inject({ method: 'GET', url: '/api/audit?action=schedule-update' })).json<AuditPage>()
  assert.match(audit.items.at(-1)?.message ?? '', /cron "0 2 \* \* \*" → "0 4 \* \* \*", enabled true → false/)
})

test('DELETE removes a schedule', async () => {
  const schedule = (await create({ name: 'to-delete', cron: '0 2 * * *' })).json<Schedule>()
  assert.equal((await h.inject({ method: 'DELETE', url: `/api/schedules/${schedule.id}` })).statusCode, 204)
  assert.equal((await h.inject({ method: 'GET', url: `/api/schedules/${schedule.id}` })).statusCode, 404)
  assert.equal((await h.inject({ method: 'DELETE', url: `/api/schedules/${schedule.id}` })).statusCode, 404)
  // Its id is never given again: a page or a script still holding it cannot change a later schedule.
  const next = (await create({ name: 'after-delete', cron: '0 2 * * *' })).json<Schedule>()
  assert.ok(next.id > schedule.id, `id ${next.id} after ${schedule.id}`)
  assert.equal((await h.inject({ method: 'PATCH', url: `/api/schedules/${schedule.id}`, payload: { enabled: false } })).statusCode, 404)
})

test('run-now runs the action as the caller and records it as the last run', async () => {
  const schedule = (await create({ name: 'run-me', cron: '0 2 * * *', enabled: false })).json<Schedule>()
  // A cluster-wide logout needs the typed words, as the Overview's button does (issue #16.5).
  const before = h.sim.stats.requests
  for (const payload of [undefined, {}, { confirm: 'yes' }]) {
    const refused = await h.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, ...(payload === undefined ? {} : { payload }) })
    assert.equal(refused.statusCode, 400, refused.body)
    assert.equal(refused.json<ErrorBody>().error.field, 'confirm')
    assert.match(refused.json<ErrorBody>().error.message, /"LOG OUT ALL"/)
  }
  assert.equal(h.sim.stats.requests, before, 'nothing was sent to CUCM')
  const res = await h.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, payload: { confirm: 'LOG OUT ALL' } })
  assert.equal(res.statusCode, 200, res.body)
  const { result, schedule: after } = res.json<ScheduleRunResult>()
  assert.equal(result.outcome, 'success')
  assert.equal(after.lastOutcome, 'success')
  assert.equal(after.lastAuditId, result.auditId)
  const record = h.audit.get(result.auditId)
  assert.equal(record?.action, 'logout-all')
  assert.equal(record?.actor, 'test-admin')
  // The trail says which schedule the person ran, and finds it by its name.
  const [ranNow] = (await h.inject(`/api/audit?action=schedule-run-now&q=${encodeURIComponent('run-me')}`)).json<{ items: AuditSummary[] }>().items
  assert.equal(ranNow?.actor, 'test-admin')
  assert.match(ranNow?.message ?? '', new RegExp(`^Ran schedule "run-me" now \\(logout-all\\): .*\\(audit #${result.auditId}\\)$`))

  // Single-flight with every other logout-all: one in flight elsewhere makes run-now a 409.
  const claim = await h.store.write((w) => w.audit.insertPendingIfIdle({ actor: 'someone', trigger: 'ui', action: 'logout-all' }, 60_000), 'test claim')
  assert.ok('id' in claim)
  const busy = await h.inject({ method: 'POST', url: `/api/schedules/${schedule.id}/run-now`, payload: { confirm: 'LOG OUT ALL' } })
  assert.equal(busy.statusCode, 409)
  assert.equal(busy.json<ErrorBody>().error.code, 'LOGOUT_ALL_RUNNING')
  await h.store.write((w) => { w.audit.finish(claim.id, { outcome: 'success', message: 'done' }) }, 'test claim')
})

test('viewers may read schedules but not change them', async () => {
  assert.equal((await h.inject({ method: 'GET', url: '/api/schedules' }, 'viewer')).statusCode, 200)
  assert.equal((await h.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'v', cron: '0 2 * * *' } }, 'viewer')).statusCode, 403)
})

test('two logouts of all users at the same instant: the later one says that one of them is skipped each time', async () => {
  const first = (await create({ name: 'same-a', cron: '0 1 * * *', timezone: 'Europe/Oslo' })).json<Schedule>()
  // The same instant, written in another zone: 01:00 in Oslo is 00:00 UTC in winter, 23:00 UTC in summer.
  const second = (await create({ name: 'same-b', cron: '0 1 * * *', timezone: 'Europe/Berlin' })).json<Schedule>()
  const other = (await create({ name: 'other-time', cron: '30 1 * * *', timezone: 'Europe/Oslo' })).json<Schedule>()
  const extra: Schedule[] = []
  try {
    const problems = async (): Promise<Map<number, string | null>> => new Map((await h.inject({ url: '/api/schedules' })).json<ScheduleList>().schedules.map((s) => [s.id, s.problem]))
    let listed = await problems()
    assert.equal(listed.get(first.id), null)
    assert.match(listed.get(second.id) ?? '', /^Fires at times "same-a" fires too, and both log out everyone on the same clusters: one of the two is skipped when they meet\./)
    assert.equal(listed.get(other.id), null)
    assert.equal(h.schedules.get(second.id)?.problem, listed.get(second.id), 'one schedule read alone says the same')
    await h.inject({ method: 'PATCH', url: `/api/schedules/${first.id}`, payload: { enabled: false } })
    listed = await problems()
    assert.equal(listed.get(second.id), null, 'a disabled schedule overlaps nothing')
    // A monthly one meets a daily one at the same hour, whatever day it is asked on (not only
    // when the 1st is among the next five days).
    const monthly = (await create({ name: 'first-of-month', cron: '30 1 1 * *', timezone: 'Europe/Oslo' })).json<Schedule>()
    extra.push(monthly)
    assert.match((await problems()).get(monthly.id) ?? '', /^Fires at times "other-time" fires too/)
  } finally {
    for (const s of [first, second, other, ...extra]) await h.inject({ method: 'DELETE', url: `/api/schedules/${s.id}` })
  }
})

test('a time zone typed in another case is saved as the time zone database spells it', async () => {
  const created = (await create({ name: 'lower-zone', cron: '0 2 * * *', timezone: 'europe/paris' })).json<Schedule>()
  assert.equal(created.timezone, 'Europe/Paris')
  const preview = (await h.inject({ method: 'GET', url: '/api/schedules/preview?cron=0%202%20*%20*%20*&timezone=america/new_york' }, 'viewer')).json<SchedulePreview>()
  assert.equal(preview.timezone, 'America/New_York')
  const changed = (await h.inject({ method: 'PATCH', url: `/api/schedules/${created.id}`, payload: { timezone: 'ASIA/TOKYO' } })).json<Schedule>()
  assert.equal(changed.timezone, 'Asia/Tokyo')
  const audit = (await h.inject({ method: 'GET', url: '/api/audit?action=schedule-update' })).json<AuditPage>()
  assert.match(audit.items[0]?.message ?? '', /timezone "Europe\/Paris" → "Asia\/Tokyo"/)
  // An alias the engine does not list keeps its spelling: it is valid as typed.
  assert.equal((await create({ name: 'alias-zone', cron: '0 2 * * *', timezone: 'US/Eastern' })).json<Schedule>().timezone, 'US/Eastern')
})

test('an edit from a copy read before another edit is refused, naming who saved and when; without updatedAt the edit is taken as before', async () => {
  const opened = (await create({ name: 'edited-twice', cron: '0 2 * * *', timezone: 'UTC', enabled: false })).json<Schedule>()
  const first = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { cron: '0 3 * * *', updatedAt: opened.updatedAt } })
  assert.equal(first.statusCode, 200, first.body)
  assert.notEqual(first.json<Schedule>().updatedAt, opened.updatedAt)
  // Who saved it is part of the schedule, so a form refused can say who changed what.
  assert.deepEqual([opened.updatedBy, first.json<Schedule>().updatedBy], [null, 'test-admin'])
  // A second admin who opened the form before that edit: saving its copy would put 02:00 back unseen.
  const second = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { name: 'edited-twice', cron: '0 2 * * *', updatedAt: opened.updatedAt } })
  assert.equal(second.statusCode, 409, second.body)
  const { error } = second.json<ErrorBody>()
  assert.equal(error.code, 'CHANGED_SINCE_READ')
  assert.equal(error.field, 'updatedAt')
  // Said as every "at … UTC" is (utcText).
  assert.equal(error.message, `Schedule "edited-twice" changed since you opened it: test-admin saved it at ${utcText(first.json<Schedule>().updatedAt)}. Your change was not saved.`)
  const now = (await h.inject(`/api/schedules/${opened.id}`)).json<Schedule>()
  assert.equal(now.cron, '0 3 * * *', 'the refused edit changed nothing')
  assert.equal((await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { cron: '0 4 * * *' } })).statusCode, 200)

  // Two edits of one version sent at once: one is taken, the other refused.
  const { updatedAt } = (await h.inject(`/api/schedules/${opened.id}`)).json<Schedule>()
  const answers = await Promise.all(['0 5 * * *', '0 6 * * *'].map(async (cron) => await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { cron, updatedAt } })))
  assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 409])
  const audit = (await h.inject({ method: 'GET', url: '/api/audit?action=schedule-update' })).json<AuditPage>()
  assert.doesNotMatch(audit.items[0]?.message ?? '', /updatedAt/, 'the version is no change of its own')

  // The version alone changes nothing: refused as an empty PATCH is, not saved as a new version.
  const current = (await h.inject(`/api/schedules/${opened.id}`)).json<Schedule>()
  const alone = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { updatedAt: current.updatedAt } })
  assert.equal(alone.statusCode, 400, alone.body)
  assert.equal(alone.json<ErrorBody>().error.code, 'VALIDATION')
  assert.equal((await h.inject(`/api/schedules/${opened.id}`)).json<Schedule>().updatedAt, current.updatedAt)

  // A version later than the schedule's was never read (forged or mistyped): said so, not "someone saved it".
  const ahead = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { cron: '0 8 * * *', updatedAt: '2999-01-01T00:00:00.000Z' } })
  assert.equal(ahead.statusCode, 400, ahead.body)
  assert.equal(ahead.json<ErrorBody>().error.field, 'updatedAt')
  assert.equal(ahead.json<ErrorBody>().error.message, `Schedule "edited-twice" never had updatedAt 2999-01-01T00:00:00.000Z (now ${current.updatedAt}): send the updatedAt that GET /api/schedules/${opened.id} answered.`)

  // The same instant written another way (a script's "+00:00") is the same version.
  const offsetForm = current.updatedAt.replace(/Z$/, '+00:00')
  const sameInstant = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { cron: '0 7 * * *', updatedAt: offsetForm } })
  assert.equal(sameInstant.statusCode, 200, sameInstant.body)
})

test('a change since read that no person saved (the configuration\'s, the server\'s) is refused without naming the schedule\'s creator as its author', async () => {
  const opened = (await create({ name: 'changed-by-server', cron: '0 2 * * *', timezone: 'UTC' })).json<Schedule>()
  // As LOGOUT_ALL_SCHEDULE adopting a schedule, or the start disabling an unsafe one, writes it: by nobody.
  await h.store.write((w) => { w.schedules.update(opened.id, { enabled: false }) }, 'test: the server\'s own change')
  const changed = (await h.inject(`/api/schedules/${opened.id}`)).json<Schedule>()
  assert.equal(changed.updatedBy, null)
  const stale = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { cron: '0 3 * * *', updatedAt: opened.updatedAt } })
  assert.equal(stale.statusCode, 409, stale.body)
  assert.equal(stale.json<ErrorBody>().error.message, `Schedule "changed-by-server" changed since you opened it: someone saved it at ${utcText(changed.updatedAt)}. Your change was not saved.`)
})

test('a delete from a copy read before an edit is refused, naming who saved and when; with the version read, or without one, it deletes as before', async () => {
  const opened = (await create({ name: 'deleted-after-edit', cron: '0 2 * * *', timezone: 'UTC', enabled: false })).json<Schedule>()
  // Another admin re-enables it meanwhile: a delete from the copy read before would throw that away unseen.
  const edited = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { enabled: true, updatedAt: opened.updatedAt } })
  assert.equal(edited.statusCode, 200, edited.body)
  const stale = await h.inject({ method: 'DELETE', url: `/api/schedules/${opened.id}?updatedAt=${encodeURIComponent(opened.updatedAt)}` })
  assert.equal(stale.statusCode, 409, stale.body)
  const { error } = stale.json<ErrorBody>()
  assert.equal(error.code, 'CHANGED_SINCE_READ')
  assert.equal(error.field, 'updatedAt')
  assert.match(error.message, /^Schedule "deleted-after-edit" changed since you opened it: test-admin saved it at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. It was not deleted\.$/)
  assert.equal((await h.inject(`/api/schedules/${opened.id}`)).statusCode, 200, 'the refused delete deleted nothing')
  const audit = (await h.inject({ method: 'GET', url: '/api/audit?action=schedule-delete' })).json<AuditPage>()
  assert.ok(!audit.items.some((item) => item.message?.includes('"deleted-after-edit"') === true), 'nor was it recorded as deleted')

  const bad = await h.inject({ method: 'DELETE', url: `/api/schedules/${opened.id}?updatedAt=yesterday` })
  assert.equal(bad.statusCode, 400, bad.body)
  assert.equal(bad.json<ErrorBody>().error.field, 'updatedAt')
  // Misspelt, the version would not be checked: refused, naming it, and nothing deleted.
  const misspelt = await h.inject({ method: 'DELETE', url: `/api/schedules/${opened.id}?updatedat=${encodeURIComponent(opened.updatedAt)}` })
  assert.equal(misspelt.statusCode, 400, misspelt.body)
  assert.equal(misspelt.json<ErrorBody>().error.field, 'updatedat')
  assert.equal((await h.inject(`/api/schedules/${opened.id}`)).statusCode, 200)

  // The version read now, even written with +00:00, deletes it.
  const current = edited.json<Schedule>().updatedAt.replace(/Z$/, '+00:00')
  assert.equal((await h.inject({ method: 'DELETE', url: `/api/schedules/${opened.id}?updatedAt=${encodeURIComponent(current)}` })).statusCode, 204)
  assert.equal((await h.inject(`/api/schedules/${opened.id}`)).statusCode, 404)

  // A script that sends no version deletes as before.
  const plain = (await create({ name: 'deleted-by-script', cron: '0 2 * * *', timezone: 'UTC', enabled: false })).json<Schedule>()
  await h.inject({ method: 'PATCH', url: `/api/schedules/${plain.id}`, payload: { cron: '0 3 * * *' } })
  assert.equal((await h.inject({ method: 'DELETE', url: `/api/schedules/${plain.id}` })).statusCode, 204)
})

test('a run-now confirmed on a copy read before an edit is refused, naming who saved and when: what runs is what the person was shown', async () => {
  const settings = await h.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Ward A', devices: ['SEP00000000A001'] }, { name: 'Ward B', devices: ['SEP00000000B001'] }] } })
  assert.equal(settings.statusCode, 200, settings.body)
  const opened = (await create({ name: 'ward-b-now', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-saved-list', list: 'Ward B', enabled: false })).json<Schedule>()
  // An operator's Run now dialog says "the device list "Ward B""; an admin points the schedule at Ward A meanwhile.
  const edited = await h.inject({ method: 'PATCH', url: `/api/schedules/${opened.id}`, payload: { list: 'Ward A', updatedAt: opened.updatedAt } })
  assert.equal(edited.statusCode, 200, edited.body)
  const before = h.sim.stats.requests
  const stale = await h.inject({ method: 'POST', url: `/api/schedules/${opened.id}/run-now`, payload: { updatedAt: opened.updatedAt } }, 'operator')
  assert.equal(stale.statusCode, 409, `the schedule changed since it was read ran: ${stale.statusCode} ${stale.body}`)
  const { error } = stale.json<ErrorBody>()
  assert.equal(error.code, 'CHANGED_SINCE_READ')
  assert.equal(error.field, 'updatedAt')
  assert.match(error.message, /^Schedule "ward-b-now" changed since you opened it: test-admin saved it at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. It was not run\.$/)
  assert.equal(h.sim.stats.requests, before, 'nothing was sent to CUCM')
  assert.equal((await h.inject(`/api/schedules/${opened.id}`)).json<Schedule>().lastAuditId, null, 'nor was it recorded as run')

  // Run from the copy read now (or by a script that sends no version), it runs.
  const current = await h.inject({ method: 'POST', url: `/api/schedules/${opened.id}/run-now`, payload: { updatedAt: edited.json<Schedule>().updatedAt } }, 'operator')
  assert.notEqual(current.json<ErrorBody>().error?.code, 'CHANGED_SINCE_READ', current.body)
  assert.ok((await h.inject(`/api/schedules/${opened.id}`)).json<Schedule>().lastAuditId !== null, 'recorded as run')
})
