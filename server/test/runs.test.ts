import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { copyAsACrashLeavesIt } from './helpers/database.ts'
import type { Run, RunItem, RunItemsPage, RunProgressEvent, RunSummary } from '@em-console/shared/schemas'
import { decodeFile } from '@em-console/shared/rules'
import { readRunCsv } from '../src/runs/csv.ts'
import { bulkDeviceName, bulkScenario } from '../src/simulator/bulk-scenario.ts'
import { buildTestApp, receivedOf, runEnded, type TestApp, type TestAppOptions } from './helpers/app.ts'
import { eventually } from './helpers/eventually.ts'

type RunList = { runs: RunSummary[] }

const devices = (n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => bulkDeviceName(from + i))

async function withApp (options: TestAppOptions, body: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await buildTestApp(options)
  try {
    await body(t)
  } finally {
    await t.close()
  }
}

/** Every item of a run, page by page as the API serves them. */
async function allItems (t: TestApp, id: string): Promise<RunItem[]> {
  const items: RunItem[] = []
  for (let after: number | null = -1; after !== null;) {
    const res = await t.inject(`/api/runs/${id}/items?after=${after}`)
    assert.equal(res.statusCode, 200, res.body)
    const page = res.json() as RunItemsPage
    items.push(...page.items)
    after = page.nextAfter
  }
  return items
}

describe('CSV input', () => {
  test('a header row as CUCM exports write it ("Device Name", with more columns) is a header, not a bad device', () => {
    for (const header of ['Device Name,Description,Device Pool', 'device', 'DEVICE NAME', 'DeviceName', 'name']) {
      const { devices, problems } = readRunCsv(`${header}\nSEP001122334455,Lobby,DP_OSLO\n`, 'logout')
      assert.deepEqual([devices, problems], [['SEP001122334455'], []], header)
    }
  })

  test('header, BOM, quotes, CRLF and blank lines; bad rows reported by line and not run', () => {
    const csv = '\uFEFFdevice,user,profile,duration\r\nSEP001122334455,"doe, john",P1,30\r\n\r\n"SEP00AABBCCDDEE","a ""quoted"" user",,\r\nbad name,x,,\r\nSEP0000000000AA,,,\r\nSEP0000000000BB,u,,ten\r\nSEP0000000000CC,"multi\nline",,'
    const { items, problems } = readRunCsv(csv, 'login')
    assert.deepEqual(items, [
      { device: 'SEP001122334455', user: 'doe, john', profile: 'P1', durationMinutes: 30 },
      { device: 'SEP00AABBCCDDEE', user: 'a "quoted" user' }
    ])
    assert.deepEqual(problems.map((p) => p.line), [5, 6, 7, 8])
    assert.match(problems[0]?.message ?? '', /not a device name/)
    assert.match(problems[1]?.message ?? '', /user is missing/)
    assert.match(problems[2]?.message ?? '', /duration/)
  })

  test('a login row\'s duration: minutes, the plain words for none ("indefinite", "never", "none"), or empty for the cluster\'s default', () => {
    const csv = ['device,user,profile,duration', 'SEP001122334455,jdoe,,indefinite', 'SEP001122334466,asmith,,Never', 'SEP001122334477,bwayne,, none ', 'SEP001122334488,ckent,,', 'SEP001122334499,dprince,,45', 'SEP0011223344AA,eprince,,forever'].join('\r\n')
    const { items, problems } = readRunCsv(csv, 'login')
    assert.deepEqual(items, [
      { device: 'SEP001122334455', user: 'jdoe', indefinite: true },
      { device: 'SEP001122334466', user: 'asmith', indefinite: true },
      { device: 'SEP001122334477', user: 'bwayne', indefinite: true },
      { device: 'SEP001122334488', user: 'ckent' },
      { device: 'SEP001122334499', user: 'dprince', durationMinutes: 45 }
    ])
    assert.deepEqual(problems, [{ line: 7, message: 'duration "forever" is not a whole number of minutes, nor "indefinite" (no automatic logout); leave it empty for the cluster\'s default' }])
  })

  test('a login row with a field out of its rule says which field and what it may hold', () => {
    const csv = ['device,user,profile,duration', 'SEP001122334455,jdoe,,0', 'SEP001122334466,jdoe,,20000', `SEP001122334477,${'u'.repeat(129)},,`, `SEP001122334488,jdoe,${'p'.repeat(51)},`, 'SEP001122334499,jdoe,,10080', 'SEP0011223344AA,jdoe,,1'].join('\n')
    const { items, problems } = readRunCsv(csv, 'login')
    // Both bounds are durations: a week, and one minute.
    assert.deepEqual(items, [{ device: 'SEP001122334499', user: 'jdoe', durationMinutes: 10_080 }, { device: 'SEP0011223344AA', user: 'jdoe', durationMinutes: 1 }])
    assert.deepEqual(problems.map((p) => [p.line, p.message.split('.')[0]]), [
      [2, 'Duration: whole minutes from 1 to 10080 (one week)'],
      [3, 'Duration: whole minutes from 1 to 10080 (one week)'],
      [4, 'User ID: up to 128 characters, without control characters'],
      [5, 'Device profile: up to 50 characters, without control characters']
    ])
  })

  test('the CSV files an admin has: a BAT or "Find and List" export (its column found by its header), semicolons, a header "Phone"', () => {
    const files = {
      'BAT phones, the device column not first': 'Description,DEVICE NAME,Device Protocol\r\n"Lobby, ""main""",SEP001122334455,SIP\r\n',
      'Excel in a German locale': 'Beschreibung;Device Name\r\nEmpfang;SEP001122334455',
      'a header "Phone"': 'Phone\nSEP001122334455\n'
    }
    for (const [label, text] of Object.entries(files)) assert.deepEqual(readRunCsv(text, 'logout'), { devices: ['SEP001122334455'], items: [], problems: [] }, label)
    const login = readRunCsv('USER ID;Description;DEVICE NAME\njdoe;"Lobby; main";SEP001122334455\n', 'login')
    assert.deepEqual([login.items, login.problems], [[{ device: 'SEP001122334455', user: 'jdoe' }], []])
  })

  test('a file that is no CSV (an .xlsx, a PNG, UTF-16 without its mark) is refused once, saying so, not line by line', () => {
    const files = {
      xlsx: Buffer.from('504b030414000600080000002100', 'hex'),
      png: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      'UTF-16 without a mark': Buffer.from('device\r\nSEP001122334455\r\nSEP00AABBCCDDEE\r\n', 'utf16le')
    }
    for (const [label, bytes] of Object.entries(files)) {
      assert.throws(() => readRunCsv(bytes.toString('utf8'), 'logout'), { name: 'CsvFileError', message: /^The file is .*not a CSV file|^The file is UTF-16 text/ }, label)
    }
    // One stray NUL in a UTF-8 file is that row's problem, not the file's encoding.
    const stray = readRunCsv('device\r\nSEP001122334455\r\nSEP00AABB\u0000CCDDEE\r\n', 'logout')
    assert.deepEqual(stray.devices, ['SEP001122334455'])
    assert.equal(stray.problems.length, 1)
  })

  test('a login file Excel saved as "CSV (Comma delimited)" (the Windows code page, not UTF-8): a user or profile with a letter it could not read is that row\'s problem, saying how to save it, not a login sent for "jos\uFFFD"', () => {
    const cp1252 = Buffer.from('device;user;profile\r\nSEP001122334455;jdoe;\r\nSEP001122334466;jos\xe9.garc\xeda;\r\nSEP001122334477;asmith;M\xfcller-EM\r\n', 'latin1')
    const { items, problems } = readRunCsv(decodeFile(cp1252), 'login')
    assert.deepEqual(items, [{ device: 'SEP001122334455', user: 'jdoe' }])
    assert.deepEqual(problems, [
      { line: 3, message: 'the user "jos\uFFFD.garc\uFFFDa" holds characters that are not UTF-8 (Excel\'s "CSV (Comma delimited)" saves in the Windows code page): in Excel, save the file as "CSV UTF-8 (Comma delimited)" and upload that' },
      { line: 4, message: 'the profile "M\uFFFDller-EM" holds characters that are not UTF-8 (Excel\'s "CSV (Comma delimited)" saves in the Windows code page): in Excel, save the file as "CSV UTF-8 (Comma delimited)" and upload that' }
    ])
  })

  test('a MAC address in a file is read as its phone, as a pasted list and the CLI read it', () => {
    assert.deepEqual(readRunCsv('00:11:22:33:44:55\n0011.2233.4466\n001122334477\n', 'logout'), { devices: ['SEP001122334455', 'SEP001122334466', 'SEP001122334477'], items: [], problems: [] })
    assert.deepEqual(readRunCsv('device,user\n00-11-22-33-44-55,jdoe\n', 'login').items, [{ device: 'SEP001122334455', user: 'jdoe' }])
  })

  test('logout CSV: one device per row, with or without a header', () => {
    assert.deepEqual(readRunCsv('SEP1\nSEP2\n', 'logout').devices, ['SEP1', 'SEP2'])
    assert.deepEqual(readRunCsv('Device\r\nSEP1', 'logout').devices, ['SEP1'])
    assert.deepEqual(readRunCsv('', 'logout').problems, [{ line: 1, message: 'the file has no rows' }])
  })

  test('a CSV of exactly as many rows as a run takes (5,000) is read whole, with or without a header; one more is refused', () => {
    const names = devices(5000)
    for (const header of [[], ['device']]) {
      const read = readRunCsv([...header, ...names].join('\n'), 'logout')
      assert.deepEqual([read.devices.length, read.devices.at(-1), read.problems], [5000, names.at(-1), []], header.join())
      assert.throws(() => readRunCsv([...header, ...names, 'SEP999999999999'].join('\n'), 'logout'), { name: 'TooManyRowsError', message: /more than 5,000 rows/ }, header.join())
    }
  })

  test('a quote never closed is a problem of its line, not a value that swallows the rest of the file', () => {
    const login = readRunCsv('SEP1,jdoe\nSEPC00000000C51,"unterminated,,\nSEP3,asmith\n', 'login')
    assert.deepEqual(login.items.map((i) => i.device), ['SEP1'])
    assert.deepEqual(login.problems.map((p) => p.line), [2])
    assert.match(login.problems[0]?.message ?? '', /never closed/)
    const logout = readRunCsv('SEP1\n"SEP2', 'logout')
    assert.deepEqual([logout.devices, logout.problems.map((p) => p.line)], [['SEP1'], [2]])
    // A lone quote on the last line spoils that line, not the one before it.
    const stray = readRunCsv('SEP1\nSEP2\n"', 'logout')
    assert.deepEqual([stray.devices, stray.problems.map((p) => p.line)], [['SEP1', 'SEP2'], [3]])
  })
})

describe('bulk runs against the simulator', () => {
  test('preview sorts devices into will-logout, empty, not-found and excluded (exemptions by device and user)', async () => {
    await withApp({ simulator: { scenario: bulkScenario(6, 2) } }, async (t) => {
      await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [bulkDeviceName(0).toLowerCase()], users: ['BULK.USER1'] }, logoutDeviceList: [] } })
      const res = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'logout', devices: [...devices(8), 'SEPFFFFFFFFFFFF'] } })
      assert.equal(res.statusCode, 200, res.body)
      const byDevice = Object.fromEntries((res.json().items as Array<{ device: string, category: string }>).map((i) => [i.device, i.category]))
      assert.equal(byDevice[bulkDeviceName(0)], 'excluded')
      assert.equal(byDevice[bulkDeviceName(1)], 'excluded')
      assert.equal(byDevice[bulkDeviceName(2)], 'will-logout')
      assert.equal(byDevice[bulkDeviceName(7)], 'empty')
      assert.equal(byDevice.SEPFFFFFFFFFFFF, 'not-found')
      assert.deepEqual(res.json().counts, { excluded: 2, 'will-logout': 4, empty: 2, 'not-found': 1 })
      assert.equal(receivedOf(t.sim, 'logout').length, 0, 'a preview changes nothing')
    })
  })

  test('a device listed twice in a logout CSV is shown as such in the preview and the run, not dropped without a word', async () => {
    await withApp({ simulator: { scenario: bulkScenario(2, 2) } }, async (t) => {
      const csv = `device\n${bulkDeviceName(0)}\n${bulkDeviceName(1)}\n${bulkDeviceName(0).toLowerCase()}\n`
      const preview = await t.inject({ method: 'POST', url: '/api/runs/preview?action=logout', headers: { 'content-type': 'text/csv' }, payload: csv })
      assert.equal(preview.statusCode, 200, preview.body)
      assert.deepEqual((preview.json().items as Array<{ category: string }>).map((i) => i.category), ['will-logout', 'will-logout', 'duplicate'])
      const res = await t.inject({ method: 'POST', url: '/api/runs?action=logout', headers: { 'content-type': 'text/csv' }, payload: csv })
      assert.equal(res.statusCode, 202, res.body)
      const run = await runEnded(t, res.json().id as string)
      assert.deepEqual(run.counts, { success: 2, duplicate: 1 })
      assert.equal(receivedOf(t.sim, 'logout').length, 2, 'one logout per device')
    })
  })

  test('a run on a console of one cluster names it in its summary record, so History filtered by that cluster shows the run with its items', async () => {
    await withApp({ simulator: { scenario: bulkScenario(2) } }, async (t) => {
      const cluster = (await t.inject('/api/clusters')).json<{ clusters: Array<{ id: string }> }>().clusters.map((c) => c.id)
      assert.equal(cluster.length, 1)
      const res = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(2), verifyAfterSeconds: 0 } })
      const { id } = await runEnded(t, res.json().id as string)
      const history = (await t.inject(`/api/audit?action=bulk-run&cluster=${cluster[0] ?? ''}`)).json<{ items: Array<{ runId: string }> }>().items
      assert.deepEqual(history.map((row) => row.runId), [id])
    })
  })

  test('the runs are listed a page at a time, the latest first: nextBefore leads to the earlier ones, an unknown one is a 400 naming it', async () => {
    await withApp({ simulator: { scenario: bulkScenario(1) } }, async (t) => {
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        const res = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(1), verifyAfterSeconds: 0 } })
        ids.push((await runEnded(t, res.json().id as string)).id)
      }
      const first = (await t.inject('/api/runs?limit=2')).json<{ runs: RunSummary[], nextBefore: string | null }>()
      assert.deepEqual(first.runs.map((r) => r.id), [ids[2], ids[1]])
      assert.equal(first.nextBefore, ids[1])
      const second = (await t.inject(`/api/runs?limit=2&before=${first.nextBefore ?? ''}`)).json<{ runs: RunSummary[], nextBefore: string | null }>()
      assert.deepEqual(second, { runs: second.runs, nextBefore: null })
      assert.deepEqual(second.runs.map((r) => r.id), [ids[0]])
      assert.equal((await t.inject('/api/runs?limit=3')).json<{ nextBefore: string | null }>().nextBefore, null, 'no page after the last')
      const unknown = await t.inject('/api/runs?before=no-such-run')
      assert.equal(unknown.statusCode, 400, unknown.body)
      assert.equal(unknown.json().error.field, 'before')
    })
  })

  test('a run\'s items with a misspelt ?outcome= are a 400 naming it: ignored, every item was answered as the failures', async () => {
    await withApp({ simulator: { scenario: bulkScenario(2, 2) } }, async (t) => {
      const res = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [...devices(2), 'SEPFFFFFFFFFFFF'], verifyAfterSeconds: 0 } })
      assert.equal(res.statusCode, 202, res.body)
      const { id } = await runEnded(t, res.json().id as string)
      const misspelt = await t.inject(`/api/runs/${id}/items?outcom=failed`)
      assert.equal(misspelt.statusCode, 400, misspelt.body)
      assert.deepEqual(misspelt.json().error, { code: 'VALIDATION', message: 'The query parameter "outcom" is not a field this request takes.', field: 'outcom' })
      const notFound = await t.inject(`/api/runs/${id}/items?outcome=not-found&after=-1&limit=10`)
      assert.equal(notFound.statusCode, 200, notFound.body)
      assert.deepEqual((notFound.json() as RunItemsPage).items.map((i) => i.device), ['SEPFFFFFFFFFFFF'])
    })
  })

  test('a logout run sends logouts only to phones someone is on; exempt and unknown ones are untouched; each item is an audit row with the run id', async () => {
    await withApp({ simulator: { scenario: bulkScenario(30, 2) } }, async (t) => {
      await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [bulkDeviceName(3)], users: [] }, logoutDeviceList: [] } })
      const res = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: [...devices(32), 'SEPFFFFFFFFFFFF'], verifyAfterSeconds: 0 } })
      assert.equal(res.statusCode, 202, res.body)
      const run = await runEnded(t, res.json().id as string)
      assert.equal(run.state, 'done')
      assert.deepEqual(run.counts, { success: 29, empty: 2, excluded: 1, 'not-found': 1 })
      assert.equal(receivedOf(t.sim, 'logout').length, 29)
      for (const device of [bulkDeviceName(3), bulkDeviceName(30), bulkDeviceName(31), 'SEPFFFFFFFFFFFF']) {
        assert.ok(!receivedOf(t.sim, 'logout').some((xml) => xml.includes(device)), `no logout was sent to ${device}`)
      }
      const audited = t.audit.page({ runId: run.id, action: 'logout' }, 100).items
      assert.equal(audited.length, 29)
      const item = run.items.find((i) => i.device === bulkDeviceName(5))
      assert.equal(item?.userId, 'bulk.user5')
      assert.equal(t.audit.get(item?.auditId ?? 0)?.userId, 'bulk.user5')
    })
  })

  test('an item a run settles without sending anything (nobody on the phone, an unknown device or user, a repeat) says when it was settled, on its page and in the results CSV', async () => {
    await withApp({ simulator: { scenario: bulkScenario(1, 2) } }, async (t) => {
      // bulk.user2 exists and is logged in nowhere; the last device and user are unknown to CUCM.
      const asked = [
        { action: 'logout', devices: [...devices(2), bulkDeviceName(0), 'SEPFFFFFFFFFFFF'], verifyAfterSeconds: 0 },
        { action: 'logout', users: ['bulk.user0', 'bulk.user2', 'nobody.known'], verifyAfterSeconds: 0 }
      ]
      for (const payload of asked) {
        const started = await t.inject({ method: 'POST', url: '/api/runs', payload })
        assert.equal(started.statusCode, 202, started.body)
        const run = await runEnded(t, started.json().id as string)
        const items = await allItems(t, run.id)
        assert.ok(items.some((i) => i.outcome !== 'success'), JSON.stringify(run.counts))
        // Settled between the run's creation and its end (a settled item may precede its first logout, and so its "started").
        const within = (at: string | null): boolean => at !== null && Date.parse(run.createdAt) <= Date.parse(at) && Date.parse(at) <= Date.parse(run.finishedAt ?? '')
        assert.deepEqual(items.filter((i) => !within(i.finishedAt)).map((i) => [i.outcome, i.finishedAt]), [], JSON.stringify(items))
        const csv = await t.inject(`/api/runs/${run.id}/results.csv`)
        assert.equal(csv.statusCode, 200)
        const rows = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1)
        assert.equal(rows.length, items.length)
        // Its time column: the item's finishedAt, between the message and the (empty) verified column.
        items.forEach((item, i) => { assert.ok(rows[i]?.includes(`,${String(item.finishedAt)},,`), `${rows[i] ?? ''} has ${String(item.finishedAt)}`) })
      }
    })
  })

  test('a run of users counts its items about users apart, in the words of its rows: an unknown user is not an unknown device', async () => {
    await withApp({ simulator: { scenario: bulkScenario(1, 2) } }, async (t) => {
      // bulk.user0 is on its phone, bulk.user2 is logged in nowhere, nobody.known is unknown to CUCM.
      const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', users: ['bulk.user0', 'bulk.user2', 'nobody.known'], verifyAfterSeconds: 0 } })
      assert.equal(started.statusCode, 202, started.body)
      const run = await runEnded(t, started.json().id as string)
      const summary = (await t.inject(`/api/runs/${run.id}`)).json() as RunSummary
      assert.deepEqual([summary.counts, summary.userCounts], [{ success: 1, 'not-found': 1, empty: 1 }, { 'not-found': 1, empty: 1 }])
      const events = await t.inject(`/api/runs/${run.id}/events`)
      const event = JSON.parse(events.body.split('data: ')[1] ?? '{}') as RunProgressEvent
      assert.deepEqual(event.userCounts, { 'not-found': 1, empty: 1 })
      assert.deepEqual(t.audit.page({ runId: run.id, action: 'bulk-run' }, 10).items.map((row) => row.message?.replace(run.id.slice(0, 8), '<id>')),
        ['Logout of 3 users (bulk.user0, bulk.user2, nobody.known): 3 devices and users (run <id>): 1 success, 1 unknown user, 1 logged in nowhere.'])

      // A user's phone deleted between the user's look-up and the phone's leaves an unknown device
      // in a run of users, as the run service writes it: both are counted, each as its kind.
      const id = 'b0b0b0b0-0000-4000-8000-000000000001'
      await t.store.write((w) => {
        w.runs.create({ id, action: 'logout', trigger: 'api', actor: 'admin', words: { title: 'Logout of 2 users (jdoe, nobody.here)' } })
        w.runs.addItems(id, [
          { device: 'SEP001122334455', userId: 'jdoe', outcome: 'not-found', message: 'CUCM does not know this device' },
          { device: '', userId: 'nobody.here', outcome: 'not-found', message: 'CUCM does not know this user' }
        ])
        w.runs.setState(id, 'done')
      }, 'test run')
      const both = (await t.inject(`/api/runs/${id}`)).json() as RunSummary
      assert.deepEqual([both.counts, both.userCounts], [{ 'not-found': 2 }, { 'not-found': 1 }])
      const runs = (await t.inject('/api/runs')).json() as RunList
      assert.deepEqual(runs.runs.find((r) => r.id === id)?.userCounts, { 'not-found': 1 })
    })
  })

  test('a run started from the dashboard ends with one bulk-run summary record: History finds it by its run and its cluster, the Overview counts its failures once', async () => {
    await withApp({ simulator: { scenario: bulkScenario(3) } }, async (t) => {
      const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(3), cluster: 'default', verifyAfterSeconds: 0 } })
      const run = await runEnded(t, started.json().id as string)
      const summaries = t.audit.page({ runId: run.id, action: 'bulk-run' }, 10).items
      assert.deepEqual(summaries.map((row) => [row.outcome, row.cluster, row.message]), [['success', 'default', `Bulk logout of 3 devices (run ${run.id.slice(0, 8)}): 3 success.`]])
      const history = (await t.inject('/api/audit?action=bulk-run&cluster=default')).json().items as Array<{ id: number }>
      assert.deepEqual(history.map((row) => row.id), [summaries[0]?.id])

      // CUCM not answering: the run's look-ups fail, its items are not run; each failed look-up is
      // a failure of the day, the summary of the run they failed is not one more.
      t.sim.setFaults({ mode: 'http-503' })
      const failing = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(3), verifyAfterSeconds: 0 } })
      const failed = await runEnded(t, failing.json().id as string)
      const summary = t.audit.page({ runId: failed.id, action: 'bulk-run' }, 10).items
      // Asked without a cluster on a console of one: its summary names that one.
      assert.deepEqual(summary.map((row) => [row.outcome, row.errorCode, row.cluster]), [['failure', 'RUN_FAILED', 'default']])
      // Why, in the summary too: the items' one reason (a schedule's last run and History say it without opening the run).
      assert.match(summary[0]?.message ?? '', /: 3 not run\. Why: The look-up before it failed: .*503/)
      const lookUps = t.audit.page({ runId: failed.id, action: 'device-query', outcome: 'error' }, 10).items.length
      assert.ok(lookUps > 0)
      assert.equal((await t.inject('/api/audit/stats?days=1')).json().today.failures, lookUps)
    })
  })

  test('a run of a device list started from the dashboard names the list in its summary record, as a schedule\'s run of it does', async () => {
    await withApp({ simulator: { scenario: bulkScenario(5) } }, async (t) => {
      const saved = await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, deviceLists: [{ name: 'Lobby', devices: devices(3) }, { name: 'Desks', devices: devices(2, 3) }] } })
      assert.equal(saved.statusCode, 200, saved.body)
      // By its name, and the first list as the Log out all page's "saved list" runs it.
      for (const [body, words] of [[{ list: 'Desks' }, 'Per-device logout of the list "Desks": 2 devices'], [{ savedList: true }, 'Per-device logout of the list "Lobby": 3 devices']] as const) {
        const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', verifyAfterSeconds: 0, ...body } })
        assert.equal(started.statusCode, 202, started.body)
        const run = await runEnded(t, started.json().id as string)
        const summaries = t.audit.page({ runId: run.id, action: 'bulk-run' }, 10).items
        assert.deepEqual(summaries.map((row) => row.message), [`${words} (run ${run.id.slice(0, 8)}): ${run.total} success.`])
        // The run's page and the list of runs say what it was in the same words.
        const title = words.slice(0, words.lastIndexOf(':'))
        assert.equal((await t.inject(`/api/runs/${run.id}`)).json().title, title)
        assert.equal(((await t.inject('/api/runs')).json() as RunList).runs.find((r) => r.id === run.id)?.title, title)
      }
    })
  })

  test('a run of a list of users, or of a CSV, says so in its summary record and its title: the users (the first three named), the file by its name when the client gave it', async () => {
    await withApp({ simulator: { scenario: bulkScenario(5, 5) } }, async (t) => {
      /** Starts a run and answers with its title and its one summary record's words, its own id written <id>. */
      const wordsOf = async (request: { url: string, payload: string | object, csv?: true }): Promise<[string, string]> => {
        const started = await t.inject({ method: 'POST', url: request.url, payload: request.payload, ...(request.csv === undefined ? {} : { headers: { 'content-type': 'text/csv' } }) })
        assert.equal(started.statusCode, 202, started.body)
        const run = await runEnded(t, started.json().id as string)
        const summaries = t.audit.page({ runId: run.id, action: 'bulk-run' }, 10).items
        assert.equal(summaries.length, 1)
        const listed = ((await t.inject('/api/runs')).json() as RunList).runs.find((r) => r.id === run.id)
        assert.equal(listed?.title, (await t.inject(`/api/runs/${run.id}`)).json().title)
        return [String(listed?.title), (summaries[0]?.message ?? '').replace(`run ${run.id.slice(0, 8)}`, 'run <id>')]
      }
      const users = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `bulk.user${from + i}`)
      // The same user twice (CUCM compares IDs without case) is one of the users.
      assert.deepEqual(await wordsOf({ url: '/api/runs', payload: { action: 'logout', users: [...users(0, 4), 'BULK.USER0'], verifyAfterSeconds: 0 } }),
        ['Logout of 4 users (bulk.user0, bulk.user1, bulk.user2 and 1 more)', 'Logout of 4 users (bulk.user0, bulk.user1, bulk.user2 and 1 more): 4 devices (run <id>): 4 success.'])
      assert.deepEqual(await wordsOf({ url: '/api/runs', payload: { action: 'logout', users: users(4, 1), verifyAfterSeconds: 0 } }),
        ['Logout of the user bulk.user4', 'Logout of the user bulk.user4: 1 device (run <id>): 1 success.'])
      // Its rows refused at preview (here a name that is no device; a blank line is no row) are not
      // run: the title says how many were left out, so "2 devices" is not read as the whole file.
      assert.deepEqual(await wordsOf({ url: '/api/runs?action=logout&verifyAfterSeconds=0&file=office-3.csv', payload: `device\n${devices(2).join('\n')}\n\nnot a device!\n`, csv: true }),
        ['Logout of the devices in the uploaded file "office-3.csv" (1 of its rows left out)', 'Logout of the devices in the uploaded file "office-3.csv" (1 of its rows left out): 2 devices (run <id>): 2 nobody to log out.'])
      // Without a name (a script's upload, lines pasted on the dashboard): a CSV.
      const logins = devices(3, 5).map((device, i) => `${device},bulk.user${5 + i}`)
      assert.deepEqual(await wordsOf({ url: '/api/runs?action=login&verifyAfterSeconds=0', payload: `device,user\n${logins.join('\n')}\n`, csv: true }),
        ['Login of 3 users from a CSV', 'Login of 3 users from a CSV: 3 devices (run <id>): 3 success.'])
    })
  })

  test('an audit record says whether its run id names a bulk run (a page of its own) or only groups records', async () => {
    await withApp({ simulator: { scenario: bulkScenario(60) } }, async (t) => {
      const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(2), verifyAfterSeconds: 0 } })
      const run = await runEnded(t, started.json().id as string)
      const item = run.items[0]
      // A look-up of more than 50 devices is asked in chunks, filed under a run id of their own.
      assert.equal((await t.inject({ method: 'POST', url: '/api/devices/status', payload: { names: devices(60) } })).statusCode, 200)
      const chunk = t.audit.page({ action: 'device-query' }, 10).items.find((record) => record.runId !== null && record.runId !== run.id)
      assert.ok(item?.auditId != null && chunk !== undefined)
      const recordOf = async (id: number) => (await t.inject(`/api/audit/${id}`)).json() as { runId: string | null, bulkRun: boolean }
      const logout = await recordOf(item.auditId)
      assert.deepEqual([logout.runId, logout.bulkRun], [run.id, true])
      assert.equal((await recordOf(chunk.id)).bulkRun, false)
    })
  })

  test('a long run starts logging out after its first look-up; the run\'s look-ups carry its id', async () => {
    await withApp({ maxConcurrency: 2, simulator: { scenario: bulkScenario(120), faults: { latencyMs: 20 } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(120), verifyAfterSeconds: 0 } })).json()
      const run = await runEnded(t, id as string)
      assert.deepEqual(run.counts, { success: 120 })
      const lookUps = t.audit.page({ runId: run.id, action: 'device-query' }, 10).items
      assert.equal(lookUps.length, 3, 'three chunks of at most 50 devices')
      const logouts = t.audit.page({ runId: run.id, action: 'logout' }, 200).items
      const firstLogout = logouts.at(-1)
      const lastLookUp = lookUps[0]
      assert.ok(firstLogout !== undefined && lastLookUp?.finishedAt != null)
      assert.ok(Date.parse(firstLogout.startedAt) < Date.parse(lastLookUp.finishedAt),
        `the first logout (${firstLogout.startedAt}) began before the last look-up ended (${lastLookUp.finishedAt})`)
    })
  })

  test('a look-up that keeps failing part-way (after its retries): devices looked up are run, the rest are not, none is lost', async () => {
    await withApp({ maxConcurrency: 1, simulator: { scenario: bulkScenario(120), faults: { latencyMs: 15 } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(120), verifyAfterSeconds: 0 } })).json()
      // Two chunks are looked up and the first logout sent; the third chunk's look-up comes
      // only once the second chunk starts, 50 logouts later, and CUCM is failing by then.
      await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length >= 2 && receivedOf(t.sim, 'logout').length >= 1 ? true : undefined)
      t.sim.setFaults({ mode: 'http-503' })
      const run = await runEnded(t, id as string)
      assert.equal(run.state, 'done')
      assert.equal(run.total, 120)
      const all = await allItems(t, run.id)
      const notRun = all.filter((i) => i.message?.startsWith('Not run: the look-up before it failed') === true)
      assert.deepEqual(notRun.map((i) => i.seq), Array.from({ length: 20 }, (_, i) => 100 + i))
      assert.ok(notRun.every((i) => i.outcome === 'not-run'))
      assert.ok(all.slice(0, 100).every((i) => i.outcome === 'success' || i.outcome === 'error'), 'every looked-up device was tried')
      assert.ok((run.counts.success ?? 0) >= 1)
      assert.equal(receivedOf(t.sim, 'logout').length, 100, 'no logout for a device that was not looked up')
      assert.equal(t.audit.page({ runId: run.id, action: 'device-query', outcome: 'error' }, 10).items.length, 3, 'the failed look-up and its two retries are in the audit trail')
    })
  })

  test('a look-up that fails once is tried again, and the run goes on', async () => {
    await withApp({ simulator: { scenario: bulkScenario(60) } }, async (t) => {
      // The next request CUCM gets (the run's first look-up) is refused; the one after is answered.
      t.sim.setFaults({ mode: 'reset', faultTimes: 1 })
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(60), verifyAfterSeconds: 0 } })).json()
      const run = await runEnded(t, id as string)
      assert.deepEqual(run.counts, { success: 60 })
      assert.equal(t.audit.page({ runId: run.id, action: 'device-query', outcome: 'error' }, 10).items.length, 1, 'the failed try is in the audit trail')
    })
  })

  test('two runs at once never exceed the server-wide cap; 26 bursts are retried', async () => {
    await withApp({ maxConcurrency: 3, busyRetries: 5, simulator: { scenario: bulkScenario(60), maxConcurrent: 5, faults: { latencyMs: 15 } } }, async (t) => {
      t.sim.setFaults({ busyBurst: 4 })
      const a = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(30), verifyAfterSeconds: 0 } })
      const b = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(30, 30), verifyAfterSeconds: 0 } })
      const runs = await Promise.all([runEnded(t, a.json().id as string), runEnded(t, b.json().id as string)])
      for (const run of runs) assert.deepEqual(run.counts, { success: 30 })
      assert.ok(t.sim.stats.peakInFlight <= 3, `peak in flight ${t.sim.stats.peakInFlight}`)
      assert.equal(receivedOf(t.sim, 'logout').length, 64, '60 logouts and 4 retried after code 26')
    })
  })

  test('a cap above CUCM\'s: its first busy answer lowers it to what CUCM takes, and no item fails', async () => {
    // CUCM's "Maximum Concurrent Requests" is 3 on older releases; the setting says 4.
    await withApp({ maxConcurrency: 4, busyRetries: 1, simulator: { scenario: bulkScenario(60), maxConcurrent: 3, faults: { latencyMs: 20 } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(60), verifyAfterSeconds: 0 } })).json()
      const run = await runEnded(t, id as string)
      assert.deepEqual(run.counts, { success: 60 })
      const refused = receivedOf(t.sim, 'logout').length - 60
      assert.ok(refused >= 1 && refused <= 2, `${refused} logouts refused busy: the first lowers the cap`)
      const said = t.logs.filter((line) => line.includes('answered busy (EMAPI code 26)'))
      assert.equal(said.length, 1, 'the admin is told once')
      assert.match(said[0] ?? '', /sending at most 3 of its logins and logouts at once for now, not 4\. .*EMAPI_MAX_CONCURRENCY/)
    })
  })

  test('cancel stops new items and lets in-flight ones finish', async () => {
    await withApp({ maxConcurrency: 2, simulator: { scenario: bulkScenario(40), faults: { latencyMs: 40 } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(40), verifyAfterSeconds: 0 } })).json()
      await eventually(() => (t.runs.summary(id as string)?.counts.success ?? 0) > 0 ? true : undefined, 10_000)
      const cancel = await t.inject({ method: 'POST', url: `/api/runs/${id as string}/cancel` })
      assert.equal(cancel.statusCode, 202)
      const run = await runEnded(t, id as string)
      assert.equal(run.state, 'cancelled')
      const done = run.counts.success ?? 0
      assert.ok(done > 0 && done < 40, `${done} done`)
      assert.equal(done + (run.counts.cancelled ?? 0), 40)
      assert.equal(receivedOf(t.sim, 'logout').length, done, 'no request was left without its result')
      // Every change the run recorded is final: those sent succeeded; those written while they
      // waited for a slot to CUCM say they were not sent.
      const rows = (await t.inject(`/api/audit?runId=${id as string}&action=logout&limit=100`)).json().items as Array<{ id: number, outcome: string, message: string }>
      assert.equal(rows.filter((r) => r.outcome === 'success').length, done)
      const notSent = rows.filter((r) => r.outcome !== 'success')
      assert.ok(notSent.length > 0)
      for (const row of notSent) assert.deepEqual(row, { ...row, outcome: 'interrupted', errorCode: 'NOT_SENT', message: 'Not sent: the run was cancelled or stopped before a slot to CUCM was free.' })
      // Each of those items links its record, as every item that has one does.
      const items = t.runs.allItems(id as string)
      const linked = new Set(items.filter((i) => i.outcome === 'cancelled').map((i) => i.auditId))
      for (const row of notSent) assert.ok(linked.has(row.id), `audit #${row.id} is linked by its cancelled item`)
      // Nothing failed: the Overview's failures of the day do not count what was never sent.
      assert.equal((await t.inject('/api/audit/stats?days=1')).json().today.failures, 0)
      assert.equal((await t.inject({ method: 'POST', url: `/api/runs/${id as string}/cancel` })).statusCode, 409)
    })
  })

  test('a cancel that the run\'s end overtakes leaves the run ended, never "cancelling" for ever', async () => {
    // 100 phones in use and 4,800 names CUCM does not know, cancelled a moment after the start (as
    // a person trying it did: once its first look-up has reached CUCM): the run can end while the
    // cancel is still being recorded.
    await withApp({ maxConcurrency: 4, simulator: { scenario: bulkScenario(100) } }, async (t) => {
      const names = [...devices(100), ...Array.from({ length: 4800 }, (_, i) => `SEPF${i.toString(16).toUpperCase().padStart(11, '0')}`)]
      for (let attempt = 0; attempt < 4; attempt++) {
        t.sim.reset()
        const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: names, verifyAfterSeconds: 0 } })).json()
        await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length > 0 ? true : undefined, 10_000)
        const cancel = await t.inject({ method: 'POST', url: `/api/runs/${id as string}/cancel` })
        await eventually(() => ['done', 'cancelled', 'interrupted'].includes(t.runs.summary(id as string)?.state ?? '') ? true : undefined, 20_000)
          .catch(() => assert.fail(`attempt ${attempt}: the run stayed ${t.runs.summary(id as string)?.state ?? '?'} (cancel answered ${cancel.statusCode})`))
      }
    })
  })

  test('a cancel that comes once the last item is done, while the run\'s end is being written, leaves the run done on disk, not "cancelling"', async () => {
    await withApp({ simulator: { scenario: bulkScenario(3) } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(3), verifyAfterSeconds: 0 } })).json() as { id: string }
      let cancelled: Promise<boolean> | undefined
      t.runs.subscribe(id, (event) => {
        // The last item's result: the run's end is written in this turn of the event loop; the
        // cancel comes in the next, as a request would, before that write is committed.
        if (event.item !== undefined && event.counts.pending === undefined) setImmediate(() => { cancelled = t.runs.cancel({ actor: 'tester', trigger: 'api' }, id) })
      })
      await eventually(() => cancelled, 10_000)
      assert.equal(await cancelled, false, 'nothing was left to cancel')
      await t.runs.finished(id)
      const run = await runEnded(t, id, 5_000).catch(() => assert.fail(`the run stayed ${t.runs.summary(id)?.state ?? '?'} on disk`))
      assert.equal(run.state, 'done')
      assert.deepEqual(run.counts, { success: 3 })
      assert.equal(t.audit.page({ runId: id, action: 'bulk-run' }, 10).items.length, 1)
    })
  })

  test('a retry logs out the user the run found on the phone, not whoever sat down since', async () => {
    await withApp({ busyRetries: 0, simulator: { scenario: bulkScenario(2, 1) } }, async (t) => {
      // CUCM is busy for the first logout, with no retry: it fails; the second succeeds.
      t.sim.setFaults({ busyBurst: 1 })
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(2), verifyAfterSeconds: 0 } })).json()
      const run = await runEnded(t, id as string)
      assert.deepEqual(run.counts, { failure: 1, success: 1 })
      const failed = run.items.find((i) => i.outcome === 'failure')
      assert.ok(failed !== undefined && failed.userId !== null)
      // Someone else is on that phone by the retry.
      assert.equal(t.sim.state.logout(failed.device).ok, true)
      assert.deepEqual(t.sim.state.login({ deviceName: failed.device, userId: 'bulk.user2' }), { ok: true })
      const retry = await t.inject({ method: 'POST', url: `/api/runs/${id as string}/retry` })
      assert.equal(retry.statusCode, 202, retry.body)
      const second = await runEnded(t, retry.json().id as string)
      assert.deepEqual(second.items.map((i) => [i.device, i.outcome]), [[failed.device, 'empty']])
      assert.match(second.items[0]?.message ?? '', new RegExp(`${failed.userId} is no longer logged in here \\(bulk.user2 is\\)`))
      assert.equal(t.sim.state.getDevice(failed.device)?.currentUser, 'bulk.user2', 'left alone')
    })
  })

  test('a run\'s failed items are retried once: a second "Retry failed" (two admins at once, or on the old run days later) is refused naming the retry, and sends nothing', async () => {
    await withApp({ busyRetries: 0, simulator: { scenario: bulkScenario(2, 1), faults: { latencyMs: 100 } } }, async (t) => {
      // CUCM is busy for the first logout, with no retry: it fails; the second succeeds.
      t.sim.setFaults({ busyBurst: 1 })
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(2), verifyAfterSeconds: 0 } })).json() as { id: string }
      const run = await runEnded(t, id)
      assert.deepEqual(run.counts, { failure: 1, success: 1 })
      const failed = run.items.find((i) => i.outcome === 'failure')
      assert.ok(failed !== undefined && failed.userId !== null)
      const logoutsOf = (device: string): number => receivedOf(t.sim, 'logout').filter((xml) => xml.includes(device)).length
      const before = logoutsOf(failed.device)
      // Two admins click "Retry failed" at once: one run sends the logout, the other is refused.
      const both = await Promise.all([1, 2].map(async () => await t.inject({ method: 'POST', url: `/api/runs/${id}/retry`, payload: { scope: 'failed' } })))
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [202, 409], both.map((r) => r.body).join(' / '))
      const retryId = both.find((r) => r.statusCode === 202)?.json().id as string
      assert.match(both.find((r) => r.statusCode === 409)?.json().error.message as string, new RegExp(`retried already as run ${retryId.slice(0, 8)}`))
      assert.deepEqual((await runEnded(t, retryId)).counts, { success: 1 })
      assert.equal(logoutsOf(failed.device) - before, 1, 'one logout sent')
      // Days later the same user is on that phone again; the old run's "Retry failed" leaves them alone.
      assert.deepEqual(t.sim.state.login({ deviceName: failed.device, userId: failed.userId }), { ok: true })
      const again = await t.inject({ method: 'POST', url: `/api/runs/${id}/retry`, payload: { scope: 'failed' } })
      assert.equal(again.statusCode, 409, again.body)
      assert.equal(again.json().error.code, 'NOTHING_TO_RETRY')
      assert.equal(t.sim.state.getDevice(failed.device)?.currentUser, failed.userId, 'the new session stands')
      assert.equal(t.runs.recent(10).length, 2, 'no run was made of the refusals')
      // The run says which run took its failures, so a page shows that retry instead of a button refused 409.
      const parent = (await t.inject(`/api/runs/${id}`)).json<Run>()
      assert.deepEqual(parent.retries.map((r) => [r.scope, r.runId, r.actor]), [['failed', retryId, 'test-admin']])
      assert.deepEqual((await t.inject(`/api/runs/${retryId}`)).json<Run>().retries, [])
    })
  })

  test('a run still going is not retried: its failures are taken once it has ended, all of them', async () => {
    await withApp({ busyRetries: 0, maxConcurrency: 1, simulator: { scenario: bulkScenario(20), faults: { latencyMs: 50 } } }, async (t) => {
      t.sim.setFaults({ busyBurst: 1 })
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(20), verifyAfterSeconds: 0 } })).json() as { id: string }
      await eventually(() => (t.runs.summary(id)?.counts.failure ?? 0) > 0 ? true : undefined, 10_000)
      const early = await t.inject({ method: 'POST', url: `/api/runs/${id}/retry`, payload: { scope: 'failed' } })
      assert.equal(early.statusCode, 409, early.body)
      assert.match(early.json().error.message as string, /has not ended \(running\)/)
      t.sim.setFaults({ busyBurst: 1 })
      const run = await runEnded(t, id)
      assert.equal(run.counts.failure, 2, JSON.stringify(run.counts))
      const retried = await t.inject({ method: 'POST', url: `/api/runs/${id}/retry`, payload: { scope: 'failed' } })
      assert.equal(retried.statusCode, 202, retried.body)
      assert.equal((await runEnded(t, retried.json().id as string)).total, 2, 'both failures are sent again')
    })
  })

  test('items CUCM refused for the application user say what to fix (code 10: the group to add it to), as a single logout\'s error does, whether the logouts or the look-ups before them were refused', async () => {
    await withApp({ simulator: { scenario: bulkScenario(2), faults: { hold: 'queries' } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(2), verifyAfterSeconds: 0 } })).json() as { id: string }
      // The look-up is answered; the logouts after it are refused: the user lost its proxy rights.
      await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length > 0 || undefined)
      t.sim.setFaults({ mode: 'failure', failureCode: 10, hold: 'none' })
      const run = await runEnded(t, id)
      assert.deepEqual(run.counts, { failure: 2 }, JSON.stringify(run.items))
      for (const item of run.items) assert.match(item.message ?? '', /^The application user lacks the rights to act for other users\. Add the CUCM application user to the group "Standard EM Authentication Proxy Rights"/)
      assert.match(t.audit.page({ runId: id, action: 'bulk-run' }, 1).items[0]?.message ?? '', /: 2 failed\. Why: The application user lacks the rights to act for other users\. Add/)
      const refused = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(2), verifyAfterSeconds: 0 } })).json() as { id: string }
      const notRun = await runEnded(t, refused.id)
      assert.deepEqual(notRun.counts, { 'not-run': 2 }, JSON.stringify(notRun.items))
      for (const item of notRun.items) assert.match(item.message ?? '', /lacks the rights to act for other users\. Add the CUCM application user to the group "Standard EM Authentication Proxy Rights"/)
    })
  })

  test('"Retry failed" takes an item whose logout was sent and not answered (unknown): it may not have happened', async () => {
    await withApp({ simulator: { scenario: bulkScenario(2, 1), faults: { hold: 'queries' } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(1), verifyAfterSeconds: 0 } })).json() as { id: string }
      // The look-up is answered; the logout after it is carried out, and its connection dropped before the answer.
      await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length > 0 || undefined)
      t.sim.setFaults({ mode: 'reset-after', faultTimes: 1, hold: 'none' })
      const run = await runEnded(t, id)
      assert.deepEqual(run.counts, { unknown: 1 }, JSON.stringify(run.items))
      const retried = await t.inject({ method: 'POST', url: `/api/runs/${id}/retry`, payload: { scope: 'failed' } })
      assert.equal(retried.statusCode, 202, retried.body)
      const retry = await runEnded(t, retried.json().id as string)
      assert.deepEqual(retry.items.map((i) => i.device), devices(1))
    })
  })

  test('a retry\'s summary record says which run it retried and which of its items it took', async () => {
    await withApp({ busyRetries: 0, simulator: { scenario: bulkScenario(40), faults: { hold: 'queries' } } }, async (t) => {
      /** The one summary record of a run, its own id written <id>. */
      const summaryOf = async (id: string): Promise<string> => {
        await runEnded(t, id)
        const rows = t.audit.page({ runId: id, action: 'bulk-run' }, 10).items
        assert.equal(rows.length, 1)
        // The run's title (its page, the list of runs) is its summary's first words.
        const titles = [(await t.inject(`/api/runs/${id}`)).json().title, ((await t.inject('/api/runs')).json() as RunList).runs.find((r) => r.id === id)?.title]
        for (const title of titles) assert.ok((rows[0]?.message ?? '').startsWith(`${String(title)}: `), `${String(title)} / ${rows[0]?.message ?? ''}`)
        return (rows[0]?.message ?? '').replace(`run ${id.slice(0, 8)}`, 'run <id>')
      }
      // Cancelled during its first look-up: every item is left for "Run the rest".
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(40), verifyAfterSeconds: 0 } })).json() as { id: string }
      await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length > 0 ? true : undefined, 10_000)
      assert.equal((await t.inject({ method: 'POST', url: `/api/runs/${id}/cancel` })).statusCode, 202)
      t.sim.setFaults({ hold: 'none' })
      assert.deepEqual((await runEnded(t, id)).counts, { cancelled: 40 })
      t.sim.setFaults({ busyBurst: 1 })
      const rest = await t.inject({ method: 'POST', url: `/api/runs/${id}/retry`, payload: { scope: 'rest' } })
      assert.equal(rest.statusCode, 202, rest.body)
      const restId = rest.json().id as string
      // CUCM busy for one logout, with no retry: one failure.
      // Its one failure's reason is said, closed by a full stop CUCM's words lack.
      assert.equal(await summaryOf(restId), `Rest of run ${id.slice(0, 8)}, the items it did not reach: 40 devices (run <id>): 39 success, 1 failed. Why: CUCM is busy: the maximum number of concurrent login/logout requests is in progress.`)
      const failed = await t.inject({ method: 'POST', url: `/api/runs/${restId}/retry` })
      assert.equal(failed.statusCode, 202, failed.body)
      assert.equal(await summaryOf(failed.json().id as string), `Retry of the failed items of run ${restId.slice(0, 8)}: 1 device (run <id>): 1 success.`)
    })
  })

  test('a retry of a run of one cluster names that cluster in its summary record, as its run\'s does: History filtered by the cluster shows both', async () => {
    await withApp({ busyRetries: 0, simulator: { scenario: bulkScenario(3) } }, async (t) => {
      // CUCM busy for one logout, with no retry: one failure to retry.
      t.sim.setFaults({ busyBurst: 1 })
      const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(3), cluster: 'default', verifyAfterSeconds: 0 } })
      assert.equal(started.statusCode, 202, started.body)
      const first = await runEnded(t, started.json().id as string)
      assert.equal(first.counts.failure, 1, JSON.stringify(first.counts))
      const retried = await t.inject({ method: 'POST', url: `/api/runs/${first.id}/retry`, payload: { scope: 'failed' } })
      assert.equal(retried.statusCode, 202, retried.body)
      const retry = await runEnded(t, retried.json().id as string)
      const summaries = (id: string): Array<string | null> => t.audit.page({ runId: id, action: 'bulk-run' }, 10).items.map((row) => row.cluster)
      assert.deepEqual([summaries(first.id), summaries(retry.id)], [['default'], ['default']])
      const history = (await t.inject('/api/audit?action=bulk-run&cluster=default')).json().items as Array<{ runId: string }>
      assert.deepEqual(history.map((row) => row.runId), [retry.id, first.id])
    })
  })

  test('a retry of a run by sessions of the one cluster there is names it in its summary record, as its run\'s does (the run was asked for no cluster)', async () => {
    const seeded = bulkScenario(3)
    const scenario = { ...seeded, devices: seeded.devices.map((d) => ({ ...d, loginTime: Date.now() - 30 * 3_600_000 })) }
    await withApp({ axl: true, busyRetries: 0, simulator: { scenario } }, async (t) => {
      const schedule = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'night', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-older-than', hours: 12 } })
      assert.equal(schedule.statusCode, 201, schedule.body)
      // CUCM busy for one logout, with no retry: one failure to retry.
      t.sim.setFaults({ busyBurst: 1 })
      const ran = await t.inject({ method: 'POST', url: `/api/schedules/${schedule.json().id as number}/run-now`, payload: {} })
      assert.equal(ran.statusCode, 502, ran.body)
      const first = await runEnded(t, t.audit.get(ran.json().error.auditId as number)?.runId ?? '')
      assert.deepEqual(first.counts, { success: 2, failure: 1 })
      const retried = await t.inject({ method: 'POST', url: `/api/runs/${first.id}/retry`, payload: { scope: 'failed' } })
      assert.equal(retried.statusCode, 202, retried.body)
      const retry = await runEnded(t, retried.json().id as string)
      assert.deepEqual(retry.counts, { success: 1 })
      const summaries = (id: string): Array<string | null> => t.audit.page({ runId: id, action: 'bulk-run' }, 10).items.map((row) => row.cluster)
      assert.deepEqual([summaries(first.id), summaries(retry.id)], [['default'], ['default']])
    })
  })

  test('a run that sent nothing (every device unknown to CUCM) says it will not be re-checked, not "Re-check pending", then "0 of 0 devices confirmed"', async () => {
    await withApp({ simulator: { scenario: bulkScenario(2) } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: ['SEPDEAD00000001', 'SEPDEAD00000002'], verifyAfterSeconds: 1 } })).json()
      assert.deepEqual((await runEnded(t, id as string)).counts, { 'not-found': 2 })
      const said = await eventually(() => { const r = t.runs.get(id as string); return r?.verifyError ?? r?.verifiedAt ?? undefined }, 5_000)
      assert.equal(said, 'Not re-checked: no login or logout was sent.')
      assert.equal(t.runs.get(id as string)?.verifiedAt, null)
    })
  })

  test('a cancelled run re-checks the devices it did send; one cancelled before sending anything says it will not be re-checked', async () => {
    await withApp({ maxConcurrency: 2, simulator: { scenario: bulkScenario(40), faults: { latencyMs: 40 } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(40), verifyAfterSeconds: 1 } })).json()
      await eventually(() => (t.runs.summary(id as string)?.counts.success ?? 0) > 0 ? true : undefined, 10_000)
      assert.equal((await t.inject({ method: 'POST', url: `/api/runs/${id as string}/cancel` })).statusCode, 202)
      const run = await runEnded(t, id as string)
      assert.equal(run.state, 'cancelled')
      const done = run.counts.success ?? 0
      const rechecked = await eventually(() => { const r = t.runs.get(id as string); return r?.verifiedAt !== null ? r : undefined }, 15_000)
      assert.deepEqual(rechecked?.recheck, { checked: done, confirmed: done }, 'each device logged out is checked, none of those never sent')
      assert.equal(rechecked?.verifyError, null)
    })
    await withApp({ simulator: { scenario: bulkScenario(40), faults: { hold: 'queries' } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(40), verifyAfterSeconds: 1 } })).json()
      await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length > 0 ? true : undefined, 10_000)
      assert.equal((await t.inject({ method: 'POST', url: `/api/runs/${id as string}/cancel` })).statusCode, 202)
      t.sim.setFaults({ hold: 'none' })
      assert.deepEqual((await runEnded(t, id as string)).counts, { cancelled: 40 })
      const said = await eventually(() => t.runs.get(id as string)?.verifyError ?? undefined, 10_000)
      assert.match(said, /^Not re-checked: the run was cancelled before any change was sent\.$/)
    })
  })

  test('a re-check that CUCM does not answer is one warning in the log, without a stack or the request, saying what to do', async () => {
    await withApp({ simulator: { scenario: bulkScenario(2) } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(2), verifyAfterSeconds: 1 } })).json()
      assert.deepEqual((await runEnded(t, id as string)).counts, { success: 2 })
      // CUCM goes down between the run and its re-check: an outage, not a fault of EM Console's.
      t.sim.setFaults({ mode: 'reset' })
      const said = await eventually(() => t.runs.get(id as string)?.verifyError ?? undefined, 15_000)
      assert.match(said, /^The re-check failed: .*closed the connection/)
      const lines = t.logs.filter((line) => line.includes('re-check')).map((line) => JSON.parse(line) as { level: number, msg: string, runId?: string })
      assert.equal(lines.length, 1, lines.map((line) => line.msg).join('\n'))
      assert.equal(lines[0]?.level, 40, 'a warning, not an error')
      assert.equal(lines[0]?.runId, id)
      assert.match(lines[0]?.msg ?? '', /closed the connection.*look the devices up again/)
      assert.doesNotMatch(JSON.stringify(lines[0]), /"stack"|appCertificate|requestXml/)
    })
  })

  test('a cancel during the first look-up: nothing more is asked of CUCM and the run never shows as running again', async () => {
    await withApp({ simulator: { scenario: bulkScenario(120), faults: { hold: 'queries' } } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(120), verifyAfterSeconds: 0 } })).json()
      const states: string[] = []
      t.runs.subscribe(id as string, (event) => states.push(event.state))
      // The first look-up is on its way (CUCM holds its answer): now the cancel.
      await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length > 0 ? true : undefined, 10_000)
      assert.equal((await t.inject({ method: 'POST', url: `/api/runs/${id as string}/cancel` })).statusCode, 202)
      t.sim.setFaults({ hold: 'none' })
      const run = await runEnded(t, id as string)
      assert.equal(run.state, 'cancelled')
      assert.deepEqual(run.counts, { cancelled: 120 })
      // Every look-up is audited once answered, and the simulator has nothing in flight: nothing else was sent.
      assert.equal(t.audit.page({ runId: id as string, action: 'device-query' }, 10).items.length, 1)
      assert.equal(t.sim.stats.inFlight, 0)
      assert.equal(receivedOf(t.sim, 'deviceUserQuery').length, 1, 'only the look-up already sent')
      assert.equal(receivedOf(t.sim, 'logout').length, 0)
      assert.ok(!states.slice(states.indexOf('cancelling')).includes('running'), `states: ${states.join(', ')}`)
    })
  })

  test('a cancel while a look-up fails: it is not tried again, and the run ends cancelled without waiting for the retries', async () => {
    // CUCM answers every look-up with HTTP 503, once the cancel has landed; the run would try each twice more, 400 ms apart.
    await withApp({ simulator: { scenario: bulkScenario(40), faults: { hold: 'queries', mode: 'http-503', faultOn: 'queries' } }, tuning: { lookUpBackoffMs: 400 } }, async (t) => {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(40), verifyAfterSeconds: 0 } })).json() as { id: string }
      await eventually(() => receivedOf(t.sim, 'deviceUserQuery').length > 0 ? true : undefined, 10_000)
      assert.equal((await t.inject({ method: 'POST', url: `/api/runs/${id}/cancel` })).statusCode, 202)
      t.sim.setFaults({ hold: 'none' })
      const run = await runEnded(t, id)
      assert.equal(run.state, 'cancelled')
      assert.deepEqual(run.counts, { cancelled: 40 })
      assert.equal(receivedOf(t.sim, 'deviceUserQuery').length, 1, 'only the look-up already sent')
    })
  })

  test('a server that stops during a run ends it interrupted: every item final, what was done kept', async () => {
    const first = await buildTestApp({ maxConcurrency: 1, simulator: { scenario: bulkScenario(10), faults: { latencyMs: 30 } } })
    let t = first
    try {
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(10), verifyAfterSeconds: 0 } })).json()
      await eventually(() => (t.runs.summary(id as string)?.counts.success ?? 0) > 0 ? true : undefined, 10_000)
      t = await t.restart()
      const run = t.runs.get(id as string)
      assert.equal(run?.state, 'interrupted')
      assert.ok((run?.counts.success ?? 0) > 0, JSON.stringify(run?.counts))
      assert.ok((run?.counts['not-run'] ?? 0) > 0, JSON.stringify(run?.counts))
      assert.equal(run?.counts.pending, undefined, 'no item is left pending')
      assert.match(t.runs.items(id as string, { outcome: 'not-run' }).items[0]?.message ?? '', /server stopped/)
      assert.equal(t.audit.page({ runId: id as string, outcome: 'pending' }, 10).items.length, 0, 'no audit row is left pending')
      // Its one summary says it was cut short, as a crashed server's run's does at the next start.
      const summaries = t.audit.page({ runId: id as string, action: 'bulk-run' }, 10).items
      assert.deepEqual(summaries.map((row) => [row.outcome, row.errorCode]), [['interrupted', 'RUN_FAILED']])
      // Why, when its items left undone give one reason (none was being sent at the stop).
      assert.match(summaries[0]?.message ?? '', /^Bulk logout of 10 devices \(run \w{8}\): \d+ success, .*\d+ not run\.( Why: The server stopped during the run\.)?$/)
    } finally {
      await t.close()
    }
  })

  test('a run whose start is being recorded when the server stops ends interrupted at once: nothing is sent after the stop', async () => {
    await withApp({ simulator: { scenario: bulkScenario(10) } }, async (t) => {
      const starting = t.runs.start({ actor: 'test-admin', trigger: 'api' }, { action: 'logout', devices: devices(10) })
      // Asked while the run's record is being written (start's first await).
      await t.runs.stop()
      const id = await starting
      await t.runs.finished(id)
      const run = t.runs.get(id)
      assert.equal(run?.state, 'interrupted')
      assert.deepEqual(run?.counts, { 'not-run': 10 })
      assert.equal(t.runs.items(id, { outcome: 'not-run' }).items[0]?.message, 'Not run: the server stopped during the run.')
      assert.equal(receivedOf(t.sim, 'logout').length, 0)
    })
  })

  test('a run a crash cut short is summed up at the next start with the address of the client that started it, as its end would have said it', async () => {
    await withApp({ maxConcurrency: 1, simulator: { scenario: bulkScenario(20), faults: { latencyMs: 30 } } }, async (t) => {
      const startFrom = async (from: number): Promise<string> => {
        const started = await t.inject({ method: 'POST', url: '/api/runs', remoteAddress: '192.0.2.7', payload: { action: 'logout', devices: devices(10, from), verifyAfterSeconds: 0 } })
        assert.equal(started.statusCode, 202, started.body)
        return started.json().id as string
      }
      const summaryOf = (app: TestApp, id: string): Array<[string, string | null, string]> =>
        app.audit.page({ runId: id, action: 'bulk-run' }, 10).items.map((row) => [row.actor, row.clientIp, row.outcome])
      const ended = await startFrom(0)
      await runEnded(t, ended)
      assert.deepEqual(summaryOf(t, ended), [['test-admin', '192.0.2.7', 'success']])

      const cut = await startFrom(10)
      await eventually(() => (t.runs.summary(cut)?.counts.success ?? 0) > 0 ? true : undefined, 10_000)
      // The database as a crash (kill -9) leaves it: the run going, no summary yet.
      const atTheCrash = join(t.dir, 'at-the-crash.db')
      await copyAsACrashLeavesIt(t.databasePath, atTheCrash)
      const next = await buildTestApp({ env: { DATABASE_PATH: atTheCrash } })
      try {
        assert.equal(next.runs.summary(cut)?.state, 'interrupted')
        assert.deepEqual(summaryOf(next, cut), [['test-admin', '192.0.2.7', 'interrupted']])
      } finally {
        await next.close()
      }
    })
  })

  test('a run summed up at the next start says "Why:" only when the items it failed to do give one reason: its cancelled items give none, two reasons say none, a long one is cut', async () => {
    await withApp({}, async (t) => {
      const long = `CUCM said ${'x'.repeat(500)}`
      // Runs a crash left behind, their items as they were: the next start sums each up.
      const left: Record<string, Array<{ outcome: 'success' | 'failure' | 'cancelled', message: string }>> = {
        cancelledAfterOne: [{ outcome: 'failure', message: 'Refused by CUCM' }, { outcome: 'cancelled', message: 'Not run: the run was cancelled.' }],
        twoReasons: [{ outcome: 'failure', message: 'Refused by CUCM' }, { outcome: 'failure', message: 'CUCM is busy' }, { outcome: 'success', message: 'Logged out' }],
        longReason: [{ outcome: 'failure', message: long }, { outcome: 'failure', message: long }]
      }
      const ids = Object.fromEntries(Object.keys(left).map((name, n) => [name, `0000000${n}-0000-4000-8000-000000000000`]))
      await t.store.write((w) => {
        for (const [name, items] of Object.entries(left)) {
          const id = ids[name] ?? ''
          w.runs.create({ id, action: 'logout', trigger: 'api', actor: 'tester', words: {} })
          w.runs.addItems(id, items.map((item, i) => ({ device: `SEP00000000000${i}`, userId: null, ...item })))
          w.runs.setState(id, 'running')
        }
      }, 'runs a crash left')
      const atTheCrash = join(t.dir, 'at-the-crash.db')
      await copyAsACrashLeavesIt(t.databasePath, atTheCrash)
      const next = await buildTestApp({ env: { DATABASE_PATH: atTheCrash } })
      try {
        const summaryOf = (name: string): string => next.audit.page({ runId: ids[name] ?? '', action: 'bulk-run' }, 1).items[0]?.message ?? ''
        assert.match(summaryOf('cancelledAfterOne'), /: 1 failed, 1 cancelled\. Why: Refused by CUCM\.$/)
        assert.match(summaryOf('twoReasons'), /: 1 success, 2 failed\.$/)
        const cut = / Why: (.*)$/.exec(summaryOf('longReason'))?.[1] ?? ''
        assert.equal(cut, `${long.slice(0, 399)}…`)
      } finally {
        await next.close()
      }
    })
  })

  test('SSE delivers progress for every item and ends with the run', async () => {
    await withApp({ simulator: { scenario: bulkScenario(12), faults: { latencyMs: 5 } } }, async (t) => {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = t.app.server.address() as AddressInfo
      const { id } = (await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: devices(12), verifyAfterSeconds: 0 } })).json()
      const signIn = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'test-viewer', password: 'correct-horse-battery' }) })
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const res = await fetch(`http://127.0.0.1:${port}/api/runs/${id as string}/events`, { headers: { cookie } })
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/)
      // nginx then passes each event on at once, without proxy_buffering off (docs/operations.md).
      assert.equal(res.headers.get('x-accel-buffering'), 'no')
      const text = await res.text()
      const events = text.split('\n\n').filter((e) => e.startsWith('event: progress')).map((e) => JSON.parse(e.split('data: ')[1] ?? '{}') as RunProgressEvent)
      const finished = events.filter((e) => e.item !== undefined).map((e) => e.item?.device)
      const last = events.at(-1)
      assert.equal(last?.state, 'done')
      assert.deepEqual(last?.counts, { success: 12 })
      // Subscribing may miss items finished before the stream opened; the counts never do.
      assert.ok(finished.length <= 12)
      assert.equal(new Set(finished).size, finished.length)
    })
  })

  test('a cancel of a run an em-console command is working through says the server cannot stop it and how to, not that nothing is left to cancel', async () => {
    await withApp({}, async (t) => {
      // A run as the command's process writes it: this server holds none of its work.
      const id = 'c11c11c1-0000-4000-8000-000000000002'
      await t.store.write((w) => {
        w.runs.create({ id, action: 'logout', trigger: 'cli', actor: 'ops', words: {} })
        w.runs.addItems(id, [{ device: 'SEP001122334455', userId: null, outcome: 'pending' }])
        w.runs.setState(id, 'running')
      }, 'a command\'s run')
      const cancel = await t.inject({ method: 'POST', url: `/api/runs/${id}/cancel` })
      assert.equal(cancel.statusCode, 409, cancel.body)
      const { code, message, action } = cancel.json().error as { code: string, message: string, action?: string }
      assert.equal(code, 'RUN_OF_COMMAND')
      assert.doesNotMatch(message, /nothing to cancel/)
      assert.match(message, /em-console command/)
      assert.match(action ?? '', /Ctrl-C/)
      assert.equal(t.audit.page({ runId: id, action: 'run-cancel' }, 10).items.length, 0, 'no cancel is recorded')
    })
  })

  test('SSE follows a run of an em-console command (another process) until it ends, rather than end at once as if the server were gone', async () => {
    await withApp({}, async (t) => {
      await t.app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = t.app.server.address() as AddressInfo
      // A run as the command's process writes it: no events of it reach the server.
      const id = 'c11c11c1-0000-4000-8000-000000000001'
      await t.store.write((w) => {
        w.runs.create({ id, action: 'logout', trigger: 'cli', actor: 'ops', words: {} })
        w.runs.addItems(id, [{ device: 'SEP001122334455', userId: null, outcome: 'pending' }, { device: 'SEP001122334466', userId: null, outcome: 'pending' }])
        w.runs.setState(id, 'running')
      }, 'a command\'s run')
      const signIn = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'test-viewer', password: 'correct-horse-battery' }) })
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const res = await fetch(`http://127.0.0.1:${port}/api/runs/${id}/events`, { headers: { cookie } })
      assert.equal(res.status, 200)
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      let text = ''
      const progress = (): string[] => text.split('\n\n').slice(0, -1).filter((e) => e.startsWith('event: progress'))
      // Reads the stream until it has sent `count` progress events, or has ended.
      const readUntil = async (count: number): Promise<void> => {
        while (progress().length < count) {
          const chunk = await reader.read()
          if (chunk.done) return
          text += decoder.decode(chunk.value, { stream: true })
        }
      }
      // The command works its items off, then ends the run: each step once the stream has told the last.
      await readUntil(1)
      await t.store.write((w) => { w.runs.finishItem(id, 0, { outcome: 'success', message: 'Logged out' }) }, 'its first item')
      await readUntil(2)
      assert.equal(progress().length, 2, `the stream ended before the command's run did: ${text}`)
      await t.store.write((w) => {
        w.runs.finishItem(id, 1, { outcome: 'success', message: 'Logged out' })
        w.runs.setState(id, 'done')
      }, 'its end')
      await readUntil(Infinity)
      const events = progress().map((e) => JSON.parse(e.split('data: ')[1] ?? '{}') as RunProgressEvent)
      assert.deepEqual(events.map((e) => [e.state, e.counts]), [['running', { pending: 2 }], ['running', { pending: 1, success: 1 }], ['done', { success: 2 }]])
    })
  })

  test('a login run from CSV, results as CSV, a re-check, and a retry of the failures', async () => {
    await withApp({ simulator: { scenario: bulkScenario(1, 3) } }, async (t) => {
      const csv = 'device,user,profile,duration\n' +
        `${bulkDeviceName(0)},bulk.user1,,indefinite\n` + // occupied by bulk.user0: code 18
        `${bulkDeviceName(1)},bulk.user1,bulk.user1-profile,60\n` +
        `${bulkDeviceName(2)},bulk.user2,,\n` +
        'not a device,x,,\n'
      const both = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login', items: [{ device: bulkDeviceName(1), user: 'bulk.user1', durationMinutes: 5, indefinite: true }] } })
      assert.equal(both.statusCode, 400, both.body)
      assert.match(both.json().error.message, /items\/0\/durationMinutes.*a duration or indefinite, not both/)
      // As a single login takes it: indefinite false is a login with its duration.
      const notIndefinite = await t.inject({ method: 'POST', url: '/api/runs/preview', payload: { action: 'login', items: [{ device: bulkDeviceName(1), user: 'bulk.user1', durationMinutes: 5, indefinite: false }] } })
      assert.equal(notIndefinite.statusCode, 200, notIndefinite.body)
      const res = await t.inject({ method: 'POST', url: '/api/runs?action=login&verifyAfterSeconds=1', headers: { 'content-type': 'text/csv' }, payload: csv })
      assert.equal(res.statusCode, 202, res.body)
      assert.deepEqual(res.json().problems.map((p: { line: number }) => p.line), [5])
      const run = await runEnded(t, res.json().id as string)
      assert.deepEqual(run.counts, { failure: 1, success: 2 })
      assert.equal(run.items[0]?.emapiCode, 18)
      // "indefinite": a login without automatic logout; empty: none said, the cluster's maximum.
      const loginsTo = (device: string): string[] => receivedOf(t.sim, 'login').filter((xml) => xml.includes(`<deviceName>${device}</deviceName>`))
      assert.match(loginsTo(bulkDeviceName(0)).at(-1) ?? '', /<exclusiveDuration><indefinite\/><\/exclusiveDuration>/)
      assert.match(loginsTo(bulkDeviceName(1)).at(-1) ?? '', /<exclusiveDuration><time>60<\/time><\/exclusiveDuration>/)
      assert.doesNotMatch(loginsTo(bulkDeviceName(2)).at(-1) ?? '', /exclusiveDuration/)
      assert.equal(run.items[0]?.indefinite, true)
      // Who is in the way, as a sentence after CUCM's words.
      assert.equal(run.items[0]?.message, `The device already has a user logged in. bulk.user0 is logged in on ${bulkDeviceName(0)}.`)
      await eventually(() => t.runs.summary(run.id)?.verifiedAt ?? undefined, 10_000)
      const checked = t.runs.get(run.id)
      assert.deepEqual(checked?.items.map((i) => i.verified), [false, true, true])
      const results = await t.inject(`/api/runs/${run.id}/results.csv`)
      assert.equal(results.statusCode, 200)
      const lines = results.body.replace(/^\uFEFF/, '').trim().split('\r\n')
      assert.equal(lines[0], 'device,cluster,user,action,action_key,outcome,outcome_key,emapi_code,message,time,verified,audit_id,trigger,trigger_key,actor,time_utc,profile,duration')
      assert.match(lines[1] ?? '', new RegExp(`^${bulkDeviceName(0)},default,bulk.user1,Log in,login,Failed,failure,18,`))
      const retry = await t.inject({ method: 'POST', url: `/api/runs/${run.id}/retry` })
      assert.equal(retry.statusCode, 202)
      const second = await runEnded(t, retry.json().id as string)
      assert.equal(second.parentRunId, run.id)
      assert.equal(second.total, 1)
      // The retry logs in as its run did: without automatic logout.
      assert.equal(loginsTo(bulkDeviceName(0)).length, 2)
      assert.match(loginsTo(bulkDeviceName(0)).at(-1) ?? '', /<exclusiveDuration><indefinite\/><\/exclusiveDuration>/)
      // Re-checked as its run was: 1 s after it ends (not the default two minutes).
      assert.equal(Date.parse(second.verifyAt ?? '') - Date.parse(second.finishedAt ?? ''), 1000)
    })
  })

  test('a login run\'s item for a user ID CUCM does not know (23) names that user ID, so a typo shows', async () => {
    await withApp({ simulator: { scenario: bulkScenario(0, 1) } }, async (t) => {
      const res = await t.inject({ method: 'POST', url: '/api/runs?action=login&verifyAfterSeconds=0', headers: { 'content-type': 'text/csv' }, payload: `device,user\n${bulkDeviceName(0)},bulk.usr0\n` })
      assert.equal(res.statusCode, 202, res.body)
      const run = await runEnded(t, res.json().id as string)
      assert.equal(run.items[0]?.emapiCode, 23)
      assert.equal(run.items[0]?.message, 'User does not exist. CUCM has no user bulk.usr0.')
    })
  })

  test('bad input: CSV without an action, an empty saved list, too many devices, an .xlsx; a UTF-16 file from Excel is read', async () => {
    await withApp({}, async (t) => {
      const csv = await t.inject({ method: 'POST', url: '/api/runs', headers: { 'content-type': 'text/csv' }, payload: 'SEP1' })
      assert.equal(csv.statusCode, 400)
      assert.equal(csv.json().error.field, 'action')
      const saved = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', savedList: true } })
      assert.equal(saved.statusCode, 400)
      assert.equal(saved.json().error.field, 'savedList')
      const many = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: Array.from({ length: 5001 }, () => 'SEP1') } })
      assert.equal(many.statusCode, 400)
      // The same limit for a CSV, refused while it is read: 100,000 rows, and 5,001 (the exact count).
      for (const rows of [100_000, 5001]) {
        const body = ['device', ...Array.from({ length: rows }, (_, i) => `SEP${String(i).padStart(12, '0')}`)].join('\n')
        const upload = await t.inject({ method: 'POST', url: '/api/runs?action=logout', headers: { 'content-type': 'text/csv' }, payload: body })
        assert.equal(upload.statusCode, 400, upload.body)
        assert.equal(upload.json().error.field, 'body')
        assert.match(upload.json().error.message, /more than 5,000 rows/)
      }
      const xlsx = await t.inject({ method: 'POST', url: '/api/runs/preview?action=logout', headers: { 'content-type': 'text/csv' }, payload: Buffer.from('504b0304140006000800000021006211', 'hex') })
      assert.equal(xlsx.statusCode, 400, xlsx.body)
      assert.deepEqual([xlsx.json().error.field, xlsx.json().error.message], ['body', 'The file is an Excel workbook (.xlsx) or another zip file, not a CSV file. In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.'])
      const huge = await t.inject({ method: 'POST', url: '/api/runs?action=logout', headers: { 'content-type': 'text/csv' }, payload: `device,${'x'.repeat(6 * 1024 * 1024)}` })
      assert.equal(huge.statusCode, 413, huge.body)
      assert.equal((await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'logout', devices: ['SEP1'] } }, 'viewer')).statusCode, 403)
      assert.equal(t.sim.stats.requests, 0)
      const utf16 = await t.inject({ method: 'POST', url: '/api/runs/preview?action=logout', headers: { 'content-type': 'text/csv' }, payload: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Description\tDevice Name\r\nLobby\tSEP001122334455\r\n', 'utf16le')]) })
      // Excel's "Unicode Text" (UTF-16 with its mark, tab separated) is read as the text it is.
      assert.equal(utf16.statusCode, 200, utf16.body)
      assert.deepEqual([utf16.json().items.map((i: { device: string }) => i.device), utf16.json().problems], [['SEP001122334455'], []])
    })
  })
})

describe('a bulk run as the action of a schedule', () => {
  test('run-now of a logout-saved-list schedule works through the saved list, with exemptions, and sums it up in the audit trail', async () => {
    await withApp({ simulator: { scenario: bulkScenario(5) } }, async (t) => {
      await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: ['bulk.user4'] }, logoutDeviceList: devices(5) } })
      const created = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'lobby-phones', cron: '0 2 * * *', timezone: 'UTC', action: 'logout-saved-list' } })
      assert.equal(created.statusCode, 201, created.body)
      const res = await t.inject({ method: 'POST', url: `/api/schedules/${created.json().id as number}/run-now` })
      assert.equal(res.statusCode, 200, res.body)
      const summary = t.audit.page({ action: 'bulk-run' }, 1).items[0]
      assert.equal(summary?.outcome, 'success')
      assert.match(summary?.message ?? '', /: 4 success, 1 excluded\.$/)
      assert.equal(receivedOf(t.sim, 'logout').length, 4)
      assert.equal(t.audit.page({ runId: summary?.runId ?? '', action: 'logout' }, 10).items.length, 4)
      assert.equal(t.audit.page({ runId: summary?.runId ?? '', action: 'bulk-run' }, 10).items.length, 1, 'one summary of the run')
      // The answer names the run, so the dashboard links to it.
      assert.equal(res.json().result.runId, summary?.runId)
    })
  })

  test('a run with failures fails the schedule run with the summary record', async () => {
    await withApp({ simulator: { scenario: bulkScenario(3) } }, async (t) => {
      await t.inject({ method: 'PUT', url: '/api/settings', payload: { exemptions: { devices: [], users: [] }, logoutDeviceList: devices(3) } })
      const created = await t.inject({ method: 'POST', url: '/api/schedules', payload: { name: 'fails', cron: '0 2 * * *', action: 'logout-saved-list' } })
      t.sim.setFaults({ mode: 'http-503' })
      const res = await t.inject({ method: 'POST', url: `/api/schedules/${created.json().id as number}/run-now` })
      assert.equal(res.statusCode, 502, res.body)
      assert.equal(res.json().error.code, 'RUN_FAILED')
      // Its devices were not run (the look-up failed): "Run the rest" runs them, "Retry failed" has none.
      assert.equal(res.json().error.action, 'Open the run to see which devices failed and why; "run the rest" runs them again.')
      assert.equal(t.audit.get(res.json().error.auditId as number)?.action, 'bulk-run')
      const schedule = (await t.inject(`/api/schedules/${created.json().id as number}`)).json()
      assert.equal(schedule.lastOutcome, 'failure')
    })
  })
})
