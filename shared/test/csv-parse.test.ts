import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_CSV_FIELDS, parseCsv } from '../src/rules/csv-parse.ts'

test('a quoted field keeps its commas and line breaks: one row, numbered by the line it starts on', () => {
  const rows = parseCsv('device,note\r\nSEP1,"Lobby, ground floor\r\nby the door"\r\n\r\nSEP2,"say ""hi"""\n')
  assert.deepEqual(rows, [
    { line: 1, fields: ['device', 'note'] },
    { line: 2, fields: ['SEP1', 'Lobby, ground floor\r\nby the door'] },
    { line: 5, fields: ['SEP2', 'say "hi"'] }
  ])
})

test('other separators split only where they are asked to, never inside quotes', () => {
  const text = 'user;name\njdoe;"Doe; John"\n"doe, jane"\tJane\n'
  assert.deepEqual(parseCsv(text).map((row) => row.fields), [['user;name'], ['jdoe;Doe; John'], ['doe, jane\tJane']])
  assert.deepEqual(parseCsv(text, Number.POSITIVE_INFINITY, ',;\t').map((row) => row.fields), [['user', 'name'], ['jdoe', 'Doe; John'], ['doe, jane', 'Jane']])
})

/** The CPU time a call takes, in ms: the time it holds the event loop, whatever else the machine runs. */
function cpuMs (call: () => unknown): number {
  const start = process.cpuUsage()
  call()
  const { user, system } = process.cpuUsage(start)
  return (user + system) / 1000
}

// A file as the server decodes an upload: one flat string, not a tree of concatenations.
const decoded = (text: string): string => new TextDecoder().decode(Buffer.from(text))
const MIB_5 = 5 * 1024 * 1024

test('a 5 MiB file of any shape is read in linear time: a character at a time it held the event loop up to half a second', () => {
  // Bounds: ten times what each takes here (the parse char by char took 130, 450, 480 and 250 ms).
  const shapes: Array<[string, string, number]> = [
    ['blank lines of 1,000 commas (five million empty fields)', (','.repeat(1000) + '\n').repeat(5000), 500],
    ['a quote never closed', '"' + 'x'.repeat(MIB_5 - 1), 150],
    ['a quoted field of line breaks', '"' + 'a\n'.repeat(MIB_5 / 2 - 1) + '"', 400],
    ['a quoted field of doubled quotes', '"' + '""'.repeat(MIB_5 / 2 - 1) + '"', 400]
  ]
  for (const [shape, text, boundMs] of shapes) {
    const input = decoded(text)
    const ms = Math.min(cpuMs(() => parseCsv(input)), cpuMs(() => parseCsv(input)))
    assert.ok(ms < boundMs, `${shape}: ${ms.toFixed(0)} ms, more than ${boundMs} ms`)
  }
})

test('a quote never closed takes the rest of the file, its doubled quotes read as one', () => {
  assert.deepEqual(parseCsv('a,"say ""hi""\nb,c'), [{ line: 1, fields: ['a', 'say "hi"\nb,c'], unclosed: true }])
})

test('a row of more than MAX_CSV_FIELDS fields ends the reading there, not five million empty fields later', () => {
  const rows = parseCsv('device\nSEP001122334455\n' + ','.repeat(MIB_5 - 23))
  assert.deepEqual(rows.slice(0, 2), [{ line: 1, fields: ['device'] }, { line: 2, fields: ['SEP001122334455'] }])
  assert.equal(rows.length, 3)
  assert.deepEqual([rows[2]?.line, rows[2]?.tooManyFields, rows[2]?.fields.length], [3, true, MAX_CSV_FIELDS])
  // Exactly as many is a row, blank or not.
  assert.deepEqual(parseCsv('a' + ','.repeat(MAX_CSV_FIELDS - 1)).map((row) => [row.fields.length, row.tooManyFields]), [[MAX_CSV_FIELDS, undefined]])
})
