import assert from 'node:assert/strict'
import { deflateRawSync } from 'node:zlib'
import { test } from 'node:test'
import { cellOf, columnNote, decodeFile, readCsvTable, type CsvColumn, type CsvTable } from '../src/rules/csv-table.ts'

/** A table's `column`, row by row; a refused file fails the test with its words. */
function column (text: string, wanted: readonly CsvColumn[], of: CsvColumn = wanted[0] ?? 'device'): string[] {
  const table = readCsvTable(text, wanted)
  if ('problem' in table) assert.fail(table.problem)
  return table.rows.map((row) => cellOf(table, row.fields, of))
}

function tableOf (text: string, wanted: readonly CsvColumn[]): CsvTable {
  const table = readCsvTable(text, wanted)
  if ('problem' in table) assert.fail(table.problem)
  return table
}

test('a BAT export: the device column found by its header "DEVICE NAME", not first, among extra columns', () => {
  const bat = 'Description,DEVICE NAME,Device Protocol,DEVICE POOL\r\n"Lobby, ground floor",SEP001122334455,SIP,DP_OSLO\r\n"Say ""hi""",SEP00AABBCCDDEE,SCCP,DP_OSLO'
  assert.deepEqual(column(bat, ['device']), ['SEP001122334455', 'SEP00AABBCCDDEE'])
  assert.equal(columnNote(tableOf(bat, ['device'])), 'Device names from column 2, "DEVICE NAME".')
  // "Find and List Users" and BAT's user export: the user column by "User ID" / "USER ID".
  assert.deepEqual(column('First Name,Last Name,USER ID\nJohn,Doe,jdoe\n', ['user']), ['jdoe'])
  assert.deepEqual(column('Last Name,User ID,Department\nDoe,jdoe,Sales\n', ['user']), ['jdoe'])
})

test('a login file under a header: each column by its name, in any order; without one, by position', () => {
  const wanted = ['device', 'user', 'profile', 'duration'] as const
  const named = 'User ID,Description,Device Name,Minutes,Device Profile\njdoe,Lobby,SEP001122334455,30,UDP_jdoe\n'
  assert.deepEqual(wanted.map((c) => column(named, wanted, c)[0]), ['SEP001122334455', 'jdoe', 'UDP_jdoe', '30'])
  assert.equal(columnNote(tableOf(named, wanted)), 'Device names from column 3, "Device Name"; user IDs from column 1, "User ID"; profiles from column 5, "Device Profile"; durations from column 4, "Minutes".')
  assert.deepEqual(wanted.map((c) => column('SEP001122334455,jdoe,UDP_jdoe,30\n', wanted, c)[0]), ['SEP001122334455', 'jdoe', 'UDP_jdoe', '30'])
  // A header with no user column is refused once, saying so, not read as users named "Lobby".
  assert.deepEqual(readCsvTable('Device Name,Description\nSEP001122334455,Lobby\n', wanted), {
    problem: 'The header row (Device Name, Description) has no column of user IDs ("User ID"): name the column so, or remove the header row.'
  })
})

test('semicolons (Excel in German or French locales) and tabs are found from the first line; quotes still keep theirs', () => {
  const semicolons = 'Gerätename;Beschreibung;Device Name\r\n"Empfang; EG";x;SEP001122334455\r\n'
  assert.deepEqual(column(semicolons, ['device']), ['SEP001122334455'])
  assert.equal(columnNote(tableOf(semicolons, ['device'])), 'Device names from column 3, "Device Name". Fields separated by semicolons.')
  assert.deepEqual(column('SEP001122334455;jdoe\nSEP00AABBCCDDEE;"doe, jane"\n', ['device', 'user'], 'user'), ['jdoe', 'doe, jane'])
  assert.deepEqual(column('SEP001122334455\tLobby, ground floor\n', ['device']), ['SEP001122334455'])
  // A one-column file has no separator to find: a comma, as before.
  assert.equal(tableOf('SEP001122334455\nSEP00AABBCCDDEE', ['device']).separator, ',')
})

test('a first row "Phone" is a header, as "device" is; CRLF, a last line without one and blank lines are fine', () => {
  const table = tableOf('\uFEFFPhone\r\n\r\nsep001122334455\r\n,,\r\nSEP00AABBCCDDEE', ['device'])
  assert.deepEqual(table.header, ['Phone'])
  assert.deepEqual(table.rows.map((row) => [row.line, cellOf(table, row.fields, 'device')]), [[3, 'sep001122334455'], [5, 'SEP00AABBCCDDEE']])
  assert.equal(columnNote(tableOf('SEP001122334455', ['device'])), 'No header row: device names from column 1.')
  assert.equal(columnNote(tableOf('SEP001122334455\tjdoe', ['device', 'user', 'profile', 'duration'])), 'No header row: device names from column 1; user IDs from column 2. Fields separated by tabs.')
})

test('Excel\'s "Unicode Text" (UTF-16 LE with its mark, tab separated) is read, as is UTF-16 BE and UTF-8 with or without a BOM', () => {
  const text = 'Description\tUser ID\r\nZoë Müller\tzoë.müller\r\n'
  const files = {
    'UTF-16 LE': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    'UTF-16 BE': Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    'UTF-8 with a BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    'UTF-8': Buffer.from(text)
  }
  for (const [label, bytes] of Object.entries(files)) assert.deepEqual(column(decodeFile(bytes), ['user']), ['zoë.müller'], label)
})

test('a file that is no CSV (a workbook, an image, UTF-16 without its mark) is refused in plain words, once', () => {
  const zip = Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000'), deflateRawSync('[Content_Types].xml')])
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
  const xls = Buffer.from('d0cf11e0a1b11ae1000000000000000000000000', 'hex')
  const noMark = Buffer.from('device\r\nSEP001122334455\r\n', 'utf16le')
  const binary = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 37) % 256))
  const problems = Object.fromEntries(Object.entries({ zip, png, xls, noMark, binary }).map(([label, bytes]) => {
    const table = readCsvTable(decodeFile(bytes), ['device'])
    return [label, 'problem' in table ? table.problem : 'read as a CSV']
  }))
  assert.deepEqual(problems, {
    zip: 'The file is an Excel workbook (.xlsx) or another zip file, not a CSV file. In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.',
    png: 'The file is a PNG image, not a CSV file: choose the CSV file of device names or user IDs.',
    xls: 'The file is an old Excel workbook (.xls), not a CSV file. In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.',
    noMark: 'The file is UTF-16 text without its byte order mark, or not text at all. In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.',
    binary: 'The file is not text (it may be an image or a workbook), not a CSV file. In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.'
  })
  // One stray NUL or bad byte in a text file is its row's problem, not the file's.
  assert.deepEqual(column('device\r\nSEP001122334455\r\nSEP00AABB\u0000CCDDEE\r\nSEP\uFFFD\r\n', ['device']), ['SEP001122334455', 'SEP00AABB\u0000CCDDEE', 'SEP\uFFFD'])
})

test('a line of 5 MiB of commas is refused as a file, naming the line, before five million empty fields are made', () => {
  const commas = new TextDecoder().decode(Buffer.from('device\n' + ','.repeat(5 * 1024 * 1024 - 7)))
  assert.deepEqual(readCsvTable(commas, ['device']), {
    problem: 'Line 2 has more than 10,000 fields (separated by commas): that is no list of devices or users. Choose the CSV file of device names or user IDs.'
  })
})

test('a login file\'s header as people write it: a duration column with its unit is the duration; a person\'s "Name" beside "Device Name" is not the device', () => {
  const wanted = ['device', 'user', 'profile', 'duration'] as const
  for (const duration of ['Duration (minutes)', 'duration (min)', 'Duration (mins)', 'Duration in minutes', 'DURATION(MINUTES)']) {
    const text = `Device Name,User ID,${duration}\nSEP001122334455,jdoe,30\n`
    assert.deepEqual(wanted.map((c) => column(text, wanted, c)[0]), ['SEP001122334455', 'jdoe', '', '30'], duration)
  }
  // Another unit is not read as minutes.
  assert.equal(column('Device Name,User ID,Duration (hours)\nSEP001122334455,jdoe,8\n', wanted, 'duration')[0], '')
  const people = 'Name,User ID,Device Name\nJohn Doe,jdoe,SEP001122334455\n'
  assert.deepEqual(wanted.map((c) => column(people, wanted, c)[0]), ['SEP001122334455', 'jdoe', '', ''])
  assert.deepEqual(column('Name,Device Name\njdoe,SEP001122334455\n', ['device']), ['SEP001122334455'])
  // Alone, "Name" is still the device column, as a phone export names it.
  assert.deepEqual(column('Name,Description\nSEP001122334455,Lobby\n', ['device']), ['SEP001122334455'])
})
