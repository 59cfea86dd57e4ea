import assert from 'node:assert/strict'
import type { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import type { AuditSummary, ErrorBody } from '@em-console/shared/schemas'
import { buildTestApp, type TestApp } from './helpers/app.ts'

// Issue #15.4: a NUL byte in the history search answered 500, and the CSV export with the same
// filter stopped after its header with nothing to say so.
let t: TestApp
before(async () => {
  t = await buildTestApp()
  for (let i = 0; i < 30; i++) {
    await t.store.write((w) => {
      const id = w.audit.insertPending({ actor: 'filter-test', trigger: 'api', action: 'logout', devices: [`SEP00000000${String(i).padStart(4, '0')}`] })
      w.audit.finish(id, { outcome: 'success', message: `Logged out row ${i}` })
    }, 'test row')
  }
})
after(async () => await t.close())

const TEXT_FIELDS = ['q', 'device', 'user', 'actor', 'runId']

describe('every filter input gets 400 or a result, never 500', () => {
  test('a control character in any text filter is a 400 naming the field, in plain words', async () => {
    for (const field of TEXT_FIELDS) {
      for (const bad of ['a%00b', '%00', 'a%01', 'tab%09here', 'line%0Abreak', 'del%7F']) {
        for (const url of [`/api/audit?${field}=${bad}`, `/api/audit/export.csv?${field}=${bad}`]) {
          const res = await t.inject(url)
          assert.equal(res.statusCode, 400, `${url}: ${res.body}`)
          const { error } = res.json<ErrorBody>()
          assert.equal(error.field, field, url)
          assert.match(error.message, /control character/, url)
        }
      }
    }
  })

  test('full-text syntax, quotes and odd characters are searched as plain text', async () => {
    const texts = ['"', '""', 'a"b', '*', 'row*', 'NEAR(row 1)', 'row OR 1', 'row AND NOT 2', '(', ')', '^row', '-row', 'col:row',
      "'", '\\', '%', '_', '\u00e9', '\u{1F600}', '\uFFFF', '\uFEFFrow', 'r\u200Bow', 'row '.repeat(25).trim()]
    for (const text of texts) {
      const q = encodeURIComponent(text)
      const page = await t.inject(`/api/audit?q=${q}`)
      assert.equal(page.statusCode, 200, `${JSON.stringify(text)}: ${page.body}`)
      for (const field of ['device', 'user', 'actor']) {
        assert.equal((await t.inject(`/api/audit?${field}=${q}`)).statusCode, 200, `${field}=${JSON.stringify(text)}`)
      }
      const csv = await t.inject(`/api/audit/export.csv?q=${q}`)
      assert.equal(csv.statusCode, 200, `${JSON.stringify(text)}: ${csv.body}`)
      assert.ok(!csv.body.includes('# export failed'), JSON.stringify(text))
    }
    const found = (await t.inject('/api/audit?q=%22row%22')).json<{ items: AuditSummary[] }>()
    assert.equal(found.items.length, 30, 'a quoted word still finds its rows')
  })

  test('a search holding no word (only punctuation, symbols or an emoji: "%", "*", a quote) finds no record, not every record as if each matched', async () => {
    const all = (await t.inject('/api/audit')).json<{ total: number }>().total
    assert.ok(all >= 30)
    for (const text of ['%', '*', '"', '_', '(', '@', '\u{1F600}', '\uFFFF', '% *']) {
      const q = encodeURIComponent(text)
      const page = (await t.inject(`/api/audit?q=${q}`)).json<{ items: AuditSummary[], total: number }>()
      assert.deepEqual([page.items.length, page.total], [0, 0], JSON.stringify(text))
      const csv = await t.inject(`/api/audit/export.csv?q=${q}`)
      assert.equal(csv.body.trim().split('\r\n').length, 1, `${JSON.stringify(text)}: the header alone`)
      // Beside another filter too: the search still narrows, to nothing.
      assert.equal((await t.inject(`/api/audit?actor=filter-test&q=${q}`)).json<{ total: number }>().total, 0, JSON.stringify(text))
    }
    // A word beside the symbols is searched, as before.
    assert.equal((await t.inject(`/api/audit?q=${encodeURIComponent('* row %')}`)).json<{ total: number }>().total, 30)
    // An empty or blank search is none (a script's `?q=$TEXT` with nothing in it): every record, as without it.
    for (const q of ['', '%20%20']) {
      assert.equal((await t.inject(`/api/audit?q=${q}`)).json<{ total: number }>().total, all, `q=${q}`)
      assert.equal((await t.inject(`/api/audit/export.csv?q=${q}`)).body.trim().split('\r\n').length, 1 + all, `q=${q}: every record exported`)
    }
  })

  test('an invalid UTF-8 escape and a malformed cursor are 400 or a result', async () => {
    for (const url of ['/api/audit?q=%ED%A0%80', '/api/audit?q=%FF', '/api/audit?cursor=%00', '/api/audit?cursor=!!!', '/api/audit?q=%']) {
      const res = await t.inject(url)
      assert.ok(res.statusCode === 200 || res.statusCode === 400, `${url}: ${res.statusCode} ${res.body}`)
    }
  })

  test('a time no clock reads (a leap second, an offset of hours alone) is a 400 naming the field, not a 500 or an empty page', async () => {
    // Both pass ajv-formats' date-time; Date.parse reads neither. "+01" is how PostgreSQL prints an offset.
    for (const time of ['2016-12-31T23:59:60Z', '2026-12-06T18:20:46+01']) {
      const at = encodeURIComponent(time)
      const asked: Array<[string, string]> = [[`/api/audit?from=${at}`, 'from'], [`/api/audit?to=${at}`, 'to'], [`/api/audit/export.csv?from=${at}`, 'from'],
        [`/api/audit/stats?todayFrom=${at}`, 'todayFrom'], [`/api/sessions/history?from=${at}`, 'from'], [`/api/sessions/history.csv?to=${at}`, 'to']]
      for (const [url, field] of asked) {
        const res = await t.inject(url)
        assert.equal(res.statusCode, 400, `${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
        const { error } = res.json<ErrorBody>()
        assert.equal(error.field, field, url)
        assert.match(error.message, /ISO 8601/, url)
      }
    }
    const page = await t.inject(`/api/audit?actor=filter-test&from=${encodeURIComponent('2016-12-31T23:59:59+01:00')}`)
    assert.equal(page.json<{ total: number }>().total, 30, 'a time Date reads still filters')
  })

  test('a filter the audit trail does not take (a typo of one) is a 400 naming it, not every record', async () => {
    // The sessions' filters refuse one so; an export of "failures" sent as ?outcom= held every record.
    const asked: Array<[string, string]> = [['/api/audit?outcom=failure', 'outcom'], ['/api/audit?limit=5&Actor=filter-test', 'Actor'],
      ['/api/audit/export.csv?outcom=failure', 'outcom'], ['/api/audit/export.csv?failed=true&devices=SEP000000000001', 'devices'],
      ['/api/audit/stats?cluster=hq&clusters=branch', 'clusters']]
    for (const [url, field] of asked) {
      const res = await t.inject(url)
      assert.equal(res.statusCode, 400, `${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      assert.deepEqual(res.json<ErrorBody>().error, { code: 'VALIDATION', message: `The query parameter "${field}" is not a field this request takes.`, field }, url)
    }
    const page = await t.inject('/api/audit?actor=filter-test&limit=5&failed=false&q=row')
    assert.equal(page.statusCode, 200, page.body)
    assert.equal(page.json<{ total: number }>().total, 30, 'every filter it takes still filters')
  })
})

describe('an export never ends half-written without saying so', () => {
  /** Makes the history fail after `good` batches, as a disk error or a dropped database would. */
  function failAfter (good: number): () => void {
    const original = t.audit.iterate
    t.audit.iterate = function * (filter, batchSize) {
      let given = 0
      for (const batch of original(filter, batchSize)) {
        if (given++ === good) throw new Error('disk I/O error')
        yield batch
      }
      throw new Error('disk I/O error')
    }
    return () => { t.audit.iterate = original }
  }

  test('a failure before the first row is a 500 with an error body, not a CSV of one header line', async () => {
    const restore = failAfter(0)
    try {
      const res = await t.inject('/api/audit/export.csv')
      assert.equal(res.statusCode, 500, res.body)
      assert.equal(res.json<ErrorBody>().error.code, 'INTERNAL')
    } finally {
      restore()
    }
  })

  test('a failure mid-way ends the file with a line that says so, then cuts the transfer', async () => {
    const restore = failAfter(1)
    try {
      const res = await t.inject({ url: '/api/audit/export.csv?actor=filter-test', payloadAsStream: true })
      assert.equal(res.statusCode, 200)
      const chunks: Buffer[] = []
      const stream = res.stream() as Readable
      const ended = await new Promise<'end' | Error>((resolve) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => resolve('end'))
        stream.on('error', resolve)
      })
      const body = Buffer.concat(chunks).toString('utf8')
      const lines = body.trim().split('\r\n')
      assert.ok(lines.length > 2, 'the first batch was sent')
      assert.match(lines.at(-1) ?? '', /^# export failed: .*incomplete/)
      assert.ok(ended instanceof Error, 'the transfer is cut, so a browser reports the download as failed')
      assert.ok(t.logs.some((line) => line.includes('disk I/O error')), 'the cause is in the server log')
    } finally {
      restore()
    }
  })
})
