import { MAX_CSV_FIELDS, parseCsv, type CsvRow } from './csv-parse.js'
import { DEVICE_HEADER, USER_HEADER } from './csv.js'

/** The largest CSV file a bulk run reads: 5,000 login rows with long names fit. The server refuses a larger upload; the dashboard, a larger file before reading it. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024

/** A column a bulk-run file may have. */
export type CsvColumn = 'device' | 'user' | 'profile' | 'duration'

/**
 * Each column's names in a header row, as people and CUCM's exports write them: the Bulk
 * Administration Tool's "DEVICE NAME" and "USER ID", "Find and List"'s "Device Name" and "User ID",
 * or a plain "device", "phone", "user".
 */
const COLUMN_HEADERS: Record<CsvColumn, RegExp> = {
  device: DEVICE_HEADER,
  user: USER_HEADER,
  profile: /^(device[ _-]?)?profile([ _-]?name)?$/i,
  // With its unit, as people write it: "Duration (minutes)"; another unit (hours) is not read as minutes.
  duration: /^(duration|minutes)( ?\(min(ute)?s?\)| in minutes)?$/i
}

const COLUMN_WORDS: Record<CsvColumn, string> = {
  device: 'device names ("Device Name")',
  user: 'user IDs ("User ID")',
  profile: 'profiles ("profile")',
  duration: 'durations ("duration")'
}

/** Columns a row cannot do without; the others may be missing or empty. */
const REQUIRED: readonly CsvColumn[] = ['device', 'user']

const SEPARATOR_NAMES: Record<string, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' }

/** A file's rows, read as a table: its separator, its header row, and where each wanted column is. */
export interface CsvTable {
  rows: CsvRow[]
  /** What ends a field: a comma, or a semicolon or tab as spreadsheets of some locales save "CSV". */
  separator: string
  /** The first row's cells when it is a header (it names a wanted column). */
  header?: string[]
  /** Each wanted column's index in a row. */
  columns: Partial<Record<CsvColumn, number>>
}

/**
 * Decodes a file's bytes as a spreadsheet saved them: UTF-16 when it starts with that byte order
 * mark (Excel's "Unicode Text"), UTF-8 otherwise; a byte that is not UTF-8 becomes U+FFFD.
 */
export function decodeFile (bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8'
  return new TextDecoder(encoding).decode(bytes)
}

/** Files people pick by mistake, by how their first bytes read as text (their signatures hold control characters). */
/* eslint-disable no-control-regex */
const NOT_CSV: ReadonlyArray<readonly [RegExp, string]> = [
  [/^PK\u0003\u0004/, 'an Excel workbook (.xlsx) or another zip file'],
  [/^\uFFFD\uFFFD\u0011\u0871\u001A/, 'an old Excel workbook (.xls)'],
  [/^\uFFFDPNG/, 'a PNG image'],
  [/^\uFFFD{3}/, 'a JPEG image'],
  [/^GIF8/, 'a GIF image'],
  [/^%PDF-/, 'a PDF document']
]
/* eslint-enable no-control-regex */

/**
 * Why a decoded file is no CSV at all, in words for the person who chose it, or undefined. Said
 * once for the file: read on, every row would be "not a device name".
 */
function csvFileProblem (text: string): string | undefined {
  const saveAs = 'In Excel, save it with File → Save As → "CSV UTF-8 (Comma delimited)" and upload that.'
  const kind = NOT_CSV.find(([start]) => start.test(text))?.[1]
  if (kind?.includes('Excel') === true) return `The file is ${kind}, not a CSV file. ${saveAs}`
  if (kind !== undefined) return `The file is ${kind}, not a CSV file: choose the CSV file of device names or user IDs.`
  // UTF-16 without its byte order mark: a NUL beside every other character, not one stray NUL in
  // a UTF-8 file (that row alone is bad).
  const head = text.slice(0, 4096)
  const nuls = head.split('\u0000').length - 1
  if (nuls > 0 && nuls * 3 >= head.length) return `The file is UTF-16 text without its byte order mark, or not text at all. ${saveAs}`
  // Control characters (other than tab and line breaks) or bytes that are not UTF-8, in number:
  // a binary file (one bad character in a text file is that row's problem).
  const odd = head.match(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/g)?.length ?? 0 // eslint-disable-line no-control-regex
  if (odd > 8 && odd * 20 >= head.length) return `The file is not text (it may be an image or a workbook), not a CSV file. ${saveAs}`
  return undefined
}

/**
 * The separator of the first line with content: the most frequent of tab, comma and semicolon
 * outside quotes, a tab first on a tie (free text holds commas, rarely a tab); a comma when none.
 */
function separatorOf (text: string): string {
  const counts: Record<string, number> = { '\t': 0, ',': 0, ';': 0 }
  let quoted = false
  let content = false
  // By char code: a file of blank lines is read to its end, 5 MiB in a few milliseconds this way.
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at)
    if (c === 0x22) quoted = !quoted
    else if (!quoted && (c === 0x0a || c === 0x0d)) {
      if (content) break
    } else if (!quoted && (c === 0x09 || c === 0x2c || c === 0x3b)) counts[text.charAt(at)]! += 1
    else if (!content && !isBlank(c)) content = true
  }
  const [best = ','] = Object.entries(counts).filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]).map(([separator]) => separator)
  return best
}

/** Whether a character is one that String.prototype.trim removes (\s is the same set). */
function isBlank (code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code > 0x7f && /\s/.test(String.fromCharCode(code)))
}

/**
 * Reads a bulk-run file as a table of the `wanted` columns, listed in the order they come in a
 * file without a header row. A first row that names any of them (in any column, as BAT's exports
 * put "DEVICE NAME" after others) is the header, and then only a column it names is read: a file
 * whose header has no device or user column it needs is refused, saying so. `maxRows`: as parseCsv's.
 * The one reading of a bulk-run file: the server's of an upload, the dashboard's of a file it counts.
 */
export function readCsvTable (text: string, wanted: readonly CsvColumn[], maxRows = Number.POSITIVE_INFINITY): CsvTable | { problem: string } {
  const problem = csvFileProblem(text)
  if (problem !== undefined) return { problem }
  const separator = separatorOf(text.replace(/^\uFEFF/, ''))
  const rows = parseCsv(text, maxRows, separator)
  const wide = rows.at(-1)
  if (wide?.tooManyFields === true) {
    return { problem: `Line ${wide.line} has more than ${MAX_CSV_FIELDS.toLocaleString('en')} fields (separated by ${SEPARATOR_NAMES[separator] ?? separator}): that is no list of devices or users. Choose the CSV file of device names or user IDs.` }
  }
  const cells = rows[0]?.unclosed === true ? [] : rows[0]?.fields.map((f) => f.trim()) ?? []
  // A bare "Name" is the device column only when no cell names it more plainly: a list of people
  // has theirs ("Name, User ID, Device Name"), and its names were read as the devices.
  const named = (column: CsvColumn): number => {
    const plainly = cells.findIndex((cell) => COLUMN_HEADERS[column].test(cell) && !/^name$/i.test(cell))
    return plainly >= 0 ? plainly : cells.findIndex((cell) => COLUMN_HEADERS[column].test(cell))
  }
  if (!wanted.some((column) => named(column) >= 0)) {
    return { rows, separator, columns: Object.fromEntries(wanted.map((column, at) => [column, at])) }
  }
  rows.shift()
  const missing = wanted.filter((column) => REQUIRED.includes(column) && named(column) < 0)
  if (missing.length > 0) {
    return { problem: `The header row (${cells.join(', ').slice(0, 120)}) has no column of ${missing.map((c) => COLUMN_WORDS[c]).join(' or ')}: name the column so, or remove the header row.` }
  }
  return { rows, separator, header: cells, columns: Object.fromEntries(wanted.filter((column) => named(column) >= 0).map((column) => [column, named(column)])) }
}

/** A row's cell of `column`, trimmed; empty when the table has no such column or the row no such cell. */
export function cellOf (table: CsvTable, fields: readonly string[], column: CsvColumn): string {
  return fields[table.columns[column] ?? -1]?.trim() ?? ''
}

/**
 * Where a table's columns were read, for the person who chose the file: 'Device names from column
 * 2, "DEVICE NAME". Fields separated by semicolons.' Optional columns only when a header named them.
 */
export function columnNote (table: CsvTable): string {
  const read = (Object.entries(table.columns) as Array<[CsvColumn, number]>)
    .filter(([column]) => table.header !== undefined || REQUIRED.includes(column))
    .map(([column, at]) => `${COLUMN_WORDS[column].replace(/ \(.*/, '')} from column ${at + 1}${table.header === undefined ? '' : `, "${table.header[at] ?? ''}"`}`)
    .join('; ')
  const separated = table.separator === ',' ? '' : ` Fields separated by ${SEPARATOR_NAMES[table.separator] ?? table.separator}.`
  const said = `${read}.${separated}`
  return table.header === undefined ? `No header row: ${said}` : said.charAt(0).toUpperCase() + said.slice(1)
}
