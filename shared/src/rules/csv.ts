/**
 * CSV cells for the exports a person opens in a spreadsheet. User IDs, device names and CUCM's
 * messages come from outside, so a cell that a spreadsheet would run as a formula is defused with
 * a leading apostrophe (OWASP "CSV Injection"): one starting with = + - @, tab or carriage return,
 * once leading blanks are skipped (" =1+1" is still a formula), and the full-width forms
 * ＝ ＋ － ＠ that some spreadsheets read as their ASCII twins.
 */
const FORMULA_START = /^[\s\u200B-\u200D\u2060]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/

/** A CSV cell's value: text, a number, or empty. */
export type CsvValue = string | number | null

export function csvField (value: CsvValue): string {
  if (value === null) return ''
  // Whole numbers through toFixed(0), not String(): V8 keeps every String(number) in its
  // number-to-string cache, a GC root, so the million ids of an export would survive each
  // scavenge into the old generation and wait there for a full collection an export does not
  // trigger (RSS +20 MB per million rows, a straight line: bench:audit). Same digits.
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  // A semicolon and a tab too: a spreadsheet set to split on semicolons (many European locales), or
  // LibreOffice's import dialog (tab, comma and semicolon ticked by default), would make "x;=1+2"
  // or "x<TAB>=1+2" two cells, the second a formula, and a defused "'<TAB>=1" as well.
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * A header's cell naming a column of devices: "device", "phone", or as CUCM's own exports (Bulk
 * Administration, "Find and List Phones") write it, "DEVICE NAME", "Device Name"; "device_name"
 * as scripts write it.
 */
export const DEVICE_HEADER = /^(device|phone)([ _-]?name)?$|^name$/i
/** A header's cell naming a column of users: "user", "userid", "User ID", "USER ID"; "user_id" as EM Console's own exports of sessions write it. */
export const USER_HEADER = /^user[ _-]?(id)?$/i

/** One CSV record, CRLF-terminated (RFC 4180). */
export function csvLine (values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + '\r\n'
}

const ISO_UTC = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/

/**
 * A time as a spreadsheet reads a date and time: "2026-12-05 23:15:08", in UTC (its header says
 * so). Excel and LibreOffice keep ISO 8601's "2026-12-05T23:15:08.123Z" as text, which cannot be
 * sorted or filtered by date; year-month-day with a space before the time they read as a date in
 * every locale. To the second: the ISO column beside it keeps the milliseconds.
 */
export function spreadsheetTime (value: CsvValue): CsvValue {
  if (typeof value !== 'string') return value
  const utc = ISO_UTC.exec(value)
  if (utc !== null) return `${utc[1] ?? ''} ${utc[2] ?? ''}`
  const at = new Date(value)
  return Number.isNaN(at.getTime()) ? value : at.toISOString().slice(0, 19).replace('T', ' ')
}

/** A CSV column: its header and how a row (and what goes with it) gives its cell. */
export type CsvColumnOf<Row extends unknown[]> = readonly [string, (...row: Row) => CsvValue]

/**
 * The columns, then for each time column named a `<name>_utc` twin that spreadsheets read as a
 * date (spreadsheetTime). Added at the end: the existing columns keep their names, values (ISO
 * 8601, for scripts) and places.
 */
export function withUtcColumns<Row extends unknown[]> (columns: ReadonlyArray<CsvColumnOf<Row>>, times: readonly string[]): Array<CsvColumnOf<Row>> {
  const twins = times.map((name): CsvColumnOf<Row> => {
    const cell = columns.find(([header]) => header === name)?.[1]
    if (cell === undefined) throw new Error(`No CSV column "${name}" to write in UTC`)
    return [`${name}_utc`, (...row) => spreadsheetTime(cell(...row))]
  })
  return [...columns, ...twins]
}
