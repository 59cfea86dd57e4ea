import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { XMLParser } from 'fast-xml-parser'
import {
  AXL_ERROR_ACTIONS, AXL_ERROR_CODES, AxlError, axlNamespace, axlSoapAction, buildExecuteSqlQuery, isAxlError,
  parseFault, parseSqlQueryResponse, parseTooLarge, type AxlErrorCode
} from '../src/axl/index.ts'

const FIXTURES = new URL('./fixtures/axl/', import.meta.url)
const fixture = (file: string): string => readFileSync(new URL(file, FIXTURES), 'utf8')

const PHONE_COLUMNS = ['name', 'description', 'model', 'devicepool', 'allowhotelingflag']
const SESSION_COLUMNS = ['device', 'userid', 'profile', 'logintime', 'loginduration', 'devicepool', 'model', 'description']
const TWO_PHONES = [
  { name: 'SEP001122334455', description: 'Oslo reception', model: 'Cisco 8865', devicepool: 'DP_OSLO', allowhotelingflag: 't' },
  { name: 'SEP00DEADBEEF00', description: 'Lobby phone', model: 'Cisco 7841', devicepool: 'DP_LONDON', allowhotelingflag: 'f' }
]

function caught (fn: () => unknown, code: AxlErrorCode): AxlError {
  try {
    fn()
  } catch (error) {
    assert.ok(isAxlError(error), `expected an AxlError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    assert.equal(error.action, AXL_ERROR_ACTIONS[code])
    return error
  }
  assert.fail(`expected ${code}, nothing was thrown`)
}

describe('AXL executeSQLQuery request', () => {
  test('SOAPAction and namespace carry the same version; a version is only digits and a dot', () => {
    assert.equal(axlSoapAction('14.0'), '"CUCM:DB ver=14.0 executeSQLQuery"')
    assert.equal(axlNamespace('12.5'), 'http://www.cisco.com/AXL/API/12.5')
    for (const bad of ['14', '14.0"', '14.0 x', '../1.0', '']) assert.throws(() => axlSoapAction(bad), /Invalid AXL version/)
  })

  test('the SQL travels in CDATA, intact even when it holds "]]>", and parses back to the same text', () => {
    const sql = "SELECT d.name FROM device d WHERE d.description = 'a]]>b & <c>'"
    const xml = buildExecuteSqlQuery(sql, '14.0')
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><soapenv:Envelope [^>]*xmlns:ns="http:\/\/www.cisco.com\/AXL\/API\/14.0"/)
    const doc = new XMLParser({ removeNSPrefix: true, parseTagValue: false, trimValues: false }).parse(xml)
    assert.equal(doc.Envelope.Body.executeSQLQuery.sql, sql)
  })
})

describe('AXL answers: recorded shapes', () => {
  for (const file of ['sql-prologue-one-line.xml', 'sql-no-prologue.xml', 'sql-namespaced-pretty-crlf.xml', 'sql-default-namespaces.xml']) {
    test(`${file}: rows by element name, values untouched`, () => {
      assert.deepEqual(parseSqlQueryResponse(fixture(file), PHONE_COLUMNS), TWO_PHONES)
    })
  }

  test('rows are read by name, not position, and column names compare case-insensitively', () => {
    const reordered = fixture('sql-no-prologue.xml').replace('<name>SEP001122334455</name><description>Oslo reception</description>', '<description>Oslo reception</description><NAME>SEP001122334455</NAME>')
    assert.deepEqual(parseSqlQueryResponse(reordered, PHONE_COLUMNS), TWO_PHONES)
  })

  test('a leading byte-order mark is tolerated', () => {
    assert.deepEqual(parseSqlQueryResponse('\uFEFF' + fixture('sql-no-prologue.xml'), PHONE_COLUMNS), TWO_PHONES)
  })

  test('whitespace before the prologue is tolerated', () => {
    assert.deepEqual(parseSqlQueryResponse('\r\n\n  ' + fixture('sql-prologue-one-line.xml'), PHONE_COLUMNS), TWO_PHONES)
    assert.deepEqual(parseSqlQueryResponse('\uFEFF\n' + fixture('sql-prologue-one-line.xml'), PHONE_COLUMNS), TWO_PHONES)
  })

  for (const file of ['sql-empty-return.xml', 'sql-empty-return-whitespace.xml']) {
    test(`${file}: the empty result`, () => {
      assert.deepEqual(parseSqlQueryResponse(fixture(file), PHONE_COLUMNS), [])
    })
  }

  test('NULL columns (empty elements, both forms) read as empty text', () => {
    const rows = parseSqlQueryResponse(fixture('sql-null-columns.xml'), SESSION_COLUMNS)
    assert.deepEqual(rows[1], { device: 'SEP001122334466', userid: 'jane.doe@example.com', profile: '', logintime: '', loginduration: '', devicepool: '', model: 'Cisco 7841', description: '' })
    assert.equal(rows[0]?.logintime, '1793520000')
  })

  test('entities, numeric references and CDATA decode once, byte for byte; names are never coerced', () => {
    const [first, second] = parseSqlQueryResponse(fixture('sql-entities-and-cdata.xml'), SESSION_COLUMNS)
    assert.equal(first?.device, '0012')
    assert.equal(first?.userid, "o'brien & co")
    assert.equal(first?.profile, '<EM> "A"')
    assert.equal(first?.description, '  Møterom Ålesund &lt;3😀  ')
    assert.equal(second?.userid, "'; DROP TABLE x; --")
    assert.equal(second?.profile, 'a<b>&amp;')
    assert.equal(second?.description, '山田.太郎 &nbsp;')
  })

  test('a row without an asked column fails naming the column', () => {
    const error = caught(() => parseSqlQueryResponse(fixture('sql-missing-column.xml'), PHONE_COLUMNS), 'AXL_FAULT')
    assert.match(error.message, /no column "model"/)
  })

  test('a column holding elements, or given twice, is not AXL', () => {
    const nested = fixture('sql-no-prologue.xml').replace('<model>Cisco 8865</model>', '<model><x>Cisco</x></model>')
    assert.match(caught(() => parseSqlQueryResponse(nested, PHONE_COLUMNS), 'AXL_BAD_XML').message, /"model" of row 1/)
    const twice = fixture('sql-no-prologue.xml').replace('<model>Cisco 8865</model>', '<model>A</model><model>B</model>')
    caught(() => parseSqlQueryResponse(twice, PHONE_COLUMNS), 'AXL_BAD_XML')
  })
})

describe('AXL faults', () => {
  test('"Suggestive Row Fetch" wording: AXL_TOO_LARGE with N and M', () => {
    const error = caught(() => parseSqlQueryResponse(fixture('fault-too-large-suggestive.xml'), PHONE_COLUMNS), 'AXL_TOO_LARGE')
    assert.equal(error.totalRows, 20000)
    assert.equal(error.suggestedRows, 4583)
    assert.equal(error.fault?.axlCode, -1)
    assert.equal(error.fault?.faultCode, 'soapenv:Server')
  })

  test('"Suggested row fetch" wording, prefixes, thousands separators and line breaks', () => {
    const fault = parseFault(fixture('fault-too-large-suggested.xml'))
    assert.ok(fault !== undefined)
    assert.equal(fault.axlCode, -1)
    const error = caught(() => parseSqlQueryResponse(fixture('fault-too-large-suggested.xml'), PHONE_COLUMNS), 'AXL_TOO_LARGE')
    assert.equal(error.totalRows, 12345)
    assert.equal(error.suggestedRows, 2000)
  })

  test('too-large texts are read tolerantly; other texts are not too-large', () => {
    assert.deepEqual(parseTooLarge('query request too large. total rows matched:7 rows. suggestive row fetch:less than 3 rows'), { totalRows: 7, suggestedRows: 3 })
    assert.deepEqual(parseTooLarge('Query request too large.'), { totalRows: undefined, suggestedRows: undefined })
    assert.equal(parseTooLarge('A syntax error has occurred.'), undefined)
  })

  test('any other fault is AXL_FAULT with its message and code', () => {
    const error = caught(() => parseSqlQueryResponse(fixture('fault-column-not-found.xml'), PHONE_COLUMNS), 'AXL_FAULT')
    assert.match(error.message, /AXL code -217.*Column \(logintimex\) not found/)
    assert.equal(error.fault?.axlCode, -217)
    const bare = caught(() => parseSqlQueryResponse(fixture('fault-no-detail.xml'), PHONE_COLUMNS), 'AXL_FAULT')
    assert.match(bare.message, /A syntax error has occurred/)
    assert.equal(bare.fault?.axlCode, null)
  })

  test('parseFault never throws: a document that is not a fault gives undefined', () => {
    for (const file of ['sql-no-prologue.xml', 'bad-html-error-page.xml', 'bad-truncated.xml']) assert.equal(parseFault(fixture(file)), undefined, file)
  })
})

describe('documents that are not AXL answers', () => {
  const cases: Record<string, RegExp> = {
    'bad-doctype.xml': /DOCTYPE/,
    'bad-truncated.xml': /line 1/,
    'bad-html-error-page.xml': /./,
    'bad-not-an-envelope.xml': /not a SOAP Envelope/
  }
  for (const [file, message] of Object.entries(cases)) {
    test(`${file}: AXL_BAD_XML`, () => {
      assert.match(caught(() => parseSqlQueryResponse(fixture(file), PHONE_COLUMNS), 'AXL_BAD_XML').message, message)
    })
  }

  test('empty bodies, entity declarations without DOCTYPE, and absurd nesting are refused', () => {
    caught(() => parseSqlQueryResponse('  \n', PHONE_COLUMNS), 'AXL_BAD_XML')
    caught(() => parseSqlQueryResponse('<!ENTITY x "y"><a/>', PHONE_COLUMNS), 'AXL_BAD_XML')
    const deep = fixture('sql-empty-return.xml').replace('<return/>', '<return><row><name>' + '<x>'.repeat(200) + '</x>'.repeat(200) + '</name></row></return>')
    assert.match(caught(() => parseSqlQueryResponse(deep, PHONE_COLUMNS), 'AXL_BAD_XML').message, /nested/i)
  })

  test('8 MB of empty rows or cells (under the size cap) is refused before it is parsed; a page of 1,000 sessions is read', () => {
    // Parsed, they held the event loop for seven to ten seconds.
    const empty = fixture('sql-empty-return.xml')
    const rows = empty.replace('<return/>', '<return>' + '<row/>'.repeat(1_300_000) + '</return>')
    assert.match(caught(() => parseSqlQueryResponse(rows, ['total']), 'AXL_BAD_XML').message, /it holds more than 100,000 tags/)
    const cells = empty.replace('<return/>', '<return><row>' + '<a/>'.repeat(2_000_000) + '</row></return>')
    assert.match(caught(() => parseSqlQueryResponse(cells, PHONE_COLUMNS), 'AXL_BAD_XML').message, /it holds more than 100,000 tags/)
    assert.equal(parseFault(cells.replace('<row>', '<soapenv:Fault><faultstring>x</faultstring>')), undefined)
    const row = '<row>' + SESSION_COLUMNS.map((column) => `<${column}>${column}-value</${column}>`).join('') + '</row>'
    assert.equal(parseSqlQueryResponse(empty.replace('<return/>', '<return>' + row.repeat(1000) + '</return>'), SESSION_COLUMNS).length, 1000)
  })

  test('a Body without executeSQLQueryResponse or return is refused', () => {
    const empty = fixture('sql-empty-return.xml')
    caught(() => parseSqlQueryResponse(empty.replace(/<ns:executeSQLQueryResponse.*<\/ns:executeSQLQueryResponse>/, ''), PHONE_COLUMNS), 'AXL_BAD_XML')
    caught(() => parseSqlQueryResponse(empty.replace('<return/>', ''), PHONE_COLUMNS), 'AXL_BAD_XML')
    caught(() => parseSqlQueryResponse(empty.replace('<return/>', '<return>oops</return>'), PHONE_COLUMNS), 'AXL_BAD_XML')
  })
})

test('every error code has an action, and the forbidden one names both roles', () => {
  assert.equal(AXL_ERROR_CODES.length, 11)
  for (const code of AXL_ERROR_CODES) assert.ok(new AxlError(code, 'x').action.length > 20, code)
  assert.match(AXL_ERROR_ACTIONS.AXL_FORBIDDEN, /"Standard AXL API Users".*"Standard AXL Read Only API Access"/)
  // The read-only role came with CUCM 11.5 (PROTOCOL.md §1); the versions EM Console speaks go back to 10.5.
  assert.match(AXL_ERROR_ACTIONS.AXL_FORBIDDEN, /before 11\.5.*"Standard AXL API Access"/)
})

test('every fixture is exercised by a test above', () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8')
  for (const file of readdirSync(FIXTURES)) assert.ok(source.includes(file), file)
})
