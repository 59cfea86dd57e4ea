import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { csvField, csvLine } from '@em-console/shared/rules'
import { SEED_EMPTY_DEVICE } from '../src/simulator/seed.ts'
import { buildTestApp, runEnded, type TestApp } from './helpers/app.ts'

// Issue #15.13: OWASP's CSV-injection rules, applied after leading blanks and to full-width forms.
const FORMULAS = [
  '=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1', '\tplain', '\rplain',
  ' =1+1', '   @cmd', '\u00A0=1', '\u3000+1', '\u200B=1', '\n=1',
  '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20SUM(A1)', '  \uFF1DHYPERLINK("x")'
]
const HARMLESS = ['plain', 'a=b', 'jane.doe@example.com', 'SEP001122334455', '1-2', ' spaced out', '']

describe('csvField', () => {
  test('a cell a spreadsheet would run as a formula starts with an apostrophe', () => {
    for (const value of FORMULAS) {
      const cell = csvField(value)
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell
      assert.equal(unquoted, `'${value}`, JSON.stringify(value))
    }
  })

  test('ordinary text, numbers and null are left alone', () => {
    for (const value of HARMLESS) assert.equal(csvField(value), value, JSON.stringify(value))
    assert.equal(csvField(-5), '-5', 'a number is a number, not a formula')
    assert.equal(csvField(null), '')
  })

  test('quotes, commas and line breaks are quoted (RFC 4180)', () => {
    assert.equal(csvField('a,b'), '"a,b"')
    // Split on semicolons (a European locale's spreadsheet), "x;=1+2" would be two cells, the second a formula.
    assert.equal(csvField('x;=1+2'), '"x;=1+2"')
    // And on tabs (LibreOffice's import dialog ticks tab, comma and semicolon by default): "x<TAB>=1+2"
    // would be two cells, and so would a defused "'<TAB>=1", its second cell "=1".
    assert.equal(csvField('x\t=1+2'), '"x\t=1+2"')
    assert.equal(csvField('\t=1'), '"\'\t=1"')
    assert.equal(csvField('say "hi"'), '"say ""hi"""')
    assert.equal(csvField(' =1,2'), '"\' =1,2"')
    assert.equal(csvLine(['a', 1, null, '=x']), "a,1,,'=x\r\n")
  })
})

describe('both CSV exports use it', () => {
  let t: TestApp
  before(async () => { t = await buildTestApp() })
  after(async () => await t.close())

  test('the audit export defuses a message with leading spaces or a full-width sign', async () => {
    for (const message of [' =HYPERLINK("http://evil")', '\uFF1D1+1']) {
      await t.store.write((w) => {
        const id = w.audit.insertPending({ actor: 'csv-test', trigger: 'api', action: 'logout', devices: ['SEP0000000000C1'] })
        w.audit.finish(id, { outcome: 'failure', message })
      }, 'test row')
    }
    const res = await t.inject('/api/audit/export.csv?actor=csv-test')
    assert.equal(res.statusCode, 200)
    assert.ok(res.body.includes('"\' =HYPERLINK(""http://evil"")"'), res.body)
    assert.ok(res.body.includes("'\uFF1D1+1"), res.body)
    assert.ok(!/,\s*[=\uFF1D]/.test(res.body), 'no cell starts with a formula')
  })

  test('a run\'s results.csv defuses a user ID with a leading space', async () => {
    const started = await t.inject({ method: 'POST', url: '/api/runs', payload: { action: 'login', items: [{ device: SEED_EMPTY_DEVICE, user: ' @SUM(1)' }], verifyAfterSeconds: 0 } })
    assert.equal(started.statusCode, 202, started.body)
    const id = started.json<{ id: string }>().id
    assert.equal((await runEnded(t, id)).state, 'done')
    const csv = await t.inject(`/api/runs/${id}/results.csv`)
    assert.equal(csv.statusCode, 200)
    const row = csv.body.split('\r\n')[1] ?? ''
    assert.ok(row.startsWith(`${SEED_EMPTY_DEVICE},default,' @SUM(1),Log in,login,`), row)
  })
})
