import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseCsv } from '../src/rules/csv-parse.ts'

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
